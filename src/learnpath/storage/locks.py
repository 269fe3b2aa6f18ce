"""A write lock on a table that lasts to the end of the transaction, the same on SQLite and PostgreSQL.

A use case that asks "is there already one?" and then inserts one (the first active learner-model version)
cannot be made safe by a row lock: when nothing exists yet there is no row to lock, and two transactions at
the same instant both find none. :func:`lock_table_for_writing`, taken first in the transaction, makes the
second writer wait until the first has committed (or rolled back); it then reads what the first wrote.
Readers are never blocked.

- PostgreSQL: ``LOCK TABLE ... IN SHARE ROW EXCLUSIVE MODE``, the weakest table lock that conflicts with
  itself and with every insert, update and delete (plain ``SELECT`` and the foreign-key checks of other
  tables' inserts do not wait for it). Released at commit or rollback.
- SQLite: an ``UPDATE`` that changes no row. Any write statement takes SQLite's one write lock on the whole
  database for the rest of the transaction, and in WAL mode a transaction that holds it reads the newest
  committed data. A waiting writer waits up to the connection's ``busy_timeout`` (storage/db.py).
"""

from __future__ import annotations

from sqlalchemy import Table, text
from sqlalchemy.orm import DeclarativeBase, Session

__all__ = ["lock_table_for_writing"]


def lock_table_for_writing(session: Session, table: type[DeclarativeBase] | Table) -> None:
    """Let no other transaction write to ``table`` until the session's transaction ends. Take it before
    reading what the transaction's writes depend on. Raises ``NotImplementedError`` on another database."""
    t = table if isinstance(table, Table) else table.__table__
    assert isinstance(t, Table)
    name = session.get_bind().dialect.identifier_preparer.format_table(t)
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        session.execute(text(f"LOCK TABLE {name} IN SHARE ROW EXCLUSIVE MODE"))
    elif dialect == "sqlite":
        column = session.get_bind().dialect.identifier_preparer.quote(next(iter(t.primary_key.columns)).name)
        session.execute(text(f"UPDATE {name} SET {column} = {column} WHERE 1 = 0"))
    else:  # pragma: no cover - the app supports SQLite and PostgreSQL only (storage/db.py)
        raise NotImplementedError(f"no table write lock for the {dialect!r} database")
