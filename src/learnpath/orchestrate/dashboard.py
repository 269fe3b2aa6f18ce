"""The class dashboard's computations: needs-help alerts, the class frontier, item analysis, weekly progress.

Pure: the service hands in plain values (answers, mastery, daily mastery history, the prerequisite map) and
the time "now"; nothing here reads a clock or a database.

Alerts (who is stuck, on what, since when), most urgent first:

- **repeated errors**: the learner's latest answers on a skill are wrong ``wrong_streak`` times in a row, or
  ``same_wrong`` times in a row with the same wrong answer to the same question (a likely misconception);
  since the first wrong answer of that run.
- **falling mastery**: P(mastery) of a skill fell by more than ``falling_drop`` from its peak within the
  last ``falling_days`` days; since the first day after the peak.
- **inactive**: no answer for ``inactive_days`` days (or never); since the last answer.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Literal, NamedTuple

__all__ = [
    "ALERT_KINDS",
    "Alert",
    "AlertKind",
    "AlertRules",
    "Answer",
    "DayMastery",
    "ItemStats",
    "WeekPoint",
    "alerts_for",
    "class_frontier",
    "falling_alerts",
    "inactivity_alerts",
    "item_statistics",
    "mastered_share",
    "normalize_response",
    "repeated_error_alerts",
    "weekly_progress",
]

AlertKind = Literal["repeated_errors", "falling", "inactive"]
ALERT_KINDS: tuple[AlertKind, ...] = ("repeated_errors", "falling", "inactive")
Action = Literal["reteach", "misconception", "review", "check_in", "get_started"]


@dataclass(frozen=True)
class AlertRules:
    """Thresholds of the needs-help alerts (defaults from the settings ``dashboard_*``)."""

    wrong_streak: int = 3
    same_wrong: int = 2
    inactive_days: int = 7
    falling_drop: float = 0.2
    falling_days: int = 14

    def __post_init__(self) -> None:
        problems = []
        if self.wrong_streak < 2:
            problems.append(f"wrong_streak must be at least 2, got {self.wrong_streak}")
        if not 2 <= self.same_wrong <= self.wrong_streak:
            problems.append(
                f"same_wrong must be 2 to wrong_streak ({self.wrong_streak}), got {self.same_wrong}"
            )
        if self.inactive_days < 1:
            problems.append(f"inactive_days must be at least 1, got {self.inactive_days}")
        if not 0 < self.falling_drop < 1:
            problems.append(f"falling_drop must be between 0 and 1, got {self.falling_drop}")
        if self.falling_days < 1:
            problems.append(f"falling_days must be at least 1, got {self.falling_days}")
        if problems:
            raise ValueError("; ".join(problems))


class Answer(NamedTuple):
    """One answer of a learner as the dashboard sees it (an attempt with its item's skills). A named tuple:
    a class of 150 learners brings tens of thousands of them."""

    learner_id: int
    item_id: int
    skills: tuple[str, ...]
    response: str
    correct: bool
    duration_ms: int | None
    hints_used: int
    at: datetime


class DayMastery(NamedTuple):
    """A learner's P(mastery) of a skill at the end of a day with evidence."""

    learner_id: int
    skill: str
    day: date
    p_mastery: float


@dataclass(frozen=True)
class Alert:
    kind: AlertKind
    learner_id: int
    skill: str | None
    since: datetime | None
    action: Action
    severity: float
    """Larger is more urgent within a kind: wrong answers in a row, the drop, days inactive."""
    details: dict[str, str | int | float] = field(default_factory=dict)


def normalize_response(response: str) -> str:
    """An answer as compared for "the same wrong answer": trimmed, inner spaces collapsed, lower case."""
    return " ".join(response.split()).casefold()


def repeated_error_alerts(answers: Iterable[Answer], rules: AlertRules) -> list[Alert]:
    """Learners whose latest answers on a skill are a run of wrong ones (see the module docstring)."""
    runs: dict[tuple[int, str], list[Answer]] = defaultdict(list)
    for a in sorted(answers, key=lambda a: (a.learner_id, a.at)):
        for skill in a.skills:
            run = runs[(a.learner_id, skill)]
            if a.correct:
                run.clear()
            else:
                run.append(a)
    out = []
    for (learner_id, skill), run in runs.items():
        if len(run) < rules.same_wrong:
            continue
        repeated = Counter((a.item_id, normalize_response(a.response)) for a in run)
        (item_id, response), count = repeated.most_common(1)[0]
        same = count >= rules.same_wrong and response != ""
        if len(run) < rules.wrong_streak and not same:
            continue
        details: dict[str, str | int | float] = {"wrong_in_a_row": len(run)}
        if same:
            details.update(item_id=item_id, answer=response, times=count)
        out.append(
            Alert(
                "repeated_errors",
                learner_id,
                skill,
                run[0].at,
                "misconception" if same else "reteach",
                len(run) + (0.5 if same else 0.0),
                details,
            )
        )
    return out


def inactivity_alerts(
    last_answer_at: Mapping[int, datetime | None], now: datetime, rules: AlertRules
) -> list[Alert]:
    """Learners (every key) with no answer in ``inactive_days`` days; never-answered ones too."""
    out = []
    limit = timedelta(days=rules.inactive_days)
    for learner_id, last in last_answer_at.items():
        if last is None:
            out.append(Alert("inactive", learner_id, None, None, "get_started", float("inf")))
        elif now - last >= limit:
            days = (now - last).days
            out.append(Alert("inactive", learner_id, None, last, "check_in", float(days), {"days": days}))
    return out


def falling_alerts(history: Iterable[DayMastery], today: date, rules: AlertRules) -> list[Alert]:
    """Skills whose mastery fell more than ``falling_drop`` below its peak within ``falling_days`` days.

    The peak is taken over the days in the window and the value the window started with (the last day
    before it); the drop is measured to the latest value."""
    start = today - timedelta(days=rules.falling_days)
    series: dict[tuple[int, str], list[DayMastery]] = defaultdict(list)
    for h in history:
        series[(h.learner_id, h.skill)].append(h)
    out = []
    for (learner_id, skill), days in series.items():
        days.sort(key=lambda h: h.day)
        first = next((i for i, h in enumerate(days) if h.day >= start), len(days))
        window = days[max(first - 1, 0) :] if first < len(days) else []
        if len(window) < 2:
            continue
        peak_at = max(range(len(window) - 1), key=lambda i: (window[i].p_mastery, i))
        peak, latest = window[peak_at].p_mastery, window[-1].p_mastery
        drop = peak - latest
        if drop > rules.falling_drop:
            since = window[peak_at + 1].day
            out.append(
                Alert(
                    "falling",
                    learner_id,
                    skill,
                    datetime(since.year, since.month, since.day, tzinfo=UTC),
                    "review",
                    drop,
                    {"from": round(peak, 4), "to": round(latest, 4)},
                )
            )
    return out


_RANK: dict[AlertKind, int] = {"repeated_errors": 0, "falling": 1, "inactive": 2}


def alerts_for(
    answers: Iterable[Answer],
    last_answer_at: Mapping[int, datetime | None],
    history: Iterable[DayMastery],
    now: datetime,
    rules: AlertRules,
) -> list[Alert]:
    """Every alert, most urgent first: repeated errors, then falling mastery, then inactivity; within a
    kind the most severe first, then the oldest."""
    found = [
        *repeated_error_alerts(answers, rules),
        *falling_alerts(history, now.date(), rules),
        *inactivity_alerts(last_answer_at, now, rules),
    ]
    oldest = now.timestamp()
    return sorted(
        found,
        key=lambda a: (
            _RANK[a.kind],
            -a.severity,
            a.since.timestamp() if a.since else -oldest,
            a.learner_id,
            a.skill or "",
        ),
    )


def mastered_share(
    mastered: Mapping[int, set[str]], learner_ids: Sequence[int], skills: Iterable[str]
) -> dict[str, float]:
    """For each skill, the share of ``learner_ids`` who have mastered it (0 with no learners)."""
    n = len(learner_ids)
    counts: Counter[str] = Counter()
    for lid in learner_ids:
        counts.update(mastered.get(lid, set()))
    return {s: (counts[s] / n if n else 0.0) for s in skills}


def class_frontier(
    order: Sequence[str],
    prerequisites: Mapping[str, Sequence[str]],
    share: Mapping[str, float],
    most: float = 0.5,
) -> list[str]:
    """Skills the class is ready for, in ``order``: not mastered by more than ``most`` of the class, and each
    prerequisite mastered by more than ``most`` of it (the class's shared ready-to-learn frontier)."""
    return [
        s
        for s in order
        if share.get(s, 0.0) <= most and all(share.get(p, 0.0) > most for p in prerequisites.get(s, ()))
    ]


@dataclass(frozen=True)
class ItemStats:
    item_id: int
    skills: tuple[str, ...]
    n_attempts: int
    n_learners: int
    p_value: float
    """Share of learners right on their first attempt (classical item difficulty: low is hard)."""
    p_correct: float
    """Share of all attempts that were right."""
    median_s: float | None
    hint_share: float
    """Share of attempts that used at least one hint."""
    wrong_answers: tuple[tuple[str, int], ...]
    """The most common wrong answers (normalized) with how often each was given."""


def item_statistics(answers: Iterable[Answer], top_wrong: int = 3) -> list[ItemStats]:
    """Question-level analysis, hardest first (lowest p-value), then most answered."""
    by_item: dict[int, list[Answer]] = defaultdict(list)
    for a in answers:
        by_item[a.item_id].append(a)
    out = []
    for item_id, rows in by_item.items():
        rows.sort(key=lambda a: a.at)
        first: dict[int, bool] = {}
        for a in rows:
            first.setdefault(a.learner_id, a.correct)
        durations = [a.duration_ms / 1000 for a in rows if a.duration_ms is not None]
        wrong = Counter(normalize_response(a.response) for a in rows if not a.correct)
        wrong.pop("", None)
        out.append(
            ItemStats(
                item_id,
                rows[0].skills,
                len(rows),
                len(first),
                sum(first.values()) / len(first),
                sum(a.correct for a in rows) / len(rows),
                statistics.median(durations) if durations else None,
                sum(a.hints_used > 0 for a in rows) / len(rows),
                tuple(sorted(wrong.items(), key=lambda kv: (-kv[1], kv[0]))[:top_wrong]),
            )
        )
    return sorted(out, key=lambda s: (s.p_value, -s.n_attempts, s.item_id))


@dataclass(frozen=True)
class WeekPoint:
    week_end: date
    mean_p: float | None
    """Mean P(mastery) over the (learner, skill) pairs with evidence by the week's end; None before any."""
    n_mastered: int
    """(learner, skill) pairs mastered at the week's end."""
    mastered_per_learner: float


def weekly_progress(
    history: Iterable[DayMastery],
    n_learners: int,
    today: date,
    weeks: int,
    mastered_at: float,
) -> list[WeekPoint]:
    """The class's mastery at the end of each of the last ``weeks`` weeks (the last one ends ``today``).

    A (learner, skill) counts from its first day with evidence, at its latest value by the week's end."""
    if weeks < 1:
        raise ValueError(f"weeks must be at least 1, got {weeks}")
    ends = [today - timedelta(days=7 * (weeks - 1 - i)) for i in range(weeks)]
    rows = sorted(history, key=lambda h: h.day)
    current: dict[tuple[int, str], float] = {}
    total = 0.0
    mastered = 0
    out = []
    i = 0
    for end in ends:
        while i < len(rows) and rows[i].day <= end:
            h = rows[i]
            key = (h.learner_id, h.skill)
            old = current.get(key)
            if old is not None:
                total -= old
                mastered -= old >= mastered_at
            current[key] = h.p_mastery
            total += h.p_mastery
            mastered += h.p_mastery >= mastered_at
            i += 1
        out.append(
            WeekPoint(
                end,
                total / len(current) if current else None,
                mastered,
                mastered / n_learners if n_learners else 0.0,
            )
        )
    return out
