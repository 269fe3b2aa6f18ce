"""The path page: the web of skills around a goal, the path through it, what the learner is ready for, and
(for teachers and admins) picking goals for a learner or for several learners of a class."""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request, Response
from fastapi.responses import RedirectResponse

from learnpath.errors import FieldError, ValidationError
from learnpath.service import goals, paths
from learnpath.web.deps import Ctx, SignedIn, WebUser, check_csrf, locale_of
from learnpath.web.path_map import layout
from learnpath.web.render import render

router = APIRouter(include_in_schema=False)

MAX_FORM_VALUES = 200


def _page(
    request: Request,
    ctx: Ctx,
    user: WebUser,
    learner_id: int,
    goal_codes: list[str],
    *,
    form_errors: list[str] | None = None,
    status: int = 200,
) -> Response:
    locale = locale_of(request, user)
    actor = user.actor
    result, web = paths.skill_web(ctx, actor, learner_id, goal_codes, locale)
    ready = paths.ready_skills(ctx, actor, learner_id, locale)
    learner_goals = goals.list_goals(ctx, actor, learner_id, active_only=True)
    skills = paths.skill_choices(ctx, actor, locale)
    names = {code: name for code, name, _ in skills}
    context: dict[str, Any] = {
        "result": result,
        "web": web,
        "skill_map": layout(web),
        "ready": ready,
        "learner_goals": learner_goals,
        "skill_names": names,
        "skills": skills,
        "chosen": [g.code for g in result.goals],
        "own": actor.role == "learner" and actor.user_id == learner_id,
        "can_pick": actor.role in ("teacher", "admin"),
        "form_errors": form_errors or [],
        "goal_set": request.query_params.get("goal_set") == "1",
        "today": ctx.clock().date().isoformat(),
    }
    return render(request, "path.html", context, status=status, user=user)


@router.get("/learners/{learner_id}/path")
def path_page(request: Request, ctx: Ctx, user: SignedIn, learner_id: int) -> Response:
    """The web of skills around the goal (``?goal=CODE``, repeatable; default: the learner's goals)."""
    goal_codes = [g for g in request.query_params.getlist("goal") if g.strip()][:MAX_FORM_VALUES]
    return _page(request, ctx, user, learner_id, goal_codes)


def _parse_date(value: str) -> date:
    try:
        return date.fromisoformat(value.strip())
    except ValueError as exc:
        raise ValidationError(
            "the goal cannot be set", [FieldError("target_date", "use YYYY-MM-DD")]
        ) from exc


def _strings(values: list[Any]) -> list[str]:
    return [v for v in values if isinstance(v, str)][:MAX_FORM_VALUES]


def _int_list(values: list[str], field: str) -> list[int]:
    out = []
    for v in values:
        if not v.strip().isdigit():
            raise ValidationError("the goal cannot be set", [FieldError(field, f"not a learner id: {v!r}")])
        out.append(int(v))
    return out


async def _goal_form(request: Request) -> tuple[list[str], str, date | None, list[str]]:
    form = await request.form()
    skills = _strings(form.getlist("goal_skill"))
    title = form.get("title", "")
    raw_date = form.get("target_date", "")
    target = _parse_date(raw_date) if isinstance(raw_date, str) and raw_date.strip() else None
    return skills, title if isinstance(title, str) else "", target, _strings(form.getlist("goal_learner"))


def _fields(exc: ValidationError) -> list[str]:
    """The names of the bad fields (the page words them; the messages are English)."""
    return [f.field for f in exc.errors] or ["form"]


@router.post("/learners/{learner_id}/goals")
async def set_goal(request: Request, ctx: Ctx, user: SignedIn, learner_id: int) -> Response:
    """A teacher (or admin) sets a skill goal for one learner; back to the path page toward it."""
    await check_csrf(request, user)
    goals.check_may_pick(ctx, user.actor, [learner_id])
    try:
        skills, title, target, _ = await _goal_form(request)
        made = goals.pick_goals(ctx, user.actor, [learner_id], skills, title=title, target_date=target)
    except ValidationError as exc:
        return _page(request, ctx, user, learner_id, [], form_errors=_fields(exc), status=422)
    query = "&".join(f"goal={quote(code)}" for code in made[0].skills)
    return RedirectResponse(f"/learners/{learner_id}/path?{query}&goal_set=1", status_code=303)


@router.post("/classes/{class_id}/goals")
async def set_class_goal(request: Request, ctx: Ctx, user: SignedIn, class_id: int) -> Response:
    """A teacher (or admin) sets one skill goal for the chosen learners of a class; back to the class page,
    which says how many goals were set or which fields were missing."""
    await check_csrf(request, user)
    goals.check_may_pick(ctx, user.actor, [], class_id)
    try:
        skills, title, target, learner_values = await _goal_form(request)
        learner_ids = _int_list(learner_values, "learner_ids")
        made = goals.pick_goals(
            ctx, user.actor, learner_ids, skills, class_id=class_id, title=title, target_date=target
        )
    except ValidationError as exc:
        fields = ",".join(sorted(set(_fields(exc))))
        return RedirectResponse(f"/classes/{class_id}?goal_error={quote(fields)}#goals", status_code=303)
    return RedirectResponse(f"/classes/{class_id}?goals_set={len(made)}#goals", status_code=303)
