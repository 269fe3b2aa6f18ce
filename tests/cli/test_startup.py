"""``learnpath --help`` starts fast: importing the CLI registers every command without loading the learner
models, the database or the web stack. Each command module imports those inside its command's body.

Checked by the modules loaded (in a fresh interpreter, so nothing this test run imported can hide one), never
by a wall-clock time: timings on a shared machine are not a test."""

from __future__ import annotations

import json
import subprocess
import sys

from typer.testing import CliRunner

from learnpath.cli import app
from learnpath.cli.fit import DEFAULT_FIT_MODEL

HEAVY = [
    "numba", "sklearn", "torch", "scipy", "pandas", "ortools",  # learner models and the planners
    "sqlalchemy", "alembic", "psycopg", "fastapi", "starlette", "uvicorn", "jinja2",  # storage and web
]  # fmt: skip

PROBE = """
import json, sys
heavy = set(sys.argv[1].split(","))
import learnpath.cli
print(json.dumps(sorted({m.split(".")[0] for m in sys.modules} & heavy)))
"""


def _heavy_loaded(code: str) -> list[str]:
    out = subprocess.run(
        [sys.executable, "-c", code, ",".join(HEAVY)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert out.returncode == 0, out.stderr
    loaded: list[str] = json.loads(out.stdout.strip().splitlines()[-1])
    return loaded


def test_importing_the_cli_loads_no_model_database_or_web_library() -> None:
    loaded = _heavy_loaded(PROBE)
    assert not loaded, (
        f"`import learnpath.cli` loaded {loaded}: a command module imports the service layer, a learner model "
        "or the web stack at its top; import it inside the command's body instead (see cli/fit.py)"
    )


def test_the_probe_notices_a_heavy_import() -> None:
    assert "sqlalchemy" in _heavy_loaded(PROBE.replace("import learnpath.cli", "import learnpath.storage"))


COMMANDS = "demo serve init-db fit evaluate simulate import next path digest".split()


def test_help_still_lists_every_command() -> None:
    result = CliRunner().invoke(app, ["--help"])
    assert result.exit_code == 0, result.output
    for name in COMMANDS:
        assert f" {name} " in result.output, f"`learnpath --help` does not list {name}"


def test_the_fit_default_is_the_services() -> None:
    from learnpath.service.models import DEFAULT_FIT_MODEL as SERVICE_DEFAULT

    assert DEFAULT_FIT_MODEL == SERVICE_DEFAULT
