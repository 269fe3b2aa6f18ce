"""Curriculum import speed: the whole Common Core Math framework plus its progressions, and the QTI sweep.

Run from the repository root (not a test; about a minute)::

    .venv/bin/python bench/bench_import.py              # writes docs/benchmarks.md "## Curriculum import"
    .venv/bin/python bench/bench_import.py --no-write   # prints only

Two measurements, each on a fresh SQLite database (migrated before the clock starts):

- *service*: ``import_case`` of the OpenSALT CCSS Math export (703 CFItems), then ``import_progressions``
  of the Coherence Map feed, Zimba's CSV and the flywheel dependencies, in one process; best and median
  of ``--repeat`` runs; then the same four again on the filled database (a re-import that changes nothing);
- *command line*: the same four ``learnpath import ...`` commands as a user types them, each a fresh
  process (interpreter start-up and imports included), timed by wall clock.

The QTI sweep (``import_qti`` over all of ../shared/fixtures/qti) is timed the same way, once.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIX = ROOT.parent / "shared" / "fixtures"
CCSS = FIX / "case" / "opensalt" / "ccss-math_asn-D10003FB_draft-case.json"
LP = FIX / "case" / "learning-progressions"
PROGRESSIONS = (
    LP / "atc-coherence-map" / "edges_googlesheet_feed.json",
    LP / "zimba-graph-jeffbaumes" / "GraphData-EdgesOnly-Grade-00-08-2011-06-01-cleaned_EdgeSet.csv",
    LP / "flywheelmath-ccssm" / "json" / "ccssm-dependencies.json",
)
QTI = FIX / "qti"
SECTION = "## Curriculum import"


def _context(folder: Path):  # type: ignore[no-untyped-def]
    from learnpath.service.context import ServiceContext
    from learnpath.settings import Settings
    from learnpath.storage import make_engine, make_sessionmaker, upgrade

    url = f"sqlite:///{folder / 'bench.db'}"
    engine = make_engine(url)
    upgrade(engine)
    return ServiceContext(make_sessionmaker(engine), Settings(database_url=url, _env_file=None))  # type: ignore[call-arg]


def service_run(folder: Path) -> dict[str, float]:
    from learnpath.service.curriculum import SYSTEM, import_case, import_progressions

    ctx = _context(folder)
    out: dict[str, float] = {}
    for label in ("first", "again"):
        t0 = time.perf_counter()
        case = import_case(ctx, SYSTEM, CCSS)
        t1 = time.perf_counter()
        reports = [import_progressions(ctx, SYSTEM, p) for p in PROGRESSIONS]
        t2 = time.perf_counter()
        out[f"{label}_case"], out[f"{label}_progressions"], out[f"{label}_total"] = t1 - t0, t2 - t1, t2 - t0
        out["skills"], out["edges"] = case.skills, reports[-1].edges
    return out


def _child_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def cli_run(folder: Path) -> dict[str, float]:
    """Wall and CPU seconds (user + system, of the child processes) of the four commands."""
    exe = str(ROOT / ".venv" / "bin" / "learnpath")
    db = f"sqlite:///{folder / 'cli.db'}"
    subprocess.run([exe, "init-db", "--db", db], check=True, capture_output=True)
    cpu0 = _child_cpu()
    subprocess.run([exe, "--help"], check=True, capture_output=True)
    start_up = _child_cpu() - cpu0
    commands = [[exe, "import", "case", str(CCSS), "--db", db, "--json"]]
    commands += [[exe, "import", "progressions", str(p), "--db", db, "--json"] for p in PROGRESSIONS]
    walls, cpus = [], []
    for cmd in commands:
        w, c = time.perf_counter(), _child_cpu()
        subprocess.run(cmd, check=True, capture_output=True)
        walls.append(time.perf_counter() - w)
        cpus.append(_child_cpu() - c)
    one = f"sqlite:///{folder / 'one.db'}"
    subprocess.run([exe, "init-db", "--db", one], check=True, capture_output=True)
    single = [exe, "import", "case", str(CCSS), "--db", one, "--json"]
    for p in PROGRESSIONS:
        single += ["--progressions", str(p)]
    w, c = time.perf_counter(), _child_cpu()
    subprocess.run(single, check=True, capture_output=True)
    one_wall, one_cpu = time.perf_counter() - w, _child_cpu() - c
    return {
        "single": one_wall,
        "cpu_single": one_cpu,
        "total": sum(walls),
        "case": walls[0],
        "progressions": sum(walls[1:]),
        "cpu_total": sum(cpus),
        "cpu_case": cpus[0],
        "cpu_progressions": sum(cpus[1:]),
        "start_up": start_up,
    }


def qti_run(folder: Path) -> dict[str, float]:
    from learnpath.service.curriculum import SYSTEM
    from learnpath.service.qti_import import import_qti

    ctx = _context(folder)
    t0 = time.perf_counter()
    report = import_qti(ctx, SYSTEM, QTI)
    t1 = time.perf_counter()
    import_qti(ctx, SYSTEM, QTI)
    t2 = time.perf_counter()
    return {
        "items": report.imported,
        "unsupported": len(report.unsupported),
        "first": t1 - t0,
        "again": t2 - t1,
    }


def write(section: str) -> None:
    path = ROOT / "docs" / "benchmarks.md"
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    if SECTION in text:
        start = text.index(SECTION)
        nxt = text.find("\n## ", start + len(SECTION))
        text = text[:start] + section + (text[nxt + 1 :] if nxt != -1 else "")
    else:
        text = text.rstrip("\n") + "\n\n" + section
    path.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    load = os.getloadavg()[0]
    runs, clis = [], []
    for _ in range(args.repeat):
        with tempfile.TemporaryDirectory() as tmp:
            runs.append(service_run(Path(tmp)))
        with tempfile.TemporaryDirectory() as tmp:
            clis.append(cli_run(Path(tmp)))
    with tempfile.TemporaryDirectory() as tmp:
        qti = qti_run(Path(tmp))

    def cell(values: list[float]) -> str:
        return f"{min(values):.2f} / {statistics.median(values):.2f}"

    rows = [
        ("import case (703 skills)", "case"),
        ("import progressions x3 (737 edges)", "progressions"),
        ("**total, fresh database**", "total"),
    ]
    single_row = (
        "| **one command**: `learnpath import case CCSS --progressions ATC --progressions ZIMBA --progressions FLY` "
        f"| - | {cell([c['single'] for c in clis])} | {cell([c['cpu_single'] for c in clis])} |"
    )
    lines = [
        SECTION,
        "",
        f"Produced by `.venv/bin/python bench/bench_import.py` on {time.strftime('%Y-%m-%d')}; machine: "
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"SQLite, load average {load:.1f} at start (the machine is shared by several agents, so wall seconds are "
        "inflated by waiting for a core; CPU seconds are what the work costs).",
        "Common Core Math (OpenSALT draft export, 703 CFItems, 703 `isChildOf`) and its progressions "
        "(Coherence Map feed, Zimba CSV, flywheel dependencies; 737 prerequisite edges in the end, a DAG). "
        f"Best / median of {args.repeat} runs, each on a fresh migrated database. *service* = the use cases "
        "(`import_case`, `import_progressions`) in one process, wall clock; *command line* = `learnpath import "
        "case ...` then three `learnpath import progressions ...`, each a fresh process, start-up included, as "
        "wall clock and as CPU (user + system). Target: under 10 s on 2 cores.",
        "",
        "| step | service wall s | command line wall s | command line CPU s |",
        "|---|---|---|---|",
    ]
    for name, key in rows:
        svc = [r[f"first_{key}"] for r in runs]
        lines.append(
            f"| {name} | {cell(svc)} | {cell([c[key] for c in clis])} | {cell([c['cpu_' + key] for c in clis])} |"
        )
    lines.append(single_row)
    lines += [
        f"| the same again on the filled database (nothing changes) | {cell([r['again_total'] for r in runs])} | - | - |",
        "",
        f"Start-up of one `learnpath` process (`learnpath --help`, CPU): {cell([c['start_up'] for c in clis])} s; "
        "the command-line rows pay it four times.",
        "",
        f"QTI sweep (`import_qti` over all of ../shared/fixtures/qti, one run, wall): {qti['items']:.0f} items "
        f"imported and {qti['unsupported']:.0f} listed as unsupported in {qti['first']:.2f} s; "
        f"the same again (all unchanged) {qti['again']:.2f} s.",
        "",
    ]
    section = "\n".join(lines)
    print(section)
    if not args.no_write:
        write(section)


if __name__ == "__main__":
    sys.exit(main())
