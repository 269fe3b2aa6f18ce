"""Check-ins over the API (issue 6): hold one with decisions, read it back (private notes for staff only),
the prepared summary, the class's due list and rhythms, errors naming the bad fields, the family's digest
and email address."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient

from learnpath.testing.clock import FakeClock
from learnpath.testing.school import PASSWORD, TinySchool


def _login(client: TestClient, username: str) -> dict[str, str]:
    r = client.post("/api/v1/auth/login", json={"username": username, "password": PASSWORD})
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


def test_hold_read_and_list_checkins(client: TestClient, school: TinySchool, clock: FakeClock) -> None:
    teacher, family = _login(client, "teacher1"), _login(client, "family1")
    learner = school.ids["learner1"]
    today = clock().date()
    goal = client.post(
        f"/api/v1/learners/{learner}/goals",
        headers=teacher,
        json={
            "skills": ["SUB"],
            "title": "Taking away",
            "target_date": (today + timedelta(days=20)).isoformat(),
        },
    ).json()
    prepared = client.get(f"/api/v1/learners/{learner}/checkins/prepared", headers=teacher).json()
    assert prepared["rhythm"] == {"every_days": 14, "source": "default"}
    assert [g["id"] for g in prepared["goals"]] == [goal["id"]] and prepared["summary"]["first"]
    new_date = (today + timedelta(days=40)).isoformat()
    r = client.post(
        f"/api/v1/learners/{learner}/checkins",
        headers=teacher,
        json={
            "notes": "Well done.",
            "private_notes": "Staff only.",
            "decisions": [{"kind": "adjust_date", "goal_id": goal["id"], "target_date": new_date}],
        },
    )
    assert r.status_code == 201, r.text
    held = r.json()
    assert held["decisions"][0]["target_date"] == new_date and held["decisions"][0]["title"] == "Taking away"
    assert held["next_due_on"] == (today + timedelta(days=14)).isoformat()
    plan = client.get(f"/api/v1/learners/{learner}/plan", headers=family).json()
    assert plan["goals"][0]["target_date"] == new_date
    seen = client.get(f"/api/v1/learners/{learner}/checkins/{held['id']}", headers=family).json()
    assert seen["notes"] == "Well done." and seen["private_notes"] is None
    assert client.get(f"/api/v1/learners/{learner}/checkins", headers=teacher).json()["data"][0][
        "private_notes"
    ]
    # a check-in is found only under its own learner
    other = school.ids["learner2"]
    assert client.get(f"/api/v1/learners/{other}/checkins/{held['id']}", headers=teacher).status_code == 404


def test_bad_checkins_name_the_fields(client: TestClient, school: TinySchool, clock: FakeClock) -> None:
    teacher = _login(client, "teacher1")
    learner = school.ids["learner1"]
    r = client.post(
        f"/api/v1/learners/{learner}/checkins",
        headers=teacher,
        json={
            "decisions": [{"kind": "drop_goal", "goal_id": 999}],
            "next_due_on": clock().date().isoformat(),
        },
    )
    assert r.status_code == 422
    fields = {f["field"] for f in r.json()["error"]["fields"]}
    assert fields == {"decisions.0.goal_id", "next_due_on"}
    r = client.post(
        f"/api/v1/learners/{learner}/checkins", headers=teacher, json={"decisions": [{"kind": "x"}]}
    )
    assert r.status_code == 422 and r.json()["error"]["code"] == "validation_error"
    assert client.get(f"/api/v1/learners/{learner}/checkins", headers=teacher).json()["data"] == []


def test_due_list_and_rhythms(client: TestClient, school: TinySchool) -> None:
    teacher = _login(client, "teacher1")
    klass = school.ids["classA"]
    assert client.put(
        f"/api/v1/classes/{klass}/checkins/rhythm", headers=teacher, json={"every_days": 7}
    ).json() == {
        "every_days": 7,
        "source": "class",
    }
    assert (
        client.put(
            f"/api/v1/classes/{klass}/checkins/rhythm", headers=teacher, json={"every_days": 0}
        ).status_code
        == 422
    )
    learner = school.ids["learner2"]
    r = client.put(f"/api/v1/learners/{learner}/checkins/rhythm", headers=teacher, json={"every_days": 3})
    assert r.json() == {"every_days": 3, "source": "learner"}
    due = client.get(f"/api/v1/classes/{klass}/checkins/due", headers=teacher).json()
    assert due["every_days"] == 7 and due["rhythm_set"]
    assert {(d["learner_id"], d["status"], d["every_days"]) for d in due["data"]} == {
        (school.ids["learner1"], "never", 7),
        (learner, "never", 3),
    }


def test_family_digest_and_email(client: TestClient, school: TinySchool) -> None:
    family = _login(client, "family1")
    week = client.get("/api/v1/family/digest", headers=family).json()
    assert [c["name"] for c in week["children"]] == ["Learner1"] and not week["complete"]
    assert (
        client.get("/api/v1/family/digest?week=2026-08-01", headers=family).json()["week_start"]
        == "2026-07-27"
    )
    assert client.put("/api/v1/me/email", headers=family, json={"email": "p@example.org"}).json() == {
        "email": "p@example.org"
    }
    bad = client.put("/api/v1/me/email", headers=family, json={"email": "p at example"})
    assert bad.status_code == 422 and bad.json()["error"]["fields"][0]["field"] == "email"
    assert client.put("/api/v1/me/email", headers=family, json={"email": None}).json() == {"email": None}
