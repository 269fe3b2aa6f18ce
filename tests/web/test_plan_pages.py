"""The plan pages (issue 6) through the browser-like client: drafting (skill and interest goals), approving,
asking for a change, comments and the bell, adjusting, the child switcher, and Spanish."""

from __future__ import annotations

import re
from collections.abc import Callable

from fastapi.testclient import TestClient

from learnpath.service import plans
from learnpath.service.access import Actor
from learnpath.service.roster import link_family
from learnpath.storage.tables import User
from learnpath.testing.school import TinySchool

Browser = Callable[[str], TestClient]


def _post(client: TestClient, url: str, page: str, web: object, **data: object) -> int:
    token = web.csrf_of(page)  # type: ignore[attr-defined]
    r = client.post(url, data={"csrf_token": token, **data}, follow_redirects=False)  # type: ignore[arg-type]
    return r.status_code


def _goal_ids(html: str) -> list[int]:
    return [int(x) for x in re.findall(r'id="goal-(\d+)"', html)]


def test_three_way_agreement_through_the_pages(browser_for: Browser, school: TinySchool, web: object) -> None:
    lid = school.ids["learner1"]
    learner, teacher, family = browser_for("learner1"), browser_for("teacher1"), browser_for("family1")
    form = learner.get(f"/learners/{lid}/plan/new")
    assert form.status_code == 200 and 'name="goal_skill" value="MUL"' in form.text
    # a bad date comes back on the form with the field marked, nothing saved
    assert (
        _post(learner, f"/learners/{lid}/plan/goals", form.text, web, goal_skill="MUL", target_date="soon")
        == 422
    )
    assert _goal_ids(learner.get(f"/learners/{lid}/plan").text) == []
    assert (
        _post(learner, f"/learners/{lid}/plan/goals", form.text, web, goal_skill="MUL", title="Times tables")
        == 303
    )
    page = learner.get(f"/learners/{lid}/plan")
    [gid] = _goal_ids(page.text)
    assert "Times tables" in page.text and "Waiting for a yes" in page.text and "Approve" not in page.text
    # the teacher's bell shows the new notice; the notices page words it
    tpage = teacher.get(f"/learners/{lid}/plan")
    assert "1 new notice" in tpage.text
    notices = teacher.get("/notifications")
    assert "asks to agree a goal for Learner1: “Times tables”" in notices.text
    assert _post(teacher, f"/goals/{gid}/decision", tpage.text, web, decision="approve", comment="Go!") == 303
    fpage = family.get(f"/learners/{lid}/plan")
    assert "the family" in fpage.text  # still waiting for the family
    assert _post(family, f"/goals/{gid}/decision", fpage.text, web, decision="request_change") == 422
    assert _post(family, f"/goals/{gid}/decision", fpage.text, web, decision="approve") == 303
    page = learner.get(f"/learners/{lid}/plan")
    assert "Agreed" in page.text and "Go!" in page.text
    assert _post(learner, f"/goals/{gid}/comment", page.text, web, comment="I will practise!") == 303
    assert "I will practise!" in family.get("/notifications").text
    # the teacher moves the date; a learner may not
    assert _post(learner, f"/goals/{gid}/state", page.text, web, state="met") == 403
    assert (
        _post(teacher, f"/goals/{gid}/state", tpage.text, web, target_date="2027-01-15", comment="More time")
        == 303
    )
    assert "2027-01-15" in learner.get(f"/learners/{lid}/plan").text
    # mark read: all
    notices = learner.get("/notifications")
    assert _post(learner, "/notifications/read", notices.text, web) == 303
    assert "new notice" not in learner.get("/notifications").text


def test_interest_goal_form_and_milestones(browser_for: Browser, school: TinySchool, web: object) -> None:
    lid = school.ids["learner1"]
    learner = browser_for("learner1")
    form = learner.get(f"/learners/{lid}/plan/new?kind=interest")
    assert 'name="milestones"' in form.text
    assert _post(learner, f"/learners/{lid}/plan/goals", form.text, web, kind="interest", title="") == 422
    status = _post(
        learner, f"/learners/{lid}/plan/goals", form.text, web, kind="interest", title="Astrophysics",
        details="Why stars shine", milestones="Read a book\nVisit the planetarium", assess="rubric",
        criteria="Explains fusion",
    )  # fmt: skip
    assert status == 303
    page = learner.get(f"/learners/{lid}/plan")
    assert (
        "Astrophysics" in page.text
        and "Visit the planetarium" in page.text
        and "Explains fusion" in page.text
    )
    part = re.search(r'action="/goals/(\d+)/milestones/(\d+)"', page.text)
    assert part is not None
    assert _post(learner, part.group(0)[8:-1], page.text, web, done="1") == 303
    assert "1 of 2 steps done" in learner.get(f"/learners/{lid}/plan").text


def test_family_with_two_children_switches(
    browser_for: Browser, school: TinySchool, web: object, ctx: object
) -> None:
    with ctx.unit() as s:  # type: ignore[attr-defined]
        link_family(s, school.ids["family1"], school.ids["learner2"])
    family = browser_for("family1")
    page = family.get(f"/learners/{school.ids['learner1']}/plan")
    assert 'aria-label="Switch child"' in page.text
    assert f'href="/learners/{school.ids["learner2"]}/plan"' in page.text
    assert family.get(f"/learners/{school.ids['learner2']}/plan").status_code == 200
    assert family.get(f"/learners/{school.ids['learner3']}/plan").status_code == 404
    assert family.get(f"/learners/{school.ids['learner1']}/plan/new").status_code == 403


def test_plan_page_in_spanish(browser_for: Browser, school: TinySchool, web: object, ctx: object) -> None:
    lid = school.ids["learner1"]
    learner = browser_for("learner1")
    learner.post("/lang", data={"lang": "es", "csrf_token": web.csrf_of(learner.get("/").text), "next": "/"})  # type: ignore[attr-defined]
    with ctx.unit() as s:  # type: ignore[attr-defined]
        from learnpath.service.access import Actor
        from learnpath.storage.tables import User

        plans.add_goal_in(s, Actor.of(s.get(User, lid)), lid, skills=["MUL"])  # type: ignore[arg-type]
    page = learner.get(f"/learners/{lid}/plan")
    assert page.headers["content-language"] == "es"
    assert "Mi plan" in page.text and "Tablas de multiplicar" in page.text


def test_learner_changes_a_draft_after_a_change_request(
    browser_for: Browser, school: TinySchool, web: object
) -> None:
    lid = school.ids["learner1"]
    learner, teacher = browser_for("learner1"), browser_for("teacher1")
    form = learner.get(f"/learners/{lid}/plan/new")
    _post(learner, f"/learners/{lid}/plan/goals", form.text, web, goal_skill="MUL", title="Tables")
    [gid] = _goal_ids(learner.get(f"/learners/{lid}/plan").text)
    tpage = teacher.get(f"/learners/{lid}/plan")
    assert (
        _post(
            teacher, f"/goals/{gid}/decision", tpage.text, web, decision="request_change", comment="A date?"
        )
        == 303
    )
    page = learner.get(f"/learners/{lid}/plan")
    assert "Change the goal" in page.text and "A date?" in page.text
    assert (
        _post(learner, f"/goals/{gid}/revise", page.text, web, title="Tables", target_date="2020-01-01")
        == 422
    )
    assert (
        _post(
            learner, f"/goals/{gid}/revise", page.text, web, title="Tables by May", target_date="2027-05-01"
        )
        == 303
    )
    page = learner.get(f"/learners/{lid}/plan")
    assert "Tables by May" in page.text and "2027-05-01" in page.text and "Waiting for a yes" in page.text
    assert "changed the draft" in page.text


def test_the_skills_of_a_proposed_goal_are_changed_on_the_plan_page(
    browser_for: Browser, school: TinySchool, web: object
) -> None:
    lid = school.ids["learner1"]
    learner, teacher, family = browser_for("learner1"), browser_for("teacher1"), browser_for("family1")
    form = learner.get(f"/learners/{lid}/plan/new")
    _post(learner, f"/learners/{lid}/plan/goals", form.text, web, goal_skill="ADD", title="Sums")
    [gid] = _goal_ids(learner.get(f"/learners/{lid}/plan").text)
    tpage = teacher.get(f"/learners/{lid}/plan")
    assert _post(teacher, f"/goals/{gid}/decision", tpage.text, web, decision="approve") == 303
    page = learner.get(f"/learners/{lid}/plan")
    # the proposed goal has the form: its skill ticked, the others to add, a warning that approvals lapse
    assert f'action="/goals/{gid}/revise"' in page.text and "everyone must say yes again" in page.text
    assert 'name="goal_skill" value="ADD" checked' in page.text
    assert '<option value="MUL">' in page.text and '<option value="ADD">' not in page.text
    # families see no form; unticking every skill is refused and changes nothing
    assert f'action="/goals/{gid}/revise"' not in family.get(f"/learners/{lid}/plan").text
    assert _post(family, f"/goals/{gid}/revise", page.text, web, title="X", skills_shown="1") == 403
    r = learner.post(
        f"/goals/{gid}/revise",
        data={"csrf_token": web.csrf_of(page.text), "title": "Sums", "skills_shown": "1"},  # type: ignore[attr-defined]
    )
    assert r.status_code == 422 and "Keep at least one skill" in r.text
    # take ADD out, add MUL, keep it a draft: back to draft, the teacher's yes lapsed, the history says so
    r = learner.post(
        f"/goals/{gid}/revise",
        data={
            "csrf_token": web.csrf_of(page.text),  # type: ignore[attr-defined]
            "title": "Sums",
            "skills_shown": "1",
            "add_skill": "MUL",
            "target_date": "",
            "propose": "0",
        },
        follow_redirects=False,
    )
    assert r.status_code == 303
    page = learner.get(f"/learners/{lid}/plan")
    assert "skills now: MUL" in page.text and "Ask everyone to agree" in page.text
    assert 'name="goal_skill" value="MUL" checked' in page.text
    assert 'name="goal_skill" value="ADD"' not in page.text
    ctx = learner.app.state.ctx  # type: ignore[attr-defined]
    with ctx.unit() as s:
        me = Actor.of(s.get(User, lid))
    goal = plans.plan_view(ctx, me, lid).goals[0]
    assert goal.state == "draft" and [c for c, _, _ in goal.skills] == ["MUL"] and goal.pending == []
