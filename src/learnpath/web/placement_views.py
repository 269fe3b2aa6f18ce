"""Pages of the placement test: a learner answers one question at a time (htmx swaps the next one in; the
state lives on the server), and a teacher sees each learner's result and the class summary."""

from __future__ import annotations

from typing import Annotated, Any

import numpy as np
from fastapi import APIRouter, Form, Request, Response

from learnpath.service import placement
from learnpath.service.access import require_role
from learnpath.web.deps import Ctx, SignedIn, WebUser, check_csrf, locale_of
from learnpath.web.present import item_view
from learnpath.web.render import is_htmx, render

__all__ = ["router"]

router = APIRouter(include_in_schema=False)


def _context(request: Request, user: WebUser, view: placement.PlacementView) -> dict[str, Any]:
    q = view.question
    return {
        "placement": view,
        "item": item_view(q.item_id, q.item, locale_of(request, user)) if q else None,
        "skill_name": q.skill_name if q else "",
        "answer_error": False,
    }


@router.get("/learn/placement")
def placement_page(request: Request, ctx: Ctx, user: SignedIn) -> Response:
    """Start (or go on with) the placement test; once done, what it found."""
    require_role(user.actor, "learner")
    view = placement.current_placement(ctx, user.actor, user.actor.user_id, np.random.default_rng())
    return render(request, "placement.html", _context(request, user, view), user=user)


@router.post("/learn/placement/answer")
async def placement_answer(
    request: Request,
    ctx: Ctx,
    user: SignedIn,
    placement_id: Annotated[int, Form()] = 0,
    item_id: Annotated[int, Form()] = 0,
    response: Annotated[str, Form(max_length=2000)] = "",
    dont_know: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    """Answer the current question (or "I don't know yet"); reply with the next one or the result."""
    await check_csrf(request, user)
    require_role(user.actor, "learner")
    view = placement.answer_placement(
        ctx, user.actor, user.actor.user_id, placement_id, item_id, None if dont_know else response
    )
    context = _context(request, user, view)
    template = "_placement.html" if is_htmx(request) else "placement.html"
    return render(request, template, context, user=user)


@router.get("/classes/{class_id}/placement")
def class_placement_page(request: Request, ctx: Ctx, user: SignedIn, class_id: int) -> Response:
    """Each learner's placement result and the class summary (share of placed learners who know each skill)."""
    summary = placement.class_placements(ctx, user.actor, class_id)
    return render(request, "class_placement.html", {"summary": summary}, user=user)
