"""Every route x every role x own/other data: exactly the access the design promises.

A learner sees only themself; a family member only linked learners; a teacher only their classes; an admin
only their school. Others' data is 404 (not revealed); an action a role may never take is 403. Every route
of the app must appear in ROUTES, so a new route cannot skip this test.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from learnpath.service import plans, portfolio
from learnpath.service.access import Actor
from learnpath.storage.tables import User
from learnpath.testing.school import PASSWORD, TinySchool

DRAWING = (Path(__file__).resolve().parents[1] / "data" / "drawing.png").read_bytes()

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


def _learner_puts(role: str, own: bool) -> int:
    if not own:
        return 404
    return 200 if role == "learner" else 403


def _class_reads(role: str, own: bool) -> int:
    if role in ("learner", "family"):
        return 403
    return 200 if own else 404


def _class_writes(ok: int) -> Expect:
    """A class's teachers and its school's admins change it (``ok``); learners and families 403; others 404."""
    return lambda role, own: ok if _class_reads(role, own) == 200 else _class_reads(role, own)


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


def _goal_drafts(role: str, own: bool) -> int:
    """Plans (issue 6): the learner drafts their own goals, their teachers and admins too; families 403."""
    if not own:
        return 404
    return 403 if role == "family" else 201


def _goal_approvals(role: str, own: bool) -> int:
    """Teachers, admins and the learner's family approve; the learner may not (403); others' goals 404."""
    if not own:
        return 404
    return 403 if role == "learner" else 201


def _staff_learner_reads(role: str, own: bool) -> int:
    """Check-ins (issue 6): the prepared summary and rhythms are for the learner's teachers and admins."""
    if not own:
        return 404
    return 200 if role in ("teacher", "admin") else 403


def _family_only(role: str, own: bool) -> int:
    return 200 if role == "family" else 403


def _work_writes(ok: int) -> Expect:
    """Portfolio (issue 6): the learner, their teachers and admins add and remove work; families 403."""
    return lambda role, own: (403 if role == "family" else ok) if own else 404


def _work_feedback(role: str, own: bool) -> int:
    """Portfolio feedback: the learner's teachers and admins (201); learners and families may never (403)."""
    if role in ("learner", "family"):
        return 403
    return 201 if own else 404


def _staff_only_unknown(role: str, own: bool) -> int:
    return 404 if role in ("teacher", "admin") else 403


# (method, path, target, expectation). target: "learner", "class", "item" or None.
ROUTES: list[tuple[str, str, str | None, Expect]] = [
    ("GET", "/api/v1/me", None, _everyone),
    ("GET", "/api/v1/learners", None, _everyone),
    ("GET", "/api/v1/learners/{learner_id}", "learner", _all(200)),
    ("GET", "/api/v1/learners/{learner_id}/next", "learner", _all(200)),
    ("POST", "/api/v1/learners/{learner_id}/next", "learner", _learner_writes),
    ("GET", "/api/v1/learners/{learner_id}/interests", "learner", _all(200)),
    ("PUT", "/api/v1/learners/{learner_id}/interests", "learner", _learner_puts),
    ("POST", "/api/v1/learners/{learner_id}/attempts", "learner", _learner_writes),
    ("GET", "/api/v1/classes", None, _everyone),
    ("GET", "/api/v1/classes/{class_id}/mastery", "class", _class_reads),
    # the class dashboard (issue 7); filters and CSV parts: tests/api/test_dashboard_api.py
    ("GET", "/api/v1/classes/{class_id}/dashboard", "class", _class_reads),
    ("GET", "/api/v1/classes/{class_id}/dashboard.csv", "class", _class_reads),
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
    ("POST", "/api/v1/learners/{learner_id}/goals", "learner", _goal_drafts),
    # personal learning plans (issue 6): target "goal" is a proposed goal of the learner
    ("GET", "/api/v1/learners/{learner_id}/plan", "learner", _all(200)),
    ("POST", "/api/v1/goals/{goal_id}/approvals", "goal", _goal_approvals),
    ("POST", "/api/v1/goals/{goal_id}/comments", "goal", _all(201)),
    # a draft or proposed goal can be changed by whoever may draft (the matrix's goal is proposed)
    (
        "PATCH",
        "/api/v1/goals/{goal_id}",
        "goal",
        lambda role, own: (403 if role == "family" else 200) if own else 404,
    ),
    ("GET", "/api/v1/notifications", None, _everyone),
    ("POST", "/api/v1/notifications/read", None, _everyone),
    ("GET", "/api/v1/classes/{class_id}/to-mark", "class", _class_reads),
    # an unknown answer: 404 for staff, 403 for roles that may never score (own/other: tests/api/test_scoring_api.py)
    ("POST", "/api/v1/attempts/{attempt_id}/score", None, _staff_only_unknown),
    # station rotations (issue 7); a plan of another class: tests/api/test_rotations_api.py
    ("GET", "/api/v1/classes/{class_id}/stations", "class", _class_reads),
    ("PUT", "/api/v1/classes/{class_id}/stations", "class", _class_reads),
    ("GET", "/api/v1/classes/{class_id}/rotations", "class", _class_reads),
    ("POST", "/api/v1/classes/{class_id}/rotations", "class", _class_writes(201)),
    ("GET", "/api/v1/rotations/{rotation_id}", None, _staff_only_unknown),
    ("PATCH", "/api/v1/rotations/{rotation_id}", None, _staff_only_unknown),
    ("DELETE", "/api/v1/rotations/{rotation_id}", None, _staff_only_unknown),
    # check-ins and the family's weekly digest (issue 6); a held check-in by id: tests/api/test_checkins_api.py
    ("GET", "/api/v1/learners/{learner_id}/checkins", "learner", _all(200)),
    ("POST", "/api/v1/learners/{learner_id}/checkins", "learner", _staff_learner_writes),
    ("GET", "/api/v1/learners/{learner_id}/checkins/prepared", "learner", _staff_learner_reads),
    ("GET", "/api/v1/learners/{learner_id}/checkins/{checkin_id}", "learner", lambda role, own: 404),
    ("PUT", "/api/v1/learners/{learner_id}/checkins/rhythm", "learner", _staff_learner_reads),
    ("GET", "/api/v1/classes/{class_id}/checkins/due", "class", _class_reads),
    ("PUT", "/api/v1/classes/{class_id}/checkins/rhythm", "class", _class_reads),
    ("GET", "/api/v1/family/digest", None, _family_only),
    ("PUT", "/api/v1/me/email", None, _everyone),
    # assignments and flipped lessons (issue 7); an assignment by id, own and others': tests/api/test_assignments_api.py
    ("GET", "/api/v1/classes/{class_id}/assignments", "class", _class_reads),
    ("POST", "/api/v1/classes/{class_id}/assignments", "class", _class_writes(201)),
    ("GET", "/api/v1/assignments/{assignment_id}", None, _staff_only_unknown),
    (
        "POST",
        "/api/v1/assignments/{assignment_id}/check",
        None,
        lambda role, own: 404 if role == "learner" else 403,
    ),
    ("GET", "/api/v1/learners/{learner_id}/assignments", "learner", _all(200)),
    ("POST", "/api/v1/content/{content_id}/views", "content", _learner_writes),
    ("GET", "/api/v1/classes/{class_id}/choices", "class", _class_reads),
    # small groups, teams and pair rules (issue 7); flows and errors: tests/api/test_groups_api.py
    ("GET", "/api/v1/classes/{class_id}/groups", "class", _class_reads),
    ("PUT", "/api/v1/classes/{class_id}/groups", "class", _class_reads),
    ("POST", "/api/v1/classes/{class_id}/groups/suggest", "class", _class_reads),
    ("POST", "/api/v1/classes/{class_id}/teams/suggest", "class", _class_reads),
    ("GET", "/api/v1/classes/{class_id}/pair-rules", "class", _class_reads),
    ("PUT", "/api/v1/classes/{class_id}/pair-rules", "class", _class_reads),
    # the portfolio (issue 6): target "work" is a drawing the learner added; the removal comes last
    ("GET", "/api/v1/learners/{learner_id}/portfolio", "learner", _all(200)),
    ("POST", "/api/v1/learners/{learner_id}/portfolio", "learner", _work_writes(201)),
    ("GET", "/api/v1/learners/{learner_id}/portfolio/export", "learner", _all(200)),
    ("GET", "/api/v1/portfolio/{work_id}/file", "work", _all(200)),
    ("POST", "/api/v1/portfolio/{work_id}/feedback", "work", _work_feedback),
    ("DELETE", "/api/v1/portfolio/{work_id}", "work", _work_writes(204)),
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
    ("PUT", "/api/v1/learners/{learner_id}/interests"): {"interests": ["space"]},
    ("POST", "/api/v1/learners/{learner_id}/goals"): {"skills": ["MUL"], "title": "Times tables"},
    ("POST", "/api/v1/attempts/{attempt_id}/score"): {"points": 1},
    ("POST", "/api/v1/goals/{goal_id}/approvals"): {"decision": "approve", "comment": "Yes"},
    ("POST", "/api/v1/goals/{goal_id}/comments"): {"comment": "Nice"},
    ("PATCH", "/api/v1/goals/{goal_id}"): {"title": "Changed"},
    ("POST", "/api/v1/learners/{learner_id}/portfolio"): {"kind": "text", "title": "Matrix", "body": "b"},
    ("POST", "/api/v1/portfolio/{work_id}/feedback"): {"comment": "Nice"},
    ("POST", "/api/v1/notifications/read"): {},
    ("PUT", "/api/v1/classes/{class_id}/stations"): {
        "stations": [{"name": "Practice", "modality": "practice", "capacity": 5, "minutes": 15}]
    },
    ("POST", "/api/v1/classes/{class_id}/rotations"): {
        "period_minutes": 15,
        "stations": [{"name": "Practice", "modality": "practice", "capacity": 5, "minutes": 15}],
    },
    ("PATCH", "/api/v1/rotations/{rotation_id}"): {"moves": []},
    ("POST", "/api/v1/learners/{learner_id}/checkins"): {"notes": "Matrix check-in"},
    ("PUT", "/api/v1/learners/{learner_id}/checkins/rhythm"): {"every_days": 7},
    ("PUT", "/api/v1/classes/{class_id}/checkins/rhythm"): {"every_days": 14},
    ("PUT", "/api/v1/me/email"): {"email": "someone@example.org"},
    ("POST", "/api/v1/classes/{class_id}/assignments"): {"skill_code": "ADD"},
    ("POST", "/api/v1/assignments/{assignment_id}/check"): {"responses": {"1": "2"}},
    ("POST", "/api/v1/content/{content_id}/views"): {"event": "open"},
    ("PUT", "/api/v1/classes/{class_id}/groups"): {"groups": []},
    ("POST", "/api/v1/classes/{class_id}/groups/suggest"): {"size": 2},
    ("POST", "/api/v1/classes/{class_id}/teams/suggest"): {"size": 2, "skills": ["ADD"], "time_limit_s": 0.2},
    ("PUT", "/api/v1/classes/{class_id}/pair-rules"): {"rules": []},
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


def _proposed_goals(client: TestClient, school: TinySchool) -> dict[str, int]:
    """One goal each learner drafted and proposed (no approvals yet), by learner name."""
    ctx = client.app.state.ctx  # type: ignore[attr-defined]
    out = {}
    with ctx.unit() as s:
        for name in ("learner1", "learner2", "learner3", "learner_other"):
            learner = Actor.of(s.get(User, school.ids[name]))
            out[name] = plans.add_goal_in(s, learner, learner.user_id, skills=["ADD"])
    return out


def _portfolio_work(client: TestClient, school: TinySchool) -> dict[str, int]:
    """One drawing each learner added to their portfolio, by learner name."""
    ctx = client.app.state.ctx  # type: ignore[attr-defined]
    out = {}
    for name in ("learner1", "learner2", "learner3", "learner_other"):
        with ctx.unit() as s:
            learner = Actor.of(s.get(User, school.ids[name]))
        work = portfolio.add_work(
            ctx, learner, learner.user_id, kind="file", title="Drawing", stream=io.BytesIO(DRAWING)
        )
        out[name] = work.id
    return out


@pytest.mark.parametrize("role", ROLES)
def test_route_by_role_and_owner(client: TestClient, school: TinySchool, role: str) -> None:
    headers = _login(client, ACTOR[role])
    goal_ids = _proposed_goals(client, school)
    work_ids = _portfolio_work(client, school)
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
        elif target in ("goal", "work"):
            cases.append((OWN_LEARNER[role].split(":")[-1], True))
            cases += [(name, False) for name in OTHER_LEARNERS[role]]
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
                rotation_id=0,
                assignment_id=0,
                checkin_id=0,
                goal_id=goal_ids.get(name, 0),
                work_id=work_ids.get(name, 0),
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
            rotation_id=1,
            assignment_id=1,
            checkin_id=1,
            goal_id=1,
            work_id=1,
        )
        r = client.request(method, path, json={} if method in ("POST", "PATCH", "PUT") else None)
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
