"""Helpers for the web UI tests: a browser-like client per person, signed in through the real login form."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from learnpath.testing.school import PASSWORD

CSRF_INPUT = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_of(html: str) -> str:
    """The CSRF token of the first form on a page."""
    match = CSRF_INPUT.search(html)
    assert match, "the page has no form with a csrf_token"
    return match.group(1)


def sign_in(client: TestClient, username: str, password: str = PASSWORD) -> TestClient:
    page = client.get("/login")
    r = client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": csrf_of(page.text)},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    return client


@pytest.fixture
def browser_for(app: FastAPI) -> Iterator[Callable[[str], TestClient]]:
    """``browser_for("teacher1")``: a fresh client (own cookie jar) signed in as that user."""
    clients: list[TestClient] = []

    def make(username: str) -> TestClient:
        c = TestClient(app, raise_server_exceptions=False)
        clients.append(c)
        return sign_in(c, username)

    yield make
    for c in clients:
        c.close()


class WebHelpers:
    """Helpers handed to tests as the ``web`` fixture (test modules cannot import conftest)."""

    csrf_of = staticmethod(csrf_of)
    sign_in = staticmethod(sign_in)
    password = PASSWORD


@pytest.fixture
def web() -> WebHelpers:
    return WebHelpers()
