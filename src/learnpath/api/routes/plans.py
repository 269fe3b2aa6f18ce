"""Personal learning plans (issue 6): a learner's plan with forecasts, approving and commenting on goals, and
the signed-in person's in-app notifications."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from learnpath.api.deps import ApiActor, Ctx
from learnpath.api.schemas import Strict
from learnpath.service import notifications, plans

router = APIRouter(tags=["plans"])


class ForecastPublic(BaseModel):
    date: str | None
    low: str | None
    high: str | None
    status: Literal["on_track", "at_risk", "met", "unknown"]


class PlanGoalPublic(BaseModel):
    id: int
    kind: str
    title: str
    state: str
    skills: list[str]
    target_date: str | None
    progress: float
    forecast: ForecastPublic
    level: str | None = Field(description="'above', 'at' or 'below' the learner's grade (skill goals)")
    pending: list[str] = Field(description="Who still has to approve a proposed goal: teacher, family")


class PlanPublic(BaseModel):
    learner_id: int
    goals: list[PlanGoalPublic]


class ApprovalCreate(Strict):
    decision: Literal["approve", "request_change"]
    comment: str = Field(default="", max_length=2000)


class CommentCreate(Strict):
    comment: str = Field(min_length=1, max_length=2000)


class GoalRevise(Strict):
    title: str | None = Field(default=None, max_length=300)
    details: str | None = Field(default=None, max_length=5000)
    target_date: date | None = None
    clear_date: bool = False
    skills: list[str] | None = Field(
        default=None,
        max_length=100,
        description="Skill codes (skill goals): the goal's new skills, in order.",
    )
    propose: bool = True


class GoalStatePublic(BaseModel):
    id: int
    state: str


class NotificationPublic(BaseModel):
    id: int
    kind: str
    params: dict[str, Any]
    link: str
    actor: str | None
    created_at: datetime
    read_at: datetime | None


class NotificationList(BaseModel):
    unread: int
    data: list[NotificationPublic]


class NotificationsRead(Strict):
    ids: list[int] | None = Field(default=None, max_length=200, description="Omit to mark all read.")


class ReadPublic(BaseModel):
    marked: int


@router.get("/learners/{learner_id}/plan", response_model=PlanPublic)
def get_plan(learner_id: int, ctx: Ctx, actor: ApiActor) -> PlanPublic:
    """The learner's goals with their state, progress (0..1) and forecast (expected date, low/high range,
    on_track / at_risk / met / unknown)."""
    snap = plans.get_plan(ctx, actor, learner_id)
    return PlanPublic(learner_id=learner_id, goals=[PlanGoalPublic(**g) for g in snap["goals"]])


@router.post("/goals/{goal_id}/approvals", response_model=GoalStatePublic, status_code=201)
def approve_goal(goal_id: int, body: ApprovalCreate, ctx: Ctx, actor: ApiActor) -> GoalStatePublic:
    """Approve a proposed goal, or ask for a change (a comment is needed; the goal goes back to draft). The
    learner's teachers, the school's admins and the learner's family; agreed once the teacher side and (when
    linked) the family approved."""
    state = plans.decide_goal(ctx, actor, goal_id, body.decision, body.comment)
    return GoalStatePublic(id=goal_id, state=state)


@router.patch("/goals/{goal_id}", response_model=GoalStatePublic)
def revise_goal(goal_id: int, body: GoalRevise, ctx: Ctx, actor: ApiActor) -> GoalStatePublic:
    """Change a draft or proposed goal (title, details, target date, skills; ``clear_date`` removes the date),
    by whoever may draft the learner's goals. A proposed goal that changes goes back to draft and its
    approvals lapse (the change is in its history); with ``propose`` (default) it is proposed again at once."""
    plans.revise_goal(
        ctx,
        actor,
        goal_id,
        title=body.title,
        details=body.details,
        target_date=body.target_date,
        clear_date=body.clear_date,
        skills=body.skills,
        propose=body.propose,
    )
    return GoalStatePublic(id=goal_id, state=plans.goal_state(ctx, actor, goal_id))


@router.post("/goals/{goal_id}/comments", response_model=GoalStatePublic, status_code=201)
def comment_goal(goal_id: int, body: CommentCreate, ctx: Ctx, actor: ApiActor) -> GoalStatePublic:
    """Comment on a goal (anyone who may see the learner); the others involved are notified in-app."""
    return GoalStatePublic(id=goal_id, state=plans.comment_goal(ctx, actor, goal_id, body.comment))


@router.get("/notifications", response_model=NotificationList)
def list_notifications(
    ctx: Ctx,
    actor: ApiActor,
    unread_only: Annotated[bool, Query()] = False,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> NotificationList:
    """The signed-in person's own notifications, newest first, and how many are unread."""
    rows = notifications.list_notifications(ctx, actor, unread_only=unread_only, limit=limit)
    return NotificationList(
        unread=notifications.unread_count(ctx, actor),
        data=[
            NotificationPublic(
                id=n.id,
                kind=n.kind,
                params=n.params,
                link=n.link,
                actor=n.actor_name,
                created_at=n.created_at,
                read_at=n.read_at,
            )
            for n in rows
        ],
    )


@router.post("/notifications/read", response_model=ReadPublic)
def mark_read(body: NotificationsRead, ctx: Ctx, actor: ApiActor) -> ReadPublic:
    """Mark the given notifications (each must be one's own: else 404) or all of them read."""
    return ReadPublic(marked=notifications.mark_read(ctx, actor, body.ids))
