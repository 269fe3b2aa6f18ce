"""PFA, Best-LR and Best-LR+: the shared contract, causal features, online = batch, golden values."""

from __future__ import annotations

import json
from datetime import timedelta

import numpy as np
import pytest

from learnpath.core.evidence import Attempt
from learnpath.errors import ValidationError
from learnpath.learner._features import pattern_code, table_history
from learnpath.learner.base import AttemptTable, LearnerState
from learnpath.learner.bkt import BKT
from learnpath.learner.logistic import PFA, BestLR, BestLRPlus, BestLRPlusWindows, LogisticModel
from learnpath.learner.registry import build_model, model_from_dict
from learnpath.testing.conformance import LearnerModelTests
from learnpath.testing.synthetic import T0, synthetic_attempts, table_attempts


class TestPFAContract(LearnerModelTests):
    model_factory = PFA
    monotone_mastery = False  # learned per-skill weights on wins may be negative; nothing forces them up


class TestBestLRContract(LearnerModelTests):
    model_factory = BestLR
    monotone_mastery = False


class TestBestContract(LearnerModelTests):
    model_factory = BestLRPlusWindows
    monotone_mastery = False  # streak and last-outcome features can outweigh one more right answer


def tiny() -> AttemptTable:
    """Two learners; learner 0 answers i0 (s0), i1 (s0+s1), i0, i2 (s1), i0 at minutes 0, 1, 2, 62, 2000."""
    return AttemptTable(
        learner=np.array([0, 0, 0, 0, 0, 1, 1], dtype=np.int64),
        item=np.array([0, 1, 0, 2, 0, 0, 0], dtype=np.int64),
        skill_indptr=np.array([0, 1, 3, 4, 5, 6, 7, 8], dtype=np.int64),
        skill_indices=np.array([0, 0, 1, 0, 1, 0, 0, 0], dtype=np.int64),
        correct=np.array([0, 1, 1, 0, 1, 1, 0], dtype=np.int8),
        timestamp=np.array([0.0, 60.0, 120.0, 3720.0, 120000.0, 0.0, 30.0]),
        item_names=("i0", "i1", "i2"),
        skill_names=("s0", "s1"),
    )


def test_history_golden_values_on_a_tiny_sequence() -> None:
    t = tiny()
    h = table_history(t, np.zeros(len(t)), recent=(2,), windows=(3600.0,))
    np.testing.assert_array_equal(h.t_n, [0, 1, 2, 3, 4, 0, 1])
    np.testing.assert_array_equal(h.t_w, [0, 0, 1, 2, 2, 0, 1])
    np.testing.assert_array_equal(h.t_recent_n[:, 0], [0, 1, 2, 2, 2, 0, 1])
    np.testing.assert_array_equal(h.t_recent_w[:, 0], [0, 0, 1, 2, 1, 0, 1])
    np.testing.assert_array_equal(h.i_n, [0, 0, 1, 0, 2, 0, 1])
    np.testing.assert_array_equal(h.i_w, [0, 0, 0, 0, 1, 0, 1])
    np.testing.assert_array_equal(h.i_last, [-1, -1, 0, -1, 1, -1, 1])
    # pairs: (r0,s0) (r1,s0) (r1,s1) (r2,s0) (r3,s1) (r4,s0) (r5,s0) (r6,s0)
    np.testing.assert_array_equal(h.pair_row, [0, 1, 1, 2, 3, 4, 5, 6])
    np.testing.assert_array_equal(h.s_n, [0, 1, 0, 2, 1, 3, 0, 1])
    np.testing.assert_array_equal(h.s_w, [0, 0, 0, 1, 1, 2, 0, 1])
    np.testing.assert_array_equal(h.s_streak_c, [0, 0, 0, 1, 1, 2, 0, 1])
    np.testing.assert_array_equal(h.s_streak_f, [0, 1, 0, 0, 0, 0, 0, 0])
    np.testing.assert_array_equal(h.s_elapsed[[1, 3, 4, 5, 7]], [60, 60, 3660, 119880, 30])
    assert np.isnan(h.s_elapsed[[0, 2, 6]]).all()
    # within the last hour, s0 before r4 (t=120000) has nothing; s1 before r3 (t=3720) had r1 at t=60 > 120
    np.testing.assert_array_equal(h.s_win_n[:, 0], [0, 1, 0, 2, 0, 0, 0, 1])
    np.testing.assert_array_equal(h.s_win_w[:, 0], [0, 0, 0, 1, 0, 0, 0, 1])
    assert h.s_pattern[5] == pattern_code([0, 1, 1]) == 2 + 2 * 3 + 1 * 9


def test_pattern_code_reads_the_last_three_outcomes_most_recent_first() -> None:
    assert pattern_code([]) == 0
    assert pattern_code([1]) == 2
    assert pattern_code([0]) == 1
    assert pattern_code([1, 1, 0, 1]) == 2 + 1 * 3 + 2 * 9


def test_hand_set_weights_give_the_exact_logistic_probability() -> None:
    data = {
        "model": "pfa",
        "hyperparameters": {"features": None, "C": 1.0, "recent": [3], "windows": [3600.0]},
        "params": {
            "blocks": ["skill", "pfa"],
            "items": ["i0"],
            "skills": ["s0"],
            "base_rate": 0.5,
            "item_p": [0.5],
            # skill easiness, then per skill: weight on earlier right answers, on earlier wrong answers
            "coef": [-1.0, 0.5, -0.25],
            "intercept": 0.2,
            "skill_item_mean": [0.0],
        },
    }
    model = model_from_dict(data)
    table = AttemptTable(
        learner=np.zeros(4, dtype=np.int64),
        item=np.zeros(4, dtype=np.int64),
        skill_indptr=np.arange(5, dtype=np.int64),
        skill_indices=np.zeros(4, dtype=np.int64),
        correct=np.array([1, 1, 0, 1], dtype=np.int8),
        timestamp=np.zeros(4),
        item_names=("i0",),
        skill_names=("s0",),
    )
    wins, fails = np.array([0, 1, 2, 2]), np.array([0, 0, 0, 1])
    expected = 1.0 / (1.0 + np.exp(-(0.2 - 1.0 + 0.5 * wins - 0.25 * fails)))
    np.testing.assert_allclose(model.predict_proba(table), expected, rtol=0, atol=1e-15)


@pytest.mark.parametrize("factory", [PFA, BestLR, BestLRPlus, BestLRPlusWindows])
def test_online_updates_give_the_same_p_correct_as_predict_proba(factory: type[LogisticModel]) -> None:
    table = synthetic_attempts(np.random.default_rng(7), n_learners=10, attempts_per_learner=25)
    # irregular times so that windows and elapsed time matter
    gaps = np.random.default_rng(8).exponential(4000.0, len(table))
    times = np.concatenate([np.cumsum(gaps[table.learner == k]) for k in np.unique(table.learner)])
    table = AttemptTable(**{**vars(table), "timestamp": times})
    model = factory(C=0.5, steps=(2, 5)).fit(table)  # short step windows: old positions get pruned
    assert factory is PFA or {"skill_windows", "skill_steps"} & set(model.blocks_)
    batch = model.predict_proba(table)
    states: dict[int, dict[str, object]] = {}
    for r, a in enumerate(table_attempts(table)):
        state = states.get(a.learner, model.init_state())
        online = model.p_correct(state, a.skills, item=a.item, at=a.at)
        assert online == pytest.approx(batch[r], abs=1e-9), r  # datetimes round to microseconds
        states[a.learner] = model.update(state, a)
    json.dumps(states)


def test_features_are_causal_future_rows_change_nothing_before_them() -> None:
    table = synthetic_attempts(np.random.default_rng(3), n_learners=8, attempts_per_learner=30)
    model = BestLRPlus().fit(table)
    full = model.predict_proba(table)
    keep = np.ones(len(table), dtype=bool)
    keep[np.flatnonzero(table.learner == 2)[10:]] = False  # learner 2 stops after ten attempts
    rows = np.flatnonzero(keep)
    lengths = np.diff(table.skill_indptr)
    pair_keep = np.repeat(keep, lengths)
    cut = AttemptTable(
        **{
            **vars(table),
            "learner": table.learner[rows],
            "item": table.item[rows],
            "correct": table.correct[rows],
            "timestamp": table.timestamp[rows],
            "skill_indptr": np.r_[0, np.cumsum(lengths[rows])].astype(np.int64),
            "skill_indices": table.skill_indices[pair_keep],
        }
    )
    np.testing.assert_allclose(model.predict_proba(cut), full[rows], rtol=0, atol=1e-12)


def test_first_attempt_of_each_learner_sees_no_history() -> None:
    table = synthetic_attempts(np.random.default_rng(5))
    model = BestLRPlus().fit(table)
    p = model.predict_proba(table)
    first = np.r_[True, table.learner[1:] != table.learner[:-1]]
    state = model.init_state()
    for r in np.flatnonzero(first):
        a = table_attempts(table)[r]
        assert p[r] == pytest.approx(model.p_correct(state, a.skills, item=a.item, at=a.at), abs=1e-12)


def test_mastery_inverts_p_correct_through_the_skills_guess_and_slip_and_rises_with_practice() -> None:
    table = synthetic_attempts(np.random.default_rng(11), n_learners=40, attempts_per_learner=30)
    model = BestLR().fit(table)
    bkt = BKT().fit(table).params_for("skill0")
    ix = model.skills_.index("skill0")
    assert (model.skill_guess_[ix], model.skill_slip_[ix]) == pytest.approx((bkt.guess, bkt.slip), abs=1e-3)

    def practise(n: int) -> LearnerState:
        state = model.init_state()
        for k in range(n):
            at = T0 + timedelta(minutes=k)
            state = model.update(state, Attempt(1, "item0", ("skill0",), True, at))
        return state

    state = practise(6)
    m = model.mastery(state)["skill0"]
    assert m.n_attempts == 6
    p = model.p_correct(state, ("skill0",))
    g, sl = model.skill_guess_[ix], model.skill_slip_[ix]
    expected = min(1.0, max(0.0, (p - g) / max(1.0 - sl - g, 0.2)))
    assert m.p_mastery == pytest.approx(expected)
    assert m.low <= m.p_mastery <= m.high
    assert model.mastery(practise(2))["skill0"].p_mastery <= m.p_mastery
    # a learner answering as well as the slip allows counts as knowing the skill
    assert model.mastery(practise(30))["skill0"].p_mastery >= 0.95
    # the readout survives JSON
    again = type(model).from_dict(json.loads(json.dumps(model.to_dict())))
    assert again.mastery(state)["skill0"].p_mastery == pytest.approx(m.p_mastery)


def test_unknown_items_and_skills_fall_back_to_shared_weights() -> None:
    table = synthetic_attempts(np.random.default_rng(2))
    model = BestLRPlusWindows().fit(table)
    state = model.update(
        model.init_state(),
        Attempt(learner=1, item="new-item", skills=("new-skill",), correct=True, at=T0),
    )
    p = model.p_correct(state, ("new-skill",), item="new-item")
    assert 0.0 < p < 1.0


def test_time_blocks_are_dropped_when_all_timestamps_are_equal() -> None:
    table = synthetic_attempts(np.random.default_rng(4))
    flat = AttemptTable(**{**vars(table), "timestamp": np.zeros(len(table))})
    model = BestLRPlus().fit(flat)
    assert "skill_windows" not in model.blocks_ and "skill_elapsed" not in model.blocks_
    assert "skill_windows" in BestLRPlus().fit(table).blocks_


def test_bad_hyperparameters_are_all_reported() -> None:
    with pytest.raises(ValidationError) as err:
        LogisticModel(features=("item", "nonsense"), C=0.0, recent=(0,)).fit(
            synthetic_attempts(np.random.default_rng(1))
        )
    fields = {e.field for e in err.value.errors}
    assert fields == {"features", "C", "recent"}


def test_fit_needs_both_outcomes() -> None:
    table = synthetic_attempts(np.random.default_rng(1))
    ones = AttemptTable(**{**vars(table), "correct": np.ones(len(table), dtype=np.int8)})
    with pytest.raises(ValidationError):
        PFA().fit(ones)


def test_registry_builds_every_logistic_model_by_name() -> None:
    for name, cls in (
        ("pfa", PFA),
        ("bestlr", BestLR),
        ("bestlr_plus", BestLRPlus),
        ("bestlr_plus_windows", BestLRPlusWindows),
    ):
        model = build_model(name)
        assert type(model) is cls and model.name == name


def test_from_dict_refuses_weights_of_the_wrong_size() -> None:
    model = PFA().fit(synthetic_attempts(np.random.default_rng(1)))
    data = model.to_dict()
    data["params"]["coef"] = data["params"]["coef"][:-1]
    with pytest.raises(ValidationError):
        PFA.from_dict(data)


def test_step_windows_count_the_skill_among_the_last_k_attempts_overall() -> None:
    t = tiny()
    h = table_history(t, np.zeros(len(t)), recent=(2,), windows=(), steps=(1, 2))
    assert h.s_step_n is not None and h.s_step_w is not None
    # pairs: (r0,s0) (r1,s0) (r1,s1) (r2,s0) (r3,s1) (r4,s0) (r5,s0) (r6,s0); learner positions 0,1,1,2,3,4,0,1
    np.testing.assert_array_equal(h.s_step_n[:, 0], [0, 1, 0, 1, 0, 0, 0, 1])
    np.testing.assert_array_equal(h.s_step_w[:, 0], [0, 0, 0, 1, 0, 0, 0, 1])
    np.testing.assert_array_equal(h.s_step_n[:, 1], [0, 1, 0, 2, 1, 1, 0, 1])
    np.testing.assert_array_equal(h.s_step_w[:, 1], [0, 0, 0, 1, 1, 1, 0, 1])


def test_best_ignores_the_future_shuffling_later_rows_changes_no_earlier_prediction() -> None:
    rng = np.random.default_rng(11)
    table = synthetic_attempts(rng, n_learners=8, attempts_per_learner=30)
    model = BestLRPlusWindows(steps=(2, 5)).fit(table)
    before = model.predict_proba(table)
    pos = np.arange(len(table)) - np.searchsorted(table.learner, table.learner)
    later = np.flatnonzero(pos >= 12)
    shuffled = later.copy()
    for k in np.unique(table.learner):
        mine = later[table.learner[later] == k]
        shuffled[table.learner[later] == k] = rng.permutation(mine)
    correct = table.correct.copy()
    correct[later] = 1 - table.correct[shuffled]  # other outcomes, in another order
    item = table.item.copy()
    item[later] = table.item[shuffled]
    after = model.predict_proba(AttemptTable(**{**vars(table), "correct": correct, "item": item}))
    early = pos < 12
    np.testing.assert_allclose(after[early], before[early], rtol=0, atol=1e-12)
    assert not np.allclose(after[pos >= 13], before[pos >= 13])  # the later rows do see their own past
