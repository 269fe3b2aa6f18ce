"""``learnpath fit``: refit the learner model from every attempt and swap it in only if it validates."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from learnpath.cli.app import app
from learnpath.cli.evaluate import _params
from learnpath.cli.server import DbOption, _context, _settings
from learnpath.errors import LearnpathError

__all__ = ["fit"]

DEFAULT_FIT_MODEL = "auto"
"""service.models.DEFAULT_FIT_MODEL, written out so ``learnpath --help`` does not load every model (the two
are kept equal by tests/cli/test_startup.py)."""

err = Console(stderr=True)

LABELS = {
    "load": "Loading attempts",
    "fit": "Fitting the candidate",
    "validate": "Validating on held-out learners",
    "save": "Saving the version",
}


@app.command("fit")
def fit(
    db: DbOption = None,
    model: Annotated[
        str,
        typer.Option(
            "--model",
            help="Learner model name (see the registry), or auto: fit best and bkt, keep the better on held-out learners.",
        ),
    ] = DEFAULT_FIT_MODEL,
    param: Annotated[
        list[str] | None, typer.Option("--param", help="Hyperparameter NAME=VALUE (JSON value); repeatable.")
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print one JSON object instead of a summary.")
    ] = False,
) -> None:
    """Refit MODEL from all attempts; make it active only if its held-out AUC is not worse."""
    from learnpath.service.models import PHASES, candidate_model, fit_model

    try:
        hyperparameters = _params(param or [])
        candidate_model(model, hyperparameters)  # an unknown name or hyperparameter fails before any work
        ctx = _context(_settings(db))
        columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
        with Progress(*columns, console=err, transient=as_json) as bar:
            task = bar.add_task(LABELS["load"], total=len(PHASES))

            def on_phase(phase: str) -> None:
                bar.update(task, completed=PHASES.index(phase), description=LABELS[phase])  # type: ignore[arg-type]

            report = fit_model(ctx, model, hyperparameters, on_phase=on_phase)
            bar.update(task, completed=len(PHASES), description="Done")
    except LearnpathError as exc:
        err.print(f"[red]fit failed:[/red] {exc.message}")
        for e in getattr(exc, "errors", []):
            if e.message not in exc.message:
                err.print(f"  {e.field}: {e.message}")
        raise typer.Exit(2) from exc
    if as_json:
        typer.echo(json.dumps(report.to_dict()))
        return
    verdict = (
        "[green]active now[/green]" if report.accepted else "[yellow]rejected; kept the active one[/yellow]"
    )
    err.print(
        f"{report.model} version {report.version_id}: {verdict}\n"
        f"  {report.reason}\n"
        f"  {report.n_attempts:,} attempts of {report.n_learners:,} learners "
        f"({report.n_heldout_learners} held out, {report.n_heldout_attempts:,} held-out attempts); "
        f"{report.seconds:.1f} s"
    )
