"""The next-step choices on the learner's home, picking one, interests, and a class's must-do work."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime
from typing import get_args

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from learnpath.recommend.choices import Kind
from learnpath.service.context import ServiceContext
from learnpath.service.next_steps import Choice
from learnpath.storage.tables import Assignment, LearnerInterest, NextStepPick
from learnpath.testing.school import TinySchool
from learnpath.web.reasons import interest_labels, notice_text, reason_text

Browser = Callable[[str], TestClient]


def cards(html: str) -> list[str]:
    return re.findall(r'name="skill_code" value="([^"]+)"', html)


@pytest.mark.parametrize("kind", get_args(Kind))
def test_every_reason_has_words_in_both_languages(kind: str) -> None:
    for days in (0, 1, 5, 21):
        c = Choice(1, "A", "Adding", 1, kind, days_since=days, interest="space", fell=days > 3)  # type: ignore[arg-type]
        en, es = reason_text(c, "en"), reason_text(c, "es")
        assert en and es and en != es, (kind, days)
    review = Choice(1, "A", "Adding", 1, "review", days_since=21)
    assert reason_text(review, "en") == "Let's refresh this: it has been 3 weeks"
    assert reason_text(Choice(1, "A", "A", 1, "interest", interest="space"), "en") == "Because you like space"
    assert set(interest_labels("es")) == set(interest_labels("en"))
    assert notice_text(None, "en") == ""
    for notice in ("no_history", "goal_mastered", "no_path", "nothing_to_do"):
        assert notice_text(notice, "en") != notice_text(notice, "es")


def test_the_home_shows_choices_and_picking_one_starts_practice(
    browser_for: Browser, school: TinySchool, ctx: ServiceContext, web: object
) -> None:
    c = browser_for("learner1")
    home = c.get("/learn")
    assert home.status_code == 200
    assert "What do you want to do next?" in home.text and "You are ready for this" in home.text
    assert 'href="/learn/placement"' in home.text  # no history yet: placement offered
    assert cards(home.text) == ["ADD"]
    token = web.csrf_of(home.text)  # type: ignore[attr-defined]
    r = c.post("/learn/pick", data={"skill_code": "MUL", "csrf_token": token}, follow_redirects=False)
    assert (r.status_code, r.headers["location"]) == (303, "/learn?skill=MUL")
    page = c.get("/learn?skill=MUL").text
    assert 'data-skill="MUL"' in page and 'name="skill" value="MUL"' in page
    with ctx.unit() as s:
        assert [(p.kind, p.position) for p in s.scalars(select(NextStepPick))] == [("own", None)]
    missing = c.get("/learn?skill=NOPE")
    assert missing.status_code == 404
    empty = c.post("/learn/pick", data={"skill_code": " ", "csrf_token": token}, follow_redirects=False)
    assert empty.status_code == 422
    assert c.post("/learn/pick", data={"skill_code": "NOPE", "csrf_token": token}).status_code == 404


def test_the_feedback_keeps_the_learner_on_the_skill_they_picked(
    browser_for: Browser, school: TinySchool, web: object
) -> None:
    c = browser_for("learner1")
    page = c.get("/learn?skill=ADD").text
    item_id = re.search(r'name="item_id" value="(\d+)"', page)
    assert item_id
    data = {"item_id": item_id.group(1), "response": "7", "skill": "ADD", "csrf_token": web.csrf_of(page)}  # type: ignore[attr-defined]
    r = c.post("/learn/answer", data=data, headers={"HX-Request": "true"})
    assert r.status_code == 200 and 'href="/learn?skill=ADD"' in r.text


def test_spanish_reasons_on_the_page(browser_for: Browser, school: TinySchool, web: object) -> None:
    c = browser_for("learner1")
    page = c.get("/learn").text
    c.post("/lang", data={"lang": "es", "next": "/learn", "csrf_token": web.csrf_of(page)})  # type: ignore[attr-defined]
    es = c.get("/learn").text
    assert "¿Qué quieres hacer ahora?" in es and "Ya puedes aprender esto" in es


def test_learners_pick_their_interests(
    browser_for: Browser, school: TinySchool, ctx: ServiceContext, web: object
) -> None:
    c = browser_for("learner1")
    page = c.get("/learn/interests")
    assert page.status_code == 200 and 'value="space"' in page.text
    token = web.csrf_of(page.text)  # type: ignore[attr-defined]
    r = c.post(
        "/learn/interests",
        data={"interest": ["space", "animals"], "csrf_token": token},
        follow_redirects=False,
    )
    assert r.status_code == 303
    with ctx.unit() as s:
        assert sorted(s.scalars(select(LearnerInterest.tag))) == ["animals", "space"]
    assert 'value="space" checked' in c.get("/learn/interests").text
    bad = c.post("/learn/interests", data={"interest": ["dragons"], "csrf_token": token})
    assert bad.status_code == 422
    with ctx.unit() as s:  # nothing half-written
        assert sorted(s.scalars(select(LearnerInterest.tag))) == ["animals", "space"]


def test_a_teacher_gives_must_do_work_and_it_comes_first(
    browser_for: Browser, school: TinySchool, ctx: ServiceContext, web: object
) -> None:
    t = browser_for("teacher1")
    url = f"/classes/{school.ids['classA']}/assignments"
    page = t.get(url)
    assert page.status_code == 200 and "Give work" in page.text
    assert f'href="{url}"' in t.get(f"/classes/{school.ids['classA']}").text
    token = web.csrf_of(page.text)  # type: ignore[attr-defined]
    r = t.post(
        url,
        data={"skill_code": "SUB", "learner_id": "", "due": "2099-01-31", "csrf_token": token},
        follow_redirects=False,
    )
    assert r.status_code == 303
    listed = t.get(url).text
    assert "Taking away" in listed and "2099-01-31" in listed
    for bad in (
        {"due": "2000-01-01"},
        {"due": "soon"},
        {"skill_code": ""},
        {"learner_id": str(school.ids["learner3"])},
    ):
        data = {"skill_code": "SUB", "learner_id": "", "due": "", "csrf_token": token, **bad}
        assert t.post(url, data=data).status_code == 422, bad
    with ctx.unit() as s:
        (a,) = s.scalars(select(Assignment)).all()
        assert a.class_id == school.ids["classA"] and a.due_at == datetime(2099, 1, 31, 23, 59, tzinfo=UTC)
    home = browser_for("learner1").get("/learn").text
    assert cards(home)[0] == "SUB" and "Your teacher asked for this" in home
    assert "SUB" not in cards(browser_for("learner3").get("/learn").text)
