"""Shared by the benchmarks: put a section of results into docs/benchmarks.md."""

from __future__ import annotations

from pathlib import Path

__all__ = ["BENCHMARKS", "write_section"]

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
