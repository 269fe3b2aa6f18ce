"""Learners: list, progress, answering (next steps: routes/next_steps.py)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query

from learnpath.api.deps import ApiActor, Ctx
from learnpath.api.schemas import (
    AttemptCreate,
    AttemptResultPublic,
    LearnerList,
    LearnerPublic,
    ProgressPublic,
    SkillChangePublic,
    SkillMasteryPublic,
)
from learnpath.service import learning, progress_focus, roster
from learnpath.service.learning import SkillProgress

router = APIRouter(tags=["learners"])


def mastery_public(p: SkillProgress) -> SkillMasteryPublic:
    return SkillMasteryPublic(**p.__dict__)


@router.get("/learners", response_model=LearnerList)
def list_learners(ctx: Ctx, actor: ApiActor) -> LearnerList:
    """Learners the caller may see: themself, linked children, own classes, or the school."""
    return LearnerList(data=[LearnerPublic(**s.__dict__) for s in roster.list_learners(ctx, actor)])


@router.get("/learners/{learner_id}", response_model=ProgressPublic)
def get_learner(
    learner_id: int,
    ctx: Ctx,
    actor: ApiActor,
    show: Annotated[
        Literal["all", "focus"],
        Query(description="'focus': practised skills and those on the way to the goals"),
    ] = "all",
    q: Annotated[
        str, Query(max_length=100, description="Only skills whose name or code holds this (any case)")
    ] = "",
) -> ProgressPublic:
    """A learner's mastery of every skill (``show=focus``: only those practised or on the way to the goals;
    ``q``: a search through every skill) and their latest attempts."""
    p = progress_focus.progress_skills(ctx, actor, learner_id, show=show, query=q).progress
    return ProgressPublic(
        learner_id=p.learner_id,
        display_name=p.display_name,
        grade=p.grade,
        n_attempts=p.n_attempts,
        n_correct=p.n_correct,
        skills=[mastery_public(s) for s in p.skills],
        recent=p.recent,
    )


@router.post("/learners/{learner_id}/attempts", response_model=AttemptResultPublic, status_code=201)
def answer(learner_id: int, body: AttemptCreate, ctx: Ctx, actor: ApiActor) -> AttemptResultPublic:
    """Answer an item as the learner: scored, stored and mastery updated in one transaction."""
    r = learning.record_attempt(
        ctx, actor, learner_id, body.item_id, body.response, body.duration_ms, body.hints_used
    )
    return AttemptResultPublic(
        attempt_id=r.attempt_id,
        correct=r.correct,
        score=r.score,
        correct_answer=r.correct_answer,
        explanation=r.explanation,
        skills=[SkillChangePublic(skill=mastery_public(s), p_mastery_before=b) for s, b in r.skills],
    )
