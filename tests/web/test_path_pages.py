"""The path page for teachers and learners, setting goals from it and from the class page, in two languages."""

from __future__ import annotations

import re
from collections.abc import Callable

from fastapi.testclient import TestClient

from learnpath.testing.school import TinySchool


def _steps(html: str) -> list[str]:
    block = re.search(r'<ol class="path-steps">(.*?)</ol>', html, re.S)
    assert block, "no step list on the page"
    return re.findall(r'<span class="path-step-name">([^<]+)</span>', block.group(1))


def test_teacher_sees_the_map_the_steps_and_sets_a_goal(
    browser_for: Callable[[str], TestClient], school: TinySchool, web: object
) -> None:
    teacher = browser_for("teacher1")
    lid = school.ids["learner1"]
    page = teacher.get(f"/learners/{lid}/path?goal=MUL")
    assert page.status_code == 200
    html = page.text
    assert "Learning path of Learner1" in html
    assert _steps(html) == ["Adding", "Times tables"]
    # the map: a box per skill (goal, its prerequisite, and what the goal's prerequisite unlocks is not
    # drawn unless near), numbered path steps, the goal starred, arrows, and the zoom buttons
    assert html.count('class="map-node') == 2
    assert re.search(r'class="map-node band-none on-path is-goal"', html)
    assert re.findall(r'class="step-number"[^>]*>(\d+)<', html) == ["1", "2"]
    assert 'class="map-edge on-path"' in html and 'data-map="in"' in html and "/static/pathmap.js" in html
    assert "Ready to learn" in html and "Set a goal for Learner1" in html
    token = web.csrf_of(html)  # type: ignore[attr-defined]
    r = teacher.post(
        f"/learners/{lid}/goals",
        data={"goal_skill": "SUB", "target_date": "2099-01-31", "csrf_token": token},
        follow_redirects=False,
    )
    assert r.status_code == 303 and r.headers["location"] == f"/learners/{lid}/path?goal=SUB&goal_set=1"
    after = teacher.get(r.headers["location"]).text
    assert "The goal is saved." in after and "2099-01-31" in after and "Proposed" in after
    bad = teacher.post(
        f"/learners/{lid}/goals", data={"goal_skill": "NOPE", "csrf_token": token}, follow_redirects=False
    )
    assert bad.status_code == 422 and "Choose a skill from the list." in bad.text
    bad_date = teacher.post(
        f"/learners/{lid}/goals",
        data={"goal_skill": "SUB", "target_date": "31/01/2099", "csrf_token": token},
        follow_redirects=False,
    )
    assert bad_date.status_code == 422 and "written as YYYY-MM-DD" in bad_date.text
    no_token = teacher.post(f"/learners/{lid}/goals", data={"goal_skill": "SUB"}, follow_redirects=False)
    assert no_token.status_code == 403


def test_learner_sees_their_own_path_in_plain_words(
    browser_for: Callable[[str], TestClient], school: TinySchool, web: object
) -> None:
    lid = school.ids["learner1"]
    teacher = browser_for("teacher1")
    token = web.csrf_of(teacher.get(f"/learners/{lid}/path").text)  # type: ignore[attr-defined]
    teacher.post(f"/learners/{lid}/goals", data={"goal_skill": "MUL", "csrf_token": token})
    learner = browser_for("learner1")
    assert f'href="/learners/{lid}/path"' in learner.get("/learn").text
    html = learner.get(f"/learners/{lid}/path").text
    assert "My path" in html and "Your goal:" in html and "the goals set for you" in html
    assert _steps(html) == ["Adding", "Times tables"]
    assert "New for you" in html and "Ready for you now" in html
    assert "Set a goal for" not in html and 'action="/learners/' not in html.split("goal-form")[-1]
    family = browser_for("family1").get(f"/learners/{lid}/path").text
    assert "Learning path of Learner1" in family and "Set a goal for" not in family
    spanish = browser_for("learner1")
    spanish.post("/lang", data={"lang": "es", "csrf_token": web.csrf_of(spanish.get("/learn").text)})  # type: ignore[attr-defined]
    es = spanish.get(f"/learners/{lid}/path").text
    assert "Mi camino" in es and "Tus pasos, en orden" in es and "Acercar" in es


def test_page_without_goal_offers_the_picker_and_the_frontier(
    browser_for: Callable[[str], TestClient], school: TinySchool
) -> None:
    html = browser_for("teacher1").get(f"/learners/{school.ids['learner2']}/path").text
    assert "Choose a goal to see the path to it." in html
    assert 'class="path-map"' not in html and 'id="goal-select"' in html
    assert re.search(r'<ul class="ready-list">\s*<li>Adding', html)
    unknown = browser_for("teacher1").get(f"/learners/{school.ids['learner2']}/path?goal=NOPE")
    assert unknown.status_code == 422


def test_teacher_sets_one_goal_for_several_learners_of_the_class(
    browser_for: Callable[[str], TestClient], school: TinySchool, web: object
) -> None:
    teacher = browser_for("teacher1")
    class_id = school.ids["classA"]
    page = teacher.get(f"/classes/{class_id}").text
    assert f'action="/classes/{class_id}/goals"' in page
    assert f'href="/learners/{school.ids["learner2"]}/path"' in page
    token = web.csrf_of(page)  # type: ignore[attr-defined]
    learners = [str(school.ids["learner1"]), str(school.ids["learner2"])]
    r = teacher.post(
        f"/classes/{class_id}/goals",
        data={"goal_learner": learners, "goal_skill": "SUB", "csrf_token": token},
        follow_redirects=False,
    )
    assert r.status_code == 303 and r.headers["location"] == f"/classes/{class_id}?goals_set=2#goals"
    assert "2 goals set." in teacher.get(r.headers["location"]).text
    for lid in learners:
        assert _steps(teacher.get(f"/learners/{lid}/path").text) == ["Adding", "Taking away"]
    none_chosen = teacher.post(
        f"/classes/{class_id}/goals", data={"goal_skill": "SUB", "csrf_token": token}, follow_redirects=False
    )
    assert none_chosen.headers["location"] == f"/classes/{class_id}?goal_error=learner_ids#goals"
    assert "The goal was not saved" in teacher.get(none_chosen.headers["location"]).text
    stranger = teacher.post(
        f"/classes/{class_id}/goals",
        data={"goal_learner": [str(school.ids["learner3"])], "goal_skill": "SUB", "csrf_token": token},
        follow_redirects=False,
    )
    assert "goal_error=learner_ids" in stranger.headers["location"]
