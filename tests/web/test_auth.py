"""Signing in and out through the web forms: cookies, CSRF, failure messages, rate limiting, redirects."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from learnpath.service.context import ServiceContext
from learnpath.settings import Settings
from learnpath.testing.school import TinySchool


def _post_login(client: TestClient, web: Any, username: str, password: str, **extra: str) -> Any:
    token = web.csrf_of(client.get("/login").text)
    data = {"username": username, "password": password, "csrf_token": token, **extra}
    return client.post("/login", data=data, follow_redirects=False)


def test_login_page_is_a_form_with_csrf_cookie_and_security_headers(client: TestClient) -> None:
    r = client.get("/login")
    assert r.status_code == 200
    assert '<html lang="en">' in r.text
    assert 'href="#main"' in r.text and 'id="main"' in r.text
    assert 'name="username"' in r.text and 'type="password"' in r.text
    assert "script-src 'self'" in r.headers["content-security-policy"]
    cookie = r.headers["set-cookie"]
    assert cookie.startswith("lp_csrf=") and "HttpOnly" in cookie and "samesite=lax" in cookie.lower()
    assert "<script>" not in r.text and "style=" not in r.text and "<style" not in r.text


def test_login_sets_a_session_cookie_and_goes_home_by_role(
    client: TestClient, school: TinySchool, web: Any
) -> None:
    r = _post_login(client, web, "learner1", web.password)
    assert r.status_code == 303
    assert r.headers["location"] == "/"
    cookie = r.headers["set-cookie"]
    assert cookie.startswith("lp_session=")
    assert "HttpOnly" in cookie and "samesite=lax" in cookie.lower() and "Max-Age=1209600" in cookie
    assert "Secure" not in cookie
    home = client.get("/", follow_redirects=False)
    assert home.headers["location"] == "/learn"


@pytest.mark.parametrize(
    ("username", "home"),
    [("learner2", "/learn"), ("teacher1", "/classes"), ("admin", "/classes"), ("family1", "/family")],
)
def test_home_redirect_by_role(
    browser_for: Callable[[str], TestClient], school: TinySchool, username: str, home: str
) -> None:
    assert browser_for(username).get("/", follow_redirects=False).headers["location"] == home


def test_secure_cookies_when_configured(
    ctx: ServiceContext, settings: Settings, school: TinySchool, web: Any
) -> None:
    from learnpath.api.app import create_app

    secure = settings.model_copy(update={"secure_cookies": True})
    with TestClient(create_app(secure, ctx), base_url="https://testserver") as c:
        r = _post_login(c, web, "learner1", web.password)
        assert "Secure" in r.headers["set-cookie"]


def test_login_without_or_with_a_wrong_csrf_token_is_refused(client: TestClient, school: TinySchool) -> None:
    client.get("/login")
    data = {"username": "learner1", "password": "secret-pass"}
    r = client.post("/login", data=data, follow_redirects=False)
    assert r.status_code == 403
    assert "This form is out of date" in r.text
    r = client.post("/login", data={**data, "csrf_token": "forged.token"}, follow_redirects=False)
    assert r.status_code == 403
    assert "lp_session" not in r.headers.get("set-cookie", "")


def test_a_csrf_cookie_not_signed_by_the_server_is_refused(client: TestClient, school: TinySchool) -> None:
    client.cookies.set("lp_csrf", "chosen.byattacker")
    data = {"username": "learner1", "password": "secret-pass", "csrf_token": "chosen.byattacker"}
    assert client.post("/login", data=data, follow_redirects=False).status_code == 403


def test_wrong_password_and_missing_fields_are_explained(
    client: TestClient, school: TinySchool, web: Any
) -> None:
    r = _post_login(client, web, "learner1", "nope")
    assert r.status_code == 401
    assert "That username and password do not match" in r.text
    assert 'value="learner1"' in r.text
    r = _post_login(client, web, "", "")
    assert r.status_code == 422
    assert "Please type your username and your password." in r.text


def test_too_many_failures_pause_logins_with_429(
    client: TestClient, school: TinySchool, web: Any, ctx: ServiceContext
) -> None:
    for _ in range(ctx.settings.login_max_failures):
        assert _post_login(client, web, "learner1", "nope").status_code == 401
    r = _post_login(client, web, "learner1", web.password)
    assert r.status_code == 429
    assert "Too many tries. Please wait" in r.text
    assert int(r.headers["retry-after"]) > 0


@pytest.mark.parametrize(
    ("next_url", "landing"),
    [
        ("/learners/1", "/learners/1"),
        ("//evil.example/x", "/"),
        ("https://evil.example/", "/"),
        ("/\\evil.example", "/"),
        ("javascript:alert(1)", "/"),
    ],
)
def test_next_is_followed_only_when_same_site(
    client: TestClient, school: TinySchool, web: Any, next_url: str, landing: str
) -> None:
    r = _post_login(client, web, "learner1", web.password, next=next_url)
    assert r.headers["location"] == landing


def test_pages_need_sign_in_and_come_back_after_it(client: TestClient, school: TinySchool, web: Any) -> None:
    r = client.get("/classes/1?x=2", follow_redirects=False)
    assert r.status_code == 303
    assert r.headers["location"] == "/login?next=/classes/1%3Fx%3D2"
    page = client.get(r.headers["location"])
    assert 'name="next" value="/classes/1?x=2"' in page.text
    r = client.get("/learn", headers={"HX-Request": "true"}, follow_redirects=False)
    assert r.status_code == 401 and r.headers["hx-redirect"] == "/login?next=/learn"


def test_logout_needs_csrf_and_ends_the_session(
    browser_for: Callable[[str], TestClient], school: TinySchool, web: Any, app: FastAPI
) -> None:
    c = browser_for("learner1")
    page = c.get("/learn")
    token = c.cookies["lp_session"]
    assert c.post("/logout", data={}, follow_redirects=False).status_code == 403
    assert c.get("/learn").status_code == 200
    r = c.post("/logout", data={"csrf_token": web.csrf_of(page.text)}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/login"
    with TestClient(app) as other:
        other.cookies.set("lp_session", token)
        assert other.get("/learn", follow_redirects=False).headers["location"] == "/login?next=/learn"


def test_an_ended_session_cookie_is_cleared(client: TestClient, school: TinySchool) -> None:
    client.cookies.set("lp_session", "not-a-real-token")
    r = client.get("/learn", follow_redirects=False)
    assert r.status_code == 303
    assert 'lp_session=""' in r.headers["set-cookie"] or "lp_session=;" in r.headers["set-cookie"]


def test_signed_in_user_opening_login_goes_on(
    browser_for: Callable[[str], TestClient], school: TinySchool
) -> None:
    c = browser_for("teacher1")
    assert c.get("/login?next=/classes", follow_redirects=False).headers["location"] == "/classes"
