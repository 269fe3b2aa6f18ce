"""Content pages: teachers and admins list, create, edit and import content and upload videos; every member
of the school opens a piece of content (a reading, a video, an activity with its rubric) and its video file.

Field errors come back in the form, each in the reader's language (``problem_text`` translates a problem's
``code``); a failed upload or import changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import FileResponse, RedirectResponse
from starlette.datastructures import FormData, UploadFile

from learnpath.core.content import (
    CONTENT_KINDS,
    FIELDS,
    MODALITIES,
    Content,
    ContentProblem,
    content_from_fields,
)
from learnpath.errors import FieldError, ValidationError
from learnpath.service import content as curriculum
from learnpath.service import flipped, resources
from learnpath.service.access import require_role
from learnpath.service.resources import ContentView
from learnpath.web import assignment_views
from learnpath.web.deps import Ctx, SignedIn, WebUser, check_csrf, locale_of
from learnpath.web.i18n import load_translations
from learnpath.web.render import render

router = APIRouter(include_in_schema=False)

MAX_CSV_BYTES = 2 * 1024 * 1024


def _messages(_: Callable[[str], str]) -> dict[str, str]:
    """Problem code -> the message shown (``_`` is the reader's gettext)."""
    return {
        "required": _("Please fill this in."),
        "too_long": _("This is too long: at most %(limit)s characters."),
        "one_of": _("Pick one of the options."),
        "code": _(
            "Use letters, digits, dots, dashes or underscores (up to 100), starting with a letter or digit."
        ),
        "code_taken": _("Another piece of content already uses the code %(code)s."),
        "minutes": _("Type a whole number of minutes from 1 to %(limit)s."),
        "grade": _("Type a grade or a band such as K-2 or 3-5 (K to 12)."),
        "grade_order": _("The first grade must not be above the last."),
        "skills_required": _("Pick at least one skill this teaches."),
        "unknown_skill": _("These skills do not exist: %(codes)s."),
        "tags_many": _("Use at most %(limit)s tags."),
        "tag": _("The tag “%(tag)s” may only have letters, digits and dashes (at most 40)."),
        "url": _("This is not a valid link."),
        "url_scheme": _("Links must start with http:// or https://."),
        "difficulty": _("Type a number from -6 (easy) to 6 (hard)."),
        "duration": _("Type the length in seconds or as minutes:seconds, such as 3:30."),
        "video_source": _("A video needs a link or an uploaded file."),
        "video_duration": _("A video needs its length."),
        "duration_video_only": _("Only videos have a length; leave this empty."),
        "reading_text": _("A reading needs its text or a link."),
        "instructions": _("Write the instructions."),
        "rubric_required": _("A project needs a rubric."),
        "rubric_levels": _("A rubric needs at least 2 levels."),
        "rubric_level_name": _("Every rubric level needs a name."),
        "rubric_criteria": _("A rubric needs at least one criterion."),
        "rubric_duplicate": _("Two criteria have the same name."),
        "rubric_criterion_name": _("Every criterion needs a name."),
        "rubric_cells": _("The criterion “%(name)s” has %(got)s cells but there are %(want)s levels."),
        "rubric_descriptor": _("The criterion “%(name)s” has an empty cell."),
        "rubric_points": _("Points in “%(name)s” must be 0 or more."),
        "rubric_order": _("Points in “%(name)s” must not go down from one level to the next."),
        "rubric_syntax": _("Write each criterion as “Name: descriptor (points) | descriptor (points)”."),
        "file_not_video": _("Only videos take a video file."),
        "file_too_large": _("The file is larger than the limit of %(limit)s MB."),
        "file_type": _("This file is not an MP4, WebM or Ogg video."),
        "file_missing": _("Choose a file to upload."),
        "csv_empty": _("The file is empty."),
        "csv_column": _("Unknown column “%(name)s”."),
        "csv_twice": _("A column is named twice."),
        "csv_missing": _("The required column “%(name)s” is missing."),
        "csv_cells": _("This row has %(got)s cells; the header has %(want)s."),
        "csv": _("This is not a valid CSV file."),
        "csv_duplicate": _("This code is used on another line too."),
    }


def problem_text(problem: FieldError, locale: str) -> str:
    """A field problem in the reader's language (its English message when it has no known code)."""
    if not isinstance(problem, ContentProblem):
        return problem.message
    template = _messages(load_translations(locale).gettext).get(problem.code)
    if template is None:
        return problem.message
    try:
        return template % dict(problem.params)
    except (KeyError, ValueError, TypeError):
        return problem.message


def field_errors(errors: Iterable[FieldError], locale: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for e in errors:
        name = "rubric" if e.field == "rubric_levels" else e.field
        out.setdefault(name, []).append(problem_text(e, locale))
    return out


def _skills(ctx: Ctx, user: WebUser) -> list[tuple[str, str]]:
    return [(s.code, s.name) for s in curriculum.list_skills(ctx, user.actor)]


def _page_context(view: ContentView, locale: str, can_edit: bool, upload_errors: list[str]) -> dict[str, Any]:
    c = view.content
    return {
        "view": view,
        "c": c,
        "title": c.title_in(locale),
        "summary": c.summary_in(locale),
        "paragraphs": [p.strip() for p in c.body_in(locale).split("\n\n") if p.strip()],
        "skill_names": [es if locale == "es" and es else en for en, es in view.skill_names.values()],
        "can_edit": can_edit,
        "upload_errors": upload_errors,
    }


def _values_of(content: Content | None) -> dict[str, Any]:
    if content is None:
        return {name: "" for name in FIELDS} | {"skills": [], "kind": "reading", "modality": ""}
    c = content
    duration = "" if c.duration_s is None else f"{c.duration_s // 60}:{c.duration_s % 60:02d}"
    return {
        "code": c.code, "kind": c.kind, "title": c.title, "title_es": c.title_es, "modality": c.modality,
        "minutes": str(c.minutes), "grade_band": c.grades.label, "skills": list(c.skills),
        "tags": ", ".join(c.tags), "summary": c.summary, "summary_es": c.summary_es, "body": c.body,
        "body_es": c.body_es, "url": c.url, "duration": duration,
        "rubric_levels": c.rubric.levels_text() if c.rubric else "",
        "rubric": c.rubric.criteria_text() if c.rubric else "", "difficulty": f"{c.difficulty:g}",
    }  # fmt: skip


def _form_values(form: FormData) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name in FIELDS:
        if name == "skills":
            values[name] = [str(v) for v in form.getlist("skills") if isinstance(v, str) and v]
        else:
            raw = form.get(name, "")
            values[name] = raw if isinstance(raw, str) else ""
    return values


def _form_page(
    request: Request,
    ctx: Ctx,
    user: WebUser,
    values: dict[str, Any],
    view: ContentView | None,
    errors: dict[str, list[str]] | None = None,
    status: int = 200,
) -> Response:
    context = {
        "values": values,
        "view": view,
        "errors": errors or {},
        "kinds": CONTENT_KINDS,
        "modalities": MODALITIES,
        "skills": _skills(ctx, user),
    }
    return render(request, "content_form.html", context, status=status, user=user)


def _parse(values: dict[str, Any], video_file: str = "") -> Content:
    fields = {k: v for k, v in values.items() if k != "skills"}
    fields["skills"] = ";".join(values["skills"])
    return content_from_fields(fields, video_file=video_file)


@router.get("/content")
def content_list(
    request: Request,
    ctx: Ctx,
    user: SignedIn,
    kind: str = "",
    modality: str = "",
    skill: str = "",
    tag: str = "",
) -> Response:
    """The school's content with filters (kind, modality, skill, tag) and the CSV import form."""
    require_role(user.actor, "teacher", "admin")
    return _list_page(request, ctx, user, {"kind": kind, "modality": modality, "skill": skill, "tag": tag})


def _list_page(
    request: Request,
    ctx: Ctx,
    user: WebUser,
    filters: dict[str, str],
    extra: dict[str, Any] | None = None,
    status: int = 200,
) -> Response:
    views = resources.list_content(
        ctx,
        user.actor,
        kind=filters["kind"] or None,
        modality=filters["modality"] or None,
        skill=filters["skill"] or None,
        tag=filters["tag"] or None,
    )
    context: dict[str, Any] = {
        "views": views,
        "filters": filters,
        "kinds": CONTENT_KINDS,
        "modalities": MODALITIES,
        "skills": _skills(ctx, user),
        "report": None,
        "import_errors": [],
    }
    context.update(extra or {})
    return render(request, "content_list.html", context, status=status, user=user)


@router.post("/content/import")
async def content_import(request: Request, ctx: Ctx, user: SignedIn) -> Response:
    """Add or update content from an uploaded CSV (all rows or none); every bad row is listed."""
    await check_csrf(request, user)
    require_role(user.actor, "teacher", "admin")
    locale = locale_of(request, user)
    form = await request.form()
    upload = form.get("file")
    dry_run = form.get("dry_run") == "1"
    filters = {"kind": "", "modality": "", "skill": "", "tag": ""}
    problems: list[FieldError] = []
    report = None
    if not isinstance(upload, UploadFile) or not upload.filename:
        problems = [ContentProblem("file", "choose a file", "file_missing")]
    else:
        data = await upload.read(MAX_CSV_BYTES + 1)
        try:
            if len(data) > MAX_CSV_BYTES:
                raise ValidationError.for_field("file", "a CSV file may be at most 2 MB")
            try:
                text = data.decode("utf-8-sig")
            except UnicodeDecodeError as exc:
                raise ValidationError(
                    "not UTF-8", [ContentProblem("file", "save the file as CSV UTF-8", "csv")]
                ) from exc
            report = resources.import_content_csv(
                ctx, user.actor, text, dry_run=dry_run, source=upload.filename or "content.csv"
            )
        except ValidationError as exc:
            problems = list(exc.errors) or [FieldError("file", exc.message)]
    rows = [
        {
            "line": getattr(p, "line", 0),
            "column": getattr(p, "column", p.field),
            "message": problem_text(p, locale),
        }
        for p in problems
    ]
    extra = {"report": report, "import_errors": rows}
    return _list_page(request, ctx, user, filters, extra, status=422 if problems else 200)


@router.get("/content/new")
def content_new(request: Request, ctx: Ctx, user: SignedIn) -> Response:
    """An empty form for new content."""
    require_role(user.actor, "teacher", "admin")
    return _form_page(request, ctx, user, _values_of(None), None)


@router.post("/content/new")
async def content_create(request: Request, ctx: Ctx, user: SignedIn) -> Response:
    """Create content from the form; on errors the form comes back with each field's problem."""
    await check_csrf(request, user)
    require_role(user.actor, "teacher", "admin")
    values = _form_values(await request.form())
    try:
        view = resources.create_content(ctx, user.actor, _parse(values))
    except ValidationError as exc:
        errors = field_errors(exc.errors or [FieldError("code", exc.message)], locale_of(request, user))
        return _form_page(request, ctx, user, values, None, errors, status=422)
    return RedirectResponse(f"/content/{view.id}", status_code=303)


@router.get("/content/{content_id}")
def content_page(request: Request, ctx: Ctx, user: SignedIn, content_id: int) -> Response:
    """One piece of content as a learner sees it (teachers and admins also get edit and upload)."""
    view = resources.get_content(ctx, user.actor, content_id)
    can_edit = user.actor.role in ("teacher", "admin")
    context = _page_context(view, locale_of(request, user), can_edit, [])
    if user.actor.role == "learner":  # opening it is a view (what counts as watched: service/flipped.py)
        context["progress"] = flipped.record_view(ctx, user.actor, content_id, "open")
        context["work"] = assignment_views.content_work(ctx, user, content_id)
    return render(request, "content_page.html", context, user=user)


@router.get("/content/{content_id}/edit")
def content_edit(request: Request, ctx: Ctx, user: SignedIn, content_id: int) -> Response:
    """The form for changing content."""
    view = resources.get_content(ctx, user.actor, content_id)
    require_role(user.actor, "teacher", "admin")
    values = _values_of(view.content) | {"difficulty": f"{view.author_difficulty:g}"}
    return _form_page(request, ctx, user, values, view)


@router.post("/content/{content_id}/edit")
async def content_update(request: Request, ctx: Ctx, user: SignedIn, content_id: int) -> Response:
    """Save changed content; on errors the form comes back with each field's problem."""
    await check_csrf(request, user)
    view = resources.get_content(ctx, user.actor, content_id)
    require_role(user.actor, "teacher", "admin")
    values = _form_values(await request.form())
    try:
        new = _parse(values, video_file=view.content.video_file)
        changes = {
            k: getattr(new, k) for k in Content.__dataclass_fields__ if k not in ("video_file", "extra")
        }
        resources.update_content(ctx, user.actor, content_id, changes)
    except ValidationError as exc:
        errors = field_errors(exc.errors or [FieldError("code", exc.message)], locale_of(request, user))
        return _form_page(request, ctx, user, values, view, errors, status=422)
    return RedirectResponse(f"/content/{content_id}", status_code=303)


@router.post("/content/{content_id}/video")
async def video_upload(request: Request, ctx: Ctx, user: SignedIn, content_id: int) -> Response:
    """Upload a video file (MP4, WebM or Ogg, checked by its bytes; size limit LEARNPATH_VIDEO_MAX_MB)."""
    view = resources.get_content(ctx, user.actor, content_id)
    require_role(user.actor, "teacher", "admin")
    limit = ctx.settings.video_max_mb * 1024 * 1024
    declared = request.headers.get("content-length", "")
    problems: list[FieldError] = []
    if declared.isdigit() and int(declared) > limit + 64 * 1024:
        mb = str(ctx.settings.video_max_mb)
        problems = [ContentProblem("file", f"larger than {mb} MB", "file_too_large", (("limit", mb),))]
    else:
        await check_csrf(request, user)
        form = await request.form()
        upload = form.get("file")
        if not isinstance(upload, UploadFile) or not upload.filename:
            problems = [ContentProblem("file", "choose a file", "file_missing")]
        else:
            try:
                resources.upload_video(ctx, user.actor, content_id, upload.file)
            except ValidationError as exc:
                problems = list(exc.errors)
            finally:
                await upload.close()
    if not problems:
        return RedirectResponse(f"/content/{content_id}", status_code=303)
    locale = locale_of(request, user)
    context = _page_context(view, locale, True, [problem_text(p, locale) for p in problems])
    status = 413 if any(getattr(p, "code", "") == "file_too_large" for p in problems) else 422
    return render(request, "content_page.html", context, status=status, user=user)


@router.get("/content/{content_id}/video")
def video_file(ctx: Ctx, user: SignedIn, content_id: int) -> Response:
    """The uploaded video file, for signed-in members of the school, with its media type."""
    path, media_type = resources.video_file(ctx, user.actor, content_id)
    return FileResponse(
        path,
        media_type=media_type,
        headers={"Cache-Control": "private, max-age=3600", "Content-Disposition": "inline"},
    )
