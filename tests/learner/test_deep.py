"""DKT without PyTorch: NumPy inference from stored weights, JSON form, and the missing-extra error.

Training needs the optional ``torch`` extra; those tests live in ``test_deep_torch.py``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pytest

from learnpath.errors import NotFittedError, ValidationError
from learnpath.learner.deep import DKT, TORCH_HINT
from learnpath.learner.registry import build_model, model_from_dict
from learnpath.testing.synthetic import synthetic_attempts, table_attempts


def hand_made(seed: int = 0, n_items: int = 12, n_skills: int = 3, d: int = 6, hd: int = 5) -> DKT:
    """A DKT with random weights (what ``fit`` would store), for testing inference alone."""
    rng = np.random.default_rng(seed)

    def w(*shape: int) -> np.ndarray:
        return rng.normal(0.0, 0.5, shape).astype(np.float32)

    model = DKT(embed=d, hidden=hd)
    model.items_ = tuple(f"item{i}" for i in range(n_items))
    model.skills_ = tuple(f"skill{s}" for s in range(n_skills))
    model.weights_ = {
        "skill": w(n_skills + 1, d), "skill_var": w(n_skills + 1, d), "inter": w(2 * (n_skills + 1), d),
        "item_mu": w(n_items + 1, 1), "item_bias": w(n_items + 1, 1),
        "w_ih": w(4 * hd, d), "w_hh": w(4 * hd, hd), "b_ih": w(4 * hd), "b_hh": w(4 * hd),
        "hid_w": w(hd, hd + d + 6), "hid_b": w(hd), "out_w": w(1, hd), "out_b": w(1),
    }  # fmt: skip
    model.weights_["skill"][0] = 0.0
    model.weights_["skill_var"][0] = 0.0
    return model


def test_online_updates_reproduce_batch_predictions() -> None:
    table = synthetic_attempts(np.random.default_rng(3))
    model = hand_made()
    p = model.predict_proba(table)
    assert p.shape == (len(table),) and ((p > 0) & (p < 1)).all()
    states: dict[int, dict] = {}
    for r, a in enumerate(table_attempts(table)):
        state = states.get(a.learner) or model.init_state()
        assert model.p_item(state, a.item, a.skills) == pytest.approx(p[r], abs=1e-9)
        states[a.learner] = model.update(state, a)


def test_unknown_items_and_skills_fall_back_to_what_is_known() -> None:
    table = synthetic_attempts(np.random.default_rng(4), n_items=14, n_skills=4)
    p = hand_made().predict_proba(table)  # item12, item13 and skill3 were never seen
    assert np.isfinite(p).all()
    state = hand_made().init_state()
    assert 0.0 < hand_made().p_correct(state, ("no-such-skill",)) < 1.0


def test_prediction_of_a_row_ignores_later_rows_and_other_learners() -> None:
    table = synthetic_attempts(np.random.default_rng(5))
    model = hand_made()
    base = model.predict_proba(table)
    first = np.flatnonzero(table.learner == 0)
    part = type(table)(**{k: v for k, v in vars(table).items()})
    flipped = table.correct.copy()
    flipped[first[5]] ^= 1
    changed = model.predict_proba(type(part)(**{**vars(part), "correct": flipped}))
    np.testing.assert_array_equal(changed[: first[5] + 1], base[: first[5] + 1])
    np.testing.assert_array_equal(changed[first[-1] + 1 :], base[first[-1] + 1 :])
    assert not np.allclose(changed[first[6] : first[-1] + 1], base[first[6] : first[-1] + 1])


def test_json_round_trip_without_torch_keeps_weights_exactly() -> None:
    model = hand_made()
    data = json.loads(json.dumps(model.to_dict()))
    assert set(data["params"]["weights"]["w_ih"]) == {"shape", "data"}
    again = model_from_dict(data)
    assert isinstance(again, DKT)
    for k, v in model.weights_.items():
        np.testing.assert_array_equal(again.weights_[k], v)
    table = synthetic_attempts(np.random.default_rng(6))
    np.testing.assert_array_equal(again.predict_proba(table), model.predict_proba(table))
    assert again.to_dict() == data


def test_a_version_stored_before_the_history_features_still_loads() -> None:
    model = hand_made()
    old = DKT(embed=6, hidden=5, features=False)
    old.items_, old.skills_ = model.items_, model.skills_
    old.weights_ = {**model.weights_, "hid_w": model.weights_["hid_w"][:, :11].copy()}
    data = json.loads(json.dumps(old.to_dict()))
    del data["hyperparameters"]["features"]  # as stored then
    again = model_from_dict(data)
    assert isinstance(again, DKT) and again.features is False
    table = synthetic_attempts(np.random.default_rng(13))
    np.testing.assert_array_equal(again.predict_proba(table), old.predict_proba(table))
    assert not np.allclose(old.predict_proba(table), model.predict_proba(table))
    with pytest.raises(ValidationError, match=r"params\.weights\.hid_w"):
        model_from_dict({**data, "hyperparameters": {**data["hyperparameters"], "features": True}})


def test_state_is_json_and_mastery_has_an_interval() -> None:
    model = hand_made()
    table = synthetic_attempts(np.random.default_rng(7))
    state = model.init_state()
    for a in table_attempts(table)[:10]:
        before = json.dumps(state)
        new = model.update(state, a)
        assert json.dumps(state) == before
        assert json.loads(json.dumps(new)) == new
        state = new
    mastery = model.mastery(state)
    assert mastery and set(mastery) <= set(model.skills_)
    for m in mastery.values():
        assert 0.0 <= m.low <= m.p_mastery <= m.high <= 1.0 and m.n_attempts >= 1


def test_unfitted_model_says_so() -> None:
    table = synthetic_attempts(np.random.default_rng(8))
    with pytest.raises(NotFittedError):
        DKT().predict_proba(table)
    with pytest.raises(NotFittedError):
        DKT().update(DKT().init_state(), table_attempts(table)[0])


def test_corrupt_weights_are_named() -> None:
    data = hand_made().to_dict()
    data["params"]["weights"]["w_hh"]["data"] = "not base64!"
    with pytest.raises(ValidationError, match=r"params\.weights\.w_hh"):
        model_from_dict(data)
    del data["params"]["weights"]["w_hh"]
    with pytest.raises(ValidationError, match="missing w_hh"):
        model_from_dict(data)


@pytest.mark.parametrize(
    ("field", "value"), [("hidden", 0), ("dropout", 1.0), ("lr", 0.0), ("device", "tpu"), ("n_threads", 0)]
)
def test_bad_hyperparameters_are_named(field: str, value: object) -> None:
    with pytest.raises(ValidationError) as exc:
        DKT(**{field: value})._validate()
    assert field in str(exc.value.errors[0].field)


def test_without_torch_the_registry_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "torch", None)  # makes `import torch` fail
    with pytest.raises(ValidationError, match=r"pip install 'learnpath\[torch\]'"):
        build_model("dkt")
    with pytest.raises(ValidationError, match=r"pip install 'learnpath\[torch\]'"):
        DKT(max_epochs=1).fit(synthetic_attempts(np.random.default_rng(9)))
    assert "learnpath[torch]" in TORCH_HINT
    # a fitted model still loads and predicts: inference is NumPy only
    again = model_from_dict(json.loads(json.dumps(hand_made().to_dict())))
    assert again.predict_proba(synthetic_attempts(np.random.default_rng(9))).shape == (24 * 16,)


def test_evaluate_without_torch_exits_with_the_install_hint(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    import learnpath.cli.evaluate  # noqa: F401  (registers the command)
    from learnpath.cli.app import app

    table = synthetic_attempts(np.random.default_rng(3), n_learners=10, attempts_per_learner=5)
    head = "user_id\titem_id\ttimestamp\tcorrect\tskill_id"
    lines = [
        f"{table.learner[r]}\t{table.item[r]}\t0\t{table.correct[r]}\t{table.item[r] % 3}"
        for r in range(len(table))
    ]
    for name, part in (("train", lines[:40]), ("test", lines[40:])):
        (tmp_path / f"preprocessed_data_{name}.tsv").write_text("\n".join([head, *part]) + "\n")
    pairs = [f"{i},{i % 3}" for i in range(len(table.item_names))]
    (tmp_path / "q_mat_item_skill_pairs.csv").write_text("\n".join(["item_id,skill_id", *pairs]) + "\n")
    monkeypatch.setitem(sys.modules, "torch", None)
    res = CliRunner().invoke(
        app, ["evaluate", "--data", str(tmp_path), "--protocol", "gervet", "--model", "dkt", "--json"]
    )
    assert res.exit_code == 2
    assert "pip install 'learnpath[torch]'" in " ".join(res.output.split())
