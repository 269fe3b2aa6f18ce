"""The portfolio pages (issue 6): a learner's work with reflections and feedback; adding a drawing, a
writing or a link; teachers' feedback and scores; removing work; a file; the zip export.

Form problems come back on the page (422) in the reader's language, with what was typed kept; a refused file
leaves nothing behind (the service checks it).
"""

from __future__ import annotations

import re
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse, RedirectResponse, StreamingResponse
from starlette.datastructures import FormData, UploadFile

from learnpath.core import portfolio as rules
from learnpath.errors import ConflictError, FieldError, ValidationError
from learnpath.service import portfolio
from learnpath.service.access import require_role
from learnpath.service.portfolio_export import PortfolioExport, export_portfolio, zip_chunks
from learnpath.web.deps import Ctx, SignedIn, WebUser, check_csrf, locale_of
from learnpath.web.i18n import load_translations
from learnpath.web.render import environment, render
from learnpath.web.uploads import read_form

__all__ = ["export_index", "file_response", "router"]

router = APIRouter(include_in_schema=False)

_LIMIT = re.compile(r"larger than the limit of (\d+) MB")


def _messages(locale: str) -> dict[str, str]:
    """Field -> the plain words shown when that field is not right."""
    t = load_translations(locale)
    return {
        "file": t.gettext(
            "Choose a picture, PDF, sound or video file (not too big). Other kinds of files cannot be added."
        ),
        "file_size": t.gettext("This file is too big: a file may be up to %(mb)s MB. Choose a smaller one."),
        "title": t.gettext("Give it a name (not too long)."),
        "reflection": t.gettext("What you learned is too long."),
        "body": t.gettext("Write something first (not too long)."),
        "url": t.gettext("Type a link that starts with http:// or https://."),
        "goals": t.gettext("Pick goals from the list."),
        "skills": t.gettext("Pick skills from the list."),
        "kind": t.gettext("Choose what you are adding."),
        "portfolio": t.gettext("Your portfolio is full. Remove some work first."),
        "comment": t.gettext("Write a comment or give a score."),
        "rubric": t.gettext("Give points for every line of the rubric, from 0 to the most points."),
        "judgements": t.gettext("Pick “Shows it” or “Not yet” for the skills you score."),
        "goal_id": t.gettext("Score with the rubric of a goal this work is for."),
        "score": t.gettext("This work already has a score. You can still add a comment."),
    }


def _problems(errors: list[FieldError], locale: str) -> list[str]:
    words = _messages(locale)
    out = []
    for e in errors:
        key = e.field.split(".")[0]
        text = words.get(key, e.message)
        if key == "file" and (limit := _LIMIT.search(e.message)):
            text = words["file_size"] % {"mb": limit.group(1)}
        if text not in out:
            out.append(text)
    return out


def _page(
    request: Request,
    ctx: Ctx,
    user: WebUser,
    learner_id: int,
    *,
    errors: list[str] | None = None,
    error_form: str = "",
    error_work: int | None = None,
    values: dict[str, Any] | None = None,
    status: int = 200,
) -> Response:
    page = portfolio.portfolio_page(ctx, user.actor, learner_id)
    context: dict[str, Any] = {
        "page": page,
        "own": user.actor.role == "learner" and user.actor.user_id == learner_id,
        "errors": errors or [],
        "error_form": error_form,
        "error_work": error_work,
        "values": values or {},
        "saved": request.query_params.get("saved", ""),
        "accept": "image/*,application/pdf,audio/*,video/*",
        "max_mb": ctx.settings.portfolio_max_mb,
        "judgements": list(rules.JUDGEMENTS),
        "judgement_word": lambda j: _judgement(j, locale_of(request, user)),
    }
    return render(request, "portfolio.html", context, status=status, user=user)


@router.get("/learners/{learner_id}/portfolio")
def portfolio_page(request: Request, ctx: Ctx, user: SignedIn, learner_id: int) -> Response:
    """The learner's work, newest first: files, writings and links with what they learned, and feedback."""
    return _page(request, ctx, user, learner_id)


def _str(form: FormData, name: str) -> str:
    value = form.get(name, "")
    return value if isinstance(value, str) else ""


def _ints(form: FormData, name: str) -> list[int]:
    return [int(v) for v in form.getlist(name) if isinstance(v, str) and v.isdigit()][: rules.MAX_LINKS + 1]


@router.post("/learners/{learner_id}/portfolio")
async def add_work(request: Request, ctx: Ctx, user: SignedIn, learner_id: int) -> Response:
    """Add a drawing (or another file), a writing or a link; back to the page with it, or the form's problems.
    A body over the size limit is stopped while it streams in (nothing is kept) and answered 413 on the page."""
    max_mb = ctx.settings.portfolio_max_mb
    try:
        request = await read_form(request, max_mb, max_files=1, max_fields=120)
    except ValidationError as exc:
        problems = _problems(list(exc.errors), locale_of(request, user))
        return _page(request, ctx, user, learner_id, errors=problems, error_form="file", status=413)
    form = await request.form()
    try:
        await check_csrf(request, user)
        kind = _str(form, "kind")
        upload = form.get("file")
        has_file = isinstance(upload, UploadFile) and bool(upload.filename)
        text = {k: _str(form, k) for k in ("title", "reflection", "body", "url")}
        goals = _ints(form, "goal")
        skills = [v for v in form.getlist("skill") if isinstance(v, str)][: rules.MAX_LINKS + 1]
        values: dict[str, Any] = {"kind": kind, **text, "goals": goals, "skills": skills}
        stream = upload.file if has_file and isinstance(upload, UploadFile) else None
        file_name = (upload.filename or "") if isinstance(upload, UploadFile) else ""
        try:
            view = await run_in_threadpool(
                lambda: portfolio.add_work(
                    ctx,
                    user.actor,
                    learner_id,
                    kind=kind,
                    title=text["title"],
                    reflection=text["reflection"],
                    body=text["body"] if kind == "text" else "",
                    url=text["url"] if kind == "link" else "",
                    goal_ids=goals,
                    skill_codes=skills,
                    stream=stream,
                    file_name=file_name,
                )
            )
        except ValidationError as exc:
            locale = locale_of(request, user)
            problems = _problems(list(exc.errors) or [FieldError("kind", exc.message)], locale)
            return _page(
                request, ctx, user, learner_id, errors=problems, error_form=kind, values=values, status=422
            )
    finally:
        await form.close()
    return RedirectResponse(f"/learners/{learner_id}/portfolio?saved=1#work-{view.id}", status_code=303)


@router.get("/portfolio/{work_id}/file")
def work_file(request: Request, ctx: Ctx, user: SignedIn, work_id: int) -> Response:
    """The file of a piece of work, with safe headers (``?download=1`` to save it)."""
    found = portfolio.work_file(ctx, user.actor, work_id)
    return file_response(found, download=request.query_params.get("download") == "1")


INLINE = ("image/", "audio/", "video/")


def file_response(found: portfolio.WorkFile, download: bool = False) -> Response:
    """A stored file with safe headers: its stored type, nosniff, a sandboxing CSP, a download name. Images,
    audio and video are sent to be shown, other files (PDF) as attachments; never HTML (types are judged
    from the bytes when stored)."""
    inline = not download and found.media_type.startswith(INLINE)
    headers = {
        "Content-Disposition": f'{"inline" if inline else "attachment"}; filename="{found.download_name}"',
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "default-src 'none'; sandbox",
        "Cache-Control": "private, no-cache",
    }
    if found.path is not None:
        return FileResponse(found.path, media_type=found.media_type, headers=headers)
    assert found.chunks is not None
    if found.size is not None:
        headers["Content-Length"] = str(found.size)
    return StreamingResponse(found.chunks, media_type=found.media_type, headers=headers)


@router.post("/portfolio/{work_id}/feedback")
async def give_feedback(request: Request, ctx: Ctx, user: SignedIn, work_id: int) -> Response:
    """A teacher's comment, and a score: a judgement per skill, or points on a goal's rubric."""
    await check_csrf(request, user)
    require_role(user.actor, "teacher", "admin")
    form = await request.form()
    work = portfolio.get_work(ctx, user.actor, work_id)
    comment = _str(form, "comment")
    goal_text = _str(form, "goal_id")
    rubric: dict[str, Any] | None = None
    judgements: dict[str, str] | None = None
    problems: list[FieldError] = []
    if goal_text.isdigit():
        rubric = {}
        for key, value in form.multi_items():
            if key.startswith("points.") and isinstance(value, str):
                try:
                    rubric[key.removeprefix("points.")] = float(value)
                except ValueError:
                    problems.append(FieldError("rubric", f"not a number: {value!r}"))
    else:
        picked = {
            key.removeprefix("judge."): value
            for key, value in form.multi_items()
            if key.startswith("judge.") and isinstance(value, str) and value in rules.JUDGEMENTS
        }
        judgements = picked or None
    try:
        if problems:
            raise ValidationError("the feedback cannot be saved", problems)
        portfolio.give_feedback(
            ctx,
            user.actor,
            work_id,
            comment=comment,
            goal_id=int(goal_text) if goal_text.isdigit() else None,
            rubric=rubric,
            judgements=judgements,
        )
    except ValidationError as exc:
        locale = locale_of(request, user)
        return _page(
            request,
            ctx,
            user,
            work.learner_id,
            errors=_problems(list(exc.errors), locale),
            error_work=work_id,
            values={"comment": comment},
            status=422,
        )
    except ConflictError:
        locale = locale_of(request, user)
        return _page(
            request,
            ctx,
            user,
            work.learner_id,
            errors=_problems([FieldError("score", "already scored")], locale),
            error_work=work_id,
            values={"comment": comment},
            status=409,
        )
    return RedirectResponse(f"/learners/{work.learner_id}/portfolio?saved=1#work-{work_id}", status_code=303)


@router.post("/portfolio/{work_id}/delete")
async def delete_work(request: Request, ctx: Ctx, user: SignedIn, work_id: int) -> Response:
    """Remove a piece of work and its file."""
    await check_csrf(request, user)
    work = portfolio.get_work(ctx, user.actor, work_id)
    portfolio.delete_work(ctx, user.actor, work_id)
    return RedirectResponse(f"/learners/{work.learner_id}/portfolio?saved=1", status_code=303)


EXPORT_CSS = (
    "body { font-family: system-ui, sans-serif; max-width: 50rem; margin: 0 auto; padding: 1rem; "
    "line-height: 1.5; color: #111827; } "
    "article { border: 2px solid #d1d5db; border-radius: 1rem; padding: 1rem 1.5rem; margin: 0 0 1rem; } "
    "img, video { max-width: 100%; height: auto; } .muted { color: #4b5563; } .text { white-space: pre-wrap; }"
)
"""The export page's own style (it is opened from the zip, without the app's stylesheet)."""


def export_index(export: PortfolioExport, locale: str) -> str:
    """The export's ``index.html`` in the reader's language (a page that works opened from the zip)."""
    template = environment(locale).get_template("portfolio_export.html")
    return template.render(
        export=export, locale=locale, css=EXPORT_CSS, judgement_word=lambda j: _judgement(j, locale)
    )


def _judgement(word: str, locale: str) -> str:
    t = load_translations(locale)
    return {"shows": t.gettext("Shows it"), "not_yet": t.gettext("Not yet")}.get(word, word)


@router.get("/learners/{learner_id}/portfolio/export")
def export(request: Request, ctx: Ctx, user: SignedIn, learner_id: int) -> Response:
    """All the learner's work as a zip: a page to open (index.html) and the files."""
    data = export_portfolio(ctx, user.actor, learner_id)
    html = export_index(data, locale_of(request, user))
    return StreamingResponse(
        zip_chunks(ctx.files(), data, html),
        media_type="application/zip",
        headers={
            "Content-Disposition": f'attachment; filename="{data.filename}"',
            "Cache-Control": "no-store",
        },
    )
