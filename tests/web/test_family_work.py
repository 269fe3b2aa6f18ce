"""The family sees the work teachers gave their children (issue 7 follow-up): open work with its due date,
then done work marked done; the learner is told in-app; another family's child stays hidden."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta

from fastapi.testclient import TestClient

from learnpath.service import assignments, learning
from learnpath.service.access import Actor
from learnpath.service.context import ServiceContext
from learnpath.service.roster import link_family
from learnpath.storage.tables import User
from learnpath.testing.school import TinySchool

Browser = Callable[[str], TestClient]


def _actor(ctx: ServiceContext, school: TinySchool, name: str) -> Actor:
    with ctx.unit() as s:
        user = s.get(User, school.ids[name])
        assert user is not None
        return Actor.of(user)


def _rows(html: str) -> list[str]:
    """The work rows of a page as plain text, in order."""
    rows = re.findall(r'<li class="work-row[^"]*">(.*?)</li>', html, re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", r).split()) for r in rows]


def test_family_sees_open_and_done_work(
    ctx: ServiceContext, school: TinySchool, browser_for: Browser
) -> None:
    ids = school.ids
    t1 = _actor(ctx, school, "teacher1")
    due = ctx.clock() + timedelta(days=5)
    assignments.add_assignment(ctx, t1, "SUB", class_id=ids["classA"], due_at=due)
    assignments.add_assignment(ctx, t1, "ADD", learner_id=ids["learner1"])
    learner = _actor(ctx, school, "learner1")
    for _ in range(3):  # ASSIGNMENT_DONE_AFTER answers on ADD make that work done
        learning.record_attempt(ctx, learner, ids["learner1"], ids["ADD-0"], "2")

    family = browser_for("family1")
    r = family.get("/family")  # one child: straight to the child's page, which lists the work
    assert r.status_code == 200 and r.url.path == f"/learners/{ids['learner1']}"
    assert "Work from the teacher" in r.text
    assert _rows(r.text) == [f"Taking away Due {due.date()} … Not done yet", "Adding No due date ✓ Done"]

    with ctx.unit() as s:
        link_family(s, ids["family1"], ids["learner2"])
    r = family.get("/family")
    assert r.status_code == 200 and r.url.path == "/family"
    assert _rows(r.text) == [
        f"Taking away Due {due.date()} … Not done yet",
        "Adding No due date ✓ Done",
        f"Taking away Due {due.date()} … Not done yet",
    ]
    home = family.get("/").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', home)
    assert token is not None
    family.post("/lang", data={"lang": "es", "csrf_token": token.group(1), "next": "/"})
    r = family.get("/family")
    assert "Tareas del profesor" in r.text and f"Para el {due.date()}" in r.text

    # the learner was told in-app, and their own page says "my work"
    me = browser_for("learner1")
    notices = me.get("/notifications").text
    assert "Teacher1 gave you work: “Adding”." in notices
    assert "My work from the teacher" in me.get(f"/learners/{ids['learner1']}").text
    # family3's child is not family1's: 404, and nothing of theirs shows
    assert family.get(f"/learners/{ids['learner3']}").status_code == 404


def test_no_work_says_so(school: TinySchool, browser_for: Browser) -> None:
    r = browser_for("family1").get(f"/learners/{school.ids['learner1']}")
    assert "No work from the teacher right now." in r.text and _rows(r.text) == []
