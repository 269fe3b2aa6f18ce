"""Assignments and flipped lessons (issue 7): give work to a learner, group or class; each learner's state
(watched, check passed, done); a learner's own work and the check; the watch beacon; learners' choices and
drift from must-do work."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from learnpath.api.deps import ApiActor, Ctx
from learnpath.api.schemas import Strict
from learnpath.service import assignments, drift, flipped
from learnpath.service.assignments import AssignmentView
from learnpath.service.flipped import LearnerStatus

router = APIRouter(tags=["assignments"])


class AssignmentCreate(Strict):
    """Exactly one target (``learner_id``, ``group_id``; neither: the class). ``practice`` takes a
    ``skill_code``; ``flipped`` (a video or reading before class) and ``project`` take a ``content_id``."""

    work: Literal["practice", "flipped", "project"] = "practice"
    skill_code: str | None = Field(default=None, max_length=100)
    content_id: int | None = None
    learner_id: int | None = None
    group_id: int | None = None
    due_at: datetime | None = None
    check_item_ids: list[int] | None = Field(default=None, max_length=assignments.MAX_CHECK_SIZE)
    """Flipped: the check's items; left out, ``check_size`` items of the content's skill."""
    check_size: int = Field(default=assignments.DEFAULT_CHECK_SIZE, ge=0, le=assignments.MAX_CHECK_SIZE)


class AssignmentPublic(BaseModel):
    id: int
    work: str
    skill_code: str
    skill_name: str
    content_id: int | None
    content_title: str | None
    content_kind: str | None
    class_id: int | None
    group_id: int | None
    group_name: str | None
    learner_id: int | None
    learner_name: str | None
    due_at: datetime | None
    created_at: datetime
    check_item_ids: list[int]

    @classmethod
    def of(cls, a: AssignmentView) -> AssignmentPublic:
        return cls(
            id=a.id,
            work=a.work,
            skill_code=a.skill_code,
            skill_name=a.skill_name,
            content_id=a.content_id,
            content_title=a.content_title,
            content_kind=a.content_kind,
            class_id=a.class_id,
            group_id=a.group_id,
            group_name=a.group_name,
            learner_id=a.learner_id,
            learner_name=a.learner_name,
            due_at=a.due_at,
            created_at=a.created_at,
            check_item_ids=list(a.check_item_ids),
        )


class AssignmentList(BaseModel):
    data: list[AssignmentPublic]


class LearnerStatusPublic(BaseModel):
    learner_id: int
    name: str
    state: str
    """flipped: passed, watched (no check), not_passed, not_watched; practice and project: done, not_done."""
    done: bool
    opened_at: datetime | None
    seconds: int
    watched_at: datetime | None
    check_answered: int
    check_right: int
    check_size: int
    passed: bool | None
    answered: int

    @classmethod
    def of(cls, s: LearnerStatus) -> LearnerStatusPublic:
        return cls(
            learner_id=s.learner_id,
            name=s.name,
            state=s.state,
            done=s.done,
            opened_at=s.opened_at,
            seconds=s.seconds,
            watched_at=s.watched_at,
            check_answered=s.check_answered,
            check_right=s.check_right,
            check_size=s.check_size,
            passed=s.passed,
            answered=s.answered,
        )


class AssignmentStatusPublic(BaseModel):
    assignment: AssignmentPublic
    counts: dict[str, int]
    learners: list[LearnerStatusPublic]
    needs: dict[int, str]
    """What each learner needs in class (reteach, practice, enrich), for a station rotation."""


class MyAssignmentPublic(BaseModel):
    assignment: AssignmentPublic
    status: LearnerStatusPublic
    overdue: bool


class MyAssignmentList(BaseModel):
    data: list[MyAssignmentPublic]


class ViewCreate(Strict):
    event: Literal["open", "progress", "ended", "finished"] = "open"
    seconds: int = Field(default=0, ge=0, le=flipped.MAX_SECONDS)
    """Seconds of the video played so far (the player's count)."""


class ProgressPublic(BaseModel):
    content_id: int
    learner_id: int
    opens: int
    seconds: int
    completed_at: datetime | None


class CheckCreate(Strict):
    responses: dict[int, Annotated[str, Field(max_length=2000)]] = Field(
        max_length=assignments.MAX_CHECK_SIZE
    )
    """Item id -> the answer (every item of the check)."""


class CheckResultPublic(BaseModel):
    right: int
    size: int
    passed: bool


class LearnerChoicesPublic(BaseModel):
    learner_id: int
    name: str
    picks: int
    by_kind: dict[str, int]
    must_do_offered: int
    must_do_skipped: int
    open_must_do: int
    overdue: int
    drifted: bool
    last_pick_at: datetime | None


class ChoicesList(BaseModel):
    days: int
    data: list[LearnerChoicesPublic]


@router.get("/classes/{class_id}/assignments", response_model=AssignmentList)
def list_assignments(class_id: int, ctx: Ctx, actor: ApiActor) -> AssignmentList:
    """The class's work (to the class, its groups or its learners), newest first."""
    views = assignments.class_assignments(ctx, actor, class_id)
    return AssignmentList(data=[AssignmentPublic.of(a) for a in views])


@router.post("/classes/{class_id}/assignments", response_model=AssignmentPublic, status_code=201)
def create_assignment(class_id: int, body: AssignmentCreate, ctx: Ctx, actor: ApiActor) -> AssignmentPublic:
    """Give work to the class, one of its groups or one of its learners, with a due date."""
    view = assignments.add_assignment_in_class(
        ctx,
        actor,
        class_id,
        body.skill_code,
        learner_id=body.learner_id,
        group_id=body.group_id,
        due_at=body.due_at,
        work=body.work,
        content_id=body.content_id,
        check_item_ids=body.check_item_ids,
        check_size=body.check_size,
    )
    return AssignmentPublic.of(view)


@router.get("/assignments/{assignment_id}", response_model=AssignmentStatusPublic)
def assignment_status(assignment_id: int, ctx: Ctx, actor: ApiActor) -> AssignmentStatusPublic:
    """Per learner: watched, check answered and passed, done; and what each needs in class."""
    status = flipped.assignment_status(ctx, actor, assignment_id)
    return AssignmentStatusPublic(
        assignment=AssignmentPublic.of(status.assignment),
        counts=status.counts,
        learners=[LearnerStatusPublic.of(s) for s in status.learners],
        needs=flipped.rotation_needs(ctx, actor, assignment_id),
    )


@router.post("/assignments/{assignment_id}/check", response_model=CheckResultPublic, status_code=201)
def submit_check(assignment_id: int, body: CheckCreate, ctx: Ctx, actor: ApiActor) -> CheckResultPublic:
    """The learner answers a flipped lesson's check (every item at once; each answer is an attempt)."""
    r = flipped.submit_check(ctx, actor, assignment_id, body.responses)
    return CheckResultPublic(right=r.right, size=r.size, passed=r.passed)


@router.get("/learners/{learner_id}/assignments", response_model=MyAssignmentList)
def learner_assignments(
    learner_id: int,
    ctx: Ctx,
    actor: ApiActor,
    open_only: Annotated[bool, Query(alias="open", description="Only work not done yet.")] = False,
) -> MyAssignmentList:
    """The work given to a learner (to them, their class or group) with its state; open work first."""
    mine = flipped.learner_assignments(ctx, actor, learner_id, open_only=open_only)
    return MyAssignmentList(
        data=[
            MyAssignmentPublic(
                assignment=AssignmentPublic.of(m.assignment),
                status=LearnerStatusPublic.of(m.status),
                overdue=m.overdue,
            )
            for m in mine
        ]
    )


@router.post("/content/{content_id}/views", response_model=ProgressPublic, status_code=201)
def record_view(content_id: int, ctx: Ctx, actor: ApiActor, body: ViewCreate | None = None) -> ProgressPublic:
    """The learner opened, played (seconds so far), finished watching or finished a piece of content."""
    body = body or ViewCreate()
    p = flipped.record_view(ctx, actor, content_id, body.event, body.seconds)
    return ProgressPublic(
        content_id=p.content_id,
        learner_id=p.learner_id,
        opens=p.opens,
        seconds=p.seconds,
        completed_at=p.completed_at,
    )


@router.get("/classes/{class_id}/choices", response_model=ChoicesList)
def class_choices(
    class_id: int,
    ctx: Ctx,
    actor: ApiActor,
    days: Annotated[int, Query(ge=1, le=365, description="The window, in days back from now.")] = 7,
) -> ChoicesList:
    """What each learner picked among their next steps, and who drifted from must-do work."""
    rows = drift.class_choices(ctx, actor, class_id, days)
    return ChoicesList(
        days=days,
        data=[
            LearnerChoicesPublic(
                learner_id=r.learner_id,
                name=r.name,
                picks=r.picks,
                by_kind=r.by_kind,
                must_do_offered=r.must_do_offered,
                must_do_skipped=r.must_do_skipped,
                open_must_do=r.open_must_do,
                overdue=r.overdue,
                drifted=r.drifted,
                last_pick_at=r.last_pick_at,
            )
            for r in rows
        ],
    )
