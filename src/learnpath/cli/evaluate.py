"""``learnpath evaluate``: fit a learner model on a published split and print its test figures."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from learnpath.cli.app import app
from learnpath.errors import LearnpathError, ValidationError
from learnpath.interop.datasets import PROTOCOLS, load_split

__all__ = ["evaluate"]

err = Console(stderr=True)


def _params(pairs: list[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for pair in pairs:
        key, sep, raw = pair.partition("=")
        if not sep or not key:
            raise ValidationError.for_field("param", f"expected NAME=VALUE, got {pair!r}")
        try:
            out[key] = json.loads(raw)
        except json.JSONDecodeError:
            out[key] = raw
    return out


@app.command("evaluate")
def evaluate(
    data: Annotated[Path, typer.Option("--data", help="Folder holding the split's files.")],
    protocol: Annotated[str, typer.Option("--protocol", help=f"One of: {', '.join(PROTOCOLS)}.")],
    model: Annotated[str, typer.Option("--model", help="Learner model name (see the registry).")],
    fold: Annotated[
        int | None, typer.Option("--fold", help="akt: fold 1-5 (default 1); pykt: hold out fold 0-4.")
    ] = None,
    param: Annotated[
        list[str] | None, typer.Option("--param", help="Hyperparameter NAME=VALUE (JSON value); repeatable.")
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print one JSON object instead of a table.")
    ] = False,
) -> None:
    """Fit MODEL on the protocol's training rows and score it on its test interactions."""
    from learnpath.learner.evaluation import evaluate_model
    from learnpath.learner.registry import MODELS, build_model  # every model: loaded when the command runs

    try:
        if model not in MODELS:
            raise ValidationError.for_field(
                "model", f"unknown model {model!r}; known: {', '.join(sorted(MODELS))}"
            )
        with err.status(f"loading {data} ({protocol})") as status:
            split = load_split(data, protocol, fold)
            estimator = build_model(model, **_params(param or []))
            result = evaluate_model(
                estimator,
                split.train,
                split.test,
                split.test_rows,
                timer=time.perf_counter,
                on_step=lambda msg: status.update(msg),
            )
    except LearnpathError as exc:
        err.print(f"[red]evaluate failed:[/red] {escape(exc.message)}")  # messages may hold [brackets]
        for e in getattr(exc, "errors", [])[1:]:
            err.print(f"  {escape(e.message)}")
        raise typer.Exit(2) from exc
    if as_json:
        typer.echo(json.dumps(result.to_dict()))
        return
    table = Table(title=f"{model} on {data} ({split.description})")
    for col in ("AUC", "RMSE", "accuracy", "log loss", "fit s", "predict s", "n_test"):
        table.add_column(col, justify="right")
    table.add_row(
        f"{result.auc:.4f}",
        f"{result.rmse:.4f}",
        f"{result.accuracy:.4f}",
        f"{result.log_loss:.4f}",
        f"{result.fit_seconds:.2f}",
        f"{result.predict_seconds:.2f}",
        f"{result.n_test:,}",
    )
    Console().print(table)
