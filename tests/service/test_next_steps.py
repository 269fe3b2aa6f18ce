"""Next steps through the service: choices from stored data, review after forgetting, must-do work,
interests, picks recorded, and bad input answered clearly."""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import pytest
from sqlalchemy import select

from learnpath.errors import NotFoundError, PermissionDeniedError, ValidationError
from learnpath.service import assignments, learning, next_steps
from learnpath.service.access import Actor
from learnpath.service.content import SkillSpec, add_skills
from learnpath.service.context import ServiceContext
from learnpath.storage.tables import NextStepPick, SkillMemory, User
from learnpath.testing.clock import FakeClock
from learnpath.testing.school import TinySchool


def actor(ctx: ServiceContext, name: str) -> Actor:
    with ctx.unit() as s:
        user = s.scalars(select(User).where(User.username == name)).one()
        return Actor.of(user)


def practise(
    ctx: ServiceContext, school: TinySchool, who: str, code: str, n: int, right: bool = True
) -> None:
    me = actor(ctx, who)
    answers = {"ADD": lambda i: str(i + 2), "SUB": lambda i: str(i + 4), "MUL": lambda i: "a"}
    for k in range(n):
        i = k % 3
        response = answers[code](i) if right else "999"
        learning.record_attempt(ctx, me, me.user_id, school.ids[f"{code}-{i}"], response)


def kinds(view: next_steps.NextStepsView) -> dict[str, str]:
    return {c.skill_code: c.kind for c in view.choices}


def test_a_new_learner_is_offered_what_they_are_ready_for_and_placement(
    ctx: ServiceContext, school: TinySchool
) -> None:
    me = actor(ctx, "learner1")
    view = next_steps.next_steps(ctx, me, me.user_id)
    assert kinds(view) == {"ADD": "ready"}
    assert view.notice == "no_history" and view.placement_offered


def test_mastering_opens_the_next_skills_and_forgetting_brings_review(
    ctx: ServiceContext, school: TinySchool, clock: FakeClock
) -> None:
    me = actor(ctx, "learner1")
    practise(ctx, school, "learner1", "ADD", 8)
    view = next_steps.next_steps(ctx, me, me.user_id)
    assert view.notice is None
    assert set(kinds(view)) >= {"SUB", "MUL"}
    assert all(c.kind != "review" for c in view.choices)  # just practised: not due
    with ctx.unit() as s:
        assert s.get(SkillMemory, (me.user_id, school_ids_skill(ctx, "ADD"))) is not None
    clock.advance(days=60)
    later = next_steps.next_steps(ctx, me, me.user_id)
    add = next(c for c in later.choices if c.skill_code == "ADD")
    assert add.kind == "review" and add.days_since == 60
    assert any(c.kind != "review" for c in later.choices)
    assert later.choices == next_steps.next_steps(ctx, me, me.user_id).choices  # deterministic


def school_ids_skill(ctx: ServiceContext, code: str) -> int:
    with ctx.unit() as s:
        return next_steps.curriculum(s).id_of[code]


def test_a_teachers_must_do_comes_first_until_done(
    ctx: ServiceContext, school: TinySchool, clock: FakeClock
) -> None:
    teacher, me = actor(ctx, "teacher1"), actor(ctx, "learner1")
    practise(ctx, school, "learner1", "ADD", 8)
    a = assignments.add_assignment(
        ctx, teacher, "MUL", class_id=school.ids["classA"], due_at=clock.now + timedelta(days=3)
    )
    first = next_steps.next_steps(ctx, me, me.user_id).choices[0]
    assert (first.skill_code, first.kind, first.assignment_id) == ("MUL", "must_do", a.id)
    other = actor(ctx, "learner3")  # class B: not assigned
    assert all(c.kind != "must_do" for c in next_steps.next_steps(ctx, other, other.user_id).choices)
    assert [x.skill_code for x in assignments.class_assignments(ctx, teacher, school.ids["classA"])] == [
        "MUL"
    ]
    practise(ctx, school, "learner1", "MUL", next_steps.ASSIGNMENT_DONE_AFTER)
    assert all(c.kind != "must_do" for c in next_steps.next_steps(ctx, me, me.user_id).choices)


def test_assignments_are_checked(ctx: ServiceContext, school: TinySchool, clock: FakeClock) -> None:
    teacher = actor(ctx, "teacher1")
    with pytest.raises(PermissionDeniedError):
        assignments.add_assignment(ctx, actor(ctx, "learner1"), "ADD", class_id=school.ids["classA"])
    with pytest.raises(NotFoundError):  # not their class
        assignments.add_assignment(ctx, teacher, "ADD", class_id=school.ids["classB"])
    with pytest.raises(NotFoundError, match="NOPE"):
        assignments.add_assignment(ctx, teacher, "NOPE", class_id=school.ids["classA"])
    with pytest.raises(ValidationError):
        assignments.add_assignment(ctx, teacher, "ADD", class_id=school.ids["classA"], learner_id=1)
    with pytest.raises(ValidationError, match="past"):
        past = clock.now - timedelta(days=1)
        assignments.add_assignment(ctx, teacher, "ADD", learner_id=school.ids["learner1"], due_at=past)


def test_interests_bring_an_exploration_choice(ctx: ServiceContext, school: TinySchool) -> None:
    me = actor(ctx, "learner1")
    with ctx.unit() as s:
        assignments.tag_skills(s, {"MUL": ["space"]})
    practise(ctx, school, "learner1", "ADD", 8)
    assert assignments.set_interests(ctx, me, me.user_id, ["space", " music "]) == ["music", "space"]
    assert assignments.interests_of(ctx, me, me.user_id) == ["music", "space"]
    mul = next(c for c in next_steps.next_steps(ctx, me, me.user_id).choices if c.skill_code == "MUL")
    assert (mul.kind, mul.interest) == ("interest", "space")
    with pytest.raises(ValidationError, match="unknown"):
        assignments.set_interests(ctx, me, me.user_id, ["dragons"])
    with pytest.raises(PermissionDeniedError):
        assignments.set_interests(ctx, actor(ctx, "teacher1"), me.user_id, ["space"])


def test_the_pick_is_recorded_and_starts_practice(ctx: ServiceContext, school: TinySchool) -> None:
    me = actor(ctx, "learner1")
    rng = np.random.default_rng(0)
    item = next_steps.record_pick(ctx, me, me.user_id, "ADD", rng)
    assert item.skill_code == "ADD" and item.item.skills == ("ADD",)
    next_steps.record_pick(ctx, me, me.user_id, "MUL", rng)  # not offered: still the learner's choice
    with ctx.unit() as s:
        picks = s.scalars(select(NextStepPick).order_by(NextStepPick.id)).all()
        assert [(p.kind, p.position) for p in picks] == [("ready", 1), ("own", None)]
        assert picks[0].offered == {"choices": [{"skill": "ADD", "kind": "ready"}]}
    with pytest.raises(NotFoundError, match="NOPE"):
        next_steps.record_pick(ctx, me, me.user_id, "NOPE", rng)
    with pytest.raises(PermissionDeniedError):
        teacher = actor(ctx, "teacher1")
        next_steps.record_pick(ctx, teacher, me.user_id, "ADD", rng)
    with pytest.raises(NotFoundError):
        next_steps.record_pick(ctx, me, school.ids["learner2"], "ADD", rng)
    assert next_steps.practice_item(ctx, me, me.user_id, "SUB", rng).skill_code == "SUB"


def test_goals_unknown_mastered_or_blocked_get_a_clear_answer(
    ctx: ServiceContext, school: TinySchool
) -> None:
    me = actor(ctx, "learner1")
    with pytest.raises(NotFoundError, match="NOPE"):
        next_steps.next_steps(ctx, me, me.user_id, goal="NOPE")
    practise(ctx, school, "learner1", "ADD", 8)
    assert next_steps.next_steps(ctx, me, me.user_id, goal="ADD").notice == "goal_mastered"
    aimed = next_steps.next_steps(ctx, me, me.user_id, goal="SUB")
    assert {c.skill_code for c in aimed.choices if c.kind in ("ready", "continue")} == {"SUB"}
    with ctx.unit() as s:
        more = [SkillSpec("DIV", "Sharing", "Repartir", grade=3), SkillSpec("FRAC", "Fractions", grade=3)]
        add_skills(s, "tiny2", "More", more, [("DIV", "FRAC")])
    blocked = next_steps.next_steps(ctx, me, me.user_id, goal="FRAC")
    assert blocked.notice == "no_path"
    assert [b.code for b in blocked.blocked_by] == ["DIV"]
    assert blocked.choices  # the general choices, still


def test_a_family_member_sees_their_childs_choices_but_not_others(
    ctx: ServiceContext, school: TinySchool
) -> None:
    fam = actor(ctx, "family1")
    assert next_steps.next_steps(ctx, fam, school.ids["learner1"]).choices
    with pytest.raises(NotFoundError):
        next_steps.next_steps(ctx, fam, school.ids["learner2"])


def test_the_same_wrong_answer_again_is_reteach_with_the_answer(
    ctx: ServiceContext, school: TinySchool
) -> None:
    from learnpath.web.reasons import reason_text

    me = actor(ctx, "learner1")
    for item, response in (("ADD-0", "7"), ("ADD-1", "1"), ("ADD-0", " 7 ")):
        learning.record_attempt(ctx, me, me.user_id, school.ids[item], response)
    view = next_steps.next_steps(ctx, me, me.user_id)
    add = next(c for c in view.choices if c.skill_code == "ADD")
    assert (add.kind, add.repeated) == ("reteach", "7")
    assert reason_text(add, "es") == "Salió la misma respuesta otra vez. Vamos a verlo de otra forma"
    # a right answer ends the pattern (the run of wrong answers goes on being re-teach without it)
    learning.record_attempt(ctx, me, me.user_id, school.ids["ADD-1"], "3")
    add = next(c for c in next_steps.next_steps(ctx, me, me.user_id).choices if c.skill_code == "ADD")
    assert add.repeated is None


def test_a_mastered_skill_with_challenges_is_offered_in_depth(
    ctx: ServiceContext, school: TinySchool
) -> None:
    from sqlalchemy import update

    from learnpath.storage.tables import ItemRow

    with ctx.unit() as s:
        s.execute(update(ItemRow).where(ItemRow.code == "ADD-2").values(difficulty=1.5))
    me = actor(ctx, "learner1")
    practise(ctx, school, "learner1", "ADD", 8)
    view = next_steps.next_steps(ctx, me, me.user_id)
    assert kinds(view)["ADD"] == "deepen"
    assert kinds(next_steps.next_steps(ctx, me, me.user_id, goal="MUL")).get("ADD") != "deepen"
    item = next_steps.record_pick(ctx, me, me.user_id, "ADD", np.random.default_rng(0))
    assert item.item.code == "ADD-2"  # the challenge
    with ctx.unit() as s:
        assert s.scalars(select(NextStepPick.kind)).all()[-1] == "deepen"
