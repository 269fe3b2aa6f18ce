"""The dashboard's pure computations: alerts, the class frontier, item analysis, weekly progress."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from learnpath.orchestrate.dashboard import (
    AlertRules,
    Answer,
    DayMastery,
    alerts_for,
    class_frontier,
    falling_alerts,
    inactivity_alerts,
    item_statistics,
    mastered_share,
    normalize_response,
    repeated_error_alerts,
    weekly_progress,
)

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
RULES = AlertRules()


def ans(
    learner: int,
    minute: int,
    correct: bool,
    response: str = "1",
    item: int = 1,
    skills: tuple[str, ...] = ("A",),
    duration_ms: int | None = 10_000,
    hints: int = 0,
) -> Answer:
    return Answer(
        learner, item, skills, response, correct, duration_ms, hints, T0 + timedelta(minutes=minute)
    )


def test_a_run_of_wrong_answers_raises_a_reteach_alert_since_its_first_wrong_answer() -> None:
    answers = [
        ans(1, 0, True),
        ans(1, 1, False, "7", item=1),
        ans(1, 2, False, "8", item=2),
        ans(1, 3, False, "9"),
    ]
    [alert] = repeated_error_alerts(answers, RULES)
    assert (alert.kind, alert.learner_id, alert.skill, alert.action) == ("repeated_errors", 1, "A", "reteach")
    assert alert.since == T0 + timedelta(minutes=1)
    assert alert.details == {"wrong_in_a_row": 3}


def test_the_same_wrong_answer_twice_is_a_likely_misconception() -> None:
    answers = [ans(1, 0, False, " 12 "), ans(1, 1, False, "12")]
    [alert] = repeated_error_alerts(answers, RULES)
    assert alert.action == "misconception"
    assert alert.details == {"wrong_in_a_row": 2, "item_id": 1, "answer": "12", "times": 2}


def test_a_right_answer_ends_the_run_and_two_different_wrong_answers_are_not_enough() -> None:
    assert repeated_error_alerts([ans(1, 0, False), ans(1, 1, False), ans(1, 2, True)], RULES) == []
    assert repeated_error_alerts([ans(1, 0, False, "3"), ans(1, 1, False, "4")], RULES) == []
    # the same answer to two different questions is no misconception either
    assert repeated_error_alerts([ans(1, 0, False, "b", item=1), ans(1, 1, False, "b", item=2)], RULES) == []


def test_runs_are_per_learner_and_per_skill_of_the_item() -> None:
    answers = [ans(1, m, False, str(m), skills=("A", "B")) for m in range(3)] + [ans(2, 5, False)]
    found = repeated_error_alerts(answers, RULES)
    assert sorted((a.learner_id, a.skill) for a in found) == [(1, "A"), (1, "B")]


def test_inactivity_counts_whole_days_and_never_answered_learners_come_first() -> None:
    now = T0 + timedelta(days=30)
    last = {1: now - timedelta(days=7), 2: now - timedelta(days=6, hours=23), 3: None}
    found = {a.learner_id: a for a in inactivity_alerts(last, now, RULES)}
    assert set(found) == {1, 3}
    assert found[1].details == {"days": 7} and found[1].action == "check_in" and found[1].since == last[1]
    assert found[3].since is None and found[3].action == "get_started"
    assert found[3].severity > found[1].severity


def day(n: int) -> date:
    return date(2026, 11, 1) + timedelta(days=n)


def test_a_fall_from_the_peak_within_the_window_raises_a_review_alert_since_the_day_after_the_peak() -> None:
    history = [
        DayMastery(1, "A", day(0), 0.5),
        DayMastery(1, "A", day(3), 0.8),
        DayMastery(1, "A", day(5), 0.55),
    ]
    [alert] = falling_alerts(history, day(6), RULES)
    assert (alert.kind, alert.action, alert.skill) == ("falling", "review", "A")
    assert alert.since == datetime(2026, 11, 6, tzinfo=UTC)
    assert alert.details == {"from": 0.8, "to": 0.55}
    assert alert.severity == pytest.approx(0.25)


def test_small_falls_old_falls_and_rises_raise_nothing() -> None:
    small = [DayMastery(1, "A", day(0), 0.8), DayMastery(1, "A", day(1), 0.65)]
    assert falling_alerts(small, day(2), RULES) == []
    old = [DayMastery(1, "A", day(0), 0.9), DayMastery(1, "A", day(1), 0.3)]
    assert falling_alerts(old, day(30), RULES) == []
    rise = [DayMastery(1, "A", day(0), 0.2), DayMastery(1, "A", day(1), 0.9)]
    assert falling_alerts(rise, day(2), RULES) == []


def test_the_value_the_window_starts_with_counts_as_a_peak() -> None:
    history = [DayMastery(1, "A", day(0), 0.9), DayMastery(1, "A", day(20), 0.4)]
    [alert] = falling_alerts(history, day(21), RULES)  # window starts day 7: 0.9 was the value then
    assert alert.since == datetime(2026, 11, 21, tzinfo=UTC)


def test_alerts_come_most_urgent_first() -> None:
    now = T0 + timedelta(days=1)
    answers = [ans(1, m, False, str(m)) for m in range(4)] + [ans(2, m, False, str(m)) for m in range(3)]
    history = [DayMastery(3, "A", day(0), 0.9), DayMastery(3, "A", day(1), 0.2)]
    found = alerts_for(answers, {1: now, 2: now, 3: now, 4: None}, history, now, RULES)
    assert [(a.kind, a.learner_id) for a in found] == [
        ("repeated_errors", 1),
        ("repeated_errors", 2),
        ("falling", 3),
        ("inactive", 4),
    ]


def test_rules_refuse_impossible_thresholds_naming_them() -> None:
    with pytest.raises(ValueError, match="wrong_streak must be at least 2, got 1"):
        AlertRules(wrong_streak=1, same_wrong=2)
    with pytest.raises(ValueError, match="falling_drop"):
        AlertRules(falling_drop=1.5)
    with pytest.raises(ValueError, match="inactive_days"):
        AlertRules(inactive_days=0)


def test_normalize_response_ignores_case_and_spacing() -> None:
    assert (
        normalize_response("  Three   Quarters ") == normalize_response("three quarters") == "three quarters"
    )


def test_the_frontier_is_what_most_of_the_class_is_ready_for() -> None:
    order = ["A", "B", "C", "D"]
    prereqs = {"B": ["A"], "C": ["B"], "D": ["A", "C"]}
    share = mastered_share({1: {"A"}, 2: {"A", "B"}, 3: {"A"}}, [1, 2, 3], order)
    assert share == {"A": 1.0, "B": pytest.approx(1 / 3), "C": 0.0, "D": 0.0}
    assert class_frontier(order, prereqs, share) == ["B"]
    assert class_frontier(order, prereqs, mastered_share({}, [1, 2], order)) == ["A"]
    assert mastered_share({}, [], order)["A"] == 0.0


def test_item_statistics_use_first_attempts_for_the_p_value() -> None:
    answers = [
        ans(1, 0, False, "5", duration_ms=4000, hints=1),
        ans(1, 1, True, duration_ms=6000),
        ans(2, 0, True, duration_ms=None),
        ans(3, 0, False, "5 "),
        ans(3, 1, False, "6"),
        ans(1, 0, True, item=2),
    ]
    stats = {s.item_id: s for s in item_statistics(answers)}
    one = stats[1]
    assert (one.n_attempts, one.n_learners) == (5, 3)
    assert one.p_value == pytest.approx(1 / 3) and one.p_correct == pytest.approx(2 / 5)
    assert one.median_s == pytest.approx(8.0)  # 4, 6, 10, 10 s: the answer without a time is left out
    assert one.hint_share == pytest.approx(1 / 5)
    assert one.wrong_answers == (("5", 2), ("6", 1))
    assert [s.item_id for s in item_statistics(answers)] == [1, 2], "hardest first"


answer_lists = st.lists(
    st.builds(
        ans,
        learner=st.integers(1, 4),
        minute=st.integers(0, 500),
        correct=st.booleans(),
        response=st.sampled_from(["1", "2", " 2", "x", ""]),
        item=st.integers(1, 3),
        skills=st.sampled_from([("A",), ("B",), ("A", "B")]),
        duration_ms=st.one_of(st.none(), st.integers(0, 100_000)),
        hints=st.integers(0, 2),
    ),
    max_size=40,
)


@settings(max_examples=60)
@given(answer_lists)
def test_item_statistics_account_for_every_answer(answers: list[Answer]) -> None:
    stats = item_statistics(answers)
    assert sum(s.n_attempts for s in stats) == len(answers)
    for s in stats:
        assert 0 <= s.p_value <= 1 and 0 <= s.p_correct <= 1 and 0 <= s.hint_share <= 1
        n_wrong = sum(1 for a in answers if a.item_id == s.item_id and not a.correct)
        assert sum(n for _, n in s.wrong_answers) <= n_wrong


@settings(max_examples=60)
@given(answer_lists)
def test_no_repeated_error_alert_after_a_right_answer(answers: list[Answer]) -> None:
    for alert in repeated_error_alerts(answers, RULES):
        on_skill = sorted(
            (a for a in answers if a.learner_id == alert.learner_id and alert.skill in a.skills),
            key=lambda a: a.at,
        )
        assert alert.since is not None
        assert not any(a.correct for a in on_skill if a.at >= alert.since)
        assert int(alert.details["wrong_in_a_row"]) >= RULES.same_wrong


history_lists = st.lists(
    st.builds(
        DayMastery,
        learner_id=st.integers(1, 3),
        skill=st.sampled_from(["A", "B", "C"]),
        day=st.integers(0, 60).map(day),
        p_mastery=st.floats(0, 1),
    ),
    max_size=40,
    unique_by=lambda h: (h.learner_id, h.skill, h.day),
)


@settings(max_examples=60)
@given(history_lists, st.integers(1, 12))
def test_weekly_progress_ends_with_the_latest_values(history: list[DayMastery], weeks: int) -> None:
    today = day(60)
    points = weekly_progress(history, 3, today, weeks, 0.95)
    assert len(points) == weeks and points[-1].week_end == today
    latest: dict[tuple[int, str], DayMastery] = {}
    for h in sorted(history, key=lambda h: h.day):
        latest[(h.learner_id, h.skill)] = h
    assert points[-1].n_mastered == sum(1 for h in latest.values() if h.p_mastery >= 0.95)
    if latest:
        mean = sum(h.p_mastery for h in latest.values()) / len(latest)
        assert points[-1].mean_p == pytest.approx(mean)
    for p in points:
        assert p.mean_p is None or 0 <= p.mean_p <= 1 + 1e-9
        assert p.mastered_per_learner == pytest.approx(p.n_mastered / 3)


def test_weekly_progress_needs_a_week() -> None:
    with pytest.raises(ValueError, match="weeks must be at least 1"):
        weekly_progress([], 1, day(0), 0, 0.95)
