"""Groups, teams and pair rules over the JSON API: suggest, save, read back, errors in the one shape."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from learnpath.service.context import ServiceContext
from learnpath.storage.tables import MasteryRow, SkillRow
from learnpath.testing.school import PASSWORD, TinySchool


def _login(client: TestClient, username: str) -> dict[str, str]:
    r = client.post("/api/v1/auth/login", json={"username": username, "password": PASSWORD})
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


@pytest.fixture
def seeded(ctx: ServiceContext, school: TinySchool) -> TinySchool:
    at = ctx.clock() - timedelta(days=1)
    with ctx.unit() as s:
        add = s.scalars(select(SkillRow).where(SkillRow.code == "ADD")).one()
        for who, p in (("learner1", 0.99), ("learner2", 0.2)):
            s.add(MasteryRow(learner_id=school.ids[who], skill_id=add.id, p_mastery=p, low=p - 0.1, high=min(1, p + 0.1),
                             n_attempts=5, n_correct=3, recent_wrong=0, last_attempt_at=at))  # fmt: skip
    return school


def test_suggest_save_and_read_back(client: TestClient, seeded: TinySchool) -> None:
    h = _login(client, "teacher1")
    cid = seeded.ids["classA"]
    r = client.post(f"/api/v1/classes/{cid}/groups/suggest", json={"size": 1}, headers=h)
    assert r.status_code == 200, r.text
    groups = r.json()["data"]
    assert sorted(i for g in groups for i in g["learner_ids"]) == [
        seeded.ids["learner1"],
        seeded.ids["learner2"],
    ]
    assert all(g["reason"] and g["reason_kind"] for g in groups)
    body = {
        "groups": [
            {"name": g["name"], "learner_ids": g["learner_ids"], "details": g["details"]} for g in groups
        ]
    }
    saved = client.put(f"/api/v1/classes/{cid}/groups", json=body, headers=h)
    assert saved.status_code == 200, saved.text
    listed = client.get(f"/api/v1/classes/{cid}/groups", params={"kind": "group"}, headers=h).json()["data"]
    assert [g["name"] for g in listed] == sorted(g["name"] for g in groups)
    assert all(g["reason"] for g in listed), "the suggestion's reason, worded for the reader"
    es = client.get(f"/api/v1/classes/{cid}/groups", headers={**h, "Accept-Language": "es"})
    assert es.status_code == 200


def test_teams_and_pair_rules(client: TestClient, seeded: TinySchool) -> None:
    h = _login(client, "teacher1")
    cid = seeded.ids["classA"]
    a, b = seeded.ids["learner1"], seeded.ids["learner2"]
    rules = client.put(f"/api/v1/classes/{cid}/pair-rules", json={"rules": [{"learner_a": b, "learner_b": a, "rule": "apart"}]}, headers=h)  # fmt: skip
    assert rules.json() == {"data": [{"learner_a": min(a, b), "learner_b": max(a, b), "rule": "apart"}]}
    assert client.get(f"/api/v1/classes/{cid}/pair-rules", headers=h).json() == rules.json()
    r = client.post(f"/api/v1/classes/{cid}/teams/suggest", json={"size": 2, "skills": ["ADD"]}, headers=h)
    assert r.status_code == 200, r.text
    out = r.json()
    assert out["status"] in ("optimal", "feasible") and len(out["teams"]) == 2, "kept apart: two teams"
    assert out["skills"] == [{"code": "ADD", "name": "Adding"}]
    teams = [{"name": t["name"], "learner_ids": t["learner_ids"]} for t in out["teams"]]
    saved = client.put(f"/api/v1/classes/{cid}/groups", json={"kind": "team", "groups": teams, "skills": ["ADD"]}, headers=h)  # fmt: skip
    roles = {m["learner_id"]: m["role"] for t in saved.json()["data"] for m in t["members"]}
    assert roles == {a: "expert:ADD", b: ""}, "apart: nobody to learn from in learner2's team"


def test_errors_have_the_one_shape(client: TestClient, seeded: TinySchool) -> None:
    h = _login(client, "teacher1")
    cid = seeded.ids["classA"]
    a = seeded.ids["learner1"]
    bad = client.put(f"/api/v1/classes/{cid}/groups", json={"groups": [{"name": "X", "learner_ids": [a]}, {"name": "x", "learner_ids": [a]}]}, headers=h)  # fmt: skip
    assert bad.status_code == 422
    err = bad.json()["error"]
    assert err["code"] == "validation_error" and {f["field"] for f in err["fields"]} == {
        "groups[1].name",
        "groups[1].learner_ids",
    }
    r = client.put(f"/api/v1/classes/{cid}/pair-rules", json={"rules": [{"learner_a": a, "learner_b": a, "rule": "apart"}]}, headers=h)  # fmt: skip
    assert r.status_code == 422 and r.json()["error"]["fields"][0]["field"] == "rules[0].learner_b"
    r = client.post(f"/api/v1/classes/{cid}/groups/suggest", json={"size": 0}, headers=h)
    assert r.status_code == 422 and r.json()["error"]["fields"][0]["field"] == "size"
    r = client.post(f"/api/v1/classes/{cid}/teams/suggest", json={"size": 2, "skills": ["NOPE"]}, headers=h)
    assert r.status_code == 422 and "NOPE" in r.json()["error"]["fields"][0]["message"]
    r = client.put(f"/api/v1/classes/{cid}/groups", json={"groups": [{"id": 999, "name": "X", "learner_ids": [a]}]}, headers=h)  # fmt: skip
    assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"
