"""BKT: golden values, EM against brute force and known parameters, bounds, online/batch agreement."""

from __future__ import annotations

import itertools
import json
import math
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from learnpath.core.evidence import Attempt
from learnpath.errors import NotFittedError, ValidationError
from learnpath.learner.base import AttemptTable
from learnpath.learner.bkt import BKT, BKTParams, simulate_attempts
from learnpath.testing.conformance import LearnerModelTests

T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
HAND = BKTParams(prior=0.3, learn=0.2, guess=0.1, slip=0.2, forget=0.05)


Row = tuple[int, str, tuple[str, ...], int]


def table(rows: Sequence[Row], hints: Sequence[float] | None = None) -> AttemptTable:
    """Rows of (learner, item, skills, correct), already sorted by learner then time."""
    items = tuple(dict.fromkeys(r[1] for r in rows))
    skills = tuple(dict.fromkeys(s for r in rows for s in r[2]))
    indptr = np.cumsum([0, *(len(r[2]) for r in rows)]).astype(np.int64)
    return AttemptTable(
        learner=np.array([r[0] for r in rows], dtype=np.int64),
        item=np.array([items.index(r[1]) for r in rows], dtype=np.int64),
        skill_indptr=indptr,
        skill_indices=np.array([skills.index(s) for r in rows for s in r[2]], dtype=np.int64),
        correct=np.array([r[3] for r in rows], dtype=np.int8),
        timestamp=np.arange(len(rows), dtype=np.float64),
        item_names=items,
        skill_names=skills,
        hints=None if hints is None else np.array(hints, dtype=np.float64),
    )


def start_at(prm: BKTParams, **hyper: Any) -> BKT:
    return BKT(prm.prior, prm.learn, prm.guess, prm.slip, prm.forget, **hyper)


def with_params(params: dict[str, BKTParams], **hyper: Any) -> BKT:
    model = BKT(**hyper)
    model.params_ = dict(params)
    return model


class TestBKTContract(LearnerModelTests):
    model_factory = staticmethod(lambda: BKT(forgets=True, rng=0))


class TestBKTItemGuessSlipContract(LearnerModelTests):
    model_factory = staticmethod(lambda: BKT(multigs=True, n_restarts=2, rng=0))


# -- golden values ----------------------------------------------------------------------------
# prior .3, learn .2, guess .1, slip .2, forget .05; answers correct, wrong, correct:
#   P(c1) = .3*.8 + .7*.1 = .31;  post = .24/.31;  p2 = post*.95 + (1-post)*.2 = 121/155
#   P(c2) = 121/155*.8 + 34/155*.1 = 501/775;  post = (121/155*.2)/(274/775);  p3 = 2911/5480
#   P(c3) = 2911/5480*.8 + 2569/5480*.1 = 25857/54800;  p4 = 37729/43095
GOLDEN_P_CORRECT = [31 / 100, 501 / 775, 25857 / 54800]
GOLDEN_P_AFTER = [121 / 155, 2911 / 5480, 37729 / 43095]
GOLDEN_LL = math.log(31 / 100) + math.log(1 - 501 / 775) + math.log(25857 / 54800)
HAND_ROWS: list[Row] = [(0, "q1", ("a",), 1), (0, "q2", ("a",), 0), (0, "q3", ("a",), 1)]


def test_predict_proba_matches_hand_computed_values() -> None:
    model = with_params({"a": HAND})
    assert model.predict_proba(table(HAND_ROWS)) == pytest.approx(GOLDEN_P_CORRECT, abs=1e-12)


def test_online_update_matches_hand_computed_values() -> None:
    model = with_params({"a": HAND})
    state = model.init_state()
    for k, (_, item, skills, correct) in enumerate(HAND_ROWS):
        assert model.p_correct(state, skills) == pytest.approx(GOLDEN_P_CORRECT[k], abs=1e-12)
        state = model.update(state, Attempt(0, item, skills, bool(correct), T0 + timedelta(minutes=k)))
        assert model.p_mastery(state, "a") == pytest.approx(GOLDEN_P_AFTER[k], abs=1e-12)
    assert state["skills"]["a"]["n"] == 3 and state["skills"]["a"]["c"] == 2


def test_em_log_likelihood_matches_hand_computed_value() -> None:
    # max_iter=1: one E-step at the starting values, no M-step
    model = start_at(HAND, forgets=True, n_restarts=1, max_iter=1, reg=0.0).fit(table(HAND_ROWS))
    assert model.log_likelihood_["a"] == pytest.approx(GOLDEN_LL, abs=1e-12)
    assert model.params_["a"] == HAND


def brute_force_em_step(seqs: list[list[int]], prm: BKTParams) -> BKTParams:
    """One Baum-Welch update by enumerating every hidden path (2**T per sequence)."""
    n = {k: 0.0 for k in ("first", "m_first", "n01", "n0", "n10", "n1", "u", "uc", "m", "mw")}
    A = {(0, 0): 1 - prm.learn, (0, 1): prm.learn, (1, 0): prm.forget, (1, 1): 1 - prm.forget}
    for seq in seqs:
        paths = {}
        for z in itertools.product((0, 1), repeat=len(seq)):
            w = prm.prior if z[0] else 1 - prm.prior
            for t, o in enumerate(seq):
                if t:
                    w *= A[z[t - 1], z[t]]
                pc = 1 - prm.slip if z[t] else prm.guess
                w *= pc if o else 1 - pc
            paths[z] = w
        total = sum(paths.values())
        for z, w in paths.items():
            w /= total
            n["first"] += w
            n["m_first"] += w * z[0]
            for t, o in enumerate(seq):
                if t < len(seq) - 1:
                    n["n0" if z[t] == 0 else "n1"] += w
                    n["n01"] += w * (z[t] == 0 and z[t + 1] == 1)
                    n["n10"] += w * (z[t] == 1 and z[t + 1] == 0)
                n["u"] += w * (z[t] == 0)
                n["uc"] += w * (z[t] == 0 and o == 1)
                n["m"] += w * (z[t] == 1)
                n["mw"] += w * (z[t] == 1 and o == 0)
    return BKTParams(
        n["m_first"] / n["first"], n["n01"] / n["n0"], n["uc"] / n["u"], n["mw"] / n["m"], n["n10"] / n["n1"]
    )


def test_one_em_step_matches_brute_force_enumeration() -> None:
    seqs = [[0, 0, 1, 1], [1, 0, 1], [0, 1, 1, 1, 0], [1]]
    rows: list[Row] = [(q, f"i{t}", ("a",), o) for q, seq in enumerate(seqs) for t, o in enumerate(seq)]
    start = BKTParams(prior=0.4, learn=0.3, guess=0.2, slip=0.15, forget=0.1)
    model = start_at(start, forgets=True, n_restarts=1, max_iter=2, tol=0.0, reg=0.0)
    got = model.fit(table(rows)).params_["a"]
    want = brute_force_em_step(seqs, start)
    for k, v in want.to_dict().items():
        assert getattr(got, k) == pytest.approx(v, abs=1e-10), k


# -- fitting ----------------------------------------------------------------------------------
TRUE = {
    "add": BKTParams(prior=0.2, learn=0.15, guess=0.2, slip=0.1, forget=0.0),
    "sub": BKTParams(prior=0.4, learn=0.1, guess=0.25, slip=0.08, forget=0.05),
    "mul": BKTParams(prior=0.1, learn=0.25, guess=0.15, slip=0.12, forget=0.03),
}


@pytest.fixture(scope="module")
def synthetic() -> AttemptTable:
    return simulate_attempts(TRUE, n_learners=2000, attempts_per_learner=40, rng=7)


def test_em_recovers_known_parameters(synthetic: AttemptTable) -> None:
    model = BKT(forgets=True, rng=1).fit(synthetic)
    for skill, true in TRUE.items():
        got = model.params_[skill]
        for k in ("prior", "learn", "guess", "slip", "forget"):
            assert getattr(got, k) == pytest.approx(getattr(true, k), abs=0.04), (skill, k)


def test_restarts_keep_the_best_likelihood(synthetic: AttemptTable) -> None:
    model = BKT(forgets=True, n_restarts=4, reg=0.0, max_iter=15, rng=3).fit(synthetic)
    assert model.restart_scores_.shape == (4, 3)
    for j, skill in enumerate(model.skills_):
        assert model.log_likelihood_[skill] == pytest.approx(model.restart_scores_[:, j].max(), abs=1e-9)
    single = BKT(forgets=True, n_restarts=1, reg=0.0, max_iter=15, rng=3).fit(synthetic)
    for skill in model.skills_:
        assert model.log_likelihood_[skill] >= single.log_likelihood_[skill] - 1e-9


def test_fit_is_reproducible_and_thread_count_free(synthetic: AttemptTable) -> None:
    a = BKT(forgets=True, rng=5, n_jobs=1, n_restarts=2, max_iter=20).fit(synthetic)
    b = BKT(forgets=True, rng=np.random.default_rng(5), n_jobs=2, n_restarts=2, max_iter=20).fit(synthetic)
    assert a.params_ == b.params_
    assert np.array_equal(a.restart_scores_, b.restart_scores_)


def test_bounds_hold_when_data_push_past_them(rng: np.random.Generator) -> None:
    # answers at random with P(correct) = .8: the unconstrained fit would put guess near .8
    n = 4000
    learner = np.sort(rng.integers(0, 200, n))
    rows: list[Row] = [
        (int(lr), "q", ("a",), int(c)) for lr, c in zip(learner, rng.random(n) < 0.8, strict=True)
    ]
    model = BKT(max_guess=0.3, max_slip=0.2, forgets=True, rng=rng).fit(table(rows))
    prm = model.params_["a"]
    assert prm.guess <= 0.3 and prm.slip <= 0.2
    assert all(0.0 <= v <= 1.0 for v in prm.to_dict().values())


def test_multigs_learns_item_guess_and_slip_and_falls_back_for_new_items() -> None:
    data = simulate_attempts(TRUE, n_learners=300, attempts_per_learner=20, rng=2, items_per_skill=3)
    model = BKT(multigs=True, rng=0).fit(data)
    assert set(model.item_params_["add"]) == {"add/0", "add/1", "add/2"}
    assert all(
        g <= model.max_guess and s <= model.max_slip
        for v in model.item_params_.values()
        for g, s in v.values()
    )
    rows: list[Row] = [(0, "add/1", ("add",), 1), (0, "new", ("add",), 1)]
    p = model.predict_proba(table(rows))
    g1, s1 = model.item_params_["add"]["add/1"]
    prior = model.params_["add"].prior
    assert p[0] == pytest.approx(prior * (1 - s1) + (1 - prior) * g1)
    state = model.update(model.init_state(), Attempt(0, "add/1", ("add",), True, T0))
    assert model.predict_proba(table(rows))[1] == pytest.approx(model.p_correct(state, ("add",)))


def test_unseen_skills_use_the_defaults(synthetic: AttemptTable) -> None:
    model = BKT(prior=0.5, guess=0.2, slip=0.1, rng=0, n_restarts=1).fit(synthetic)
    assert model.predict_proba(table([(9, "x", ("new skill",), 1)]))[0] == pytest.approx(
        0.5 * 0.9 + 0.5 * 0.2
    )


# -- batch and online agree -----------------------------------------------------------------
def test_predict_proba_replays_the_online_update() -> None:
    rows: list[Row] = [
        (1, "q1", ("a", "b"), 1),
        (1, "q2", ("b",), 0),
        (1, "q3", ("a",), 1),
        (2, "q1", ("a", "b"), 0),
        (2, "q4", ("c",), 1),
        (2, "q2", ("b",), 1),
    ]
    hints = [0, 0, 2, 0, 0, 0]  # row 3: correct after hints counts as wrong
    model = with_params({"a": HAND, "b": BKTParams(0.5, 0.1, 0.25, 0.05, 0.0)})
    batch = model.predict_proba(table(rows, hints))
    states: dict[int, dict[str, object]] = {}
    for k, (learner, item, skills, correct) in enumerate(rows):
        state = states.get(learner, model.init_state())
        assert batch[k] == pytest.approx(model.p_correct(state, skills), abs=1e-12)
        attempt = Attempt(
            learner, item, skills, bool(correct), T0 + timedelta(minutes=k), hints_used=hints[k]
        )
        states[learner] = model.update(state, attempt)


def test_update_does_not_change_its_input() -> None:
    model = with_params({"a": HAND})
    state = model.update(model.init_state(), Attempt(0, "q", ("a",), True, T0))
    frozen = json.dumps(state, sort_keys=True)
    model.update(state, Attempt(0, "q", ("a",), False, T0 + timedelta(minutes=1)))
    assert json.dumps(state, sort_keys=True) == frozen


prob = st.floats(0.0, 1.0)
below_half = st.floats(0.0, 0.49)


@settings(max_examples=200, deadline=None)
@given(p=prob, learn=prob, guess=below_half, slip=below_half, forget=prob, hints=st.integers(0, 2))
def test_correct_answer_never_lowers_mastery(
    p: float, learn: float, guess: float, slip: float, forget: float, hints: int
) -> None:
    forget = min(
        forget, 1.0 - learn
    )  # learn + forget <= 1 keeps the transition order-preserving (fit enforces it)
    prm = BKTParams(prior=0.5, learn=learn, guess=guess, slip=slip, forget=forget)
    model = with_params({"a": prm})
    state = {"model": "bkt", "skills": {"a": {"p": p, "n": 1, "c": 0, "last_at": T0.isoformat()}}}

    def after(correct: bool, forget_: float = forget) -> float:
        m = with_params({"a": BKTParams(0.5, learn, guess, slip, forget_)})
        new = m.update(state, Attempt(0, "q", ("a",), correct, T0, hints_used=hints if correct else 0))
        return m.p_mastery(new, "a")

    right, wrong = after(True), after(False)
    assert 0.0 <= wrong <= right + 1e-12 <= 1.0 + 1e-12
    if hints == 0:  # without forgetting, a correct answer never lowers P(mastery) below where it was
        assert after(True, 0.0) >= p - 1e-12
    assert model.p_mastery(state, "a") == p


# -- contract ---------------------------------------------------------------------------------
def test_to_dict_round_trips_through_json(synthetic: AttemptTable) -> None:
    model = BKT(forgets=True, multigs=True, rng=4, n_restarts=2).fit(synthetic)
    again = BKT.from_dict(json.loads(json.dumps(model.to_dict())))
    assert again.params_ == model.params_ and again.item_params_ == model.item_params_
    assert again.get_params() == model.get_params()
    assert np.array_equal(again.predict_proba(synthetic), model.predict_proba(synthetic))


def test_predict_before_fit_raises() -> None:
    with pytest.raises(NotFittedError):
        BKT().predict_proba(table(HAND_ROWS))


def test_unsorted_rows_are_refused() -> None:
    rows: list[Row] = [(2, "q", ("a",), 1), (1, "q", ("a",), 0)]
    with pytest.raises(ValidationError, match="row 1"):
        BKT().fit(table(rows))


def test_bad_hyperparameters_are_all_reported() -> None:
    with pytest.raises(ValidationError) as exc:
        BKT(max_guess=0.6, n_restarts=0, guess=0.7).fit(table(HAND_ROWS))
    assert {e.field for e in exc.value.errors} >= {"max_guess", "n_restarts", "guess"}
