"""Backward design: a learner's path to goals, what they are ready to learn, and their goals."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from learnpath.api.deps import ApiActor, Ctx
from learnpath.api.schemas import Strict
from learnpath.service import goals, paths, plans
from learnpath.service.goals import GoalInfo
from learnpath.service.paths import PathSkill

router = APIRouter(tags=["paths"])


class PathSkillPublic(BaseModel):
    code: str
    name: str
    grade: int | None
    p_mastery: float
    n_attempts: int
    level: str
    goal: bool
    attempts_left: float
    minutes: float

    @classmethod
    def of(cls, s: PathSkill) -> PathSkillPublic:
        return cls(
            code=s.code,
            name=s.name,
            grade=s.grade,
            p_mastery=s.p_mastery,
            n_attempts=s.n_attempts,
            level=s.level,
            goal=s.is_goal,
            attempts_left=round(s.attempts_left, 2),
            minutes=round(s.minutes, 2),
        )


class PacePublic(BaseModel):
    attempts_to_mastery: float
    seconds_per_attempt: float
    source: str
    n_skills: int
    n_attempts: int


class PathPublic(BaseModel):
    learner_id: int
    goals: list[PathSkillPublic]
    goals_met: list[str]
    goals_from_plan: bool
    steps: list[PathSkillPublic]
    total_minutes: float
    pace: PacePublic


class ReadyList(BaseModel):
    learner_id: int
    data: list[PathSkillPublic]


class GoalPublic(BaseModel):
    id: int
    learner_id: int
    kind: str
    title: str
    details: str
    skills: list[str]
    target_mastery: float | None
    target_date: date | None
    state: str
    created_by: str | None
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, g: GoalInfo) -> GoalPublic:
        return cls(**g.__dict__)


class GoalList(BaseModel):
    data: list[GoalPublic]


class RubricCriterion(Strict):
    text: str = Field(max_length=300)
    max_points: int = Field(default=4, ge=1, le=10)


class GoalCreate(Strict):
    kind: Literal["skill", "interest"] = "skill"
    skills: list[str] = Field(default_factory=list, max_length=50)
    title: str = Field(default="", max_length=300)
    details: str = Field(default="", max_length=5000)
    target_mastery: float | None = Field(default=None, gt=0, le=1)
    target_date: date | None = None
    milestones: list[str] = Field(default_factory=list, max_length=20)
    checklist: list[str] = Field(default_factory=list, max_length=20)
    rubric: list[RubricCriterion] = Field(default_factory=list, max_length=20)
    propose: bool = Field(default=True, description="Ask for approval at once (false: keep a draft).")


@router.get("/learners/{learner_id}/path", response_model=PathPublic)
def get_path(
    learner_id: int,
    ctx: Ctx,
    actor: ApiActor,
    goal: Annotated[
        list[str] | None, Query(max_length=50, description="Goal skill code; repeatable.")
    ] = None,
) -> PathPublic:
    """The unmastered skills to master, in order, to reach the goals (default: the learner's active goals),
    each with the practice time it needs at the learner's own pace."""
    p = paths.learner_path(ctx, actor, learner_id, goal or [])
    return PathPublic(
        learner_id=learner_id,
        goals=[PathSkillPublic.of(g) for g in p.goals],
        goals_met=p.goals_met,
        goals_from_plan=p.goals_from_plan,
        steps=[PathSkillPublic.of(s) for s in p.steps],
        total_minutes=round(p.total_minutes, 2),
        pace=PacePublic(
            attempts_to_mastery=p.pace.attempts_to_mastery,
            seconds_per_attempt=p.pace.seconds_per_attempt,
            source=p.pace.source,
            n_skills=p.pace.n_skills,
            n_attempts=p.pace.n_attempts,
        ),
    )


@router.get("/learners/{learner_id}/ready", response_model=ReadyList)
def get_ready(learner_id: int, ctx: Ctx, actor: ApiActor) -> ReadyList:
    """Skills whose prerequisites the learner has mastered and which they have not mastered yet."""
    return ReadyList(
        learner_id=learner_id,
        data=[PathSkillPublic.of(s) for s in paths.ready_skills(ctx, actor, learner_id)],
    )


@router.get("/learners/{learner_id}/goals", response_model=GoalList)
def list_goals(learner_id: int, ctx: Ctx, actor: ApiActor) -> GoalList:
    """The learner's goals, oldest first, with their state."""
    return GoalList(data=[GoalPublic.of(g) for g in goals.list_goals(ctx, actor, learner_id)])


@router.post("/learners/{learner_id}/goals", response_model=GoalPublic, status_code=201)
def create_goal(learner_id: int, body: GoalCreate, ctx: Ctx, actor: ApiActor) -> GoalPublic:
    """Draft a goal for the learner (personal learning plans): the learner themself (unless their teacher
    drafts for them), their teachers or the school's admins; families approve instead (403). A skill goal
    names 1 to 20 skills (above or below grade level); an interest/project goal has a title, free text,
    milestones and a rubric or checklist. With ``propose`` (default) it is proposed for approval at once."""
    goal_id = plans.draft_goal(
        ctx,
        actor,
        learner_id,
        kind=body.kind,
        skills=body.skills,
        title=body.title,
        details=body.details,
        target_mastery=body.target_mastery,
        target_date=body.target_date,
        milestones=body.milestones,
        checklist=body.checklist,
        rubric=[c.model_dump() for c in body.rubric],
        propose=body.propose,
    )
    made = [g for g in goals.list_goals(ctx, actor, learner_id) if g.id == goal_id]
    return GoalPublic.of(made[0])
