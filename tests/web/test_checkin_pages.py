"""Check-in pages (issue 6): a teacher holds a check-in on the learner's page (moving a goal's date), the
learner and family read it in plain words without the private notes, the class's due list, rhythms, and
the family's digest page with its email form."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient

from learnpath.service import plans
from learnpath.service.access import Actor
from learnpath.service.context import ServiceContext
from learnpath.storage.tables import GoalRow, User
from learnpath.testing.clock import FakeClock
from learnpath.testing.school import TinySchool


def _goal(ctx: ServiceContext, school: TinySchool, clock: FakeClock) -> int:
    with ctx.unit() as s:
        teacher = Actor.of(s.get(User, school.ids["teacher1"]))  # type: ignore[arg-type]
    return plans.draft_goal(
        ctx, teacher, school.ids["learner1"], skills=["SUB"], title="Taking away", target_date=clock().date()
    )


def test_teacher_holds_a_checkin_and_learner_and_family_read_it(
    browser_for: Callable[[str], TestClient],
    ctx: ServiceContext,
    school: TinySchool,
    clock: FakeClock,
    web: Any,
) -> None:
    gid = _goal(ctx, school, clock)
    learner = school.ids["learner1"]
    teacher = browser_for("teacher1")
    page = teacher.get(f"/learners/{learner}/checkins")
    assert page.status_code == 200
    assert "Hold a check-in" in page.text and "New target date for “Taking away”" in page.text
    new_date = (clock().date() + timedelta(days=21)).isoformat()
    r = teacher.post(
        f"/learners/{learner}/checkins",
        data={
            "csrf_token": web.csrf_of(page.text),
            f"was_{gid}": clock().date().isoformat(),
            f"target_{gid}": new_date,
            f"action_{gid}": "keep",
            "notes": "Lovely work on adding.",
            "private_notes": "Check eyesight.",
            "next_date": (clock().date() + timedelta(days=14)).isoformat(),
        },
        follow_redirects=False,
    )
    assert r.status_code == 303 and r.headers["location"].startswith(f"/learners/{learner}/checkins?held=1")
    with ctx.unit() as s:
        assert s.get(GoalRow, gid).target_date.isoformat() == new_date  # type: ignore[union-attr]
    after = teacher.get(r.headers["location"]).text
    assert (
        "Check-in saved" in after
        and "Check eyesight." in after
        and "New target date for “Taking away”" in after
    )
    for name in ("learner1", "family1"):
        text = browser_for(name).get(f"/learners/{learner}/checkins").text
        assert "Lovely work on adding." in text and "Check eyesight." not in text, name
        assert "Hold a check-in" not in text and "Save the check-in" not in text, name
    spanish = browser_for("family1")
    token = web.csrf_of(spanish.get("/family/digest").text)
    spanish.post("/lang", data={"lang": "es", "next": "/family/digest", "csrf_token": token})
    assert "Lo que decidimos" in spanish.get(f"/learners/{learner}/checkins").text


def test_a_bad_form_shows_the_problem_and_saves_nothing(
    browser_for: Callable[[str], TestClient],
    ctx: ServiceContext,
    school: TinySchool,
    clock: FakeClock,
    web: Any,
) -> None:
    gid = _goal(ctx, school, clock)
    learner = school.ids["learner1"]
    teacher = browser_for("teacher1")
    token = web.csrf_of(teacher.get(f"/learners/{learner}/checkins").text)
    r = teacher.post(
        f"/learners/{learner}/checkins",
        data={"csrf_token": token, f"action_{gid}": "keep", f"target_{gid}": "not-a-date", "notes": "x"},
    )
    assert r.status_code == 422 and "target_" in r.text
    r = teacher.post(
        f"/learners/{learner}/checkins",
        data={"csrf_token": token, "next_date": clock().date().isoformat()},
    )
    assert r.status_code == 422 and "next_due_on" in r.text
    assert "No check-ins yet." in teacher.get(f"/learners/{learner}/checkins").text


def test_class_due_list_and_rhythms(
    browser_for: Callable[[str], TestClient], school: TinySchool, clock: FakeClock, web: Any
) -> None:
    teacher = browser_for("teacher1")
    page = teacher.get(f"/classes/{school.ids['classA']}/checkins")
    assert page.status_code == 200 and "Never met yet" in page.text and "Learner1" in page.text
    token = web.csrf_of(page.text)
    r = teacher.post(
        f"/classes/{school.ids['classA']}/checkins/rhythm", data={"csrf_token": token, "every_days": "7"}
    )
    assert r.status_code == 200 and "Rhythm saved." in r.text and 'value="7"' in r.text
    learner = school.ids["learner2"]
    teacher.post(f"/learners/{learner}/checkins", data={"csrf_token": token, "notes": "ok"})
    teacher.post(f"/learners/{learner}/checkins/rhythm", data={"csrf_token": token, "every_days": "3"})
    clock.advance(days=12)  # (sessions last 14 days)
    text = teacher.get(f"/classes/{school.ids['classA']}/checkins").text
    assert text.index("Learner2") < text.index("Learner1"), "overdue learners come first"
    assert "Overdue by 5 days" in text  # the check-in set the next date with the class's 7 days
    bad = teacher.post(
        f"/classes/{school.ids['classA']}/checkins/rhythm", data={"csrf_token": token, "every_days": "soon"}
    )
    assert bad.status_code == 422


def test_family_digest_page_and_email_form(
    browser_for: Callable[[str], TestClient], ctx: ServiceContext, school: TinySchool, web: Any
) -> None:
    family = browser_for("family1")
    page = family.get("/family/digest")
    assert page.status_code == 200 and "Weekly digest" in page.text and "Learner1" in page.text
    assert "This week so far." in page.text and "No practice in this time." in page.text
    token = web.csrf_of(page.text)
    r = family.post("/family/email", data={"csrf_token": token, "email": "parent@example.org"})
    assert r.status_code == 200 and "Email address saved." in r.text and "parent@example.org" in r.text
    assert family.post("/family/email", data={"csrf_token": token, "email": "nope"}).status_code == 422
    with ctx.unit() as s:
        assert s.get(User, school.ids["family1"]).email == "parent@example.org"  # type: ignore[union-attr]
    assert browser_for("teacher1").get("/family/digest").status_code == 403
