"""Personal learning plans (issue 6): drafting, three-way agreement, change requests, comments and their
notifications, interest goals, adjustments with history, and the plan snapshot with forecasts."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from learnpath.errors import NotFoundError, PermissionDeniedError, ValidationError
from learnpath.service import goals, notifications, plans
from learnpath.service.access import Actor
from learnpath.service.context import ServiceContext
from learnpath.service.learning import record_attempt
from learnpath.storage.tables import GoalRow, User
from learnpath.testing.clock import FakeClock
from learnpath.testing.school import TinySchool


def actor(ctx: ServiceContext, school: TinySchool, name: str) -> Actor:
    with ctx.unit() as s:
        user = s.get(User, school.ids[name])
        assert user is not None
        return Actor.of(user)


def _kinds(ctx: ServiceContext, who: Actor) -> list[str]:
    return [n.kind for n in notifications.list_notifications(ctx, who)]


def test_learner_drafts_teacher_and_family_agree(ctx: ServiceContext, school: TinySchool) -> None:
    ids = school.ids
    l1, t1, f1 = (actor(ctx, school, n) for n in ("learner1", "teacher1", "family1"))
    gid = plans.draft_goal(
        ctx, l1, ids["learner1"], skills=["MUL"], title="Times tables", target_date=date(2026, 12, 1)
    )
    view = plans.plan_view(ctx, t1, ids["learner1"])
    goal = view.goals[0]
    assert (goal.id, goal.state, goal.pending) == (gid, "proposed", ["teacher", "family"])
    assert [e.action for e in goal.history] == ["draft", "propose"]
    assert "goal_proposed" in _kinds(ctx, t1) and "goal_proposed" in _kinds(ctx, f1)
    assert _kinds(ctx, l1) == []  # nobody is told of their own action
    assert plans.decide_goal(ctx, t1, gid, "approve", "Good stretch") == "proposed"
    assert plans.plan_view(ctx, l1, ids["learner1"]).goals[0].pending == ["family"]
    with pytest.raises(ValidationError, match="already approved"):
        plans.decide_goal(ctx, t1, gid, "approve")
    assert plans.decide_goal(ctx, f1, gid, "approve") == "agreed"
    goal = plans.plan_view(ctx, l1, ids["learner1"]).goals[0]
    assert goal.state == "agreed" and goal.pending == []
    assert [(e.action, e.from_state, e.to_state) for e in goal.history][-3:] == [
        ("approve", "proposed", "proposed"),
        ("approve", "proposed", "proposed"),
        ("agree", "proposed", "agreed"),
    ]
    assert goal.history[2].comment == "Good stretch" and goal.history[2].who == "Teacher1"
    assert "goal_agreed" in _kinds(ctx, l1)
    with pytest.raises(ValidationError, match="only a proposed goal"):
        plans.decide_goal(ctx, f1, gid, "approve")


def test_change_request_sends_back_to_draft_and_approvals_lapse(
    ctx: ServiceContext, school: TinySchool
) -> None:
    ids = school.ids
    l1, t1, f1 = (actor(ctx, school, n) for n in ("learner1", "teacher1", "family1"))
    gid = plans.draft_goal(ctx, l1, ids["learner1"], skills=["SUB"])
    plans.decide_goal(ctx, t1, gid, "approve")
    with pytest.raises(ValidationError) as err:
        plans.decide_goal(ctx, f1, gid, "request_change", "   ")
    assert err.value.errors[0].field == "comment"
    assert plans.decide_goal(ctx, f1, gid, "request_change", "A date before the holidays?") == "draft"
    assert "goal_change_requested" in _kinds(ctx, l1)
    with pytest.raises(ValidationError):
        plans.decide_goal(ctx, t1, gid, "approve")  # a draft cannot be approved
    plans.propose_goal(ctx, l1, gid, "Moved it")
    assert plans.plan_view(ctx, l1, ids["learner1"]).goals[0].pending == ["teacher", "family"]
    plans.decide_goal(ctx, f1, gid, "approve")
    assert plans.decide_goal(ctx, t1, gid, "approve") == "agreed"


def test_who_may_draft_approve_and_see(ctx: ServiceContext, school: TinySchool) -> None:
    ids = school.ids
    l1, t1, t2, f1 = (actor(ctx, school, n) for n in ("learner1", "teacher1", "teacher2", "family1"))
    with pytest.raises(PermissionDeniedError):
        plans.draft_goal(ctx, f1, ids["learner1"], skills=["MUL"])
    with pytest.raises(NotFoundError):
        plans.draft_goal(ctx, l1, ids["learner2"], skills=["MUL"])
    gid = plans.draft_goal(ctx, l1, ids["learner1"], skills=["MUL"])
    with pytest.raises(PermissionDeniedError):
        plans.decide_goal(ctx, l1, gid, "approve")
    for other in (t2, actor(ctx, school, "learner2"), actor(ctx, school, "admin_other")):
        with pytest.raises(NotFoundError, match=f"no goal with id {gid}"):
            plans.comment_goal(ctx, other, gid, "hi")
    # young learners: the teacher drafts (by grade, or by the teacher's choice)
    plans.set_teacher_drafts(ctx, t1, ids["learner1"], True)
    with pytest.raises(PermissionDeniedError, match="teacher writes"):
        plans.draft_goal(ctx, l1, ids["learner1"], skills=["ADD"])
    assert not plans.plan_view(ctx, l1, ids["learner1"]).may_draft
    with pytest.raises(PermissionDeniedError):
        plans.set_teacher_drafts(ctx, l1, ids["learner1"], False)


def test_teacher_drafted_goal_for_learner_without_family_is_agreed_at_once(
    ctx: ServiceContext, school: TinySchool
) -> None:
    t1 = actor(ctx, school, "teacher1")
    gid = plans.draft_goal(ctx, t1, school.ids["learner2"], skills=["ADD"])
    with ctx.unit() as s:
        row = s.get(GoalRow, gid)
        assert row is not None and row.state == "agreed"
    assert "goal_agreed" in _kinds(ctx, actor(ctx, school, "learner2"))


def test_comments_notify_everyone_else_involved(ctx: ServiceContext, school: TinySchool) -> None:
    ids = school.ids
    l1, t1, f1 = (actor(ctx, school, n) for n in ("learner1", "teacher1", "family1"))
    gid = plans.draft_goal(ctx, l1, ids["learner1"], skills=["MUL"], propose=False)
    assert plans.plan_view(ctx, l1, ids["learner1"]).goals[0].state == "draft"
    plans.comment_goal(ctx, f1, gid, "Proud of you!")
    assert "goal_comment" in _kinds(ctx, l1) and "goal_comment" in _kinds(ctx, t1)
    assert "goal_comment" not in _kinds(ctx, f1)
    assert "goal_comment" not in _kinds(ctx, actor(ctx, school, "teacher2"))
    with pytest.raises(ValidationError):
        plans.comment_goal(ctx, f1, gid, "x" * (plans.MAX_COMMENT + 1))
    history = plans.plan_view(ctx, t1, ids["learner1"]).goals[0].history
    assert [(e.action, e.comment, e.who) for e in history][-1] == ("comment", "Proud of you!", "Family1")


def test_bad_goal_input_names_every_field_and_saves_nothing(ctx: ServiceContext, school: TinySchool) -> None:
    l1 = actor(ctx, school, "learner1")
    with pytest.raises(ValidationError) as err:
        plans.draft_goal(
            ctx, l1, school.ids["learner1"], skills=["NOPE"], target_date=date(2020, 1, 1), target_mastery=2,
            milestones=["a"],
        )  # fmt: skip
    fields = {f.field for f in err.value.errors}
    assert fields == {"skills", "target_date", "target_mastery", "milestones"}
    with pytest.raises(ValidationError) as err:
        plans.draft_goal(ctx, l1, school.ids["learner1"], kind="interest", title=" ", skills=["ADD"],
                         rubric=[{"text": "Depth", "max_points": 0}], checklist=["x"])  # fmt: skip
    fields = {f.field for f in err.value.errors}
    assert fields == {"title", "skills", "rubric[0].max_points", "rubric"}
    with ctx.unit() as s:
        assert s.scalar(select(func.count()).select_from(GoalRow)) == 0


def test_interest_goal_with_milestones_and_rubric(ctx: ServiceContext, school: TinySchool) -> None:
    ids = school.ids
    l1, t1 = actor(ctx, school, "learner1"), actor(ctx, school, "teacher1")
    gid = plans.draft_goal(
        ctx, l1, ids["learner1"], kind="interest", title="The history of plumbing",
        details="Romans to today", milestones=["Read two books", "Visit the museum"],
        rubric=["Sources", {"text": "Poster", "max_points": 3}],
    )  # fmt: skip
    with ctx.unit() as s:
        rubric = plans.goal_rubric(s, gid)
    assert [(c["text"], c["max_points"]) for c in rubric] == [("Sources", 4), ("Poster", 3)]
    assert all(c["id"].startswith("c") for c in rubric)
    goal = plans.plan_view(ctx, l1, ids["learner1"]).goals[0]
    assert goal.kind == "interest" and goal.progress == 0.0 and goal.steps_total == 2
    first = next(p for p in goal.parts if p.kind == "milestone")
    plans.set_milestone(ctx, l1, gid, first.id, True)
    with pytest.raises(PermissionDeniedError):
        plans.set_milestone(ctx, actor(ctx, school, "family1"), gid, first.id, False)
    with pytest.raises(NotFoundError):
        plans.set_milestone(ctx, t1, gid, 99999, True)
    snap = plans.plan_view(ctx, t1, ids["learner1"]).goals[0]
    assert snap.progress == 0.5 and snap.steps_done == 1
    with ctx.unit() as s:
        assert plans.goal_rubric(s, plans.add_goal_in(s, t1, ids["learner1"], skills=["ADD"])) == []


def test_adjust_goal_records_history_and_checks_moves(
    ctx: ServiceContext, school: TinySchool, clock: FakeClock
) -> None:
    ids = school.ids
    l1, t1 = actor(ctx, school, "learner1"), actor(ctx, school, "teacher1")
    gid = plans.draft_goal(ctx, l1, ids["learner1"], skills=["MUL"], target_date=date(2026, 10, 1))
    new = clock.now.date() + timedelta(days=60)
    with ctx.unit() as s:
        plans.adjust_goal(s, t1, gid, target_date=new, note="More time for tables", now=clock.now)
    goal = plans.plan_view(ctx, l1, ids["learner1"]).goals[0]
    assert goal.target_date == new
    last = goal.history[-1]
    assert (last.action, last.comment, last.details) == (
        "adjust", "More time for tables", {"target_date": ["2026-10-01", new.isoformat()]}
    )  # fmt: skip
    assert "goal_adjusted" in _kinds(ctx, l1)
    with ctx.unit() as s, pytest.raises(ValidationError, match="cannot become met"):
        plans.adjust_goal(s, t1, gid, state="met", note="")
    with ctx.unit() as s, pytest.raises(PermissionDeniedError):
        plans.adjust_goal(s, l1, gid, state="dropped", note="")
    with ctx.unit() as s, pytest.raises(NotFoundError):
        plans.adjust_goal(s, actor(ctx, school, "teacher2"), gid, state="dropped", note="")
    plans.set_goal_state(ctx, l1, gid, "dropped", "Not now")
    assert plans.plan_view(ctx, l1, ids["learner1"]).goals[0].state == "dropped"


def test_forecast_moves_as_the_learner_practises(
    ctx: ServiceContext, school: TinySchool, clock: FakeClock
) -> None:
    ids = school.ids
    l1 = actor(ctx, school, "learner1")
    target = clock.now.date() + timedelta(days=30)
    plans.draft_goal(ctx, l1, ids["learner1"], skills=["MUL"], target_date=target)
    with ctx.unit() as s:
        before = plans.plan_snapshot(s, ids["learner1"], clock.now)["goals"][0]
    assert before["forecast"] == {"date": None, "low": None, "high": None, "status": "unknown"}
    assert before["skills"] == ["MUL"] and before["target_date"] == target.isoformat()
    assert before["progress"] == 0.0 and before["state"] == "proposed"
    for _day in range(6):
        for k in range(3):
            item = ids[f"ADD-{k}"]
            record_attempt(ctx, l1, ids["learner1"], item, str(k + 2), duration_ms=20_000)
        clock.advance(days=1)
    with ctx.unit() as s:
        after = plans.plan_snapshot(s, ids["learner1"], clock.now)["goals"][0]
    f = after["forecast"]
    assert f["status"] in ("on_track", "at_risk") and f["date"] is not None
    assert f["low"] <= f["date"] <= f["high"]
    assert after["progress"] > before["progress"]


def test_teacher_picked_goals_have_history_and_wait_for_family(
    ctx: ServiceContext, school: TinySchool
) -> None:
    ids = school.ids
    t1, f1 = actor(ctx, school, "teacher1"), actor(ctx, school, "family1")
    made = goals.pick_goals(ctx, t1, [ids["learner1"]], ["MUL"])
    assert made[0].state == "proposed" and "goal_proposed" in _kinds(ctx, f1)
    goal = plans.plan_view(ctx, f1, ids["learner1"]).goals[0]
    assert goal.pending == ["family"] and goal.approved_by == [t1.user_id]
    assert plans.decide_goal(ctx, f1, made[0].id, "approve") == "agreed"


def test_a_draft_is_revised_and_proposed_again(
    ctx: ServiceContext, school: TinySchool, clock: FakeClock
) -> None:
    ids = school.ids
    l1, t1, f1 = (actor(ctx, school, n) for n in ("learner1", "teacher1", "family1"))
    gid = plans.draft_goal(ctx, l1, ids["learner1"], skills=["MUL"], target_date=date(2026, 9, 10))
    plans.decide_goal(ctx, t1, gid, "request_change", "Later, please")
    with pytest.raises(PermissionDeniedError):
        plans.revise_goal(ctx, f1, gid, title="New")
    with pytest.raises(ValidationError) as err:
        plans.revise_goal(ctx, l1, gid, title="  ", target_date=date(2020, 1, 1))
    assert {f.field for f in err.value.errors} == {"title", "target_date"}
    plans.revise_goal(ctx, l1, gid, title="Tables by October", target_date=date(2026, 10, 15))
    goal = plans.plan_view(ctx, l1, ids["learner1"]).goals[0]
    assert (goal.title, goal.state, goal.target_date) == ("Tables by October", "proposed", date(2026, 10, 15))
    revise = next(e for e in goal.history if e.action == "revise")
    assert revise.details == {
        "title": ["Times tables", "Tables by October"],
        "target_date": ["2026-09-10", "2026-10-15"],
    }
    assert goal.pending == ["teacher", "family"]


def test_editing_a_proposed_goal_voids_approvals_and_records_what_changed(
    ctx: ServiceContext, school: TinySchool
) -> None:
    ids = school.ids
    l1, t1, f1 = (actor(ctx, school, n) for n in ("learner1", "teacher1", "family1"))
    gid = plans.draft_goal(ctx, l1, ids["learner1"], skills=["ADD"])
    plans.decide_goal(ctx, t1, gid, "approve")
    assert plans.plan_view(ctx, l1, ids["learner1"]).goals[0].pending == ["family"]
    # nothing changes: the goal stays proposed and the teacher's yes stands
    plans.revise_goal(ctx, l1, gid, skills=["ADD"], title="Adding")
    goal = plans.plan_view(ctx, l1, ids["learner1"]).goals[0]
    assert (goal.state, goal.pending, goal.history[-1].action) == ("proposed", ["family"], "approve")
    # new skills, kept as a draft: back to draft, the name made from the skills follows them
    plans.revise_goal(ctx, l1, gid, skills=[" SUB", "MUL", "SUB"], propose=False)
    goal = plans.plan_view(ctx, t1, ids["learner1"]).goals[0]
    assert goal.state == "draft" and goal.title == "Taking away, Times tables"
    assert [c for c, _, _ in goal.skills] == ["SUB", "MUL"]
    revise = goal.history[-1]
    assert (revise.action, revise.from_state, revise.to_state) == ("revise", "proposed", "draft")
    assert revise.details == {
        "title": ["Adding", "Taking away, Times tables"],
        "skills": [["ADD"], ["SUB", "MUL"]],
    }
    assert "goal_adjusted" in _kinds(ctx, t1) and "goal_adjusted" in _kinds(ctx, f1)
    with pytest.raises(ValidationError, match="only a proposed goal"):
        plans.decide_goal(ctx, f1, gid, "approve")
    # proposed again: the teacher's earlier yes has lapsed, both must say yes again
    plans.propose_goal(ctx, l1, gid)
    assert plans.plan_view(ctx, l1, ids["learner1"]).goals[0].pending == ["teacher", "family"]
    plans.decide_goal(ctx, f1, gid, "approve")
    # a staff edit of a proposed goal re-proposes at once and counts as the staff's yes; the family's lapses
    plans.revise_goal(
        ctx, t1, gid, title="Multiply and subtract", target_date=date(2026, 12, 1), skills=["MUL", "SUB"]
    )
    goal = plans.plan_view(ctx, l1, ids["learner1"]).goals[0]
    assert (goal.state, goal.pending, goal.title) == ("proposed", ["family"], "Multiply and subtract")
    assert [c for c, _, _ in goal.skills] == ["MUL", "SUB"]
    assert [e.action for e in goal.history][-2:] == ["revise", "propose"]
    # agreed goals are changed through a change request, not edited
    assert plans.decide_goal(ctx, f1, gid, "approve") == "agreed"
    with pytest.raises(ValidationError, match="only a draft or proposed goal"):
        plans.revise_goal(ctx, t1, gid, skills=["ADD"])


def test_goal_skill_edits_are_checked_and_save_nothing_when_wrong(
    ctx: ServiceContext, school: TinySchool
) -> None:
    ids = school.ids
    l1, f1 = actor(ctx, school, "learner1"), actor(ctx, school, "family1")
    gid = plans.draft_goal(ctx, l1, ids["learner1"], skills=["ADD"], title="Mine", propose=False)
    for bad, message in (
        ([], "choose at least one skill"),
        (["ADD", "NOPE"], "no skill with code 'NOPE'"),
        ([f"S{i}" for i in range(25)], "at most"),
    ):
        with pytest.raises(ValidationError) as err:
            plans.revise_goal(ctx, l1, gid, skills=bad, title="Changed")
        assert err.value.errors[0].field == "skills" and message in err.value.errors[0].message
    with pytest.raises(PermissionDeniedError):
        plans.revise_goal(ctx, f1, gid, skills=["SUB"])
    with pytest.raises(NotFoundError):
        plans.revise_goal(ctx, actor(ctx, school, "teacher2"), gid, skills=["SUB"])
    interest = plans.draft_goal(ctx, l1, ids["learner1"], kind="interest", title="Build a kite")
    with pytest.raises(ValidationError, match="cannot be changed") as err:
        plans.revise_goal(ctx, l1, interest, skills=["ADD"])
    assert err.value.errors[0].field == "skills"
    goal = plans.plan_view(ctx, l1, ids["learner1"]).goals
    mine = next(g for g in goal if g.id == gid)
    assert (mine.title, [c for c, _, _ in mine.skills], mine.state) == ("Mine", ["ADD"], "draft")
    assert [e.action for e in mine.history] == ["draft"]
