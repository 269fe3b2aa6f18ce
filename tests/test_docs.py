"""Docs that cannot go stale: every CLI command, setting and API route is documented."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi import FastAPI

from learnpath.cli import app as cli_app
from learnpath.settings import Settings

DOCS = Path(__file__).resolve().parent.parent / "docs"


def test_every_cli_command_is_documented() -> None:
    text = (DOCS / "cli.md").read_text()
    names = [c.name for c in cli_app.registered_commands]
    for group in cli_app.registered_groups:
        names += [f"{group.name} {c.name}" for c in group.typer_instance.registered_commands]
    assert names, "no commands registered"
    missing = [n for n in names if f"`learnpath {n}" not in text]
    assert not missing, f"add these commands to docs/cli.md: {missing}"


def test_every_setting_is_documented() -> None:
    text = (DOCS / "settings.md").read_text()
    missing = [n for n in Settings.model_fields if f"`LEARNPATH_{n.upper()}`" not in text]
    assert not missing, f"add these settings to docs/settings.md: {missing}"


@pytest.mark.parametrize("database_url", ["sqlite://"], indirect=False)
def test_every_api_route_is_documented(app: FastAPI) -> None:
    text = (DOCS / "api.md").read_text()
    documented = set(re.findall(r"`(GET|POST|PUT|PATCH|DELETE) (/api/v1/[^`]*)`", text))
    routes = {(m.upper(), p) for p, ops in app.openapi()["paths"].items() for m in ops}
    assert routes - documented == set(), "add these routes to docs/api.md"
    assert documented - routes == set(), "docs/api.md lists routes that do not exist"
