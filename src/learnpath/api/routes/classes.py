"""Classes: list and the mastery overview (heatmap and who is struggling)."""

from __future__ import annotations

from fastapi import APIRouter

from learnpath.api.deps import ApiActor, Ctx
from learnpath.api.schemas import (
    ClassList,
    ClassMasteryPublic,
    ClassPublic,
    HeatCellPublic,
    LearnerPublic,
    StrugglePublic,
)
from learnpath.service import classes

router = APIRouter(tags=["classes"])


@router.get("/classes", response_model=ClassList)
def list_classes(ctx: Ctx, actor: ApiActor) -> ClassList:
    """Classes the caller teaches (teacher) or their school holds (admin)."""
    return ClassList(data=[ClassPublic(**c.__dict__) for c in classes.list_classes(ctx, actor)])


@router.get("/classes/{class_id}/mastery", response_model=ClassMasteryPublic, response_model_by_alias=True)
def class_mastery(class_id: int, ctx: Ctx, actor: ApiActor) -> ClassMasteryPublic:
    """Mastery heatmap (learners x skills) and who is struggling on what."""
    o = classes.class_overview(ctx, actor, class_id)
    return ClassMasteryPublic(
        class_=ClassPublic(**o.summary.__dict__),
        learners=[LearnerPublic(id=i, username="", display_name=n, grade=None) for i, n in o.learners],
        skills=[{"code": c, "name": n} for c, n in o.skills],
        cells=[
            HeatCellPublic(
                learner_id=lid, skill_code=code, p_mastery=c.p_mastery, n_attempts=c.n_attempts, level=c.level
            )
            for (lid, code), c in o.cells.items()
        ],
        struggling=[StrugglePublic(**s.__dict__) for s in o.struggling],
    )
