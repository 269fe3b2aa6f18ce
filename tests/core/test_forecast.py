"""The goal forecast (core/forecast.py): golden values, the range, the status, and its monotone properties."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from learnpath.core.forecast import MAX_DAYS, forecast_goal, weekly_counts
from learnpath.core.goals import Approval, check_transition, is_agreed, may_approve, pending_approvers
from learnpath.errors import PermissionDeniedError, ValidationError

TODAY = date(2026, 9, 1)
weeks = st.lists(st.integers(0, 300), min_size=1, max_size=8)
work = st.floats(0.0, 5000.0, allow_nan=False)


def test_golden_forecast() -> None:
    f = forecast_goal(40.0, [10, 10, 10, 10], TODAY, target=date(2026, 10, 1))
    # 40 attempts at 10 a week: 4 weeks; no spread between weeks: 3 to 5 weeks
    assert f.expected == TODAY + timedelta(days=28)
    assert f.low == TODAY + timedelta(days=21) and f.high == TODAY + timedelta(days=35)
    assert f.status == "on_track" and f.attempts_per_week == 10.0 and f.recent_attempts == 40
    late = forecast_goal(40.0, [10, 10, 10, 10], TODAY, target=date(2026, 9, 20))
    assert late.status == "at_risk"
    assert forecast_goal(40.0, [10, 10, 10, 10], TODAY).status == "on_track"
    assert f.to_dict() == {
        "date": "2026-09-29",
        "low": "2026-09-22",
        "high": "2026-10-06",
        "status": "on_track",
    }


def test_met_and_unknown_say_so() -> None:
    assert forecast_goal(0.0, [0, 0], TODAY).status == "met"
    assert forecast_goal(12.0, [5, 5], TODAY, met=True).status == "met"
    unknown = forecast_goal(12.0, [0, 1, 0, 2], TODAY, target=TODAY)
    assert (unknown.status, unknown.expected, unknown.low, unknown.high) == ("unknown", None, None, None)
    assert forecast_goal(1e9, [5, 5], TODAY).high == TODAY + timedelta(days=MAX_DAYS)


def test_bad_input_is_refused() -> None:
    with pytest.raises(ValidationError):
        forecast_goal(-1.0, [5], TODAY)
    with pytest.raises(ValidationError):
        forecast_goal(1.0, [-5], TODAY)
    with pytest.raises(ValidationError):
        weekly_counts([], datetime(2026, 9, 1, tzinfo=UTC), 0)


def test_weekly_counts() -> None:
    now = datetime(2026, 9, 29, 12, tzinfo=UTC)
    times = [now - timedelta(days=d) for d in (0.5, 1, 8, 15, 27, 28.5, -1)]
    assert weekly_counts(times, now, 4) == [1, 1, 1, 2]


@given(work, work, weeks)
def test_more_work_never_gives_an_earlier_date(a: float, b: float, weekly: list[int]) -> None:
    small, big = sorted((a, b))
    f1, f2 = forecast_goal(small, weekly, TODAY), forecast_goal(big, weekly, TODAY)
    if f1.expected and f2.expected and f1.low and f2.low and f1.high and f2.high:
        assert f1.expected <= f2.expected and f1.low <= f2.low and f1.high <= f2.high
    assert f1.low is None or f1.low <= f1.expected <= f1.high  # type: ignore[operator]


@given(work, weeks, st.integers(0, 7), st.integers(1, 100))
def test_faster_pace_never_gives_a_later_date(left: float, weekly: list[int], at: int, more: int) -> None:
    faster = list(weekly)
    faster[at % len(faster)] += more
    slow, fast = forecast_goal(left, weekly, TODAY), forecast_goal(left, faster, TODAY)
    if slow.expected is not None:
        assert fast.expected is not None and fast.expected <= slow.expected
    if slow.status == "met":
        assert fast.status == "met"


@given(work, weeks, st.integers(2, 5))
def test_scaling_practice_up_moves_the_whole_range_earlier(left: float, weekly: list[int], k: int) -> None:
    slow, fast = forecast_goal(left, weekly, TODAY), forecast_goal(left, [c * k for c in weekly], TODAY)
    if slow.expected is not None:
        assert fast.low <= slow.low and fast.high <= slow.high  # type: ignore[operator]


def test_goal_moves_and_agreement() -> None:
    check_transition("draft", "proposed")
    check_transition("proposed", "draft")
    check_transition("agreed", "met")
    with pytest.raises(ValidationError, match="a draft goal cannot become agreed"):
        check_transition("draft", "agreed")
    with pytest.raises(ValidationError, match="unknown goal state"):
        check_transition("draft", "finished")
    teacher, family = Approval(1, "teacher"), Approval(2, "family")
    assert not is_agreed([teacher], has_family=True) and is_agreed([teacher], has_family=False)
    assert is_agreed([teacher, family], has_family=True) and not is_agreed([family], has_family=True)
    assert is_agreed([Approval(3, "admin"), family], has_family=True)
    assert pending_approvers([], True) == ["teacher", "family"] and pending_approvers([family], True) == [
        "teacher"
    ]
    with pytest.raises(PermissionDeniedError):
        may_approve("learner", "proposed")
    with pytest.raises(ValidationError):
        may_approve("teacher", "draft")
