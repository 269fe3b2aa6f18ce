"""Request plumbing for the web UI: who is signed in (cookie), CSRF checks, the UI language, safe redirects.

Signed-in forms carry the session's CSRF token (stored server-side with the session); anonymous forms (login,
language) use a signed double-submit cookie ``lp_csrf``: the form's hidden token must equal the cookie, and
the cookie must carry a valid HMAC made with the app's secret.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import Annotated
from urllib.parse import urlsplit

from fastapi import Depends, Request
from fastapi.exceptions import RequestValidationError

from learnpath.errors import AuthenticationError, LearnpathError, PermissionDeniedError
from learnpath.service import accounts
from learnpath.service.access import Actor
from learnpath.service.context import ServiceContext
from learnpath.settings import Settings
from learnpath.web.i18n import LANGUAGES, negotiate

__all__ = [
    "CSRF_COOKIE",
    "LANG_COOKIE",
    "SESSION_COOKIE",
    "CsrfError",
    "Ctx",
    "OptionalUser",
    "SignedIn",
    "WebUser",
    "check_csrf",
    "current_user",
    "get_ctx",
    "locale_of",
    "new_anon_token",
    "safe_next",
    "settings_of",
    "valid_anon_token",
]

SESSION_COOKIE = "lp_session"
CSRF_COOKIE = "lp_csrf"
LANG_COOKIE = "lp_lang"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"


class CsrfError(PermissionDeniedError):
    """A POST without the right CSRF token (an old page, or a request forged by another site)."""

    code = "csrf"


@dataclass(frozen=True)
class WebUser:
    """The signed-in person, their session token and the session's CSRF token."""

    actor: Actor
    csrf_token: str
    token: str


def get_ctx(request: Request) -> ServiceContext:
    ctx: ServiceContext = request.app.state.ctx
    return ctx


Ctx = Annotated[ServiceContext, Depends(get_ctx)]


def settings_of(request: Request) -> Settings:
    """The app's settings (cookies, demo banner, default language)."""
    settings: Settings = request.app.state.settings
    return settings


def current_user(request: Request) -> WebUser | None:
    """The signed-in user from the session cookie, or None (cached on the request)."""
    if hasattr(request.state, "web_user"):
        cached: WebUser | None = request.state.web_user
        return cached
    token = request.cookies.get(SESSION_COOKIE, "")
    user: WebUser | None = None
    if token:
        try:
            actor, csrf = accounts.authenticate_token(get_ctx(request), token, "web")
            user = WebUser(actor, csrf, token)
        except AuthenticationError:
            user = None
    request.state.web_user = user
    return user


def optional_user(request: Request) -> WebUser | None:
    return current_user(request)


def signed_in(request: Request) -> WebUser:
    """The signed-in user; otherwise AuthenticationError, which the error handler turns into /login."""
    user = current_user(request)
    if user is None:
        raise AuthenticationError("sign in first")
    return user


OptionalUser = Annotated[WebUser | None, Depends(optional_user)]
SignedIn = Annotated[WebUser, Depends(signed_in)]


def _secret(request: Request) -> bytes:
    state = request.app.state
    if not hasattr(state, "web_secret"):
        configured = settings_of(request).secret_key
        state.web_secret = configured.encode() if configured else secrets.token_bytes(32)
    secret: bytes = state.web_secret
    return secret


def _sign(request: Request, nonce: str) -> str:
    return hmac.new(_secret(request), nonce.encode(), hashlib.sha256).hexdigest()[:32]


def new_anon_token(request: Request) -> str:
    nonce = secrets.token_urlsafe(18)
    return f"{nonce}.{_sign(request, nonce)}"


def valid_anon_token(request: Request, value: str) -> bool:
    nonce, _, mac = value.partition(".")
    return bool(nonce and mac) and hmac.compare_digest(mac, _sign(request, nonce))


async def check_csrf(request: Request, user: WebUser | None) -> None:
    """Raise CsrfError unless the form field or header carries the expected token."""
    sent = request.headers.get(CSRF_HEADER, "")
    if not sent:
        form = await request.form()
        value = form.get(CSRF_FIELD, "")
        sent = value if isinstance(value, str) else ""
    if user is not None:
        expected = user.csrf_token
    else:
        expected = request.cookies.get(CSRF_COOKIE, "")
        if not valid_anon_token(request, expected):
            expected = ""
    if not (sent and expected and hmac.compare_digest(sent.encode(), expected.encode())):
        raise CsrfError("the form's security token is missing or out of date")


async def csrf_protect(request: Request) -> None:
    """Dependency for every POST route."""
    await check_csrf(request, current_user(request))


def locale_of(request: Request, user: WebUser | None) -> str:
    """Signed in: the account's language; otherwise the ``lp_lang`` cookie, then Accept-Language."""
    if user is not None and user.actor.locale in LANGUAGES:
        return user.actor.locale
    cookie = request.cookies.get(LANG_COOKIE, "")
    if cookie in LANGUAGES:
        return cookie
    default = settings_of(request).default_locale
    header = request.headers.get("accept-language", "")
    return negotiate(header, default) if header else default


def safe_next(value: str | None, fallback: str = "/") -> str:
    """A same-site relative path to go to after a form, or ``fallback`` for anything else."""
    if not value or not value.startswith("/") or value.startswith(("//", "/\\")):
        return fallback
    if any(c in value for c in "\r\n\t\\") or any(ord(c) < 32 for c in value):
        return fallback
    parts = urlsplit(value)
    if parts.scheme or parts.netloc:
        return fallback
    return value


def status_of(exc: Exception) -> int:
    """The HTTP status an error is shown with."""
    if isinstance(exc, LearnpathError):
        return exc.status
    if isinstance(exc, RequestValidationError):
        return 422
    status: int = getattr(exc, "status_code", 500)
    return status
