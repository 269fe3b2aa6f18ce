"""``learnpath next``: a learner's next steps as a table or JSON, and clear errors."""

from __future__ import annotations

import json

from typer.testing import CliRunner

import learnpath.cli.next_steps  # noqa: F401  (registers the command)
from learnpath.cli.app import app
from learnpath.testing.school import TinySchool

runner = CliRunner()


def test_next_prints_choices_with_reasons(database_url: str, school: TinySchool) -> None:
    r = runner.invoke(app, ["next", "--learner", "learner1", "--db", database_url, "--json"])
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert out["ok"] and out["placement_offered"] and out["notice"] == "no_history"
    assert [(c["skill_code"], c["kind"], c["reason"]) for c in out["choices"]] == [
        ("ADD", "ready", "You are ready for this")
    ]
    es = runner.invoke(app, ["next", "--learner", "learner1", "--db", database_url, "--lang", "es", "--json"])
    assert json.loads(es.stdout)["choices"][0]["reason"] == "Ya puedes aprender esto"
    table = runner.invoke(app, ["next", "--learner", "learner1", "--db", database_url])
    assert table.exit_code == 0 and "ADD" in table.stdout and "You are ready for this" in table.stdout


def test_next_answers_bad_input_clearly(database_url: str, school: TinySchool) -> None:
    r = runner.invoke(app, ["next", "--learner", "teacher1", "--db", database_url, "--json"])
    assert r.exit_code == 1 and json.loads(r.stdout) == {
        "ok": False,
        "error": "not_found",
        "message": "no learner with username 'teacher1'",
    }
    goal = runner.invoke(app, ["next", "--learner", "learner1", "--db", database_url, "--goal", "NOPE"])
    assert goal.exit_code == 1 and "NOPE" in goal.output
    lang = runner.invoke(app, ["next", "--learner", "learner1", "--db", database_url, "--lang", "fr"])
    assert lang.exit_code == 2
