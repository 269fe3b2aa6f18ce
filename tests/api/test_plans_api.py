"""The plan API (issue 6): drafting by the learner, approvals and change requests, comments, the plan with
forecasts, notifications and marking them read; every error in the one error shape."""

from __future__ import annotations

from fastapi.testclient import TestClient

from learnpath.testing.school import PASSWORD, TinySchool


def _login(client: TestClient, username: str) -> dict[str, str]:
    r = client.post("/api/v1/auth/login", json={"username": username, "password": PASSWORD})
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


def test_goal_agreed_three_ways_over_the_api(client: TestClient, school: TinySchool) -> None:
    lid = school.ids["learner1"]
    learner, teacher, family = (_login(client, n) for n in ("learner1", "teacher1", "family1"))
    r = client.post(
        f"/api/v1/learners/{lid}/goals",
        headers=learner,
        json={"skills": ["MUL"], "title": "Times tables", "target_date": "2099-01-01"},
    )
    assert r.status_code == 201, r.text
    goal = r.json()
    assert goal["state"] == "proposed" and goal["created_by"] == "Learner1"
    plan = client.get(f"/api/v1/learners/{lid}/plan", headers=family).json()
    [g] = plan["goals"]
    assert g["pending"] == ["teacher", "family"] and g["level"] is None and g["skills"] == ["MUL"]
    assert g["forecast"] == {"date": None, "low": None, "high": None, "status": "unknown"}
    assert 0.0 <= g["progress"] <= 1.0
    notes = client.get("/api/v1/notifications", headers=teacher).json()
    assert notes["unread"] == 1 and notes["data"][0]["kind"] == "goal_proposed"
    assert notes["data"][0]["params"]["goal"] == "Times tables" and notes["data"][0]["actor"] == "Learner1"
    r = client.post(f"/api/v1/goals/{goal['id']}/approvals", headers=teacher, json={"decision": "approve"})
    assert r.status_code == 201 and r.json() == {"id": goal["id"], "state": "proposed"}
    r = client.post(f"/api/v1/goals/{goal['id']}/approvals", headers=family, json={"decision": "approve"})
    assert r.json()["state"] == "agreed"
    r = client.post(f"/api/v1/goals/{goal['id']}/comments", headers=family, json={"comment": "Well done"})
    assert r.status_code == 201
    kinds = [n["kind"] for n in client.get("/api/v1/notifications", headers=learner).json()["data"]]
    assert kinds == ["goal_comment", "goal_agreed", "goal_approved"]
    r = client.post("/api/v1/notifications/read", headers=learner, json={})
    assert r.json() == {"marked": 3}
    assert client.get("/api/v1/notifications?unread_only=true", headers=learner).json() == {
        "unread": 0,
        "data": [],
    }


def test_plan_api_errors(client: TestClient, school: TinySchool) -> None:
    lid = school.ids["learner1"]
    learner, teacher = _login(client, "learner1"), _login(client, "teacher1")
    r = client.post(f"/api/v1/learners/{lid}/goals", headers=learner, json={"kind": "interest", "title": ""})
    assert r.status_code == 422 and [f["field"] for f in r.json()["error"]["fields"]] == ["title"]
    r = client.post(
        f"/api/v1/learners/{lid}/goals",
        headers=learner,
        json={"kind": "interest", "title": "Plumbing", "rubric": [{"text": "Sources", "max_points": 11}]},
    )
    assert r.status_code == 422 and "rubric" in r.json()["error"]["fields"][0]["field"]
    gid = client.post(
        f"/api/v1/learners/{lid}/goals",
        headers=learner,
        json={"kind": "interest", "title": "Plumbing", "milestones": ["Read"], "checklist": ["Poster"]},
    ).json()["id"]
    r = client.post(f"/api/v1/goals/{gid}/approvals", headers=teacher, json={"decision": "request_change"})
    assert r.status_code == 422 and r.json()["error"]["fields"] == [
        {"field": "comment", "message": "say what should change"}
    ]
    r = client.post(f"/api/v1/goals/{gid}/approvals", headers=teacher, json={"decision": "maybe"})
    assert r.status_code == 422
    assert (
        client.post(f"/api/v1/goals/{gid}/comments", headers=teacher, json={"comment": ""}).status_code == 422
    )
    r = client.post("/api/v1/notifications/read", headers=teacher, json={"ids": [999999]})
    assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"
    assert client.get("/api/v1/notifications?limit=0", headers=teacher).status_code == 422


def test_patch_changes_the_skills_of_a_proposed_goal(client: TestClient, school: TinySchool) -> None:
    lid = school.ids["learner1"]
    learner, teacher, family = (_login(client, n) for n in ("learner1", "teacher1", "family1"))
    gid = client.post(f"/api/v1/learners/{lid}/goals", headers=learner, json={"skills": ["ADD"]}).json()["id"]
    client.post(f"/api/v1/goals/{gid}/approvals", headers=teacher, json={"decision": "approve"})
    r = client.patch(f"/api/v1/goals/{gid}", headers=learner, json={"skills": ["SUB", "NOPE"]})
    assert r.status_code == 422 and r.json()["error"]["fields"] == [
        {"field": "skills", "message": "no skill with code 'NOPE'"}
    ]
    assert client.patch(f"/api/v1/goals/{gid}", headers=family, json={"skills": ["SUB"]}).status_code == 403
    r = client.patch(
        f"/api/v1/goals/{gid}", headers=learner, json={"skills": ["SUB", "MUL"], "propose": False}
    )
    assert r.status_code == 200 and r.json() == {"id": gid, "state": "draft"}
    [g] = client.get(f"/api/v1/learners/{lid}/plan", headers=family).json()["goals"]
    assert (g["skills"], g["title"], g["state"]) == (["SUB", "MUL"], "Taking away, Times tables", "draft")
    r = client.patch(f"/api/v1/goals/{gid}", headers=learner, json={"target_date": "2099-02-01"})
    assert r.json()["state"] == "proposed"
    [g] = client.get(f"/api/v1/learners/{lid}/plan", headers=family).json()["goals"]
    assert g["pending"] == ["teacher", "family"] and g["target_date"] == "2099-02-01"  # the old yes lapsed
