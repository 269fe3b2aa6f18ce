"""Next steps with choice: the choices for a learner, the learner's pick (which starts practice), and the
learner's interests (which the ``interest`` choices follow)."""

from __future__ import annotations

from typing import Annotated

import numpy as np
from fastapi import APIRouter, Query

from learnpath.api.deps import ApiActor, Ctx
from learnpath.api.schemas import (
    InterestOptionPublic,
    InterestsPublic,
    InterestsUpdate,
    ItemPublic,
    NextItemPublic,
    NextStepPublic,
    NextStepsPublic,
    PickCreate,
    SkillRefPublic,
)
from learnpath.service import assignments, next_steps
from learnpath.web.reasons import interest_labels, notice_text, reason_text

router = APIRouter(tags=["learners"])


@router.get("/learners/{learner_id}/next", response_model=NextStepsPublic)
def get_next_steps(
    learner_id: int,
    ctx: Ctx,
    actor: ApiActor,
    goal: Annotated[str | None, Query(max_length=100, description="A skill code to aim for.")] = None,
) -> NextStepsPublic:
    """3 to 5 next steps for the learner, must-do first, each with a reason in the caller's language."""
    view = next_steps.next_steps(ctx, actor, learner_id, goal=goal)
    return NextStepsPublic(
        learner_id=view.learner_id,
        choices=[
            NextStepPublic(
                position=c.position,
                skill_code=c.skill_code,
                skill_name=c.skill_name,
                grade=c.grade,
                kind=c.kind,
                reason=reason_text(c, actor.locale),
                days_since=c.days_since,
                interest=c.interest,
                due_at=c.due,
                assignment_id=c.assignment_id,
                content_id=c.content_id,
                content_title=c.content_title,
                repeated_answer=c.repeated,
            )
            for c in view.choices
        ],
        notice=view.notice,
        notice_text=notice_text(view.notice, actor.locale),
        blocked_by=[SkillRefPublic(code=b.code, name=b.name) for b in view.blocked_by],
        placement_offered=view.placement_offered,
    )


@router.post("/learners/{learner_id}/next", response_model=NextItemPublic, status_code=201)
def pick_next_step(learner_id: int, body: PickCreate, ctx: Ctx, actor: ApiActor) -> NextItemPublic:
    """The learner picks a skill (offered or not): the pick is recorded and the first item returned."""
    item = next_steps.record_pick(ctx, actor, learner_id, body.skill_code, np.random.default_rng())
    return NextItemPublic(
        item=ItemPublic.of(item.item_id, item.item, with_answer=False),
        skill_code=item.skill_code,
        skill_name=item.skill_name,
        reason=item.reason,
        p_correct=item.p_correct,
    )


def _interests(learner_id: int, tags: list[str], locale: str) -> InterestsPublic:
    labels = interest_labels(locale)
    return InterestsPublic(
        learner_id=learner_id,
        interests=tags,
        options=[InterestOptionPublic(tag=t, label=labels.get(t, t)) for t in assignments.INTERESTS],
    )


@router.get("/learners/{learner_id}/interests", response_model=InterestsPublic)
def get_interests(learner_id: int, ctx: Ctx, actor: ApiActor) -> InterestsPublic:
    """The learner's interests (tags, sorted) and every tag they may pick, named in the caller's language."""
    tags = assignments.interests_of(ctx, actor, learner_id)
    return _interests(learner_id, tags, actor.locale)


@router.put("/learners/{learner_id}/interests", response_model=InterestsPublic)
def put_interests(learner_id: int, body: InterestsUpdate, ctx: Ctx, actor: ApiActor) -> InterestsPublic:
    """The learner replaces their interests (an empty list clears them); an unknown tag is a 422 naming it."""
    tags = assignments.set_interests(ctx, actor, learner_id, body.interests)
    return _interests(learner_id, tags, actor.locale)
