"""Answers only a teacher can score (QTI extended text): the class's list, and scoring one."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter
from pydantic import BaseModel, Field

from learnpath.api.deps import ApiActor, Ctx
from learnpath.api.routes.learners import mastery_public
from learnpath.api.schemas import SkillChangePublic, Strict
from learnpath.service import scoring

router = APIRouter(tags=["scoring"])


class WaitingAnswerPublic(BaseModel):
    attempt_id: int
    learner_id: int
    learner_name: str
    item_id: int
    item_code: str
    prompt: str
    response: str
    max_points: float
    answered_at: datetime


class ToMarkList(BaseModel):
    data: list[WaitingAnswerPublic]


class ScoreCreate(Strict):
    points: float = Field(description="0 to the item's maximum score; half of it or more counts as correct")
    comment: str = Field(default="", max_length=scoring.MAX_COMMENT_CHARS)


class TeacherMarkPublic(BaseModel):
    attempt_id: int
    item_code: str
    points: float
    max_points: float
    comment: str
    correct: bool
    scored_at: datetime


class ScoredAnswerPublic(BaseModel):
    mark: TeacherMarkPublic
    learner_id: int
    skills: list[SkillChangePublic]


@router.get("/classes/{class_id}/to-mark", response_model=ToMarkList)
def to_mark(class_id: int, ctx: Ctx, actor: ApiActor) -> ToMarkList:
    """The class's answers waiting for a teacher's score, oldest first (teachers of the class, admins)."""
    return ToMarkList(
        data=[WaitingAnswerPublic(**a.__dict__) for a in scoring.answers_to_mark(ctx, actor, class_id)]
    )


@router.post("/attempts/{attempt_id}/score", response_model=ScoredAnswerPublic, status_code=201)
def score(attempt_id: int, body: ScoreCreate, ctx: Ctx, actor: ApiActor) -> ScoredAnswerPublic:
    """Score a waiting answer; it then counts for the learner's mastery. A score is final (409 after)."""
    r = scoring.score_answer(ctx, actor, attempt_id, body.points, body.comment)
    return ScoredAnswerPublic(
        mark=TeacherMarkPublic(**r.mark.__dict__),
        learner_id=r.learner_id,
        skills=[SkillChangePublic(skill=mastery_public(s), p_mastery_before=b) for s, b in r.skills],
    )
