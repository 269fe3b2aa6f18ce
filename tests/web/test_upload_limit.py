"""The portfolio's size limit holds while an upload streams in (issue 6 follow-up): a body over the limit is
stopped at the limit (declared or not), the form says the file is too big, and nothing is kept (no file, no
row); the API route answers the same in the one error shape."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from starlette.requests import Request

from learnpath.errors import ValidationError
from learnpath.service.context import ServiceContext
from learnpath.storage.tables import PortfolioItem
from learnpath.testing.school import PASSWORD, TinySchool
from learnpath.web import uploads

PNG = (Path(__file__).resolve().parents[1] / "data" / "drawing.png").read_bytes()
MB = 1024 * 1024
BOUNDARY = "xYzBoundary"


def _multipart(file_bytes: int, token: str = "t") -> bytes:
    head = (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n{token}\r\n'
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="kind"\r\n\r\nfile\r\n'
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="title"\r\n\r\nBig\r\n'
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="big.png"\r\n'
        "Content-Type: image/png\r\n\r\n"
    ).encode()
    body = PNG + b"\0" * max(0, file_bytes - len(PNG))
    return head + body + f"\r\n--{BOUNDARY}--\r\n".encode()


def _request(body: bytes, *, declare: bool, chunk: int = 64 * 1024) -> tuple[Request, list[int]]:
    """A request whose body arrives in chunks; the list counts the bytes the app has taken in."""
    taken = [0]
    parts = [body[i : i + chunk] for i in range(0, len(body), chunk)]

    async def receive() -> dict[str, Any]:
        if not parts:
            return {"type": "http.disconnect"}
        part = parts.pop(0)
        taken[0] += len(part)
        return {"type": "http.request", "body": part, "more_body": bool(parts)}

    headers = [(b"content-type", f"multipart/form-data; boundary={BOUNDARY}".encode())]
    if declare:
        headers.append((b"content-length", str(len(body)).encode()))
    scope = {"type": "http", "method": "POST", "path": "/", "headers": headers, "query_string": b""}
    return Request(scope, receive), taken


@pytest.mark.parametrize("declare", [False, True])
def test_a_body_over_the_limit_is_stopped_at_the_limit(
    declare: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(uploads, "DRAIN_BYTES", 0)  # measure what the parser took, not the drain
    request, taken = _request(_multipart(5 * MB), declare=declare)
    with pytest.raises(ValidationError) as err:
        asyncio.run(uploads.read_form(request, 1, max_files=1, max_fields=10))
    assert err.value.errors[0].field == "file" and "limit of 1 MB" in err.value.errors[0].message
    # declared: nothing read at all; not declared: stopped one chunk past the limit, not at 5 MB
    assert (
        taken[0] == 0
        if declare
        else uploads.upload_limit(1) < taken[0] <= uploads.upload_limit(1) + 64 * 1024
    )


def test_a_refused_body_is_drained_so_the_client_gets_the_answer() -> None:
    request, taken = _request(_multipart(3 * MB), declare=False)
    with pytest.raises(ValidationError):
        asyncio.run(uploads.read_form(request, 1, max_files=1, max_fields=10))
    assert taken[0] == len(_multipart(3 * MB))  # read to the end and dropped (3 MB < DRAIN_BYTES)


def test_a_body_under_the_limit_is_parsed() -> None:
    request, _ = _request(_multipart(MB // 2), declare=False)

    async def parse() -> tuple[str, str]:
        parsed = await uploads.read_form(request, 1, max_files=1, max_fields=10)
        form = await parsed.form()  # the cached form, as check_csrf reads it
        await form.close()
        return str(form["title"]), str(form["kind"])

    assert asyncio.run(parse()) == ("Big", "file")


def _kept(ctx: ServiceContext) -> tuple[int, list[Path]]:
    root = Path(ctx.settings.data_dir) / "portfolio"
    with ctx.unit() as s:
        rows = s.scalar(select(func.count()).select_from(PortfolioItem)) or 0
    return rows, sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def test_the_form_says_too_big_and_keeps_nothing(
    browser_for: Callable[[str], TestClient], school: TinySchool, web: Any, ctx: ServiceContext
) -> None:
    ctx.settings.portfolio_max_mb = 1
    lid = school.ids["learner1"]
    learner = browser_for("learner1")
    token = web.csrf_of(learner.get(f"/learners/{lid}/portfolio").text)
    for size, status in ((3 * MB, 413), (2 * MB + 10_000, 413), (MB + 1000, 422)):
        # over the limit and its 1 MB slack: stopped while streaming; just over 1 MB fits the body's slack
        # and is refused by the service while it stages the file
        r = learner.post(
            f"/learners/{lid}/portfolio",
            content=_multipart(size, token),
            headers={"content-type": f"multipart/form-data; boundary={BOUNDARY}"},
            follow_redirects=False,
        )
        assert r.status_code == status, (size, r.status_code)
        assert "This file is too big: a file may be up to 1 MB." in r.text
        assert _kept(ctx) == (0, [])
    # the same file under the limit is kept
    r = learner.post(
        f"/learners/{lid}/portfolio",
        content=_multipart(1000, token),
        headers={"content-type": f"multipart/form-data; boundary={BOUNDARY}"},
        follow_redirects=False,
    )
    assert r.status_code == 303 and _kept(ctx)[0] == 1


def test_the_api_refuses_a_big_upload_in_the_error_shape(
    client: TestClient, school: TinySchool, ctx: ServiceContext
) -> None:
    ctx.settings.portfolio_max_mb = 1
    token = client.post("/api/v1/auth/login", json={"username": "learner1", "password": PASSWORD}).json()
    r = client.post(
        f"/api/v1/learners/{school.ids['learner1']}/portfolio",
        content=_multipart(3 * MB),
        headers={
            "content-type": f"multipart/form-data; boundary={BOUNDARY}",
            "Authorization": f"Bearer {token['access_token']}",
        },
    )
    assert r.status_code == 422
    assert r.json()["error"]["fields"] == [{"field": "file", "message": "is larger than the limit of 1 MB"}]
    assert _kept(ctx) == (0, [])
