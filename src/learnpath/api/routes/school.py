"""The admin's own school."""

from __future__ import annotations

from fastapi import APIRouter

from learnpath.api.deps import ApiActor, Ctx
from learnpath.api.schemas import SchoolPublic
from learnpath.service import roster

router = APIRouter(tags=["school"])


@router.get("/school", response_model=SchoolPublic)
def school(ctx: Ctx, actor: ApiActor) -> SchoolPublic:
    """Counts of people, classes and attempts in the admin's school."""
    return SchoolPublic(**roster.school_overview(ctx, actor).__dict__)
