"""Assignments notify (issue 7 follow-up): every learner the work reaches gets one in-app notice, in the same
transaction as the assignment; nothing is said when the assignment is refused."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from learnpath.errors import NotFoundError, ValidationError
from learnpath.service import assignments, groups, notifications
from learnpath.service.access import Actor
from learnpath.service.context import ServiceContext
from learnpath.storage.tables import Notification, User
from learnpath.testing.school import TinySchool
from learnpath.web.plan_words import notice_text


def actor(ctx: ServiceContext, school: TinySchool, name: str) -> Actor:
    with ctx.unit() as s:
        user = s.get(User, school.ids[name])
        assert user is not None
        return Actor.of(user)


def _notices(ctx: ServiceContext) -> list[tuple[int, str, dict[str, object], str]]:
    with ctx.unit() as s:
        rows = s.scalars(select(Notification).order_by(Notification.user_id)).all()
        return [(n.user_id, n.kind, dict(n.params), n.link) for n in rows]


def test_class_work_notifies_each_learner_of_the_class(ctx: ServiceContext, school: TinySchool) -> None:
    t1 = actor(ctx, school, "teacher1")
    due = ctx.clock() + timedelta(days=3)
    a = assignments.add_assignment(ctx, t1, "ADD", class_id=school.ids["classA"], due_at=due)
    got = _notices(ctx)
    assert [u for u, *_ in got] == sorted([school.ids["learner1"], school.ids["learner2"]])
    _, kind, params, link = got[0]
    assert kind == "assignment_given" and link == "/learn"
    assert params == {
        "work": "Adding",
        "work_es": "Sumar",
        "due": due.date().isoformat(),
        "assignment_id": a.id,
    }
    # the learner reads it in their language; the family is not notified (they see it on the family page)
    l1 = actor(ctx, school, "learner1")
    [n] = notifications.list_notifications(ctx, l1)
    assert (
        notice_text(n.kind, n.params, n.actor_name, "en")
        == f"Teacher1 gave you work: “Adding”, due {due.date()}."
    )
    assert notice_text(n.kind, n.params, n.actor_name, "es").startswith("Teacher1 te dio una tarea: «Sumar»")
    assert notifications.list_notifications(ctx, actor(ctx, school, "family1")) == []


def test_group_and_learner_work_notify_only_those_reached(ctx: ServiceContext, school: TinySchool) -> None:
    t1 = actor(ctx, school, "teacher1")
    g = groups.create_group(ctx, t1, school.ids["classA"], "Blue", [school.ids["learner2"]])
    assignments.add_assignment(ctx, t1, "SUB", group_id=g.id)
    assert [(u, p["due"]) for u, _, p, _ in _notices(ctx)] == [(school.ids["learner2"], "")]
    assignments.add_assignment_in_class(
        ctx, t1, school.ids["classA"], "MUL", learner_id=school.ids["learner1"]
    )
    users = [u for u, *_ in _notices(ctx)]
    assert sorted(users) == sorted([school.ids["learner1"], school.ids["learner2"]])
    [n] = notifications.list_notifications(ctx, actor(ctx, school, "learner1"))
    assert notice_text(n.kind, n.params, n.actor_name, "en") == "Teacher1 gave you work: “Times tables”."


def test_refused_work_notifies_nobody(ctx: ServiceContext, school: TinySchool) -> None:
    t1 = actor(ctx, school, "teacher1")
    with pytest.raises(NotFoundError):
        assignments.add_assignment(ctx, t1, "NOPE", class_id=school.ids["classA"])
    with pytest.raises(NotFoundError):
        assignments.add_assignment(ctx, t1, "ADD", class_id=school.ids["classB"])
    with pytest.raises(ValidationError):
        assignments.add_assignment(
            ctx, t1, "ADD", class_id=school.ids["classA"], due_at=ctx.clock() - timedelta(days=1)
        )
    with ctx.unit() as s:
        assert s.scalar(select(func.count()).select_from(Notification)) == 0
