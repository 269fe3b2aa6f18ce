"""Station rotations: is a class of 35 learners and 6 stations planned (with suggested groups) in under 2 s,
optimal or within 5% of the CP-SAT bound?

Run from the repository root (not a test; about a minute)::

    .venv/bin/python bench/bench_rotation.py              # writes docs/benchmarks.md "## Station rotations"
    .venv/bin/python bench/bench_rotation.py --no-write   # prints only

Two parts, both with the solver's settings (``LEARNPATH_ROTATION_TIME_LIMIT_S`` 1.5 s, 2 workers):

1. *Solver* (``learnpath.orchestrate.rotation.solve_rotation``, pure): random classes of several sizes, each
   learner's need drawn (re-teach 30%, practice 50%, enrich 20%), 3 keep-apart and 2 keep-together pairs,
   a 60-minute period; stations of 15 minutes, or 10 minutes with two of 20 (a 20-minute station takes two
   10-minute slots). Several seeds per size: wall time (median, max) and the gap between the plan and the
   solver's upper bound (max over seeds).
2. *In the app*: the demo school's grade 4 class grown to 35 learners (the 10 grade 5 learners enrolled too,
   each with their simulated practice history), then, as the teacher, ``service.grouping.suggest_groups``
   (groups of 5 around a shared next skill) followed by ``service.rotations.plan_rotation`` (6 stations, 60
   minutes, needs from the learner model): the wall time of the two together, measured on SQLite.
"""

from __future__ import annotations

import os
import platform
import statistics
import time
from datetime import UTC, datetime

import numpy as np
from _demo import demo_class  # bench/_demo.py (the script folder is on sys.path)
from _report import run_solver_and_app  # bench/_report.py (the script folder is on sys.path)

from learnpath.orchestrate.rotation import NEEDS, Modality, RotationProblem, Station, solve_rotation

SECTION = "## Station rotations"
TARGET_S = 2.0
TARGET_GAP = 0.05
TIME_LIMIT_S = 1.5
WORKERS = 2
KINDS: list[tuple[str, Modality, int]] = [
    ("Teacher table", "teacher", 6),
    ("Practice", "practice", 8),
    ("Video", "video", 8),
    ("Hands-on", "hands_on", 8),
    ("Together", "collaborative", 8),
    ("Challenge", "enrichment", 6),
    ("Reading", "practice", 8),
    ("Project", "enrichment", 8),
]


def stations(n: int, lengths: str, n_learners: int) -> tuple[Station, ...]:
    """``n`` stations whose seats hold the class (capacities scaled up when needed)."""
    chosen = KINDS[:n]
    seats = sum(c for _, _, c in chosen)
    scale = max(1.0, n_learners * 1.15 / seats)
    minutes = [15] * n if lengths == "15" else [20 if i in (1, 3) else 10 for i in range(n)]
    # when the slots leave no choice (as many 15-minute stations as slots), every learner visits each one
    least = int(np.ceil(n_learners / n)) if lengths == "15" and n * 15 <= 60 else 1
    return tuple(
        Station(name, modality, max(least, int(np.ceil(c * scale))), minutes[i])
        for i, (name, modality, c) in enumerate(chosen)
    )


def problem(n_learners: int, n_stations: int, lengths: str, seed: int) -> RotationProblem:
    rng = np.random.default_rng(seed)
    learners = tuple(range(1, n_learners + 1))
    needs = {i: NEEDS[int(rng.choice(3, p=[0.3, 0.5, 0.2]))] for i in learners}
    picks = rng.permutation(n_learners)[:10] + 1
    apart = tuple(tuple(sorted((int(picks[2 * k]), int(picks[2 * k + 1])))) for k in range(3))
    together = tuple(tuple(sorted((int(picks[6 + 2 * k]), int(picks[7 + 2 * k])))) for k in range(2))
    return RotationProblem(
        stations(n_stations, lengths, n_learners),
        60,
        learners,
        needs,
        apart,  # type: ignore[arg-type]
        together,  # type: ignore[arg-type]
    )


def solver_rows(seeds: int) -> list[dict[str, object]]:
    rows = []
    for n_learners, n_stations, lengths in [
        (20, 4, "15"),
        (25, 4, "15"),
        (35, 6, "15"),
        (35, 6, "10/20"),
        (50, 6, "15"),
        (70, 8, "15"),
    ]:
        times, gaps, statuses = [], [], []
        for seed in range(seeds):
            p = problem(n_learners, n_stations, lengths, seed)
            start = time.perf_counter()
            sol = solve_rotation(p, time_limit_s=TIME_LIMIT_S, workers=WORKERS, seed=0)
            times.append(time.perf_counter() - start)
            gaps.append(sol.gap)
            statuses.append(sol.status)
        rows.append(
            {
                "learners": n_learners,
                "stations": n_stations,
                "lengths": lengths,
                "slots": p.n_slots,
                "median_s": statistics.median(times),
                "max_s": max(times),
                "max_gap": max(gaps),
                "optimal": sum(s == "optimal" for s in statuses),
                "seeds": seeds,
            }
        )
        print(rows[-1], flush=True)
    return rows


def app_rows(repeats: int) -> dict[str, object]:
    """The demo class grown to 35 learners: suggested groups, then a planned rotation, as the teacher."""
    from learnpath.service import rotations
    from learnpath.service.grouping import suggest_groups
    from learnpath.service.rotations import ClassStation, RotationSpec

    demo = demo_class(35, "bench-rotation-")
    ctx, actor, class_id, build_s = demo.ctx, demo.actor, demo.class_id, demo.build_s
    six = tuple(ClassStation(name, modality, seats, 15) for name, modality, seats in KINDS[:6])
    group_times, plan_times, totals, gaps, statuses = [], [], [], [], []
    n_groups = 0
    for _ in range(repeats):
        start = time.perf_counter()
        n_groups = len(suggest_groups(ctx, actor, class_id, size=5))
        mid = time.perf_counter()
        plan = rotations.plan_rotation(ctx, actor, class_id, RotationSpec(60, stations=six, title="bench"))
        end = time.perf_counter()
        group_times.append(mid - start)
        plan_times.append(end - mid)
        totals.append(end - start)
        gaps.append(plan.gap)
        statuses.append(plan.status)
    needs = {n: sum(1 for p in plan.learners if p.need == n) for n in NEEDS}
    return {
        "learners": len(plan.learners),
        "needs": needs,
        "groups": n_groups,
        "build_s": build_s,
        "groups_median_s": statistics.median(group_times),
        "plan_median_s": statistics.median(plan_times),
        "total_median_s": statistics.median(totals),
        "total_max_s": max(totals),
        "max_gap": max(gaps),
        "optimal": sum(s == "optimal" for s in statuses),
        "repeats": repeats,
    }


def report(solver: list[dict[str, object]], app: dict[str, object], command: str) -> str:
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    day = datetime.now(UTC).date().isoformat()
    lines = [
        SECTION,
        "",
        f"Produced by `{command}` on {day}; {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, load average {load:.1f} at the end. CP-SAT (OR-Tools) with a "
        f"{TIME_LIMIT_S:g} s limit and {WORKERS} workers; *gap* is (bound - objective) / bound, 0 when proved "
        f"optimal. Target: a class of 35 and 6 stations, suggested groups included, under {TARGET_S:g} s, "
        f"optimal or within {TARGET_GAP:.0%} of the bound. The machine is shared: times are indicative.",
        "",
        "Solver alone (pure), 60-minute period, 3 keep-apart and 2 keep-together pairs:",
        "",
        "| learners | stations | lengths (min) | slots | median s | max s | max gap | proved optimal |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in solver:
        lines.append(
            f"| {r['learners']} | {r['stations']} | {r['lengths']} | {r['slots']} | {r['median_s']:.3f} | "
            f"{r['max_s']:.3f} | {float(r['max_gap']):.2%} | {r['optimal']} of {r['seeds']} |"  # type: ignore[arg-type]
        )
    groups = f"{app['groups']} groups of at most 5"
    ok = float(app["total_max_s"]) < TARGET_S and float(app["max_gap"]) <= TARGET_GAP  # type: ignore[arg-type]
    lines += [
        "",
        f"In the app (SQLite): the demo's grade 4 class grown to {app['learners']} learners (needs from their "
        f"histories: {app['needs']}), as teacher1; suggested groups ({groups}) then a 6-station, 60-minute "
        f"rotation, {app['repeats']} times (demo build {float(app['build_s']):.1f} s, not counted):",  # type: ignore[arg-type]
        "",
        "| suggest groups median s | plan rotation median s | both median s | both max s | max gap | proved optimal | target met |",
        "|---|---|---|---|---|---|---|",
        f"| {float(app['groups_median_s']):.3f} | {float(app['plan_median_s']):.3f} | "  # type: ignore[arg-type]
        f"{float(app['total_median_s']):.3f} | {float(app['total_max_s']):.3f} | "  # type: ignore[arg-type]
        f"{float(app['max_gap']):.2%} | {app['optimal']} of {app['repeats']} | {'yes' if ok else 'no'} |",  # type: ignore[arg-type]
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    description = (__doc__ or "").split("\n\n")[0]
    run_solver_and_app("bench_rotation.py", description, solver_rows, app_rows, report)


if __name__ == "__main__":
    main()
