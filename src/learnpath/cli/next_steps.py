"""``learnpath next``: the next-step choices of one learner, as the web page and the API show them."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from learnpath.cli.app import app
from learnpath.cli.server import DbOption, _context, _settings
from learnpath.errors import LearnpathError
from learnpath.web.i18n import LANGUAGES

__all__ = ["next_command"]

out = Console()
err = Console(stderr=True)


@app.command("next")
def next_command(
    learner: Annotated[str, typer.Option("--learner", help="The learner's username.")],
    db: DbOption = None,
    goal: Annotated[str | None, typer.Option("--goal", help="A skill code to aim for.")] = None,
    lang: Annotated[
        str | None, typer.Option("--lang", help="Language of the reasons (default: the learner's).")
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print one JSON object instead of a table.")
    ] = False,
) -> None:
    """Show a learner's 3 to 5 next steps (must-do first) with the reason for each."""
    from learnpath.service.next_steps import next_steps_for_username  # the service layer: loaded on use
    from learnpath.web.reasons import notice_text, reason_text

    if lang is not None and lang not in LANGUAGES:
        raise typer.BadParameter(f"expected one of {', '.join(LANGUAGES)}, got {lang!r}", param_hint="--lang")
    ctx = _context(_settings(db))
    try:
        view = next_steps_for_username(ctx, learner, goal)
    except LearnpathError as exc:
        if as_json:
            print(json.dumps({"ok": False, "error": exc.code, "message": exc.message}))
        else:
            err.print(f"[red]{exc.message}[/red]")
        raise typer.Exit(1) from exc
    finally:
        engine = ctx.sessions.kw.get("bind")
        if engine is not None:  # close the pool's connections now (a PostgreSQL connection left open warns)
            engine.dispose()
    locale = lang or view.locale
    rows = [
        {
            "position": c.position,
            "skill_code": c.skill_code,
            "skill_name": c.skill_name,
            "kind": c.kind,
            "reason": reason_text(c, locale),
            "due_at": c.due.isoformat() if c.due else None,
        }
        for c in view.choices
    ]
    notice = notice_text(view.notice, locale)
    if as_json:
        print(
            json.dumps(
                {
                    "ok": True,
                    "learner": learner,
                    "learner_id": view.learner_id,
                    "choices": rows,
                    "notice": view.notice,
                    "notice_text": notice,
                    "blocked_by": [b.code for b in view.blocked_by],
                    "placement_offered": view.placement_offered,
                },
                ensure_ascii=False,
            )
        )
        return
    table = Table(title=f"Next steps for {learner}")
    for column in ("#", "skill", "kind", "reason"):
        table.add_column(column)
    for r in rows:
        table.add_row(
            str(r["position"]), f"{r['skill_name']} ({r['skill_code']})", str(r["kind"]), str(r["reason"])
        )
    out.print(table)
    if notice:
        out.print(notice)
