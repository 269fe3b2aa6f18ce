"""When will a learner reach a skill goal? A forecast from the work left and the learner's own recent pace.

**Work left** comes from backward design (:func:`learnpath.core.paths.path_to_goal`): the unmastered skills
on the path to the goal, each with the attempts it still needs at the learner's pace (attempts per mastered
skill, shrunk towards the class's; see ``core/paths.py``). Their sum is ``attempts_left``.

**Pace** is how much the learner practises: their attempts in each of the last ``weeks`` weeks (default 4).
With ``m`` the mean and ``s`` the standard deviation of those weekly counts::

    expected = today + attempts_left / m                 weeks
    low      = today + attempts_left * (1 - 0.25) / (m + s)
    high     = today + attempts_left * (1 + 0.25) / max(m - s, m / 2)

The 25% widens the range for the uncertainty in attempts per skill; ``s`` widens it for an uneven week-to-
week rhythm. So ``low <= expected <= high`` always. Dates are rounded up to whole days and capped at
:data:`MAX_DAYS` ahead.

**Status**: ``met`` when every goal skill is mastered; ``unknown`` when there is not enough recent practice to
say (fewer than :data:`MIN_RECENT_ATTEMPTS` attempts in the window; the forecast says so rather than guess);
otherwise ``on_track`` when the expected date is on or before the target date (or there is no target date)
and ``at_risk`` when it is after it.

Properties (tested with hypothesis): more work left never gives an earlier date; a faster pace (more
attempts in any week) never gives a later expected date; scaling every week's practice up never gives a
later date at either end of the range.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal

from learnpath.errors import ValidationError

__all__ = [
    "ATTEMPT_SPREAD",
    "MAX_DAYS",
    "MIN_RECENT_ATTEMPTS",
    "PACE_WEEKS",
    "Forecast",
    "ForecastStatus",
    "forecast_goal",
    "weekly_counts",
]

ForecastStatus = Literal["on_track", "at_risk", "met", "unknown"]

PACE_WEEKS = 4
MIN_RECENT_ATTEMPTS = 5
ATTEMPT_SPREAD = 0.25
MAX_DAYS = 5 * 366


@dataclass(frozen=True)
class Forecast:
    """The expected date and its range (None when met or unknown), the status, and what it rests on."""

    status: ForecastStatus
    expected: date | None
    low: date | None
    high: date | None
    attempts_left: float
    attempts_per_week: float
    recent_attempts: int

    def to_dict(self) -> dict[str, str | None]:
        def iso(d: date | None) -> str | None:
            return d.isoformat() if d else None

        return {
            "date": iso(self.expected),
            "low": iso(self.low),
            "high": iso(self.high),
            "status": self.status,
        }


def weekly_counts(attempt_times: Sequence[datetime], now: datetime, weeks: int = PACE_WEEKS) -> list[int]:
    """Attempts in each of the ``weeks`` weeks before ``now`` (oldest week first); later or older ones are
    not counted."""
    if weeks < 1:
        raise ValidationError.for_field("weeks", f"must be at least 1, got {weeks}")
    counts = [0] * weeks
    span = timedelta(weeks=1)
    for t in attempt_times:
        age = now - t
        if age < timedelta(0):
            continue
        index = int(age / span)
        if index < weeks:
            counts[weeks - 1 - index] += 1
    return counts


def _after(today: date, weeks: float) -> date:
    days = min(MAX_DAYS, max(0, math.ceil(weeks * 7 - 1e-9)))
    return today + timedelta(days=days)


def forecast_goal(
    attempts_left: float,
    weekly: Sequence[int],
    today: date,
    target: date | None = None,
    *,
    met: bool = False,
) -> Forecast:
    """The forecast for a goal with ``attempts_left`` attempts of work left, given the learner's attempts in
    each recent week (see the module docstring)."""
    if attempts_left < 0 or math.isnan(attempts_left):
        raise ValidationError.for_field("attempts_left", f"must be 0 or more, got {attempts_left}")
    if any(c < 0 for c in weekly):
        raise ValidationError.for_field("weekly", "weekly attempt counts must be 0 or more")
    recent = int(sum(weekly))
    mean = recent / len(weekly) if weekly else 0.0
    if met or attempts_left == 0:
        return Forecast("met", None, None, None, 0.0, mean, recent)
    if recent < MIN_RECENT_ATTEMPTS:
        return Forecast("unknown", None, None, None, attempts_left, mean, recent)
    sd = statistics.pstdev(weekly) if len(weekly) > 1 else 0.0
    expected = _after(today, attempts_left / mean)
    low = _after(today, attempts_left * (1 - ATTEMPT_SPREAD) / (mean + sd))
    high = _after(today, attempts_left * (1 + ATTEMPT_SPREAD) / max(mean - sd, mean / 2))
    status: ForecastStatus = "on_track" if target is None or expected <= target else "at_risk"
    return Forecast(status, expected, low, high, attempts_left, mean, recent)
