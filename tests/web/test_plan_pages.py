"""The plan pages (issue 6) through the browser-like client: drafting (skill and interest goals), approving,
asking for a change, comments and the bell, adjusting, the child switcher, and Spanish."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from learnpath.errors import PermissionDeniedError, ValidationError
from learnpath.service import plans, skill_search
from learnpath.service.access import Actor
from learnpath.service.content import SkillSpec, add_skills
from learnpath.service.roster import link_family
from learnpath.storage.tables import User
from learnpath.testing.forms import Submission, press
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
    assert form.status_code == 200 and f'hx-get="/learners/{lid}/plan/skills"' in form.text
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
    # the proposed goal has the form: its skill ticked, a search box to add others (no list of every
    # skill: tests below), a warning that approvals lapse
    assert f'action="/goals/{gid}/revise"' in page.text and "everyone must say yes again" in page.text
    assert 'name="goal_skill" value="ADD" checked' in page.text
    assert f'hx-get="/goals/{gid}/skills"' in page.text and "<option" not in page.text
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


def test_new_goal_skills_are_searched_not_listed(
    browser_for: Browser, school: TinySchool, web: object
) -> None:
    lid = school.ids["learner1"]
    learner, family, teacher = browser_for("learner1"), browser_for("family1"), browser_for("teacher1")
    form = learner.get(f"/learners/{lid}/plan/new")
    # by default no skill is listed: the form has a search box instead
    assert form.status_code == 200 and 'name="goal_skill"' not in form.text
    # its Find button submits the goal's own form (so, without JavaScript, ticks travel with a search)
    find = press(form.text, "Find", fill={"q": "a"})
    assert (find.method, find.url, find.values("find"), find.values("q")) == (
        "post",
        f"/learners/{lid}/plan/goals",
        ["1"],
        ["a"],
    )
    # typing (htmx): just the matches, by code or name, any case
    hx = {"HX-Request": "true"}
    r = learner.get(f"/learners/{lid}/plan/skills?q=TIMES", headers=hx)
    assert r.status_code == 200 and "<html" not in r.text and _boxes(r.text) == ["MUL"]
    assert _boxes(learner.get(f"/learners/{lid}/plan/skills?q=a", headers=hx).text) == ["ADD", "SUB", "MUL"]
    assert learner.get(f"/learners/{lid}/plan/skills?q=", headers=hx).text.strip() == ""
    # boxes ticked among earlier matches (htmx sends them) stay ticked and are not offered again
    r = learner.get(f"/learners/{lid}/plan/skills", params={"q": "a", "goal_skill": "SUB"}, headers=hx)
    assert 'name="goal_skill" value="SUB" checked' in r.text and _boxes(r.text) == ["ADD", "MUL"]
    assert learner.get(f"/learners/{lid}/plan/skills?q={'x' * 101}", headers=hx).status_code == 422
    # a plain GET (no htmx): the new-goal form with the matches in it; ticked skills stay ticked, not offered
    r = learner.get(f"/learners/{lid}/plan/skills", params={"q": "a", "goal_skill": "ADD"})
    assert "<html" in r.text and 'value="a"' in r.text and f'action="/learners/{lid}/plan/goals"' in r.text
    assert 'name="goal_skill" value="ADD" checked' in r.text and _boxes(r.text) == ["SUB", "MUL"]
    # a validation error keeps the ticked skills ticked (and lists only them)
    r = learner.post(
        f"/learners/{lid}/plan/goals",
        data={"csrf_token": web.csrf_of(form.text), "goal_skill": ["MUL", "SUB"], "target_date": "soon"},  # type: ignore[attr-defined]
    )
    assert r.status_code == 422
    assert 'value="SUB" checked' in r.text and 'value="MUL" checked' in r.text and _boxes(r.text) == []
    assert 'value="ADD"' not in r.text
    # families draft no goals (403); another school's learner is not there (404); teachers may search
    assert family.get(f"/learners/{lid}/plan/skills?q=sub", headers=hx).status_code == 403
    other = school.ids["learner_other"]
    assert teacher.get(f"/learners/{other}/plan/skills?q=sub", headers=hx).status_code == 404
    assert learner.get(f"/learners/{other}/plan/skills?q=sub").status_code == 404
    assert _boxes(teacher.get(f"/learners/{lid}/plan/skills?q=sub", headers=hx).text) == ["SUB"]


def _boxes(html: str) -> list[str]:
    """Codes of the unticked skill boxes (skills offered to add), in page order."""
    return re.findall(r'name="goal_skill" value="([^"]+)">', html)


def test_skills_to_add_are_searched_not_listed(browser_for: Browser, school: TinySchool, web: object) -> None:
    lid = school.ids["learner1"]
    learner, family, teacher = browser_for("learner1"), browser_for("family1"), browser_for("teacher1")
    form = learner.get(f"/learners/{lid}/plan/new")
    _post(learner, f"/learners/{lid}/plan/goals", form.text, web, goal_skill="ADD", title="Sums")
    [gid] = _goal_ids(learner.get(f"/learners/{lid}/plan").text)
    page = learner.get(f"/learners/{lid}/plan")
    # by default no skill is offered: not one of the school's other skills is on the page
    assert _boxes(page.text) == [] and "<option" not in page.text
    assert 'value="SUB"' not in page.text and 'value="MUL"' not in page.text
    find = press(page.text, "Find", within=f"/goals/{gid}/revise", fill={"q": "sub"})
    assert (find.method, find.url, find.values("find")) == ("post", f"/goals/{gid}/revise", ["1"])
    assert find.values("goal_skill") == ["ADD"]  # the goal's own skill, ticked, goes with the search
    # typing (htmx): just the matches, by code or name, any case; the goal's own skill is not offered
    hx = {"HX-Request": "true"}
    r = learner.get(f"/goals/{gid}/skills?q=TIMES", headers=hx)
    assert r.status_code == 200 and "<html" not in r.text and _boxes(r.text) == ["MUL"]
    assert _boxes(learner.get(f"/goals/{gid}/skills?q=sub", headers=hx).text) == ["SUB"]
    assert _boxes(learner.get(f"/goals/{gid}/skills?q=a", headers=hx).text) == ["SUB", "MUL"]
    r = learner.get(f"/goals/{gid}/skills?q=add", headers=hx)
    assert _boxes(r.text) == [] and "No skill matches that search." in r.text
    assert learner.get(f"/goals/{gid}/skills?q=", headers=hx).text.strip() == ""
    assert learner.get(f"/goals/{gid}/skills?q={'x' * 101}", headers=hx).status_code == 422
    # a box ticked among the last matches (sent back by htmx) stays ticked and is not offered again
    r = learner.get(f"/goals/{gid}/skills?q=a&goal_skill=MUL", headers=hx)
    assert _boxes(r.text) == ["SUB"] and 'value="MUL" checked' in r.text
    # a plain GET (no htmx): the whole plan page, the goal's form open with the matches in it
    r = learner.get(f"/goals/{gid}/skills?q=times")
    assert "<html" in r.text and _boxes(r.text) == ["MUL"] and 'value="times"' in r.text
    assert '<details class="adjust" open>' in r.text
    # ticking a match and saving adds it
    data = {"csrf_token": web.csrf_of(r.text), "title": "Sums", "skills_shown": "1", "propose": "0"}  # type: ignore[attr-defined]
    r = learner.post(
        f"/goals/{gid}/revise", data={**data, "goal_skill": ["ADD", "MUL"]}, follow_redirects=False
    )
    assert r.status_code == 303
    page = learner.get(f"/learners/{lid}/plan").text
    assert 'value="ADD" checked' in page and 'value="MUL" checked' in page
    # families do not change goals (403); another school's learner's goal is not there (404)
    assert family.get(f"/goals/{gid}/skills?q=sub", headers=hx).status_code == 403
    ctx = learner.app.state.ctx  # type: ignore[attr-defined]
    with ctx.unit() as s:
        other = Actor.of(s.get(User, school.ids["learner_other"]))  # type: ignore[arg-type]
        other_goal = plans.add_goal_in(s, other, other.user_id, skills=["ADD"])
    assert teacher.get(f"/goals/{other_goal}/skills?q=sub", headers=hx).status_code == 404
    assert learner.get(f"/goals/{other_goal}/skills?q=sub").status_code == 404
    assert teacher.get(f"/goals/{gid}/skills?q=sub", headers=hx).status_code == 200


def _send(client: TestClient, sub: Submission) -> str:
    """Send what a browser would (``press``), following redirects; the page that comes back."""
    if sub.method == "get":
        r = client.get(sub.url, params=sub.fields)
    else:
        r = client.post(sub.url, data=sub.as_data())  # type: ignore[arg-type]
    assert r.status_code == 200, r.text
    return r.text


def _ticked(html: str) -> list[str]:
    return re.findall(r'name="goal_skill" value="([^"]+)" checked', html)


def test_new_goal_skill_search_without_javascript_keeps_ticks_and_saves_them_all(
    browser_for: Browser, school: TinySchool
) -> None:
    lid = school.ids["learner1"]
    learner = browser_for("learner1")
    page = learner.get(f"/learners/{lid}/plan/new").text
    # search, tick a match, name the goal, search again: the tick and the name come back, nothing saved
    page = _send(learner, press(page, "Find", fill={"q": "sub"}))
    assert _boxes(page) == ["SUB"] and _ticked(page) == []
    sub = press(page, "Find", fill={"q": "times", "title": "Sums and tables"}, tick=[("goal_skill", "SUB")])
    assert sub.values("goal_skill") == ["SUB"]
    page = _send(learner, sub)
    assert _ticked(page) == ["SUB"] and _boxes(page) == ["MUL"]
    assert 'value="Sums and tables"' in page and 'value="times"' in page
    assert plans.plan_view(learner.app.state.ctx, _actor(learner, lid), lid).goals == []  # type: ignore[attr-defined]
    # a third search keeps both; then saving saves them all
    page = _send(learner, press(page, "Find", fill={"q": "add"}, tick=[("goal_skill", "MUL")]))
    assert _ticked(page) == ["SUB", "MUL"] and _boxes(page) == ["ADD"]
    _send(learner, press(page, "Save and ask everyone to agree", tick=[("goal_skill", "ADD")]))
    [goal] = plans.plan_view(learner.app.state.ctx, _actor(learner, lid), lid).goals  # type: ignore[attr-defined]
    assert goal.title == "Sums and tables" and sorted(c for c, _, _ in goal.skills) == ["ADD", "MUL", "SUB"]


def test_goal_change_skill_search_without_javascript_keeps_ticks_and_saves_them_all(
    browser_for: Browser, school: TinySchool, web: object
) -> None:
    lid = school.ids["learner1"]
    learner = browser_for("learner1")
    form = learner.get(f"/learners/{lid}/plan/new")
    _post(learner, f"/learners/{lid}/plan/goals", form.text, web, goal_skill="ADD", title="Sums")
    [gid] = _goal_ids(learner.get(f"/learners/{lid}/plan").text)
    page = learner.get(f"/learners/{lid}/plan").text
    revise = f"/goals/{gid}/revise"
    page = _send(learner, press(page, "Find", within=revise, fill={"q": "sub"}))
    assert '<details class="adjust" open>' in page and _boxes(page) == ["SUB"] and _ticked(page) == ["ADD"]
    # tick the match, take the goal's own skill out, rename it, search again: all of it comes back
    sub = press(
        page,
        "Find",
        within=revise,
        fill={"q": "times", "title": "Taking away"},
        tick=[("goal_skill", "SUB")],
        untick=[("goal_skill", "ADD")],
    )
    page = _send(learner, sub)
    assert _ticked(page) == ["SUB"] and _boxes(page) == ["ADD", "MUL"]
    assert 'value="Taking away"' in page and 'value="times"' in page
    goal = plans.plan_view(learner.app.state.ctx, _actor(learner, lid), lid).goals[0]  # type: ignore[attr-defined]
    assert goal.title == "Sums" and [c for c, _, _ in goal.skills] == ["ADD"]  # a search saves nothing
    _send(learner, press(page, "Save as a draft", within=revise, tick=[("goal_skill", "MUL")]))
    goal = plans.plan_view(learner.app.state.ctx, _actor(learner, lid), lid).goals[0]  # type: ignore[attr-defined]
    assert goal.title == "Taking away" and sorted(c for c, _, _ in goal.skills) == ["MUL", "SUB"]


def _actor(client: TestClient, user_id: int) -> Actor:
    with client.app.state.ctx.unit() as s:  # type: ignore[attr-defined]
        return Actor.of(s.get(User, user_id))


def test_skill_search_shows_at_most_twenty(browser_for: Browser, school: TinySchool, web: object) -> None:
    ctx = browser_for("learner1").app.state.ctx  # type: ignore[attr-defined]
    with ctx.unit() as s:
        extra = [
            SkillSpec(f"EX{i:02d}", f"Extra skill {i}", f"Habilidad extra {i}", grade=3) for i in range(30)
        ]
        add_skills(s, "extra", "Extra", extra, [])
        me = Actor.of(s.get(User, school.ids["learner1"]))  # type: ignore[arg-type]
        gid = plans.add_goal_in(s, me, me.user_id, skills=["ADD"])
    hx = {"HX-Request": "true"}
    r = browser_for("learner1").get(f"/goals/{gid}/skills?q=extra", headers=hx)
    assert _boxes(r.text) == [f"EX{i:02d}" for i in range(20)]
    assert "Only the first 20 are shown" in r.text
    # a code match comes before name matches; Spanish names are searched and shown in Spanish
    found = skill_search.goal_skill_matches(ctx, me, gid, "ex29")
    assert [c for c, _, _ in found.skills] == ["EX29"] and not found.more
    found = skill_search.goal_skill_matches(ctx, me, gid, "tablas", locale="es")
    assert found.skills == [("MUL", "Tablas de multiplicar", 2)]
    with pytest.raises(ValidationError) as err:
        skill_search.goal_skill_matches(ctx, me, gid, "x" * 101)
    assert err.value.errors[0].field == "q"
    with ctx.unit() as s:
        family = Actor.of(s.get(User, school.ids["family1"]))  # type: ignore[arg-type]
    with pytest.raises(PermissionDeniedError):
        skill_search.goal_skill_matches(ctx, family, gid, "ex")


def test_rank_matches_order() -> None:
    rows = [
        ("AB", "Zeta ab", "", 1),
        ("XAB", "Ab start", "", 1),
        ("AB2", "Other", "", 2),
        ("Q", "has ab", "", 1),
    ]
    found, more = skill_search.rank_matches(rows, "ab", frozenset())
    assert [r[0] for r in found] == ["AB", "AB2", "XAB", "Q"] and not more
    found, more = skill_search.rank_matches(rows, " AB ", frozenset({"AB"}), limit=2)
    assert [r[0] for r in found] == ["AB2", "XAB"] and more
    assert skill_search.rank_matches(rows, "  ", frozenset()) == ([], False)
