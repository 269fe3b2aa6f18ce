"""Mastery over time: a learner's P(mastery) of each skill at the end of every day with evidence on it.

Derived like the ``mastery`` rows, and kept in step with them: :func:`note_mastery` runs inside the
transaction that records an attempt, and :func:`rewrite_history` inside the replay after a refit
(``models.rebuild_learner_states``), so the history always speaks the active model version's numbers.

Why store it rather than derive it on each page view: drawing a class's weekly progress from attempts
means replaying every learner's attempts through the learner model and reading every skill's mastery at
each week's end; for 150 learners and 1,000 skills that is over a million mastery values per view. The
stored history is one row per learner, skill and day with evidence (a few per learner per school day), read
in one indexed query.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime

from sqlalchemy import delete
from sqlalchemy.orm import Session

from learnpath.learner.base import LearnerModel, LearnerState
from learnpath.storage.tables import MasteryHistory

__all__ = ["DayHistory", "day_of", "note_mastery", "rewrite_history"]


def day_of(at: datetime) -> date:
    """The UTC calendar day of an aware datetime."""
    if at.tzinfo is None:
        raise ValueError(f"refusing a naive datetime: {at.isoformat()}")
    return at.astimezone(UTC).date()


def note_mastery(
    session: Session, learner_id: int, skill_id: int, at: datetime, p_mastery: float, n_attempts: int
) -> None:
    """Keep ``p_mastery`` as the learner's mastery of the skill at the end of ``at``'s day (so far)."""
    day = day_of(at)
    row = session.get(MasteryHistory, (learner_id, skill_id, day))
    if row is None:
        session.add(
            MasteryHistory(
                learner_id=learner_id, skill_id=skill_id, day=day, p_mastery=p_mastery, n_attempts=n_attempts
            )
        )
    else:
        row.p_mastery, row.n_attempts = p_mastery, n_attempts


def rewrite_history(
    session: Session, learner_id: int, entries: Mapping[tuple[int, date], tuple[float, int]]
) -> None:
    """Replace the learner's whole history by ``entries``: (skill id, day) -> (P(mastery), attempts)."""
    session.execute(delete(MasteryHistory).where(MasteryHistory.learner_id == learner_id))
    session.add_all(
        MasteryHistory(learner_id=learner_id, skill_id=sid, day=day, p_mastery=p, n_attempts=n)
        for (sid, day), (p, n) in sorted(entries.items())
    )


class DayHistory:
    """Collects a replay's history: call :meth:`before` with each fact's time and the state before it,
    :meth:`touched` with its skills after the update, and :meth:`close` at the end. The model's mastery is
    read once per day with evidence, not once per fact."""

    def __init__(self, skill_ids: Mapping[str, int]) -> None:
        self._skill_ids = skill_ids
        self._day: date | None = None
        self._touched: set[str] = set()
        self.entries: dict[tuple[int, date], tuple[float, int]] = {}

    def _flush(self, model: LearnerModel, state: LearnerState) -> None:
        if self._day is not None and self._touched:
            mastery = model.mastery(state)
            for code in self._touched:
                m = mastery.get(code)
                if m is not None and code in self._skill_ids:
                    self.entries[(self._skill_ids[code], self._day)] = (m.p_mastery, m.n_attempts)
        self._touched = set()

    def before(self, at: datetime, model: LearnerModel, state: LearnerState) -> None:
        day = day_of(at)
        if day != self._day:
            self._flush(model, state)
            self._day = day

    def touched(self, skills: tuple[str, ...]) -> None:
        self._touched.update(skills)

    def close(self, model: LearnerModel, state: LearnerState) -> dict[tuple[int, date], tuple[float, int]]:
        self._flush(model, state)
        return self.entries
