"""The family's weekly digest (issue 6): what it holds, made once per family member and week (in-app),
emailed once over a real local SMTP server in the member's language, failures tried again."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func, select

from learnpath.errors import PermissionDeniedError, ValidationError
from learnpath.service import checkins, digest, notifications, portfolio
from learnpath.service.access import Actor
from learnpath.service.context import ServiceContext
from learnpath.service.digest import PendingEmail
from learnpath.service.learning import record_attempt
from learnpath.service.mail import MailError, SmtpMailer
from learnpath.storage.tables import FamilyDigest, User
from learnpath.testing.clock import FakeClock
from learnpath.testing.school import TinySchool
from learnpath.testing.smtp import LocalSmtpServer
from learnpath.web.checkin_words import digest_email

WEEK = date(2026, 8, 31)  # the Monday of the fake clock's first day (2026-09-01)


def actor(ctx: ServiceContext, school: TinySchool, name: str) -> Actor:
    with ctx.unit() as s:
        user = s.get(User, school.ids[name])
        assert user is not None
        return Actor.of(user)


def _render(email: PendingEmail) -> tuple[str, str, str]:
    return digest_email(email.content, email.locale, email.name, "https://school.example")


def _week_of_work(ctx: ServiceContext, school: TinySchool, clock: FakeClock) -> None:
    l1 = actor(ctx, school, "learner1")
    for i in range(3):
        record_attempt(
            ctx, l1, school.ids["learner1"], school.ids[f"ADD-{i}"], str(i + 2), duration_ms=120_000
        )
    portfolio.add_work(
        ctx, l1, school.ids["learner1"], kind="text", title="My story", body="Once upon a time"
    )
    checkins.hold_checkin(ctx, actor(ctx, school, "teacher1"), school.ids["learner1"], notes="A good week.")
    clock.advance(days=7)  # the week is over


def test_week_bounds() -> None:
    assert digest.week_start_of(date(2026, 9, 6)) == WEEK  # a Sunday
    assert digest.week_start_of(WEEK) == WEEK


@given(st.dates(min_value=date(2000, 1, 10), max_value=date(2100, 1, 1)))
def test_a_week_starts_on_the_monday_of_its_days(day: date) -> None:
    start = digest.week_start_of(day)
    assert start.weekday() == 0 and 0 <= (day - start).days <= 6
    now = datetime.combine(day, time(9), tzinfo=UTC)
    last = digest.last_complete_week(now)
    assert last.weekday() == 0 and 7 <= (day - last).days <= 13, "the whole week before this one"


def test_digest_holds_the_week_of_each_linked_child(
    ctx: ServiceContext, school: TinySchool, clock: FakeClock
) -> None:
    _week_of_work(ctx, school, clock)
    with ctx.unit() as s:
        content = digest.digest_content(s, school.ids["family1"], WEEK, clock())
        with pytest.raises(ValidationError, match="Monday"):
            digest.digest_content(s, school.ids["family1"], WEEK + timedelta(days=1), clock())
    assert content["complete"] and [c["name"] for c in content["children"]] == ["Learner1"]
    (child,) = content["children"]
    assert child["progress"]["attempts"] == 3 and child["progress"]["minutes"] == 6
    assert [c["notes"] for c in child["checkins"]] == ["A good week."]
    assert [w["title"] for w in child["portfolio"]] == ["My story"]
    # the page shows the same for the family member, others may not open it
    assert digest.family_week(ctx, actor(ctx, school, "family1"), WEEK)["children"] == content["children"]
    with pytest.raises(PermissionDeniedError):
        digest.family_week(ctx, actor(ctx, school, "teacher1"), WEEK)


def test_digests_are_made_once_with_a_notice(
    ctx: ServiceContext, school: TinySchool, clock: FakeClock
) -> None:
    _week_of_work(ctx, school, clock)
    dry = digest.make_digests(ctx, WEEK, dry_run=True)
    assert (dry.families, dry.created) == (2, 2)
    with ctx.unit() as s:
        assert s.scalar(select(func.count()).select_from(FamilyDigest)) == 0
    first = digest.make_digests(ctx, WEEK)
    again = digest.make_digests(ctx, WEEK)
    assert (first.created, first.existing, again.created, again.existing) == (2, 0, 0, 2)
    f1 = actor(ctx, school, "family1")
    notes = [n for n in notifications.list_notifications(ctx, f1) if n.kind == digest.DIGEST_KIND]
    assert len(notes) == 1 and notes[0].link == f"/family/digest?week={WEEK.isoformat()}"
    # a stored digest is what the page shows, even after more work
    l1 = actor(ctx, school, "learner1")
    record_attempt(ctx, l1, school.ids["learner1"], school.ids["ADD-0"], "2")
    assert digest.family_week(ctx, f1, WEEK)["children"][0]["progress"]["attempts"] == 3


def test_digests_are_emailed_once_in_the_members_language(
    ctx: ServiceContext, school: TinySchool, clock: FakeClock
) -> None:
    _week_of_work(ctx, school, clock)
    f1, f3 = actor(ctx, school, "family1"), actor(ctx, school, "family3")
    digest.set_email(ctx, f1, "parent1@example.org")
    with ctx.unit() as s:
        s.get(User, f1.user_id).locale = "es"  # type: ignore[union-attr]
    with pytest.raises(ValidationError, match="email"):
        digest.set_email(ctx, f3, "not an address")
    digest.make_digests(ctx, WEEK)
    with LocalSmtpServer() as server:
        mailer = SmtpMailer(
            "127.0.0.1", server.port, "relay", "pw", starttls=False, sender="lp@school.example"
        )
        run = digest.email_digests(ctx, WEEK, mailer, _render)
        assert (run.to_send, run.sent, run.failed, run.no_address) == (1, 1, [], 1)
        assert digest.email_digests(ctx, WEEK, mailer, _render).to_send == 0, "a digest is emailed once"
    (message,) = server.messages
    assert server.envelopes == [("lp@school.example", ["parent1@example.org"])]
    assert server.logins == [("relay", "pw")]
    assert message["Subject"].startswith("Resumen semanal") and message["Content-Language"] == "es"
    text = message.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
    html = message.get_body(preferencelist=("html",)).get_content()  # type: ignore[union-attr]
    assert "Learner1" in text and "3 preguntas respondidas" in text and "A good week." in text
    assert "Trabajo nuevo: My story" in text
    assert f"https://school.example/learners/{school.ids['learner1']}/plan" in text
    assert "<h2" in html and "Learner1" in html and 'lang="es"' in html
    with ctx.unit() as s:
        row = s.scalars(select(FamilyDigest).where(FamilyDigest.family_id == f1.user_id)).one()
        assert row.emailed_at is not None and row.email_to == "parent1@example.org"


def test_a_refused_email_is_reported_and_tried_again(
    ctx: ServiceContext, school: TinySchool, clock: FakeClock
) -> None:
    _week_of_work(ctx, school, clock)
    digest.set_email(ctx, actor(ctx, school, "family1"), "gone@example.org")
    digest.make_digests(ctx, WEEK)
    with LocalSmtpServer(refuse=("gone@example.org",)) as server:
        mailer = SmtpMailer("127.0.0.1", server.port, starttls=False, sender="lp@school.example")
        run = digest.email_digests(ctx, WEEK, mailer, _render)
    assert run.sent == 0 and run.failed[0][0] == "gone@example.org" and not server.messages
    with LocalSmtpServer() as server:
        mailer = SmtpMailer("127.0.0.1", server.port, starttls=False, sender="lp@school.example")
        assert digest.email_digests(ctx, WEEK, mailer, _render).sent == 1
    closed = SmtpMailer("127.0.0.1", server.port, starttls=False, sender="lp@school.example", timeout_s=2)
    digest.set_email(ctx, actor(ctx, school, "family3"), "p3@example.org")
    with pytest.raises(MailError, match="cannot use the SMTP server"):
        digest.email_digests(ctx, WEEK, closed, _render)
