"""The curriculum: skills with their prerequisites."""

from __future__ import annotations

from fastapi import APIRouter

from learnpath.api.deps import ApiActor, Ctx
from learnpath.api.schemas import SkillList, SkillPublic
from learnpath.service import content

router = APIRouter(tags=["skills"])


@router.get("/skills", response_model=SkillList)
def list_skills(ctx: Ctx, actor: ApiActor) -> SkillList:
    """Every skill, its prerequisites (codes) and how many items practise it."""
    return SkillList(data=[SkillPublic(**s.__dict__) for s in content.list_skills(ctx, actor)])
