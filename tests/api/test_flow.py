"""The API end to end: sign in, get the next item, answer it, see mastery move."""

from __future__ import annotations

from fastapi.testclient import TestClient

from learnpath.testing.school import PASSWORD, TinySchool


def token(client: TestClient, username: str) -> dict[str, str]:
    r = client.post("/api/v1/auth/login", json={"username": username, "password": PASSWORD})
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


def test_learner_answers_next_item_and_mastery_rises(client: TestClient, school: TinySchool) -> None:
    me = school.ids["learner1"]
    h = token(client, "learner1")
    steps = client.get(f"/api/v1/learners/{me}/next", headers=h).json()
    (choice,) = steps["choices"]
    assert (choice["skill_code"], choice["kind"], choice["reason"]) == (
        "ADD",
        "ready",
        "You are ready for this",
    )
    assert steps["notice"] == "no_history" and steps["placement_offered"] is True
    r = client.post(f"/api/v1/learners/{me}/next", json={"skill_code": "ADD"}, headers=h)
    assert r.status_code == 201, r.text
    nxt = r.json()
    assert nxt["skill_code"] == "ADD"
    assert nxt["item"]["answer"] is None
    item_id = nxt["item"]["id"]
    teacher = token(client, "teacher1")
    answer = client.get(f"/api/v1/items/{item_id}", headers=teacher).json()["answer"]
    r = client.post(
        f"/api/v1/learners/{me}/attempts", json={"item_id": item_id, "response": answer}, headers=h
    )
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["correct"] is True
    (change,) = body["skills"]
    assert change["p_mastery_before"] is None
    assert change["skill"]["p_mastery"] > 0.25
    progress = client.get(f"/api/v1/learners/{me}", headers=teacher).json()
    assert progress["n_attempts"] == 1
    heat = client.get(f"/api/v1/classes/{school.ids['classA']}/mastery", headers=teacher).json()
    assert any(c["learner_id"] == me and c["n_attempts"] == 1 for c in heat["cells"])


def test_wrong_answer_is_recorded_as_wrong(client: TestClient, school: TinySchool) -> None:
    me = school.ids["learner2"]
    h = token(client, "learner2")
    item_id = school.ids["ADD-1"]
    r = client.post(f"/api/v1/learners/{me}/attempts", json={"item_id": item_id, "response": "99"}, headers=h)
    assert r.json()["correct"] is False
    assert r.json()["correct_answer"] == "3"


def test_bad_answer_input_gives_field_errors(client: TestClient, school: TinySchool) -> None:
    me = school.ids["learner1"]
    h = token(client, "learner1")
    r = client.post(f"/api/v1/learners/{me}/attempts", json={"item_id": "x", "response": 3}, headers=h)
    assert r.status_code == 422
    fields = {f["field"] for f in r.json()["error"]["fields"]}
    assert fields == {"item_id", "response"}
    r = client.post(f"/api/v1/learners/{me}/attempts", json={"item_id": 999999, "response": "3"}, headers=h)
    assert r.status_code == 404
    assert r.json()["error"]["code"] == "not_found"
    assert client.get(f"/api/v1/learners/{me}", headers=h).json()["n_attempts"] == 0
