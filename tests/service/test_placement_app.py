"""The placement test in the app: one question at a time, state kept server-side, the result seeding mastery,
and a teacher's view of the class."""

from __future__ import annotations

import numpy as np
import pytest
from sqlalchemy import func, select

from learnpath.errors import ConflictError, NotFoundError, PermissionDeniedError, ValidationError
from learnpath.service import next_steps, placement
from learnpath.service.access import Actor
from learnpath.service.context import ServiceContext
from learnpath.storage.tables import AttemptRow, MasteryRow, User
from learnpath.testing.school import TinySchool


def actor(ctx: ServiceContext, name: str) -> Actor:
    with ctx.unit() as s:
        return Actor.of(s.scalars(select(User).where(User.username == name)).one())


def right_answer(code: str) -> str:
    skill, i = code.split("-")
    return {"ADD": str(int(i) + 2), "SUB": str(int(i) + 4), "MUL": "a"}[skill]


def take(ctx: ServiceContext, me: Actor, knows: set[str]) -> placement.PlacementView:
    view = placement.current_placement(ctx, me, me.user_id, np.random.default_rng(1))
    steps = 0
    while view.question is not None:
        q = view.question
        answer = right_answer(q.item.code) if q.skill_code in knows else None
        view = placement.answer_placement(ctx, me, me.user_id, view.id, q.item_id, answer)
        steps += 1
        assert steps <= placement.MAX_QUESTIONS
    return view


def test_a_placement_runs_to_a_result_that_seeds_mastery(ctx: ServiceContext, school: TinySchool) -> None:
    me = actor(ctx, "learner1")
    assert next_steps.next_steps(ctx, me, me.user_id).placement_offered
    view = take(ctx, me, {"ADD"})
    assert (
        view.status == "done" and view.question is None and 1 <= view.n_questions <= placement.MAX_QUESTIONS
    )
    assert "Adding" in view.known
    with ctx.unit() as s:
        p = dict(
            s.execute(
                select(MasteryRow.skill_id, MasteryRow.p_mastery).where(MasteryRow.learner_id == me.user_id)
            ).all()
        )
        assert len(p) == 3
        assert p[school_skill(ctx, "ADD")] > 0.5 > p[school_skill(ctx, "MUL")]
        n_attempts = s.scalar(select(func.count()).select_from(AttemptRow))
        assert n_attempts is not None and n_attempts <= view.n_questions  # "I don't know" stores no attempt
    after = next_steps.next_steps(ctx, me, me.user_id)
    assert not after.placement_offered and after.notice is None
    again = placement.current_placement(ctx, me, me.user_id, np.random.default_rng(2))
    assert again.id == view.id and again.status == "done"  # not restarted


def school_skill(ctx: ServiceContext, code: str) -> int:
    with ctx.unit() as s:
        return next_steps.curriculum(s).id_of[code]


def test_placement_answers_are_checked(ctx: ServiceContext, school: TinySchool) -> None:
    me = actor(ctx, "learner1")
    view = placement.current_placement(ctx, me, me.user_id, np.random.default_rng(1))
    assert view.question is not None
    with pytest.raises(ConflictError):
        placement.answer_placement(ctx, me, me.user_id, view.id, view.question.item_id + 999, "1")
    with pytest.raises(ValidationError):
        placement.answer_placement(ctx, me, me.user_id, view.id, view.question.item_id, "  ")
    other = actor(ctx, "learner2")
    with pytest.raises(NotFoundError):
        placement.answer_placement(ctx, other, other.user_id, view.id, view.question.item_id, "1")
    with pytest.raises(PermissionDeniedError):
        placement.current_placement(ctx, actor(ctx, "teacher1"), me.user_id, np.random.default_rng(1))
    resumed = placement.current_placement(ctx, me, me.user_id, np.random.default_rng(9))
    assert resumed.id == view.id and resumed.question == view.question


def test_teachers_see_results_per_learner_and_for_the_class(ctx: ServiceContext, school: TinySchool) -> None:
    take(ctx, actor(ctx, "learner1"), {"ADD", "SUB"})
    teacher = actor(ctx, "teacher1")
    summary = placement.class_placements(ctx, teacher, school.ids["classA"])
    by = {r.name: r for r in summary.learners}
    assert by["Learner1"].status == "done" and by["Learner1"].n_known >= 1
    assert by["Learner2"].status == "none"
    assert summary.n_done == 1 and summary.median_known == by["Learner1"].n_known
    assert {code for code, _, _ in summary.skills} == {"ADD", "SUB", "MUL"}
    with pytest.raises(NotFoundError):
        placement.class_placements(ctx, teacher, school.ids["classB"])
    with pytest.raises(PermissionDeniedError):
        placement.class_placements(ctx, actor(ctx, "learner1"), school.ids["classA"])
