"""Groups, pair rules and notifications: the stored side that plans (issue 6) and orchestration (issue 7)
share."""

from __future__ import annotations

import pytest

from learnpath.errors import NotFoundError, PermissionDeniedError, ValidationError
from learnpath.service import groups, notifications
from learnpath.service.access import Actor
from learnpath.service.context import ServiceContext
from learnpath.storage.tables import User
from learnpath.testing.clock import FakeClock
from learnpath.testing.school import TinySchool


def actor(ctx: ServiceContext, school: TinySchool, name: str) -> Actor:
    with ctx.unit() as s:
        user = s.get(User, school.ids[name])
        assert user is not None
        return Actor.of(user)


def test_group_round_trip_and_access(ctx: ServiceContext, school: TinySchool) -> None:
    t1 = actor(ctx, school, "teacher1")
    ids = school.ids
    g = groups.create_group(
        ctx, t1, ids["classA"], "  Fractions table ", [ids["learner2"], ids["learner1"], ids["learner1"]],
        reason="shared next skill", details={"skill": "SUB"}, roles={ids["learner1"]: "tutor"},
    )  # fmt: skip
    assert g.name == "Fractions table"
    assert [m.learner_id for m in g.members] == [ids["learner1"], ids["learner2"]]
    assert {m.learner_id: m.role for m in g.members}[ids["learner1"]] == "tutor"
    listed = groups.list_groups(ctx, t1, ids["classA"])
    assert [x.id for x in listed] == [g.id] and listed[0].details == {"skill": "SUB"}
    assert groups.list_groups(ctx, t1, ids["classA"], "team") == []
    with ctx.unit() as s:
        assert groups.require_group(s, t1, g.id).name == "Fractions table"
        assert groups.group_learner_ids(s, g.id) == [ids["learner1"], ids["learner2"]]
        with pytest.raises(NotFoundError):
            groups.require_group(s, actor(ctx, school, "teacher2"), g.id)
        with pytest.raises(PermissionDeniedError):
            groups.require_group(s, actor(ctx, school, "learner1"), g.id)
        with pytest.raises(NotFoundError):
            groups.require_group(s, t1, g.id + 999)
    assert groups.list_groups(ctx, actor(ctx, school, "admin"), ids["classA"])[0].id == g.id


def test_group_bad_input_names_the_field_and_saves_nothing(ctx: ServiceContext, school: TinySchool) -> None:
    t1 = actor(ctx, school, "teacher1")
    ids = school.ids
    with pytest.raises(ValidationError) as err:
        groups.create_group(ctx, t1, ids["classA"], "G", [ids["learner1"], ids["learner3"]])
    assert any(f"learner {ids['learner3']}" in f.message for f in err.value.errors)
    with pytest.raises(ValidationError):
        groups.create_group(ctx, t1, ids["classA"], "   ", [ids["learner1"]])
    with pytest.raises(ValidationError):
        groups.create_group(ctx, t1, ids["classA"], "G", [ids["learner1"]], kind="gang")
    with pytest.raises(NotFoundError):
        groups.create_group(ctx, t1, ids["classB"], "G", [ids["learner3"]])
    assert groups.list_groups(ctx, t1, ids["classA"]) == []


def test_pair_rules(ctx: ServiceContext, school: TinySchool) -> None:
    t1 = actor(ctx, school, "teacher1")
    ids = school.ids
    l1, l2 = ids["learner1"], ids["learner2"]
    rules = groups.set_pair_rule(ctx, t1, ids["classA"], l2, l1, "apart")
    assert rules == [groups.PairRule(min(l1, l2), max(l1, l2), "apart")]
    rules = groups.set_pair_rule(ctx, t1, ids["classA"], l1, l2, "together")
    assert [r.rule for r in rules] == ["together"]
    assert groups.set_pair_rule(ctx, t1, ids["classA"], l1, l2, None) == []
    with pytest.raises(ValidationError):
        groups.set_pair_rule(ctx, t1, ids["classA"], l1, l1, "apart")
    with pytest.raises(ValidationError):
        groups.set_pair_rule(ctx, t1, ids["classA"], l1, l2, "near")
    with pytest.raises(ValidationError):
        groups.set_pair_rule(ctx, t1, ids["classA"], l1, ids["learner3"], "apart")


def test_notifications(ctx: ServiceContext, school: TinySchool, clock: FakeClock) -> None:
    ids = school.ids
    t1, f1, l1 = (actor(ctx, school, n) for n in ("teacher1", "family1", "learner1"))
    with ctx.unit() as s:
        n = notifications.notify(
            s, [ids["teacher1"], ids["family1"], ids["learner1"]], "goal_comment", {"goal": 3},
            link="/plan", actor_id=ids["learner1"], now=clock(),
        )  # fmt: skip
    assert n == 2  # the learner is not told of their own comment
    assert notifications.list_notifications(ctx, l1) == []
    clock.advance(minutes=1)
    with ctx.unit() as s:
        notifications.notify(s, [ids["teacher1"]], "checkin_due", now=clock())
    seen = notifications.list_notifications(ctx, t1)
    assert [x.kind for x in seen] == ["checkin_due", "goal_comment"]
    assert seen[1].actor_name == "Learner1" and seen[1].params == {"goal": 3} and seen[1].link == "/plan"
    assert notifications.unread_count(ctx, t1) == 2
    with pytest.raises(NotFoundError):
        notifications.mark_read(ctx, f1, [seen[0].id])  # not family1's
    assert notifications.mark_read(ctx, t1, [seen[0].id]) == 1
    assert [x.kind for x in notifications.list_notifications(ctx, t1, unread_only=True)] == ["goal_comment"]
    assert notifications.mark_read(ctx, t1) == 1
    assert notifications.unread_count(ctx, t1) == 0
    assert notifications.unread_count(ctx, f1) == 1
    with pytest.raises(ValidationError):
        notifications.list_notifications(ctx, t1, limit=0)
    with ctx.unit() as s, pytest.raises(ValidationError):
        notifications.notify(s, [ids["teacher1"]], "", now=clock())
