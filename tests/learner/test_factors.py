"""The item-factor component of the stacked ``best`` (``learner/_factors.py``)."""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import roc_auc_score

from learnpath.errors import NotFittedError
from learnpath.learner._factors import ItemFactors, solve_spd, track
from learnpath.learner.base import AttemptTable
from learnpath.testing.synthetic import synthetic_attempts, table_attempts


def two_kinds_of_items(seed: int, n_learners: int = 160, per_learner: int = 40) -> AttemptTable:
    """Half the items need one ability, half another; a learner is good at one kind and not the other,
    so what they did on one kind says something about the next item of that kind (and nothing a
    one-dimensional ability could say: the two abilities are independent)."""
    rng = np.random.default_rng(seed)
    n_items = 30
    kind = np.arange(n_items) % 2
    ability = rng.normal(0.0, 1.5, (n_learners, 2))
    difficulty = rng.normal(0.0, 0.5, n_items)
    learner = np.repeat(np.arange(n_learners, dtype=np.int64), per_learner)
    item = rng.integers(0, n_items, learner.shape[0]).astype(np.int64)
    z = ability[learner, kind[item]] - difficulty[item]
    correct = (rng.random(learner.shape[0]) < 1.0 / (1.0 + np.exp(-z))).astype(np.int8)
    n = learner.shape[0]
    return AttemptTable(
        learner=learner,
        item=item,
        skill_indptr=np.arange(n + 1, dtype=np.int64),
        skill_indices=np.zeros(
            n, dtype=np.int64
        ),  # one skill for all: skill counts cannot tell the kinds apart
        correct=correct,
        timestamp=np.tile(np.arange(per_learner, dtype=np.float64), n_learners),
        item_names=tuple(f"i{k}" for k in range(n_items)),
        skill_names=("s",),
    )


def test_factors_find_what_the_learner_did_on_items_of_the_same_kind() -> None:
    train, test = two_kinds_of_items(1), two_kinds_of_items(2)
    model = ItemFactors().fit(train)
    auc = roc_auc_score(test.correct, model.predict_proba(test))
    # the item's base rate alone (what the component has without factors)
    rate_only = roc_auc_score(test.correct, model.item_p_[test.item])
    assert model.factors_.shape == (30, 8)
    assert model.coef_[1] > 0  # the predicted residual pushes the right way
    assert auc > rate_only + 0.05


@settings(max_examples=30, deadline=None)
@given(st.integers(1, 6), st.floats(0.01, 10.0), st.integers(0, 2**31 - 1))
def test_solve_spd_solves_the_ridge_system(k: int, ridge: float, seed: int) -> None:
    rng = np.random.default_rng(seed)
    m = rng.normal(size=(k + 3, k))
    a = m.T @ m
    b = rng.normal(size=k)
    np.testing.assert_allclose(solve_spd(a, b, ridge), np.linalg.solve(a + ridge * np.eye(k), b), atol=1e-9)


def test_track_uses_only_the_learners_earlier_rows() -> None:
    rng = np.random.default_rng(0)
    learner = np.repeat(np.arange(3, dtype=np.int64), 5)
    v = rng.normal(size=(15, 2))
    residual = rng.normal(size=15)
    f = track(learner, v, residual, 1.0)
    assert (f[[0, 5, 10]] == 0.0).all()  # nothing known before a learner's first row
    # row 7 by hand: the ridge fit of rows 5 and 6
    a, b = v[5:7].T @ v[5:7], v[5:7].T @ residual[5:7]
    assert f[7] == pytest.approx(float(np.linalg.solve(a + np.eye(2), b) @ v[7]), abs=1e-12)
    # a later row's own answer never moves an earlier row's prediction
    changed = residual.copy()
    changed[8:] += 5.0
    np.testing.assert_array_equal(track(learner, v, changed, 1.0)[:9], f[:9])


def test_online_gives_the_batch_log_odds_and_round_trips() -> None:
    table = synthetic_attempts(np.random.default_rng(3), n_learners=30, attempts_per_learner=15)
    model = ItemFactors(k=3).fit(table)
    again = ItemFactors.from_dict(json.loads(json.dumps(model.to_dict())))
    batch = model.predict_logit(table)
    np.testing.assert_array_equal(again.predict_logit(table), batch)
    states: dict[int, dict[str, object]] = {}
    for r, fact in enumerate(table_attempts(table)):
        state = states.get(fact.learner) or again.init_state()
        assert again.logit(state, fact.item, fact.skills) == pytest.approx(float(batch[r]), abs=1e-12)
        frozen = json.dumps(state)
        states[fact.learner] = again.update(state, fact.item, fact.correct)
        assert json.dumps(state) == frozen
    # an unseen item: no factors, the overall rate; no item: the skills' average item
    state = states[int(table.learner[0])]
    assert np.isfinite(again.logit(state, "never-seen", ("never-seen-skill",)))
    assert np.isfinite(again.logit(state, None, (table.skill_names[0],)))


def test_the_same_attempts_give_the_same_factors() -> None:
    table = synthetic_attempts(np.random.default_rng(4), n_learners=40, attempts_per_learner=12)
    a, b = ItemFactors().fit(table), ItemFactors().fit(table)
    assert json.dumps(a.to_dict()) == json.dumps(b.to_dict())


def test_unfitted_is_a_clear_error() -> None:
    with pytest.raises(NotFittedError):
        ItemFactors().init_state()
