"""Logins, sessions and bearer tokens; login rate limiting; accounts."""

from __future__ import annotations

import contextlib
import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, select

from learnpath.errors import AuthenticationError, FieldError, RateLimitedError, ValidationError
from learnpath.service.access import Actor
from learnpath.service.context import ServiceContext
from learnpath.storage.tables import ApiSession, LoginFailure, User

__all__ = ["Login", "authenticate_token", "login", "logout", "set_locale"]

SessionKind = str  # "web" (cookie) or "api" (bearer token)


@dataclass(frozen=True)
class Login:
    """A new session: the secret ``token`` (shown once), its CSRF token, and who it belongs to."""

    token: str
    csrf_token: str
    expires_at: datetime
    actor: Actor


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _failure_keys(username: str, client: str) -> list[str]:
    return [f"user:{username.strip().lower()}|{client}", f"client:{client}"]


def login(ctx: ServiceContext, username: str, password: str, client: str, kind: SessionKind) -> Login:
    """Check the password and open a session. Too many failures from one client pause logins."""
    problems = []
    if not username.strip():
        problems.append(("username", "must not be empty"))
    if not password:
        problems.append(("password", "must not be empty"))
    for field, value in (("username", username), ("password", password)):
        if "\x00" in value:
            problems.append((field, "must not contain NUL characters"))
    if problems:
        raise ValidationError(
            "login needs a username and a password", [FieldError(f, m) for f, m in problems]
        )
    now = ctx.clock()
    window_start = now - timedelta(seconds=ctx.settings.login_window_s)
    keys = _failure_keys(username, client)
    limits = [ctx.settings.login_max_failures, ctx.settings.login_max_failures * 4]
    with ctx.unit() as session:
        session.execute(delete(LoginFailure).where(LoginFailure.created_at < window_start))
        for key, limit in zip(keys, limits, strict=True):
            count, oldest = session.execute(
                select(func.count(), func.min(LoginFailure.created_at)).where(
                    LoginFailure.key == key, LoginFailure.created_at >= window_start
                )
            ).one()
            if count >= limit:
                retry = (
                    int((oldest + timedelta(seconds=ctx.settings.login_window_s) - now).total_seconds()) + 1
                )
                raise RateLimitedError(
                    f"too many failed logins; try again in {max(retry, 1)} seconds", max(retry, 1)
                )
        user = session.scalars(select(User).where(User.username == username.strip())).first()
        ok = False
        if user is not None:
            try:
                ok = ctx.hasher.verify(user.password_hash, password)
            except (VerificationError, InvalidHashError):
                ok = False
        else:
            # Spend the same time as a real check, so timing does not reveal which usernames exist.
            with contextlib.suppress(VerificationError, InvalidHashError):
                ctx.hasher.verify(_DUMMY_HASH.get(ctx), password)
        if not ok or user is None:
            session.add_all(LoginFailure(key=k, created_at=now) for k in keys)
            failure = AuthenticationError("wrong username or password")
        else:
            token = secrets.token_urlsafe(32)
            csrf = secrets.token_urlsafe(24)
            expires = now + timedelta(days=ctx.settings.session_days)
            session.add(
                ApiSession(
                    token_hash=_hash_token(token),
                    user_id=user.id,
                    kind=kind,
                    csrf_token=csrf,
                    created_at=now,
                    expires_at=expires,
                )
            )
            session.execute(delete(LoginFailure).where(LoginFailure.key == keys[0]))
            return Login(token, csrf, expires, Actor.of(user))
    # The failure rows are committed before the error propagates.
    raise failure


class _DummyHash:
    """A hash of a random password, made once per hasher, to verify against for unknown usernames."""

    def __init__(self) -> None:
        self._by_ctx: dict[int, str] = {}

    def get(self, ctx: ServiceContext) -> str:
        key = id(ctx.hasher)
        if key not in self._by_ctx:
            self._by_ctx[key] = ctx.hasher.hash(secrets.token_hex(16))
        return self._by_ctx[key]


_DUMMY_HASH = _DummyHash()


def authenticate_token(ctx: ServiceContext, token: str, kind: SessionKind) -> tuple[Actor, str]:
    """The actor and CSRF token of a live session; AuthenticationError otherwise."""
    if not token:
        raise AuthenticationError("sign in first")
    now = ctx.clock()
    with ctx.unit() as session:
        row = session.scalars(
            select(ApiSession).where(ApiSession.token_hash == _hash_token(token), ApiSession.kind == kind)
        ).first()
        if row is None or row.expires_at <= now:
            raise AuthenticationError("your session has ended; sign in again")
        user = session.get(User, row.user_id)
        if user is None:
            raise AuthenticationError("your session has ended; sign in again")
        return Actor.of(user), row.csrf_token


def logout(ctx: ServiceContext, token: str) -> None:
    """End the session behind ``token`` (no error if it already ended)."""
    with ctx.unit() as session:
        session.execute(delete(ApiSession).where(ApiSession.token_hash == _hash_token(token)))


def set_locale(ctx: ServiceContext, actor: Actor, locale: str) -> None:
    if locale not in ("en", "es"):
        raise ValidationError.for_field("locale", f"must be 'en' or 'es', got {locale!r}")
    with ctx.unit() as session:
        user = session.get(User, actor.user_id)
        if user is not None:
            user.locale = locale
