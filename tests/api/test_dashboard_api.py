"""GET /api/v1/classes/{id}/dashboard and its CSV: the shape, filters, errors in the one error shape."""

from __future__ import annotations

import csv
import io

from fastapi.testclient import TestClient

from learnpath.testing.school import PASSWORD, TinySchool


def _login(client: TestClient, username: str) -> dict[str, str]:
    r = client.post("/api/v1/auth/login", json={"username": username, "password": PASSWORD})
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


def _answer(client: TestClient, learner: str, item_id: int, response: str) -> None:
    r = client.get("/api/v1/me", headers=(h := _login(client, learner)))
    lid = r.json()["id"]
    r = client.post(
        f"/api/v1/learners/{lid}/attempts", headers=h, json={"item_id": item_id, "response": response}
    )
    assert r.status_code in (200, 201), r.text


def test_dashboard_json_with_alerts_heatmap_progress_and_items(
    client: TestClient, school: TinySchool
) -> None:
    for _ in range(3):
        _answer(client, "learner1", school.ids["SUB-0"], "42")
    teacher = _login(client, "teacher1")
    r = client.get(f"/api/v1/classes/{school.ids['classA']}/dashboard", headers=teacher)
    assert r.status_code == 200, r.text
    d = r.json()
    assert d["class"]["name"] == "Class A" and d["filters"] == {
        "skill": None,
        "goal": None,
        "group": None,
        "weeks": 8,
    }
    kinds = [(a["kind"], a["learner_name"], a["action"]) for a in d["alerts"]]
    assert kinds == [
        ("repeated_errors", "Learner1", "misconception"),
        ("inactive", "Learner2", "get_started"),
    ]
    assert d["alerts"][0]["details"]["answer"] == "42" and d["alerts"][0]["since"]
    assert d["rules"]["inactive_days"] == 7 and d["rules"]["wrong_streak"] == 3
    assert [s["code"] for s in d["skills"]] == ["ADD", "SUB"] and d["frontier"][0]["code"] == "ADD"
    assert {(c["skill_code"], c["n_attempts"]) for c in d["cells"]} >= {("SUB", 3)}
    assert len(d["progress"]) == 8 and d["progress"][-1]["mean_p"] is not None
    [item] = d["items"]
    assert (item["code"], item["n_attempts"], item["p_value"], item["wrong_answers"]) == (
        "SUB-0",
        3,
        0.0,
        [["42", 3]],
    )
    assert [o["value"] for o in d["skill_options"]] == ["ADD", "SUB", "MUL"]

    narrowed = client.get(
        f"/api/v1/classes/{school.ids['classA']}/dashboard?skill=MUL&weeks=2", headers=teacher
    )
    assert [s["code"] for s in narrowed.json()["skills"]] == ["ADD", "MUL"]
    assert narrowed.json()["items"] == [] and len(narrowed.json()["progress"]) == 2


def test_dashboard_csv_parts(client: TestClient, school: TinySchool) -> None:
    _answer(client, "learner1", school.ids["ADD-0"], "=1+1")
    teacher = _login(client, "teacher1")
    base = f"/api/v1/classes/{school.ids['classA']}/dashboard.csv"
    r = client.get(f"{base}?part=items", headers=teacher)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert 'filename="class-' in r.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert rows[0][0] == "item" and rows[1][0] == "ADD-0" and rows[1][-1] == "'=1+1 (1)"
    heat = list(csv.reader(io.StringIO(client.get(base, headers=teacher).content.decode("utf-8-sig"))))
    assert heat[0][:3] == ["learner_id", "learner", "ADD"] and len(heat) == 3


def test_dashboard_errors_use_the_one_error_shape(client: TestClient, school: TinySchool) -> None:
    teacher = _login(client, "teacher1")
    base = f"/api/v1/classes/{school.ids['classA']}/dashboard"
    r = client.get(f"{base}?skill=NOPE", headers=teacher)
    assert r.status_code == 422 and r.json()["error"]["fields"][0]["field"] == "skill"
    assert client.get(f"{base}?weeks=99", headers=teacher).status_code == 422
    assert client.get(f"{base}.csv?part=grades", headers=teacher).status_code == 422
    assert client.get(f"/api/v1/classes/{school.ids['classB']}/dashboard", headers=teacher).status_code == 404
