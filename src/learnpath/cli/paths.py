"""``learnpath path``: the ordered skills to master on the way to one or more goals, with practice time."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table

from learnpath.cli.app import app
from learnpath.cli.server import DbOption, _context, _settings
from learnpath.errors import LearnpathError

if TYPE_CHECKING:  # the service layer loads when the command runs, not for ``learnpath --help``
    from learnpath.service.paths import LearnerPath

__all__ = ["path"]

err = Console(stderr=True)


def _as_dict(result: LearnerPath, username: str | None) -> dict[str, object]:
    return {
        "learner": username,
        "goals": [g.code for g in result.goals],
        "goals_met": result.goals_met,
        "steps": [
            {
                "code": s.code,
                "name": s.name,
                "goal": s.is_goal,
                "p_mastery": round(s.p_mastery, 4),
                "n_attempts": s.n_attempts,
                "attempts_left": round(s.attempts_left, 2),
                "minutes": round(s.minutes, 2),
            }
            for s in result.steps
        ],
        "total_minutes": round(result.total_minutes, 2),
        "pace": {
            "attempts_to_mastery": round(result.pace.attempts_to_mastery, 2),
            "seconds_per_attempt": round(result.pace.seconds_per_attempt, 2),
            "source": result.pace.source,
            "n_skills": result.pace.n_skills,
            "n_attempts": result.pace.n_attempts,
        },
    }


@app.command("path")
def path(
    goal: Annotated[list[str], typer.Option("--goal", help="Goal skill code; repeat for several goals.")],
    learner: Annotated[
        str | None,
        typer.Option(
            "--learner", help="Username of the learner (default: the full path from nothing mastered)."
        ),
    ] = None,
    db: DbOption = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print one JSON object instead of a table.")
    ] = False,
) -> None:
    """Print the skills still to master on the way to the goals, in order, with estimated practice time."""
    from learnpath.service.paths import path_for_username

    ctx = _context(_settings(db))
    try:
        result = path_for_username(ctx, goal, learner)
    except LearnpathError as exc:
        err.print(f"[red]path failed:[/red] {exc.message}")
        for e in getattr(exc, "errors", [])[1:]:
            err.print(f"  {e.message}")
        raise typer.Exit(2) from exc
    finally:
        engine = ctx.sessions.kw.get("bind")
        if engine is not None:  # close the pool's connections now (a PostgreSQL connection left open warns)
            engine.dispose()
    if as_json:
        typer.echo(json.dumps(_as_dict(result, learner)))
        return
    who = f"for {learner}" if learner else "from nothing mastered"
    table = Table(title=f"Path to {', '.join(g.code for g in result.goals)} {who}")
    for col, justify in (("#", "right"), ("skill", "left"), ("name", "left"), ("mastery", "right")):
        table.add_column(col, justify=justify)  # type: ignore[arg-type]
    table.add_column("attempts left", justify="right")
    table.add_column("minutes", justify="right")
    for i, s in enumerate(result.steps, start=1):
        table.add_row(
            str(i),
            f"[bold]{s.code}[/bold] (goal)" if s.is_goal else s.code,
            s.name,
            f"{round(s.p_mastery * 100)}%",
            f"{s.attempts_left:.0f}",
            f"{s.minutes:.0f}",
        )
    out = Console()
    out.print(table)
    if result.goals_met:
        out.print(f"Already mastered: {', '.join(result.goals_met)}")
    pace = result.pace
    out.print(
        f"About {result.total_minutes:.0f} minutes of practice in all "
        f"(pace: {pace.attempts_to_mastery:.1f} attempts per skill, {pace.seconds_per_attempt:.0f} s per "
        f"attempt; from the {pace.source} history)."
    )
