"""In-app notifications: a short notice to one user that something happened (a comment on a goal, an
approval asked for, a check-in summary, the weekly digest).

A notification stores its ``kind`` and the ``params`` to word it, not a sentence: the page words it in the
reader's language. Use cases call :func:`notify` inside their own transaction, so a notice exists exactly
when what it tells of was saved.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from learnpath.errors import NotFoundError, ValidationError
from learnpath.service.access import Actor
from learnpath.service.context import ServiceContext
from learnpath.storage.tables import Notification, User

__all__ = [
    "MAX_LIST",
    "NotificationView",
    "list_notifications",
    "mark_read",
    "notify",
    "unread_count",
]

MAX_LIST = 200
MAX_KIND = 40
MAX_LINK = 300


@dataclass(frozen=True)
class NotificationView:
    id: int
    kind: str
    params: dict[str, Any]
    link: str
    actor_name: str | None
    """Display name of who caused it (None for the system or a removed account)."""
    created_at: datetime
    read_at: datetime | None


def notify(
    session: Session,
    user_ids: Iterable[int],
    kind: str,
    params: dict[str, Any] | None = None,
    *,
    link: str = "",
    actor_id: int | None = None,
    now: datetime,
) -> int:
    """Add one notification per user in ``user_ids`` (the actor themself is skipped: nobody is told of
    their own action). Runs in the caller's transaction; returns how many were added."""
    if not kind or len(kind) > MAX_KIND:
        raise ValidationError(f"a notification kind is 1 to {MAX_KIND} characters, got {kind!r}")
    if len(link) > MAX_LINK:
        raise ValidationError(f"a notification link is at most {MAX_LINK} characters")
    targets = sorted({u for u in user_ids if u != actor_id})
    session.add_all(
        Notification(
            user_id=u,
            kind=kind,
            params=dict(params or {}),
            link=link,
            actor_id=actor_id,
            created_at=now,
        )
        for u in targets
    )
    return len(targets)


def list_notifications(
    ctx: ServiceContext, actor: Actor, *, unread_only: bool = False, limit: int = 50
) -> list[NotificationView]:
    """The actor's own notifications, newest first."""
    if not 1 <= limit <= MAX_LIST:
        raise ValidationError(f"limit must be 1 to {MAX_LIST}, got {limit}")
    with ctx.unit() as session:
        query = (
            select(Notification, User.display_name)
            .outerjoin(User, User.id == Notification.actor_id)
            .where(Notification.user_id == actor.user_id)
        )
        if unread_only:
            query = query.where(Notification.read_at.is_(None))
        rows = session.execute(
            query.order_by(Notification.created_at.desc(), Notification.id.desc()).limit(limit)
        ).all()
        return [
            NotificationView(n.id, n.kind, dict(n.params), n.link, who, n.created_at, n.read_at)
            for n, who in rows
        ]


def unread_count(ctx: ServiceContext, actor: Actor) -> int:
    with ctx.unit() as session:
        return int(
            session.scalar(
                select(func.count())
                .select_from(Notification)
                .where(Notification.user_id == actor.user_id, Notification.read_at.is_(None))
            )
            or 0
        )


def mark_read(ctx: ServiceContext, actor: Actor, ids: Iterable[int] | None = None) -> int:
    """Mark the actor's notifications read: those in ``ids`` (each must be the actor's own), or all when
    ``ids`` is None. Returns how many changed."""
    now = ctx.clock()
    with ctx.unit() as session:
        query = update(Notification).where(
            Notification.user_id == actor.user_id, Notification.read_at.is_(None)
        )
        if ids is not None:
            wanted = sorted(set(ids))
            own = set(
                session.scalars(
                    select(Notification.id).where(
                        Notification.id.in_(wanted), Notification.user_id == actor.user_id
                    )
                )
            )
            missing = [i for i in wanted if i not in own]
            if missing:
                raise NotFoundError(f"no notification with id {missing[0]}")
            query = query.where(Notification.id.in_(wanted))
        result = session.execute(query.values(read_at=now))
        return int(result.rowcount or 0)  # type: ignore[attr-defined]
