"""The class dashboard page: the teacher's main class screen, htmx filters, Spanish, CSV downloads."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from learnpath.service import dashboard
from learnpath.testing.school import TinySchool

HX = {"HX-Request": "true"}


def _answer(client: TestClient, web: Any, response: str, times: int) -> None:
    for _ in range(times):
        page = client.get("/learn?skill=SUB").text
        item_id = re.search(r'name="item_id" value="(\d+)"', page)
        assert item_id, "the practice page shows a question"
        client.post(
            "/learn/answer",
            data={"item_id": item_id.group(1), "response": response, "csrf_token": web.csrf_of(page)},
            headers=HX,
        )


def test_class_list_opens_the_dashboard_with_alerts_heatmap_chart_and_items(
    browser_for: Callable[[str], TestClient], school: TinySchool, web: Any
) -> None:
    _answer(browser_for("learner2"), web, "999", 3)
    teacher = browser_for("teacher1")
    class_a = school.ids["classA"]
    assert f'href="/classes/{class_a}/dashboard"' in teacher.get("/classes").text
    page = teacher.get(f"/classes/{class_a}/dashboard").text
    assert '<h1 id="dashboard-title">Class dashboard</h1>' in page and "Class A" in page
    for link in ("groups", "rotation", "assignments", "placement", "to-mark"):
        assert f'href="/classes/{class_a}/{link}"' in page
    alerts = page.split('id="alerts-title"')[1].split("</section>")[0]
    assert "Learner2" in alerts and "Repeated errors" in alerts and "3 wrong answers in a row" in alerts
    assert "Learner1" in alerts and "Help Learner1 get started." in alerts
    assert alerts.index("Learner2") < alerts.index("Learner1"), "most urgent first"
    assert 'aria-label="Dashboard filters"' in page and 'hx-get="/classes/' in page
    assert '<abbr title="Adding">ADD</abbr><span aria-hidden="true"> ◆</span>' in page
    assert 'class="progress-chart"' in page and 'role="img"' in page and "Week ending" in page
    assert 'id="item-analysis"' in page and "“999” × " in page
    assert f'href="/classes/{class_a}/dashboard.csv?part=alerts"' in page
    assert "<dt><code>ADD</code></dt><dd>Adding</dd>" in page  # the key of the heatmap's skill codes
    assert "has all of them" not in page  # every skill in play fits


def test_a_heatmap_cut_to_the_column_limit_points_to_the_csv(
    browser_for: Callable[[str], TestClient], school: TinySchool, web: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    _answer(browser_for("learner2"), web, "999", 1)
    monkeypatch.setattr(dashboard, "MAX_COLUMNS", 1)
    class_a = school.ids["classA"]
    page = browser_for("teacher1").get(f"/classes/{class_a}/dashboard").text
    heat = page.split('id="dash-heatmap-title"')[1].split("</section>")[0]
    assert "Showing 1 of 2 skills" in heat
    assert (
        f'<a href="/classes/{class_a}/dashboard.csv?part=heatmap" download>The mastery table (CSV) has'
        in heat
    )


def test_filters_swap_the_body_with_htmx_and_errors_are_worded(
    browser_for: Callable[[str], TestClient], school: TinySchool
) -> None:
    teacher = browser_for("teacher1")
    url = f"/classes/{school.ids['classA']}/dashboard"
    body = teacher.get(f"{url}?skill=MUL&goal=&group=", headers=HX)
    assert body.status_code == 200 and "<html" not in body.text
    assert "Showing 2 learners" in body.text and "dashboard.csv?part=heatmap&amp;skill=MUL" in body.text
    assert '<option value="MUL" selected>' in teacher.get(f"{url}?skill=MUL").text
    bad = teacher.get(f"{url}?group=abc")
    assert bad.status_code == 422 and "group" in bad.text
    assert teacher.get(f"/classes/{school.ids['classB']}/dashboard").status_code == 404


def test_the_dashboard_in_spanish(
    browser_for: Callable[[str], TestClient], school: TinySchool, web: Any
) -> None:
    teacher = browser_for("teacher1")
    token = web.csrf_of(teacher.get("/classes").text)
    teacher.post("/lang", data={"lang": "es", "next": "/classes", "csrf_token": token})
    page = teacher.get(f"/classes/{school.ids['classA']}/dashboard").text
    assert (
        "Panel de la clase" in page
        and "Quién necesita ayuda" in page
        and "Ayudar a Learner1 a empezar." in page
    )
    assert '<abbr title="Sumar">ADD</abbr>' in page


def test_csv_download(browser_for: Callable[[str], TestClient], school: TinySchool) -> None:
    teacher = browser_for("teacher1")
    r = teacher.get(f"/classes/{school.ids['classA']}/dashboard.csv?part=alerts")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert (
        r.headers["content-disposition"] == f'attachment; filename="class-{school.ids["classA"]}-alerts.csv"'
    )
    assert r.content.decode("utf-8-sig").splitlines()[0].startswith("kind,learner_id,learner")
    assert teacher.get(f"/classes/{school.ids['classA']}/dashboard.csv?part=x").status_code == 422
