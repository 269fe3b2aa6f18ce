"""Flipped lessons and assignments through the service: work to a learner, group or class; must-do in the
next steps until done; watching (what counts); the check; the before-class view; groups and rotation needs
from it; learners' choices and drift; bad input named and nothing stored."""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import pytest
from sqlalchemy import func, select

from learnpath.core.content import Content, GradeBand, Rubric, RubricCell, RubricCriterion
from learnpath.errors import NotFoundError, PermissionDeniedError, ValidationError
from learnpath.service import assignments, drift, flipped, groups, learning, next_steps
from learnpath.service.access import Actor
from learnpath.service.context import ServiceContext
from learnpath.service.resources import add_content
from learnpath.storage.tables import Assignment, AttemptRow, ClassGroup, ContentProgress, School, User
from learnpath.testing.clock import FakeClock
from learnpath.testing.school import TinySchool


def actor(ctx: ServiceContext, name: str) -> Actor:
    with ctx.unit() as s:
        return Actor.of(s.scalars(select(User).where(User.username == name)).one())


@pytest.fixture
def media(ctx: ServiceContext, school: TinySchool) -> dict[str, int]:
    """A local video (60 s), a video by link and a project on ADD, in the tiny school."""
    rubric = Rubric(
        ("Starting", "Got it"), (RubricCriterion("Sums", (RubricCell("some", 1), RubricCell("all", 2))),)
    )
    contents = [
        Content("V-ADD", "video", "Adding on", "watch", 2, GradeBand(1, 2), ("ADD",), video_file="v.webm", duration_s=60),
        Content("V-LINK", "video", "Adding (link)", "watch", 2, GradeBand(1, 2), ("ADD",), url="https://example.org/v", duration_s=90),
        Content("P-ADD", "project", "Shop of sums", "do", 30, GradeBand(1, 2), ("ADD",), body="Make a shop.", rubric=rubric),
    ]  # fmt: skip
    with ctx.unit() as s:
        school_id = s.scalars(select(School.id).where(School.name == "Tiny School")).one()
        return add_content(s, school_id, contents, ctx.clock())


def _group(ctx: ServiceContext, school: TinySchool, *names: str) -> int:
    teacher = actor(ctx, "teacher1")
    view = groups.create_group(ctx, teacher, school.ids["classA"], "Blue", [school.ids[n] for n in names])
    return view.id


def test_a_flipped_video_to_a_group_is_must_do_until_watched_and_checked(
    ctx: ServiceContext, school: TinySchool, media: dict[str, int], clock: FakeClock
) -> None:
    teacher, me, other = actor(ctx, "teacher1"), actor(ctx, "learner1"), actor(ctx, "learner2")
    gid = _group(ctx, school, "learner1")
    due = clock() + timedelta(days=2)
    a = assignments.add_assignment(
        ctx, teacher, group_id=gid, work="flipped", content_id=media["V-ADD"], due_at=due
    )
    assert a.group_name == "Blue" and a.skill_code == "ADD" and a.content_kind == "video"
    assert len(a.check_item_ids) == 3 and a.owner_class_id == school.ids["classA"]
    first = next_steps.next_steps(ctx, me, me.user_id).choices[0]
    assert (first.kind, first.content_id, first.content_title) == ("must_do", media["V-ADD"], "Adding on")
    assert all(c.content_id is None for c in next_steps.next_steps(ctx, other, other.user_id).choices)

    status = flipped.assignment_status(ctx, teacher, a.id)
    assert [(s.name, s.state) for s in status.learners] == [("Learner1", "not_watched")]
    clock.advance(minutes=1)
    flipped.record_view(ctx, me, media["V-ADD"])  # opening is not watching a local video
    flipped.record_view(ctx, me, media["V-ADD"], "progress", 30)
    assert flipped.assignment_status(ctx, teacher, a.id).learners[0].watched_at is None
    flipped.record_view(ctx, me, media["V-ADD"], "progress", 48)  # 80% of 60 s
    watched = flipped.assignment_status(ctx, teacher, a.id).learners[0]
    assert watched.state == "watched" and watched.seconds == 48 and not watched.done
    assert next_steps.next_steps(ctx, me, me.user_id).choices[0].content_id == media["V-ADD"]  # check open

    check = flipped.check_for(ctx, me, a.id)
    assert len(check.items) == 3 and not check.taken
    answers = {c.item_id: str(k + 2) for k, c in enumerate(check.items)}  # ADD-k: k + 2
    result = flipped.submit_check(ctx, me, a.id, answers)
    assert (result.right, result.size, result.passed) == (3, 3, True)
    done = flipped.assignment_status(ctx, teacher, a.id)
    assert done.learners[0].state == "passed" and done.learners[0].done and done.counts == {"passed": 1}
    assert all(c.content_id is None for c in next_steps.next_steps(ctx, me, me.user_id).choices)
    assert flipped.rotation_needs(ctx, teacher, a.id) == {me.user_id: "enrich"}
    with pytest.raises(ValidationError, match="already answered"):
        flipped.submit_check(ctx, me, a.id, answers)


def test_what_counts_as_watched_depends_on_the_content(
    ctx: ServiceContext, school: TinySchool, media: dict[str, int]
) -> None:
    me = actor(ctx, "learner1")
    assert flipped.record_view(ctx, me, media["V-LINK"]).completed_at is not None  # a link: opened
    assert flipped.record_view(ctx, me, school.ids["C-ADD"]).completed_at is not None  # a reading: opened
    assert flipped.record_view(ctx, me, media["P-ADD"]).completed_at is None  # a project: marked finished
    assert flipped.record_view(ctx, me, media["P-ADD"], "finished").completed_at is not None
    assert flipped.record_view(ctx, me, media["V-ADD"], "ended", 5).completed_at is not None
    again = flipped.record_view(ctx, me, media["V-ADD"], "progress", 3)
    assert again.seconds == 5 and again.opens == 0  # the furthest count is kept; no open event


def test_the_watch_beacon_refuses_others_and_bad_input(
    ctx: ServiceContext, school: TinySchool, media: dict[str, int]
) -> None:
    with pytest.raises(PermissionDeniedError):
        flipped.record_view(ctx, actor(ctx, "teacher1"), media["V-ADD"])
    with pytest.raises(NotFoundError):
        flipped.record_view(ctx, actor(ctx, "learner1"), school.ids["C-OTHER"])
    with pytest.raises(ValidationError) as e:
        flipped.record_view(ctx, actor(ctx, "learner1"), media["V-ADD"], "paused", -1)
    assert {f.field for f in e.value.errors} == {"event", "seconds"}
    with pytest.raises(ValidationError, match="only projects"):
        flipped.record_view(ctx, actor(ctx, "learner1"), media["V-ADD"], "finished")
    with ctx.unit() as s:
        assert s.scalar(select(func.count()).select_from(ContentProgress)) == 0


def test_bad_assignments_name_every_problem_and_store_nothing(
    ctx: ServiceContext, school: TinySchool, media: dict[str, int], clock: FakeClock
) -> None:
    teacher = actor(ctx, "teacher1")
    with pytest.raises(ValidationError) as e:
        assignments.add_assignment(ctx, teacher, work="flipped", due_at=clock() - timedelta(days=1))
    assert {f.field for f in e.value.errors} == {"target", "content_id", "due_at"}
    with pytest.raises(ValidationError, match="takes a video or reading"):
        assignments.add_assignment(
            ctx, teacher, class_id=school.ids["classA"], work="flipped", content_id=media["P-ADD"]
        )
    with pytest.raises(ValidationError, match="does not teach"):
        assignments.add_assignment(
            ctx, teacher, "MUL", class_id=school.ids["classA"], work="flipped", content_id=media["V-ADD"]
        )
    with pytest.raises(ValidationError) as e:
        assignments.add_assignment(
            ctx, teacher, class_id=school.ids["classA"], work="flipped", content_id=media["V-ADD"],
            check_item_ids=[school.ids["ADD-0"], 999_999],
        )  # fmt: skip
    assert "no item with id 999999" in e.value.errors[0].message
    with pytest.raises(NotFoundError):
        assignments.add_assignment(
            ctx, teacher, class_id=school.ids["classA"], work="flipped", content_id=school.ids["C-OTHER"]
        )
    with pytest.raises(ValidationError, match="not in this class"):
        other_group = groups.create_group(
            ctx, actor(ctx, "admin"), school.ids["classB"], "B", [school.ids["learner3"]]
        )
        assignments.add_assignment_in_class(
            ctx, actor(ctx, "admin"), school.ids["classA"], "ADD", group_id=other_group.id
        )
    with pytest.raises(ValidationError, match="not every learner"):
        assignments.add_assignment_in_class(
            ctx, teacher, school.ids["classA"], "ADD", learner_id=school.ids["learner3"]
        )
    with pytest.raises(NotFoundError):  # a group of a class that is not theirs
        assignments.add_assignment(ctx, teacher, "ADD", group_id=other_group.id)
    with ctx.unit() as s:
        assert s.scalar(select(func.count()).select_from(Assignment)) == 0


def test_a_check_needs_every_answer_and_only_its_own_learner(
    ctx: ServiceContext, school: TinySchool, media: dict[str, int]
) -> None:
    teacher, me = actor(ctx, "teacher1"), actor(ctx, "learner1")
    picked = [school.ids["ADD-1"], school.ids["ADD-2"]]
    a = assignments.add_assignment(
        ctx, teacher, learner_id=me.user_id, work="flipped", content_id=media["V-ADD"], check_item_ids=picked
    )
    assert list(a.check_item_ids) == picked
    with pytest.raises(ValidationError) as e:
        flipped.submit_check(ctx, me, a.id, {picked[0]: "3", 12345: "1"})
    assert {f.field for f in e.value.errors} == {f"item_{picked[1]}", "item_12345"}
    with ctx.unit() as s:
        assert s.scalar(select(func.count()).select_from(AttemptRow)) == 0
    with pytest.raises(NotFoundError):
        flipped.check_for(ctx, actor(ctx, "learner2"), a.id)
    with pytest.raises(PermissionDeniedError):
        flipped.check_for(ctx, teacher, a.id)
    r = flipped.submit_check(ctx, me, a.id, {picked[0]: "3", picked[1]: "0"})
    assert (r.right, r.passed) == (1, False)  # 1 of 2 is under two thirds
    status = flipped.assignment_status(ctx, teacher, a.id).learners[0]
    assert status.state == "not_passed" and status.passed is False
    assert flipped.rotation_needs(ctx, teacher, a.id) == {me.user_id: "reteach"}


def test_the_before_class_view_makes_groups_and_is_closed_to_others(
    ctx: ServiceContext, school: TinySchool, media: dict[str, int]
) -> None:
    teacher, l1, l2 = actor(ctx, "teacher1"), actor(ctx, "learner1"), actor(ctx, "learner2")
    a = assignments.add_assignment(
        ctx,
        teacher,
        class_id=school.ids["classA"],
        work="flipped",
        content_id=school.ids["C-ADD"],
        check_size=0,
    )
    flipped.record_view(ctx, l1, school.ids["C-ADD"])
    status = flipped.assignment_status(ctx, teacher, a.id)
    assert {s.name: s.state for s in status.learners} == {"Learner1": "watched", "Learner2": "not_watched"}
    assert flipped.rotation_needs(ctx, teacher, a.id) == {l1.user_id: "practice", l2.user_id: "reteach"}
    made = flipped.groups_from_status(ctx, teacher, a.id)
    assert sorted((g.name.split(" (")[0], [m.name for m in g.members]) for g in made) == [
        ("Did not watch yet", ["Learner2"]),
        ("Ready: passed the check", ["Learner1"]),
    ]
    assert all(g.details["assignment_id"] == a.id for g in made)
    for who in ("teacher2", "admin_other"):
        with pytest.raises(NotFoundError):
            flipped.assignment_status(ctx, actor(ctx, who), a.id)
    for who in ("learner1", "family1"):
        with pytest.raises(PermissionDeniedError):
            flipped.assignment_status(ctx, actor(ctx, who), a.id)
    assert flipped.assignment_status(ctx, actor(ctx, "admin"), a.id).assignment.id == a.id


def test_learners_and_families_see_their_own_work_in_order(
    ctx: ServiceContext, school: TinySchool, media: dict[str, int], clock: FakeClock
) -> None:
    teacher, me = actor(ctx, "teacher1"), actor(ctx, "learner1")
    later = assignments.add_assignment(
        ctx, teacher, "SUB", class_id=school.ids["classA"], due_at=clock() + timedelta(days=5)
    )
    soon = assignments.add_assignment(
        ctx,
        teacher,
        learner_id=me.user_id,
        work="project",
        content_id=media["P-ADD"],
        due_at=clock() + timedelta(days=1),
    )
    assignments.add_assignment(ctx, actor(ctx, "teacher2"), "ADD", class_id=school.ids["classB"])
    mine = flipped.learner_assignments(ctx, me, me.user_id)
    assert [m.assignment.id for m in mine] == [soon.id, later.id]
    assert [m.assignment.id for m in flipped.learner_assignments(ctx, actor(ctx, "family1"), me.user_id)] == [
        soon.id,
        later.id,
    ]
    with pytest.raises(NotFoundError):
        flipped.learner_assignments(ctx, actor(ctx, "family1"), school.ids["learner2"])
    flipped.record_view(ctx, me, media["P-ADD"], "finished")
    clock.advance(days=6)
    mine = flipped.learner_assignments(ctx, me, me.user_id)
    assert [(m.assignment.id, m.status.done, m.overdue) for m in mine] == [
        (later.id, False, True),
        (soon.id, True, False),
    ]
    assert [m.assignment.id for m in flipped.learner_assignments(ctx, me, me.user_id, open_only=True)] == [
        later.id
    ]


def test_choices_and_drift_from_must_do(
    ctx: ServiceContext, school: TinySchool, media: dict[str, int], clock: FakeClock
) -> None:
    teacher, l1 = actor(ctx, "teacher1"), actor(ctx, "learner1")
    rng = np.random.default_rng(1)
    for k in range(8):
        learning.record_attempt(ctx, l1, l1.user_id, school.ids[f"ADD-{k % 3}"], str(k % 3 + 2))
    assignments.add_assignment(ctx, teacher, "SUB", learner_id=l1.user_id, due_at=clock() + timedelta(days=1))
    next_steps.record_pick(ctx, l1, l1.user_id, "MUL", rng)  # must-do SUB was offered: drifted
    next_steps.record_pick(ctx, l1, l1.user_id, "SUB", rng)
    rows = {r.name: r for r in drift.class_choices(ctx, teacher, school.ids["classA"])}
    one, two = rows["Learner1"], rows["Learner2"]
    assert (one.picks, one.must_do_offered, one.must_do_skipped) == (2, 2, 1)
    assert one.by_kind["must_do"] == 1 and one.drifted and one.open_must_do == 1 and one.overdue == 0
    assert (two.picks, two.drifted) == (0, False)
    clock.advance(days=8)
    rows = {r.name: r for r in drift.class_choices(ctx, teacher, school.ids["classA"])}
    assert rows["Learner1"].picks == 0 and rows["Learner1"].overdue == 1 and rows["Learner1"].drifted
    with pytest.raises(ValidationError):
        drift.class_choices(ctx, teacher, school.ids["classA"], days=0)
    with pytest.raises(NotFoundError):
        drift.class_choices(ctx, teacher, school.ids["classB"])


def test_deleting_a_group_removes_its_work(
    ctx: ServiceContext, school: TinySchool, media: dict[str, int]
) -> None:
    gid = _group(ctx, school, "learner1", "learner2")
    assignments.add_assignment(ctx, actor(ctx, "teacher1"), "ADD", group_id=gid)
    with ctx.unit() as s:
        s.delete(s.get(ClassGroup, gid))
    with ctx.unit() as s:
        assert s.scalar(select(func.count()).select_from(Assignment)) == 0
