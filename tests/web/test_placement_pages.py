"""The placement test in the browser (htmx, one question at a time) and the teacher's class view."""

from __future__ import annotations

import re
from collections.abc import Callable

from fastapi.testclient import TestClient

from learnpath.testing.school import TinySchool

HX = {"HX-Request": "true"}


def field(html: str, name: str) -> str:
    m = re.search(rf'name="{name}" value="([^"]+)"', html)
    assert m, name
    return m.group(1)


def test_a_learner_takes_the_placement_and_the_teacher_sees_it(
    browser_for: Callable[[str], TestClient], school: TinySchool, web: object
) -> None:
    c = browser_for("learner1")
    page = c.get("/learn/placement")
    assert page.status_code == 200 and "What do you know already?" in page.text
    html, token = page.text, web.csrf_of(page.text)  # type: ignore[attr-defined]
    for _ in range(25):
        if "All done" in html:
            break
        data = {
            "placement_id": field(html, "placement_id"),
            "item_id": field(html, "item_id"),
            "dont_know": "1",
            "csrf_token": token,
        }
        r = c.post("/learn/placement/answer", data=data, headers=HX)
        assert r.status_code == 200, r.text
        assert "<html" not in r.text  # a partial
        stale = c.post("/learn/placement/answer", data=data, headers=HX)
        assert stale.status_code == 409
        html = r.text
    assert "All done" in html and "We will start at the beginning" in html
    assert 'href="/learn/placement"' not in c.get("/learn").text  # offered only once
    teacher = browser_for("teacher1").get(f"/classes/{school.ids['classA']}/placement")
    assert teacher.status_code == 200
    assert "1 of 2 learners have taken the placement test." in teacher.text
    assert "Learner1" in teacher.text and "Not taken" in teacher.text
