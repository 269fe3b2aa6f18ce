"""The assignments API: give a flipped reading to a class, the learner's own list and the beacon, the check,
the before-class status with needs, choices and drift; an assignment by id for each role, own and others';
every bad input a 422 naming the field, in the one error shape."""

from __future__ import annotations

from fastapi.testclient import TestClient

from learnpath.testing.school import PASSWORD, TinySchool


def token(client: TestClient, username: str) -> dict[str, str]:
    r = client.post("/api/v1/auth/login", json={"username": username, "password": PASSWORD})
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


def test_a_flipped_reading_from_giving_to_the_before_class_status(
    client: TestClient, school: TinySchool
) -> None:
    ids = school.ids
    teacher, me = token(client, "teacher1"), token(client, "learner1")
    body = {"work": "flipped", "content_id": ids["C-ADD"], "due_at": "2099-01-31T12:00:00Z", "check_size": 2}
    r = client.post(f"/api/v1/classes/{ids['classA']}/assignments", json=body, headers=teacher)
    assert r.status_code == 201, r.text
    a = r.json()
    assert (a["work"], a["skill_code"], a["content_kind"], a["class_id"], len(a["check_item_ids"])) == (
        "flipped", "ADD", "reading", ids["classA"], 2,
    )  # fmt: skip
    listed = client.get(f"/api/v1/classes/{ids['classA']}/assignments", headers=teacher).json()["data"]
    assert [x["id"] for x in listed] == [a["id"]]

    mine = client.get(f"/api/v1/learners/{ids['learner1']}/assignments?open=true", headers=me).json()["data"]
    assert [(m["assignment"]["id"], m["status"]["state"], m["overdue"]) for m in mine] == [
        (a["id"], "not_watched", False)
    ]
    nxt = client.get(f"/api/v1/learners/{ids['learner1']}/next", headers=me).json()["choices"][0]
    assert (nxt["kind"], nxt["content_id"], nxt["reason"]) == (
        "must_do",
        ids["C-ADD"],
        "Read this before class",
    )

    seen = client.post(f"/api/v1/content/{ids['C-ADD']}/views", json={"event": "open"}, headers=me)
    assert seen.status_code == 201 and seen.json()["completed_at"] is not None  # a reading: opened is read
    answers = {str(i): "999" for i in a["check_item_ids"]}
    r = client.post(f"/api/v1/assignments/{a['id']}/check", json={"responses": answers}, headers=me)
    assert r.status_code == 201 and r.json() == {"right": 0, "size": 2, "passed": False}

    status = client.get(f"/api/v1/assignments/{a['id']}", headers=teacher).json()
    rows = {s["name"]: s for s in status["learners"]}
    assert rows["Learner1"]["state"] == "not_passed" and rows["Learner1"]["check_answered"] == 2
    assert rows["Learner2"]["state"] == "not_watched"
    assert status["counts"] == {"not_passed": 1, "not_watched": 1}
    assert status["needs"] == {str(ids["learner1"]): "reteach", str(ids["learner2"]): "reteach"}
    admin = client.get(f"/api/v1/assignments/{a['id']}", headers=token(client, "admin"))
    assert admin.status_code == 200
    for who, want in (("teacher2", 404), ("admin_other", 404), ("learner1", 403), ("family1", 403)):
        got = client.get(f"/api/v1/assignments/{a['id']}", headers=token(client, who))
        assert got.status_code == want, who
        assert got.json()["error"]["code"] in ("not_found", "forbidden")
    again = client.post(f"/api/v1/assignments/{a['id']}/check", json={"responses": answers}, headers=me)
    assert again.status_code == 422 and "already answered" in again.json()["error"]["message"]
    other = client.post(
        f"/api/v1/assignments/{a['id']}/check", json={"responses": answers}, headers=token(client, "learner3")
    )
    assert other.status_code == 404


def test_bad_input_is_named(client: TestClient, school: TinySchool) -> None:
    ids = school.ids
    teacher = token(client, "teacher1")
    url = f"/api/v1/classes/{ids['classA']}/assignments"
    r = client.post(url, json={"work": "flipped"}, headers=teacher)
    assert r.status_code == 422
    error = r.json()["error"]
    assert error["code"] == "validation_error" and [d["field"] for d in error["fields"]] == ["content_id"]
    r = client.post(url, json={"skill_code": "ADD", "learner_id": ids["learner3"]}, headers=teacher)
    assert r.status_code == 422 and "learner" in r.text
    r = client.post(url, json={"work": "homework", "skill_code": "ADD"}, headers=teacher)
    assert r.status_code == 422
    r = client.post(
        url,
        json={"work": "flipped", "content_id": ids["C-ADD"], "check_item_ids": [ids["ADD-0"], 0]},
        headers=teacher,
    )
    assert r.status_code == 422 and "no item with id 0" in r.text
    assert client.get(url, headers=teacher).json()["data"] == []
    me = token(client, "learner1")
    bad = client.post(
        f"/api/v1/content/{ids['C-ADD']}/views", json={"event": "open", "seconds": -1}, headers=me
    )
    assert bad.status_code == 422
    choices = client.get(f"/api/v1/classes/{ids['classA']}/choices?days=0", headers=teacher)
    assert choices.status_code == 422


def test_choices_and_drift(client: TestClient, school: TinySchool) -> None:
    ids = school.ids
    teacher, me = token(client, "teacher1"), token(client, "learner1")
    client.post(
        f"/api/v1/classes/{ids['classA']}/assignments",
        json={"skill_code": "SUB", "learner_id": ids["learner1"]},
        headers=teacher,
    )
    r = client.post(f"/api/v1/learners/{ids['learner1']}/next", json={"skill_code": "ADD"}, headers=me)
    assert r.status_code == 201
    rows = client.get(f"/api/v1/classes/{ids['classA']}/choices?days=30", headers=teacher).json()
    assert rows["days"] == 30
    one = next(x for x in rows["data"] if x["learner_id"] == ids["learner1"])
    assert (one["picks"], one["must_do_offered"], one["must_do_skipped"], one["drifted"]) == (1, 1, 1, True)
    assert one["open_must_do"] == 1 and one["overdue"] == 0
