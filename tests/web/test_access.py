"""Every web page x every role x own/other data, as in tests/api/test_access.py: the pages show exactly what
the service allows (others' data 404, a role that may never do it 403), and anonymous visitors are sent to
the sign-in page. Every page route must appear in ROUTES, so a new page cannot skip this test."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from learnpath.testing.school import TinySchool

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
    browser_for: Callable[[str], TestClient], school: TinySchool, role: str, web: object
) -> None:
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
