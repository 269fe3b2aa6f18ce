"""``learnpath simulate``: synthetic learners on a skill graph under the tutoring policies (docs/simulation.md)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from learnpath.cli.app import app
from learnpath.core.graph import SkillGraph
from learnpath.errors import LearnpathError, ValidationError
from learnpath.simulate import POLICIES, SCENARIOS, Curriculum, SimulationReport, scenario, simulate

__all__ = ["demo_curriculum", "load_curriculum", "simulate_command"]

err = Console(stderr=True)


def demo_curriculum() -> Curriculum:
    """The demo school's skill graph, each skill at its grade."""
    from learnpath.demo.content import PREREQUISITES, SKILLS

    graph = SkillGraph.build([s.code for s in SKILLS], PREREQUISITES)
    return Curriculum(graph, {s.code: float(s.grade) for s in SKILLS})


def load_curriculum(graph: str) -> Curriculum:
    """``demo``, or a progression edge file (Zimba CSV, ATC feed, flywheel) read as a code graph."""
    if graph == "demo":
        return demo_curriculum()
    from learnpath.interop.code_graph import read_code_graph

    path = Path(graph)
    if not path.is_file():
        raise ValidationError.for_field(
            "graph", f"no such file {graph!r}; give a progression edge file or 'demo'"
        )
    cg = read_code_graph(path)
    return Curriculum(cg.graph, cg.levels)


def _policies(values: list[str] | None) -> list[str]:
    chosen: list[str] = []
    for v in values or ["all"]:
        names = list(POLICIES) if v == "all" else [v]
        for n in names:
            if n not in POLICIES:
                raise ValidationError.for_field(
                    "policy", f"unknown policy {n!r}; choose from {', '.join(POLICIES)} or all"
                )
            if n not in chosen:
                chosen.append(n)
    return chosen


def _table(report: SimulationReport, graph: str) -> Table:
    table = Table(
        title=f"{report.scenario} scenario on {graph}: {report.learners} learners, seed {report.seed}"
    )
    for col in ("policy", "mean opportunities", "median", "reached goal", "x oracle", "x fixed", "x random"):
        table.add_column(col, justify="right")
    for name, s in report.policies.items():
        d = s.to_dict()
        ratios = [report.ratio(name, b) for b in ("oracle", "fixed", "random")]
        table.add_row(
            name,
            f"{d['mean_opportunities_to_goal']:.1f}",
            f"{d['median']:.0f}",
            f"{d['reached_goal_fraction']:.0%}",
            *(
                "" if r is None or name == b else f"{r:.2f}"
                for r, b in zip(ratios, ("oracle", "fixed", "random"), strict=True)
            ),
        )
    return table


@app.command("simulate")
def simulate_command(
    graph: Annotated[str, typer.Option("--graph", help="A progression edge file, or 'demo'.")],
    learners: Annotated[int, typer.Option("--learners", min=1, help="Synthetic learners.")] = 100,
    policy: Annotated[
        list[str] | None,
        typer.Option("--policy", help=f"{', '.join(POLICIES)} or all; repeatable (default all)."),
    ] = None,
    goal: Annotated[str | None, typer.Option("--goal", help="One goal skill code for every learner.")] = None,
    seed: Annotated[int, typer.Option("--seed", help="Seed of every draw.")] = 0,
    scenario_name: Annotated[
        str, typer.Option("--scenario", help=f"One of: {', '.join(SCENARIOS)}.")
    ] = "reference",
    budget: Annotated[int, typer.Option("--budget", min=1, help="Most opportunities per learner.")] = 2000,
    placement: Annotated[
        bool, typer.Option("--placement/--no-placement", help="Also measure the full-graph placement.")
    ] = True,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object instead of tables.")] = False,
) -> None:
    """Run synthetic learners to a goal under each policy; print opportunities to the goal and placement figures."""
    try:
        chosen = _policies(policy)
        curriculum = load_curriculum(graph)
        sc = scenario(scenario_name)
        with Progress(
            TextColumn("simulating"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=err
        ) as progress:
            task = progress.add_task("learners", total=learners)
            report = simulate(
                curriculum,
                sc,
                chosen,
                learners=learners,
                seed=seed,
                goal=goal,
                budget=budget,
                measure_placement=placement,
                on_step=lambda k: progress.update(task, completed=k),
            )
    except LearnpathError as exc:
        err.print(f"[red]simulate failed:[/red] {exc.message}")
        for e in getattr(exc, "errors", [])[1:]:
            err.print(f"  {e.field}: {e.message}")
        raise typer.Exit(2) from exc
    data = report.to_dict()
    data["graph"] = graph
    if as_json:
        typer.echo(json.dumps(data))
        return
    out = Console()
    out.print(_table(report, graph))
    if "placement" in data:
        p = data["placement"]
        out.print(
            f"placement over all {report.skills} skills: {p['questions']:.1f} questions on average, "
            f"{p['skill_state_accuracy']:.1%} of skill states right (lowest {p['min_skill_state_accuracy']:.1%})"
        )
