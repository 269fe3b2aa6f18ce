"""The path, ready-to-learn and goal routes: shapes, the flow a teacher and a learner go through, errors."""

from __future__ import annotations

from fastapi.testclient import TestClient

from learnpath.testing.school import PASSWORD, TinySchool


def _login(client: TestClient, username: str) -> dict[str, str]:
    r = client.post("/api/v1/auth/login", json={"username": username, "password": PASSWORD})
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


def test_teacher_sets_a_goal_and_the_learner_sees_the_path(client: TestClient, school: TinySchool) -> None:
    lid = school.ids["learner1"]
    teacher, learner = _login(client, "teacher1"), _login(client, "learner1")
    empty = client.get(f"/api/v1/learners/{lid}/path", headers=learner).json()
    assert empty["steps"] == [] and empty["goals"] == [] and empty["goals_from_plan"]
    r = client.post(
        f"/api/v1/learners/{lid}/goals",
        headers=teacher,
        json={"skills": ["MUL"], "target_date": "2099-06-30", "target_mastery": 0.9},
    )
    assert r.status_code == 201, r.text
    goal = r.json()
    assert goal["state"] == "proposed" and goal["skills"] == ["MUL"] and goal["target_date"] == "2099-06-30"
    assert goal["created_by"] == "Teacher1" and goal["kind"] == "skill"
    assert client.get(f"/api/v1/learners/{lid}/goals", headers=learner).json()["data"] == [goal]
    path = client.get(f"/api/v1/learners/{lid}/path", headers=learner).json()
    assert [(s["code"], s["goal"]) for s in path["steps"]] == [("ADD", False), ("MUL", True)]
    assert path["goals_from_plan"] and path["pace"]["source"] == "default"
    assert path["total_minutes"] > 0 and all(s["minutes"] > 0 for s in path["steps"])
    named = client.get(f"/api/v1/learners/{lid}/path?goal=SUB&goal=MUL", headers=teacher).json()
    assert [s["code"] for s in named["steps"]] == ["ADD", "SUB", "MUL"] and not named["goals_from_plan"]
    ready = client.get(f"/api/v1/learners/{lid}/ready", headers=learner).json()
    assert [s["code"] for s in ready["data"]] == ["ADD"]


def test_errors_name_what_is_wrong(client: TestClient, school: TinySchool) -> None:
    lid = school.ids["learner1"]
    teacher = _login(client, "teacher1")
    r = client.get(f"/api/v1/learners/{lid}/path?goal=NOPE", headers=teacher)
    assert r.status_code == 422 and r.json()["error"]["fields"] == [
        {"field": "goal", "message": "no skill 'NOPE'"}
    ]
    for body, field in (
        ({"skills": ["MUL", "ZZZ"]}, "skills"),
        ({"skills": []}, "skills"),
        ({"skills": ["MUL"], "kind": "quest"}, "kind"),
        ({"skills": ["MUL"], "kind": "interest"}, "skills"),
        ({"skills": ["MUL"], "target_mastery": 2}, "target_mastery"),
        ({"skills": ["MUL"], "colour": "red"}, "colour"),
    ):
        r = client.post(f"/api/v1/learners/{lid}/goals", headers=teacher, json=body)
        assert r.status_code == 422, body
        assert field in [f["field"] for f in r.json()["error"]["fields"]], r.json()
    assert client.get(f"/api/v1/learners/{lid}/goals", headers=teacher).json()["data"] == []
