"""BKT speed benchmark: learnpath's Numba EM against pyBKT 1.4.3 (C++ build), side by side.

Run from the repository root (not a test; takes several minutes)::

    .venv/bin/python bench/bench_bkt.py                 # full run, writes docs/benchmarks.md "## BKT speed"
    .venv/bin/python bench/bench_bkt.py --quick --no-write   # small scaling grid, prints only

Every measurement runs in its own subprocess (fresh interpreter, its own peak RSS): pyBKT in its
venv (.peers/pybkt, recipe in /work/shared/PEERS.md), ours in this venv. "cold" is a fresh process
with an empty Numba cache (compile time included); "warm" a fresh process with the cache filled.
Timings are only compared as ratios measured in the same run. Top-level imports are stdlib only,
because the pyBKT worker runs this file under the peer's interpreter.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import resource
import shlex
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from _report import write_section  # bench/_report.py (the script folder is on sys.path)

ROOT = Path(__file__).resolve().parents[1]
DATA = Path("/work/shared/data")
PEER = ROOT / ".peers/pybkt/bin/python"
DATASETS = {"assist2009": DATA / "assist2009/gervet2020", "statics2011": DATA / "statics2011/gervet2020"}
SECTION = "## BKT speed"


# -- workers (run in a subprocess) ------------------------------------------------------------
def _read(path: Path) -> Any:
    import pandas as pd  # type: ignore[import-untyped]

    df = pd.read_csv(path, sep="\t")
    return df.reset_index(drop=True)


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def worker_pybkt(job: dict[str, Any]) -> dict[str, Any]:
    import numpy as np
    import pandas as pd
    from pyBKT.models import Model  # type: ignore[import-not-found]

    def frame(path: Path) -> Any:
        df = _read(path)
        return pd.DataFrame(
            {"user_id": df["user_id"], "skill_name": df["skill_id"].astype(str), "correct": df["correct"]}
        )

    train, test = (
        frame(Path(job["data"]) / "preprocessed_data_train.tsv.gz"),
        frame(Path(job["data"]) / "preprocessed_data_test.tsv.gz"),
    )
    model = Model(seed=0, num_fits=job["num_fits"])
    t = time.perf_counter()
    model.fit(data=train, forgets=job["forgets"])
    fit_s = time.perf_counter() - t
    t = time.perf_counter()
    pred = model.predict(data=test)
    predict_s = time.perf_counter() - t
    np.save(job["out"], pred.sort_index()["correct_predictions"].to_numpy(np.float64))
    return {"fit_s": fit_s, "predict_s": predict_s, "peak_mb": _peak_mb()}


def _table(df: Any) -> tuple[Any, Any]:
    """An AttemptTable from a Gervet frame (stable sort by learner; timestamps are all 0) and the row order."""
    import numpy as np
    import pandas as pd

    from learnpath.learner.base import AttemptTable

    order = np.argsort(df["user_id"].to_numpy(), kind="stable")
    df = df.iloc[order]
    skill = pd.Categorical(df["skill_id"].astype(str))
    item = pd.Categorical(df["item_id"].astype(str))
    n = len(df)
    table = AttemptTable(
        learner=df["user_id"].to_numpy(np.int64),
        item=item.codes.astype(np.int64),
        skill_indptr=np.arange(n + 1, dtype=np.int64),
        skill_indices=skill.codes.astype(np.int64),
        correct=df["correct"].to_numpy(np.int8),
        timestamp=df["timestamp"].to_numpy(np.float64),
        item_names=tuple(item.categories),
        skill_names=tuple(skill.categories),
    )
    return table, order


def worker_ours(job: dict[str, Any]) -> dict[str, Any]:
    import numpy as np

    from learnpath.learner.bkt import BKT

    train, _ = _table(_read(Path(job["data"]) / "preprocessed_data_train.tsv.gz"))
    test, order = _table(_read(Path(job["data"]) / "preprocessed_data_test.tsv.gz"))
    model = BKT(forgets=job["forgets"], n_restarts=job["num_fits"], rng=0, n_jobs=job["n_jobs"])
    t = time.perf_counter()
    model.fit(train)
    fit_s = time.perf_counter() - t
    t = time.perf_counter()
    p = model.predict_proba(test)
    predict_s = time.perf_counter() - t
    out = np.empty_like(p)
    out[order] = p
    np.save(job["out"], out)
    unseen = int((~np.isin(np.asarray(test.skill_names)[test.skill_indices], model.skills_)).sum())
    return {"fit_s": fit_s, "predict_s": predict_s, "peak_mb": _peak_mb(), "unseen_test_rows": unseen}


def worker_scale(job: dict[str, Any]) -> dict[str, Any]:
    import numpy as np

    from learnpath.learner.bkt import BKT, BKTParams, simulate_attempts

    rng = np.random.default_rng(job["seed"])
    skills = job["skills"]
    params = {
        f"s{i}": BKTParams(
            prior=float(rng.uniform(0.1, 0.6)),
            learn=float(rng.uniform(0.05, 0.3)),
            guess=float(rng.uniform(0.1, 0.3)),
            slip=float(rng.uniform(0.05, 0.2)),
            forget=float(rng.uniform(0.0, 0.05)),
        )
        for i in range(skills)
    }
    per_learner = 200
    table = simulate_attempts(params, max(job["rows"] // per_learner, 1), per_learner, rng)
    before_mb = _peak_mb()
    model = BKT(forgets=True, n_restarts=job["num_fits"], rng=0, n_jobs=job["n_jobs"])
    t = time.perf_counter()
    model.fit(table)
    fit_s = time.perf_counter() - t
    iters = float(np.mean(list(model.n_iter_.values())))
    return {"fit_s": fit_s, "peak_mb": _peak_mb(), "peak_before_fit_mb": before_mb, "mean_em_iters": iters}


WORKERS = {"pybkt": worker_pybkt, "ours": worker_ours, "scale": worker_scale}


# -- driver -----------------------------------------------------------------------------------
def spawn(python: Path | str, job: dict[str, Any], cache_dir: str) -> dict[str, Any]:
    env = {**os.environ, "NUMBA_CACHE_DIR": cache_dir, "PYTHONPATH": str(ROOT / "src")}
    proc = subprocess.run(
        [str(python), __file__, "--worker", json.dumps(job)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    if proc.returncode:
        raise RuntimeError(f"worker {job['kind']} failed:\n{proc.stderr[-3000:]}")
    return dict(json.loads(proc.stdout.strip().splitlines()[-1]))


def auc(path: str, truth: Any) -> float:
    import numpy as np
    from sklearn.metrics import roc_auc_score  # type: ignore[import-untyped]

    return float(roc_auc_score(truth, np.load(path)))


def machine() -> str:
    cpu = "unknown CPU"
    info = Path("/proc/cpuinfo")
    if info.exists():
        found = re.search(r"model name\s*:\s*(.+)", info.read_text())
        cpu = found.group(1).strip() if found else cpu
    load = os.getloadavg()[0]
    return (
        f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, load average {load:.1f} at start"
    )


def run_real(args: argparse.Namespace, tmp: str, log: list[str]) -> list[dict[str, Any]]:
    rows = []
    for name, path in DATASETS.items():
        truth = _read(path / "preprocessed_data_test.tsv.gz")["correct"].to_numpy()
        for forgets in (False, True):
            base = {"data": str(path), "forgets": forgets, "num_fits": args.num_fits}
            res: dict[str, Any] = {"dataset": name, "forgets": forgets}
            pb = spawn(args.peer, {**base, "kind": "pybkt", "out": f"{tmp}/pb.npy"}, f"{tmp}/nc-none")
            res["pybkt"] = {**pb, "auc": auc(f"{tmp}/pb.npy", truth)}
            cache = tempfile.mkdtemp(dir=tmp)  # empty Numba cache: the first run compiles
            for label, jobs in (("cold", args.jobs), ("warm", args.jobs), ("warm_1job", 1)):
                out = spawn(
                    sys.executable, {**base, "kind": "ours", "n_jobs": jobs, "out": f"{tmp}/o.npy"}, cache
                )
                res[label] = {**out, "auc": auc(f"{tmp}/o.npy", truth)}
            log.append(json.dumps(res))
            print(log[-1], flush=True)
            rows.append(res)
    return rows


def run_scale(args: argparse.Namespace, cache: str, log: list[str]) -> list[dict[str, Any]]:
    grid = [(100_000, 100), (1_000_000, 100), (10_000_000, 100), (1_000_000, 10), (1_000_000, 1000)]
    if args.quick:
        grid = [(100_000, 100), (300_000, 100), (300_000, 10), (300_000, 1000)]
    spawn(
        sys.executable,
        {"kind": "scale", "rows": 20_000, "skills": 10, "seed": 0, "num_fits": 1, "n_jobs": 1},
        cache,
    )
    rows = []
    for n, s in grid:
        job = {
            "kind": "scale",
            "rows": n,
            "skills": s,
            "seed": 1,
            "num_fits": args.scale_fits,
            "n_jobs": args.jobs,
        }
        res = {"rows": n, "skills": s, **spawn(sys.executable, job, cache)}
        log.append(json.dumps(res))
        print(log[-1], flush=True)
        rows.append(res)
    return rows


def report(args: argparse.Namespace, real: list[dict[str, Any]], scale: list[dict[str, Any]]) -> str:
    cmd = " ".join([".venv/bin/python bench/bench_bkt.py", *map(shlex.quote, sys.argv[1:])])
    lines = [
        SECTION,
        "",
        f"Produced by `{cmd}` on {time.strftime('%Y-%m-%d', time.gmtime())}; machine: {machine_line}.",
        f"pyBKT 1.4.3 C++ build (OpenMP) in `.peers/pybkt`, `Model(seed=0, num_fits={args.num_fits})`; ours "
        f"`BKT(n_restarts={args.num_fits}, rng=0, n_jobs={args.jobs})`; skill = `skill_id`; Gervet 2020 train/test split; "
        "AUC over every test row. Every cell is a fresh process; *cold* = empty Numba cache (compile included), "
        "*warm* = cache filled. The machine is shared, so only ratios from the same run mean much.",
        "",
        "| data | forgets | pyBKT fit s | ours cold fit s | ours warm fit s | fit speed-up (warm) | ours 1 thread fit s "
        "| pyBKT predict s | ours predict s | pyBKT AUC | ours AUC | ΔAUC |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in real:
        pb, cold, warm, one = r["pybkt"], r["cold"], r["warm"], r["warm_1job"]
        lines.append(
            f"| {r['dataset']} | {r['forgets']} | {pb['fit_s']:.2f} | {cold['fit_s']:.2f} | {warm['fit_s']:.2f} "
            f"| {pb['fit_s'] / warm['fit_s']:.1f}x | {one['fit_s']:.2f} | {pb['predict_s']:.2f} | {warm['predict_s']:.3f} "
            f"| {pb['auc']:.4f} | {warm['auc']:.4f} | {warm['auc'] - pb['auc']:+.4f} |"
        )
    lines += [
        "",
        f"Scaling (ours, synthetic BKT data with forgetting, 200 attempts per learner, `forgets=True`, "
        f"`n_restarts={args.scale_fits}`, `n_jobs={args.jobs}`, warm cache). Peak RSS is the whole worker "
        "process (data generation and table included), from `resource.getrusage`.",
        "",
        "| rows | skills | fit s | mean EM iterations | peak RSS before fit MB | peak RSS MB |",
        "|---|---|---|---|---|---|",
    ]
    for r in scale:
        lines.append(
            f"| {r['rows']:,} | {r['skills']:,} | {r['fit_s']:.2f} | {r['mean_em_iters']:.0f} "
            f"| {r['peak_before_fit_mb']:.0f} | {r['peak_mb']:.0f} |"
        )
    lines += [
        "",
        'Online `update` latency (BKT and Elo): see "Online update" below (`bench/bench_update.py`).',
        "",
    ]
    return "\n".join(lines)


machine_line = ""


def main() -> None:
    global machine_line
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    ap.add_argument("--peer", default=str(PEER), help="python of the pyBKT venv")
    ap.add_argument("--num-fits", type=int, default=5, help="EM restarts for both (pyBKT's default is 5)")
    ap.add_argument("--scale-fits", type=int, default=1, help="EM restarts in the scaling runs")
    ap.add_argument(
        "--jobs", type=int, default=2, help="threads for our fit (pyBKT uses OpenMP on all cores)"
    )
    ap.add_argument("--quick", action="store_true", help="small scaling grid")
    ap.add_argument("--no-write", action="store_true", help="print only; leave docs/benchmarks.md alone")
    ap.add_argument("--skip-real", action="store_true", help="skip the pyBKT comparison")
    args = ap.parse_args()
    if args.worker:
        job = json.loads(args.worker)
        print(json.dumps(WORKERS[job["kind"]](job)))
        return
    machine_line = machine()
    print(machine_line, flush=True)
    log: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        real = [] if args.skip_real else run_real(args, tmp, log)
        cache = tempfile.mkdtemp(dir=tmp)
        scale = run_scale(args, cache, log)
    text = report(args, real, scale)
    print(text)
    if not args.no_write:
        write_section(ROOT / "docs/benchmarks.md", text, SECTION)


if __name__ == "__main__":
    main()
