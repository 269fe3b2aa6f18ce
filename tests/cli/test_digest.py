"""``learnpath digest``: the week's digests made once, emailed over a local SMTP server when configured,
a dry run that writes and sends nothing, and a bad week as an exit code."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

import learnpath.cli.digest  # noqa: F401  (registers the command)
from learnpath.cli.app import app
from learnpath.service.context import ServiceContext
from learnpath.storage.tables import FamilyDigest, User
from learnpath.testing.school import TinySchool
from learnpath.testing.smtp import LocalSmtpServer

runner = CliRunner()
WEEK = ["--week", "2026-09-02"]  # a Wednesday: the week of Monday 2026-08-31


def _digests(ctx: ServiceContext) -> int:
    with ctx.unit() as s:
        return int(s.scalar(select(func.count()).select_from(FamilyDigest)) or 0)


def test_digests_are_made_once_and_emailed_once(
    database_url: str, ctx: ServiceContext, school: TinySchool, monkeypatch: pytest.MonkeyPatch
) -> None:
    with ctx.unit() as s:
        s.get(User, school.ids["family1"]).email = "family1@example.org"  # type: ignore[union-attr]
    dry = runner.invoke(app, ["digest", "--db", database_url, "--dry-run", "--json", *WEEK])
    assert dry.exit_code == 0, dry.output
    out = json.loads(dry.stdout)
    assert (out["made"], out["email"], out["to_email"], out["dry_run"]) == (2, "off", 1, True)
    assert _digests(ctx) == 0
    with LocalSmtpServer() as server:
        for name, value in {
            "SMTP_HOST": "127.0.0.1",
            "SMTP_PORT": str(server.port),
            "SMTP_STARTTLS": "false",
            "SMTP_FROM": "learnpath@school.example",
        }.items():
            monkeypatch.setenv(f"LEARNPATH_{name}", value)
        first = runner.invoke(app, ["digest", "--db", database_url, "--json", *WEEK])
        assert first.exit_code == 0, first.output
        again = runner.invoke(app, ["digest", "--db", database_url, *WEEK])
        assert again.exit_code == 0, again.output
    out = json.loads(first.stdout)
    assert (out["week_start"], out["families"], out["made"], out["emailed"], out["no_address"]) == (
        "2026-08-31", 2, 2, 1, 1,
    )  # fmt: skip
    assert "made 0 digest(s)" in again.output and "Emailed 0 of 0" in again.output
    assert [m["To"] for m in server.messages] == ["Family1 <family1@example.org>"]
    assert _digests(ctx) == 2


def test_bad_input_exits_with_a_clear_message(
    database_url: str, school: TinySchool, monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = runner.invoke(app, ["digest", "--db", database_url, "--week", "next week"])
    assert bad.exit_code == 2 and "--week" in bad.output and "next week" in bad.output
    monkeypatch.setenv("LEARNPATH_SMTP_HOST", "127.0.0.1")
    no_sender = runner.invoke(app, ["digest", "--db", database_url, *WEEK])
    assert no_sender.exit_code == 2 and "LEARNPATH_SMTP_FROM" in no_sender.output
