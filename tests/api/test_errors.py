"""One JSON error shape for every error path of the API."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient

from learnpath.testing.clock import FakeClock
from learnpath.testing.school import PASSWORD, TinySchool


def assert_error(body: dict[str, Any], status: int, code: str) -> None:
    assert set(body) == {"error"}
    err = body["error"]
    assert set(err) == {"code", "status", "message", "fields"}
    assert err["status"] == status
    assert err["code"] == code
    assert isinstance(err["message"], str) and err["message"]
    assert all(set(f) == {"field", "message"} for f in err["fields"])


def login(client: TestClient, username: str) -> dict[str, str]:
    r = client.post("/api/v1/auth/login", json={"username": username, "password": PASSWORD})
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


def test_error_shapes(client: TestClient, school: TinySchool) -> None:
    h = login(client, "learner1")
    me = school.ids["learner1"]
    cases = [
        (client.get("/api/v1/me"), 401, "unauthenticated"),
        (client.get("/api/v1/me", headers={"Authorization": "Bearer nope"}), 401, "unauthenticated"),
        (client.get("/api/v1/school", headers=h), 403, "forbidden"),
        (client.get("/api/v1/learners/999999", headers=h), 404, "not_found"),
        (client.get("/api/v1/learners/abc", headers=h), 422, "validation_error"),
        (client.get("/api/v1/no-such-route", headers=h), 404, "not_found"),
        (client.delete("/api/v1/me", headers=h), 405, "method_not_allowed"),
        (
            client.post(f"/api/v1/learners/{me}/attempts", headers=h, content=b"{not json"),
            422,
            "validation_error",
        ),
        (
            client.post(f"/api/v1/learners/{me}/attempts", headers=h, json={"item_id": 1, "response": " "}),
            422,
            "validation_error",
        ),
        (
            client.post("/api/v1/auth/login", json={"username": "x", "password": "y", "extra": 1}),
            422,
            "validation_error",
        ),
    ]
    for response, status, code in cases:
        assert response.status_code == status, response.text
        assert_error(response.json(), status, code)


def test_unexpected_errors_reveal_nothing(app: FastAPI, school: TinySchool) -> None:
    @app.get("/api/v1/boom")
    def boom() -> None:
        raise RuntimeError("secret detail")

    with TestClient(app, raise_server_exceptions=False) as client:
        r = client.get("/api/v1/boom")
    assert r.status_code == 500
    assert_error(r.json(), 500, "internal_error")
    assert "secret" not in r.text


def test_field_errors_name_each_bad_field(client: TestClient, school: TinySchool) -> None:
    h = login(client, "learner1")
    me = school.ids["learner1"]
    r = client.post(
        f"/api/v1/learners/{me}/attempts",
        headers=h,
        json={"item_id": school.ids["ADD-0"], "response": "2", "duration_ms": -5, "hints_used": 500},
    )
    assert r.status_code == 422
    assert {f["field"] for f in r.json()["error"]["fields"]} == {"duration_ms", "hints_used"}


def test_login_rate_limit(client: TestClient, school: TinySchool, clock: FakeClock) -> None:
    for _ in range(5):
        r = client.post("/api/v1/auth/login", json={"username": "learner1", "password": "wrong"})
        assert_error(r.json(), 401, "unauthenticated")
    r = client.post("/api/v1/auth/login", json={"username": "learner1", "password": PASSWORD})
    assert_error(r.json(), 429, "rate_limited")
    assert int(r.headers["Retry-After"]) > 0
    clock.advance(seconds=301)
    assert (
        client.post("/api/v1/auth/login", json={"username": "learner1", "password": PASSWORD}).status_code
        == 200
    )


def test_unknown_user_and_wrong_password_look_the_same(client: TestClient, school: TinySchool) -> None:
    a = client.post("/api/v1/auth/login", json={"username": "nobody", "password": "x"}).json()
    b = client.post("/api/v1/auth/login", json={"username": "learner2", "password": "x"}).json()
    assert a == b


def test_tokens_expire_and_logout_ends_them(client: TestClient, school: TinySchool, clock: FakeClock) -> None:
    h = login(client, "learner1")
    assert client.get("/api/v1/me", headers=h).status_code == 200
    assert client.post("/api/v1/auth/logout", headers=h).status_code == 204
    assert client.get("/api/v1/me", headers=h).status_code == 401
    h = login(client, "learner1")
    clock.advance(days=15)
    assert client.get("/api/v1/me", headers=h).status_code == 401


def test_openapi_is_served(client: TestClient) -> None:
    assert client.get("/docs").status_code == 200
    spec = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/learners/{learner_id}/attempts" in spec["paths"]


def test_nul_characters_are_refused_not_crashed_on(client: TestClient, school: TinySchool) -> None:
    # PostgreSQL cannot store NUL in text: the request must get a clear answer, not a 500.
    r = client.post("/api/v1/auth/login", json={"username": "learner\x001", "password": PASSWORD})
    assert r.status_code in (401, 422)
    h = login(client, "learner1")
    me = school.ids["learner1"]
    r = client.post(
        f"/api/v1/learners/{me}/attempts",
        headers=h,
        json={"item_id": school.ids["ADD-0"], "response": "2\x00", "hints_used": 0},
    )
    assert r.status_code == 422
    assert [f["field"] for f in r.json()["error"]["fields"]] == ["response"]
