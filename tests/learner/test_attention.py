"""The attention model without PyTorch: NumPy inference from stored weights, JSON form, online = batch.

Training needs the optional ``torch`` extra; those tests live in ``test_attention_torch.py``.
"""

from __future__ import annotations

import json
import sys

import numpy as np
import pytest

from learnpath.errors import NotFittedError, ValidationError
from learnpath.learner._counts import history_features
from learnpath.learner.attention import AttentionKT
from learnpath.learner.base import AttemptTable
from learnpath.learner.registry import build_model, model_from_dict
from learnpath.testing.synthetic import synthetic_attempts, table_attempts


def hand_made(seed: int = 0, n_items: int = 12, n_skills: int = 3, d: int = 8, heads: int = 2) -> AttentionKT:
    """An attention model with random weights (what ``fit`` would store), for inference alone."""
    rng = np.random.default_rng(seed)

    def w(*shape: int) -> np.ndarray:
        return rng.normal(0.0, 0.5, shape).astype(np.float32)

    model = AttentionKT(embed=d, heads=heads, hidden=5, context=6)
    model.items_ = tuple(f"item{i}" for i in range(n_items))
    model.skills_ = tuple(f"skill{s}" for s in range(n_skills))
    model.weights_ = {
        "skill": w(n_skills + 1, d), "skill_var": w(n_skills + 1, d), "inter": w(2 * (n_skills + 1), d),
        "item_mu": w(n_items + 1, 1), "item_bias": w(n_items + 1, 1),
        "wq": w(d, d), "wk": w(d, d), "wv": w(d, d), "wo": w(d, d), "decay": w(heads), "null": w(heads),
        "hid_w": w(5, 2 * d + 6), "hid_b": w(5), "out_w": w(1, 5), "out_b": w(1),
    }  # fmt: skip
    model.weights_["skill"][0] = 0.0
    model.weights_["skill_var"][0] = 0.0
    return model


def test_online_updates_reproduce_batch_predictions_beyond_the_context() -> None:
    table = synthetic_attempts(np.random.default_rng(3))  # 16 attempts each, context 6
    model = hand_made()
    p = model.predict_proba(table)
    assert p.shape == (len(table),) and ((p > 0) & (p < 1)).all()
    states: dict[int, dict] = {}
    for r, a in enumerate(table_attempts(table)):
        state = states.get(a.learner) or model.init_state()
        assert model.p_item(state, a.item, a.skills) == pytest.approx(p[r], abs=1e-9)
        states[a.learner] = model.update(state, a)
        assert len(states[a.learner]["recent"]) <= 6


def test_history_features_count_each_learners_earlier_rows() -> None:
    table = synthetic_attempts(np.random.default_rng(11), multi_skill=0.5)
    feats = history_features(table)
    seen: dict[tuple[int, int], list[int]] = {}
    overall: dict[int, list[int]] = {}
    for r in range(len(table)):
        learner = int(table.learner[r])
        skills = sorted(set(table.skill_indices[table.skill_indptr[r] : table.skill_indptr[r + 1]].tolist()))
        per = []
        for s in skills:
            right, n = seen.get((learner, s), [0, 0])
            per.append([np.log1p(right), np.log1p(n - right), (right + 1) / (n + 2) - 0.5])
        right, n = overall.get(learner, [0, 0])
        want = [*np.mean(per, axis=0), np.log1p(right), np.log1p(n - right), (right + 1) / (n + 2) - 0.5]
        np.testing.assert_allclose(feats[r], want, atol=1e-12)
        y = int(table.correct[r])
        for s in skills:
            seen[(learner, s)] = [
                seen.get((learner, s), [0, 0])[0] + y,
                seen.get((learner, s), [0, 0])[1] + 1,
            ]
        overall[learner] = [right + y, n + 1]


def test_without_features_the_model_reads_attention_only() -> None:
    model = hand_made()
    plain = AttentionKT(**{**model.get_params(), "features": False})
    plain.items_, plain.skills_ = model.items_, model.skills_
    plain.weights_ = {**model.weights_, "hid_w": model.weights_["hid_w"][:, :16].copy()}
    table = synthetic_attempts(np.random.default_rng(12))
    p = plain.predict_proba(table)
    assert not np.allclose(p, model.predict_proba(table))
    again = model_from_dict(json.loads(json.dumps(plain.to_dict())))
    np.testing.assert_array_equal(again.predict_proba(table), p)
    with pytest.raises(ValidationError, match="features"):
        model_from_dict({**plain.to_dict(), "hyperparameters": {**plain.get_params(), "features": True}})


def test_only_the_last_context_rows_matter() -> None:
    table = synthetic_attempts(np.random.default_rng(5))
    model = hand_made()
    model.weights_["hid_w"][:, 16:] = 0.0  # the history counts see every earlier row; switch them off
    base = model.predict_proba(table)
    first = np.flatnonzero(table.learner == 0)
    flipped = table.correct.copy()
    flipped[first[2]] ^= 1
    changed = model.predict_proba(AttemptTable(**{**vars(table), "correct": flipped}))
    np.testing.assert_array_equal(changed[: first[2] + 1], base[: first[2] + 1])  # no look-ahead
    assert not np.allclose(changed[first[3] : first[2] + 7], base[first[3] : first[2] + 7])
    # six rows later the flipped answer has left the window; other learners never see it
    np.testing.assert_array_equal(changed[first[2] + 7 :], base[first[2] + 7 :])


def test_json_round_trip_keeps_weights_and_predictions() -> None:
    model = hand_made()
    data = json.loads(json.dumps(model.to_dict()))
    again = model_from_dict(data)
    assert isinstance(again, AttentionKT)
    for k, v in model.weights_.items():
        np.testing.assert_array_equal(again.weights_[k], v)
    table = synthetic_attempts(np.random.default_rng(6))
    np.testing.assert_array_equal(again.predict_proba(table), model.predict_proba(table))
    assert again.to_dict() == data


def test_unknown_items_and_skills_fall_back_and_mastery_has_an_interval() -> None:
    table = synthetic_attempts(np.random.default_rng(4), n_items=14, n_skills=4)
    model = hand_made()
    assert np.isfinite(model.predict_proba(table)).all()  # item12, item13 and skill3 are unknown
    state = model.init_state()
    assert model.mastery(state) == {}
    for a in table_attempts(table)[:10]:
        before = json.dumps(state)
        new = model.update(state, a)
        assert json.dumps(state) == before and json.loads(json.dumps(new)) == new
        state = new
    assert 0.0 < model.p_correct(state, ("no-such-skill",)) < 1.0
    for m in model.mastery(state).values():
        assert 0.0 <= m.low <= m.p_mastery <= m.high <= 1.0 and m.n_attempts >= 1


def test_unfitted_and_corrupt_models_say_so() -> None:
    table = synthetic_attempts(np.random.default_rng(8))
    with pytest.raises(NotFittedError):
        AttentionKT().predict_proba(table)
    data = hand_made().to_dict()
    data["params"]["weights"]["wq"]["data"] = "not base64!"
    with pytest.raises(ValidationError, match=r"params\.weights\.wq"):
        model_from_dict(data)
    del data["params"]["weights"]["decay"]
    with pytest.raises(ValidationError, match="missing decay"):
        model_from_dict(data)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("heads", 0),
        ("embed", 30),
        ("context", 0),
        ("features", "yes"),
        ("dropout", 1.0),
        ("lr", 0.0),
        ("device", "tpu"),
    ],
)
def test_bad_hyperparameters_are_named(field: str, value: object) -> None:
    with pytest.raises(ValidationError) as exc:
        AttentionKT(**{field: value})._validate()  # embed 30 is not a multiple of 4 heads
    assert field in str(exc.value.errors[0].field)


def test_without_torch_the_registry_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "torch", None)
    with pytest.raises(ValidationError, match=r"pip install 'learnpath\[torch\]'"):
        build_model("attn")
    with pytest.raises(ValidationError, match=r"pip install 'learnpath\[torch\]'"):
        AttentionKT(max_epochs=1).fit(synthetic_attempts(np.random.default_rng(9)))
    again = model_from_dict(json.loads(json.dumps(hand_made().to_dict())))
    assert again.predict_proba(synthetic_attempts(np.random.default_rng(9))).shape == (24 * 16,)
