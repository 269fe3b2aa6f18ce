"""Pages of next steps with choice: the choice cards on the learner's home, picking one, a learner's
interests, and a class's must-do assignments (a simple form for teachers)."""

from __future__ import annotations

from datetime import UTC, datetime, time
from typing import Annotated, Any

import numpy as np
from fastapi import APIRouter, Form, Request, Response
from fastapi.responses import RedirectResponse

from learnpath.errors import FieldError, ValidationError
from learnpath.service import assignments, classes, next_steps
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


def _due(value: str) -> datetime | None:
    value = value.strip()
    if not value:
        return None
    try:
        day = datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError as exc:
        raise ValidationError(
            "the due date is not a date", [FieldError("due", "expected YYYY-MM-DD")]
        ) from exc
    return datetime.combine(day, time(23, 59), tzinfo=UTC)


@router.get("/classes/{class_id}/assignments")
def assignments_page(request: Request, ctx: Ctx, user: SignedIn, class_id: int) -> Response:
    """A class's must-do work, and a form to give a skill to the class or one learner."""
    overview = classes.class_overview(ctx, user.actor, class_id, recent=0)
    context = {
        "overview": overview,
        "assignments": assignments.class_assignments(ctx, user.actor, class_id),
    }
    return render(request, "assignments.html", context, user=user)


@router.post("/classes/{class_id}/assignments")
async def add_assignment(
    request: Request,
    ctx: Ctx,
    user: SignedIn,
    class_id: int,
    skill_code: Annotated[str, Form(max_length=100)] = "",
    learner_id: Annotated[str, Form(max_length=20)] = "",
    due: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    await check_csrf(request, user)
    require_role(user.actor, "teacher", "admin")
    if not skill_code.strip():
        raise ValidationError("choose a skill", [FieldError("skill_code", "must not be empty")])
    who = int(learner_id) if learner_id.strip().isdigit() else None
    if who is not None:
        overview = classes.class_overview(ctx, user.actor, class_id, recent=0)
        if who not in {lid for lid, _ in overview.learners}:
            raise ValidationError(
                "that learner is not in this class", [FieldError("learner_id", "not in class")]
            )
        assignments.add_assignment(ctx, user.actor, skill_code, learner_id=who, due_at=_due(due))
    else:
        assignments.add_assignment(ctx, user.actor, skill_code, class_id=class_id, due_at=_due(due))
    return RedirectResponse(f"/classes/{class_id}/assignments", status_code=303)
