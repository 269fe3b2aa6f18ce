"""Every web page x every role x own/other data, as in tests/api/test_access.py: the pages show exactly what
the service allows (others' data 404, a role that may never do it 403), and anonymous visitors are sent to
the sign-in page. Every page route must appear in ROUTES, so a new page cannot skip this test."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from learnpath.service import plans, portfolio
from learnpath.service.access import Actor
from learnpath.service.context import ServiceContext
from learnpath.storage.tables import User
from learnpath.testing.school import TinySchool

DRAWING = (Path(__file__).resolve().parents[1] / "data" / "drawing.png").read_bytes()

ROLES = ("learner", "family", "teacher", "admin")
ACTOR = {"learner": "learner1", "family": "family1", "teacher": "teacher1", "admin": "admin"}
OWN_LEARNER = {"learner": "learner1", "family": "learner1", "teacher": "learner1", "admin": "learner3"}
OTHER_LEARNERS = {
    "learner": ["learner2", "learner3", "learner_other"],
    "family": ["learner2", "learner3", "learner_other"],
    "teacher": ["learner3", "learner_other"],
    "admin": ["learner_other"],
}
OWN_CLASS = {"teacher": "classA", "admin": "classB"}
OTHER_CLASSES = {"teacher": ["classB", "classOther"], "admin": ["classOther"]}

Expect = Callable[[str, bool], int]


def _only(*roles: str, ok: int = 200) -> Expect:
    return lambda role, own: ok if role in roles else 403


def _learner_pages(role: str, own: bool) -> int:
    return 200 if own else 404


def _class_pages(role: str, own: bool) -> int:
    if role in ("learner", "family"):
        return 403
    return 200 if own else 404


def _content_writes(ok: int) -> Expect:
    """Content of the school: teachers and admins change it (the matrix's form data is not content: 422)."""
    return lambda role, own: (ok if role in ("teacher", "admin") else 403) if own else 404


def _goal_writes(role: str, own: bool) -> int:
    """Goals: the learner's teachers and admins set them (303 back to the path); learner and family 403."""
    if not own:
        return 404
    return 303 if role in ("teacher", "admin") else 403


def _no_such_plan(role: str, own: bool) -> int:
    return 404 if role in ("teacher", "admin") else 403


def _staff_learner_posts(role: str, own: bool) -> int:
    """Check-ins: the learner's teachers and admins hold them (303); the learner and family 403."""
    if not own:
        return 404
    return 303 if role in ("teacher", "admin") else 403


def _plan_drafts(ok: int) -> Expect:
    """Plans (issue 6): the learner, their teachers and admins draft goals; families approve instead (403)."""
    return lambda role, own: (403 if role == "family" else ok) if own else 404


def _goal_posts(may: tuple[str, ...], ok: int) -> Expect:
    """A goal (target "goal": a proposed goal of the learner): ``may`` get ``ok``, other roles 403."""
    return lambda role, own: (ok if role in may else 403) if own else 404


def _work_writes(ok: int) -> Expect:
    """Portfolio (issue 6): the learner, their teachers and admins add and remove work; families 403."""
    return lambda role, own: (403 if role == "family" else ok) if own else 404


# (method, path, target, expectation); POSTs send the page's CSRF token.
ROUTES: list[tuple[str, str, str | None, Expect]] = [
    ("GET", "/", None, lambda role, own: 303),
    ("GET", "/learn", None, _only("learner")),
    ("GET", "/learn/hint", "item", _only("learner")),
    ("POST", "/learn/answer", "item", _only("learner")),
    # item media: every signed-in role may read items; media 0 of ADD-0 does not exist (200s: tests/web/test_qti_items.py)
    ("GET", "/learn/items/{item_id}/media/{media_id}", None, lambda role, own: 404),
    ("GET", "/learners/{learner_id}", "learner", _learner_pages),
    # backward design (issue 4): POSTs send goal_skill=MUL and goal_learner=the role's own learner
    ("GET", "/learners/{learner_id}/path", "learner", _learner_pages),
    ("POST", "/learners/{learner_id}/goals", "learner", _goal_writes),
    (
        "POST",
        "/classes/{class_id}/goals",
        "class",
        lambda role, own: 303 if own and role in ("teacher", "admin") else _class_pages(role, own),
    ),
    # next steps with choice (issue 5): POSTs send skill_code=ADD
    ("POST", "/learn/pick", None, _only("learner", ok=303)),
    ("GET", "/learn/interests", None, _only("learner")),
    ("POST", "/learn/interests", None, _only("learner", ok=303)),
    ("GET", "/classes/{class_id}/assignments", "class", _class_pages),
    ("GET", "/learn/placement", None, _only("learner")),
    ("POST", "/learn/placement/answer", None, lambda role, own: 404 if role == "learner" else 403),
    ("GET", "/classes/{class_id}/placement", "class", _class_pages),
    (
        "POST",
        "/classes/{class_id}/assignments",
        "class",
        lambda role, own: _class_pages(role, own) if role in ("learner", "family") or not own else 303,
    ),
    ("GET", "/classes", None, _only("teacher", "admin")),
    ("GET", "/classes/{class_id}", "class", _class_pages),
    # the class dashboard (issue 7): its filters and CSV parts are tested in tests/web/test_dashboard_pages.py
    ("GET", "/classes/{class_id}/dashboard", "class", _class_pages),
    ("GET", "/classes/{class_id}/dashboard.csv", "class", _class_pages),
    ("GET", "/family", None, _only("family", ok=303)),
    ("GET", "/admin", None, _only("admin")),
    # content (issue 4): C-ADD is the school's reading, C-OTHER another school's
    ("GET", "/content", None, _only("teacher", "admin")),
    ("POST", "/content/import", None, _only("teacher", "admin", ok=422)),
    ("GET", "/content/new", None, _only("teacher", "admin")),
    ("POST", "/content/new", None, _only("teacher", "admin", ok=422)),
    ("GET", "/content/{content_id}", "content", _learner_pages),
    ("GET", "/content/{content_id}/edit", "content", _content_writes(200)),
    ("POST", "/content/{content_id}/edit", "content", _content_writes(422)),
    ("POST", "/content/{content_id}/video", "content", _content_writes(422)),
    # a reading has no video file (200s and others' 404s: tests/web/test_content_pages.py)
    ("GET", "/content/{content_id}/video", "content", lambda role, own: 404),
    # teacher scoring of extended text (issue 4): the matrix sends no points (scoring: tests/web/test_to_mark.py)
    ("GET", "/classes/{class_id}/to-mark", "class", _class_pages),
    (
        "POST",
        "/classes/{class_id}/to-mark/{attempt_id}",
        "class",
        lambda role, own: 422 if own and role in ("teacher", "admin") else _class_pages(role, own),
    ),
    # station rotations (issue 7): the matrix's form has no station rows, which saves an empty set (303);
    # plan 0 does not exist (plans of own and other classes: tests/web/test_rotation_pages.py)
    ("GET", "/classes/{class_id}/rotation", "class", _class_pages),
    (
        "POST",
        "/classes/{class_id}/rotation",
        "class",
        lambda role, own: 303 if own and role in ("teacher", "admin") else _class_pages(role, own),
    ),
    ("GET", "/classes/{class_id}/rotation/{plan_id}", "class", _no_such_plan),
    ("GET", "/classes/{class_id}/rotation/{plan_id}/print", "class", _no_such_plan),
    ("POST", "/classes/{class_id}/rotation/{plan_id}/move", "class", _no_such_plan),
    ("GET", "/classes/{class_id}/rotation/{plan_id}/delete", "class", _no_such_plan),
    ("POST", "/classes/{class_id}/rotation/{plan_id}/delete", "class", _no_such_plan),
    # check-ins and the family's digest (issue 6): the matrix's form holds a check-in with no notes (303),
    # clears a learner's own rhythm (303), gives a class no number of days (422) and removes one's email
    ("GET", "/learners/{learner_id}/checkins", "learner", _learner_pages),
    ("POST", "/learners/{learner_id}/checkins", "learner", _staff_learner_posts),
    ("POST", "/learners/{learner_id}/checkins/rhythm", "learner", _staff_learner_posts),
    ("GET", "/classes/{class_id}/checkins", "class", _class_pages),
    (
        "POST",
        "/classes/{class_id}/checkins/rhythm",
        "class",
        lambda role, own: 422 if own and role in ("teacher", "admin") else _class_pages(role, own),
    ),
    ("GET", "/family/digest", None, _only("family")),
    # personal learning plans (issue 6); target "goal" is a proposed goal the learner drafted. The matrix's
    # form has no decision, comment or state (422 where the role may act) and names no milestone (404);
    # flows: tests/web/test_plan_pages.py
    ("GET", "/learners/{learner_id}/plan", "learner", _learner_pages),
    ("GET", "/learners/{learner_id}/plan/new", "learner", _plan_drafts(200)),
    # the skill search of the new-goal form (no q: the form, no matches)
    ("GET", "/learners/{learner_id}/plan/skills", "learner", _plan_drafts(200)),
    ("POST", "/learners/{learner_id}/plan/goals", "learner", _plan_drafts(303)),
    ("POST", "/learners/{learner_id}/plan/settings", "learner", _goal_posts(("teacher", "admin"), 303)),
    ("POST", "/goals/{goal_id}/decision", "goal", _goal_posts(("teacher", "admin", "family"), 422)),
    ("POST", "/goals/{goal_id}/comment", "goal", _goal_posts(("learner", "teacher", "admin", "family"), 422)),
    ("POST", "/goals/{goal_id}/propose", "goal", _goal_posts(("learner", "teacher", "admin"), 422)),
    ("POST", "/goals/{goal_id}/revise", "goal", _goal_posts(("learner", "teacher", "admin"), 422)),
    # the skill search of a goal's change form (the matrix sends no q: the plan page, no matches)
    ("GET", "/goals/{goal_id}/skills", "goal", _goal_posts(("learner", "teacher", "admin"), 200)),
    ("POST", "/goals/{goal_id}/state", "goal", _goal_posts(("teacher", "admin"), 422)),
    (
        "POST",
        "/goals/{goal_id}/milestones/{part_id}",
        "goal",
        _goal_posts(("learner", "teacher", "admin"), 404),
    ),
    ("GET", "/notifications", None, lambda role, own: 200),
    ("POST", "/notifications/read", None, lambda role, own: 303),
    ("POST", "/family/email", None, lambda role, own: 303),
    # small groups and teams (issue 7): the matrix's form holds no board (an empty set of groups: 303; teams
    # without skills: 422) and no pair of learners (422); flows: tests/web/test_group_pages.py
    ("GET", "/classes/{class_id}/groups", "class", _class_pages),
    ("GET", "/classes/{class_id}/teams", "class", _class_pages),
    (
        "POST",
        "/classes/{class_id}/groups",
        "class",
        lambda role, own: 303 if own and role in ("teacher", "admin") else _class_pages(role, own),
    ),
    (
        "POST",
        "/classes/{class_id}/teams",
        "class",
        lambda role, own: 422 if own and role in ("teacher", "admin") else _class_pages(role, own),
    ),
    (
        "POST",
        "/classes/{class_id}/pair-rules",
        "class",
        lambda role, own: 422 if own and role in ("teacher", "admin") else _class_pages(role, own),
    ),
    # assignments and flipped lessons (issue 7): an assignment by id (own and others'): tests/web/test_assignment_pages.py
    (
        "GET",
        "/assignments/{assignment_id}",
        None,
        lambda role, own: 404 if role in ("teacher", "admin") else 403,
    ),
    (
        "POST",
        "/assignments/{assignment_id}/groups",
        None,
        lambda role, own: 404 if role in ("teacher", "admin") else 403,
    ),
    (
        "POST",
        "/assignments/{assignment_id}/rotation",
        None,
        lambda role, own: 404 if role in ("teacher", "admin") else 403,
    ),
    ("GET", "/classes/{class_id}/choices", "class", _class_pages),
    (
        "POST",
        "/content/{content_id}/progress",
        "content",
        lambda role, own: (303 if role == "learner" else 403) if own else 404,
    ),
    ("GET", "/learn/check/{assignment_id}", None, lambda role, own: 404 if role == "learner" else 403),
    ("POST", "/learn/check/{assignment_id}", None, lambda role, own: 404 if role == "learner" else 403),
    # the portfolio (issue 6): target "work" is a drawing the learner added; the matrix's form holds no work
    # (422) and no feedback (422); flows: tests/web/test_portfolio_pages.py. The removal comes last.
    ("GET", "/learners/{learner_id}/portfolio", "learner", _learner_pages),
    ("POST", "/learners/{learner_id}/portfolio", "learner", _work_writes(422)),
    ("GET", "/learners/{learner_id}/portfolio/export", "learner", _learner_pages),
    ("GET", "/portfolio/{work_id}/file", "work", _learner_pages),
    (
        "POST",
        "/portfolio/{work_id}/feedback",
        "work",
        lambda role, own: 403 if role in ("learner", "family") else (422 if own else 404),
    ),
    ("POST", "/portfolio/{work_id}/delete", "work", _work_writes(303)),
]
PUBLIC = {("GET", "/login"), ("POST", "/login"), ("POST", "/lang")}
SESSION_ONLY = {("POST", "/logout")}


def _api_routes(routes: list[Any], prefix: str = "") -> list[tuple[str, APIRoute]]:
    """Every APIRoute with its full path, also inside included routers (FastAPI may keep those lazily)."""
    out: list[tuple[str, APIRoute]] = []
    for route in routes:
        if isinstance(route, APIRoute):
            out.append((route.path if route.path.startswith(prefix) else prefix + route.path, route))
        elif (inner := getattr(route, "original_router", None)) is not None:
            out += _api_routes(inner.routes, prefix + inner.prefix)
    return out


def _page_routes(app: FastAPI) -> set[tuple[str, str]]:
    return {
        (m, path)
        for path, route in _api_routes(app.routes)
        if not path.startswith("/api/")
        for m in route.methods
    }


def test_every_page_route_is_in_the_matrix(app: FastAPI) -> None:
    covered = {(m, p) for m, p, _, _ in ROUTES} | PUBLIC | SESSION_ONLY
    assert _page_routes(app) == covered


@pytest.mark.parametrize("role", ROLES)
def test_page_by_role_and_owner(
    browser_for: Callable[[str], TestClient],
    school: TinySchool,
    role: str,
    web: object,
    ctx: ServiceContext,
) -> None:
    goal_ids = {}
    with ctx.unit() as s:  # one proposed goal per learner, drafted by the learner
        for name in ("learner1", "learner2", "learner3", "learner_other"):
            learner = Actor.of(s.get(User, school.ids[name]))  # type: ignore[arg-type]
            goal_ids[name] = plans.add_goal_in(s, learner, learner.user_id, skills=["ADD"])
    work_ids = {}  # one drawing per learner, added by the learner
    for name in ("learner1", "learner2", "learner3", "learner_other"):
        with ctx.unit() as s:
            learner = Actor.of(s.get(User, school.ids[name]))  # type: ignore[arg-type]
        work_ids[name] = portfolio.add_work(
            ctx, learner, learner.user_id, kind="file", title="Drawing", stream=io.BytesIO(DRAWING)
        ).id
    client = browser_for(ACTOR[role])
    own_page = client.get(f"/learners/{school.ids[OWN_LEARNER[role]]}")
    token = web.csrf_of(own_page.text)  # type: ignore[attr-defined]
    failures = []
    for method, template, target, expect in ROUTES:
        cases: list[tuple[str, bool]] = []
        if target == "learner":
            cases = [(OWN_LEARNER[role], True), *((n, False) for n in OTHER_LEARNERS[role])]
        elif target == "class":
            own_class = OWN_CLASS.get(role, "classA")
            cases = [(own_class, True), *((n, False) for n in OTHER_CLASSES.get(role, ["classOther"]))]
        elif target == "content":
            cases = [("C-ADD", True), ("C-OTHER", False)]
        elif target in ("goal", "work"):
            cases = [(OWN_LEARNER[role], True), *((n, False) for n in OTHER_LEARNERS[role])]
        else:
            cases = [("", True)]
        for name, own in cases:
            path = template.format(
                learner_id=school.ids.get(name, 0),
                class_id=school.ids.get(name, 0),
                item_id=school.ids["ADD-0"],
                media_id=0,
                content_id=school.ids.get(name, 0),
                attempt_id=0,
                plan_id=0,
                goal_id=goal_ids.get(name, 0),
                part_id=0,
                assignment_id=0,
                work_id=work_ids.get(name, 0),
            )
            item = str(school.ids["ADD-0"])
            if method == "POST":
                data = {
                    "item_id": item,
                    "response": "2",
                    "skill_code": "ADD",
                    "goal_skill": "MUL",
                    "goal_learner": str(school.ids[OWN_LEARNER[role]]),
                    "csrf_token": token,
                }
                got = client.post(path, data=data, follow_redirects=False).status_code
            else:
                params = {"item_id": item} if target == "item" else None
                got = client.get(path, params=params, follow_redirects=False).status_code
            want = expect(role, own)
            if got != want:
                failures.append(f"{role} {method} {path} ({name or '-'}, own={own}): got {got}, want {want}")
    assert not failures, "\n".join(failures)


def test_anonymous_visitors_are_sent_to_sign_in(client: TestClient, school: TinySchool) -> None:
    for method, template, _, _ in [*ROUTES, ("POST", "/logout", None, None)]:
        path = template.format(
            learner_id=school.ids["learner1"],
            class_id=school.ids["classA"],
            item_id=1,
            media_id=1,
            content_id=school.ids["C-ADD"],
            attempt_id=1,
            plan_id=1,
            goal_id=1,
            part_id=1,
            assignment_id=1,
            work_id=1,
        )
        if method == "POST":
            r = client.post(path, data={"item_id": "1", "response": "2"}, follow_redirects=False)
        else:
            r = client.get(path, params={"item_id": "1"}, follow_redirects=False)
        assert r.status_code == 303, (method, path)
        assert r.headers["location"].startswith("/login"), (method, path)


def test_every_page_route_is_documented(app: FastAPI) -> None:
    text = (Path(__file__).resolve().parents[2] / "docs" / "ui.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"`(GET|POST) (/[^`]*)`", text))
    assert _page_routes(app) - documented == set(), "add these pages to docs/ui.md"
