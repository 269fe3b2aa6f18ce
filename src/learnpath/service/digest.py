"""The family's weekly digest (issue 6): for each linked child, what happened in one week (Monday to
Sunday, UTC): practice, skills mastered, goals with their forecast, check-ins and new portfolio work, and
how many notices wait for the family member.

``learnpath digest`` makes each family member's digest of a week once (a stored row and an in-app notice),
then emails the digests not emailed yet when SMTP is configured and the member has an address. The page
``/family/digest`` shows a stored digest, or the week so far.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from learnpath.errors import ValidationError
from learnpath.service.access import Actor, require_role
from learnpath.service.checkin_summary import plan_now, portfolio_since, progress_between
from learnpath.service.context import ServiceContext
from learnpath.service.mail import MailError, SmtpMailer, build_message
from learnpath.service.notifications import notify
from learnpath.storage.tables import CheckinRow, FamilyDigest, FamilyLink, Notification, User

__all__ = [
    "DIGEST_KIND",
    "DigestRun",
    "EmailRun",
    "PendingEmail",
    "digest_content",
    "email_digests",
    "email_of",
    "family_week",
    "last_complete_week",
    "make_digests",
    "mark_emailed",
    "pending_emails",
    "set_email",
    "week_start_of",
]

DIGEST_KIND = "weekly_digest"
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MAX_EMAIL = 254

Progress = Callable[[int, int], None]


def week_start_of(day: date) -> date:
    """The Monday of ``day``'s week."""
    return day - timedelta(days=day.weekday())


def last_complete_week(now: datetime) -> date:
    """The Monday of the week before ``now``'s week (the week a Monday-morning run reports on)."""
    return week_start_of(now.date()) - timedelta(days=7)


def _bounds(week_start: date) -> tuple[datetime, datetime]:
    start = datetime.combine(week_start, time(0), tzinfo=UTC)
    return start, start + timedelta(days=7)


def digest_content(session: Session, family_id: int, week_start: date, now: datetime) -> dict[str, Any]:
    """The digest of ``week_start``'s week (up to ``now`` when the week is not over)."""
    if week_start.weekday() != 0:
        raise ValidationError.for_field("week", f"a week starts on a Monday, got {week_start.isoformat()}")
    start, end = _bounds(week_start)
    until = min(end, now)
    children = []
    learners = session.execute(
        select(User.id, User.display_name)
        .join(FamilyLink, FamilyLink.learner_id == User.id)
        .where(FamilyLink.family_id == family_id)
        .order_by(User.display_name, User.id)
    ).all()
    for learner_id, name in learners:
        progress = progress_between(session, learner_id, start, until)
        plan = plan_now(session, learner_id, until)
        checkins = session.execute(
            select(CheckinRow.id, CheckinRow.held_at, CheckinRow.notes, CheckinRow.next_due_on)
            .where(
                CheckinRow.learner_id == learner_id, CheckinRow.held_at > start, CheckinRow.held_at <= until
            )
            .order_by(CheckinRow.held_at)
        ).all()
        children.append(
            {
                "learner_id": learner_id,
                "name": name,
                "progress": progress,
                "goals": [
                    {
                        "id": g["id"],
                        "title": g.get("title", ""),
                        "state": g.get("state", ""),
                        "target_date": g.get("target_date"),
                        "progress": float(g.get("progress") or 0.0),
                        "forecast": dict(g.get("forecast") or {}),
                    }
                    for g in plan.get("goals", [])
                    if g.get("state") != "dropped"
                ],
                "checkins": [
                    {
                        "id": cid,
                        "held_at": held.isoformat(),
                        "notes": notes,
                        "next_due_on": due.isoformat() if due else None,
                    }
                    for cid, held, notes, due in checkins
                ],
                "portfolio": portfolio_since(session, learner_id, start, until),
            }
        )
    waiting = session.scalar(
        select(func.count())
        .select_from(Notification)
        .where(
            Notification.user_id == family_id,
            Notification.read_at.is_(None),
            Notification.kind != DIGEST_KIND,
        )
    )
    return {
        "week_start": week_start.isoformat(),
        "week_end": (week_start + timedelta(days=6)).isoformat(),
        "complete": now >= end,
        "children": children,
        "waiting": int(waiting or 0),
    }


def family_week(ctx: ServiceContext, actor: Actor, week_start: date | None = None) -> dict[str, Any]:
    """The family member's digest of a week: the stored one when it was made, else the week so far
    (default: this week). Family members only."""
    require_role(actor, "family")
    now = ctx.clock()
    week = week_start_of(week_start or now.date())
    with ctx.unit() as session:
        stored = session.scalars(
            select(FamilyDigest).where(
                FamilyDigest.family_id == actor.user_id, FamilyDigest.week_start == week
            )
        ).first()
        if stored is not None:
            return dict(stored.content)
        return digest_content(session, actor.user_id, week, now)


def email_of(ctx: ServiceContext, actor: Actor) -> str | None:
    """The actor's own email address (None: none set)."""
    with ctx.unit() as session:
        user = session.get(User, actor.user_id)
        return user.email if user is not None else None


def set_email(ctx: ServiceContext, actor: Actor, email: str | None) -> str | None:
    """Set (or with None / empty, remove) the actor's own email address."""
    value = (email or "").strip()
    if value and (len(value) > MAX_EMAIL or not EMAIL.match(value)):
        raise ValidationError.for_field("email", f"not an email address: {value[:80]!r}")
    with ctx.unit() as session:
        user = session.get(User, actor.user_id)
        assert user is not None
        user.email = value or None
    return value or None


@dataclass(frozen=True)
class DigestRun:
    week_start: date
    families: int
    created: int
    existing: int
    """Digests of the week made by an earlier run (not made again)."""
    dry_run: bool


def _families(session: Session) -> list[int]:
    return list(
        session.scalars(
            select(User.id)
            .where(User.role == "family", User.id.in_(select(FamilyLink.family_id)))
            .order_by(User.id)
        )
    )


def make_digests(
    ctx: ServiceContext, week_start: date, *, dry_run: bool = False, progress: Progress | None = None
) -> DigestRun:
    """Make the week's digest of every family member linked to a learner, once: each is stored with an
    in-app notice in its own transaction; a digest made earlier is left as it is."""
    week = week_start_of(week_start)
    now = ctx.clock()
    report = progress or (lambda done, total: None)
    with ctx.unit() as session:
        families = _families(session)
        done = set(session.scalars(select(FamilyDigest.family_id).where(FamilyDigest.week_start == week)))
    created = 0
    report(0, len(families))
    for i, family_id in enumerate(families, 1):
        if family_id not in done:
            if not dry_run:
                with ctx.unit() as session:
                    content = digest_content(session, family_id, week, now)
                    session.add(
                        FamilyDigest(family_id=family_id, week_start=week, content=content, created_at=now)
                    )
                    notify(
                        session,
                        [family_id],
                        DIGEST_KIND,
                        {"week_start": week.isoformat(), "children": len(content["children"])},
                        link=f"/family/digest?week={week.isoformat()}",
                        now=now,
                    )
            created += 1
        report(i, len(families))
    return DigestRun(week, len(families), created, len(families) - created, dry_run)


@dataclass(frozen=True)
class PendingEmail:
    digest_id: int | None
    """None in a dry run for a digest not made yet."""
    family_id: int
    to: str
    name: str
    locale: str
    content: dict[str, Any]


def pending_emails(ctx: ServiceContext, week_start: date, *, dry_run: bool = False) -> list[PendingEmail]:
    """Digests of the week not emailed yet whose family member has an address (in a dry run also those
    :func:`make_digests` would make)."""
    week = week_start_of(week_start)
    now = ctx.clock()
    with ctx.unit() as session:
        rows = session.execute(
            select(FamilyDigest, User)
            .join(User, User.id == FamilyDigest.family_id)
            .where(
                FamilyDigest.week_start == week, FamilyDigest.emailed_at.is_(None), User.email.is_not(None)
            )
            .order_by(User.id)
        ).all()
        out = [
            PendingEmail(d.id, u.id, u.email or "", u.display_name, u.locale, dict(d.content))
            for d, u in rows
        ]
        if dry_run:
            made = set(session.scalars(select(FamilyDigest.family_id).where(FamilyDigest.week_start == week)))
            for family_id in _families(session):
                user = session.get(User, family_id)
                if family_id not in made and user is not None and user.email:
                    content = digest_content(session, family_id, week, now)
                    out.append(
                        PendingEmail(None, family_id, user.email, user.display_name, user.locale, content)
                    )
        return out


def mark_emailed(ctx: ServiceContext, digest_id: int, to: str) -> None:
    with ctx.unit() as session:
        row = session.get(FamilyDigest, digest_id)
        if row is not None:
            row.email_to, row.emailed_at = to, ctx.clock()


Render = Callable[[PendingEmail], tuple[str, str, str]]
"""Words one digest email: (subject, plain text, HTML) in the family member's language."""


@dataclass(frozen=True)
class EmailRun:
    to_send: int
    sent: int
    failed: list[tuple[str, str]]
    """(address, reason) of each email that could not be sent (tried again on the next run)."""
    no_address: int
    """Family members with a digest this week but no email address."""


def email_digests(
    ctx: ServiceContext,
    week_start: date,
    mailer: SmtpMailer | None,
    render: Render,
    *,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> EmailRun:
    """Email the week's digests not emailed yet (each marked once sent, so a later run sends only the
    rest). Without a mailer (no SMTP configured) or in a dry run nothing is sent; the count to send is
    still given."""
    week = week_start_of(week_start)
    report = progress or (lambda done, total: None)
    pending = pending_emails(ctx, week, dry_run=dry_run)
    with ctx.unit() as session:
        families = _families(session)
        with_address = set(
            session.scalars(select(User.id).where(User.id.in_(families), User.email.is_not(None)))
        )
    no_address = len(families) - len(with_address)
    sent, failed = 0, []
    report(0, len(pending))
    if mailer is None or dry_run or not pending:
        return EmailRun(len(pending), 0, [], no_address)
    with mailer:
        for i, email in enumerate(pending, 1):
            subject, text, html = render(email)
            message = build_message(
                mailer.sender, email.to, subject, text, html, to_name=email.name, lang=email.locale
            )
            try:
                mailer.send(message)
            except MailError as exc:
                failed.append((email.to, str(exc)))
            else:
                assert email.digest_id is not None
                mark_emailed(ctx, email.digest_id, email.to)
                sent += 1
            report(i, len(pending))
    return EmailRun(len(pending), sent, failed, no_address)
