"""Pages of next steps with choice: the choice cards on the learner's home, picking one, a learner's
interests. (A class's assignments: ``assignment_views``.)"""

from __future__ import annotations

from typing import Annotated, Any

import numpy as np
from fastapi import APIRouter, Form, Request, Response
from fastapi.responses import RedirectResponse

from learnpath.errors import FieldError, ValidationError
from learnpath.service import assignments, next_steps
from learnpath.service.access import require_role
from learnpath.web.deps import Ctx, SignedIn, WebUser, check_csrf, locale_of
from learnpath.web.reasons import interest_labels, notice_text, reason_text
from learnpath.web.render import render

__all__ = ["choices_context", "router"]

router = APIRouter(include_in_schema=False)


def choices_context(request: Request, ctx: Ctx, user: WebUser) -> dict[str, Any]:
    """The ``steps`` of the learner's home page: cards with the reason in words, the notice, placement."""
    locale = locale_of(request, user)
    view = next_steps.next_steps(ctx, user.actor, user.actor.user_id)
    cards = [
        {
            "skill_code": c.skill_code,
            "skill_name": c.skill_name,
            "kind": c.kind,
            "reason": reason_text(c, locale),
            "due": c.due.date().isoformat() if c.due else "",
            "content_id": c.content_id,
            "content_title": c.content_title,
        }
        for c in view.choices
    ]
    return {
        "steps": {
            "cards": cards,
            "notice": notice_text(view.notice, locale),
            "placement_offered": view.placement_offered,
        }
    }


@router.post("/learn/pick")
async def pick(
    request: Request, ctx: Ctx, user: SignedIn, skill_code: Annotated[str, Form(max_length=100)] = ""
) -> Response:
    """Record the learner's pick and start practice on that skill."""
    await check_csrf(request, user)
    require_role(user.actor, "learner")
    if not skill_code.strip():
        raise ValidationError("pick one of the choices", [FieldError("skill_code", "must not be empty")])
    item = next_steps.record_pick(ctx, user.actor, user.actor.user_id, skill_code, np.random.default_rng())
    return RedirectResponse(f"/learn?skill={item.skill_code}", status_code=303)


@router.get("/learn/interests")
def interests_page(request: Request, ctx: Ctx, user: SignedIn) -> Response:
    """The learner picks what they like (space, animals, ...), for choices that match."""
    require_role(user.actor, "learner")
    mine = set(assignments.interests_of(ctx, user.actor, user.actor.user_id))
    labels = interest_labels(locale_of(request, user))
    options = [{"tag": t, "label": labels[t], "checked": t in mine} for t in assignments.INTERESTS]
    return render(request, "interests.html", {"options": options, "saved": False}, user=user)


@router.post("/learn/interests")
async def save_interests(request: Request, ctx: Ctx, user: SignedIn) -> Response:
    await check_csrf(request, user)
    require_role(user.actor, "learner")
    form = await request.form()
    tags = [v for v in form.getlist("interest") if isinstance(v, str)]
    assignments.set_interests(ctx, user.actor, user.actor.user_id, tags)
    return RedirectResponse("/learn", status_code=303)
