"""``learnpath import case|progressions|qti`` on the real fixtures: JSON counts, tables, errors as exit codes.

The command line is a thin adapter over the service (tested on both backends in tests/service), so these
run on one SQLite database shared by the module.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import learnpath.cli  # noqa: F401  (registers every command)
from learnpath.cli.app import app

REPO = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("LEARNPATH_SHARED_DIR", REPO.parent / "shared"))
FIX = SHARED / "fixtures"
CCSS = FIX / "case" / "opensalt" / "ccss-math_asn-D10003FB_draft-case.json"
ATC = FIX / "case" / "learning-progressions" / "atc-coherence-map" / "edges_googlesheet_feed.json"
VOCAB = (
    FIX / "qti/1edtech-qti-examples/qtiv3-examples/items/shared-vocabulary/shared-vocabulary-imsmanifest.zip"
)
KEYS = {"skills", "edges", "added", "changed", "removed", "warnings"}

pytestmark = pytest.mark.skipif(
    not FIX.is_dir(), reason=f"fixtures not found at {FIX} (set LEARNPATH_SHARED_DIR)"
)
runner = CliRunner()


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    return f"sqlite:///{tmp_path_factory.mktemp('cli') / 'cli.db'}"


def run(*args: str) -> Any:
    return runner.invoke(app, ["import", *args])


def as_json(result: Any) -> dict[str, Any]:
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def test_case_dry_run_then_real_run(db: str) -> None:
    dry = as_json(run("case", str(CCSS), "--db", db, "--dry-run", "--json"))
    assert set(dry) >= KEYS and dry["dry_run"] is True
    assert (dry["skills"], dry["edges"], dry["added"], dry["changed"], dry["removed"]) == (703, 0, 1406, 0, 0)
    real = as_json(run("case", str(CCSS), "--db", db, "--json"))
    assert (real["skills"], real["added"], real["dry_run"]) == (703, 1406, False)
    again = as_json(run("case", str(CCSS), "--db", db, "--dry-run", "--json"))
    assert (again["added"], again["changed"], again["removed"]) == (0, 0, 0)  # the dry run wrote nothing


def test_progressions_attach_the_coherence_map(db: str) -> None:
    refused = run("progressions", str(ATC), "--db", db, "--keep-group-cycles")
    assert refused.exit_code == 2
    assert "CCSS.Math.Content.K.G.A.3" in refused.stderr and "feed.entry[20]" in refused.stderr
    report = as_json(run("progressions", str(ATC), "--db", db, "--json"))
    assert (report["skills"], report["edges"], report["added"]) == (703, 455, 539)
    assert any("unknown code '0.OA'" in w and f"{ATC}:1:" in w for w in report["warning_messages"])
    table = run("progressions", str(ATC), "--db", db, "--dry-run")
    assert table.exit_code == 0 and "Would import progressions" in table.stdout
    assert "Dry run: nothing was written." in table.stderr


def test_qti_package_with_images(db: str) -> None:
    report = as_json(run("qti", str(VOCAB), "--db", db, "--json", "--skill", "CCSS.Math.Content.K.CC.A.1"))
    assert (report["items"], report["aligned"], report["teacher_scored"], report["media"]) == (14, 14, 7, 2)
    assert report["unsupported_count"] == 14 and report["malformed"] == []
    assert {
        "file": "Items/Item_QTI3_Gap_Match_01/gap-match-qti3.xml",
        "identifier": "qti3-gap-match-01",
        "interactions": ["gap-match"],
        "unsupported": ["gap-match"],
    } in report["unsupported"]
    table = run("qti", str(VOCAB), "--db", db)
    assert table.exit_code == 0 and "Imported QTI items" in table.stdout


def test_errors_name_the_file_and_exit_2(db: str, tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"CFDocument": {\n  "identifier": }', encoding="utf-8")
    result = run("case", str(bad), "--db", db, "--json")
    assert result.exit_code == 2 and result.stdout == ""
    assert f"{bad}:2:" in result.stderr
    missing = run("progressions", str(ATC), "--db", db, "--framework", "nope")
    assert missing.exit_code == 2 and "no imported CASE framework 'nope'" in missing.stderr
    unknown_skill = run("qti", str(VOCAB), "--db", db, "--skill", "NOPE")
    assert unknown_skill.exit_code == 2 and "NOPE" in unknown_skill.stderr


def test_case_with_its_progressions_in_one_command(tmp_path: Path) -> None:
    fresh = f"sqlite:///{tmp_path / 'one.db'}"
    fly = FIX / "case" / "learning-progressions" / "flywheelmath-ccssm" / "json" / "ccssm-dependencies.json"
    args = ["case", str(CCSS), "--db", fresh, "--progressions", str(ATC), "--progressions", str(fly)]
    dry = as_json(run(*args, "--dry-run", "--json"))
    assert (dry["skills"], dry["edges"], dry["added"]) == (703, 737, 1406 + 539 + 873)
    assert [p["format"] for p in dry["progressions"]] == ["atc", "flywheel"]
    real = as_json(run(*args, "--json"))
    assert (real["edges"], real["added"]) == (737, dry["added"])
    assert as_json(run(*args, "--dry-run", "--json"))["added"] == 0
