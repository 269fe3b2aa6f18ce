"""Shared fixtures: a fresh database per test (SQLite, and PostgreSQL when LEARNPATH_TEST_POSTGRES_URL is set),
the service context, the app and its client, and a tiny school."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, create_engine, event, text

from learnpath.api.app import create_app
from learnpath.service.context import ServiceContext
from learnpath.settings import Settings
from learnpath.storage import make_engine, make_sessionmaker, upgrade
from learnpath.testing.clock import FakeClock
from learnpath.testing.school import TinySchool, build_tiny_school, fast_hasher

PG_URL = os.environ.get("LEARNPATH_TEST_POSTGRES_URL", "")
BACKENDS = ["sqlite", *(["postgresql"] if PG_URL else [])]


@pytest.fixture
def rng() -> np.random.Generator:
    return np.random.default_rng(20261123)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def _pg_admin() -> Engine:
    return create_engine(
        PG_URL.replace("postgresql://", "postgresql+psycopg://"), isolation_level="AUTOCOMMIT"
    )


@pytest.fixture(scope="session")
def _schema_templates(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """A database migrated to the newest schema, built once per run for each backend (the SQLite file, the
    PostgreSQL database name). Each test copies it instead of running every migration again: 14 migrations
    cost about 0.4 s a test on SQLite and more on PostgreSQL. tests/storage/test_migrations.py still migrates
    empty databases from scratch."""
    out: dict[str, str] = {}
    path = tmp_path_factory.mktemp("schema") / "template.db"
    eng = make_engine(f"sqlite:///{path}")
    upgrade(eng)
    eng.dispose()  # the last connection closing checkpoints the WAL into the file
    out["sqlite"] = str(path)
    admin = _pg_admin() if PG_URL else None
    if admin is not None:
        name = f"lp_tmpl_{uuid.uuid4().hex[:12]}"
        with admin.connect() as c:
            c.execute(text(f'CREATE DATABASE "{name}"'))
        eng = make_engine(f"{PG_URL.rsplit('/', 1)[0]}/{name}")
        upgrade(eng)
        eng.dispose()
        out["postgresql"] = name
    try:
        yield out
    finally:
        if admin is not None:
            with admin.connect() as c:
                c.execute(text(f'DROP DATABASE IF EXISTS "{out["postgresql"]}" WITH (FORCE)'))
            admin.dispose()


def _postgres_database(template: str | None = None) -> Iterator[str]:
    """A fresh database on the test server (a copy of ``template`` if given, else empty), dropped afterwards."""
    name = f"lp_test_{uuid.uuid4().hex[:12]}"
    admin = _pg_admin()
    with admin.connect() as c:
        # FILE_COPY: for a small template a file copy beats WAL-logging every block (the default since 15)
        copy = f' TEMPLATE "{template}" STRATEGY FILE_COPY' if template else ""
        c.execute(text(f'CREATE DATABASE "{name}"{copy}'))
    base = PG_URL.rsplit("/", 1)[0]
    try:
        yield f"{base}/{name}"
    finally:
        with admin.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=BACKENDS)
def database_url(
    request: pytest.FixtureRequest, tmp_path: Path, _schema_templates: dict[str, str]
) -> Iterator[str]:
    """A fresh database already at the newest schema (a copy of the run's template)."""
    if request.param == "sqlite":
        shutil.copyfile(_schema_templates["sqlite"], tmp_path / "test.db")
        yield f"sqlite:///{tmp_path / 'test.db'}"
    else:
        yield from _postgres_database(_schema_templates["postgresql"])


@pytest.fixture(params=BACKENDS)
def empty_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database (no tables), for tests of the migrations themselves."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.db'}"
    else:
        yield from _postgres_database()


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    """An engine on the test's database. No ``upgrade``: the database is a copy of the run's template, already
    at the newest schema (running alembic again cost ~60 ms a test on SQLite, more on PostgreSQL)."""
    eng = make_engine(database_url)
    if eng.dialect.name == "sqlite":
        # Test-only, like the PostgreSQL cluster's fsync=off in scripts/test: no fsync at each commit (the
        # file is deleted afterwards). Listeners run in order, so this follows make_engine's own pragmas.
        @event.listens_for(eng, "connect")
        def _no_fsync(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA synchronous=OFF")
            cursor.close()

    yield eng
    eng.dispose()


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    # uploaded and demo files go to the test's own folder, never the user data folder
    return Settings(database_url=database_url, data_dir=str(tmp_path / "data"), _env_file=None)  # type: ignore[call-arg]


@pytest.fixture
def ctx(engine: Engine, settings: Settings, clock: FakeClock) -> ServiceContext:
    return ServiceContext(make_sessionmaker(engine), settings, clock=clock, hasher=fast_hasher())


@pytest.fixture
def school(ctx: ServiceContext) -> TinySchool:
    return build_tiny_school(ctx)


@pytest.fixture
def app(ctx: ServiceContext, settings: Settings) -> FastAPI:
    return create_app(settings, ctx)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as c:
        yield c
