"""Items: answers are shown to teachers and admins only."""

from __future__ import annotations

from fastapi import APIRouter

from learnpath.api.deps import ApiActor, Ctx
from learnpath.api.schemas import ItemPublic
from learnpath.service import content

router = APIRouter(tags=["items"])


@router.get("/items/{item_id}", response_model=ItemPublic)
def get_item(item_id: int, ctx: Ctx, actor: ApiActor) -> ItemPublic:
    """One item; its answer and explanation only for teachers and admins."""
    iid, item, with_answer = content.get_item(ctx, actor, item_id)
    return ItemPublic.of(iid, item, with_answer)
