"""Every route x every role x own/other data: exactly the access the design promises.

A learner sees only themself; a family member only linked learners; a teacher only their classes; an admin
only their school. Others' data is 404 (not revealed); an action a role may never take is 403. Every route
of the app must appear in ROUTES, so a new route cannot skip this test.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from learnpath.testing.school import PASSWORD, TinySchool

ROLES = ("learner", "family", "teacher", "admin")
ACTOR = {"learner": "learner1", "family": "family1", "teacher": "teacher1", "admin": "admin"}
# Whose data counts as "own" and "other" for each role (names in the tiny school).
OWN_LEARNER = {
    "learner": "learner1",
    "family": "family1:learner1",
    "teacher": "learner1",
    "admin": "learner3",
}
OTHER_LEARNERS = {
    "learner": ["learner2", "learner3", "learner_other"],
    "family": ["learner2", "learner3", "learner_other"],
    "teacher": ["learner3", "learner_other"],
    "admin": ["learner_other"],
}
OWN_CLASS = {"teacher": "classA", "admin": "classB"}
OTHER_CLASSES = {"teacher": ["classB", "classOther"], "admin": ["classOther"]}

Expect = Callable[[str, bool], int]  # (role, own) -> status


def _all(ok: int) -> Expect:
    return lambda role, own: ok if own else 404


def _learner_writes(role: str, own: bool) -> int:
    if not own:
        return 404
    return 201 if role == "learner" else 403


def _class_reads(role: str, own: bool) -> int:
    if role in ("learner", "family"):
        return 403
    return 200 if own else 404


def _admin_only(role: str, own: bool) -> int:
    return 200 if role == "admin" else 403


def _everyone(role: str, own: bool) -> int:
    return 200


def _school_writes(ok: int) -> Expect:
    """Content: teachers and admins of the school write; learners and families may not (403); others' 404."""
    return lambda role, own: (ok if role in ("teacher", "admin") else 403) if own else 404


def _staff_learner_writes(role: str, own: bool) -> int:
    """Goals: the learner's teachers and admins set them (201); the learner and family may not (403)."""
    if not own:
        return 404
    return 201 if role in ("teacher", "admin") else 403


def _staff_only_unknown(role: str, own: bool) -> int:
    return 404 if role in ("teacher", "admin") else 403


# (method, path, target, expectation). target: "learner", "class", "item" or None.
ROUTES: list[tuple[str, str, str | None, Expect]] = [
    ("GET", "/api/v1/me", None, _everyone),
    ("GET", "/api/v1/learners", None, _everyone),
    ("GET", "/api/v1/learners/{learner_id}", "learner", _all(200)),
    ("GET", "/api/v1/learners/{learner_id}/next", "learner", _all(200)),
    ("POST", "/api/v1/learners/{learner_id}/next", "learner", _learner_writes),
    ("POST", "/api/v1/learners/{learner_id}/attempts", "learner", _learner_writes),
    ("GET", "/api/v1/classes", None, _everyone),
    ("GET", "/api/v1/classes/{class_id}/mastery", "class", _class_reads),
    ("GET", "/api/v1/skills", None, _everyone),
    ("GET", "/api/v1/items/{item_id}", "item", _everyone),
    ("GET", "/api/v1/school", None, _admin_only),
    ("GET", "/api/v1/school/models", None, _admin_only),
    ("GET", "/api/v1/content", None, _everyone),
    ("GET", "/api/v1/content/{content_id}", "content", _all(200)),
    ("POST", "/api/v1/content", None, _school_writes(201)),
    ("PATCH", "/api/v1/content/{content_id}", "content", _school_writes(200)),
    ("GET", "/api/v1/learners/{learner_id}/path", "learner", _all(200)),
    ("GET", "/api/v1/learners/{learner_id}/ready", "learner", _all(200)),
    ("GET", "/api/v1/learners/{learner_id}/goals", "learner", _all(200)),
    ("POST", "/api/v1/learners/{learner_id}/goals", "learner", _staff_learner_writes),
    ("GET", "/api/v1/classes/{class_id}/to-mark", "class", _class_reads),
    # an unknown answer: 404 for staff, 403 for roles that may never score (own/other: tests/api/test_scoring_api.py)
    ("POST", "/api/v1/attempts/{attempt_id}/score", None, _staff_only_unknown),
]
# Request bodies by route (other writes send an attempt).
BODIES: dict[tuple[str, str], dict[str, object]] = {
    ("POST", "/api/v1/content"): {
        "code": "NEW-1",
        "kind": "reading",
        "title": "New",
        "minutes": 5,
        "grade_band": "1-2",
        "skills": ["ADD"],
        "body": "Read me.",
    },
    ("PATCH", "/api/v1/content/{content_id}"): {"title": "Changed"},
    ("POST", "/api/v1/learners/{learner_id}/next"): {"skill_code": "ADD"},
    ("POST", "/api/v1/learners/{learner_id}/goals"): {"skills": ["MUL"], "title": "Times tables"},
    ("POST", "/api/v1/attempts/{attempt_id}/score"): {"points": 1},
}
PUBLIC = {("POST", "/api/v1/auth/login"), ("GET", "/api/v1/health")}
SESSION_ONLY = {("POST", "/api/v1/auth/logout")}


def _login(client: TestClient, username: str) -> dict[str, str]:
    r = client.post("/api/v1/auth/login", json={"username": username, "password": PASSWORD})
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


def _call(
    client: TestClient,
    method: str,
    path: str,
    headers: dict[str, str],
    school: TinySchool,
    template: str = "",
) -> int:
    body = {"item_id": school.ids["ADD-0"], "response": "2"} if method == "POST" else None
    body = BODIES.get((method, template), body)
    return client.request(method, path, headers=headers, json=body).status_code


def test_every_api_route_is_in_the_matrix(app: FastAPI) -> None:
    paths = app.openapi()["paths"]
    routes = {(method.upper(), path) for path, ops in paths.items() for method in ops}
    covered = {(m, p) for m, p, _, _ in ROUTES} | PUBLIC | SESSION_ONLY
    assert routes == covered


@pytest.mark.parametrize("role", ROLES)
def test_route_by_role_and_owner(client: TestClient, school: TinySchool, role: str) -> None:
    headers = _login(client, ACTOR[role])
    failures = []
    for method, template, target, expect in ROUTES:
        cases: list[tuple[str, bool]] = []
        if target == "learner":
            cases.append((OWN_LEARNER[role].split(":")[-1], True))
            cases += [(name, False) for name in OTHER_LEARNERS[role]]
        elif target == "class":
            cases.append((OWN_CLASS.get(role, "classA"), True))
            cases += [(name, False) for name in OTHER_CLASSES.get(role, ["classOther"])]
        elif target == "item":
            cases.append(("ADD-0", True))
        elif target == "content":
            cases += [("C-ADD", True), ("C-OTHER", False)]
        else:
            cases.append(("", True))
        for name, own in cases:
            path = template.format(
                learner_id=school.ids.get(name, 0),
                class_id=school.ids.get(name, 0),
                item_id=school.ids.get(name, 0),
                content_id=school.ids.get(name, 0),
                attempt_id=0,
            )
            got = _call(client, method, path, headers, school, template)
            want = expect(role, own)
            if got != want:
                failures.append(f"{role} {method} {path} ({name or '-'}, own={own}): got {got}, want {want}")
    assert not failures, "\n".join(failures)


def test_anonymous_gets_401_everywhere(client: TestClient, school: TinySchool) -> None:
    for method, template, _, _ in ROUTES:
        path = template.format(
            learner_id=school.ids["learner1"],
            class_id=school.ids["classA"],
            item_id=1,
            content_id=1,
            attempt_id=1,
        )
        r = client.request(method, path, json={} if method in ("POST", "PATCH") else None)
        assert r.status_code == 401, (method, path)
        assert r.json()["error"]["code"] == "unauthenticated"


def test_lists_hold_exactly_what_each_role_may_see(client: TestClient, school: TinySchool) -> None:
    ids = school.ids
    want = {
        "learner": {ids["learner1"]},
        "family": {ids["learner1"]},
        "teacher": {ids["learner1"], ids["learner2"]},
        "admin": {ids["learner1"], ids["learner2"], ids["learner3"]},
    }
    want_classes: dict[str, set[int]] = {
        "learner": set(),
        "family": set(),
        "teacher": {ids["classA"]},
        "admin": {ids["classA"], ids["classB"]},
    }
    for role in ROLES:
        h = _login(client, ACTOR[role])
        got = {x["id"] for x in client.get("/api/v1/learners", headers=h).json()["data"]}
        assert got == want[role], role
        got_classes = {x["id"] for x in client.get("/api/v1/classes", headers=h).json()["data"]}
        assert got_classes == want_classes[role], role


def test_answers_are_hidden_from_learners_and_families(client: TestClient, school: TinySchool) -> None:
    for role in ROLES:
        item = client.get(f"/api/v1/items/{school.ids['ADD-0']}", headers=_login(client, ACTOR[role])).json()
        assert (item["answer"] is not None) == (role in ("teacher", "admin")), role
