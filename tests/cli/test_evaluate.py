"""``learnpath evaluate`` on a small split: the table, the JSON keys, and errors as exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

import learnpath.cli.evaluate  # noqa: F401  (registers the command)
from learnpath.cli.app import app
from learnpath.learner.metrics import auc
from learnpath.testing.synthetic import synthetic_attempts

runner = CliRunner()
KEYS = {"auc", "rmse", "accuracy", "log_loss", "fit_seconds", "predict_seconds", "n_test"}


def write_gervet(folder: Path, seed: int) -> None:
    """A tiny Gervet-format split drawn from the synthetic generator (train/test learners disjoint)."""
    table = synthetic_attempts(np.random.default_rng(seed), n_learners=40, attempts_per_learner=20)
    rows = ["user_id\titem_id\ttimestamp\tcorrect\tskill_id"]
    test = ["user_id\titem_id\ttimestamp\tcorrect\tskill_id"]
    for r in range(len(table)):
        line = f"{table.learner[r]}\t{table.item[r]}\t0\t{table.correct[r]}\t{table.skill_indices[table.skill_indptr[r]]}"
        (test if table.learner[r] >= 30 else rows).append(line)
    (folder / "preprocessed_data_train.tsv").write_text("\n".join(rows) + "\n")
    (folder / "preprocessed_data_test.tsv").write_text("\n".join(test) + "\n")
    pairs = ["item_id,skill_id"] + [f"{i},{s}" for i in range(len(table.item_names)) for s in {i % 3}]
    (folder / "q_mat_item_skill_pairs.csv").write_text("\n".join(pairs) + "\n")


@pytest.mark.parametrize("model", ["irt", "elo"])
def test_json_has_exactly_the_keys(tmp_path: Path, model: str) -> None:
    write_gervet(tmp_path, 3)
    res = runner.invoke(
        app, ["evaluate", "--data", str(tmp_path), "--protocol", "gervet", "--model", model, "--json"]
    )
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert set(out) == KEYS
    assert out["n_test"] == 200
    assert 0.5 < out["auc"] <= 1.0
    assert 0 <= out["rmse"] <= 1 and 0 <= out["accuracy"] <= 1 and out["log_loss"] > 0
    assert out["fit_seconds"] >= 0 and out["predict_seconds"] >= 0


def test_figures_match_a_direct_computation(tmp_path: Path) -> None:
    from learnpath.interop.datasets import load_split
    from learnpath.learner.irt import IRT

    write_gervet(tmp_path, 4)
    split = load_split(tmp_path, "gervet")
    p = IRT(drift=0.1).fit(split.train).predict_proba(split.test)
    res = runner.invoke(
        app,
        [
            "evaluate",
            "--data",
            str(tmp_path),
            "--protocol",
            "gervet",
            "--model",
            "irt",
            "--param",
            "drift=0.1",
            "--json",
        ],
    )
    assert json.loads(res.stdout)["auc"] == pytest.approx(auc(split.y_test, p[split.test_rows]), abs=1e-12)


def test_table_output(tmp_path: Path) -> None:
    write_gervet(tmp_path, 5)
    res = runner.invoke(app, ["evaluate", "--data", str(tmp_path), "--protocol", "gervet", "--model", "elo"])
    assert res.exit_code == 0, res.output
    assert "AUC" in res.stdout and "n_test" in res.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--protocol", "gervet", "--model", "nope"], "unknown model"),
        (["--protocol", "weird", "--model", "irt"], "protocol"),
        (["--protocol", "akt", "--model", "irt"], "AKT test1"),
    ],
)
def test_errors_exit_2_with_a_message(tmp_path: Path, args: list[str], message: str) -> None:
    write_gervet(tmp_path, 6)
    res = runner.invoke(app, ["evaluate", "--data", str(tmp_path), *args])
    assert res.exit_code == 2
    assert message in res.output
