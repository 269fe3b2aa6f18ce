"""The learner's pages: practice (next item, hints, answering) and a learner's progress."""

from __future__ import annotations

import json
from typing import Annotated, Any
from urllib.parse import urlencode

import numpy as np
from fastapi import APIRouter, Form, Request, Response

from learnpath.core.items import Item
from learnpath.core.qti import responses_from_form
from learnpath.errors import ValidationError
from learnpath.service import content, learning, next_steps, progress_focus, qti_import, resources, scoring
from learnpath.service.access import require_role
from learnpath.web import next_views
from learnpath.web.charts import group_by_grade
from learnpath.web.deps import Ctx, SignedIn, WebUser, check_csrf, locale_of
from learnpath.web.family_work import work_rows
from learnpath.web.i18n import load_translations
from learnpath.web.present import ItemView, feedback_of, item_view
from learnpath.web.render import is_htmx, render

router = APIRouter(include_in_schema=False)


def _chart(ctx: Ctx, user: WebUser, show: str = "focus") -> dict[str, Any]:
    """The mastery chart: by default only the skills practised and those on the way to the goals (a
    school may have hundreds); ``show="all"`` for every skill. ``sel`` feeds the "show all" link."""
    sel = progress_focus.progress_skills(ctx, user.actor, user.actor.user_id, show=show, recent=0)
    return {"groups": group_by_grade(sel.progress.skills), "progress": sel.progress, "sel": sel}


def _view(request: Request, ctx: Ctx, user: WebUser, item_id: int, item: Item) -> ItemView:
    """What the learner sees of an item; QTI bodies get their media URLs and translated labels."""
    locale = locale_of(request, user)
    media = None
    if item.qti is not None and item.qti.assets:
        media = qti_import.media_urls(ctx, item_id, "/learn")
    return item_view(item_id, item, locale, media, load_translations(locale).gettext("Your answer"))


@router.get("/learn")
def learn(request: Request, ctx: Ctx, user: SignedIn, skill: str = "", show: str = "focus") -> Response:
    """The learner's home: the next-step choices, a practice item (of the picked ``skill``, or the next
    one chosen for them) with why it was chosen, and mastery per skill (those practised and on the way to
    the goals; ``show=all`` for every skill)."""
    require_role(user.actor, "learner")
    chart = _chart(ctx, user, show)  # a bad ``show`` fails before an item is picked
    rng = np.random.default_rng()
    choice: learning.NextItem | None
    if skill.strip():
        choice = next_steps.practice_item(ctx, user.actor, user.actor.user_id, skill[:100], rng)
    else:
        choice = learning.next_item(ctx, user.actor, user.actor.user_id, rng)
    context: dict[str, Any] = {
        "item": None,
        "feedback": None,
        "hints_shown": [],
        "picked": bool(skill.strip()),
    }
    context.update(next_views.choices_context(request, ctx, user))
    if choice is not None:
        context.update(
            item=_view(request, ctx, user, choice.item_id, choice.item),
            reason=choice.reason,
            skill_name=choice.skill_name,
            skill_code=choice.skill_code,
        )
        context["resources"] = resources.content_for_skill(ctx, user.actor, choice.skill_code)
    context.update(chart)
    if skill.strip():  # the "show all" link keeps the skill being practised
        context["chart_url"] = f"/learn?{urlencode({'skill': skill.strip()[:100]})}"
    return render(request, "learn.html", context, user=user)


@router.get("/learn/hint")
def hint(request: Request, ctx: Ctx, user: SignedIn, item_id: int, shown: int = 0) -> Response:
    """One more hint for an item (htmx swaps it into the answer form, which counts hints_used)."""
    require_role(user.actor, "learner")
    iid, item, _ = content.get_item(ctx, user.actor, item_id)
    view = _view(request, ctx, user, iid, item)
    n = max(0, min(shown + 1, len(view.hints)))
    return render(request, "_hints.html", {"item": view, "hints_shown": view.hints[:n]}, user=user)


def _int_or_none(value: str) -> int | None:
    value = value.strip()
    return int(value) if value.lstrip("-").isdigit() else None


@router.post("/learn/answer")
async def answer(
    request: Request,
    ctx: Ctx,
    user: SignedIn,
    item_id: Annotated[int, Form()],
    response: Annotated[str, Form()] = "",
    duration_ms: Annotated[str, Form()] = "",
    hints_used: Annotated[int, Form()] = 0,
    skill: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    """Score and store an answer; reply with the feedback (a partial for htmx, else the whole page)."""
    await check_csrf(request, user)
    require_role(user.actor, "learner")
    iid, item, _ = content.get_item(ctx, user.actor, item_id)
    view = _view(request, ctx, user, iid, item)
    if item.qti is not None:  # QTI forms name their fields qti:<response identifier>
        responses = responses_from_form((await request.form()).multi_items())  # type: ignore[arg-type]
        given = any(v.strip() for values in responses.values() for v in values)
        response = json.dumps(responses, ensure_ascii=False) if given else ""
    try:
        result = learning.record_attempt(
            ctx, user.actor, user.actor.user_id, iid, response, _int_or_none(duration_ms), hints_used
        )
    except ValidationError:
        n_hints = max(0, min(hints_used, len(view.hints)))
        context: dict[str, Any] = {
            "item": view,
            "answer_error": True,
            "hints_shown": view.hints[:n_hints],
            "feedback": None,
            "reason": "continue",
            "skill_name": "",
            "skill_code": "",
        }
        if is_htmx(request):
            return render(request, "_item.html", context, status=422, user=user)
        context.update(_chart(ctx, user))
        return render(request, "learn.html", context, status=422, user=user)
    context = {"feedback": feedback_of(result, view, item, hints_used), "item": None, "oob": is_htmx(request)}
    context["next_skill"] = skill.strip()
    context.update(_chart(ctx, user))
    template = "_feedback.html" if is_htmx(request) else "learn.html"
    return render(request, template, context, user=user)


@router.get("/learn/items/{item_id}/media/{media_id}")
def media(ctx: Ctx, user: SignedIn, item_id: int, media_id: int) -> Response:
    """An image (or audio, video) of an item, for signed-in users who may read the item."""
    found = qti_import.item_media(ctx, user.actor, item_id, media_id)
    headers = {
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; sandbox",
        "Cache-Control": "private, max-age=3600",
        "ETag": f'"{found.sha256}"',
    }
    return Response(found.content, media_type=found.media_type, headers=headers)


@router.get("/learners/{learner_id}")
def learner_page(request: Request, ctx: Ctx, user: SignedIn, learner_id: int) -> Response:
    """A learner's progress: mastery per skill (by grade) and the latest answers. By default only the skills
    practised and those on the way to the goals; ``show=all`` for every skill, ``q`` to search them all (an
    htmx request gets just the skill list)."""
    sel = progress_focus.progress_skills(
        ctx,
        user.actor,
        learner_id,
        show=request.query_params.get("show") or "focus",
        query=request.query_params.get("q", ""),
        recent=10,
    )
    progress = sel.progress
    parts = {"sel": sel, "groups": group_by_grade(progress.skills), "base": f"/learners/{learner_id}"}
    if is_htmx(request) and request.headers.get("hx-history-restore-request") != "true":
        return render(request, "_progress_skills.html", parts, user=user)
    context = {
        **parts,
        "progress": progress,
        "n_mastered": sel.n_mastered,
        "own": user.actor.role == "learner" and user.actor.user_id == learner_id,
        "marks": scoring.teacher_marks(ctx, user.actor, learner_id, limit=5),
        "work": work_rows(ctx, user, learner_id),
    }
    return render(request, "learner.html", context, user=user)
