"""``learnpath import content FILE.csv`` and ``learnpath refine-difficulty``."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from learnpath.cli.app import app
from learnpath.cli.imports import import_app
from learnpath.cli.server import DbOption, _settings
from learnpath.errors import LearnpathError, ValidationError

if TYPE_CHECKING:  # the service layer loads when a command runs, not for ``learnpath --help``
    from learnpath.service.context import ServiceContext

__all__ = ["import_content", "refine_difficulty"]

err = Console(stderr=True)


@contextmanager
def _context(db: str | None) -> Iterator[ServiceContext]:
    """A service context on the migrated database; its connections are closed afterwards."""
    from learnpath.service.context import ServiceContext
    from learnpath.storage import make_engine, make_sessionmaker, upgrade

    settings = _settings(db)
    engine = make_engine(settings.database_url)
    try:
        upgrade(engine)
        yield ServiceContext(make_sessionmaker(engine), settings)
    finally:
        engine.dispose()


JsonOption = Annotated[bool, typer.Option("--json", help="Print one JSON object instead of text.")]


def _fail(exc: LearnpathError, as_json: bool, what: str) -> typer.Exit:
    errors = [e.to_dict() for e in getattr(exc, "errors", [])]
    if as_json:
        typer.echo(json.dumps({"ok": False, "error": exc.message, "errors": errors}))
    else:
        err.print(f"[red]{what} failed:[/red] {exc.message}")
        for e in errors:
            err.print(f"  {e['field']}: {e['message']}")
    return typer.Exit(2)


@import_app.command("content")
def import_content(
    file: Annotated[Path, typer.Argument(help="A content CSV (format: docs/content.md).")],
    db: DbOption = None,
    school: Annotated[
        int | None, typer.Option("--school", help="School id (needed when the database holds several).")
    ] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Check and count, change nothing.")] = False,
    as_json: JsonOption = False,
) -> None:
    """Add or update (by code) videos, readings, activities and projects from a CSV: all rows or none."""
    from learnpath.interop.content_csv import read_content_csv
    from learnpath.service.resources import import_content as run_import
    from learnpath.service.resources import school_ids

    try:
        try:
            text = file.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise ValidationError.for_field(str(file), f"cannot read it: {exc}") from exc
        with err.status(f"reading {file}"):
            rows = read_content_csv(text, file.name)
            with _context(db) as ctx:
                ids = school_ids(ctx)
                if school is None and len(ids) != 1:
                    raise ValidationError.for_field(
                        "--school", f"the database holds {len(ids)} schools; pick one of {ids} with --school"
                    )
                school_id = ids[0] if school is None else school
                if school_id not in ids:
                    raise ValidationError.for_field(
                        "--school", f"no school with id {school_id}; known: {ids}"
                    )
                report = run_import(ctx, school_id, rows, dry_run=dry_run, source=file.name)
    except LearnpathError as exc:
        raise _fail(exc, as_json, "import") from exc
    if as_json:
        typer.echo(json.dumps({"ok": True, **report.to_dict()}))
        return
    verb = "would be" if dry_run else "were"
    Console().print(
        f"{report.rows} rows: {len(report.added)} {verb} added, {len(report.changed)} {verb} changed, "
        f"{len(report.unchanged)} unchanged."
    )


@app.command("refine-difficulty")
def refine_difficulty(
    db: DbOption = None,
    prior_weight: Annotated[
        float, typer.Option("--prior-weight", min=0, help="How many attempts the author's value counts as.")
    ] = 10.0,
    as_json: JsonOption = False,
) -> None:
    """Refine item and content difficulties from all attempts (Rasch fit blended with the authors' values)."""
    from learnpath.service.difficulty import refine_difficulty as run_refine

    try:
        with err.status("fitting item difficulties"), _context(db) as ctx:
            report = run_refine(ctx, prior_weight=prior_weight)
    except LearnpathError as exc:
        raise _fail(exc, as_json, "refine-difficulty") from exc
    if as_json:
        typer.echo(json.dumps(report.to_dict()))
        return
    Console().print(
        f"Refined {report.items_refined} of {report.items} items from {report.attempts} attempts "
        f"(largest change {report.largest_change:+.2f}) and {report.content_refined} of {report.content} "
        "pieces of content."
    )
