"""Shared fixtures: a fresh database per test (SQLite, and PostgreSQL when LEARNPATH_TEST_POSTGRES_URL is set),
the service context, the app and its client, and a tiny school."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, create_engine, text

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


def _postgres_database() -> Iterator[str]:
    """A fresh database on the test server, dropped afterwards."""
    name = f"lp_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(
        PG_URL.replace("postgresql://", "postgresql+psycopg://"), isolation_level="AUTOCOMMIT"
    )
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))
    base = PG_URL.rsplit("/", 1)[0]
    try:
        yield f"{base}/{name}"
    finally:
        with admin.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'test.db'}"
    else:
        yield from _postgres_database()


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    eng = make_engine(database_url)
    upgrade(eng)
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
