"""Spaced review: FSRS memories per skill, refreshed along the prerequisite graph."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from fsrs import Card, Scheduler, State

from learnpath.core.graph import SkillGraph
from learnpath.recommend.review import Memory, ReviewModel

T0 = datetime(2026, 9, 1, 8, 0, tzinfo=UTC)
MODEL = ReviewModel()


def test_retrievability_is_fsrs_own() -> None:
    m = MODEL.review(MODEL.review(None, True, T0), True, T0 + timedelta(days=3))
    card = Card(card_id=1, state=State.Review, stability=m.stability, difficulty=m.difficulty, due=m.due,
                last_review=m.last_review)  # fmt: skip
    fsrs = Scheduler(
        parameters=MODEL.parameters, learning_steps=(), relearning_steps=(), enable_fuzzing=False
    )
    for days in (0, 1, 7, 30, 365):
        at = m.last_review + timedelta(days=days)
        assert MODEL.retrievability(m, at) == pytest.approx(fsrs.get_card_retrievability(card, at), abs=1e-9)


def test_right_answers_make_memories_last_and_wrong_ones_lapse() -> None:
    first = MODEL.review(None, True, T0)
    second = MODEL.review(first, True, T0 + timedelta(days=2))
    assert second.stability > first.stability and second.reps == 2
    lapse = MODEL.review(second, False, T0 + timedelta(days=20))
    assert lapse.stability < second.stability and lapse.lapses == 1
    assert not MODEL.is_due(second, second.last_review)
    assert MODEL.is_due(second, second.last_review + timedelta(days=365))
    assert MODEL.retrievability(second, second.due) == pytest.approx(0.9, abs=0.02)
    assert Memory.from_dict(second.to_dict()) == second


def test_a_right_answer_refreshes_the_prerequisites_that_have_a_memory() -> None:
    graph = SkillGraph.build(["A", "B", "C"], [("A", "C"), ("B", "C")])
    old = {"A": MODEL.review(None, True, T0)}
    later = T0 + timedelta(days=30)
    changed = MODEL.after_answer(old, graph, ["C"], True, later)
    assert set(changed) == {"A", "C"}  # B has no memory: nothing to refresh
    assert changed["A"].last_review == later and changed["A"].stability > old["A"].stability
    assert set(MODEL.after_answer(old, graph, ["C"], False, later)) == {"C"}
    assert set(ReviewModel(refresh_prerequisites=False).after_answer(old, graph, ["C"], True, later)) == {"C"}


def test_answers_out_of_order_do_not_go_back_in_time() -> None:
    m = MODEL.review(None, True, T0)
    earlier = MODEL.review(m, True, T0 - timedelta(hours=1))
    assert earlier.last_review == T0


def test_naive_times_are_refused() -> None:
    with pytest.raises(ValueError, match="timezone"):
        MODEL.review(None, True, datetime(2026, 1, 1))
