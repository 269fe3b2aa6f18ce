"""Rendering pages: one Jinja2 environment per UI language, and the context every page shares."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from learnpath.service import notifications, plans
from learnpath.web.charts import band, percent
from learnpath.web.deps import (
    CSRF_COOKIE,
    WebUser,
    current_user,
    get_ctx,
    locale_of,
    new_anon_token,
    settings_of,
    valid_anon_token,
)
from learnpath.web.i18n import LANGUAGES, load_translations

__all__ = ["TEMPLATES", "environment", "is_htmx", "render"]

TEMPLATES = Path(__file__).resolve().parent / "templates"
BRAND = "learnpath"


@cache
def environment(locale: str) -> Environment:
    """The template environment for ``locale`` (gettext installed new-style: autoescaped, %-formatted)."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"]),
        extensions=["jinja2.ext.i18n"],
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_translations(load_translations(locale), newstyle=True)  # type: ignore[attr-defined]
    env.globals.update(brand=BRAND, languages=LANGUAGES, percent=percent, band_of=band)
    return env


def is_htmx(request: Request) -> bool:
    return request.headers.get("hx-request") == "true"


def _nav(user: WebUser | None) -> list[str]:
    """Which main links the signed-in role gets (labels live in the template)."""
    if user is None:
        return []
    return {
        "learner": ["learn", "progress", "plan"],
        "family": ["family", "digest"],
        "teacher": ["classes", "content"],
        "admin": ["classes", "content", "admin"],
    }[user.actor.role]


LEARNER_PATH = re.compile(r"^/learners/(\d+)(/[a-z/-]*)?$")


def _header(request: Request, user: WebUser | None) -> dict[str, Any]:
    """The bell's unread count, and for a family linked to several children the child switcher: the same
    page for each child (``/learners/{id}/...``), or each child's progress page elsewhere."""
    out: dict[str, Any] = {"unread": 0, "child_links": []}
    if user is None:
        return out
    try:
        ctx = get_ctx(request)
        out["unread"] = notifications.unread_count(ctx, user.actor)
        children = plans.learner_choices(ctx, user.actor) if user.actor.role == "family" else []
    except Exception:  # the header never breaks a page (the database itself may be what failed)
        return out
    if len(children) > 1:
        match = LEARNER_PATH.match(request.url.path)
        rest = (match.group(2) or "") if match else ""
        current = int(match.group(1)) if match else None
        out["child_links"] = [(f"/learners/{cid}{rest}", name, cid == current) for cid, name in children]
    return out


def render(
    request: Request,
    template: str,
    context: dict[str, Any] | None = None,
    status: int = 200,
    user: WebUser | None = None,
    headers: dict[str, str] | None = None,
) -> HTMLResponse:
    """Render ``template`` with the page context; sets the anonymous CSRF cookie when it is missing."""
    user = user or current_user(request)
    locale = locale_of(request, user)
    new_cookie = ""
    if user is not None:
        csrf = user.csrf_token
    else:
        csrf = request.cookies.get(CSRF_COOKIE, "")
        if not valid_anon_token(request, csrf):
            csrf = new_cookie = new_anon_token(request)
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    page: dict[str, Any] = {
        "request": request,
        "user": user,
        "actor": user.actor if user else None,
        "csrf_token": csrf,
        "locale": locale,
        "demo": settings_of(request).demo,
        "here": here,
        "nav": _nav(user),
        "path": request.url.path,
        # optional flags of partials, so StrictUndefined still catches real typos
        "answer_error": False,
        "oob": False,
    }
    page.update(_header(request, user))
    page.update(context or {})
    html = environment(locale).get_template(template).render(page)
    response = HTMLResponse(html, status_code=status, headers=headers)
    if new_cookie:
        settings = settings_of(request)
        response.set_cookie(
            CSRF_COOKIE, new_cookie, httponly=True, samesite="lax", secure=settings.secure_cookies, path="/"
        )
    response.headers["Content-Language"] = locale
    response.headers.setdefault("Cache-Control", "no-store")
    return response
