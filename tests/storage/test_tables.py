"""Rows round-trip through every table on every backend; constraints hold on SQLite as on PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError, StatementError
from sqlalchemy.orm import Session, sessionmaker

from learnpath.storage.tables import (
    ApiSession,
    AttemptRow,
    Base,
    ClassLearner,
    ClassRow,
    FamilyLink,
    ItemRow,
    LearnerStateRow,
    LoginFailure,
    MasteryRow,
    School,
    User,
)

from .conftest import BODY, T0, columns, every_row, insert_every_row


def test_the_fixture_rows_cover_every_table() -> None:
    assert {type(r).__table__.name for r in every_row()} == set(Base.metadata.tables)  # type: ignore[attr-defined]


def test_every_table_round_trips(sessions: sessionmaker[Session]) -> None:
    written = insert_every_row(sessions)
    with sessions() as s:
        for row in written:
            table = type(row).__tablename__
            key = row.__mapper__.primary_key_from_instance(row)
            s.expunge_all()
            back = s.get(type(row), tuple(key))
            assert back is not None, f"{table} {key} did not come back"
            assert columns(back) == columns(row), table


def test_datetimes_come_back_aware_utc_and_equal(sessions: sessionmaker[Session]) -> None:
    insert_every_row(sessions)
    with sessions() as s:
        stamps = [
            *s.scalars(select(User.created_at)),
            *s.scalars(select(AttemptRow.created_at)),
            *s.scalars(select(MasteryRow.last_attempt_at)),
            *s.scalars(select(ApiSession.expires_at)),
            *s.scalars(select(LoginFailure.created_at)),
            *s.scalars(select(LearnerStateRow.updated_at)),
        ]
        assert len(stamps) == 8
        for stamp in stamps:
            assert stamp is not None
            assert stamp.tzinfo is not None and stamp.utcoffset() == UTC.utcoffset(None)
        failure = s.scalars(select(LoginFailure)).one()
        assert failure.created_at == T0
        assert failure.created_at.hour == 13 and failure.created_at.microsecond == 123456


def test_datetimes_order_by_instant_in_queries(sessions: sessionmaker[Session]) -> None:
    insert_every_row(sessions)
    with sessions() as s:
        assert s.scalar(select(func.count()).where(User.created_at > T0)) == 1
        newest = s.scalars(select(User.username).order_by(User.created_at.desc())).first()
        assert newest == "learner1"


def test_a_naive_datetime_is_refused(sessions: sessionmaker[Session]) -> None:
    with pytest.raises(StatementError, match="naive datetime"), sessions.begin() as s:
        s.add(School(id=1, name="S"))
        s.add(LoginFailure(key="k", created_at=datetime(2026, 1, 1)))


def test_json_columns_round_trip(sessions: sessionmaker[Session]) -> None:
    insert_every_row(sessions)
    with sessions() as s:
        body = s.scalars(select(ItemRow.body)).one()
        assert body == BODY
        assert isinstance(body["nested"]["big"], int) and body["nested"]["none"] is None
        state = s.scalars(select(LearnerStateRow.state)).one()
        assert state == {"ADD": {"p": 0.5, "n": 3}}


def test_foreign_keys_are_enforced(sessions: sessionmaker[Session]) -> None:
    with pytest.raises(IntegrityError), sessions.begin() as s:
        s.add(ClassRow(id=1, school_id=999, name="orphan"))
    with sessions() as s:
        assert s.scalar(select(func.count()).select_from(ClassRow)) == 0


def test_deleting_a_learner_cascades_to_their_rows(sessions: sessionmaker[Session]) -> None:
    insert_every_row(sessions)
    with sessions.begin() as s:
        s.delete(s.get_one(User, 11))
    with sessions() as s:
        for table in (AttemptRow, MasteryRow, LearnerStateRow, ClassLearner, FamilyLink, ApiSession):
            count = s.scalar(select(func.count()).select_from(table))
            assert count == 0, f"{table.__tablename__} kept {count} rows of a deleted learner"
        assert s.scalar(select(func.count()).select_from(User)) == 2
        assert s.scalar(select(func.count()).select_from(ItemRow)) == 1


def test_an_item_with_attempts_cannot_be_deleted(sessions: sessionmaker[Session]) -> None:
    insert_every_row(sessions)
    with pytest.raises(IntegrityError), sessions.begin() as s:
        s.delete(s.get_one(ItemRow, 50))
    with sessions() as s:
        assert s.get(ItemRow, 50) is not None
