"""Path-to-goal and ready-to-learn on a 5,000-skill graph: are both under 5 ms?

Run from the repository root (not a test; about a minute)::

    .venv/bin/python bench/bench_paths.py              # writes docs/benchmarks.md "## Paths and the frontier"
    .venv/bin/python bench/bench_paths.py --no-write   # prints only

Two random layered DAGs of 5,000 skills in 25 layers of 200 (a framework's grades and domains), every skill
outside the first layer with 2 or 3 prerequisites (about 12,000 edges): *strands* keeps most prerequisites
in the skill's own domain (as a framework's progressions do), *uniform* draws them from anywhere below (the
ancestors of a top skill are then most of the graph: a worst case). Learners are simulated as having
mastered a prefix of the curriculum with holes: every skill of the first k layers with probability 0.9, a
few beyond (probability 0.1 in the next two layers), k drawn per learner (0 for some), so the path and the
frontier are of realistic size. Each timing is one call of the pure function (``learnpath.core.paths``) on an
already built ``SkillGraph`` (its build time is reported separately), over many learners and goals; p50 /
p95 / p99 / max in milliseconds.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
from _report import write_section  # bench/_report.py (the script folder is on sys.path)

from learnpath.core.graph import SkillGraph
from learnpath.core.paths import DEFAULT_PACE, path_to_goal, ready_to_learn

ROOT = Path(__file__).resolve().parents[1]
SECTION = "## Paths and the frontier"
TARGET_MS = 5.0


def layered_dag(
    rng: np.random.Generator, shape: str, layers: int = 25, width: int = 200, strands: int = 20
) -> tuple[list[str], list[tuple[str, str]]]:
    """``strands``: skill i of a layer is in strand i % 20 (a domain); its prerequisites come from its own
    strand one layer down (75%), two or three layers down (15%), or any strand one layer down (10%).
    ``uniform``: prerequisites from the layer below (70%) or any earlier layer (30%), any strand (the
    ancestors of a top skill are then most of the graph: a worst case)."""
    skills = [f"S{layer:02d}-{i:03d}" for layer in range(layers) for i in range(width)]
    edges: list[tuple[str, str]] = []
    for layer in range(1, layers):
        for i in range(width):
            me = skills[layer * width + i]
            k = int(rng.integers(2, 4))
            chosen: set[int] = set()
            while len(chosen) < k:
                r = rng.random()
                if shape == "uniform":
                    src = layer - 1 if r < 0.7 else int(rng.integers(0, layer))
                    chosen.add(src * width + int(rng.integers(0, width)))
                    continue
                if r < 0.75 or layer < 2:
                    src, any_strand = layer - 1, r >= 0.9
                elif r < 0.9:
                    src, any_strand = max(0, layer - int(rng.integers(2, 4))), False
                else:
                    src, any_strand = layer - 1, True
                col = int(rng.integers(0, width))
                if not any_strand:
                    col = int(rng.integers(0, width // strands)) * strands + i % strands
                chosen.add(src * width + col)
            edges += [(skills[c], me) for c in sorted(chosen)]
    return skills, edges


def learner_mastery(
    rng: np.random.Generator, layers: int, width: int
) -> tuple[dict[str, float], dict[str, int]]:
    k = int(rng.integers(0, layers))
    mastery: dict[str, float] = {}
    attempts: dict[str, int] = {}
    for layer in range(layers):
        p_known = 0.9 if layer < k else (0.1 if layer < k + 2 else 0.0)
        if p_known == 0.0:
            break
        for i in range(width):
            code = f"S{layer:02d}-{i:03d}"
            r = rng.random()
            if r < p_known:
                mastery[code], attempts[code] = 0.97, int(rng.integers(3, 15))
            elif r < p_known + 0.05:
                mastery[code], attempts[code] = float(rng.uniform(0.2, 0.9)), int(rng.integers(1, 8))
    return mastery, attempts


def summary(ms: list[float]) -> dict[str, float]:
    qs = np.percentile(ms, [50, 95, 99])
    return {"p50": float(qs[0]), "p95": float(qs[1]), "p99": float(qs[2]), "max": max(ms), "n": len(ms)}


def run(shape: str, n_learners: int, goals_per_learner: int, seed: int) -> dict[str, object]:
    rng = np.random.default_rng(seed)
    layers, width = 25, 200
    skills, edges = layered_dag(rng, shape, layers, width)
    t0 = time.perf_counter()
    graph = SkillGraph.build(skills, edges)
    build_ms = (time.perf_counter() - t0) * 1000
    timings: dict[str, list[float]] = {"ready": [], "path1": [], "path3": []}
    cpu: dict[str, list[float]] = {"ready": [], "path1": [], "path3": []}
    path_sizes: list[int] = []
    ready_sizes: list[int] = []
    top = skills[-3 * width :]
    for _ in range(n_learners):
        mastery, attempts = learner_mastery(rng, layers, width)
        t, c = time.perf_counter(), time.thread_time()
        ready = ready_to_learn(graph, mastery)
        timings["ready"].append((time.perf_counter() - t) * 1000)
        cpu["ready"].append((time.thread_time() - c) * 1000)
        ready_sizes.append(len(ready))
        for _ in range(goals_per_learner):
            goal = [top[int(rng.integers(0, len(top)))]]
            t, c = time.perf_counter(), time.thread_time()
            path = path_to_goal(graph, goal, mastery, attempts=attempts, pace=DEFAULT_PACE)
            timings["path1"].append((time.perf_counter() - t) * 1000)
            cpu["path1"].append((time.thread_time() - c) * 1000)
            path_sizes.append(len(path.steps))
            goals3 = [top[int(rng.integers(0, len(top)))] for _ in range(3)]
            t, c = time.perf_counter(), time.thread_time()
            path_to_goal(graph, goals3, mastery, attempts=attempts, pace=DEFAULT_PACE)
            timings["path3"].append((time.perf_counter() - t) * 1000)
            cpu["path3"].append((time.thread_time() - c) * 1000)
    return {
        "shape": shape,
        "skills": len(skills),
        "edges": len(graph.edges),
        "build_ms": build_ms,
        "timings": {k: summary(v) for k, v in timings.items()},
        "cpu": {k: summary(v) for k, v in cpu.items()},
        "path_len": (int(np.median(path_sizes)), max(path_sizes)),
        "ready_len": (int(np.median(ready_sizes)), max(ready_sizes)),
    }


def table(result: dict[str, object]) -> list[str]:
    t = result["timings"]
    assert isinstance(t, dict)
    names = {
        "ready": "`ready_to_learn`",
        "path1": "`path_to_goal`, 1 goal",
        "path3": "`path_to_goal`, 3 goals",
    }
    rows = [
        f"**{result['shape']}** graph: {result['skills']:,} skills, {result['edges']:,} edges; building the "
        f"`SkillGraph` once (validation, cycle check, topological order) {result['build_ms']:.0f} ms; path "
        f"length median {result['path_len'][0]}, longest {result['path_len'][1]}; ready-to-learn median "  # type: ignore[index]
        f"{result['ready_len'][0]}, largest {result['ready_len'][1]}.",  # type: ignore[index]
        "",
        "| call | calls | wall p50 ms | wall p95 ms | wall p99 ms | wall max ms | CPU p50 ms | CPU p99 ms | CPU p99 under 5 ms |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    c = result["cpu"]
    assert isinstance(c, dict)
    for key, label in names.items():
        s, u = t[key], c[key]
        ok = "yes" if u["p99"] < TARGET_MS else "**no**"
        rows.append(
            f"| {label} | {s['n']:,} | {s['p50']:.2f} | {s['p95']:.2f} | {s['p99']:.2f} | {s['max']:.2f} "
            f"| {u['p50']:.2f} | {u['p99']:.2f} | {ok} |"
        )
    return [*rows, ""]


def report(results: list[dict[str, object]], command: str, machine: str) -> str:
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    lines = [
        SECTION,
        "",
        f"Produced by `{command}` on {datetime.now(UTC):%Y-%m-%d}; machine: {machine}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, load average {load:.1f} at the end.",
        "Random layered DAGs of 5,000 skills in 25 layers of 200, 2 or 3 prerequisites per skill (shapes in "
        "`bench/bench_paths.py`: *strands* keeps most prerequisites in the skill's own domain, like a "
        "framework's progressions; *uniform* draws them from anywhere below, the worst case). Each learner has "
        "mastered a random prefix of layers with holes (90% of each, 10% of the next two; none for some); "
        "goals come from the top three layers. Times are one call of the pure function "
        f"(`learnpath.core.paths`) on a built `SkillGraph`, in milliseconds (target: under {TARGET_MS:.0f} ms): "
        "*wall* is elapsed time, *CPU* the calling thread's CPU time (`time.thread_time`), which leaves out the "
        "time the shared machine's scheduler gave to other processes mid-call.",
        "",
    ]
    for r in results:
        lines += table(r)
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--learners", type=int, default=300, help="simulated learners (default 300)")
    parser.add_argument("--goals", type=int, default=5, help="goal draws per learner (default 5)")
    parser.add_argument("--seed", type=int, default=20261123)
    parser.add_argument("--machine", default="x86_64, shared", help="words for the machine in the report")
    parser.add_argument("--no-write", action="store_true", help="print only; leave docs/benchmarks.md alone")
    args = parser.parse_args()
    results = [run(shape, args.learners, args.goals, args.seed) for shape in ("strands", "uniform")]
    argv = " ".join(sys.argv[1:])
    command = f".venv/bin/python bench/bench_paths.py{' ' + argv if argv else ''}"
    text = report(results, command, args.machine)
    print(text)
    if not args.no_write:
        write_section(ROOT / "docs" / "benchmarks.md", text, SECTION)


if __name__ == "__main__":
    main()
