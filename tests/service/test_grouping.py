"""Suggested groups and teams from the class's data, saving the teacher's version, pair rules (issue 7)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from learnpath.errors import NotFoundError, PermissionDeniedError, ValidationError
from learnpath.service import grouping
from learnpath.service.access import Actor
from learnpath.service.context import ServiceContext
from learnpath.service.grouping import GroupDraft
from learnpath.service.groups import PairRule, list_groups, set_pair_rule
from learnpath.service.roster import add_user, enrol
from learnpath.storage.tables import AttemptRow, ClassGroup, MasteryRow, SkillRow, User
from learnpath.testing.school import PASSWORD, TinySchool


@dataclass
class Room:
    teacher: Actor
    admin: Actor
    other_teacher: Actor
    class_id: int
    learners: dict[str, int]


def actor(ctx: ServiceContext, name: str) -> Actor:
    with ctx.unit() as s:
        return Actor.of(s.scalars(select(User).where(User.username == name)).one())


def seed(
    ctx: ServiceContext, school: TinySchool, who: int, code: str, p: float, n: int, wrong: int = 0
) -> None:
    """Mastery of ``code`` for learner ``who`` as the learner model would leave it, and ``wrong`` wrong
    answers "999" to the skill's questions (written directly: these tests are about grouping, not the model)."""
    at = ctx.clock() - timedelta(days=1)
    with ctx.unit() as s:
        skill = s.scalars(select(SkillRow).where(SkillRow.code == code)).one()
        s.add(MasteryRow(learner_id=who, skill_id=skill.id, p_mastery=p, low=max(0, p - 0.1), high=min(1, p + 0.1),
                         n_attempts=n, n_correct=n - wrong, recent_wrong=wrong, last_attempt_at=at))  # fmt: skip
        for i in range(wrong):
            s.add(AttemptRow(learner_id=who, item_id=school.ids[f"{code}-{i % 3}"], response="999", correct=False,
                             score=0.0, created_at=at + timedelta(minutes=i)))  # fmt: skip


@pytest.fixture
def room(ctx: ServiceContext, school: TinySchool) -> Room:
    """Class A with 8 learners: 4 who mastered ADD (ready for SUB/MUL), 2 failing ADD with the same wrong
    answer, 2 with no history."""
    with ctx.unit() as s:
        digest = ctx.hasher.hash(PASSWORD)
        extra = {
            f"kid{n}": add_user(s, ctx, s.get(User, school.ids["teacher1"]).school_id, f"kid{n}", f"Kid {n}",  # type: ignore[union-attr]
                                "learner", password_hash=digest, grade=3).id
            for n in range(1, 7)
        }  # fmt: skip
        enrol(s, school.ids["classA"], list(extra.values()), [])
    learners = {"learner1": school.ids["learner1"], "learner2": school.ids["learner2"], **extra}
    for who in ("learner1", "learner2", "kid1", "kid2"):
        seed(ctx, school, learners[who], "ADD", 0.97, 12)
    for who in ("kid3", "kid4"):
        seed(ctx, school, learners[who], "ADD", 0.3, 4, wrong=3)
    return Room(
        actor(ctx, "teacher1"), actor(ctx, "admin"), actor(ctx, "teacher2"), school.ids["classA"], learners
    )


def test_groups_form_around_a_shared_next_skill(ctx: ServiceContext, room: Room) -> None:
    groups = grouping.suggest_groups(ctx, room.teacher, room.class_id, size=4)
    placed = [lid for g in groups for lid in g.learner_ids]
    assert sorted(placed) == sorted(room.learners.values()), "every learner exactly once"
    assert all(len(g.learner_ids) <= 4 for g in groups) and len(groups) == 2
    by_member = {lid: g for g in groups for lid in g.learner_ids}
    ready = [room.learners[n] for n in ("learner1", "learner2", "kid1", "kid2")]
    assert len({by_member[i].name for i in ready}) == 1, "the four ready learners share a group"
    g = by_member[ready[0]]
    assert g.skill_code in ("SUB", "MUL") and g.reason.kind == "next_skill" and g.reason.count == 4
    assert g.name == {"SUB": "Taking away", "MUL": "Times tables"}[g.skill_code]
    assert all(c.kind == "item" and c.code.startswith(g.skill_code) for c in g.content)
    other = by_member[room.learners["kid3"]]
    assert other.skill_code == "ADD" and other.reason.kind == "reteach", "struggling on ADD: re-teach it"
    assert any(c.kind == "reading" and c.code == "C-ADD" for c in other.content), "content on the skill first"
    assert [m.name for m in other.members] == sorted(m.name for m in other.members)


def test_groups_from_a_shared_wrong_answer(ctx: ServiceContext, room: Room) -> None:
    groups = grouping.suggest_groups(ctx, room.teacher, room.class_id, size=2, basis="error_pattern")
    same = [g for g in groups if g.reason.kind == "same_answer"]
    assert same, [g.reason for g in groups]
    g = same[0]
    assert sorted(g.learner_ids) == sorted([room.learners["kid3"], room.learners["kid4"]])
    assert g.reason.answer == "999" and g.reason.item_code.startswith("ADD-") and g.skill_code == "ADD"
    assert g.content[0].kind in ("reading", "item")
    assert any(c.kind == "item" and c.code == g.reason.item_code for c in g.content), "the missed question"
    quiet = [g for g in groups if g.reason.kind == "no_errors"]
    assert sum(len(g.learner_ids) for g in quiet) == 6


def test_pair_rules_bind_suggestions(ctx: ServiceContext, room: Room) -> None:
    a, b = room.learners["learner1"], room.learners["learner2"]
    set_pair_rule(ctx, room.teacher, room.class_id, a, b, "apart")
    c, d = room.learners["kid5"], room.learners["kid3"]
    set_pair_rule(ctx, room.teacher, room.class_id, c, d, "together")
    for size in (2, 3, 4):
        groups = grouping.suggest_groups(ctx, room.teacher, room.class_id, size=size)
        group_of = {lid: n for n, g in enumerate(groups) for lid in g.learner_ids}
        assert group_of[a] != group_of[b] and group_of[c] == group_of[d], size


def test_suggestions_check_their_input(ctx: ServiceContext, room: Room, school: TinySchool) -> None:
    with pytest.raises(ValidationError) as e:
        grouping.suggest_groups(ctx, room.teacher, room.class_id, size=0)
    assert e.value.errors[0].field == "size"
    with pytest.raises(ValidationError) as e:
        grouping.suggest_groups(ctx, room.teacher, room.class_id, size=3, basis="vibes")
    assert e.value.errors[0].field == "basis"
    with pytest.raises(ValidationError) as e:
        grouping.suggest_groups(
            ctx, room.teacher, room.class_id, size=3, learner_ids=[school.ids["learner3"]]
        )
    assert "not in class" in e.value.errors[0].message
    with pytest.raises(NotFoundError):
        grouping.suggest_groups(ctx, room.other_teacher, room.class_id, size=3)
    with pytest.raises(PermissionDeniedError):
        grouping.suggest_groups(ctx, actor(ctx, "learner1"), room.class_id, size=3)
    some = [room.learners["kid1"], room.learners["kid6"]]
    groups = grouping.suggest_groups(ctx, room.admin, room.class_id, size=5, learner_ids=some)
    assert [sorted(g.learner_ids) for g in groups] == [sorted(some)]


def test_save_groups_replaces_the_set_in_one_go(ctx: ServiceContext, room: Room) -> None:
    suggested = grouping.suggest_groups(ctx, room.teacher, room.class_id, size=4)
    saved = grouping.save_groups(ctx, room.teacher, room.class_id, suggested)
    assert [g.name for g in saved] == [g.name for g in suggested]
    assert saved[0].details["reason"]["kind"] == suggested[0].reason.kind
    # the teacher moves kid6 into the first group, renames it, and saves again (ids kept)
    first, second = saved
    kid6 = room.learners["kid6"]
    moved = [
        GroupDraft("Mini-lesson A", [*(m.learner_id for m in first.members), kid6], id=first.id),
        GroupDraft(second.name, [m.learner_id for m in second.members if m.learner_id != kid6], id=second.id),
    ]
    again = grouping.save_groups(ctx, room.teacher, room.class_id, moved)
    assert [g.id for g in again] == [first.id, second.id]
    assert kid6 in [m.learner_id for m in again[0].members] and again[0].name == "Mini-lesson A"
    assert again[0].details == first.details, "the suggestion's details stay"
    # replace=True: a set of one deletes the other
    grouping.save_groups(ctx, room.teacher, room.class_id, [GroupDraft("Only", [kid6])])
    assert [g.name for g in list_groups(ctx, room.teacher, room.class_id, "group")] == ["Only"]


def test_save_groups_refuses_bad_sets_and_writes_nothing(ctx: ServiceContext, room: Room) -> None:
    kid1, kid2 = room.learners["kid1"], room.learners["kid2"]
    grouping.save_groups(ctx, room.teacher, room.class_id, [GroupDraft("Keep", [kid1])])
    bad = [
        GroupDraft("Same", [kid1]),
        GroupDraft("same ", [kid1, kid2]),
        GroupDraft("", []),
    ]
    with pytest.raises(ValidationError) as e:
        grouping.save_groups(ctx, room.teacher, room.class_id, bad)
    messages = [f"{f.field}: {f.message}" for f in e.value.errors]
    assert any("groups[1].name" in m and "'same'" in m for m in messages), messages
    assert any("learner" in m and "also in group 0" in m for m in messages), messages
    assert any("groups[2].learner_ids" in m for m in messages), messages
    with pytest.raises(ValidationError):
        grouping.save_groups(
            ctx, room.teacher, room.class_id, [GroupDraft("X", [room.learners["kid1"], 999999])]
        )
    with pytest.raises(NotFoundError):
        grouping.save_groups(ctx, room.teacher, room.class_id, [GroupDraft("X", [kid1], id=999999)])
    with pytest.raises(ValidationError):
        grouping.save_groups(ctx, room.teacher, room.class_id, [GroupDraft("X", [kid1])], kind="gang")
    with pytest.raises(NotFoundError):
        grouping.save_groups(ctx, room.other_teacher, room.class_id, [GroupDraft("X", [kid1])])
    assert [g.name for g in list_groups(ctx, room.teacher, room.class_id)] == ["Keep"], "nothing half written"
    with ctx.unit() as s:
        assert s.scalar(select(func.count()).select_from(ClassGroup)) == 1


def test_teams_cover_skills_with_experts_and_tutors(
    ctx: ServiceContext, room: Room, school: TinySchool
) -> None:
    for who in ("learner1", "kid1"):
        seed(ctx, school, room.learners[who], "SUB", 0.98, 10)
    result = grouping.suggest_teams(ctx, room.teacher, room.class_id, size=4, skill_codes=["ADD", "SUB"])
    assert result.status in ("optimal", "feasible") and result.bound >= result.objective
    assert [c for c, _ in result.skills] == ["ADD", "SUB"] and not result.skills_chosen
    placed = sorted(lid for t in result.teams for lid in t.learner_ids)
    assert placed == sorted(room.learners.values()) and len(result.teams) == 2
    for team in result.teams:
        assert team.covered == ["ADD", "SUB"], "two SUB experts: one in each team"
        roles = {m.role for m in team.members}
        assert {"expert:ADD", "expert:SUB"} <= roles and "tutee" in roles
        assert all(p[2] in ("ADD", "SUB") for p in team.pairs)
    chosen = grouping.suggest_teams(ctx, room.teacher, room.class_id, size=4)
    assert chosen.skills_chosen and "ADD" in [c for c, _ in chosen.skills]
    with pytest.raises(ValidationError):
        grouping.suggest_teams(ctx, room.teacher, room.class_id, size=4, skill_codes=["NOPE"])
    with pytest.raises(ValidationError):
        grouping.suggest_teams(ctx, room.teacher, room.class_id, size=1, skill_codes=["ADD"])


def test_save_teams_works_out_roles_again(ctx: ServiceContext, room: Room) -> None:
    ready = [room.learners[n] for n in ("learner1", "learner2")]
    failing = [room.learners[n] for n in ("kid3", "kid4")]
    saved = grouping.save_teams(
        ctx,
        room.teacher,
        room.class_id,
        [GroupDraft("A", [ready[0], failing[0]]), GroupDraft("B", failing[1:])],
        ["ADD"],
    )
    a, b = saved
    assert a.kind == "team" and {m.learner_id: m.role for m in a.members} == {
        ready[0]: "expert:ADD",
        failing[0]: "tutee",
    }
    assert a.details["covered"] == ["ADD"] and b.details["missing"] == ["ADD"]
    assert a.details["pairs"] == [[ready[0], failing[0], "ADD"]]
    assert [g.name for g in list_groups(ctx, room.teacher, room.class_id, "group")] == [], "kinds kept apart"
    with pytest.raises(ValidationError):
        grouping.save_teams(ctx, room.teacher, room.class_id, [GroupDraft("A", ready)], [])


def test_pair_rules_replace_and_breaks(ctx: ServiceContext, room: Room) -> None:
    a, b, c = room.learners["kid1"], room.learners["kid2"], room.learners["kid3"]
    rules = grouping.replace_pair_rules(
        ctx, room.teacher, room.class_id, [PairRule(b, a, "apart"), PairRule(a, c, "together")]
    )
    assert rules == [PairRule(min(a, b), max(a, b), "apart"), PairRule(min(a, c), max(a, c), "together")]
    grouping.save_groups(ctx, room.teacher, room.class_id, [GroupDraft("G1", [a, b]), GroupDraft("G2", [c])])
    breaks = grouping.rule_breaks(ctx, room.teacher, room.class_id)
    assert {(x.rule, x.names) for x in breaks} == {
        ("apart", ("Kid 1", "Kid 2")),
        ("together", ("Kid 1", "Kid 3")),
    }
    with pytest.raises(ValidationError) as e:
        grouping.replace_pair_rules(
            ctx,
            room.teacher,
            room.class_id,
            [PairRule(a, b, "apart"), PairRule(b, a, "together"), PairRule(a, a, "x")],
        )
    assert len(e.value.errors) >= 3
    with pytest.raises(ValidationError):  # together-chain holding an apart pair
        grouping.replace_pair_rules(
            ctx,
            room.teacher,
            room.class_id,
            [PairRule(a, b, "together"), PairRule(b, c, "together"), PairRule(a, c, "apart")],
        )
    assert len(grouping.pair_rules_of(ctx, room.teacher, room.class_id)) == 2, "kept on failure"
    assert grouping.replace_pair_rules(ctx, room.teacher, room.class_id, []) == []


def test_replacing_groups_keeps_a_group_that_has_work(ctx: ServiceContext, room: Room) -> None:
    from learnpath.service.assignments import add_assignment

    kid1, kid2 = room.learners["kid1"], room.learners["kid2"]
    busy, _idle = grouping.save_groups(
        ctx, room.teacher, room.class_id, [GroupDraft("Busy", [kid1]), GroupDraft("Idle", [kid2])]
    )
    add_assignment(ctx, room.teacher, "ADD", group_id=busy.id)
    grouping.save_groups(ctx, room.teacher, room.class_id, [GroupDraft("New", [kid2])])
    names = [g.name for g in list_groups(ctx, room.teacher, room.class_id, "group")]
    assert names == ["Busy", "New"], "deleting Busy would delete the work assigned to it"
