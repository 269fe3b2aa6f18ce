"""Small groups and teams: how long do suggestions take for a class of 35, and how close are teams to the bound?

Run from the repository root (not a test; about a minute)::

    .venv/bin/python bench/bench_groups.py              # writes docs/benchmarks.md "## Small groups and teams"
    .venv/bin/python bench/bench_groups.py --no-write   # prints only

Two parts:

1. *Solvers* (pure, ``learnpath.orchestrate``): random classes of several sizes, each learner with up to three
   of 12 topics (first topics drawn from a skewed distribution, as real classes share a few next skills), 3
   keep-apart and 2 keep-together pairs. ``form_groups`` (groups of at most 5; one worker, 1 s limit) and
   ``form_teams`` (teams of at most 4 over 4 skills, P(mastery) drawn from Beta(3, 1); 2 workers, 1 s limit):
   wall time (median, max), the share proved optimal, and the gap (bound - objective) / bound.
2. *In the app*: the demo school's grade 4 class grown to 35 learners (the grade 5 learners enrolled too,
   with their simulated histories), as the teacher on SQLite: ``service.grouping.suggest_groups`` around a
   shared next skill and around a shared mistake (groups of at most 5), and ``suggest_teams`` (at most 4,
   skills chosen by learnpath). The issue's target, groups and a rotation for 35 learners under 2 s, is
   measured together with the rotation in ``bench/bench_rotation.py``.
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

from learnpath.orchestrate.grouping import LearnerNeeds, form_groups
from learnpath.orchestrate.teams import TeamLearner, form_teams

SECTION = "## Small groups and teams"
TOPICS = [f"S{i}" for i in range(12)]
SKILLS = ["S0", "S1", "S2", "S3"]


def random_class(
    n: int, seed: int
) -> tuple[list[LearnerNeeds], list[TeamLearner], list[tuple[int, int]], list[tuple[int, int]]]:
    rng = np.random.default_rng(seed)
    weights = 1 / np.arange(1, len(TOPICS) + 1)
    weights /= weights.sum()
    needs = []
    for i in range(n):
        k = int(rng.integers(0, 4))
        needs.append(
            LearnerNeeds(i, tuple(str(t) for t in rng.choice(TOPICS, size=k, replace=False, p=weights)))
        )
    learners = [TeamLearner(i, {s: float(rng.beta(3, 1)) for s in SKILLS}) for i in range(n)]
    picks = [int(x) for x in rng.permutation(n)[:10]]
    apart = [(picks[2 * k], picks[2 * k + 1]) for k in range(3)]
    together = [(picks[6 + 2 * k], picks[7 + 2 * k]) for k in range(2)]
    return needs, learners, apart, together


def solver_rows(seeds: int) -> list[dict[str, object]]:
    warm = random_class(12, 0)  # load OR-Tools once, outside the timings (an app process keeps it loaded)
    form_groups(warm[0], 3)
    form_teams(warm[1], 3, SKILLS, time_limit_s=0.1)
    rows = []
    for n in (25, 35, 60):
        g_times, t_times, g_opt, t_opt, t_gaps = [], [], 0, 0, []
        for seed in range(seeds):
            needs, learners, apart, together = random_class(n, seed)
            start = time.perf_counter()
            groups = form_groups(needs, 5, apart=apart, together=together, time_limit_s=1.0)
            g_times.append(time.perf_counter() - start)
            g_opt += groups.status == "optimal"
            start = time.perf_counter()
            teams = form_teams(
                learners, 4, SKILLS, apart=apart, together=together, time_limit_s=1.0, workers=2
            )
            t_times.append(time.perf_counter() - start)
            t_opt += teams.status == "optimal"
            t_gaps.append(teams.gap)
        rows.append(
            {
                "learners": n,
                "groups_median_s": statistics.median(g_times),
                "groups_max_s": max(g_times),
                "groups_optimal": g_opt,
                "teams_median_s": statistics.median(t_times),
                "teams_max_s": max(t_times),
                "teams_optimal": t_opt,
                "teams_max_gap": max(t_gaps),
                "seeds": seeds,
            }
        )
        print(rows[-1], flush=True)
    return rows


def app_rows(repeats: int) -> dict[str, object]:
    from learnpath.service.grouping import suggest_groups, suggest_teams

    demo = demo_class(35, "bench-groups-")
    ctx, actor, class_id, n_learners, build_s = (
        demo.ctx,
        demo.actor,
        demo.class_id,
        demo.n_learners,
        demo.build_s,
    )
    times: dict[str, list[float]] = {"next_skill": [], "error_pattern": [], "teams": []}
    counts: dict[str, int] = {}
    statuses, gaps = [], []
    for _ in range(repeats):
        for basis in ("next_skill", "error_pattern"):
            start = time.perf_counter()
            counts[basis] = len(suggest_groups(ctx, actor, class_id, size=5, basis=basis))
            times[basis].append(time.perf_counter() - start)
        start = time.perf_counter()
        teams = suggest_teams(ctx, actor, class_id, size=4)
        times["teams"].append(time.perf_counter() - start)
        statuses.append(teams.status)
        gaps.append(teams.gap)
        counts["teams"] = len(teams.teams)
    return {
        "learners": n_learners,
        "build_s": build_s,
        "counts": counts,
        "median": {k: statistics.median(v) for k, v in times.items()},
        "max": {k: max(v) for k, v in times.items()},
        "teams_optimal": sum(s == "optimal" for s in statuses),
        "teams_max_gap": max(gaps),
        "skills": [c for c, _ in teams.skills],
        "repeats": repeats,
    }


def report(solver: list[dict[str, object]], app: dict[str, object], command: str) -> str:
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    day = datetime.now(UTC).date().isoformat()
    lines = [
        SECTION,
        "",
        f"Produced by `{command}` on {day}; {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, load average {load:.1f} at the end. CP-SAT (OR-Tools): groups with "
        "1 worker, teams with 2, both with a 1 s limit; *gap* is (bound - objective) / bound, 0 when proved "
        "optimal. The machine is shared: times are indicative. Groups + rotation for 35 learners under 2 s: "
        'see "Station rotations".',
        "",
        "Solvers alone (pure), 3 keep-apart and 2 keep-together pairs; groups of at most 5, teams of at most 4 over 4 skills:",
        "",
        "| learners | groups median s | groups max s | groups proved optimal | teams median s | teams max s | teams proved optimal | teams max gap |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in solver:
        lines.append(
            f"| {r['learners']} | {r['groups_median_s']:.3f} | {r['groups_max_s']:.3f} | {r['groups_optimal']} of {r['seeds']} | "
            f"{r['teams_median_s']:.3f} | {r['teams_max_s']:.3f} | {r['teams_optimal']} of {r['seeds']} | "
            f"{float(r['teams_max_gap']):.2%} |"  # type: ignore[arg-type]
        )
    med, top, counts = app["median"], app["max"], app["counts"]
    assert isinstance(med, dict) and isinstance(top, dict) and isinstance(counts, dict)
    lines += [
        "",
        f"In the app (SQLite): the demo's grade 4 class grown to {app['learners']} learners, as teacher1, "
        f"{app['repeats']} times (demo build {float(app['build_s']):.1f} s, not counted); teams over the skills "  # type: ignore[arg-type]
        f"learnpath chose ({', '.join(app['skills'])}):",  # type: ignore[arg-type]
        "",
        "| use case | result | median s | max s |",
        "|---|---|---|---|",
        f'| `suggest_groups(size=5, basis="next_skill")` | {counts["next_skill"]} groups | {med["next_skill"]:.3f} | {top["next_skill"]:.3f} |',
        f'| `suggest_groups(size=5, basis="error_pattern")` | {counts["error_pattern"]} groups | {med["error_pattern"]:.3f} | {top["error_pattern"]:.3f} |',
        f"| `suggest_teams(size=4)` | {counts['teams']} teams, {app['teams_optimal']} of {app['repeats']} proved optimal, max gap {float(app['teams_max_gap']):.2%} | {med['teams']:.3f} | {top['teams']:.3f} |",  # type: ignore[arg-type]
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    description = (__doc__ or "").split("\n\n")[0]
    run_solver_and_app("bench_groups.py", description, solver_rows, app_rows, report)


if __name__ == "__main__":
    main()
