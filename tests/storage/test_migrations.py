"""The Alembic migrations build exactly the ORM tables, are idempotent, and SQLite gets its safety pragmas."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect, text

from learnpath.storage import make_engine, upgrade
from learnpath.storage.migrate import alembic_config
from learnpath.storage.tables import Base


def _differences(engine: Engine) -> list[object]:
    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "target_metadata": Base.metadata}
        )
        return list(compare_metadata(context, Base.metadata))


def _head() -> str:
    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    head = script.get_current_head()
    assert head is not None
    return head


def _version(engine: Engine) -> list[str]:
    with engine.connect() as c:
        return [row[0] for row in c.execute(text("SELECT version_num FROM alembic_version"))]


def test_migrations_produce_exactly_the_orm_tables(empty_database_url: str) -> None:
    engine = make_engine(
        empty_database_url
    )  # from nothing: other tests copy a database migrated once per run
    try:
        assert inspect(engine).get_table_names() == []
        upgrade(engine)
        assert _version(engine) == [_head()]
        assert _differences(engine) == []
        tables = set(inspect(engine).get_table_names())
        assert tables == {*Base.metadata.tables, "alembic_version"}
    finally:
        engine.dispose()


def test_each_test_database_is_a_copy_of_the_newest_schema(engine: Engine) -> None:
    assert _version(engine) == [_head()]
    assert _differences(engine) == []


def test_the_comparison_notices_a_table_the_migrations_lack(engine: Engine) -> None:
    with engine.begin() as c:
        c.execute(text("DROP TABLE login_failures"))
    diffs = _differences(engine)
    assert any(d[0] == "add_table" and d[1].name == "login_failures" for d in diffs), diffs  # type: ignore[index]


def test_upgrade_is_idempotent(engine: Engine) -> None:
    assert _version(engine) == [_head()]
    before = {name: inspect(engine).get_columns(name) for name in Base.metadata.tables}
    upgrade(engine)
    upgrade(engine)
    assert _version(engine) == [_head()]
    after = {name: inspect(engine).get_columns(name) for name in Base.metadata.tables}
    assert repr(after) == repr(before)
    assert _differences(engine) == []


def test_upgrade_keeps_existing_rows(engine: Engine) -> None:
    with engine.begin() as c:
        c.execute(text("INSERT INTO schools (id, name, is_demo) VALUES (1, 'Kept', false)"))
    upgrade(engine)
    with engine.connect() as c:
        assert c.execute(text("SELECT name FROM schools")).scalar_one() == "Kept"


def test_sqlite_runs_in_wal_mode_with_foreign_keys_and_full_sync(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'nested' / 'app.db'}")
    try:
        upgrade(engine)
        with engine.connect() as c:
            assert c.execute(text("PRAGMA journal_mode")).scalar_one() == "wal"
            assert c.execute(text("PRAGMA foreign_keys")).scalar_one() == 1
            assert c.execute(text("PRAGMA synchronous")).scalar_one() == 2  # FULL
        assert (tmp_path / "nested" / "app.db").is_file()
    finally:
        engine.dispose()


def test_every_new_sqlite_connection_gets_the_pragmas(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'app.db'}")
    try:
        connections = [engine.connect() for _ in range(3)]
        for c in connections:
            assert c.execute(text("PRAGMA foreign_keys")).scalar_one() == 1
            assert c.execute(text("PRAGMA synchronous")).scalar_one() == 2
        for c in connections:
            c.close()
    finally:
        engine.dispose()
