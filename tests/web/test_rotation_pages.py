"""Station rotation pages: a teacher builds a 4-station rotation from the starter set, sees the grid, prints
it, moves a learner (re-checked, then re-planned); bad forms come back worded and save nothing; plans of other
classes are 404."""

from __future__ import annotations

import re
from collections.abc import Callable

from fastapi.testclient import TestClient

from learnpath.service import groups
from learnpath.service.access import Actor
from learnpath.service.context import ServiceContext
from learnpath.storage.tables import User
from learnpath.testing.school import TinySchool


def _starter_form(page: str, token: str, **extra: str) -> dict[str, str]:
    """The stations form as the page fills it (the starter set), plus ``extra`` fields."""
    data = {"csrf_token": token}
    for name, value in re.findall(
        r'<input id="((?:name|capacity|minutes|notes)_\d+)" name="\1"[^>]*value="([^"]*)"', page
    ):
        data[name] = value
    for name, value in re.findall(
        r'<select id="(modality_\d+)" name="\1">.*?<option value="(\w+)" selected>', page, re.S
    ):
        data[name] = value
    data.update(extra)
    return data


def _plan_id(location: str) -> int:
    match = re.fullmatch(r"/classes/\d+/rotation/(\d+)", location)
    assert match, location
    return int(match.group(1))


def test_a_teacher_builds_prints_and_adjusts_a_rotation(
    browser_for: Callable[[str], TestClient], school: TinySchool, web: object
) -> None:
    client, cid = browser_for("teacher1"), school.ids["classA"]
    page = client.get(f"/classes/{cid}/rotation")
    assert page.status_code == 200
    for label in (
        "Station 1 name",
        "Station 4 minutes",
        "Period (minutes)",
        "Plan the rotation",
        "Save stations",
    ):
        assert label in page.text
    assert 'value="Teacher table"' in page.text  # the starter set
    token = web.csrf_of(page.text)  # type: ignore[attr-defined]
    form = _starter_form(page.text, token, period_minutes="45", title="Fractions", action="plan")
    assert form["name_0"] == "Teacher table" and form["modality_0"] == "teacher" and form["minutes_3"] == "15"
    r = client.post(f"/classes/{cid}/rotation", data=form, follow_redirects=False)
    assert r.status_code == 303, r.text
    plan_id = _plan_id(r.headers["location"])
    plan = client.get(r.headers["location"])
    assert plan.status_code == 200
    assert "Fractions" in plan.text and "Learner1" in plan.text and "Learner2" in plan.text
    assert "Who is where, slot by slot" in plan.text and "Print the plan" in plan.text
    assert "The best possible plan" in plan.text and "Every rule is kept" in plan.text
    printed = client.get(f"/classes/{cid}/rotation/{plan_id}/print?start=09:00")
    assert printed.status_code == 200
    assert printed.text.count('class="print-sheet station-sheet"') == 4
    assert printed.text.count('class="print-sheet learner-sheet"') == 2
    assert "09:00" in printed.text and "Where you go today:" in printed.text
    assert client.get("/static/rotation.css").text.count("break-after: page") == 1
    # a hand move that is checked, then the others re-planned around it
    moved = client.post(
        f"/classes/{cid}/rotation/{plan_id}/move",
        data={"csrf_token": token, "learner_id": str(school.ids["learner1"]), "slot": "1", "station": "1",
              "action": "move"},
        follow_redirects=False,
    )  # fmt: skip
    assert moved.status_code == 303 and moved.headers["location"].endswith("?moved=move")
    after = client.get(moved.headers["location"])
    assert "Moved. The rules were checked again." in after.text
    bad = client.post(
        f"/classes/{cid}/rotation/{plan_id}/move",
        data={"csrf_token": token, "learner_id": str(school.ids["learner1"]), "slot": "9", "station": "1"},
    )
    assert bad.status_code == 422 and "That move does not fit" in bad.text
    again = client.post(
        f"/classes/{cid}/rotation/{plan_id}/move", data={"csrf_token": token, "action": "replan"}
    )
    assert again.status_code == 200 and "Planned again around the moves made by hand." in again.text
    need = f"need_{school.ids['learner2']}"
    assert f'name="{need}"' in again.text and "Need of Learner2" in again.text
    changed = client.post(
        f"/classes/{cid}/rotation/{plan_id}/move",
        data={"csrf_token": token, "action": "needs", need: "enrich"},
    )
    assert changed.status_code == 200 and "Needs changed; planned again." in changed.text
    assert re.search(rf'name="{need}">\s*<option value="reteach">[^<]*</option><option value="practice">[^<]*'
                     r'</option><option value="enrich" selected>', changed.text)  # fmt: skip
    assert "Fractions" in client.get(f"/classes/{cid}/rotation").text  # listed among the saved rotations


def test_bad_forms_are_worded_and_save_nothing(
    browser_for: Callable[[str], TestClient], school: TinySchool, web: object
) -> None:
    client, cid = browser_for("teacher1"), school.ids["classA"]
    page = client.get(f"/classes/{cid}/rotation")
    token = web.csrf_of(page.text)  # type: ignore[attr-defined]
    form = _starter_form(page.text, token, capacity_1="many", action="save")
    r = client.post(f"/classes/{cid}/rotation", data=form)
    assert r.status_code == 422
    assert "The stations were not saved:" in r.text and "Station 2: seats must be a whole number" in r.text
    assert 'value="many"' in r.text  # what was typed comes back
    form = _starter_form(page.text, token, name_2="Teacher TABLE", action="save")
    r = client.post(f"/classes/{cid}/rotation", data=form)
    assert r.status_code == 422 and "Station 3: give it a name" in r.text
    assert 'value="Teacher table"' in client.get(f"/classes/{cid}/rotation").text  # still the starter set
    one_seat = {"csrf_token": token, "name_0": "Desk", "modality_0": "practice", "capacity_0": "1",
                "minutes_0": "15", "period_minutes": "15", "action": "plan"}  # fmt: skip
    r = client.post(f"/classes/{cid}/rotation", data=one_seat)
    assert r.status_code == 422
    assert "The stations were saved, but the rotation was not planned:" in r.text
    assert "The stations seat 1 learners at a time, but 2 learners take part" in r.text
    spanish = browser_for("teacher1")
    es_token = web.csrf_of(spanish.get(f"/classes/{cid}/rotation").text)  # type: ignore[attr-defined]
    spanish.post("/lang", data={"lang": "es", "csrf_token": es_token, "next": "/"})
    es = spanish.get(f"/classes/{cid}/rotation")
    assert "Rotación por estaciones" in es.text and "Planificar la rotación" in es.text


def test_a_rotation_for_one_saved_group(
    browser_for: Callable[[str], TestClient], school: TinySchool, web: object, ctx: ServiceContext
) -> None:
    client, cid = browser_for("teacher1"), school.ids["classA"]
    with ctx.unit() as s:
        teacher = Actor.of(s.get(User, school.ids["teacher1"]))  # type: ignore[arg-type]
    group = groups.create_group(ctx, teacher, cid, "Table 1", [school.ids["learner2"]])
    page = client.get(f"/classes/{cid}/rotation")
    assert f'<option value="{group.id}">Table 1 (1)</option>' in page.text and "Who takes part" in page.text
    token = web.csrf_of(page.text)  # type: ignore[attr-defined]
    form = _starter_form(page.text, token, period_minutes="45", group_id=str(group.id), action="plan")
    r = client.post(f"/classes/{cid}/rotation", data=form, follow_redirects=False)
    assert r.status_code == 303, r.text
    plan = client.get(r.headers["location"]).text
    assert "Learner2" in plan and "Learner1" not in plan
    form["group_id"] = "99999"
    r = client.post(f"/classes/{cid}/rotation", data=form)
    assert r.status_code == 422 and "That group is not one of this class" in r.text


def test_plans_of_other_classes_are_not_found(
    browser_for: Callable[[str], TestClient], school: TinySchool, web: object
) -> None:
    client, cid = browser_for("teacher1"), school.ids["classA"]
    page = client.get(f"/classes/{cid}/rotation")
    token = web.csrf_of(page.text)  # type: ignore[attr-defined]
    r = client.post(
        f"/classes/{cid}/rotation",
        data=_starter_form(page.text, token, period_minutes="30", action="plan"),
        follow_redirects=False,
    )
    plan_id = _plan_id(r.headers["location"])
    other = school.ids["classB"]
    assert client.get(f"/classes/{other}/rotation/{plan_id}").status_code == 404
    teacher2 = browser_for("teacher2")
    assert teacher2.get(f"/classes/{cid}/rotation/{plan_id}").status_code == 404
    assert teacher2.get(f"/classes/{cid}/rotation/{plan_id}/print").status_code == 404
    assert browser_for("admin").get(f"/classes/{cid}/rotation/{plan_id}/print").status_code == 200
    assert browser_for("learner1").get(f"/classes/{cid}/rotation/{plan_id}").status_code == 403


def test_a_teacher_deletes_a_plan_after_confirming(
    browser_for: Callable[[str], TestClient], school: TinySchool, web: object
) -> None:
    client, cid = browser_for("teacher1"), school.ids["classA"]
    page = client.get(f"/classes/{cid}/rotation")
    token = web.csrf_of(page.text)  # type: ignore[attr-defined]
    r = client.post(
        f"/classes/{cid}/rotation",
        data=_starter_form(page.text, token, period_minutes="30", title="Old plan", action="plan"),
        follow_redirects=False,
    )
    plan_id = _plan_id(r.headers["location"])
    base = f"/classes/{cid}/rotation/{plan_id}"
    assert f'href="{base}/delete"' in client.get(base).text
    listing = client.get(f"/classes/{cid}/rotation").text
    assert "Old plan" in listing and f'href="{base}/delete"' in listing
    # the confirm step says what goes; it deletes nothing by itself
    confirm = client.get(f"{base}/delete")
    assert (
        confirm.status_code == 200
        and "Delete “Old plan”?" in confirm.text
        and "Yes, delete it" in confirm.text
    )
    assert client.get(base).status_code == 200
    # another class's teacher, a wrong class in the address, a missing token: refused, nothing deleted
    teacher2 = browser_for("teacher2")
    t2_token = web.csrf_of(teacher2.get(f"/classes/{school.ids['classB']}/rotation").text)  # type: ignore[attr-defined]
    assert teacher2.post(f"{base}/delete", data={"csrf_token": t2_token}).status_code == 404
    other = f"/classes/{school.ids['classB']}/rotation/{plan_id}/delete"
    assert client.post(other, data={"csrf_token": token}).status_code == 404
    assert client.post(f"{base}/delete", data={}).status_code == 403
    assert client.get(base).status_code == 200
    r = client.post(f"{base}/delete", data={"csrf_token": web.csrf_of(confirm.text)}, follow_redirects=False)  # type: ignore[attr-defined]
    assert r.status_code == 303 and r.headers["location"] == f"/classes/{cid}/rotation?deleted=1"
    listing = client.get(r.headers["location"]).text
    assert "The rotation was deleted." in listing and "Old plan" not in listing
    for path in (base, f"{base}/print", f"{base}/delete"):
        assert client.get(path).status_code == 404, path
