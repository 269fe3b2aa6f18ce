"""``learnpath path``: the table, the JSON object, a learner's own path, and errors as exit codes."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

import learnpath.cli.paths  # noqa: F401  (registers the command)
from learnpath.cli.app import app
from learnpath.testing.school import TinySchool

runner = CliRunner()


def test_full_path_from_nothing_as_json_and_as_a_table(database_url: str, school: TinySchool) -> None:
    r = runner.invoke(app, ["path", "--goal", "SUB", "--goal", "MUL", "--db", database_url, "--json"])
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert out["learner"] is None and out["goals"] == ["SUB", "MUL"]
    assert [(s["code"], s["goal"]) for s in out["steps"]] == [("ADD", False), ("SUB", True), ("MUL", True)]
    assert out["pace"]["source"] == "default"
    assert out["total_minutes"] == pytest.approx(sum(s["minutes"] for s in out["steps"]), abs=0.05)
    table = runner.invoke(app, ["path", "--goal", "MUL", "--db", database_url])
    assert table.exit_code == 0, table.output
    assert "Times tables" in table.stdout and "minutes of practice" in table.stdout


def test_a_learners_path_and_errors(database_url: str, school: TinySchool) -> None:
    r = runner.invoke(app, ["path", "--goal", "MUL", "--learner", "learner1", "--db", database_url, "--json"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["learner"] == "learner1"
    bad = runner.invoke(app, ["path", "--goal", "NOPE", "--db", database_url])
    assert bad.exit_code == 2 and "NOPE" in bad.output
    nobody = runner.invoke(app, ["path", "--goal", "MUL", "--learner", "nobody", "--db", database_url])
    assert nobody.exit_code == 2 and "nobody" in nobody.output
