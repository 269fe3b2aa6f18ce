"""Assignment pages (issue 7): a class's work (give practice, a flipped video or reading with a check, or a
project to the class, a group or a learner; list with status), one assignment's before-class view (who
watched, who passed the check; groups or a rotation from that), learners' choices and drift, and the
learner's side: the check of a flipped lesson and the watch beacon of the content page."""

from __future__ import annotations

from datetime import UTC, datetime, time
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request, Response
from fastapi.responses import RedirectResponse

from learnpath.errors import FieldError, ValidationError
from learnpath.service import assignments, classes, drift, flipped, groups, resources, rotations
from learnpath.service.access import require_role
from learnpath.web.deps import CSRF_HEADER, Ctx, SignedIn, WebUser, check_csrf, locale_of
from learnpath.web.i18n import load_translations
from learnpath.web.render import render

__all__ = ["content_work", "router"]

router = APIRouter(include_in_schema=False)


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


def _int(value: str, field: str) -> int | None:
    value = value.strip()
    if not value:
        return None
    if not value.isdigit():
        raise ValidationError(
            f"{field} is not a number", [FieldError(field, f"expected a number, got {value!r}")]
        )
    return int(value)


def _page(
    request: Request,
    ctx: Ctx,
    user: WebUser,
    class_id: int,
    errors: list[str] | None = None,
    values: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    overview = classes.class_overview(ctx, user.actor, class_id, recent=0)
    views = assignments.class_assignments(ctx, user.actor, class_id)
    done: dict[int, tuple[int, int]] = {}
    for a in views:
        s = flipped.assignment_status(ctx, user.actor, a.id)
        done[a.id] = (sum(x.done for x in s.learners), len(s.learners))
    content = resources.list_content(ctx, user.actor)
    context = {
        "overview": overview,
        "assignments": views,
        "done": done,
        "groups": groups.list_groups(ctx, user.actor, class_id),
        "videos": [v for v in content if v.content.kind in assignments.CONTENT_WORK["flipped"]],
        "projects": [v for v in content if v.content.kind in assignments.CONTENT_WORK["project"]],
        "errors": errors or [],
        "values": values or {},
        "check_sizes": range(0, 6),
        "default_check": assignments.DEFAULT_CHECK_SIZE,
    }
    return render(request, "assignments.html", context, status=status, user=user)


@router.get("/classes/{class_id}/assignments")
def assignments_page(request: Request, ctx: Ctx, user: SignedIn, class_id: int, target: str = "") -> Response:
    """A class's work with each one's progress, and the form to give practice, a flipped lesson or a project
    to the class, a group or a learner (``target`` preselects one, e.g. ``group:12``)."""
    return _page(request, ctx, user, class_id, values={"target": target[:30]})


@router.post("/classes/{class_id}/assignments")
async def add_assignment(
    request: Request,
    ctx: Ctx,
    user: SignedIn,
    class_id: int,
    work: Annotated[str, Form(max_length=20)] = "practice",
    skill_code: Annotated[str, Form(max_length=100)] = "",
    content_id: Annotated[str, Form(max_length=20)] = "",
    project_id: Annotated[str, Form(max_length=20)] = "",
    target: Annotated[str, Form(max_length=30)] = "",
    learner_id: Annotated[str, Form(max_length=20)] = "",
    due: Annotated[str, Form(max_length=20)] = "",
    check_size: Annotated[str, Form(max_length=5)] = "",
) -> Response:
    """Give the work; on a problem the page comes back with it named (nothing is stored)."""
    await check_csrf(request, user)
    require_role(user.actor, "teacher", "admin")
    values = {"work": work, "skill_code": skill_code, "content_id": content_id, "project_id": project_id}
    values |= {"target": target, "due": due, "check_size": check_size}
    try:
        kind, _, raw = target.partition(":")
        if not target and learner_id.strip():  # the older form's field
            kind, raw = "learner", learner_id
        who = _int(raw, "target") if kind in ("learner", "group") else None
        if kind not in ("", "class", "learner", "group") or (kind in ("learner", "group") and who is None):
            raise ValidationError("unknown target", [FieldError("target", f"unknown target {target!r}")])
        chosen = _int(project_id if work == "project" else content_id, "content_id")
        size = _int(check_size, "check_size")
        assignments.add_assignment_in_class(
            ctx,
            user.actor,
            class_id,
            skill_code.strip() or None,
            learner_id=who if kind == "learner" else None,
            group_id=who if kind == "group" else None,
            due_at=_due(due),
            work=work,
            content_id=chosen if work != "practice" else None,
            check_size=assignments.DEFAULT_CHECK_SIZE if size is None else size,
        )
    except ValidationError as exc:
        problems = [f"{e.field}: {e.message}" for e in exc.errors] or [exc.message]
        return _page(request, ctx, user, class_id, problems, values, status=422)
    return RedirectResponse(f"/classes/{class_id}/assignments", status_code=303)


def _assignment_page(
    request: Request,
    ctx: Ctx,
    user: WebUser,
    assignment_id: int,
    problems: list[str] | None = None,
    period: str = "60",
    status: int = 200,
) -> Response:
    state = flipped.assignment_status(ctx, user.actor, assignment_id)
    a = state.assignment
    stations = rotations.stations_of(ctx, user.actor, a.owner_class_id) if a.owner_class_id else []
    context: dict[str, Any] = {
        "status": state,
        "a": a,
        "needs": flipped.rotation_needs(ctx, user.actor, assignment_id),
        "pass_share": round(flipped.PASS_SHARE * 100),
        "made": request.query_params.get("made", ""),
        "has_stations": bool(stations),
        "period": period,
        "problems": problems or [],
    }
    return render(request, "assignment.html", context, status=status, user=user)


@router.get("/assignments/{assignment_id}")
def assignment_page(request: Request, ctx: Ctx, user: SignedIn, assignment_id: int) -> Response:
    """Before class: per learner, watched (how much, when), the check's result, done; groups and a rotation
    from that."""
    return _assignment_page(request, ctx, user, assignment_id)


@router.post("/assignments/{assignment_id}/groups")
async def groups_from_assignment(request: Request, ctx: Ctx, user: SignedIn, assignment_id: int) -> Response:
    """Save the learners as groups by what they did (ready / needs help / did not watch)."""
    await check_csrf(request, user)
    tr = load_translations(locale_of(request, user))
    names = {
        "ready": tr.gettext("Ready: passed the check"),
        "help": tr.gettext("Watched, needs help"),
        "missed": tr.gettext("Did not watch yet"),
    }
    made = flipped.groups_from_status(ctx, user.actor, assignment_id, names)
    return RedirectResponse(f"/assignments/{assignment_id}?made={len(made)}", status_code=303)


@router.post("/assignments/{assignment_id}/rotation")
async def rotation_from_assignment(
    request: Request,
    ctx: Ctx,
    user: SignedIn,
    assignment_id: int,
    period_minutes: Annotated[str, Form(max_length=5)] = "60",
) -> Response:
    """Plan a station rotation for the class with the class's saved stations, where what each learner of the
    flipped lesson did decides their need (did not watch or under the pass mark: teacher time; passed:
    practice; all right: a challenge); opens the plan. Problems come back on this page (422)."""
    await check_csrf(request, user)
    status = flipped.assignment_status(ctx, user.actor, assignment_id)
    a = status.assignment
    try:
        if a.owner_class_id is None:
            raise ValidationError(
                "work given to one learner makes no rotation", [FieldError("assignment_id", "one learner")]
            )
        minutes = _int(period_minutes, "period_minutes")
        if minutes is None:
            raise ValidationError("the period is missing", [FieldError("period_minutes", "give the minutes")])
        spec = rotations.RotationSpec(
            minutes, title=a.content_title or a.skill_name, skill_codes=(a.skill_code,)
        )
        needs = flipped.rotation_needs(ctx, user.actor, assignment_id)
        plan = rotations.plan_rotation(ctx, user.actor, a.owner_class_id, spec, needs=needs)
    except ValidationError as exc:
        problems = [f"{e.field}: {e.message}" for e in exc.errors] or [exc.message]
        return _assignment_page(request, ctx, user, assignment_id, problems, period_minutes, status=422)
    return RedirectResponse(f"/classes/{a.owner_class_id}/rotation/{plan.id}", status_code=303)


@router.get("/classes/{class_id}/choices")
def choices_page(request: Request, ctx: Ctx, user: SignedIn, class_id: int, days: int = 7) -> Response:
    """What learners chose among their next steps, and who drifted from must-do work."""
    overview = classes.class_overview(ctx, user.actor, class_id, recent=0)
    rows = drift.class_choices(ctx, user.actor, class_id, days)
    kinds = sorted({k for r in rows for k in r.by_kind})
    tr = load_translations(locale_of(request, user))
    words = {
        "must_do": tr.gettext("Must-do"),
        "reteach": tr.gettext("Re-teach"),
        "review": tr.gettext("Review"),
        "continue": tr.gettext("Keep going"),
        "ready": tr.gettext("Ready"),
        "interest": tr.gettext("Interest"),
        "enrich": tr.gettext("Challenge"),
        "practice": tr.gettext("Practice"),
        "own": tr.gettext("Own choice"),
    }
    context = {"overview": overview, "rows": rows, "days": days, "kinds": kinds, "kind_words": words}
    return render(request, "choices.html", context, user=user)


# -- the learner's side ----------------------------------------------------------------------------------


def content_work(ctx: Ctx, user: WebUser, content_id: int) -> list[dict[str, Any]]:
    """For the content page: the learner's most urgent work on this content (due date, check link); the same
    video given twice (to the class and a group) shows once, and one check answers both when they share
    their questions."""
    out = []
    for m in flipped.learner_assignments(ctx, user.actor, user.actor.user_id):
        a = m.assignment
        if a.content_id == content_id and (not m.status.done or a.work == "flipped"):
            out.append(
                {
                    "id": a.id,
                    "work": a.work,
                    "due": a.due_at.date().isoformat() if a.due_at else "",
                    "watched": m.status.watched_at is not None,
                    "check_size": m.status.check_size,
                    "check_done": m.status.check_size > 0 and m.status.check_answered >= m.status.check_size,
                    "done": m.status.done,
                }
            )
    return out[:1]  # open work first, earliest due first (learner_assignments' order)


@router.post("/content/{content_id}/progress")
async def content_progress(
    request: Request,
    ctx: Ctx,
    user: SignedIn,
    content_id: int,
    event: Annotated[str, Form(max_length=20)] = "open",
    seconds: Annotated[str, Form(max_length=10)] = "0",
) -> Response:
    """The video player's beacon (seconds played, ended; 204) and the project's "I finished" button (303)."""
    await check_csrf(request, user)
    played = _int(seconds, "seconds") or 0
    flipped.record_view(ctx, user.actor, content_id, event, played)
    if request.headers.get(CSRF_HEADER):
        return Response(status_code=204)
    return RedirectResponse(f"/content/{content_id}", status_code=303)


@router.get("/learn/check/{assignment_id}")
def check_page(request: Request, ctx: Ctx, user: SignedIn, assignment_id: int) -> Response:
    """The short check of a flipped lesson: a few questions on one page."""
    view = flipped.check_for(ctx, user.actor, assignment_id)
    return render(request, "check.html", {"check": view, "missing": [], "result": None}, user=user)


@router.post("/learn/check/{assignment_id}")
async def check_answer(request: Request, ctx: Ctx, user: SignedIn, assignment_id: int) -> Response:
    """Answer every question of the check at once; a missing answer is named and nothing is stored."""
    await check_csrf(request, user)
    form = await request.form()
    responses: dict[int, str] = {}
    for key, value in form.multi_items():
        if key.startswith("item_") and key[5:].isdigit() and isinstance(value, str):
            responses[int(key[5:])] = value[:2000]
    try:
        result = flipped.submit_check(ctx, user.actor, assignment_id, responses)
    except ValidationError as exc:
        view = flipped.check_for(ctx, user.actor, assignment_id)
        missing = [e.field for e in exc.errors]
        context = {"check": view, "missing": missing, "result": None, "given": responses}
        return render(request, "check.html", context, status=422, user=user)
    view = flipped.check_for(ctx, user.actor, assignment_id)
    return render(request, "check.html", {"check": view, "missing": [], "result": result}, user=user)
