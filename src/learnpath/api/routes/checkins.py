"""Check-ins (issue 6): a learner's check-ins, holding one, the class's due list and rhythms, and the
family's weekly digest and email address."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from fastapi import APIRouter
from pydantic import BaseModel, Field

from learnpath.api.deps import ApiActor, Ctx
from learnpath.api.schemas import Strict
from learnpath.service import checkins, digest
from learnpath.service.checkins import CheckinView, Decision

router = APIRouter(tags=["check-ins"])


class CheckinPublic(BaseModel):
    id: int
    learner_id: int
    teacher_name: str | None
    held_at: datetime
    since: datetime
    summary: dict[str, Any]
    notes: str
    private_notes: str | None = Field(description="staff only; null for the learner and their family")
    decisions: list[dict[str, Any]]
    next_due_on: date | None


class CheckinList(BaseModel):
    learner_id: int
    data: list[CheckinPublic]


class DecisionCreate(Strict):
    kind: Literal["adjust_date", "drop_goal", "goal_met", "add_goal"]
    goal_id: int | None = None
    target_date: date | None = None
    skills: list[str] = Field(default_factory=list, max_length=20)
    title: str = Field(default="", max_length=300)


class CheckinCreate(Strict):
    notes: str = Field(default="", max_length=checkins.MAX_NOTES_CHARS)
    private_notes: str = Field(default="", max_length=checkins.MAX_NOTES_CHARS)
    decisions: list[DecisionCreate] = Field(default_factory=list, max_length=30)
    next_due_on: date | None = Field(default=None, description="default: today plus the learner's rhythm")


class RhythmPublic(BaseModel):
    every_days: int
    source: str


class ClassRhythmUpdate(Strict):
    every_days: int = Field(ge=1, le=checkins.MAX_EVERY_DAYS)


class LearnerRhythmUpdate(Strict):
    every_days: int | None = Field(ge=1, le=checkins.MAX_EVERY_DAYS, description="null: the class's rhythm")


class PreparedPublic(BaseModel):
    learner_id: int
    summary: dict[str, Any]
    goals: list[dict[str, Any]]
    rhythm: RhythmPublic
    last_held_at: datetime | None
    due_on: date
    suggested_next: date


class DuePublic(BaseModel):
    learner_id: int
    learner_name: str
    every_days: int
    rhythm_source: str
    last_held_at: datetime | None
    due_on: date
    status: str
    days_overdue: int


class DueListPublic(BaseModel):
    class_id: int
    every_days: int
    rhythm_set: bool
    data: list[DuePublic]


class EmailUpdate(Strict):
    email: str | None = Field(max_length=254, description="null or empty: remove the address")


class EmailPublic(BaseModel):
    email: str | None


def _public(v: CheckinView) -> CheckinPublic:
    fields = {k: getattr(v, k) for k in CheckinPublic.model_fields}
    return CheckinPublic(**fields)


@router.get("/learners/{learner_id}/checkins", response_model=CheckinList)
def list_checkins(learner_id: int, ctx: Ctx, actor: ApiActor) -> CheckinList:
    """The learner's check-ins, newest first (private notes for staff only)."""
    return CheckinList(
        learner_id=learner_id, data=[_public(v) for v in checkins.list_checkins(ctx, actor, learner_id)]
    )


@router.post("/learners/{learner_id}/checkins", response_model=CheckinPublic, status_code=201)
def hold_checkin(learner_id: int, body: CheckinCreate, ctx: Ctx, actor: ApiActor) -> CheckinPublic:
    """Hold a check-in: the prepared summary, notes and decisions are stored together (teachers, admins)."""
    decisions = [Decision(d.kind, d.goal_id, d.target_date, tuple(d.skills), d.title) for d in body.decisions]
    view = checkins.hold_checkin(
        ctx,
        actor,
        learner_id,
        notes=body.notes,
        private_notes=body.private_notes,
        decisions=decisions,
        next_due_on=body.next_due_on,
    )
    return _public(view)


@router.get("/learners/{learner_id}/checkins/prepared", response_model=PreparedPublic)
def prepared(learner_id: int, ctx: Ctx, actor: ApiActor) -> PreparedPublic:
    """The summary a check-in held now would show (teachers of the learner, admins)."""
    p = checkins.open_checkin(ctx, actor, learner_id)
    return PreparedPublic(
        learner_id=p.learner_id,
        summary=p.summary,
        goals=p.goals,
        rhythm=RhythmPublic(every_days=p.rhythm.every_days, source=p.rhythm.source),
        last_held_at=p.last_held_at,
        due_on=p.due_on,
        suggested_next=p.suggested_next,
    )


@router.get("/learners/{learner_id}/checkins/{checkin_id}", response_model=CheckinPublic)
def get_checkin(learner_id: int, checkin_id: int, ctx: Ctx, actor: ApiActor) -> CheckinPublic:
    return _public(checkins.get_checkin(ctx, actor, learner_id, checkin_id))


@router.put("/learners/{learner_id}/checkins/rhythm", response_model=RhythmPublic)
def set_learner_rhythm(learner_id: int, body: LearnerRhythmUpdate, ctx: Ctx, actor: ApiActor) -> RhythmPublic:
    r = checkins.set_learner_rhythm(ctx, actor, learner_id, body.every_days)
    return RhythmPublic(every_days=r.every_days, source=r.source)


@router.get("/classes/{class_id}/checkins/due", response_model=DueListPublic)
def due(class_id: int, ctx: Ctx, actor: ApiActor) -> DueListPublic:
    """Who is due for a check-in: overdue first, then never met, due this week, later."""
    d = checkins.due_list(ctx, actor, class_id)
    return DueListPublic(
        class_id=d.class_id,
        every_days=d.every_days,
        rhythm_set=d.rhythm_set,
        data=[DuePublic(**e.__dict__) for e in d.entries],
    )


@router.put("/classes/{class_id}/checkins/rhythm", response_model=RhythmPublic)
def set_class_rhythm(class_id: int, body: ClassRhythmUpdate, ctx: Ctx, actor: ApiActor) -> RhythmPublic:
    r = checkins.set_class_rhythm(ctx, actor, class_id, body.every_days)
    return RhythmPublic(every_days=r.every_days, source=r.source)


@router.get("/family/digest")
def family_digest(ctx: Ctx, actor: ApiActor, week: date | None = None) -> dict[str, Any]:
    """The family member's weekly digest (``week``: any day of it; default this week so far)."""
    return digest.family_week(ctx, actor, week)


@router.put("/me/email", response_model=EmailPublic)
def set_email(body: EmailUpdate, ctx: Ctx, actor: ApiActor) -> EmailPublic:
    """Your own email address (the weekly digest is emailed to it when SMTP is configured)."""
    return EmailPublic(email=digest.set_email(ctx, actor, body.email))
