"""Shared by the benchmarks: the demo school built in a temporary SQLite file, with teacher1's class grown to
a given size (the school's other learners enrolled, lowest ids first)."""

from __future__ import annotations

import tempfile
import time
from dataclasses import dataclass
from typing import Any

__all__ = ["DemoClass", "demo_class"]


@dataclass(frozen=True)
class DemoClass:
    ctx: Any
    """The ServiceContext on the temporary database."""
    actor: Any
    """teacher1, as an Actor."""
    class_id: int
    n_learners: int
    build_s: float
    """Seconds the demo build took (not part of any measured figure)."""


def demo_class(size: int, prefix: str = "bench-") -> DemoClass:
    from sqlalchemy import select

    from learnpath.service.access import Actor
    from learnpath.service.context import ServiceContext
    from learnpath.service.demo import build_demo_school
    from learnpath.service.roster import enrol
    from learnpath.settings import Settings
    from learnpath.storage import make_engine, make_sessionmaker, upgrade
    from learnpath.storage.tables import ClassLearner, ClassRow, ClassTeacher, User
    from learnpath.testing.school import fast_hasher

    url = f"sqlite:///{tempfile.mkdtemp(prefix=prefix)}/bench.db"
    engine = make_engine(url)
    upgrade(engine)
    ctx = ServiceContext(make_sessionmaker(engine), Settings(database_url=url), hasher=fast_hasher())
    start = time.perf_counter()
    build_demo_school(ctx)
    build_s = time.perf_counter() - start
    with ctx.unit() as s:
        teacher = s.scalars(select(User).where(User.username == "teacher1")).one()
        class_id = s.scalars(
            select(ClassRow.id).join(ClassTeacher).where(ClassTeacher.teacher_id == teacher.id)
        ).first()
        assert class_id is not None
        inside = set(s.scalars(select(ClassLearner.learner_id).where(ClassLearner.class_id == class_id)))
        others = [
            u
            for u in s.scalars(
                select(User.id)
                .where(User.role == "learner", User.school_id == teacher.school_id)
                .order_by(User.id)
            )
            if u not in inside
        ][: max(0, size - len(inside))]
        enrol(s, class_id, others, [])
        return DemoClass(ctx, Actor.of(teacher), class_id, len(inside) + len(others), build_s)
