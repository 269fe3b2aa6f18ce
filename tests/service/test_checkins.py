"""Check-ins (issue 6): rhythms, the due list, the prepared summary, holding a check-in with decisions
(through the plan service, all or nothing), who reads what, and the notices."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from learnpath.errors import NotFoundError, PermissionDeniedError, ValidationError
from learnpath.service import checkins, notifications, plans, portfolio
from learnpath.service.access import Actor
from learnpath.service.checkins import Decision
from learnpath.service.context import ServiceContext
from learnpath.service.learning import record_attempt
from learnpath.storage.tables import CheckinRow, GoalRow, User
from learnpath.testing.clock import FakeClock
from learnpath.testing.school import TinySchool


def actor(ctx: ServiceContext, school: TinySchool, name: str) -> Actor:
    with ctx.unit() as s:
        user = s.get(User, school.ids[name])
        assert user is not None
        return Actor.of(user)


def _goal(ctx: ServiceContext, school: TinySchool, skills: list[str], when: date) -> int:
    t1 = actor(ctx, school, "teacher1")
    return plans.draft_goal(ctx, t1, school.ids["learner1"], skills=skills, target_date=when)


def _practise(ctx: ServiceContext, school: TinySchool, clock: FakeClock, n: int, right: bool = True) -> None:
    l1 = actor(ctx, school, "learner1")
    for i in range(n):
        answer = str(i % 3 + 2) if right else "99"
        record_attempt(
            ctx, l1, school.ids["learner1"], school.ids[f"ADD-{i % 3}"], answer, duration_ms=60_000
        )
        clock.advance(minutes=1)


def test_due_list_orders_overdue_first_and_follows_rhythms(
    ctx: ServiceContext, school: TinySchool, clock: FakeClock
) -> None:
    t1 = actor(ctx, school, "teacher1")
    ids = school.ids
    due = checkins.due_list(ctx, t1, ids["classA"])
    assert (due.every_days, due.rhythm_set) == (checkins.DEFAULT_EVERY_DAYS, False)
    assert {e.status for e in due.entries} == {"never"}
    checkins.set_class_rhythm(ctx, t1, ids["classA"], 7)
    checkins.hold_checkin(ctx, t1, ids["learner1"], notes="Good start")
    checkins.hold_checkin(ctx, t1, ids["learner2"])
    checkins.set_learner_rhythm(ctx, t1, ids["learner2"], 21)
    due = checkins.due_list(ctx, t1, ids["classA"])
    by_id = {e.learner_id: e for e in due.entries}
    assert by_id[ids["learner1"]].status == "due"  # held with the class rhythm of 7 days: next date set then
    assert by_id[ids["learner1"]].due_on == clock().date() + timedelta(days=7)
    clock.advance(days=10)
    due = checkins.due_list(ctx, t1, ids["classA"])
    assert [(e.learner_id, e.status, e.days_overdue) for e in due.entries] == [
        (ids["learner1"], "overdue", 3),
        (ids["learner2"], "overdue", 3),  # learner2's own rhythm counts from the next check-in on
    ]
    checkins.hold_checkin(ctx, t1, ids["learner2"])
    due = checkins.due_list(ctx, t1, ids["classA"])
    assert [e.status for e in due.entries] == ["overdue", "upcoming"]
    assert due.entries[1].due_on == clock().date() + timedelta(days=21)
    assert due.entries[1].rhythm_source == "learner"
    assert checkins.set_learner_rhythm(ctx, t1, ids["learner2"], None).source == "class"
    with pytest.raises(ValidationError, match="every_days"):
        checkins.set_class_rhythm(ctx, t1, ids["classA"], 0)


def test_due_list_and_rhythms_respect_access(ctx: ServiceContext, school: TinySchool) -> None:
    ids = school.ids
    with pytest.raises(NotFoundError):
        checkins.due_list(ctx, actor(ctx, school, "teacher1"), ids["classB"])
    with pytest.raises(PermissionDeniedError):
        checkins.due_list(ctx, actor(ctx, school, "learner1"), ids["classA"])
    with pytest.raises(NotFoundError):
        checkins.set_learner_rhythm(ctx, actor(ctx, school, "teacher2"), ids["learner1"], 5)
    with pytest.raises(PermissionDeniedError):
        checkins.set_learner_rhythm(ctx, actor(ctx, school, "family1"), ids["learner1"], 5)
    assert (
        checkins.due_list(ctx, actor(ctx, school, "admin"), ids["classB"]).entries[0].learner_id
        == ids["learner3"]
    )


def test_holding_a_checkin_applies_decisions_and_tells_learner_and_family(
    ctx: ServiceContext, school: TinySchool, clock: FakeClock
) -> None:
    ids = school.ids
    t1, l1, f1 = (actor(ctx, school, n) for n in ("teacher1", "learner1", "family1"))
    today = clock().date()
    keep = _goal(ctx, school, ["SUB"], today + timedelta(days=30))
    drop = _goal(ctx, school, ["MUL"], today + timedelta(days=60))
    _practise(ctx, school, clock, 4)
    portfolio.add_work(ctx, l1, ids["learner1"], kind="text", title="How I add", body="I count on.")
    prepared = checkins.open_checkin(ctx, t1, ids["learner1"])
    assert [w["title"] for w in prepared.summary["evidence"]["portfolio"]] == ["How I add"]
    assert prepared.summary["first"] and prepared.summary["progress"]["attempts"] == 4
    assert prepared.summary["progress"]["correct"] == 4 and prepared.summary["progress"]["minutes"] == 4
    assert [s["code"] for s in prepared.summary["progress"]["skills_practised"]] == ["ADD"]
    assert len(prepared.summary["evidence"]["attempts"]) == 4
    assert {g["id"] for g in prepared.goals} == {keep, drop}
    new_date = today + timedelta(days=45)
    view = checkins.hold_checkin(
        ctx,
        t1,
        ids["learner1"],
        notes="Adding is going well.",
        private_notes="Talk to the family about homework.",
        decisions=[
            Decision("adjust_date", goal_id=keep, target_date=new_date),
            Decision("drop_goal", goal_id=drop),
            Decision("add_goal", skills=("MUL",), title="Times tables, again", target_date=new_date),
        ],
        next_due_on=today + timedelta(days=10),
    )
    assert view.next_due_on == today + timedelta(days=10)
    with ctx.unit() as s:
        assert s.get(GoalRow, keep).target_date == new_date  # type: ignore[union-attr]
        assert s.get(GoalRow, drop).state == "dropped"  # type: ignore[union-attr]
        added = view.decisions[2]["goal_id"]
        assert s.get(GoalRow, added).title == "Times tables, again"  # type: ignore[union-attr]
    for who in (l1, f1):
        kinds = [n.kind for n in notifications.list_notifications(ctx, who)]
        assert "checkin_held" in kinds, who.username
    assert "checkin_held" not in [n.kind for n in notifications.list_notifications(ctx, t1)]
    # the learner and family read the summary and the shared notes, never the private ones
    for who in (l1, f1):
        (seen,) = checkins.list_checkins(ctx, who, ids["learner1"])
        assert seen.notes == "Adding is going well." and seen.private_notes is None
    assert checkins.get_checkin(ctx, t1, ids["learner1"], view.id).private_notes.startswith("Talk")  # type: ignore[union-attr]


def test_the_next_checkin_compares_forecasts_and_counts_only_new_work(
    ctx: ServiceContext, school: TinySchool, clock: FakeClock
) -> None:
    ids = school.ids
    t1 = actor(ctx, school, "teacher1")
    gid = _goal(ctx, school, ["ADD"], clock().date() + timedelta(days=20))
    assert plans.decide_goal(ctx, actor(ctx, school, "family1"), gid, "approve") == "agreed"
    _practise(ctx, school, clock, 2)
    checkins.hold_checkin(ctx, t1, ids["learner1"])
    clock.advance(days=14)
    _practise(ctx, school, clock, 3)
    summary = checkins.open_checkin(ctx, t1, ids["learner1"]).summary
    assert not summary["first"] and summary["progress"]["attempts"] == 3
    (change,) = summary["forecast"]
    assert change["goal_id"] == gid and change["forecast_before"] is not None
    assert change["progress_before"] is not None and change["progress"] >= change["progress_before"]
    assert [s["kind"] for s in summary["suggestions"]] == ["goal_met"]  # five right answers on ADD
    assert summary["suggestions"][0]["goal_id"] == gid
    checkins.hold_checkin(ctx, t1, ids["learner1"], decisions=[checkins.Decision("goal_met", goal_id=gid)])
    clock.advance(days=1)
    summary = checkins.open_checkin(ctx, t1, ids["learner1"]).summary
    assert [s["kind"] for s in summary["suggestions"]] == ["no_goals", "no_practice"]
    assert summary["progress"]["mastered"] == []  # mastered before the last check-in: not new


def test_a_bad_checkin_names_every_problem_and_saves_nothing(
    ctx: ServiceContext, school: TinySchool, clock: FakeClock
) -> None:
    ids = school.ids
    t1 = actor(ctx, school, "teacher1")
    mine = _goal(ctx, school, ["SUB"], clock().date() + timedelta(days=30))
    l3_goal = plans.draft_goal(
        ctx, actor(ctx, school, "admin"), ids["learner3"], skills=["ADD"], target_date=clock().date()
    )
    with pytest.raises(ValidationError) as caught:
        checkins.hold_checkin(
            ctx,
            t1,
            ids["learner1"],
            notes="x" * (checkins.MAX_NOTES_CHARS + 1),
            decisions=[
                Decision("adjust_date", goal_id=mine, target_date=None),
                Decision("drop_goal", goal_id=l3_goal),
                Decision("add_goal"),
                Decision("explode", goal_id=mine),
            ],
            next_due_on=clock().date(),
        )
    fields = {e.field for e in caught.value.errors}
    assert fields == {
        "notes",
        "next_due_on",
        "decisions.0.target_date",
        "decisions.1.goal_id",
        "decisions.2",
        "decisions.3.kind",
    }
    # a decision the plan service refuses (an unknown skill) rolls the whole check-in back
    with pytest.raises(ValidationError):
        checkins.hold_checkin(
            ctx,
            t1,
            ids["learner1"],
            decisions=[
                Decision("drop_goal", goal_id=mine),
                Decision("add_goal", skills=("NOPE",), title="x"),
            ],
        )
    with ctx.unit() as s:
        assert s.scalar(select(func.count()).select_from(CheckinRow)) == 0
        assert s.get(GoalRow, mine).state == "proposed"  # type: ignore[union-attr]


def test_only_the_learners_teachers_and_admin_hold_checkins(ctx: ServiceContext, school: TinySchool) -> None:
    ids = school.ids
    for name in ("learner1", "family1"):
        with pytest.raises(PermissionDeniedError):
            checkins.hold_checkin(ctx, actor(ctx, school, name), ids["learner1"])
    with pytest.raises(NotFoundError):
        checkins.hold_checkin(ctx, actor(ctx, school, "teacher2"), ids["learner1"])
    with pytest.raises(NotFoundError):
        checkins.list_checkins(ctx, actor(ctx, school, "family3"), ids["learner1"])
    view = checkins.hold_checkin(ctx, actor(ctx, school, "admin"), ids["learner1"])
    with pytest.raises(NotFoundError):
        checkins.get_checkin(ctx, actor(ctx, school, "learner3"), ids["learner3"], view.id)
