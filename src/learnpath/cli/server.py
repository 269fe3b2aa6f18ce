"""``learnpath demo``, ``learnpath serve`` and ``learnpath init-db``."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from platformdirs import user_data_dir
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from learnpath.cli.app import app
from learnpath.errors import ConflictError, LearnpathError

if TYPE_CHECKING:  # settings and the service layer load when a command runs, not for ``learnpath --help``
    from learnpath.service.context import ServiceContext
    from learnpath.settings import Settings

console = Console(stderr=True)

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db", help="Database URL (default: LEARNPATH_DATABASE_URL or SQLite in the user data folder)."
    ),
]
PortOption = Annotated[int, typer.Option("--port", min=1, max=65535, help="Port to listen on.")]
HostOption = Annotated[
    str, typer.Option("--host", help="Address to listen on (127.0.0.1: this machine only).")
]


def _settings(db: str | None, **overrides: object) -> Settings:
    from learnpath.settings import Settings

    values: dict[str, object] = {k: v for k, v in overrides.items() if v is not None}
    if db:
        values["database_url"] = db
    try:
        return Settings(**values)  # type: ignore[arg-type]
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from exc


def _context(settings: Settings) -> ServiceContext:
    from learnpath.service.context import ServiceContext
    from learnpath.storage import make_engine, make_sessionmaker, upgrade

    engine = make_engine(settings.database_url)
    upgrade(engine)
    return ServiceContext(make_sessionmaker(engine), settings)


@app.command("init-db")
def init_db(db: DbOption = None) -> None:
    """Create or migrate the database to the newest schema."""
    settings = _settings(db)
    _context(settings)
    console.print(f"Database ready: {settings.database_url}")


def _serve(settings: Settings, ctx: ServiceContext, host: str, port: int) -> None:
    import uvicorn

    from learnpath.api.app import create_app

    app_ = create_app(settings, ctx)
    console.print(
        f"learnpath is running at [bold]http://{host}:{port}[/bold]  (API docs: /docs; Ctrl+C stops)"
    )
    uvicorn.run(app_, host=host, port=port, log_level="warning")


@app.command("serve")
def serve(db: DbOption = None, port: PortOption = 8000, host: HostOption = "127.0.0.1") -> None:
    """Serve the web app and the API."""
    settings = _settings(db)
    _serve(settings, _context(settings), host, port)


def demo_database_url() -> str:
    return f"sqlite:///{Path(user_data_dir('learnpath')) / 'demo.db'}"


@app.command("demo")
def demo(
    db: DbOption = None,
    port: PortOption = 8000,
    host: HostOption = "127.0.0.1",
    reset: Annotated[bool, typer.Option("--reset", help="Delete the demo SQLite file first.")] = False,
    no_serve: Annotated[bool, typer.Option("--no-serve", help="Build the demo school, then exit.")] = False,
) -> None:
    """Create the demo school (our own grade 3-5 math, 2 classes, 50 learners) and serve it."""
    from learnpath.service.demo import DEMO_PASSWORD, build_demo_school

    url = db or demo_database_url()
    if reset and url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    settings = _settings(url, demo=True)
    ctx = _context(settings)
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    try:
        with Progress(*columns, console=console, transient=False) as bar:
            tasks: dict[str, object] = {}

            def progress(step: str, done: int, total: int) -> None:
                if step not in tasks:
                    label = {
                        "accounts": "Creating accounts",
                        "histories": "Simulating practice",
                        "model": "Fitting the learner model",
                    }.get(step, step)
                    tasks[step] = bar.add_task(label, total=total)
                bar.update(tasks[step], completed=done)  # type: ignore[arg-type]

            summary = build_demo_school(ctx, progress=progress)
        console.print(
            f"Demo school ready: {summary.n_skills} skills, {summary.n_items} items, "
            f"{summary.n_learners} learners, {summary.n_attempts} simulated attempts; "
            f"learner model: version {summary.model_version_id} (learnpath fit)."
        )
    except ConflictError:
        console.print("Using the demo school already in this database (use --reset to rebuild it).")
    except LearnpathError as exc:
        console.print(f"[red]Could not build the demo school:[/red] {exc.message}")
        raise typer.Exit(1) from exc
    console.print(
        "Demo logins (password for all: "
        f"[bold]{DEMO_PASSWORD}[/bold]): admin, teacher1, teacher2, learner1..learner50, family1..family50 "
        "(family N is linked to learner N; family1 also to learner2)."
    )
    if not no_serve:
        _serve(settings, ctx, host, port)
