"""Signing in and out, the home redirect by role, and the language switch."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request, Response
from fastapi.responses import RedirectResponse

from learnpath.errors import AuthenticationError, RateLimitedError, ValidationError
from learnpath.service import accounts
from learnpath.web.deps import (
    LANG_COOKIE,
    SESSION_COOKIE,
    Ctx,
    OptionalUser,
    SignedIn,
    check_csrf,
    current_user,
    safe_next,
    settings_of,
)
from learnpath.web.i18n import LANGUAGES
from learnpath.web.render import render

router = APIRouter(include_in_schema=False)

HOME_BY_ROLE = {"learner": "/learn", "teacher": "/classes", "admin": "/classes", "family": "/family"}
FormStr = Annotated[str, Form()]


def redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


@router.get("/")
def home(user: OptionalUser) -> Response:
    """Each role's home page; the sign-in page for anyone not signed in."""
    if user is None:
        return redirect("/login")
    return redirect(HOME_BY_ROLE[user.actor.role])


def _login_page(
    request: Request, next_url: str, username: str = "", error: str = "", status: int = 200, retry: int = 0
) -> Response:
    headers = {"Retry-After": str(retry)} if retry else None
    context = {"next": next_url, "username": username, "error": error, "retry_after": retry}
    return render(request, "login.html", context, status=status, headers=headers)


@router.get("/login")
def login_form(request: Request, user: OptionalUser, next: str = "") -> Response:
    """The sign-in form (anyone already signed in goes on to ``next`` or home)."""
    if user is not None:
        return redirect(safe_next(next))
    return _login_page(request, safe_next(next, ""))


@router.post("/login")
async def login(
    request: Request,
    ctx: Ctx,
    username: FormStr = "",
    password: FormStr = "",
    next: FormStr = "",
) -> Response:
    """Check the password; on success set the session cookie and go on to ``next``."""
    await check_csrf(request, None)
    request.state.web_user = None  # the login form is always the anonymous one
    target = safe_next(next, "")
    client = request.client.host if request.client else "unknown"
    try:
        result = accounts.login(ctx, username, password, client, "web")
    except ValidationError:
        return _login_page(request, target, username, "missing", 422)
    except AuthenticationError:
        return _login_page(request, target, username, "wrong", 401)
    except RateLimitedError as exc:
        return _login_page(request, target, username, "rate_limited", 429, exc.retry_after_s)
    chosen = request.cookies.get(LANG_COOKIE, "")
    if chosen in LANGUAGES and chosen != result.actor.locale:
        accounts.set_locale(ctx, result.actor, chosen)
    response = redirect(target or "/")
    settings = settings_of(request)
    response.set_cookie(
        SESSION_COOKIE,
        result.token,
        max_age=settings.session_days * 86400,
        httponly=True,
        samesite="lax",
        secure=settings.secure_cookies,
        path="/",
    )
    return response


@router.post("/logout")
async def logout(request: Request, ctx: Ctx, user: SignedIn) -> Response:
    """End this browser's session."""
    await check_csrf(request, user)
    accounts.logout(ctx, user.token)
    response = redirect("/login")
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.post("/lang")
async def set_language(request: Request, ctx: Ctx, lang: FormStr = "", next: FormStr = "") -> Response:
    """Switch the UI language: a cookie for this browser, and the account's language when signed in."""
    user = current_user(request)
    await check_csrf(request, user)
    if lang not in LANGUAGES:
        raise ValidationError.for_field("lang", f"must be one of {', '.join(LANGUAGES)}, got {lang!r}")
    if user is not None:
        accounts.set_locale(ctx, user.actor, lang)
    response = redirect(safe_next(next))
    response.set_cookie(
        LANG_COOKIE,
        lang,
        max_age=365 * 86400,
        httponly=True,
        samesite="lax",
        secure=settings_of(request).secure_cookies,
        path="/",
    )
    return response
