"""Learner choice and drift: what learners picked among their next steps (``next_step_picks``), and who
drifted from must-do work (picked something else while must-do work was offered, or has overdue work)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from learnpath.errors import FieldError, ValidationError
from learnpath.service.access import Actor, require_class
from learnpath.service.context import ServiceContext
from learnpath.service.flipped import open_work
from learnpath.storage.tables import ClassLearner, NextStepPick, User

__all__ = ["LearnerChoices", "class_choices"]


@dataclass(frozen=True)
class LearnerChoices:
    """What one learner picked among their next steps in a window, and whether they drifted from must-do."""

    learner_id: int
    name: str
    picks: int
    by_kind: dict[str, int]
    must_do_offered: int
    """Picks made while must-do work was on offer."""
    must_do_skipped: int
    """... of which the learner picked something else."""
    open_must_do: int
    overdue: int
    last_pick_at: datetime | None

    @property
    def drifted(self) -> bool:
        return self.must_do_skipped > 0 or self.overdue > 0


def class_choices(ctx: ServiceContext, actor: Actor, class_id: int, days: int = 7) -> list[LearnerChoices]:
    """Per learner of the class, over the last ``days`` days: the next steps they picked (by kind), how often
    must-do work was on offer and they picked something else, and their open and overdue must-do work."""
    if not 1 <= days <= 365:
        raise ValidationError(
            "the window is out of range", [FieldError("days", f"must be 1 to 365, got {days}")]
        )
    now = ctx.clock()
    since = now - timedelta(days=days)
    with ctx.unit() as session:
        require_class(session, actor, class_id)
        learners = session.execute(
            select(User.id, User.display_name)
            .join(ClassLearner, ClassLearner.learner_id == User.id)
            .where(ClassLearner.class_id == class_id)
            .order_by(User.display_name, User.id)
        ).all()
        ids = [lid for lid, _ in learners]
        picks: dict[int, list[NextStepPick]] = {i: [] for i in ids}
        for p in session.scalars(
            select(NextStepPick)
            .where(NextStepPick.learner_id.in_(ids), NextStepPick.created_at >= since)
            .order_by(NextStepPick.created_at, NextStepPick.id)
        ):
            picks[p.learner_id].append(p)
        out = []
        for lid, name in learners:
            mine = picks[lid]
            by_kind: dict[str, int] = {}
            offered = skipped = 0
            for p in mine:
                by_kind[p.kind] = by_kind.get(p.kind, 0) + 1
                choices = (p.offered or {}).get("choices", [])
                if any(c.get("kind") == "must_do" for c in choices if isinstance(c, dict)):
                    offered += 1
                    skipped += p.kind != "must_do"
            pending = open_work(session, lid)
            overdue = sum(a.due_at is not None and a.due_at < now for a in pending)
            out.append(
                LearnerChoices(
                    lid,
                    name,
                    len(mine),
                    by_kind,
                    offered,
                    skipped,
                    len(pending),
                    overdue,
                    mine[-1].created_at if mine else None,
                )
            )
        return out
