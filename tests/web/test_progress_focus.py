"""The progress page stays short (issue 6 follow-up): by default only the skills practised and those on the
way to the learner's goals, a "show all" toggle, and a search through every skill (htmx swaps just the list);
the API takes the same choices."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from learnpath.errors import ValidationError
from learnpath.service import learning, plans, progress_focus
from learnpath.service.access import Actor
from learnpath.service.context import ServiceContext
from learnpath.storage.tables import User
from learnpath.testing.school import PASSWORD, TinySchool

Browser = Callable[[str], TestClient]


def _actor(ctx: ServiceContext, school: TinySchool, name: str) -> Actor:
    with ctx.unit() as s:
        user = s.get(User, school.ids[name])
        assert user is not None
        return Actor.of(user)


def _shown(html: str) -> list[str]:
    return re.findall(r'class="chart-row" data-skill="([^"]+)"', html)


def test_default_toggle_and_search(ctx: ServiceContext, school: TinySchool, browser_for: Browser) -> None:
    lid = school.ids["learner2"]
    page = f"/learners/{lid}"
    teacher = browser_for("teacher1")
    r = teacher.get(page)
    assert _shown(r.text) == [] and "No skill practised yet, and no goal yet." in r.text
    assert "0 of 3 skills: those practised and those on the way to the goals." in r.text
    assert f'href="{page}?show=all"' in r.text and "Show all 3 skills" in r.text
    # one answer on SUB: SUB shows
    learning.record_attempt(ctx, _actor(ctx, school, "learner2"), lid, school.ids["SUB-0"], "1")
    assert _shown(teacher.get(page).text) == ["SUB"]
    # a goal on MUL: MUL and its unmastered prerequisite ADD join (curriculum order)
    plans.draft_goal(ctx, _actor(ctx, school, "teacher1"), lid, skills=["MUL"])
    assert _shown(teacher.get(page).text) == ["ADD", "SUB", "MUL"]
    # show all, and a search through every skill, by name or code, any case
    assert _shown(teacher.get(f"{page}?show=all").text) == ["ADD", "SUB", "MUL"]
    r = teacher.get(f"{page}?q=TIMES")
    assert _shown(r.text) == ["MUL"] and "1 of 3 skills match “TIMES”." in r.text
    assert _shown(teacher.get(f"{page}?q=su").text) == ["SUB"]
    assert "No skill matches that search." in teacher.get(f"{page}?q=zebra").text
    # htmx gets only the list, not the page around it
    r = teacher.get(f"{page}?q=add", headers={"HX-Request": "true"})
    assert r.text.lstrip().startswith('<div id="skill-list">') and "<html" not in r.text
    assert _shown(r.text) == ["ADD"]
    # the back button after a pushed search asks for the whole page
    restore = {"HX-Request": "true", "HX-History-Restore-Request": "true"}
    assert "<html" in teacher.get(f"{page}?q=add", headers=restore).text
    assert teacher.get(f"{page}?show=some").status_code == 422
    # others' learners stay hidden, whatever the filter
    assert teacher.get(f"/learners/{school.ids['learner3']}?q=add").status_code == 404


def test_pick_skills_rules(ctx: ServiceContext, school: TinySchool) -> None:
    l1 = _actor(ctx, school, "learner1")
    skills = learning.learner_progress(ctx, l1, l1.user_id).skills
    assert [s.code for s in progress_focus.pick_skills(skills, frozenset({"MUL"}), "focus")] == ["MUL"]
    assert len(progress_focus.pick_skills(skills, frozenset(), "all")) == 3
    assert [s.code for s in progress_focus.pick_skills(skills, frozenset(), "focus", "  taking ")] == ["SUB"]
    with pytest.raises(ValidationError) as err:
        progress_focus.pick_skills(skills, frozenset(), "everything")
    assert err.value.errors[0].field == "show"
    with pytest.raises(ValidationError) as err:
        progress_focus.pick_skills(skills, frozenset(), "focus", "x" * 101)
    assert err.value.errors[0].field == "q"


def test_the_api_filters_the_same_way(client: TestClient, school: TinySchool, ctx: ServiceContext) -> None:
    lid = school.ids["learner1"]
    token = client.post("/api/v1/auth/login", json={"username": "learner1", "password": PASSWORD}).json()
    h = {"Authorization": f"Bearer {token['access_token']}"}
    codes = lambda url: [s["code"] for s in client.get(url, headers=h).json()["skills"]]  # noqa: E731
    assert codes(f"/api/v1/learners/{lid}") == ["ADD", "SUB", "MUL"]  # the default stays "all"
    assert codes(f"/api/v1/learners/{lid}?show=focus") == []
    assert codes(f"/api/v1/learners/{lid}?q=sub") == ["SUB"]
    r = client.get(f"/api/v1/learners/{lid}?show=nope", headers=h)
    assert r.status_code == 422 and r.json()["error"]["fields"][0]["field"] == "show"


def test_the_practice_page_chart_is_focused_too(
    ctx: ServiceContext, school: TinySchool, browser_for: Browser
) -> None:
    lid = school.ids["learner2"]
    learner = browser_for("learner2")
    r = learner.get("/learn")
    # nothing practised and no goal: no skill of the school is drawn, a link shows them all
    assert r.status_code == 200 and _shown(r.text) == []
    assert "No skill practised yet, and no goal yet." in r.text
    assert 'href="/learn?show=all"' in r.text and "Show all 3 skills" in r.text
    r = learner.get("/learn?show=all")
    assert _shown(r.text) == ["ADD", "SUB", "MUL"] and 'href="/learn"' in r.text
    assert "Show only practised skills and goal skills" in r.text
    # the link keeps the skill being practised
    r = learner.get("/learn?skill=SUB")
    assert 'href="/learn?skill=SUB&amp;show=all"' in r.text
    assert learner.get("/learn?show=some").status_code == 422
    # practised and goal skills show, in curriculum order (a goal on MUL brings its prerequisite ADD)
    learning.record_attempt(ctx, _actor(ctx, school, "learner2"), lid, school.ids["SUB-0"], "1")
    assert _shown(learner.get("/learn").text) == ["SUB"]
    plans.draft_goal(ctx, _actor(ctx, school, "teacher1"), lid, skills=["MUL"])
    assert _shown(learner.get("/learn").text) == ["ADD", "SUB", "MUL"]


def test_answering_redraws_the_focused_chart(school: TinySchool, browser_for: Browser) -> None:
    learner = browser_for("learner2")
    page = learner.get("/learn?skill=ADD").text
    assert _shown(page) == []
    item = re.search(r'name="item_id" value="(\d+)"', page)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert item and token
    data = {"item_id": item.group(1), "response": "0", "csrf_token": token.group(1), "skill": "ADD"}
    r = learner.post("/learn/answer", data=data, headers={"HX-Request": "true"})
    # the chart swapped in after the answer holds the skill just practised, and only that one
    assert r.status_code == 200 and 'hx-swap-oob="true"' in r.text and _shown(r.text) == ["ADD"]
    assert "Show all 3 skills" in r.text
