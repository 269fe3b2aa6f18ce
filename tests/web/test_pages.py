"""Every page for its roles: key content, answering through htmx and without it, hints, class and family pages."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient

from learnpath.service.context import ServiceContext
from learnpath.settings import Settings
from learnpath.testing.school import TinySchool

HX = {"HX-Request": "true"}
ANSWERS = {"ADD": lambda i: str(i + 2), "SUB": lambda i: str(i + 4), "MUL": lambda i: "a"}


def _item_on(page: str) -> tuple[int, str]:
    """The item id on a practice page and its code's skill prefix and index (from the tiny school)."""
    item_id = re.search(r'name="item_id" value="(\d+)"', page)
    assert item_id, "no practice item on the page"
    return int(item_id.group(1)), page


def _answer_for(school: TinySchool, item_id: int) -> str:
    code = next(k for k, v in school.ids.items() if v == item_id and "-" in k)
    skill, index = code.split("-")
    return ANSWERS[skill](int(index))


def _pct(html: str, skill: str) -> int:
    row = re.search(rf'data-skill="{skill}">.*?<span class="pct">(\d+)%</span>', html, re.S)
    assert row, f"no chart row for {skill}"
    return int(row.group(1))


def test_learner_home_shows_next_item_reason_and_chart(
    browser_for: Callable[[str], TestClient], school: TinySchool
) -> None:
    r = browser_for("learner1").get("/learn")
    assert r.status_code == 200
    assert "Hi, Learner1!" in r.text
    assert "You are ready for this!" in r.text and "Adding" in r.text
    assert 'hx-post="/learn/answer"' in r.text and 'name="duration_ms"' in r.text
    assert 'class="answer-input"' in r.text and "Check my answer" in r.text
    # nothing practised, no goal: the chart lists no skill by default (tests/web/test_progress_focus.py)
    assert "How well you know each skill" in r.text and "Show all 3 skills" in r.text
    r = browser_for("learner1").get("/learn?show=all")
    assert "Grade 1" in r.text and "Grade 2" in r.text
    assert _pct(r.text, "ADD") == 0 and "Not started" in r.text
    assert 'class="learner-page"' in r.text
    assert '<script src="/static/htmx.min.js"' in r.text and '"includeIndicatorStyles": false' in r.text


def test_answering_through_htmx_returns_feedback_and_updates_the_chart(
    browser_for: Callable[[str], TestClient], school: TinySchool, web: Any
) -> None:
    c = browser_for("learner1")
    page = c.get("/learn").text
    item_id, _ = _item_on(page)
    data = {
        "item_id": str(item_id),
        "response": _answer_for(school, item_id),
        "duration_ms": "4321",
        "hints_used": "0",
        "csrf_token": web.csrf_of(page),
    }
    r = c.post("/learn/answer", data=data, headers=HX)
    assert r.status_code == 200
    assert "<html" not in r.text, "an htmx answer gets a partial, not a page"
    assert "Yes, that is right!" in r.text and "Next question" in r.text
    assert "You used a hint" not in r.text
    assert "first try:" in r.text
    assert 'id="mastery"' in r.text and 'hx-swap-oob="true"' in r.text
    after = _pct(r.text, "ADD")
    assert after > 0
    progress = c.get(f"/learners/{school.ids['learner1']}").text
    assert _pct(progress, "ADD") == after
    assert "4 s" in progress and "✓ Right" in progress
    # a second answer on the same skill shows before -> after
    page = c.get("/learn").text
    item_id, _ = _item_on(page)
    r = c.post(
        "/learn/answer",
        data={"item_id": str(item_id), "response": "999", "csrf_token": web.csrf_of(page)},
        headers=HX,
    )
    assert "Not quite." in r.text and "The answer is:" in r.text
    assert re.search(r"\d+% before, \d+% now", r.text)


def test_answering_without_javascript_renders_the_whole_page(
    browser_for: Callable[[str], TestClient], school: TinySchool, web: Any
) -> None:
    c = browser_for("learner2")
    page = c.get("/learn").text
    item_id, _ = _item_on(page)
    r = c.post(
        "/learn/answer",
        data={"item_id": str(item_id), "response": "0", "duration_ms": "", "csrf_token": web.csrf_of(page)},
    )
    assert r.status_code == 200
    assert "<html" in r.text and "Not quite." in r.text and 'hx-swap-oob="true"' not in r.text


def test_an_empty_answer_is_asked_again_and_nothing_is_stored(
    browser_for: Callable[[str], TestClient], school: TinySchool, web: Any
) -> None:
    c = browser_for("learner1")
    page = c.get("/learn").text
    item_id, _ = _item_on(page)
    data = {"item_id": str(item_id), "response": "  ", "csrf_token": web.csrf_of(page)}
    r = c.post("/learn/answer", data=data, headers=HX)
    assert r.status_code == 422
    assert "Please give an answer first." in r.text and 'aria-invalid="true"' in r.text
    assert c.post("/learn/answer", data=data).status_code == 422
    assert "No answers yet." in c.get(f"/learners/{school.ids['learner1']}").text


def test_answer_without_csrf_is_refused_and_not_stored(
    browser_for: Callable[[str], TestClient], school: TinySchool
) -> None:
    c = browser_for("learner1")
    r = c.post("/learn/answer", data={"item_id": str(school.ids["ADD-0"]), "response": "2"})
    assert r.status_code == 403 and "This form is out of date" in r.text
    r = c.post(
        "/learn/answer",
        data={"item_id": str(school.ids["ADD-0"]), "response": "2"},
        headers={**HX, "X-CSRF-Token": "wrong"},
    )
    assert r.status_code == 403 and "<html" not in r.text
    assert "No answers yet." in c.get(f"/learners/{school.ids['learner1']}").text


def test_the_htmx_csrf_header_is_accepted(
    browser_for: Callable[[str], TestClient], school: TinySchool, web: Any
) -> None:
    c = browser_for("learner1")
    page = c.get("/learn").text
    header = re.search(r"hx-headers='\{\"X-CSRF-Token\": \"([^\"]+)\"\}'", page)
    assert header and header.group(1) == web.csrf_of(page)
    r = c.post(
        "/learn/answer",
        data={"item_id": str(school.ids["ADD-0"]), "response": "2"},
        headers={**HX, "X-CSRF-Token": header.group(1)},
    )
    assert r.status_code == 200 and "Yes, that is right!" in r.text


def test_hints_are_shown_one_by_one_and_counted(
    ctx: ServiceContext, browser_for: Callable[[str], TestClient], school: TinySchool, web: Any
) -> None:
    from learnpath.core.items import Item
    from learnpath.service.content import add_items

    with ctx.unit() as s:
        hinted = add_items(
            s,
            [
                Item(
                    "ADD-H",
                    "numeric",
                    "What is 5 + 5?",
                    ("ADD",),
                    answer="10",
                    hints=("Count on.", "5, 6..."),
                )
            ],
        )["ADD-H"]
    c = browser_for("learner1")
    r = c.get(f"/learn/hint?item_id={hinted}&shown=0", headers=HX)
    assert r.status_code == 200
    assert "Count on." in r.text and "5, 6..." not in r.text
    assert 'name="hints_used" value="1"' in r.text and "Show another hint" in r.text
    r = c.get(f"/learn/hint?item_id={hinted}&shown=1", headers=HX)
    assert "5, 6..." in r.text and 'value="2"' in r.text and "That was the last hint." in r.text
    page = c.get("/learn").text
    r = c.post(
        "/learn/answer",
        data={"item_id": str(hinted), "response": "10", "hints_used": "2", "csrf_token": web.csrf_of(page)},
        headers=HX,
    )
    assert "Yes, that is right!" in r.text and "You used a hint this time." in r.text
    progress = c.get(f"/learners/{school.ids['learner1']}").text
    assert re.search(r"<td>2</td>\s*</tr>", progress), "hints used appear in the latest answers"


def test_teacher_sees_own_classes_struggles_latest_answers_and_one_heatmap_on_the_dashboard(
    browser_for: Callable[[str], TestClient], school: TinySchool, web: Any
) -> None:
    learner = browser_for("learner2")
    for _ in range(4):
        page = learner.get("/learn").text
        item_id, _ = _item_on(page)
        learner.post(
            "/learn/answer",
            data={"item_id": str(item_id), "response": "999", "csrf_token": web.csrf_of(page)},
            headers=HX,
        )
    teacher = browser_for("teacher1")
    r = teacher.get("/classes")
    assert r.status_code == 200 and "Class A" in r.text and "Class B" not in r.text
    assert "2 learners" in r.text
    class_a = school.ids["classA"]
    r = teacher.get(f"/classes/{class_a}")
    assert r.status_code == 200
    assert "Learner1" in r.text and "Learner2" in r.text and "Learner3" not in r.text
    assert "Who needs help with what" in r.text
    struggling = r.text.split('id="struggling-title"')[1].split("</section>")[0]
    assert "Learner2" in struggling and "Adding" in struggling and "wrong answers in a row" in struggling
    # one heatmap, on the class dashboard: this page sums it up and links there
    assert 'class="heatmap"' not in r.text and "Legend" not in r.text
    summary = r.text.split('id="heatmap-title"')[1].split("</section>")[0]
    assert "1 of 2 learners have started." in summary and "Skills mastered per learner: 0.0." in summary
    assert f'href="/classes/{class_a}/dashboard#dash-heatmap-title"' in summary
    latest = r.text.split('id="latest-attempts"')[1]
    assert latest.count("✗ Wrong") == 4
    # what the old table showed is on the dashboard: the cell's band and mark, its title, the legend and
    # the key of skill codes
    heat = teacher.get(f"/classes/{class_a}/dashboard").text.split('id="dash-heatmap-title"')[1]
    heat = heat.split("</section>")[0]
    learner2 = heat.split(">Learner2</a></th>")[1].split("</tr>")[0]
    assert re.search(r'<td class="cell band-low"><abbr title="Adding: [^"]+">!\d+</abbr></td>', learner2)
    assert "Legend" in heat and "Mastered" in heat
    assert "<dt><code>ADD</code></dt><dd>Adding</dd>" in heat
    assert teacher.get(f"/classes/{school.ids['classB']}").status_code == 404


def test_admin_sees_school_counts_and_every_class(
    browser_for: Callable[[str], TestClient], school: TinySchool
) -> None:
    admin = browser_for("admin")
    r = admin.get("/admin")
    assert r.status_code == 200 and "Tiny School" in r.text
    assert re.search(r"Learners</dt><dd>3</dd>", r.text) and re.search(r"Classes</dt><dd>2</dd>", r.text)
    classes = admin.get("/classes").text
    assert "Class A" in classes and "Class B" in classes and "Other class" not in classes


def test_family_goes_straight_to_their_only_child_and_not_to_others(
    browser_for: Callable[[str], TestClient], school: TinySchool
) -> None:
    family = browser_for("family1")
    r = family.get("/family", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/learners/{school.ids['learner1']}"
    page = family.get(r.headers["location"])
    assert page.status_code == 200 and "Progress of Learner1" in page.text
    assert 'aria-current="page"' not in page.text or "My children" in page.text
    other = family.get(f"/learners/{school.ids['learner3']}")
    assert other.status_code == 404 and "We could not find that page" in other.text


def test_family_with_several_children_gets_a_list(
    ctx: ServiceContext, browser_for: Callable[[str], TestClient], school: TinySchool
) -> None:
    from learnpath.service.roster import link_family

    with ctx.unit() as s:
        link_family(s, school.ids["family1"], school.ids["learner2"])
    r = browser_for("family1").get("/family", follow_redirects=False)
    assert r.status_code == 200 and "Learner1" in r.text and "Learner2" in r.text


def test_demo_banner_only_in_demo_mode(
    ctx: ServiceContext, settings: Settings, client: TestClient, school: TinySchool
) -> None:
    from learnpath.api.app import create_app

    assert "Demo school" not in client.get("/login").text
    demo = settings.model_copy(update={"demo": True})
    with TestClient(create_app(demo, ctx)) as c:
        page = c.get("/login").text
        assert "Demo school: everyone and everything here is made up" in page
        assert "Demo accounts:" in page


def test_unknown_page_and_bad_ids_get_error_pages(
    browser_for: Callable[[str], TestClient], school: TinySchool, app: FastAPI
) -> None:
    c = browser_for("teacher1")
    r = c.get("/no/such/page")
    assert r.status_code == 404 and "Error code 404" in r.text and "Signed in as Teacher1" in r.text
    r = c.get("/learners/not-a-number")
    assert r.status_code == 422 and "<code>learner_id</code>" in r.text
    r = c.get("/learn")
    assert r.status_code == 403 and "You cannot do this" in r.text
    r = c.get("/logout")
    assert r.status_code == 405
    with TestClient(app) as anon:
        assert anon.get("/static/app.css").status_code == 200
        assert anon.get("/api/v1/learners").json()["error"]["code"] == "unauthenticated"
