"""The next-steps API: choices with reasons in the caller's language, the pick, and clear errors."""

from __future__ import annotations

from fastapi.testclient import TestClient

from learnpath.testing.school import PASSWORD, TinySchool


def token(client: TestClient, username: str) -> dict[str, str]:
    r = client.post("/api/v1/auth/login", json={"username": username, "password": PASSWORD})
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


def test_choices_goals_and_picks(client: TestClient, school: TinySchool) -> None:
    me = school.ids["learner1"]
    h = token(client, "learner1")
    r = client.get(f"/api/v1/learners/{me}/next", params={"goal": "NOPE"}, headers=h)
    assert r.status_code == 404 and "NOPE" in r.json()["error"]["message"]
    aimed = client.get(f"/api/v1/learners/{me}/next", params={"goal": "MUL"}, headers=h).json()
    assert [c["skill_code"] for c in aimed["choices"]] == ["ADD"] and aimed["notice"] == "no_history"
    assert aimed["notice_text"] == "Welcome! Pick something to start with."
    bad = client.post(f"/api/v1/learners/{me}/next", json={"skill_code": ""}, headers=h)
    assert bad.status_code == 422
    extra = client.post(f"/api/v1/learners/{me}/next", json={"skill_code": "ADD", "x": 1}, headers=h)
    assert extra.status_code == 422
    missing = client.post(f"/api/v1/learners/{me}/next", json={"skill_code": "NOPE"}, headers=h)
    assert missing.status_code == 404
    teacher = token(client, "teacher1")
    seen = client.get(f"/api/v1/learners/{me}/next", headers=teacher).json()
    assert seen["choices"][0]["reason"] == "You are ready for this"
    assert (
        client.post(f"/api/v1/learners/{me}/next", json={"skill_code": "ADD"}, headers=teacher).status_code
        == 403
    )


def test_reasons_follow_the_callers_language(client: TestClient, school: TinySchool, ctx: object) -> None:
    from sqlalchemy import update

    from learnpath.service.context import ServiceContext
    from learnpath.storage.tables import User

    assert isinstance(ctx, ServiceContext)
    with ctx.unit() as s:
        s.execute(update(User).where(User.username == "learner1").values(locale="es"))
    me = school.ids["learner1"]
    body = client.get(f"/api/v1/learners/{me}/next", headers=token(client, "learner1")).json()
    assert body["choices"][0]["reason"] == "Ya puedes aprender esto"
    assert body["notice_text"] == "¡Hola! Elige algo para empezar."


def test_interests_read_write_and_steer_the_choices(
    client: TestClient, school: TinySchool, ctx: object
) -> None:
    from learnpath.service.assignments import tag_skills
    from learnpath.service.context import ServiceContext

    assert isinstance(ctx, ServiceContext)
    with ctx.unit() as s:
        tag_skills(s, {"ADD": ["space"]})
    me = school.ids["learner1"]
    h = token(client, "learner1")
    empty = client.get(f"/api/v1/learners/{me}/interests", headers=h).json()
    assert empty["interests"] == [] and {"tag": "space", "label": "space"} in empty["options"]
    put = client.put(
        f"/api/v1/learners/{me}/interests", json={"interests": ["space", " art", "space"]}, headers=h
    )
    assert put.status_code == 200 and put.json()["interests"] == ["art", "space"]
    # an unknown tag names itself and changes nothing
    bad = client.put(f"/api/v1/learners/{me}/interests", json={"interests": ["space", "dragons"]}, headers=h)
    assert bad.status_code == 422 and "dragons" in bad.text
    assert client.put(f"/api/v1/learners/{me}/interests", json={"tags": []}, headers=h).status_code == 422
    teacher = token(client, "teacher1")
    seen = client.get(f"/api/v1/learners/{me}/interests", headers=teacher).json()
    assert seen["interests"] == ["art", "space"]
    steps = client.get(f"/api/v1/learners/{me}/next", headers=teacher).json()["choices"]
    liked = [c for c in steps if c["kind"] == "interest"]
    assert [(c["skill_code"], c["interest"], c["reason"]) for c in liked] == [
        ("ADD", "space", "Because you like space")
    ]
    cleared = client.put(f"/api/v1/learners/{me}/interests", json={"interests": []}, headers=h).json()
    assert cleared["interests"] == []
    steps = client.get(f"/api/v1/learners/{me}/next", headers=h).json()["choices"]
    assert not any(c["kind"] == "interest" for c in steps)
