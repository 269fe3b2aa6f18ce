"""Scratch databases for tests that share one database across a module (an import done once).

``scratch_database("sqlite", folder)`` gives a SQLite URL in ``folder``; ``scratch_database("postgresql",
folder, server_url)`` creates a fresh database on that server and drops it afterwards. ``backends()``
lists the backends to run on: SQLite, and PostgreSQL when ``LEARNPATH_TEST_POSTGRES_URL`` is set.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text

from learnpath.service.context import ServiceContext
from learnpath.settings import Settings
from learnpath.storage import make_engine, make_sessionmaker, upgrade
from learnpath.testing.clock import FakeClock
from learnpath.testing.school import fast_hasher

__all__ = ["backends", "migrated_context", "scratch_database"]

POSTGRES_ENV = "LEARNPATH_TEST_POSTGRES_URL"


def backends() -> list[str]:
    return ["sqlite", *(["postgresql"] if os.environ.get(POSTGRES_ENV) else [])]


@contextmanager
def scratch_database(backend: str, folder: Path, server_url: str | None = None) -> Iterator[str]:
    if backend == "sqlite":
        yield f"sqlite:///{folder / 'scratch.db'}"
        return
    server = (server_url or os.environ[POSTGRES_ENV]).replace("postgresql://", "postgresql+psycopg://")
    name = f"lp_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield f"{server.rsplit('/', 1)[0]}/{name}"
    finally:
        with admin.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@contextmanager
def migrated_context(url: str) -> Iterator[ServiceContext]:
    """A service context (fake clock, fast hasher) over ``url`` migrated to the newest schema."""
    engine = make_engine(url)
    upgrade(engine)
    settings = Settings(database_url=url, _env_file=None)  # type: ignore[call-arg]
    try:
        yield ServiceContext(make_sessionmaker(engine), settings, clock=FakeClock(), hasher=fast_hasher())
    finally:
        engine.dispose()
