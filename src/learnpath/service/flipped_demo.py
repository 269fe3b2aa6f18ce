"""The demo school's flipped lesson (issue 7): a small group of class 1 with the rounding video due in two
days; some learners watched it and answered the check, one only opened it, two have not started. Runs inside
the demo build's unit (no access checks); small and deterministic."""

from __future__ import annotations

from datetime import timedelta

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from learnpath.service.assignments import DEFAULT_CHECK_SIZE, check_items, content_skill
from learnpath.service.catalog import load_catalog
from learnpath.service.context import ServiceContext
from learnpath.service.learning import _record
from learnpath.storage.tables import (
    Assignment,
    ClassGroup,
    ClassGroupMember,
    ContentProgress,
    ContentRow,
    ItemRow,
)

__all__ = ["DEMO_GROUP", "DEMO_VIDEO", "seed_demo_flipped"]

DEMO_VIDEO = "V-ROUND-10"
DEMO_GROUP = "Rounding group"
MEMBERS = (1, 2, 3, 4, 5, 6)
"""learnerN of class 1: 1 and 2 watched and took the check (1 passed, 2 did not), 3 watched, 4 opened it."""


def _wrong(kind: str, answer: str, keys: list[str]) -> str:
    if kind == "choice":
        return next((k for k in keys if k != answer), "z")
    return "999"


def seed_demo_flipped(
    session: Session, ctx: ServiceContext, school_id: int, class_id: int, teacher_id: int, ids: dict[str, int]
) -> int:
    """Add the group, the flipped video assigned to it and the learners' progress; returns the assignment id."""
    now = ctx.clock()
    given = now - timedelta(days=1)
    video = session.scalars(
        select(ContentRow).where(ContentRow.school_id == school_id, ContentRow.code == DEMO_VIDEO)
    ).one()
    skill = content_skill(session, video, None)  # as a teacher's form gives it: the video's first skill
    members = [ids[f"learner{n}"] for n in MEMBERS]
    group = ClassGroup(
        class_id=class_id,
        kind="group",
        name=DEMO_GROUP,
        reason="Rounding is next for all of them",
        details={"basis": "next_skill", "skill_code": skill.code},
        created_by=teacher_id,
        created_at=given,
        updated_at=given,
    )
    session.add(group)
    session.flush()
    session.add_all(ClassGroupMember(group_id=group.id, learner_id=i, role="") for i in members)
    check = check_items(session, skill, None, DEFAULT_CHECK_SIZE)
    work = Assignment(
        school_id=school_id,
        created_by=teacher_id,
        group_id=group.id,
        skill_id=skill.id,
        kind="must_do",
        work="flipped",
        content_id=video.id,
        check_items=check,
        due_at=now + timedelta(days=2),
        created_at=given,
    )
    session.add(work)
    session.flush()
    length = video.duration_s or 1
    for n, lid in zip(MEMBERS, members, strict=True):
        if n > 4:
            continue
        watched = n <= 3
        seen_at = given + timedelta(hours=2 + n)
        session.add(
            ContentProgress(
                learner_id=lid,
                content_id=video.id,
                opens=1,
                seconds=length if watched else length // 3,
                opened_at=seen_at,
                last_seen_at=seen_at + timedelta(seconds=length),
                completed_at=seen_at + timedelta(seconds=length) if watched else None,
            )
        )
    catalog = load_catalog(session)
    codes = dict(session.execute(select(ItemRow.id, ItemRow.code).where(ItemRow.id.in_(check))).all())
    rng = np.random.default_rng(7)
    for n, right in ((1, True), (2, False)):
        at = given + timedelta(hours=4 + n)
        for iid in check:
            item = catalog.items[codes[iid]]
            keys = [c.key for c in item.choices]
            response = (item.answer or item.accepted[0]) if right else _wrong(item.kind, item.answer, keys)
            _record(
                session,
                ctx,
                ids[f"learner{n}"],
                iid,
                response,
                int(rng.integers(8000, 30000)),
                0,
                at,
                catalog,
            )
            at += timedelta(minutes=1)
    return work.id
