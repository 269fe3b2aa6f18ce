"""Shared by the benchmarks: put a section of results into docs/benchmarks.md."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

__all__ = ["BENCHMARKS", "run_solver_and_app", "write_section"]

BENCHMARKS = Path(__file__).resolve().parent.parent / "docs" / "benchmarks.md"


def write_section(path: Path, text: str, section: str | None = None) -> None:
    """Replace the ``## ...`` section that ``text`` starts with (or ``section``) in ``path``, or append it."""
    heading = section or text.lstrip().splitlines()[0]
    old = path.read_text() if path.exists() else "# Benchmarks\n"
    start = old.find(heading)
    if start < 0:
        new = old.rstrip("\n") + "\n\n" + text
    else:
        nxt = old.find("\n## ", start + len(heading))
        new = old[:start] + text + ("" if nxt < 0 else old[nxt:])
    path.write_text(new.rstrip("\n") + "\n")


def run_solver_and_app(
    script: str,
    description: str,
    solver_rows: Callable[[int], Any],
    app_rows: Callable[[int], Any],
    report: Callable[[Any, Any, str], str],
) -> None:
    """The command line of a benchmark with a pure-solver part (``--seeds``) and an in-app part
    (``--repeats``): run both, print the report and write it into docs/benchmarks.md (unless ``--no-write``)."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--seeds", type=int, default=5, help="random classes per size (default 5)")
    parser.add_argument("--repeats", type=int, default=5, help="in-app runs (default 5)")
    parser.add_argument("--no-write", action="store_true", help="print only; leave docs/benchmarks.md alone")
    args = parser.parse_args()
    solver = solver_rows(args.seeds)
    app = app_rows(args.repeats)
    print(app, flush=True)
    command = f".venv/bin/python bench/{script}" + "".join(f" {a}" for a in sys.argv[1:] if a != "--no-write")
    text = report(solver, app, command)
    print(text)
    if not args.no_write:
        write_section(BENCHMARKS, text)
