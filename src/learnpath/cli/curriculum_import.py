"""``learnpath import case``, ``learnpath import progressions`` and ``learnpath import qti``."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from learnpath.cli.imports import import_app
from learnpath.cli.server import DbOption, _context, _settings
from learnpath.errors import LearnpathError

if TYPE_CHECKING:  # the service layer loads when a command runs, not for ``learnpath --help``
    from learnpath.service.context import ServiceContext
    from learnpath.service.curriculum import ImportReport
    from learnpath.service.qti_import import QtiReport

__all__ = ["case", "progressions", "qti"]

err = Console(stderr=True)
SHOWN = 15

DryRunOption = Annotated[
    bool, typer.Option("--dry-run", help="Show what would be added, changed and removed; write nothing.")
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print one JSON object with the counts.")]


def _fail(what: str, exc: LearnpathError) -> typer.Exit:
    err.print(f"[red]{what} failed:[/red] {exc.message}", highlight=False)
    for e in getattr(exc, "errors", [])[:50]:
        err.print(f"  {e.field}: {e.message}", highlight=False)
    return typer.Exit(2)


@contextmanager
def _steps(quiet: bool) -> Iterator[Callable[[str], None]]:
    """A spinner with the current step and the time so far (on stderr, so --json stays clean)."""
    columns = (SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn())
    with Progress(*columns, console=err, transient=True, disable=quiet) as bar:
        task = bar.add_task("starting", total=None)
        yield lambda step: bar.update(task, description=step)


def _run(db: str | None) -> ServiceContext:
    return _context(_settings(db))


def _lines(title: str, lines: Sequence[str], colour: str) -> None:
    if not lines:
        return
    err.print(f"[{colour}]{title} ({len(lines)}):[/{colour}]", highlight=False)
    for line in lines[:SHOWN]:
        err.print(f"  {line}", highlight=False, markup=False)
    if len(lines) > SHOWN:
        err.print(f"  ... and {len(lines) - SHOWN} more (--json lists the warnings)", highlight=False)


def _show(report: ImportReport) -> None:
    verb = "Would import" if report.dry_run else "Imported"
    table = Table(title=f"{verb} {report.kind}: {report.title} ({report.framework})")
    for col in ("skills", "edges", "added", "changed", "removed", "warnings"):
        table.add_column(col, justify="right")
    c = report.counts()
    table.add_row(*(str(c[k]) for k in ("skills", "edges", "added", "changed", "removed", "warnings")))
    Console().print(table)
    prefix = "would be " if report.dry_run else ""
    _lines(f"{prefix}added", report.added, "green")
    _lines(f"{prefix}changed", report.changed, "yellow")
    _lines(f"{prefix}removed", report.removed, "red")
    _lines("warnings", report.warnings, "yellow")
    if report.dry_run:
        err.print("Dry run: nothing was written.")


def _emit(report: ImportReport, as_json: bool) -> None:
    if as_json:
        typer.echo(json.dumps(report.counts(), ensure_ascii=False))
    else:
        _show(report)


@import_app.command("case")
def case(
    file: Annotated[Path, typer.Argument(help="A CASE package (JSON): CASE 1.0, 1.1 or the draft shape.")],
    db: DbOption = None,
    dry_run: DryRunOption = False,
    as_json: JsonOption = False,
    progression: Annotated[
        list[Path] | None,
        typer.Option(
            "--progressions",
            help="Also attach this progression edge list, in the same transaction (repeatable).",
        ),
    ] = None,
) -> None:
    """Import or update a CASE framework: its items become skills, `precedes` become prerequisites."""
    from learnpath.service.curriculum import SYSTEM, import_case

    try:
        ctx = _run(db)
        with _steps(as_json) as step:
            report = import_case(
                ctx, SYSTEM, file, dry_run=dry_run, progressions=progression or [], on_step=step
            )
    except LearnpathError as exc:
        raise _fail("import case", exc) from exc
    _emit(report, as_json)


@import_app.command("progressions")
def progressions(
    file: Annotated[
        Path, typer.Argument(help="An edge list: Coherence Map feed, Zimba CSV, flywheel JSON/CSV.")
    ],
    db: DbOption = None,
    framework: Annotated[
        str | None,
        typer.Option(
            "--framework", help="Identifier (or title) of the imported framework to map codes onto."
        ),
    ] = None,
    dry_run: DryRunOption = False,
    as_json: JsonOption = False,
    break_group_cycles: Annotated[
        bool,
        typer.Option(
            "--break-group-cycles/--keep-group-cycles",
            help="Drop (with a warning) pairs from code lists such as K.G.1,2 that would close a cycle.",
        ),
    ] = True,
    strict: Annotated[
        bool, typer.Option("--strict", help="Refuse the file if a code matches no skill.")
    ] = False,
) -> None:
    """Attach prerequisite edges between standard codes to an imported framework."""
    from learnpath.service.curriculum import SYSTEM, import_progressions

    try:
        ctx = _run(db)
        with _steps(as_json) as step:
            report = import_progressions(
                ctx,
                SYSTEM,
                file,
                framework=framework,
                dry_run=dry_run,
                break_group_cycles=break_group_cycles,
                strict=strict,
                on_step=step,
            )
    except LearnpathError as exc:
        raise _fail("import progressions", exc) from exc
    _emit(report, as_json)


def _show_qti(report: QtiReport) -> None:
    c = report.counts()
    table = Table(title=f"Imported QTI items from {report.source}")
    cols = ("items", "added", "changed", "unchanged", "aligned", "teacher_scored", "media", "unsupported")
    for col in cols:
        table.add_column(col.replace("_", " "), justify="right")
    table.add_row(*(str(c["unsupported_count"] if k == "unsupported" else c[k]) for k in cols))
    Console().print(table)
    _lines("added", report.added, "green")
    _lines("changed", report.changed, "yellow")
    unsupported = [
        f"{u['file']}: {u['identifier']} ({', '.join(u['unsupported'])})" for u in report.unsupported
    ]
    _lines("not supported (interaction types)", unsupported, "yellow")
    _lines("could not be read", report.problems, "red")
    _lines("warnings", report.warnings, "yellow")


@import_app.command("qti")
def qti(
    path: Annotated[Path, typer.Argument(help="A QTI item file, a folder, or a content-package zip.")],
    db: DbOption = None,
    as_json: JsonOption = False,
    skill: Annotated[
        str | None,
        typer.Option("--skill", help="Align items without a (known) CASE alignment to this skill code."),
    ] = None,
    strict: Annotated[
        bool,
        typer.Option("--strict", help="Import nothing if any file in the folder or package is unreadable."),
    ] = False,
) -> None:
    """Import QTI items (3.0; 2.x converted); list the ones with interactions we do not support."""
    from learnpath.service.curriculum import SYSTEM
    from learnpath.service.qti_import import import_qti

    try:
        ctx = _run(db)
        columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
        with Progress(*columns, console=err, transient=True, disable=as_json) as bar:
            task = bar.add_task(f"reading {path}", total=None)

            def on_item(done: int, total: int) -> None:
                bar.update(task, description="storing items", completed=done, total=total)

            report = import_qti(ctx, SYSTEM, path, skill=skill, strict=strict, on_item=on_item)
    except LearnpathError as exc:
        raise _fail("import qti", exc) from exc
    if as_json:
        out: dict[str, Any] = report.counts()
        typer.echo(json.dumps(out, ensure_ascii=False))
    else:
        _show_qti(report)
