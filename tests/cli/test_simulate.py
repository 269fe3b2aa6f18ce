"""``learnpath simulate`` on the demo graph: JSON keys, repeated policies, errors as exit code 2."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

import learnpath.cli.simulate  # noqa: F401  (registers the command)
from learnpath.cli.app import app
from learnpath.interop.code_graph import read_code_graph

runner = CliRunner()
ZIMBA = (
    Path(__file__).resolve().parents[2]
    / "../shared/fixtures/case/learning-progressions/zimba-graph-jeffbaumes"
    / "GraphData-EdgesOnly-Grade-00-08-2011-06-01-cleaned_EdgeSet.csv"
)


def test_json_per_policy_and_placement() -> None:
    res = runner.invoke(
        app,
        ["simulate", "--graph", "demo", "--learners", "3", "--policy", "fixed", "--policy", "oracle",
         "--seed", "2", "--json"],
    )  # fmt: skip
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout.strip().splitlines()[-1])
    assert list(data["policies"]) == ["fixed", "oracle"]
    for summary in data["policies"].values():
        assert {"mean_opportunities_to_goal", "median", "reached_goal_fraction"} <= set(summary)
    assert {"questions", "skill_state_accuracy"} <= set(data["placement"])


def test_table_output_and_a_goal() -> None:
    res = runner.invoke(
        app, ["simulate", "--graph", "demo", "--learners", "2", "--policy", "all", "--goal", "G5.GEO.VOLUME",
              "--no-placement"],
    )  # fmt: skip
    assert res.exit_code == 0, res.output
    assert "learnpath" in res.stdout and "oracle" in res.stdout


def test_bad_input_exits_2_naming_it(tmp_path: Path) -> None:
    res = runner.invoke(app, ["simulate", "--graph", "demo", "--goal", "G9.NOPE", "--learners", "1"])
    assert res.exit_code == 2 and "G9.NOPE" in res.output
    res = runner.invoke(app, ["simulate", "--graph", "demo", "--policy", "greedy"])
    assert res.exit_code == 2 and "greedy" in res.output
    res = runner.invoke(app, ["simulate", "--graph", str(tmp_path / "none.csv")])
    assert res.exit_code == 2 and "none.csv" in res.output


def test_the_zimba_edge_set_becomes_an_acyclic_code_graph() -> None:
    cg = read_code_graph(ZIMBA)
    assert len(cg.graph.skills) == 252 and cg.levels["6.EE.2"] == 6.0 and cg.levels["K.CC.1"] == 0.0
    assert ("K.CC.1", "1.NBT.1") in cg.graph.edges and cg.dropped
