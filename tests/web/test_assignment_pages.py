"""Assignment pages: a teacher gives a flipped video to a group, the learner sees it first, watches (the
beacon), answers the check; the teacher's before-class view shows who watched and makes groups from it;
learners' choices; bad input comes back named, in English and Spanish."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from learnpath.core.content import Content, GradeBand
from learnpath.service import groups
from learnpath.service.access import Actor
from learnpath.service.context import ServiceContext
from learnpath.service.resources import add_content
from learnpath.storage.tables import Assignment, ClassGroup, School, User
from learnpath.testing.school import TinySchool

Browser = Callable[[str], TestClient]


@pytest.fixture
def video(ctx: ServiceContext, school: TinySchool) -> int:
    c = Content(
        "V-ADD", "video", "Adding on", "watch", 2, GradeBand(1, 2), ("ADD",), title_es="Sumar contando",
        video_file="v.webm", duration_s=60,
    )  # fmt: skip
    with ctx.unit() as s:
        school_id = s.scalars(select(School.id).where(School.name == "Tiny School")).one()
        return add_content(s, school_id, [c], ctx.clock())["V-ADD"]


def _group(ctx: ServiceContext, school: TinySchool) -> int:
    with ctx.unit() as s:
        teacher = Actor.of(s.scalars(select(User).where(User.username == "teacher1")).one())
    return groups.create_group(ctx, teacher, school.ids["classA"], "Blue", [school.ids["learner1"]]).id


def _token(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match
    return match.group(1)


def test_a_flipped_video_for_a_group_from_giving_to_who_watched(
    browser_for: Browser, school: TinySchool, ctx: ServiceContext, video: int
) -> None:
    gid = _group(ctx, school)
    t = browser_for("teacher1")
    url = f"/classes/{school.ids['classA']}/assignments"
    page = t.get(url)
    assert page.status_code == 200 and f'value="group:{gid}"' in page.text and "Adding on" in page.text
    data = {"work": "flipped", "content_id": str(video), "target": f"group:{gid}", "due": "2099-01-31"}
    r = t.post(url, data={**data, "check_size": "2", "csrf_token": _token(page.text)}, follow_redirects=False)
    assert r.status_code == 303
    with ctx.unit() as s:
        a = s.scalars(select(Assignment)).one()
        assert (a.group_id, a.work, a.content_id, len(a.check_items or [])) == (gid, "flipped", video, 2)
    listed = t.get(url).text
    assert "Before class: Adding on" in listed and "Group: Blue" in listed and "0 of 1" in listed
    before = t.get(f"/assignments/{a.id}")
    assert before.status_code == 200 and "Did not watch yet" in before.text and "Learner1" in before.text
    assert "Learner2" not in before.text  # only the group

    me = browser_for("learner1")
    home = me.get("/learn").text
    assert f'href="/content/{video}"' in home and "Watch this before class" in home
    assert "Watch this before class" not in browser_for("learner2").get("/learn").text  # not in the group
    content = me.get(f"/content/{video}").text
    assert f'data-progress-url="/content/{video}/progress"' in content and "/static/flipped.js" in content
    token = _token(content)
    beacon = me.post(
        f"/content/{video}/progress",
        data={"event": "progress", "seconds": "20"},
        headers={"X-CSRF-Token": token},
    )
    assert beacon.status_code == 204
    assert "Did not watch yet" in t.get(f"/assignments/{a.id}").text  # 20 of 60 s is not watched
    me.post(
        f"/content/{video}/progress",
        data={"event": "ended", "seconds": "58"},
        headers={"X-CSRF-Token": token},
    )
    assert "Watched it" in t.get(f"/assignments/{a.id}").text

    check = me.get(f"/learn/check/{a.id}")
    assert check.status_code == 200 and "Show what you learned" in check.text
    names = re.findall(r'name="(item_\d+)"', check.text)
    assert len(set(names)) == 2
    missing = me.post(f"/learn/check/{a.id}", data={names[0]: "2", "csrf_token": _token(check.text)})
    assert missing.status_code == 422 and "Please answer every question" in missing.text
    answers = {n: "999" for n in set(names)}
    done = me.post(f"/learn/check/{a.id}", data={**answers, "csrf_token": _token(check.text)})
    assert done.status_code == 200 and "You got 0 of 2 right" in done.text
    view = t.get(f"/assignments/{a.id}").text
    assert "Under the pass mark" in view and "0 of 2 right" in view and "Teacher time" in view

    made = t.post(f"/assignments/{a.id}/groups", data={"csrf_token": _token(view)}, follow_redirects=True)
    assert made.status_code == 200 and "1 group saved" in made.text
    with ctx.unit() as s:
        assert s.scalar(select(func.count()).select_from(ClassGroup)) == 2


def test_bad_work_comes_back_named_and_nothing_is_stored(
    browser_for: Browser, school: TinySchool, ctx: ServiceContext, video: int
) -> None:
    t = browser_for("teacher1")
    url = f"/classes/{school.ids['classA']}/assignments"
    token = _token(t.get(url).text)
    for bad, word in (
        ({"work": "flipped"}, "content_id"),
        ({"work": "practice", "skill_code": "SUB", "target": "group:abc"}, "target"),
        ({"work": "practice", "skill_code": "SUB", "target": f"learner:{school.ids['learner3']}"}, "learner"),
        ({"work": "project", "project_id": str(video)}, "content_id"),
        ({"work": "practice", "skill_code": "SUB", "due": "2000-01-01"}, "due_at"),
    ):
        r = t.post(url, data={**bad, "csrf_token": token})
        assert r.status_code == 422 and "The work was not given" in r.text and word in r.text, bad
    with ctx.unit() as s:
        assert s.scalar(select(func.count()).select_from(Assignment)) == 0


def test_choices_page_and_spanish_words(browser_for: Browser, school: TinySchool, video: int) -> None:
    t = browser_for("teacher1")
    page = t.get(f"/classes/{school.ids['classA']}/choices?days=14")
    assert page.status_code == 200 and "Learner1" in page.text and "Learner3" not in page.text
    assert "Next steps picked in the last 14 days" in page.text
    t.post("/lang", data={"lang": "es", "csrf_token": _token(page.text), "next": "/"})
    es = t.get(f"/classes/{school.ids['classA']}/assignments").text
    assert "Dar trabajo" in es and "Sumar contando" in es
    assert "Elecciones" in t.get(f"/classes/{school.ids['classA']}/choices").text


def test_a_rotation_from_the_flipped_lesson_gives_teacher_time_to_who_did_not_watch(
    browser_for: Browser, school: TinySchool, ctx: ServiceContext, video: int
) -> None:
    from learnpath.service import assignments, rotations

    with ctx.unit() as s:
        teacher = Actor.of(s.scalars(select(User).where(User.username == "teacher1")).one())
    a = assignments.add_assignment(
        ctx, teacher, class_id=school.ids["classA"], work="flipped", content_id=video
    )
    t = browser_for("teacher1")
    page = t.get(f"/assignments/{a.id}").text
    assert "Set up the class&#39;s stations first" in page or "Set up the class's stations first" in page
    stations = [
        rotations.ClassStation("Teacher table", "teacher", 2, 15),
        rotations.ClassStation("Practice", "practice", 2, 15),
    ]
    rotations.save_stations(ctx, teacher, school.ids["classA"], stations)
    page = t.get(f"/assignments/{a.id}").text
    bad = t.post(f"/assignments/{a.id}/rotation", data={"period_minutes": "x", "csrf_token": _token(page)})
    assert bad.status_code == 422 and "The rotation could not be planned" in bad.text
    r = t.post(
        f"/assignments/{a.id}/rotation",
        data={"period_minutes": "30", "csrf_token": _token(page)},
        follow_redirects=False,
    )
    assert r.status_code == 303
    plan_id = int(r.headers["location"].rsplit("/", 1)[1])
    plan = rotations.get_rotation(ctx, teacher, plan_id)
    assert {p.need for p in plan.learners} == {"reteach"}  # nobody watched yet
