"""The stacked ``best`` on assist09 (Gervet split): fit time, what each component scores, online cost.

Fits ``best`` on the training file (timed; the load average is printed with it), scores each component and
the blend on the test rows, then replays the first test learners answer by answer: ``update`` and
``p_correct(state, skills, item=, at=)`` are each timed alone (p50 / p99), and ``mastery`` once per state.

    .venv/bin/python bench/bench_stack.py               # writes "## Stacked best" in docs/benchmarks.md
    .venv/bin/python bench/bench_stack.py --no-write    # prints only
"""

from __future__ import annotations

import argparse
import os
import platform
import shlex
import sys
import time
from pathlib import Path

import numpy as np
from _report import write_section  # bench/_report.py (the script folder is on sys.path)

from learnpath.interop.datasets import load_split
from learnpath.learner.metrics import score_all
from learnpath.learner.stack import Stack
from learnpath.testing.synthetic import table_attempts

ROOT = Path(__file__).resolve().parents[1]
SECTION = "## Stacked best"
DATA = ROOT.parent / "shared/data/assist2009/gervet2020"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--replay", type=int, default=400, help="test attempts replayed online")
    ap.add_argument("--no-write", action="store_true", help="print only; leave docs/benchmarks.md alone")
    args = ap.parse_args()
    split = load_split(DATA, "gervet")
    load0 = os.getloadavg()[0]
    t0, c0 = time.perf_counter(), time.process_time()
    model = Stack().fit(split.train)
    fit_s, fit_cpu = time.perf_counter() - t0, time.process_time() - c0
    load1 = os.getloadavg()[0]
    rows = split.test_rows
    y = split.test.correct[rows]
    aucs = {k: score_all(y, p[rows])["auc"] for k, p in model.component_proba(split.test).items()}
    aucs["blend"] = score_all(y, model.predict_proba(split.test)[rows])["auc"]
    print(f"fit {fit_s:.1f} s, CPU {fit_cpu:.1f} s (load {load0:.1f} -> {load1:.1f}); AUC {aucs}", flush=True)

    facts = table_attempts(split.test)[: args.replay]
    states: dict[int, dict[str, object]] = {}
    upd, pc, mas = [], [], []
    clock = time.perf_counter_ns
    for f in facts:
        state = states.get(f.learner) or model.init_state()
        t = clock()
        model.p_correct(state, f.skills, item=f.item, at=f.at)
        pc.append(clock() - t)
        t = clock()
        new = model.update(state, f)
        upd.append(clock() - t)
        t = clock()
        model.mastery(new)
        mas.append(clock() - t)
        states[f.learner] = new

    def q(v: list[int], pct: float) -> float:
        return float(np.percentile(np.array(v) / 1000.0, pct))

    load2 = os.getloadavg()[0]
    cmd = " ".join([".venv/bin/python bench/bench_stack.py", *map(shlex.quote, sys.argv[1:])])
    mean_skills = float(np.mean([len(s["lr"]["skills"]) for s in states.values()]))  # type: ignore[index]
    lines = [
        SECTION,
        "",
        f"Produced by `{cmd}` on {time.strftime('%Y-%m-%d', time.gmtime())}; {platform.processor() or 'CPU'}, "
        f"{os.cpu_count()} cores shared with other jobs, Python {platform.python_version()}; load average "
        f"{load0:.1f} before the fit, {load1:.1f} after it, {load2:.1f} at the end.",
        "",
        f"Fit of `best` on assist09 (Gervet train, {len(split.train):,} attempts): **{fit_s:.1f} s** wall, "
        f"{fit_cpu:.1f} CPU seconds over both threads (the components are fitted twice: on the non-held-out "
        "learners for the blender, then on all).",
        "",
        "| component | test AUC (assist09 Gervet) |",
        "|---|---|",
        *[f"| {k} | {v:.4f} |" for k, v in aucs.items()],
        "",
        f"Online, replaying the first {len(facts):,} test attempts ({len(states)} learner(s), "
        f"{mean_skills:.0f} skills per state at the end), each call timed alone:",
        "",
        "| call | p50 µs | p99 µs |",
        "|---|---|---|",
        f"| `update` | {q(upd, 50):.0f} | {q(upd, 99):.0f} |",
        f"| `p_correct(state, skills, item=, at=)` | {q(pc, 50):.0f} | {q(pc, 99):.0f} |",
        f"| `mastery(state)` (all practised skills) | {q(mas, 50):.0f} | {q(mas, 99):.0f} |",
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    if not args.no_write:
        write_section(ROOT / "docs/benchmarks.md", text, SECTION)


if __name__ == "__main__":
    main()
