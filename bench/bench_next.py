"""Next-step choices: core compute for one learner on a 1,000-skill graph (target: under 5 ms).

Run from the repository root (not a test)::

    .venv/bin/python bench/bench_next.py              # writes "## Next-step choices: core" in docs/benchmarks.md
    .venv/bin/python bench/bench_next.py --no-write   # prints only

The graph: 1,000 skills in 9 grades (K-8), each with 0 to 3 prerequisites from earlier grades, a tenth of
them tagged with an interest, half with challenge items. Learners: a new one (no history) and learners who know each skill below a
drawn grade with probability 0.85 (closed under prerequisites), each known skill with an FSRS memory last
used 0 to 120 days ago, some skills fallen from mastered or with wrong answers in a row, two interests and
two must-do assignments. Timed: ``ChoicePolicy.choose`` (select -> score -> rank, FSRS retrievability of
every memory) per learner, after one warm-up call; the curriculum indexes are built once, as the service
caches them. Reported: median and p99 over all calls.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
from _report import write_section  # bench/_report.py (the script folder is on sys.path)

from learnpath.core.graph import SkillGraph
from learnpath.recommend.choices import ChoicePolicy, Curriculum, LearnerSnapshot, MustDo, SkillFacts
from learnpath.recommend.review import Memory, ReviewModel

ROOT = Path(__file__).resolve().parents[1]
SECTION = "## Next-step choices: core"
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
TAGS = ("animals", "art", "building", "cooking", "games", "money", "music", "nature", "space", "sports")


def curriculum(n_skills: int, rng: np.random.Generator) -> Curriculum:
    grades = np.sort(rng.integers(0, 9, size=n_skills))
    codes = [f"G{g}.S{i:04d}" for i, g in enumerate(grades)]
    edges = []
    for i in range(n_skills):
        earlier = np.flatnonzero(grades < grades[i])
        if len(earlier):
            for j in rng.choice(
                earlier[-120:], size=min(len(earlier), int(rng.integers(0, 4))), replace=False
            ):
                edges.append((codes[int(j)], codes[i]))
    facts = [
        SkillFacts(
            codes[i],
            int(grades[i]),
            frozenset({TAGS[int(rng.integers(len(TAGS)))]}) if rng.random() < 0.1 else frozenset(),
            has_challenge=i % 2 == 0,  # half the skills have challenge items (``deepen`` once mastered)
        )
        for i in range(n_skills)
    ]
    return Curriculum.build(SkillGraph.build(codes, edges), facts)


def learner(cur: Curriculum, rng: np.random.Generator, review: ReviewModel) -> LearnerSnapshot:
    grade = int(rng.integers(2, 8))
    known = {s for s, f in cur.facts.items() if (f.grade or 0) < grade and rng.random() < 0.85}
    for s in list(known):
        known |= cur.graph.ancestors(s)
    p = {s: float(rng.uniform(0.95, 1.0)) for s in known}
    n = {s: int(rng.integers(1, 8)) for s in known}
    wrong: dict[str, int] = {}
    peaks: dict[str, float] = {}
    memories: dict[str, Memory] = {}
    for s in known:
        m = review.review(None, True, NOW - timedelta(days=float(rng.uniform(0, 120))))
        memories[s] = review.review(m, True, m.last_review + timedelta(days=1))
        peaks[s] = p[s]
    fallen = rng.choice(sorted(known), size=min(5, len(known)), replace=False) if known else []
    for s in fallen:
        p[str(s)] = 0.7
    frontier = [s for s in cur.graph.topological_order() if s not in known][:10]
    for s in frontier[:3]:
        p[s], n[s], wrong[s] = 0.3, 4, 2
    must = [MustDo(s, i, NOW + timedelta(days=i + 1)) for i, s in enumerate(frontier[3:5])]
    interests = frozenset(str(t) for t in rng.choice(TAGS, size=2, replace=False))
    return LearnerSnapshot(grade, p, n, wrong, peaks, memories, interests, must)


def run(n_skills: int, n_learners: int, repeat: int) -> dict[str, float]:
    rng = np.random.default_rng(5)
    t0 = time.perf_counter()
    cur = curriculum(n_skills, rng)
    build_s = time.perf_counter() - t0
    review = ReviewModel()
    policy = ChoicePolicy(review=review)
    learners = [LearnerSnapshot(), *(learner(cur, rng, review) for _ in range(n_learners))]
    times: list[float] = []
    cpu: list[float] = []
    n_choices: list[int] = []
    for snap in learners:
        policy.choose(cur, snap, NOW)  # warm-up
        for _ in range(repeat):
            c = time.thread_time()
            t = time.perf_counter()
            out = policy.choose(cur, snap, NOW)
            times.append(time.perf_counter() - t)
            cpu.append(time.thread_time() - c)
        n_choices.append(len(out.choices))
    ms = np.array(times) * 1000
    cpu_ms = np.array(cpu) * 1000
    return {
        "skills": n_skills,
        "edges": len(cur.graph.edges),
        "learners": len(learners),
        "calls": len(times),
        "mean_memories": float(np.mean([len(s.memories) for s in learners])),
        "build_ms": build_s * 1000,
        "p50_ms": float(np.percentile(ms, 50)),
        "p99_ms": float(np.percentile(ms, 99)),
        "max_ms": float(ms.max()),
        "cpu_p50_ms": float(np.percentile(cpu_ms, 50)),
        "cpu_p99_ms": float(np.percentile(cpu_ms, 99)),
        "min_choices": min(n_choices),
        "max_choices": max(n_choices),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--learners", type=int, default=200)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--no-write", action="store_true", help="print only; leave docs/benchmarks.md alone")
    args = ap.parse_args()
    load = os.getloadavg()[0]
    rows = [run(n, args.learners, args.repeat) for n in (100, 1000, 3000)]
    lines = [
        SECTION,
        "",
        f"Produced by `.venv/bin/python bench/bench_next.py{''.join(' ' + a for a in sys.argv[1:])}` on {time.strftime('%Y-%m-%d')}; "
        f"Python {platform.python_version()}, {os.cpu_count()} cores, load average {load:.1f} at start. "
        "Core compute only (`ChoicePolicy.choose`: select, score, rank, FSRS retrievability of every memory), "
        "on a random graph with 0-3 prerequisites per skill; one new learner plus learners who know 85% of "
        "the skills below a grade drawn from 2-7, each known skill with an FSRS memory. Target: under 5 ms "
        "at 1,000 skills. Wall-clock times include preemption by other work on the shared cores; the CPU "
        "columns (`time.thread_time`) count only this thread's compute.",
        "",
        "| skills | edges | learners | calls | memories per learner | p50 ms | p99 ms | max ms | CPU p50 ms | CPU p99 ms | choices (min-max) | curriculum build ms (once) |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['skills']:,} | {r['edges']:,} | {r['learners']} | {r['calls']:,} | {r['mean_memories']:.0f} | "
            f"{r['p50_ms']:.2f} | {r['p99_ms']:.2f} | {r['max_ms']:.2f} | {r['cpu_p50_ms']:.2f} | "
            f"{r['cpu_p99_ms']:.2f} | {r['min_choices']}-{r['max_choices']} | "
            f"{r['build_ms']:.0f} |"
        )
    text = "\n".join(lines) + "\n"
    print(text)
    if not args.no_write:
        write_section(ROOT / "docs/benchmarks.md", text, SECTION)


if __name__ == "__main__":
    main()
