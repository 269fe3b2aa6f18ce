"""``learnpath digest``: make the week's family digests (in-app, once each) and email them over SMTP."""

from __future__ import annotations

import json
from datetime import date
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from learnpath.cli.app import app
from learnpath.cli.server import DbOption, _context, _settings
from learnpath.errors import LearnpathError

if TYPE_CHECKING:  # the service layer loads when the command runs, not for ``learnpath --help``
    from learnpath.service.digest import PendingEmail

__all__ = ["send_digests"]

err = Console(stderr=True)


def _week(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        err.print(f"[red]digest failed:[/red] --week: expected a date YYYY-MM-DD, got {value!r}")
        raise typer.Exit(2) from None


@app.command("digest")
def send_digests(
    db: DbOption = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Count what would be made and emailed; write and send nothing.")
    ] = False,
    week: Annotated[
        str | None,
        typer.Option("--week", help="Any day (YYYY-MM-DD) of the week to report; default: last week."),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print one JSON object instead of a summary.")
    ] = False,
) -> None:
    """Make each family member's digest of a week once (an in-app notice) and email it when SMTP is set."""
    from learnpath.service import digest
    from learnpath.service.mail import MailError, mailer_from
    from learnpath.web.checkin_words import digest_email

    chosen = _week(week)
    settings = _settings(db)
    ctx = _context(settings)
    start = digest.week_start_of(chosen) if chosen else digest.last_complete_week(ctx.clock())

    def render(email: PendingEmail) -> tuple[str, str, str]:
        locale = email.locale if email.locale in ("en", "es") else settings.default_locale
        return digest_email(email.content, locale, email.name, settings.public_url)

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    try:
        mailer = mailer_from(settings)
        with Progress(*columns, console=err, transient=as_json) as bar:
            made = bar.add_task("Making digests", total=None)
            run = digest.make_digests(
                ctx, start, dry_run=dry_run, progress=lambda d, t: bar.update(made, completed=d, total=t)
            )
            sent = bar.add_task("Emailing digests", total=None)
            emails = digest.email_digests(
                ctx,
                start,
                mailer,
                render,
                dry_run=dry_run,
                progress=lambda d, t: bar.update(sent, completed=d, total=t),
            )
    except (LearnpathError, MailError) as exc:
        err.print(f"[red]digest failed:[/red] {getattr(exc, 'message', str(exc))}")
        raise typer.Exit(1 if isinstance(exc, MailError) else 2) from exc
    finally:
        engine = ctx.sessions.kw.get("bind")
        if engine is not None:
            engine.dispose()
    result = {
        "week_start": run.week_start.isoformat(),
        "families": run.families,
        "made": run.created,
        "already_made": run.existing,
        "email": "off" if mailer is None else "on",
        "to_email": emails.to_send,
        "emailed": emails.sent,
        "failed": [{"to": to, "reason": why} for to, why in emails.failed],
        "no_address": emails.no_address,
        "dry_run": dry_run,
    }
    if as_json:
        typer.echo(json.dumps(result))
    else:
        verb = "would make" if dry_run else "made"
        err.print(
            f"Week of {result['week_start']}: {verb} {run.created} digest(s) for {run.families} family "
            f"member(s) ({run.existing} made before)."
        )
        if mailer is None:
            err.print(f"Email is off (no LEARNPATH_SMTP_HOST): {emails.to_send} digest(s) have an address.")
        elif dry_run:
            err.print(f"Would email {emails.to_send} digest(s).")
        else:
            err.print(
                f"Emailed {emails.sent} of {emails.to_send}; {emails.no_address} member(s) have no address."
            )
        for to, why in emails.failed:
            err.print(f"[yellow]not sent to {to}:[/yellow] {why}")
    if emails.failed:
        raise typer.Exit(1)
