"""DKT training (needs the optional ``torch`` extra; skipped without it): the shared contract,
seeded determinism, and NumPy inference matching the trained PyTorch network."""

from __future__ import annotations

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from learnpath.learner._counts import history_features  # noqa: E402
from learnpath.learner.base import AttemptTable  # noqa: E402
from learnpath.learner.deep import DKT, _net  # noqa: E402
from learnpath.learner.metrics import auc  # noqa: E402
from learnpath.learner.registry import build_model  # noqa: E402
from learnpath.testing.conformance import LearnerModelTests  # noqa: E402
from learnpath.testing.synthetic import synthetic_attempts  # noqa: E402


def small() -> DKT:
    return DKT(embed=8, hidden=8, max_epochs=3, batch_size=8, window=8, device="cpu")


class TestDKTContract(LearnerModelTests):
    model_factory = staticmethod(small)
    monotone_mastery = False  # an LSTM promises no monotone mastery


def test_same_seed_same_weights_other_seed_other_weights() -> None:
    table = synthetic_attempts(np.random.default_rng(1))
    a, b, c = small().fit(table), small().fit(table), DKT(**{**small().get_params(), "seed": 1}).fit(table)
    for k in a.weights_:
        np.testing.assert_array_equal(a.weights_[k], b.weights_[k])
    assert any(not np.array_equal(a.weights_[k], c.weights_[k]) for k in a.weights_)
    assert a.device_ == "cpu" and len(a.history_) >= 1 and 0 <= a.best_epoch_ < 3


def test_without_a_validation_part_the_last_epoch_is_kept() -> None:
    model = DKT(**{**small().get_params(), "valid_fraction": 0.0, "max_epochs": 2})
    model.fit(synthetic_attempts(np.random.default_rng(4)))
    assert model.best_epoch_ == 1 and model.history_ == [0.0, 1.0]


def test_numpy_inference_matches_the_torch_network() -> None:
    table = synthetic_attempts(np.random.default_rng(2))
    model = small().fit(table)
    from learnpath.learner.deep import _Rows

    rows = _Rows(model._lookups(), table)
    net = _net(torch, len(model.items_), len(model.skills_), 8, 8, 6)
    names = {
        "skill.weight": "skill", "skill_var.weight": "skill_var", "inter.weight": "inter",
        "item_mu.weight": "item_mu", "item_bias.weight": "item_bias", "lstm.weight_ih_l0": "w_ih",
        "lstm.weight_hh_l0": "w_hh", "lstm.bias_ih_l0": "b_ih", "lstm.bias_hh_l0": "b_hh",
        "hid.weight": "hid_w", "hid.bias": "hid_b", "out.weight": "out_w", "out.bias": "out_b",
    }  # fmt: skip
    net.load_state_dict({k: torch.from_numpy(model.weights_[v]) for k, v in names.items()})
    net.eval()
    ours = model.predict_proba(table)
    feats = torch.from_numpy(history_features(table).astype(np.float32))
    for s, n in zip(rows.starts.tolist(), rows.lengths.tolist(), strict=True):
        sl = slice(s, s + n)
        with torch.no_grad():
            logit, _, _ = net(
                torch.from_numpy(rows.item[None, sl]), torch.from_numpy(rows.skills[None, sl]),
                torch.from_numpy(rows.y[None, sl]), feats[None, sl], None, None,
            )  # fmt: skip
        np.testing.assert_allclose(ours[sl], torch.sigmoid(logit[0]).numpy(), atol=2e-5)


def test_learns_the_synthetic_signal() -> None:
    table = synthetic_attempts(np.random.default_rng(3), n_learners=180, attempts_per_learner=30)
    k = int(np.searchsorted(table.learner, 120))
    ptr = table.skill_indptr

    def rows(sl: slice, lo: int, hi: int) -> AttemptTable:
        return AttemptTable(
            learner=table.learner[sl], item=table.item[sl], skill_indptr=ptr[lo : hi + 1] - ptr[lo],
            skill_indices=table.skill_indices[ptr[lo] : ptr[hi]], correct=table.correct[sl],
            timestamp=table.timestamp[sl], item_names=table.item_names, skill_names=table.skill_names,
        )  # fmt: skip

    train, test = rows(slice(0, k), 0, k), rows(slice(k, None), k, len(table))
    model = build_model("dkt", embed=16, hidden=16, max_epochs=8, device="cpu").fit(train)
    irt = build_model("irt").fit(train)
    ours, theirs = auc(test.correct, model.predict_proba(test)), auc(test.correct, irt.predict_proba(test))
    assert ours > 0.7
    assert ours > theirs - 0.02  # the data is IRT-shaped; DKT gets close to the model that made it
