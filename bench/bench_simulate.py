"""The simulator's table (issue 5) and the placement diagnostic's accuracy and speed.

Run from the repository root (not a test; about 10-15 minutes on 2 shared cores)::

    .venv/bin/python bench/bench_simulate.py                 # writes docs/benchmarks.md "## Simulator and placement"
    .venv/bin/python bench/bench_simulate.py --no-write      # prints only
    .venv/bin/python bench/bench_simulate.py --learners 30   # quicker, noisier

1. Opportunities to the goal per policy (``learnpath simulate`` with ``--json``, the same code), on the Zimba
   K-8 progression graph and on the demo school's graph, in the reference scenario and the ``bundles``
   scenario (a learning rule the tutor does not assume), with the issue's targets checked.
2. Placement: questions and share of skill states right over the whole graph (from the same runs).
3. Placement speed on a random 1,000-skill layered graph (10 grades of 100): ms of ``start``, of
   ``next_question`` + ``answer`` per question, and of rebuilding a saved 25-answer state
   (``PlacementState.from_dict``), which is what a web request does. One process, pure compute.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
from _report import write_section  # bench/_report.py (the script folder is on sys.path)

from learnpath.cli.simulate import load_curriculum
from learnpath.core.graph import SkillGraph
from learnpath.recommend import placement as pl
from learnpath.simulate import scenario, simulate

ROOT = Path(__file__).resolve().parents[1]
SECTION = "## Simulator and placement"
ZIMBA = (
    "../shared/fixtures/case/learning-progressions/zimba-graph-jeffbaumes/"
    "GraphData-EdgesOnly-Grade-00-08-2011-06-01-cleaned_EdgeSet.csv"
)
GRAPHS = {"Zimba K-8": ZIMBA, "demo": "demo"}


def run_table(learners: int, seed: int) -> list[dict[str, Any]]:
    rows = []
    for label, graph in GRAPHS.items():
        curriculum = load_curriculum(graph)
        for name in ("reference", "bundles"):
            t0 = time.perf_counter()
            report = simulate(curriculum, scenario(name), learners=learners, seed=seed)
            data = report.to_dict()
            data["label"], data["graph"], data["seconds"] = label, graph, time.perf_counter() - t0
            print(f"{label} {name}: {json.dumps(data['policies']['learnpath'])}", file=sys.stderr)
            rows.append(data)
    return rows


def layered_graph(
    rng: np.random.Generator, grades: int = 10, width: int = 100
) -> tuple[SkillGraph[str], dict[str, float]]:
    skills = [f"{g}.S.{i}" for g in range(grades) for i in range(width)]
    edges = []
    for g in range(1, grades):
        for i in range(width):
            for _ in range(int(rng.integers(1, 4))):
                src = g - 1 if rng.random() < 0.8 else int(rng.integers(0, g))
                edges.append((f"{src}.S.{int(rng.integers(0, width))}", f"{g}.S.{i}"))
    return SkillGraph.build(skills, edges), {s: float(s.split(".")[0]) for s in skills}


def placement_speed(learners: int) -> dict[str, Any]:
    rng = np.random.default_rng(11)
    graph, levels = layered_graph(rng)
    index = {s: i for i, s in enumerate(graph.skills)}
    order = list(reversed(graph.topological_order()))
    start_ms, question_ms, rebuild_ms, cold_ms, questions, accuracy = [], [], [], [], [], []
    for k in range(learners):
        grade = rng.uniform(0, 10)
        known = np.array([levels[s] < grade and rng.random() < 0.85 for s in graph.skills])
        for s in order:
            if known[index[s]]:
                for p in graph.prerequisites(s):
                    known[index[p]] = True
        t = time.perf_counter()
        state = pl.start(graph, levels, pl.PlacementConfig(seed=k, target_accuracy=1.0))
        start_ms.append(1000 * (time.perf_counter() - t))
        while True:
            t = time.perf_counter()
            q = pl.next_question(state)
            if q is None:
                break
            correct = bool(rng.random() < (0.9 if known[index[q.skill]] else 0.2))
            state = pl.answer(state, q, correct)
            question_ms.append(1000 * (time.perf_counter() - t))
        data = json.loads(json.dumps(state.to_dict()))
        t = time.perf_counter()
        pl.PlacementState.from_dict(data, graph, levels)  # a request in a running server (prior cached)
        rebuild_ms.append(1000 * (time.perf_counter() - t))
        pl._batch.cache_clear()  # a fresh process: the prior particles are drawn again
        t = time.perf_counter()
        pl.PlacementState.from_dict(data, graph, levels)
        cold_ms.append(1000 * (time.perf_counter() - t))
        est = pl.result(state).estimates
        questions.append(len(state.answers))
        accuracy.append(float(np.mean([est[s].known == known[index[s]] for s in graph.skills])))

    def pct(xs: list[float]) -> dict[str, float]:
        return {"p50": float(np.percentile(xs, 50)), "p99": float(np.percentile(xs, 99))}

    return {
        "skills": len(graph.skills),
        "edges": len(graph.edges),
        "learners": learners,
        "start_ms": pct(start_ms),
        "question_ms": pct(question_ms),
        "rebuild_ms": pct(rebuild_ms),
        "rebuild_cold_ms": pct(cold_ms),
        "questions": float(np.mean(questions)),
        "accuracy": float(np.mean(accuracy)),
    }


def fmt_ratio(row: dict[str, Any], policy: str, base: str) -> str:
    value = row["policies"][policy].get(f"ratio_to_{base}")
    return "" if value is None else f"{value:.2f}"


def render(rows: list[dict[str, Any]], speed: dict[str, Any], learners: int, seed: int, load: float) -> str:
    when = datetime.now(UTC).strftime("%Y-%m-%d")
    out = [
        SECTION,
        "",
        f"Produced by `.venv/bin/python bench/bench_simulate.py --learners {learners} --seed {seed}` on {when}; "
        f"machine: {platform.machine()}, {os.cpu_count()} shared cores, Python {platform.python_version()}, "
        f"load average {load:.1f} at start. Each block is one `learnpath simulate --graph G --learners {learners} "
        f"--policy all --seed {seed} --scenario S --json` (same code); scenarios and policies: "
        "[simulation.md](simulation.md). Means count every learner (an episode cut at the 2,000 budget counts "
        "2,000), placement questions included.",
        "",
        "| graph | scenario | policy | mean opportunities | median | reached goal | x oracle | x fixed | x random |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        for name, p in row["policies"].items():
            out.append(
                f"| {row['label']} ({row['skills']} skills, {row['goals']} goals) | {row['scenario']} | {name} | "
                f"{p['mean_opportunities_to_goal']:.1f} | {p['median']:.0f} | {p['reached_goal_fraction']:.1%} | "
                f"{fmt_ratio(row, name, 'oracle')} | {fmt_ratio(row, name, 'fixed')} | {fmt_ratio(row, name, 'random')} |"
            )
    out += [
        "",
        "Targets (issue 5), reference scenario: learnpath <= 2.0x oracle, <= 0.35x fixed, <= 0.8x random; "
        "bundles: <= 0.5x fixed.",
        "",
        "| graph | scenario | learnpath x oracle | x fixed | x random | met |",
        "|---|---|---|---|---|---|",
    ]
    for row in rows:
        lp = row["policies"]["learnpath"]
        ro, rf, rr = lp["ratio_to_oracle"], lp["ratio_to_fixed"], lp["ratio_to_random"]
        if row["scenario"] == "reference":
            met = {"<= 2.0x oracle": ro <= 2.0, "<= 0.35x fixed": rf <= 0.35, "<= 0.8x random": rr <= 0.8}
        else:
            met = {"<= 0.5x fixed": rf <= 0.5}
        verdict = ", ".join(f"{k}: {'yes' if v else 'no'}" for k, v in met.items())
        out.append(f"| {row['label']} | {row['scenario']} | {ro:.2f} | {rf:.2f} | {rr:.2f} | {verdict} |")
    out += [
        "",
        "Placement over the whole graph (default settings: at most 25 questions, stop at 95% expected states "
        "right), on each learner's starting state; the `learnpath` policy's own placement covers only the goal "
        "and its ancestors (at most 8 questions).",
        "",
        "| graph | scenario | questions (mean) | skill states right (mean) | lowest | learners >= 90% | learnpath's placement: questions, states right |",
        "|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        p, lp = row["placement"], row["policies"]["learnpath"]["placement"]
        out.append(
            f"| {row['label']} | {row['scenario']} | {p['questions']:.1f} | {p['skill_state_accuracy']:.1%} | "
            f"{p['min_skill_state_accuracy']:.1%} | {p['share_at_least_90']:.0%} | "
            f"{lp['questions']:.1f}, {lp['skill_state_accuracy']:.1%} |"
        )
    s = speed
    out += [
        "",
        f"Placement speed on a random layered graph of {s['skills']:,} skills ({s['edges']:,} edges, 10 grades), "
        f"{s['learners']} learners run to 25 questions (stop rule off), 3,000 particles: "
        f"`start` p50 {s['start_ms']['p50']:.1f} ms (p99 {s['start_ms']['p99']:.1f}); one question "
        f"(`next_question` + `answer`) p50 {s['question_ms']['p50']:.1f} ms (p99 {s['question_ms']['p99']:.1f}); "
        f"rebuilding a saved 25-answer state (`from_dict`, what a web request does) p50 "
        f"{s['rebuild_ms']['p50']:.1f} ms (p99 {s['rebuild_ms']['p99']:.1f}) in a running process, "
        f"{s['rebuild_cold_ms']['p50']:.1f} ms (p99 {s['rebuild_cold_ms']['p99']:.1f}) when the prior particles "
        f"must be drawn again (a fresh process); after 25 questions "
        f"{s['accuracy']:.1%} of skill states right.",
    ]
    return "\n".join(out) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--learners", type=int, default=100)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--speed-learners", type=int, default=10)
    ap.add_argument("--no-write", action="store_true", help="print only; leave docs/benchmarks.md alone")
    args = ap.parse_args()
    load = os.getloadavg()[0]
    speed = placement_speed(args.speed_learners)
    print(json.dumps(speed), file=sys.stderr)
    rows = run_table(args.learners, args.seed)
    text = render(rows, speed, args.learners, args.seed, load)
    print(text)
    if not args.no_write:
        write_section(ROOT / "docs" / "benchmarks.md", text, SECTION)


if __name__ == "__main__":
    main()
