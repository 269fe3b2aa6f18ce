"""The web UI's router and its error pages.

Errors on pages become a localized page with the status and a plain message (a partial for htmx
requests); a missing or ended session sends the browser to ``/login?next=...`` instead.
"""

from __future__ import annotations

import logging
from urllib.parse import quote

from fastapi import APIRouter, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse

from learnpath.errors import AuthenticationError, RateLimitedError, ValidationError
from learnpath.web import (
    assignment_views,
    auth_views,
    checkin_views,
    content_views,
    dashboard_views,
    group_views,
    learn_views,
    marking_views,
    next_views,
    path_views,
    placement_views,
    plan_views,
    portfolio_views,
    rotation_views,
    staff_views,
)
from learnpath.web.deps import SESSION_COOKIE, CsrfError, WebUser, current_user, status_of
from learnpath.web.render import is_htmx, render

__all__ = ["handle_web_error", "router"]

log = logging.getLogger(__name__)

router = APIRouter(include_in_schema=False)
for module in (
    auth_views,
    learn_views,
    dashboard_views,
    staff_views,
    next_views,
    path_views,
    content_views,
    placement_views,
    marking_views,
    group_views,
    assignment_views,
    rotation_views,
    plan_views,
    checkin_views,
    portfolio_views,
):
    router.include_router(module.router)


def _sign_in_redirect(request: Request) -> Response:
    target = "/login"
    if request.method == "GET":
        here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        target = f"/login?next={quote(here, safe='/')}"
    response: Response
    if is_htmx(request):
        response = Response(status_code=401, headers={"HX-Redirect": target})
    else:
        response = RedirectResponse(target, status_code=303)
    if SESSION_COOKIE in request.cookies:
        response.delete_cookie(SESSION_COOKIE, path="/")
    return response


def _fields(exc: Exception) -> list[str]:
    if isinstance(exc, RequestValidationError):
        return [
            ".".join(str(p) for p in e.get("loc", ()) if p not in ("body", "query", "path"))
            for e in exc.errors()
        ]
    if isinstance(exc, ValidationError):
        return [f.field for f in exc.errors]
    return []


async def handle_web_error(request: Request, exc: Exception) -> Response:
    """Render any error raised under a page path (the API has its own JSON handler)."""
    if isinstance(exc, AuthenticationError):
        return _sign_in_redirect(request)
    status = status_of(exc)
    if status >= 500:
        log.error("error on %s %s", request.method, request.url.path, exc_info=exc)
    user: WebUser | None
    try:
        user = current_user(request)
    except Exception:  # the database itself may be what failed
        user = None
    headers = {}
    if isinstance(exc, RateLimitedError):
        headers["Retry-After"] = str(exc.retry_after_s)
    if status == 405 and (allow := getattr(exc, "headers", None)):
        headers.update(allow)
    context = {"status": status, "kind": "csrf" if isinstance(exc, CsrfError) else "", "fields": _fields(exc)}
    template = "_error.html" if is_htmx(request) else "error.html"
    try:
        return render(request, template, context, status=status, user=user, headers=headers or None)
    except Exception:  # never fail while reporting a failure
        log.exception("the error page itself failed")
        return Response(f"Error {status}", status_code=status, media_type="text/plain")
