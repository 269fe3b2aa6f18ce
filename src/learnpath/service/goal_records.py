"""The stored side of a goal's life that the plan's use cases share (``service/plans.py`` writes,
``service/plan_view.py`` reads): finding a goal the actor may see, who is involved in a learner's plan, who
drafts, the goal's history rows and the approvals given since it was last proposed."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from learnpath.core.goals import Approval
from learnpath.errors import NotFoundError, PermissionDeniedError
from learnpath.service.access import Actor, require_learner
from learnpath.service.notifications import notify
from learnpath.storage.tables import (
    ClassLearner,
    ClassTeacher,
    FamilyLink,
    GoalEvent,
    GoalRow,
    LearnerPlan,
    User,
)

__all__ = [
    "STAFF",
    "YOUNG_GRADE",
    "approvals_since_proposal",
    "check_may_draft",
    "family_ids",
    "find_goal",
    "involved_ids",
    "record_event",
    "teacher_drafts",
    "teacher_ids",
    "tell",
]

YOUNG_GRADE = 2
STAFF = ("teacher", "admin")


def find_goal(session: Session, actor: Actor, goal_id: int, *, for_update: bool = False) -> GoalRow:
    row = session.get(GoalRow, goal_id, with_for_update=for_update)
    if row is None:
        raise NotFoundError(f"no goal with id {goal_id}")
    try:
        require_learner(session, actor, row.learner_id)
    except NotFoundError:
        raise NotFoundError(f"no goal with id {goal_id}") from None
    return row


def family_ids(session: Session, learner_id: int) -> list[int]:
    return list(session.scalars(select(FamilyLink.family_id).where(FamilyLink.learner_id == learner_id)))


def teacher_ids(session: Session, learner_id: int) -> list[int]:
    classes = select(ClassLearner.class_id).where(ClassLearner.learner_id == learner_id)
    return list(
        session.scalars(select(ClassTeacher.teacher_id).where(ClassTeacher.class_id.in_(classes)).distinct())
    )


def involved_ids(session: Session, learner_id: int) -> list[int]:
    """The learner, their teachers and their linked family: who hears of what happens to a goal."""
    return sorted({learner_id, *teacher_ids(session, learner_id), *family_ids(session, learner_id)})


def teacher_drafts(session: Session, learner: User) -> bool:
    """Whether the learner's teacher drafts their goals (set by the teacher, else: grade 2 or below)."""
    plan = session.get(LearnerPlan, learner.id)
    if plan is not None and plan.teacher_drafts is not None:
        return plan.teacher_drafts
    return learner.grade is not None and learner.grade <= YOUNG_GRADE


def check_may_draft(session: Session, actor: Actor, learner: User) -> None:
    if actor.role in STAFF:
        return
    if actor.role == "learner":
        if teacher_drafts(session, learner):
            raise PermissionDeniedError("your teacher writes your goals with you")
        return
    raise PermissionDeniedError("families approve and comment on goals; the learner or teacher drafts them")


def record_event(
    session: Session,
    goal: GoalRow,
    actor: Actor | None,
    action: str,
    now: datetime,
    *,
    to_state: str | None = None,
    comment: str = "",
    details: dict[str, Any] | None = None,
) -> None:
    before = goal.state
    if to_state is not None and to_state != before:
        goal.state = to_state
    goal.updated_at = now
    session.add(
        GoalEvent(
            goal_id=goal.id,
            actor_id=actor.user_id if actor else None,
            role=actor.role if actor else "system",
            action=action,
            from_state=before,
            to_state=to_state if to_state is not None else before,
            comment=comment,
            details=dict(details or {}),
            created_at=now,
        )
    )
    session.flush()


def tell(session: Session, goal: GoalRow, actor: Actor, kind: str, now: datetime, **params: Any) -> None:
    learner = session.get(User, goal.learner_id)
    notify(
        session,
        involved_ids(session, goal.learner_id),
        kind,
        {"goal": goal.title, "learner": learner.display_name if learner else "", **params},
        link=f"/learners/{goal.learner_id}/plan#goal-{goal.id}",
        actor_id=actor.user_id,
        now=now,
    )


def approvals_since_proposal(session: Session, goal_id: int) -> list[Approval]:
    """Approvals since the goal was last proposed (a staff member's proposal counts as their approval)."""
    events = list(
        session.scalars(select(GoalEvent).where(GoalEvent.goal_id == goal_id).order_by(GoalEvent.id))
    )
    start = max((i for i, e in enumerate(events) if e.action == "propose"), default=None)
    if start is None:
        return []
    out = []
    for e in events[start:]:
        if e.action == "approve" or (e.action == "propose" and e.role in STAFF):
            out.append(Approval(e.actor_id or 0, e.role))
    return out
