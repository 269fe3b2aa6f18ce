"""A use case's unit of work lands whole or not at all."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from learnpath.service.context import ServiceContext
from learnpath.storage.tables import ClassRow, School, User

from .conftest import T0


class Boom(Exception):
    pass


def _count(ctx: ServiceContext, table: type[School] | type[User] | type[ClassRow]) -> int:
    with ctx.sessions() as s:
        return s.scalar(select(func.count()).select_from(table)) or 0


def test_a_failing_unit_leaves_nothing_written(ctx: ServiceContext) -> None:
    with pytest.raises(Boom), ctx.unit() as s:
        school = School(name="Half-written")
        s.add(school)
        s.flush()
        s.add(ClassRow(school_id=school.id, name="3B"))
        s.add(
            User(
                school_id=school.id,
                username="u",
                display_name="U",
                role="learner",
                password_hash="h",
                created_at=T0,
            )
        )
        s.flush()  # the rows reached the database inside the transaction...
        raise Boom
    for table in (School, ClassRow, User):  # ...and were rolled back with it
        assert _count(ctx, table) == 0


def test_a_database_error_mid_unit_rolls_back_the_earlier_writes(ctx: ServiceContext) -> None:
    with pytest.raises(IntegrityError), ctx.unit() as s:
        s.add(School(id=1, name="First"))
        s.flush()
        s.add(ClassRow(school_id=999, name="orphan"))
    assert _count(ctx, School) == 0


def test_a_successful_unit_commits(ctx: ServiceContext) -> None:
    with ctx.unit() as s:
        s.add(School(name="Kept"))
    assert _count(ctx, School) == 1
