"""``learnpath import ...``: bring outside formats (CASE, progressions, QTI, content CSV) into the database.

Each format's command lives in its own module and registers on :data:`import_app`.
"""

from __future__ import annotations

import typer

from learnpath.cli.app import app

__all__ = ["import_app"]

import_app = typer.Typer(
    name="import", help="Import standards, progressions, items and content.", no_args_is_help=True
)
app.add_typer(import_app, name="import")
