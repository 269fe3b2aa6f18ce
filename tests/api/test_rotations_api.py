"""Station rotations over the API: stations, a planned rotation, hand moves, errors that name the field, and a
plan seen only by the class's teachers and its school's admins."""

from __future__ import annotations

from fastapi.testclient import TestClient

from learnpath.testing.school import PASSWORD, TinySchool

STATIONS = [
    {
        "name": "Teacher table",
        "modality": "teacher",
        "capacity": 1,
        "minutes": 10,
        "notes": "Fraction strips",
    },
    {"name": "Practice", "modality": "practice", "capacity": 2, "minutes": 10},
    {"name": "Hands-on", "modality": "hands_on", "capacity": 2, "minutes": 20},
]


def _login(client: TestClient, username: str) -> dict[str, str]:
    r = client.post("/api/v1/auth/login", json={"username": username, "password": PASSWORD})
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


def test_plan_read_and_adjust_a_rotation(client: TestClient, school: TinySchool) -> None:
    h, cid = _login(client, "teacher1"), school.ids["classA"]
    r = client.put(f"/api/v1/classes/{cid}/stations", headers=h, json={"stations": STATIONS})
    assert r.status_code == 200, r.text
    assert [s["number"] for s in r.json()["data"]] == [1, 2, 3]
    assert (
        client.get(f"/api/v1/classes/{cid}/stations", headers=h).json()["data"][0]["notes"]
        == "Fraction strips"
    )
    r = client.post(
        f"/api/v1/classes/{cid}/rotations",
        headers=h,
        json={"period_minutes": 40, "title": "Fractions", "needs": {str(school.ids["learner1"]): "reteach"}},
    )
    assert r.status_code == 201, r.text
    plan = r.json()
    assert r.headers["location"] == f"/api/v1/rotations/{plan['id']}"
    assert (plan["slot_minutes"], len(plan["slots"]), plan["status"], plan["gap"]) == (10, 4, "optimal", 0.0)
    assert plan["slots"][-1] == {"number": 4, "start_minute": 30, "end_minute": 40}
    rows = {p["learner_id"]: p for p in plan["learners"]}
    assert set(rows) == {school.ids["learner1"], school.ids["learner2"]}
    one = rows[school.ids["learner1"]]
    assert one["need"] == "reteach" and one["reason"]["overridden"] and 1 in one["stations"]
    assert all(p["stations"].count(3) == 2 for p in plan["learners"])  # 20 minutes = 2 slots
    assert plan["violations"] == []
    assert client.get(f"/api/v1/rotations/{plan['id']}", headers=h).json()["learners"] == plan["learners"]
    listed = client.get(f"/api/v1/classes/{cid}/rotations", headers=h).json()["data"]
    assert [(x["id"], x["n_learners"], x["n_stations"]) for x in listed] == [(plan["id"], 2, 3)]

    # both learners to the teacher table (1 seat) in the slot learner1 holds it: a capacity violation
    slot = one["stations"].index(1) + 1
    two = school.ids["learner2"]
    r = client.patch(
        f"/api/v1/rotations/{plan['id']}",
        headers=h,
        json={"moves": [{"learner_id": two, "slot": slot, "station": 1}]},
    )
    assert r.status_code == 200, r.text
    moved = r.json()
    assert moved["status"] == "adjusted"
    capacity = [v for v in moved["violations"] if v["kind"] == "capacity"]
    assert capacity and capacity[0]["slot"] == slot and capacity[0]["station"] == 1
    assert "Teacher table" in capacity[0]["message"]
    r = client.patch(f"/api/v1/rotations/{plan['id']}", headers=h, json={"reoptimise": True})
    assert r.status_code == 200, r.text
    replanned = r.json()
    assert not [v for v in replanned["violations"] if v["hard"]]
    row = next(p for p in replanned["learners"] if p["learner_id"] == two)
    assert row["stations"][slot - 1] == 1 and row["fixed_slots"] == [slot]
    r = client.patch(f"/api/v1/rotations/{plan['id']}", headers=h, json={"needs": {str(two): "enrich"}})
    assert r.status_code == 200, r.text
    row = next(p for p in r.json()["learners"] if p["learner_id"] == two)
    assert row["need"] == "enrich" and row["reason"]["overridden"] and row["fixed_slots"] == [slot]
    r = client.patch(f"/api/v1/rotations/{plan['id']}", headers=h, json={"needs": {str(two): "nap"}})
    assert r.status_code == 422 and r.json()["error"]["fields"][0]["field"] == f"needs.{two}"


def test_errors_name_the_field_and_nothing_is_saved(client: TestClient, school: TinySchool) -> None:
    h, cid = _login(client, "teacher1"), school.ids["classA"]
    bad = [{"name": "A", "modality": "juggling", "capacity": 0, "minutes": 10}]
    r = client.put(f"/api/v1/classes/{cid}/stations", headers=h, json={"stations": bad})
    assert r.status_code == 422
    fields = {f["field"] for f in r.json()["error"]["fields"]}
    assert fields == {"stations[0].modality", "stations[0].capacity"}
    assert client.get(f"/api/v1/classes/{cid}/stations", headers=h).json()["data"] == []
    r = client.post(f"/api/v1/classes/{cid}/rotations", headers=h, json={"period_minutes": 40})
    assert r.status_code == 422 and r.json()["error"]["fields"][0]["field"] == "stations"
    one_seat = [{"name": "A", "modality": "practice", "capacity": 1, "minutes": 10}]
    r = client.post(
        f"/api/v1/classes/{cid}/rotations", headers=h, json={"period_minutes": 10, "stations": one_seat}
    )
    assert r.status_code == 422 and "seat 1 learners at a time, but 2" in r.json()["error"]["message"]
    r = client.post(
        f"/api/v1/classes/{cid}/rotations",
        headers=h,
        json={"period_minutes": 20, "stations": STATIONS[:2], "learner_ids": [school.ids["learner3"]]},
    )
    assert r.status_code == 422 and r.json()["error"]["fields"][0]["field"] == "learner_ids"
    assert client.get(f"/api/v1/classes/{cid}/rotations", headers=h).json()["data"] == []
    r = client.post(
        f"/api/v1/classes/{cid}/rotations", headers=h, json={"period_minutes": 20, "stations": STATIONS[:2]}
    )
    plan = r.json()
    r = client.patch(
        f"/api/v1/rotations/{plan['id']}",
        headers=h,
        json={"moves": [{"learner_id": school.ids["learner1"], "slot": 0, "station": 5}]},
    )
    assert r.status_code == 422
    assert {f["field"] for f in r.json()["error"]["fields"]} == {"moves[0].slot", "moves[0].station"}
    assert client.get(f"/api/v1/rotations/{plan['id']}", headers=h).json()["learners"] == plan["learners"]


def test_a_plan_is_seen_by_its_class_staff_only(client: TestClient, school: TinySchool) -> None:
    h, cid = _login(client, "teacher1"), school.ids["classA"]
    plan = client.post(
        f"/api/v1/classes/{cid}/rotations", headers=h, json={"period_minutes": 20, "stations": STATIONS[:2]}
    ).json()
    path = f"/api/v1/rotations/{plan['id']}"
    want = {
        "teacher1": 200,
        "admin": 200,
        "teacher2": 404,
        "admin_other": 404,
        "learner1": 403,
        "family1": 403,
    }
    for name, status in want.items():
        headers = _login(client, name)
        assert client.get(path, headers=headers).status_code == status, name
        assert client.patch(path, headers=headers, json={"moves": []}).status_code == status, name


def test_deleting_a_plan_by_its_class_staff_only(client: TestClient, school: TinySchool) -> None:
    h, cid = _login(client, "teacher1"), school.ids["classA"]
    client.put(f"/api/v1/classes/{cid}/stations", headers=h, json={"stations": STATIONS[:2]})
    keep, gone = (
        client.post(
            f"/api/v1/classes/{cid}/rotations", headers=h, json={"period_minutes": 20, "title": title}
        ).json()["id"]
        for title in ("Keep", "Gone")
    )
    path = f"/api/v1/rotations/{gone}"
    for name, status in {"teacher2": 404, "admin_other": 404, "learner1": 403, "family1": 403}.items():
        assert client.delete(path, headers=_login(client, name)).status_code == status, name
    assert client.get(path, headers=h).status_code == 200  # refused deletes changed nothing
    r = client.delete(path, headers=h)
    assert r.status_code == 204 and r.content == b""
    assert client.get(path, headers=h).status_code == 404
    assert client.patch(path, headers=h, json={"moves": []}).status_code == 404
    assert client.delete(path, headers=h).json()["error"]["code"] == "not_found"
    listed = client.get(f"/api/v1/classes/{cid}/rotations", headers=h).json()["data"]
    assert [x["title"] for x in listed] == ["Keep"]
    assert len(client.get(f"/api/v1/classes/{cid}/stations", headers=h).json()["data"]) == 2
    # the school's admin may delete too
    assert client.delete(f"/api/v1/rotations/{keep}", headers=_login(client, "admin")).status_code == 204
    assert client.get(f"/api/v1/classes/{cid}/rotations", headers=h).json()["data"] == []
