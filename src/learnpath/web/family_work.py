"""The work a teacher gave a learner, as their family (and the learner's other readers) see it: every open
assignment with its due date (overdue ones marked), then the few most recently done, marked done."""

from __future__ import annotations

from dataclasses import dataclass

from learnpath.service import flipped
from learnpath.web.deps import Ctx, WebUser

__all__ = ["DONE_SHOWN", "WorkRow", "work_rows"]

DONE_SHOWN = 3
"""How many done assignments are listed after the open ones (newest first)."""


@dataclass(frozen=True)
class WorkRow:
    title: str
    work: str
    """practice, flipped or project."""
    due: str
    """ISO date, or '' when the work has no due date."""
    done: bool
    overdue: bool


def work_rows(ctx: Ctx, user: WebUser, learner_id: int) -> list[WorkRow]:
    """Open work first (earliest due first), then up to :data:`DONE_SHOWN` done ones; raises NotFoundError
    for a learner the reader may not see."""
    rows: list[WorkRow] = []
    done = 0
    for m in flipped.learner_assignments(ctx, user.actor, learner_id):
        a = m.assignment
        if m.status.done:
            if done >= DONE_SHOWN:
                continue
            done += 1
        title = a.content_title or a.skill_name
        due = a.due_at.date().isoformat() if a.due_at is not None else ""
        rows.append(WorkRow(title, a.work, due, m.status.done, m.overdue))
    return rows
