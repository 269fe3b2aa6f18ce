"""Check-in pages (issue 6): a learner's check-ins (teachers hold one there), the class's due list and
rhythm, and the family's weekly digest."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import RedirectResponse
from starlette.datastructures import FormData

from learnpath.errors import FieldError, ValidationError
from learnpath.service import checkins, digest, paths
from learnpath.service.checkins import Decision
from learnpath.web.checkin_words import (
    decision_lines,
    digest_sections,
    digest_subject,
    forecast_lines,
    long_date,
    progress_lines,
    status_word,
    suggestion_lines,
)
from learnpath.web.deps import Ctx, SignedIn, check_csrf, locale_of
from learnpath.web.render import render

router = APIRouter(include_in_schema=False)

MAX_FIELD = checkins.MAX_NOTES_CHARS


def _words(summary: dict[str, Any], locale: str) -> dict[str, Any]:
    return {
        "since": long_date(summary["since"], locale),
        "progress": progress_lines(summary["progress"], locale),
        "forecast": forecast_lines(summary["forecast"], locale),
        "suggestions": suggestion_lines(summary["suggestions"], locale),
    }


def _held_words(view: checkins.CheckinView, locale: str) -> dict[str, Any]:
    return {**_words(view.summary, locale), "decisions": decision_lines(view.decisions, locale)}


@router.get("/learners/{learner_id}/checkins")
def learner_checkins(request: Request, ctx: Ctx, user: SignedIn, learner_id: int, held: int = 0) -> Response:
    """Everyone who may see the learner reads the check-ins; the learner's teachers and admins hold one."""
    locale = locale_of(request, user)
    held_list = checkins.list_checkins(ctx, user.actor, learner_id)
    staff = user.actor.role in ("teacher", "admin")
    prepared = checkins.open_checkin(ctx, user.actor, learner_id) if staff else None
    context = {
        "learner_id": learner_id,
        "learner_name": checkins.learner_name(ctx, user.actor, learner_id),
        "own": user.actor.user_id == learner_id,
        "staff": staff,
        "prepared": prepared,
        "prepared_words": _words(prepared.summary, locale) if prepared else None,
        "checkins": [(c, _held_words(c, locale)) for c in held_list],
        "skills": paths.skill_choices(ctx, user.actor, locale) if staff else [],
        "held": held > 0,
        "long_date": lambda v: long_date(v, locale),
        "status_word": lambda s: status_word(s, locale),
    }
    return render(request, "checkins.html", context, user=user)


def _date(form: FormData, name: str, problems: list[FieldError]) -> date | None:
    raw = form.get(name, "")
    value = raw.strip() if isinstance(raw, str) else ""
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        problems.append(FieldError(name, f"expected a date (YYYY-MM-DD), got {value[:20]!r}"))
        return None


def _text(form: FormData, name: str) -> str:
    raw = form.get(name, "")
    return raw if isinstance(raw, str) else ""


def _decisions(form: FormData, problems: list[FieldError]) -> list[Decision]:
    """Per goal: ``action_<id>`` (keep, met, drop) and ``target_<id>`` (a new date); a new goal from
    ``new_skill`` or ``new_title`` with ``new_date``."""
    out = []
    for key in form:
        if not key.startswith("action_"):
            continue
        try:
            goal_id = int(key.removeprefix("action_"))
        except ValueError:
            problems.append(FieldError(key, "not a goal"))
            continue
        action = _text(form, key)
        when = _date(form, f"target_{goal_id}", problems)
        if action == "drop":
            out.append(Decision("drop_goal", goal_id=goal_id))
        elif action == "met":
            out.append(Decision("goal_met", goal_id=goal_id))
        elif action != "keep":
            problems.append(FieldError(key, f"expected keep, met or drop, got {action[:20]!r}"))
        elif when is not None and when.isoformat() != _text(form, f"was_{goal_id}"):
            out.append(Decision("adjust_date", goal_id=goal_id, target_date=when))
    skill, title = _text(form, "new_skill").strip(), _text(form, "new_title").strip()
    if skill or title:
        when = _date(form, "new_date", problems)
        out.append(Decision("add_goal", skills=(skill,) if skill else (), title=title, target_date=when))
    return out


@router.post("/learners/{learner_id}/checkins")
async def hold(request: Request, ctx: Ctx, user: SignedIn, learner_id: int) -> Response:
    """Hold the check-in with the notes and decisions of the form, then back to the list."""
    await check_csrf(request, user)
    form = await request.form()
    problems: list[FieldError] = []
    decisions = _decisions(form, problems)
    next_due = _date(form, "next_date", problems)
    notes, private = _text(form, "notes"), _text(form, "private_notes")
    if problems:
        raise ValidationError("the check-in is not valid", problems)
    view = checkins.hold_checkin(
        ctx,
        user.actor,
        learner_id,
        notes=notes,
        private_notes=private,
        decisions=decisions,
        next_due_on=next_due,
    )
    return RedirectResponse(f"/learners/{learner_id}/checkins?held=1#checkin-{view.id}", status_code=303)


def _every(form: FormData) -> tuple[int | None, bool]:
    """The form's number of days (None when empty) and whether the field was readable."""
    value = _text(form, "every_days").strip()
    if not value:
        return None, True
    try:
        return int(value), True
    except ValueError:
        return None, False


@router.post("/learners/{learner_id}/checkins/rhythm")
async def learner_rhythm(request: Request, ctx: Ctx, user: SignedIn, learner_id: int) -> Response:
    """This learner's own rhythm (empty: the class's)."""
    await check_csrf(request, user)
    every, readable = _every(await request.form())
    if not readable:
        checkins.learner_name(ctx, user.actor, learner_id)  # others' learners: 404 first
        raise ValidationError.for_field("every_days", "expected a number of days")
    checkins.set_learner_rhythm(ctx, user.actor, learner_id, every)
    return RedirectResponse(f"/learners/{learner_id}/checkins", status_code=303)


@router.get("/classes/{class_id}/checkins")
def class_checkins(request: Request, ctx: Ctx, user: SignedIn, class_id: int, saved: int = 0) -> Response:
    """Who is due for a check-in (overdue first) and the class's rhythm."""
    locale = locale_of(request, user)
    due = checkins.due_list(ctx, user.actor, class_id)
    context = {"due": due, "saved": saved > 0, "long_date": lambda v: long_date(v, locale)}
    return render(request, "class_checkins.html", context, user=user)


@router.post("/classes/{class_id}/checkins/rhythm")
async def class_rhythm(request: Request, ctx: Ctx, user: SignedIn, class_id: int) -> Response:
    await check_csrf(request, user)
    every, _ = _every(await request.form())
    checkins.set_class_rhythm(ctx, user.actor, class_id, every)  # None: refused after the access check
    return RedirectResponse(f"/classes/{class_id}/checkins?saved=1", status_code=303)


@router.get("/family/digest")
def family_digest(
    request: Request, ctx: Ctx, user: SignedIn, week: date | None = None, saved: int = 0
) -> Response:
    """The family's weekly digest (this week so far unless ``week`` names another), and the email form."""
    locale = locale_of(request, user)
    content = digest.family_week(ctx, user.actor, week)
    start = date.fromisoformat(content["week_start"])
    context = {
        "subject": digest_subject(content, locale),
        "sections": digest_sections(content, locale),
        "complete": content.get("complete", False),
        "week_start": start,
        "email": digest.email_of(ctx, user.actor),
        "saved": saved > 0,
    }
    context["previous"] = date.fromordinal(start.toordinal() - 7).isoformat()
    context["next"] = date.fromordinal(start.toordinal() + 7).isoformat() if content.get("complete") else ""
    return render(request, "family_digest.html", context, user=user)


@router.post("/family/email")
async def family_email(request: Request, ctx: Ctx, user: SignedIn) -> Response:
    """Set or remove one's own email address (the weekly digest is emailed there)."""
    await check_csrf(request, user)
    digest.set_email(ctx, user.actor, _text(await request.form(), "email"))
    return RedirectResponse("/family/digest?saved=1", status_code=303)
