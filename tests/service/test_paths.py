"""Paths, the frontier and goals through the service: access, the learner's own pace, goals picked by teachers."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from learnpath.core.paths import DEFAULT_PACE
from learnpath.errors import NotFoundError, PermissionDeniedError, ValidationError
from learnpath.service.access import Actor
from learnpath.service.context import ServiceContext
from learnpath.service.goals import list_goals, pick_goals
from learnpath.service.paths import learner_pace, learner_path, path_for_username, ready_skills, skill_web
from learnpath.storage.tables import AttemptRow, GoalRow, MasteryRow, SkillRow, User
from learnpath.testing.clock import FakeClock
from learnpath.testing.school import TinySchool


def actor(ctx: ServiceContext, username: str) -> Actor:
    with ctx.unit() as s:
        user = s.scalars(select(User).where(User.username == username)).one()
        return Actor.of(user)


def set_mastery(ctx: ServiceContext, learner_id: int, code: str, p: float, n: int) -> None:
    with ctx.unit() as s:
        skill = s.scalars(select(SkillRow).where(SkillRow.code == code)).one()
        s.merge(
            MasteryRow(
                learner_id=learner_id,
                skill_id=skill.id,
                p_mastery=p,
                low=p,
                high=p,
                n_attempts=n,
                n_correct=n,
                recent_wrong=0,
            )
        )


def add_attempts(
    ctx: ServiceContext, clock: FakeClock, learner_id: int, item_id: int, durations: list[int]
) -> None:
    with ctx.unit() as s:
        for d in durations:
            s.add(
                AttemptRow(
                    learner_id=learner_id,
                    item_id=item_id,
                    response="1",
                    correct=True,
                    score=1.0,
                    duration_ms=d,
                    hints_used=0,
                    created_at=clock(),
                )
            )


def test_path_and_ready_follow_the_learners_mastery(ctx: ServiceContext, school: TinySchool) -> None:
    teacher = actor(ctx, "teacher1")
    lid = school.ids["learner1"]
    path = learner_path(ctx, teacher, lid, ["MUL"])
    assert [s.code for s in path.steps] == ["ADD", "MUL"]
    assert [s.is_goal for s in path.steps] == [False, True]
    assert [s.code for s in ready_skills(ctx, teacher, lid)] == ["ADD"]
    set_mastery(ctx, lid, "ADD", 0.97, 6)
    set_mastery(ctx, lid, "MUL", 0.6, 3)
    path = learner_path(ctx, teacher, lid, ["MUL", "SUB"])
    assert [s.code for s in path.steps] == ["MUL", "SUB"]
    assert path.steps[0].n_attempts == 3 and path.steps[0].level == "learning"
    assert path.total_minutes == pytest.approx(sum(s.minutes for s in path.steps))
    assert [s.code for s in ready_skills(ctx, teacher, lid)] == ["SUB", "MUL"]
    met = learner_path(ctx, teacher, lid, ["ADD"])
    assert met.steps == [] and met.goals_met == ["ADD"]


def test_unknown_goals_are_named(ctx: ServiceContext, school: TinySchool) -> None:
    with pytest.raises(ValidationError, match="NOPE"):
        learner_path(ctx, actor(ctx, "teacher1"), school.ids["learner1"], ["MUL", "NOPE"])


def test_access_follows_the_usual_rules(ctx: ServiceContext, school: TinySchool) -> None:
    own = school.ids["learner1"]
    for name in ("learner1", "family1", "teacher1", "admin"):
        assert learner_path(ctx, actor(ctx, name), own, ["SUB"]).steps
    for name, other in (("learner1", "learner2"), ("family1", "learner3"), ("teacher2", "learner1")):
        with pytest.raises(NotFoundError):
            learner_path(ctx, actor(ctx, name), school.ids[other], ["SUB"])
        with pytest.raises(NotFoundError):
            ready_skills(ctx, actor(ctx, name), school.ids[other])
    with pytest.raises(NotFoundError):
        learner_path(ctx, actor(ctx, "admin_other"), own, ["SUB"])


def test_pace_comes_from_the_learner_then_the_class_then_the_default(
    ctx: ServiceContext, school: TinySchool, clock: FakeClock
) -> None:
    teacher = actor(ctx, "teacher1")
    l1, l2, l3 = (school.ids[f"learner{i}"] for i in (1, 2, 3))
    assert learner_pace(ctx, teacher, l1) == DEFAULT_PACE
    # learner2 (a classmate of learner1) is quick: 20 s per attempt, 4 attempts per skill
    for code in ("ADD", "SUB", "MUL"):
        set_mastery(ctx, l2, code, 0.99, 4)
    add_attempts(ctx, clock, l2, school.ids["ADD-0"], [20_000] * 40)
    class_pace = learner_pace(ctx, teacher, l1)
    assert class_pace.source == "class"
    assert DEFAULT_PACE.seconds_per_attempt > class_pace.seconds_per_attempt > 20
    assert DEFAULT_PACE.attempts_to_mastery > class_pace.attempts_to_mastery > 4
    # learner3 is in another class: still the default
    assert learner_pace(ctx, actor(ctx, "admin"), l3) == DEFAULT_PACE
    # learner1's own history: slow, 90 s per attempt and 12 attempts per skill
    for code in ("ADD", "SUB", "MUL"):
        set_mastery(ctx, l1, code, 0.96, 12)
    add_attempts(ctx, clock, l1, school.ids["ADD-0"], [90_000] * 30)
    own = learner_pace(ctx, teacher, l1)
    assert own.source == "learner" and own.n_skills == 3 and own.n_attempts == 30
    assert own.seconds_per_attempt > 60 and own.attempts_to_mastery > 8


def test_teachers_pick_goals_for_learners_of_their_class(ctx: ServiceContext, school: TinySchool) -> None:
    teacher = actor(ctx, "teacher1")
    l1, l2 = school.ids["learner1"], school.ids["learner2"]
    goals = pick_goals(ctx, teacher, [l1, l2], ["MUL"], class_id=school.ids["classA"])
    assert [(g.learner_id, g.skills, g.state, g.kind) for g in goals] == [
        (l1, ["MUL"], "proposed", "skill"),
        (l2, ["MUL"], "proposed", "skill"),
    ]
    assert goals[0].title == "Times tables" and goals[0].created_by == "Teacher1"
    assert goals[0].target_mastery == pytest.approx(0.95)
    # picking the same skills again keeps the goal (no duplicate)
    again = pick_goals(ctx, teacher, [l1], ["MUL"])
    assert [g.id for g in again] == [goals[0].id]
    # the path with no goal named aims at the learner's active goals
    path = learner_path(ctx, actor(ctx, "learner1"), l1)
    assert path.goals_from_plan and [g.code for g in path.goals] == ["MUL"]
    assert [s.code for s in path.steps] == ["ADD", "MUL"]
    assert [g.skills for g in list_goals(ctx, actor(ctx, "family1"), l1)] == [["MUL"]]


def test_only_teachers_of_the_class_and_admins_pick_goals(ctx: ServiceContext, school: TinySchool) -> None:
    l1, l3 = school.ids["learner1"], school.ids["learner3"]
    for name in ("learner1", "family1"):
        with pytest.raises(PermissionDeniedError):
            pick_goals(ctx, actor(ctx, name), [l1], ["SUB"])
    with pytest.raises(NotFoundError):
        pick_goals(ctx, actor(ctx, "teacher1"), [l1, l3], ["SUB"])
    with pytest.raises(NotFoundError):
        pick_goals(ctx, actor(ctx, "teacher1"), [l1], ["SUB"], class_id=school.ids["classB"])
    with pytest.raises(PermissionDeniedError):
        pick_goals(ctx, actor(ctx, "learner1"), [l1], ["SUB"], class_id=school.ids["classA"])
    with pytest.raises(ValidationError, match="one class"):
        pick_goals(ctx, actor(ctx, "admin"), [l1, l3], ["SUB"], class_id=school.ids["classA"])
    assert pick_goals(ctx, actor(ctx, "admin"), [l3], ["SUB"])[0].learner_id == l3
    with ctx.unit() as s:
        assert s.scalar(select(func.count(GoalRow.id))) == 1


def test_bad_goals_are_refused_whole(ctx: ServiceContext, school: TinySchool, clock: FakeClock) -> None:
    teacher = actor(ctx, "teacher1")
    l1, l2 = school.ids["learner1"], school.ids["learner2"]
    yesterday = clock().date() - timedelta(days=1)
    cases = [
        ({"skill_codes": []}, "skills"),
        ({"skill_codes": ["MUL", "NOPE"]}, "skills"),
        ({"skill_codes": ["MUL"], "target_mastery": 1.5}, "target_mastery"),
        ({"skill_codes": ["MUL"], "target_date": yesterday}, "target_date"),
        ({"skill_codes": ["MUL"], "title": "x" * 301}, "title"),
    ]
    for kwargs, field in cases:
        with pytest.raises(ValidationError) as err:
            pick_goals(ctx, teacher, [l1, l2], **kwargs)  # type: ignore[arg-type]
        assert field in [f.field for f in err.value.errors], kwargs
    with pytest.raises(ValidationError) as err:
        pick_goals(ctx, teacher, [l1], ["NOPE"])
    assert err.value.errors[0].message == "no skill with code 'NOPE'"
    with ctx.unit() as s:
        assert s.scalar(select(func.count(GoalRow.id))) == 0
    ok = pick_goals(ctx, teacher, [l1], ["SUB", "MUL"], title="Fluency", target_date=date(2099, 1, 1))
    assert (
        ok[0].title == "Fluency" and ok[0].skills == ["SUB", "MUL"] and ok[0].target_date == date(2099, 1, 1)
    )


def test_command_line_paths(ctx: ServiceContext, school: TinySchool) -> None:
    full = path_for_username(ctx, ["SUB", "MUL"])
    assert [s.code for s in full.steps] == ["ADD", "SUB", "MUL"] and full.pace == DEFAULT_PACE
    set_mastery(ctx, school.ids["learner1"], "ADD", 0.99, 5)
    assert [s.code for s in path_for_username(ctx, ["MUL"], "learner1").steps] == ["MUL"]
    for name in ("nobody", "teacher1"):
        with pytest.raises(NotFoundError):
            path_for_username(ctx, ["MUL"], name)


def test_the_skill_web_holds_the_path_its_ancestors_and_what_the_goal_unlocks(
    ctx: ServiceContext, school: TinySchool
) -> None:
    teacher = actor(ctx, "teacher1")
    lid = school.ids["learner1"]
    set_mastery(ctx, lid, "ADD", 0.99, 5)
    path, web = skill_web(ctx, teacher, lid, ["ADD"])
    assert path.steps == [] and web.goals == ["ADD"]
    assert {s.code for s in web.skills} == {"ADD", "SUB", "MUL"}
    assert set(web.edges) == {("ADD", "SUB"), ("ADD", "MUL")}
    _, web = skill_web(ctx, teacher, lid, ["SUB"], max_nodes=1)
    assert web.path == ["SUB"] and {s.code for s in web.skills} == {"SUB"} and web.truncated


def test_a_short_standard_code_finds_the_one_skill_it_ends() -> None:
    from learnpath.core.graph import SkillGraph
    from learnpath.service.paths import _resolve_code

    graph = SkillGraph.build(
        ["CCSS.Math.Content.5.NF.B.4", "CCSS.Math.Content.4.NF.B.4", "X.1.A", "Y.1.A"], []
    )
    assert _resolve_code(graph, "5.NF.B.4") == "CCSS.Math.Content.5.NF.B.4"
    assert _resolve_code(graph, "NF.B.4") == "NF.B.4"  # ambiguous: left for the path to reject
    assert _resolve_code(graph, "1.A") == "1.A"
    assert _resolve_code(graph, "X.1.A") == "X.1.A"
