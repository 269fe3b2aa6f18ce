"""One demo school per test run, copied fresh for each browser module.

Building the demo school (simulated histories, a fitted model) takes about 20 s, and every walk module used
to build its own. Here it is built once per run into a template folder (the SQLite file plus the data folder
with the demo's videos and portfolio files) that is never served; each module's server (``school_server`` in
test_walk.py) runs on its own copy of that folder. So each walk starts from an identical, fresh demo, and
what one module changes never reaches another -- the way tests/conftest.py copies a migrated template
database for each test.
"""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from learnpath.service.context import ServiceContext
from learnpath.settings import Settings
from learnpath.storage import make_engine, make_sessionmaker, upgrade
from learnpath.testing.school import fast_hasher

DB_NAME = "learnpath.db"


@dataclass(frozen=True)
class DemoTemplate:
    """A built school in ``folder`` (``learnpath.db`` and the data files); only ever copied."""

    folder: Path
    password: str
    kind: str  # "demo", or "tiny" where the demo builder is not importable

    def copy_to(self, dest: Path) -> Settings:
        """A fresh copy of the school at ``dest`` (which must not exist yet), and the settings to serve it."""
        shutil.copytree(self.folder, dest)
        return settings_for(dest)


def settings_for(folder: Path) -> Settings:
    """The settings of a school kept in ``folder``: the SQLite file and the data folder."""
    return Settings(  # type: ignore[call-arg]
        database_url=f"sqlite:///{folder / DB_NAME}", demo=True, data_dir=str(folder), _env_file=None
    )


def _build_school(ctx: ServiceContext) -> tuple[str, str]:
    """The demo school when its builder is importable, the tiny test school otherwise."""
    try:
        from learnpath.service.demo import DEMO_PASSWORD, build_demo_school
    except ImportError:
        from learnpath.testing.school import PASSWORD, build_tiny_school

        build_tiny_school(ctx)
        return PASSWORD, "tiny"
    build_demo_school(ctx)
    return DEMO_PASSWORD, "demo"


def _digest(folder: Path) -> str:
    """One hash over every file's path and bytes."""
    h = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        h.update(str(path.relative_to(folder)).encode())
        h.update(path.read_bytes())
    return h.hexdigest()


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoTemplate]:
    """The school, built once per run (the slow part of every walk); checked unchanged at the end of the run,
    so no module can have served or written the template itself instead of its copy."""
    folder = tmp_path_factory.mktemp("demo-template")
    settings = settings_for(folder)
    engine = make_engine(settings.database_url)
    try:
        upgrade(engine)
        ctx = ServiceContext(make_sessionmaker(engine), settings, hasher=fast_hasher())
        password, kind = _build_school(ctx)
    finally:
        engine.dispose()  # the last connection closing checkpoints the WAL into the file
    wal = folder / f"{DB_NAME}-wal"
    assert not wal.exists() or wal.stat().st_size == 0, "the template's WAL was not checkpointed"
    built = _digest(folder)
    yield DemoTemplate(folder, password, kind)
    assert _digest(folder) == built, f"the demo template in {folder} changed during the run"
