"""The teacher's groups and teams pages: suggestions on a board, moving a learner, renaming, saving, pair rules."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from learnpath.service.context import ServiceContext
from learnpath.storage.tables import MasteryRow, SkillRow
from learnpath.testing.school import TinySchool


@pytest.fixture
def ready(ctx: ServiceContext, school: TinySchool) -> TinySchool:
    """learner1 has mastered ADD (ready for more); learner2 struggles with it."""
    at = ctx.clock() - timedelta(days=1)
    with ctx.unit() as s:
        add = s.scalars(select(SkillRow).where(SkillRow.code == "ADD")).one()
        for who, p, wrong in (("learner1", 0.97, 0), ("learner2", 0.3, 3)):
            s.add(MasteryRow(learner_id=school.ids[who], skill_id=add.id, p_mastery=p, low=p - 0.1, high=min(1, p + 0.1),
                             n_attempts=6, n_correct=6 - wrong, recent_wrong=wrong, last_attempt_at=at))  # fmt: skip
    return school


def _selects(html: str) -> dict[str, str]:
    """learner select name -> the selected group index."""
    out = {}
    for name, body in re.findall(
        r'<select id="move-\d+" name="(learner-\d+)"[^>]*>(.*?)</select>', html, re.S
    ):
        chosen = re.search(r'<option value="([^"]*)" selected>', body)
        out[name] = chosen.group(1) if chosen else ""
    return out


def test_teacher_moves_a_learner_renames_and_saves(
    browser_for: Callable[[str], TestClient], ready: TinySchool, web: Any
) -> None:
    c = browser_for("teacher1")
    cid = ready.ids["classA"]
    page = c.get(f"/classes/{cid}/groups", params={"suggest": 1, "size": 1})
    assert page.status_code == 200
    html = page.text
    assert "Suggested groups" in html and 'for="group-size"' in html
    assert "Move Learner1 to group" in html and "Move Learner2 to group" in html
    assert "ready to learn this next" in html and "need this taught again: Adding" in html
    assert "/static/groups.js" in html and "Reading C-ADD" in html, "content to teach the re-teach group with"
    chosen = _selects(html)
    assert sorted(chosen.values()) == ["0", "1"]
    # move learner2 into learner1's group, rename it, save
    l1, l2 = f"learner-{ready.ids['learner1']}", f"learner-{ready.ids['learner2']}"
    details = dict(re.findall(r'name="(details-\d+)" value="([^"]*)"', html))
    form = {
        "csrf_token": web.csrf_of(html),
        "name-0": "Table 1",
        "name-1": "unused",
        "id-0": "",
        "id-1": "",
        "details-0": details["details-0"].replace("&#34;", '"'),
        "details-1": "{}",
        "name-2": "C",
        l1: chosen[l1],
        l2: chosen[l1],
    }
    form["name-0" if chosen[l1] == "0" else "name-1"] = "Table 1"
    form["name-1" if chosen[l1] == "0" else "name-0"] = "Empty"
    r = c.post(f"/classes/{cid}/groups", data=form, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].endswith("/groups?saved=1")
    saved = c.get(r.headers["location"]).text
    assert "Groups saved." in saved and 'value="Table 1"' in saved and 'value="Empty"' not in saved
    assert set(_selects(saved).values()) == {"0"}, "both learners in the one saved group"
    api = c.get(f"/classes/{cid}/groups").text
    assert "Saved groups" in api


def test_bad_boards_are_refused_with_the_field(
    browser_for: Callable[[str], TestClient], ready: TinySchool, web: Any
) -> None:
    c = browser_for("teacher1")
    cid = ready.ids["classA"]
    token = web.csrf_of(c.get(f"/classes/{cid}/groups").text)
    lid = ready.ids["learner1"]
    r = c.post(f"/classes/{cid}/groups", data={"csrf_token": token, "name-0": "", f"learner-{lid}": "0"})
    assert r.status_code == 422 and "groups[0].name" in r.text
    r = c.post(f"/classes/{cid}/groups", data={"csrf_token": token, "name-0": "A", f"learner-{lid}": "7"})
    assert r.status_code == 422 and f"learner-{lid}" in r.text
    r = c.post(
        f"/classes/{cid}/groups",
        data={"csrf_token": token, "name-0": "A", f"learner-{ready.ids['learner3']}": "0"},
    )
    assert r.status_code == 422
    assert c.post(f"/classes/{cid}/groups", data={"name-0": "A"}).status_code == 403, "CSRF checked"


def test_pair_rules_on_the_page(
    browser_for: Callable[[str], TestClient], ready: TinySchool, web: Any
) -> None:
    c = browser_for("teacher1")
    cid = ready.ids["classA"]
    token = web.csrf_of(c.get(f"/classes/{cid}/groups").text)
    a, b = ready.ids["learner1"], ready.ids["learner2"]
    r = c.post(f"/classes/{cid}/pair-rules", data={"csrf_token": token, "learner_a": a, "learner_b": b, "rule": "apart"},
               follow_redirects=False)  # fmt: skip
    assert r.status_code == 303
    page = c.get(f"/classes/{cid}/groups").text
    assert "Keep Learner1 and Learner2 apart" in page
    suggested = c.get(f"/classes/{cid}/groups", params={"suggest": 1, "size": 2}).text
    assert len(set(_selects(suggested).values())) == 2, "kept apart even with room for both in one group"
    r = c.post(f"/classes/{cid}/pair-rules", data={"csrf_token": token, "learner_a": a, "learner_b": b, "rule": "none"},
               follow_redirects=False)  # fmt: skip
    assert "No rules yet." in c.get(f"/classes/{cid}/groups").text
    r = c.post(
        f"/classes/{cid}/pair-rules",
        data={"csrf_token": token, "learner_a": a, "learner_b": a, "rule": "apart"},
    )
    assert r.status_code == 422


def test_teams_page_suggests_and_saves_with_roles(
    browser_for: Callable[[str], TestClient], ready: TinySchool, web: Any
) -> None:
    c = browser_for("teacher1")
    cid = ready.ids["classA"]
    html = c.get(f"/classes/{cid}/teams", params={"suggest": 1, "size": 2, "skills": "ADD"}).text
    assert "Suggested teams" in html and "Expert: Adding" in html and "Learns from a peer" in html
    assert "best possible" in html and "Move Learner1 to team" in html
    chosen = _selects(html)
    form = {
        "csrf_token": web.csrf_of(html),
        "skills": "ADD",
        "name-0": "Blue",
        "id-0": "",
        "details-0": "{}",
        **chosen,
    }
    r = c.post(f"/classes/{cid}/teams", data=form, follow_redirects=False)
    assert r.status_code == 303
    saved = c.get(r.headers["location"]).text
    assert "Teams saved." in saved and 'value="Blue"' in saved and "Expert: Adding" in saved
    assert "Covers: Adding" in saved


def test_pages_in_spanish(browser_for: Callable[[str], TestClient], ready: TinySchool, web: Any) -> None:
    c = browser_for("teacher1")
    cid = ready.ids["classA"]
    token = web.csrf_of(c.get("/classes").text)
    c.post("/lang", data={"lang": "es", "next": "/classes", "csrf_token": token})
    html = c.get(f"/classes/{cid}/groups", params={"suggest": 1, "size": 1}).text
    assert "Sugerir grupos" in html and "Guardar grupos" in html and "Mover a Learner1 al grupo" in html
    assert "Sumar" in html, "skill names in Spanish"
    teams = c.get(f"/classes/{cid}/teams", params={"suggest": 1, "size": 2, "skills": "ADD"}).text
    assert "Sugerir equipos" in teams and "Experto/a: Sumar" in teams
