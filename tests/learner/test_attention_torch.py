"""Training the attention model (needs the optional ``torch`` extra; skipped without it): the shared
contract, seeded determinism, NumPy inference matching the trained network, and learning a signal."""

from __future__ import annotations

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from learnpath.learner._counts import history_features  # noqa: E402
from learnpath.learner.attention import AttentionKT, _net  # noqa: E402
from learnpath.learner.base import AttemptTable  # noqa: E402
from learnpath.learner.deep import _Rows  # noqa: E402
from learnpath.learner.metrics import auc  # noqa: E402
from learnpath.learner.registry import build_model  # noqa: E402
from learnpath.testing.conformance import LearnerModelTests  # noqa: E402
from learnpath.testing.synthetic import synthetic_attempts  # noqa: E402


def small() -> AttentionKT:
    return AttentionKT(embed=8, heads=2, hidden=8, context=6, max_epochs=3, batch_size=8, device="cpu")


class TestAttentionContract(LearnerModelTests):
    model_factory = staticmethod(small)
    monotone_mastery = False  # attention promises no monotone mastery


def test_same_seed_same_weights_other_seed_other_weights() -> None:
    table = synthetic_attempts(np.random.default_rng(1))
    a, b = small().fit(table), small().fit(table)
    c = AttentionKT(**{**small().get_params(), "seed": 1}).fit(table)
    for k in a.weights_:
        np.testing.assert_array_equal(a.weights_[k], b.weights_[k])
    assert any(not np.array_equal(a.weights_[k], c.weights_[k]) for k in a.weights_)
    assert a.device_ == "cpu" and 1 <= len(a.history_) <= 3 and 0 <= a.best_epoch_ < 3


def test_numpy_inference_matches_the_torch_network_across_chunks() -> None:
    table = synthetic_attempts(np.random.default_rng(2))  # 16 rows per learner, context 6
    model = small().fit(table)
    rows = _Rows(model._lookups(), table)
    net = _net(torch, len(model.items_), len(model.skills_), 8, 2, 8, 6)
    names = {f"{k}.weight": k for k in ("skill", "skill_var", "inter", "item_mu", "item_bias")}
    names |= {f"{k}.weight": k for k in ("wq", "wk", "wv", "wo")}
    names |= {"decay": "decay", "null": "null", "hid.weight": "hid_w", "hid.bias": "hid_b"}
    names |= {"out.weight": "out_w", "out.bias": "out_b"}
    net.load_state_dict({k: torch.from_numpy(model.weights_[v]) for k, v in names.items()})
    net.eval()
    ours = model.predict_proba(table)
    feats = torch.from_numpy(history_features(table).astype(np.float32))
    pos = torch.arange(16)
    diff = pos[:, None] - pos[None, :]
    allowed, logdist = (diff > 0) & (diff <= 6), torch.log1p(diff.clamp(min=0).float())
    for s, n in zip(rows.starts.tolist(), rows.lengths.tolist(), strict=True):
        sl = slice(s, s + n)
        with torch.no_grad():
            logit, _ = net(
                torch.from_numpy(rows.item[None, sl]), torch.from_numpy(rows.skills[None, sl]),
                torch.from_numpy(rows.y[None, sl]), feats[None, sl], allowed[:n, :n], logdist[:n, :n], None,
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
    model = build_model("attn", embed=16, heads=2, hidden=16, max_epochs=8, device="cpu").fit(train)
    irt = build_model("irt").fit(train)
    ours, theirs = auc(test.correct, model.predict_proba(test)), auc(test.correct, irt.predict_proba(test))
    assert ours > 0.7
    assert ours > theirs - 0.03  # the data is IRT-shaped; attention gets close to the model that made it
