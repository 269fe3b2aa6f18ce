"""``learnpath import content`` (dry run, JSON counts, every bad row with exit 2) and ``refine-difficulty``."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import func, select
from typer.testing import CliRunner

from learnpath.cli import app
from learnpath.service.context import ServiceContext
from learnpath.storage.tables import ContentRow
from learnpath.testing.school import TinySchool

runner = CliRunner()
DATA = Path(__file__).resolve().parents[1] / "data"
GOOD = "code,kind,title,minutes,grade_band,skills,body\nR-X,reading,Read,5,1,ADD,Text\nA-X,activity,Do,9,2,SUB,Go\n"


def _count(ctx: ServiceContext) -> int:
    with ctx.unit() as s:
        return s.scalar(select(func.count()).select_from(ContentRow)) or 0


def test_import_content_dry_run_then_for_real(
    ctx: ServiceContext, school: TinySchool, database_url: str, tmp_path: Path
) -> None:
    path = tmp_path / "content.csv"
    path.write_text(GOOD, encoding="utf-8")
    base = ["import", "content", str(path), "--db", database_url, "--json"]
    r = runner.invoke(app, base)
    assert r.exit_code == 2 and "2 schools" in json.loads(r.stdout)["errors"][0]["message"]
    r = runner.invoke(app, [*base, "--school", "1", "--dry-run"])
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert (out["ok"], out["added"], out["changed"], out["dry_run"]) == (True, 2, 0, True)
    assert _count(ctx) == 2, "only the two readings of the tiny schools"
    r = runner.invoke(app, [*base, "--school", "1"])
    assert json.loads(r.stdout)["added"] == 2 and _count(ctx) == 4
    r = runner.invoke(app, ["import", "content", str(path), "--db", database_url, "--school", "1"])
    assert r.exit_code == 0 and "0 were added, 0 were changed, 2 unchanged" in r.stdout


def test_a_bad_file_lists_every_bad_row_and_imports_nothing(
    ctx: ServiceContext, school: TinySchool, database_url: str
) -> None:
    args = ["import", "content", str(DATA / "content_bad.csv"), "--db", database_url, "--school", "1"]
    r = runner.invoke(app, [*args, "--json"])
    assert r.exit_code == 2
    out = json.loads(r.stdout)
    assert out["ok"] is False and "5 rows are not valid" in out["error"]
    assert {(e["line"], e["column"]) for e in out["errors"]} >= {
        ("3", "minutes"),
        ("4", "skills"),
        ("8", "code"),
    }
    assert _count(ctx) == 2
    r = runner.invoke(app, args)
    assert r.exit_code == 2 and "line 7, url" in r.output


def test_refine_difficulty_reports_counts(ctx: ServiceContext, school: TinySchool, database_url: str) -> None:
    r = runner.invoke(app, ["refine-difficulty", "--db", database_url, "--json"])
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert (out["items"], out["items_refined"], out["attempts"], out["content"]) == (9, 0, 0, 2)
