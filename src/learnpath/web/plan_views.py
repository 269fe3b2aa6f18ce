"""The personal learning plan pages (issue 6): the plan with forecasts, drafting a goal, approving,
commenting and adjusting goals, and the signed-in person's notifications."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import RedirectResponse

from learnpath.errors import FieldError, PermissionDeniedError, ValidationError
from learnpath.service import notifications, paths, plans, skill_search
from learnpath.web.deps import Ctx, SignedIn, WebUser, check_csrf, locale_of
from learnpath.web.plan_words import action_word, notice_text, state_word
from learnpath.web.render import is_htmx, render

router = APIRouter(include_in_schema=False)

MAX_LINES = 20
STEPS_SHOWN = 12
MAX_TICKED = 50
"""Most skills one goal form sends (``goal_skill``): the rest are dropped."""


@dataclass(frozen=True)
class Revising:
    """What a goal's change form held when its Find button was pressed without JavaScript: the plan page
    comes back with it (the boxes ticked, the name and date typed), so a search loses nothing."""

    goal_id: int
    title: str
    target_date: str
    ticked: frozenset[str]


def _plan_page(
    request: Request,
    ctx: Ctx,
    user: WebUser,
    learner_id: int,
    *,
    errors: list[str] | None = None,
    error_goal: int | None = None,
    found: skill_search.SkillMatches | None = None,
    revising: Revising | None = None,
    status: int = 200,
) -> Response:
    locale = locale_of(request, user)
    view = plans.plan_view(ctx, user.actor, learner_id, locale)
    context: dict[str, Any] = {
        "plan": view,
        "found": found,
        "revising": revising,
        "own": user.actor.role == "learner" and user.actor.user_id == learner_id,
        "errors": errors or [],
        "error_goal": error_goal,
        "state_word": lambda s: state_word(s, locale),
        "action_word": lambda a: action_word(a, locale),
        "steps_shown": STEPS_SHOWN,
        "today": ctx.clock().date().isoformat(),
        "saved": request.query_params.get("saved", ""),
    }
    return render(request, "plan.html", context, status=status, user=user)


@router.get("/learners/{learner_id}/plan")
def plan_page(request: Request, ctx: Ctx, user: SignedIn, learner_id: int) -> Response:
    """The learner's goals: where each stands, the forecast as a picture, approvals, comments, history."""
    return _plan_page(request, ctx, user, learner_id)


@router.get("/goals/{goal_id}/skills")
def goal_skills(request: Request, ctx: Ctx, user: SignedIn, goal_id: int, q: str = "") -> Response:
    """Skills to add to a goal: at most 20 whose code or name holds ``q``, as tick boxes of the goal's
    change form. htmx (typing in the box) gets just the list; any other request the plan page with the list
    in that goal's form (the form's own Find button posts the whole form instead: ``revise`` with ``find``)."""
    ticked = _ticked(request)
    locale = locale_of(request, user)
    found = skill_search.goal_skill_matches(ctx, user.actor, goal_id, q, locale, skip=frozenset(ticked))
    if is_htmx(request):
        return render(request, "_skill_matches.html", {"found": found}, user=user)
    return _plan_page(request, ctx, user, found.learner_id, found=found)


def _ticked(request: Request) -> list[str]:
    """Skills sent as ``goal_skill`` with a search: boxes ticked among the last matches."""
    return _codes(request.query_params.getlist("goal_skill"))


def _codes(values: list[Any]) -> list[str]:
    """The skill codes of a form's ``goal_skill`` values (at most :data:`MAX_TICKED`)."""
    return [v for v in values if isinstance(v, str) and v.strip()][:MAX_TICKED]


def _form_page(
    request: Request,
    ctx: Ctx,
    user: WebUser,
    learner_id: int,
    values: dict[str, Any],
    errors: list[FieldError],
    status: int = 200,
    found: skill_search.SkillMatches | None = None,
) -> Response:
    locale = locale_of(request, user)
    view = plans.plan_view(ctx, user.actor, learner_id, locale)
    if not view.may_draft:
        raise PermissionDeniedError("the teacher or the learner drafts goals; families approve them")
    # only the ticked skills are listed (with their grade); others are found with the search box
    if found is not None:  # a search read the ticked skills already: the form lists them, not the matches
        skills, found = found.kept, replace(found, kept=[])
    else:
        ticked = set(values.get("skills", []))
        skills = [s for s in paths.skill_choices(ctx, user.actor, locale) if s[0] in ticked] if ticked else []
    context = {
        "plan": view,
        "own": user.actor.role == "learner" and user.actor.user_id == learner_id,
        "skills": skills,
        "found": found,
        "values": values,
        "errors": {e.field.split("[")[0]: e.message for e in errors},
        "today": ctx.clock().date().isoformat(),
    }
    return render(request, "goal_form.html", context, status=status, user=user)


@router.get("/learners/{learner_id}/plan/new")
def new_goal_page(request: Request, ctx: Ctx, user: SignedIn, learner_id: int) -> Response:
    """The goal drafting form: a skill goal (skills of any grade) or an interest/project goal."""
    kind = "interest" if request.query_params.get("kind") == "interest" else "skill"
    return _form_page(request, ctx, user, learner_id, {"kind": kind, "skills": []}, [])


@router.get("/learners/{learner_id}/plan/skills")
def new_goal_skills(request: Request, ctx: Ctx, user: SignedIn, learner_id: int, q: str = "") -> Response:
    """Skills for a new goal: at most 20 whose code or name holds ``q``, as tick boxes of the new-goal form
    (skills already ticked, sent as ``goal_skill``, are kept ticked and not offered again). htmx gets just
    the list; any other request the new-goal form with the list in it (the form's own Find button posts the
    whole form instead: ``draft_goal`` with ``find``)."""
    ticked = _ticked(request)
    found = skill_search.learner_skill_matches(
        ctx, user.actor, learner_id, q, locale_of(request, user), skip=frozenset(ticked)
    )
    if is_htmx(request):
        return render(request, "_skill_matches.html", {"found": found}, user=user)
    values = {"kind": "skill", "skills": ticked}
    return _form_page(request, ctx, user, learner_id, values, [], found=found)


def _lines(value: Any) -> list[str]:
    text = value if isinstance(value, str) else ""
    return [line.strip() for line in text.splitlines() if line.strip()][: MAX_LINES + 1]


def _str(form: Any, name: str) -> str:
    value = form.get(name, "")
    return value if isinstance(value, str) else ""


@router.post("/learners/{learner_id}/plan/goals")
async def draft_goal(request: Request, ctx: Ctx, user: SignedIn, learner_id: int) -> Response:
    """Save a drafted goal and ask for approval; bad fields come back on the form (422), nothing saved.
    With ``find`` (the skill search's button, without JavaScript) nothing is saved: the form comes back with
    the skills matching ``q`` added to it, everything ticked and typed kept."""
    await check_csrf(request, user)
    form = await request.form()
    kind = "interest" if _str(form, "kind") == "interest" else "skill"
    values: dict[str, Any] = {
        "kind": kind,
        "skills": _codes(form.getlist("goal_skill")),
        "title": _str(form, "title"),
        "details": _str(form, "details"),
        "target_date": _str(form, "target_date"),
        "milestones": _str(form, "milestones"),
        "assess": _str(form, "assess"),
        "criteria": _str(form, "criteria"),
    }
    if kind == "skill" and _str(form, "find"):
        found = skill_search.learner_skill_matches(
            ctx,
            user.actor,
            learner_id,
            _str(form, "q"),
            locale_of(request, user),
            skip=frozenset(values["skills"]),
        )
        return _form_page(request, ctx, user, learner_id, values, [], found=found)
    fields: dict[str, Any] = {"kind": kind, "title": values["title"], "details": values["details"]}
    problems: list[FieldError] = []
    if values["target_date"].strip():
        try:
            fields["target_date"] = date.fromisoformat(values["target_date"].strip())
        except ValueError:
            problems.append(FieldError("target_date", "use YYYY-MM-DD"))
    if kind == "skill":
        fields["skills"] = values["skills"]
    else:
        fields["milestones"] = _lines(values["milestones"])
        criteria = _lines(values["criteria"])
        if values["assess"] == "checklist":
            fields["checklist"] = criteria
        elif values["assess"] == "rubric":
            fields["rubric"] = criteria
    try:
        if problems:
            raise ValidationError("the goal cannot be saved", problems)
        goal_id = plans.draft_goal(ctx, user.actor, learner_id, **fields)
    except ValidationError as exc:
        return _form_page(request, ctx, user, learner_id, values, exc.errors, status=422)
    return RedirectResponse(f"/learners/{learner_id}/plan?saved=drafted#goal-{goal_id}", status_code=303)


async def _goal_action(request: Request, ctx: Ctx, user: WebUser, goal_id: int, action: str) -> Response:
    await check_csrf(request, user)
    learner_id = plans.goal_learner(ctx, user.actor, goal_id)
    form = await request.form()
    if action == "revise" and _str(form, "find"):
        return _find_for_goal(request, ctx, user, goal_id, learner_id, form)
    comment = _str(form, "comment")
    try:
        if action == "decision":
            plans.decide_goal(ctx, user.actor, goal_id, _str(form, "decision"), comment)
        elif action == "comment":
            plans.comment_goal(ctx, user.actor, goal_id, comment)
        elif action == "propose":
            plans.propose_goal(ctx, user.actor, goal_id, comment)
        elif action == "state":
            _change_state(ctx, user, goal_id, _str(form, "state"), _str(form, "target_date"), comment)
        elif action == "revise":
            raw = _str(form, "target_date").strip()
            target = _date(raw) if raw else None
            skills = None
            if _str(form, "skills_shown") == "1":
                skills = [str(c) for c in form.getlist("goal_skill")]
                skills += [_str(form, "add_skill")] if _str(form, "add_skill").strip() else []
            plans.revise_goal(
                ctx, user.actor, goal_id, title=_str(form, "title"), details=_str(form, "details") or None,
                target_date=target, clear_date=not raw, skills=skills, propose=_str(form, "propose") != "0",
            )  # fmt: skip
    except ValidationError as exc:
        fields = [f.field for f in exc.errors] or ["form"]
        return _plan_page(request, ctx, user, learner_id, errors=fields, error_goal=goal_id, status=422)
    return RedirectResponse(f"/learners/{learner_id}/plan?saved={action}#goal-{goal_id}", status_code=303)


def _find_for_goal(
    request: Request, ctx: Ctx, user: WebUser, goal_id: int, learner_id: int, form: Any
) -> Response:
    """The change form's Find button (no JavaScript): the plan page again, nothing saved, the skills
    matching ``q`` added to the goal's form and every box ticked, name and date typed kept."""
    ticked = frozenset(_codes(form.getlist("goal_skill")))
    found = skill_search.goal_skill_matches(
        ctx, user.actor, goal_id, _str(form, "q"), locale_of(request, user), skip=ticked
    )
    revising = Revising(goal_id, _str(form, "title"), _str(form, "target_date"), ticked)
    return _plan_page(request, ctx, user, learner_id, found=found, revising=revising)


def _date(raw: str) -> date:
    try:
        return date.fromisoformat(raw.strip())
    except ValueError:
        raise ValidationError.for_field("target_date", "use YYYY-MM-DD") from None


def _change_state(ctx: Ctx, user: WebUser, goal_id: int, state: str, raw_date: str, comment: str) -> None:
    target = _date(raw_date) if raw_date.strip() else None
    plans.set_goal_state(ctx, user.actor, goal_id, state or None, comment, target)


@router.post("/goals/{goal_id}/decision")
async def decide(request: Request, ctx: Ctx, user: SignedIn, goal_id: int) -> Response:
    """Approve a proposed goal, or ask for a change (with a comment)."""
    return await _goal_action(request, ctx, user, goal_id, "decision")


@router.post("/goals/{goal_id}/comment")
async def comment(request: Request, ctx: Ctx, user: SignedIn, goal_id: int) -> Response:
    """Comment on a goal; the others involved are notified."""
    return await _goal_action(request, ctx, user, goal_id, "comment")


@router.post("/goals/{goal_id}/propose")
async def propose(request: Request, ctx: Ctx, user: SignedIn, goal_id: int) -> Response:
    """Ask everyone to agree a draft (again, after a change)."""
    return await _goal_action(request, ctx, user, goal_id, "propose")


@router.post("/goals/{goal_id}/revise")
async def revise(request: Request, ctx: Ctx, user: SignedIn, goal_id: int) -> Response:
    """Change a draft or proposed goal (its name, text, skills, date); ``propose=0`` keeps it a draft, else
    everyone is asked to agree again."""
    return await _goal_action(request, ctx, user, goal_id, "revise")


@router.post("/goals/{goal_id}/state")
async def change_state(request: Request, ctx: Ctx, user: SignedIn, goal_id: int) -> Response:
    """Teachers: a new target date and/or state (met, dropped, ...); the learner: stop their own draft."""
    return await _goal_action(request, ctx, user, goal_id, "state")


@router.post("/goals/{goal_id}/milestones/{part_id}")
async def tick(request: Request, ctx: Ctx, user: SignedIn, goal_id: int, part_id: int) -> Response:
    """Tick off (or untick) a step of an interest goal."""
    await check_csrf(request, user)
    learner_id = plans.goal_learner(ctx, user.actor, goal_id)
    form = await request.form()
    plans.set_milestone(ctx, user.actor, goal_id, part_id, _str(form, "done") == "1")
    return RedirectResponse(f"/learners/{learner_id}/plan#goal-{goal_id}", status_code=303)


@router.post("/learners/{learner_id}/plan/settings")
async def plan_settings(request: Request, ctx: Ctx, user: SignedIn, learner_id: int) -> Response:
    """Teachers: who drafts this learner's goals (the learner, the teacher, or by grade)."""
    await check_csrf(request, user)
    form = await request.form()
    choice = _str(form, "drafts")
    value = {"teacher": True, "learner": False}.get(choice)
    plans.set_teacher_drafts(ctx, user.actor, learner_id, value)
    return RedirectResponse(f"/learners/{learner_id}/plan?saved=settings", status_code=303)


@router.get("/notifications")
def notifications_page(request: Request, ctx: Ctx, user: SignedIn) -> Response:
    """The signed-in person's notices, newest first, each in their language with a link to what it is about."""
    locale = locale_of(request, user)
    rows = notifications.list_notifications(ctx, user.actor, limit=100)
    items = [(n, notice_text(n.kind, n.params, n.actor_name, locale)) for n in rows]
    return render(request, "notifications.html", {"items": items}, user=user)


@router.post("/notifications/read")
async def notifications_read(request: Request, ctx: Ctx, user: SignedIn) -> Response:
    """Mark one notice (``id``) or all of them read; an ``open`` notice then goes to its link."""
    await check_csrf(request, user)
    form = await request.form()
    raw = _str(form, "id")
    if raw.strip():
        if not raw.strip().isdigit():
            raise ValidationError.for_field("id", f"not a notification id: {raw!r}")
        notice_id = int(raw)
        notifications.mark_read(ctx, user.actor, [notice_id])
        if _str(form, "open") == "1":
            link = next((n.link for n in notifications.list_notifications(ctx, user.actor, limit=200)
                         if n.id == notice_id), "")  # fmt: skip
            if link.startswith("/") and not link.startswith("//"):
                return RedirectResponse(link, status_code=303)
    else:
        notifications.mark_read(ctx, user.actor)
    return RedirectResponse("/notifications", status_code=303)
