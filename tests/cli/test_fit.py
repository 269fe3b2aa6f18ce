"""``learnpath fit``: the JSON object, accepted and rejected refits, and errors as exit code 2."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

import learnpath.cli  # noqa: F401  (registers every command)
from learnpath.cli.app import app
from learnpath.service.context import ServiceContext
from learnpath.settings import Settings
from learnpath.storage import make_engine, make_sessionmaker, upgrade
from learnpath.testing.clock import FakeClock
from learnpath.testing.practice import add_practice
from learnpath.testing.school import build_tiny_school, fast_hasher

runner = CliRunner()
KEYS = {
    "model",
    "version_id",
    "accepted",
    "candidate_auc",
    "active_auc",
    "active_version_id",
    "reason",
    "n_attempts",
    "n_learners",
    "n_train_learners",
    "n_heldout_learners",
    "n_heldout_attempts",
    "seconds",
}


def database(tmp_path: Path, n_learners: int | None = 30) -> str:
    """A tiny school on SQLite, with ``n_learners`` practising learners (None: no attempts at all)."""
    url = f"sqlite:///{tmp_path / 'fit.db'}"
    engine = make_engine(url)
    upgrade(engine)
    ctx = ServiceContext(
        make_sessionmaker(engine), Settings(database_url=url, _env_file=None), FakeClock(), fast_hasher()
    )
    build_tiny_school(ctx)
    if n_learners:
        add_practice(ctx, 1, np.random.default_rng(11), n_learners=n_learners)
    engine.dispose()
    return url


def fit(*args: str) -> tuple[int, str, str]:
    res = runner.invoke(app, ["fit", *args])
    return res.exit_code, res.stdout, res.stderr


def test_json_then_a_rejected_worse_candidate(tmp_path: Path) -> None:
    url = database(tmp_path)
    code, out, _ = fit("--db", url, "--json")
    assert code == 0
    first = json.loads(out)
    assert set(first) == KEYS
    assert first["model"] in ("best", "bkt")  # the default, auto, keeps the better of the two
    assert "chosen by held-out AUC over" in first["reason"]
    assert first["version_id"] == 1 and first["active_version_id"] is None
    assert (first["n_attempts"], first["n_learners"]) == (30 * 16, 30)
    assert first["n_train_learners"] + first["n_heldout_learners"] == 30
    assert first["accepted"] == (first["candidate_auc"] >= first["active_auc"])
    assert 0.5 < first["candidate_auc"] <= 1.0 and first["seconds"] > 0

    code, out, _ = fit("--db", url, "--model", "irt", "--json")
    second = json.loads(out)
    assert code == 0 and second["version_id"] == 2

    weak = ["--param", "reg_theta=1e6", "--param", "reg_item=1e6"]
    code, out, _ = fit("--db", url, "--model", "irt", *weak, "--json")
    third = json.loads(out)
    assert code == 0, "a rejection is not an error"
    assert third["accepted"] is False and third["candidate_auc"] < third["active_auc"]
    assert third["version_id"] == 3 and "worse" in third["reason"]


def test_the_summary_goes_to_stderr(tmp_path: Path) -> None:
    url = database(tmp_path)
    code, out, err = fit("--db", url, "--model", "irt")
    assert code == 0 and out == ""
    assert "irt version 1: active now" in err
    assert "480 attempts of 30 learners" in err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--model", "nope"], "unknown model 'nope'; known:"),
        (["--model", "irt", "--param", "colour=1"], "not valid for 'irt'"),
        (["--model", "irt", "--param", "oops"], "expected NAME=VALUE"),
    ],
)
def test_a_bad_model_fails_before_touching_the_database(
    tmp_path: Path, args: list[str], message: str
) -> None:
    never = tmp_path / "never.db"
    code, out, err = fit("--db", f"sqlite:///{never}", *args)
    assert code == 2 and out == ""
    assert message in " ".join(err.split())
    assert not never.exists()


@pytest.mark.parametrize(
    ("n_learners", "message"),
    [
        (None, "the database has no attempts"),
        (3, "too few learners to validate a model: 3 learners have attempts"),
    ],
)
def test_too_little_data_exits_2_and_names_the_numbers(
    tmp_path: Path, n_learners: int | None, message: str
) -> None:
    code, out, err = fit("--db", database(tmp_path, n_learners), "--model", "irt")
    assert code == 2 and out == ""
    assert message in " ".join(err.split())
