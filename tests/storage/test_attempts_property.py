"""Property: any valid attempt (and any JSON learner state) comes back from storage unchanged."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, select
from sqlalchemy.orm import Session, sessionmaker

from learnpath.storage.tables import AttemptRow, LearnerStateRow, User

from .conftest import every_row

# Text PostgreSQL can store: no NUL, no lone surrogates (not encodable as UTF-8).
TEXT = st.text(st.characters(exclude_categories=["Cs"], exclude_characters="\x00"), max_size=200)
ZONES = st.builds(lambda minutes: timezone(timedelta(minutes=minutes)), st.integers(-14 * 60, 14 * 60))
WHEN = st.datetimes(
    min_value=datetime(1970, 1, 2), max_value=datetime(2200, 1, 1), timezones=st.just(UTC) | ZONES
)
INT32 = 2**31 - 1
JSON_LEAF: st.SearchStrategy[object] = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**53), 2**53),
    st.floats(allow_nan=False, allow_infinity=False),
    TEXT,
)
JSON = st.recursive(
    JSON_LEAF,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4),
    max_leaves=12,
)
SETTINGS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def _with_parents(sessions: sessionmaker[Session]) -> None:
    """The school, learner and item an attempt points at (learner 11, item 50), once per database."""
    with sessions.begin() as s:
        if s.get(User, 11) is not None:
            return
        for row in every_row():
            if type(row).__tablename__ in {"schools", "users", "frameworks", "items", "model_versions"}:
                s.add(row)
                s.flush()


@given(
    response=TEXT,
    correct=st.booleans(),
    score=st.floats(0.0, 1.0),
    duration_ms=st.none() | st.integers(0, INT32),
    hints_used=st.integers(0, INT32),
    created_at=WHEN,
)
@SETTINGS
def test_attempts_round_trip_unchanged(
    sessions: sessionmaker[Session],
    response: str,
    correct: bool,
    score: float,
    duration_ms: int | None,
    hints_used: int,
    created_at: datetime,
) -> None:
    _with_parents(sessions)
    with sessions.begin() as s:
        s.execute(delete(AttemptRow))
        s.add(
            AttemptRow(
                learner_id=11,
                item_id=50,
                response=response,
                correct=correct,
                score=score,
                duration_ms=duration_ms,
                hints_used=hints_used,
                created_at=created_at,
            )
        )
    with sessions() as s:
        back = s.scalars(select(AttemptRow)).one()
    assert back.response == response
    assert back.correct is correct
    assert back.score == score
    assert back.duration_ms == duration_ms
    assert back.hints_used == hints_used
    assert back.created_at == created_at
    assert back.created_at.utcoffset() == timedelta(0)


@given(state=st.dictionaries(TEXT, JSON, max_size=6))
@SETTINGS
def test_learner_state_json_round_trips_unchanged(
    sessions: sessionmaker[Session], state: dict[str, Any]
) -> None:
    _with_parents(sessions)
    with sessions.begin() as s:
        s.execute(delete(LearnerStateRow))
        s.add(LearnerStateRow(learner_id=11, state=state, updated_at=datetime(2026, 1, 1, tzinfo=UTC)))
    with sessions() as s:
        assert s.scalars(select(LearnerStateRow.state)).one() == state
