"""Station rotations through the service: stations saved per class, plans from the learner model, hand moves
re-checked and re-planned, access, and bad input that names the field and saves nothing."""

from __future__ import annotations

import pytest

from learnpath.errors import NotFoundError, PermissionDeniedError, ValidationError
from learnpath.service import groups, rotations
from learnpath.service.access import Actor
from learnpath.service.context import ServiceContext
from learnpath.service.learning import record_attempt
from learnpath.service.roster import add_user, enrol
from learnpath.service.rotations import ClassStation, Move, RotationSpec
from learnpath.storage.tables import User
from learnpath.testing.school import TinySchool

STATIONS = [
    ClassStation("Teacher table", "teacher", 2, 15, notes="Number lines"),
    ClassStation("Practice", "practice", 3, 15),
    ClassStation("Video", "video", 3, 15),
    ClassStation("Challenge", "enrichment", 2, 15),
]


def actor(ctx: ServiceContext, school: TinySchool, name: str) -> Actor:
    with ctx.unit() as s:
        user = s.get(User, school.ids[name])
        assert user is not None
        return Actor.of(user)


@pytest.fixture
def room(ctx: ServiceContext, school: TinySchool) -> dict[str, int]:
    """Class A with 6 learners: learner1 struggles on ADD, learner2 has mastered ADD, SUB and MUL."""
    ids = dict(school.ids)
    school_id = actor(ctx, school, "teacher1").school_id
    with ctx.unit() as s:
        digest = ctx.hasher.hash("x")
        for n in range(4, 8):
            ids[f"learner{n}"] = add_user(
                s, ctx, school_id, f"learner{n}", f"Learner {n}", "learner", password_hash=digest
            ).id
        enrol(s, ids["classA"], [ids[f"learner{n}"] for n in range(4, 8)], [])
    for name, code, answer, times in (
        ("learner1", "ADD-0", "9", 5),
        ("learner2", "ADD-1", "3", 6),
        ("learner2", "SUB-1", "5", 6),
        ("learner2", "MUL-1", "a", 6),
    ):
        me = actor(ctx, school, name)
        for _ in range(times):
            record_attempt(ctx, me, ids[name], ids[code], answer)
    return ids


def test_stations_are_saved_replaced_and_checked(ctx: ServiceContext, school: TinySchool) -> None:
    t1, cid = actor(ctx, school, "teacher1"), school.ids["classA"]
    assert rotations.stations_of(ctx, t1, cid) == []
    saved = rotations.save_stations(ctx, t1, cid, STATIONS)
    assert [s.name for s in saved] == ["Teacher table", "Practice", "Video", "Challenge"]
    assert saved[0].notes == "Number lines"
    bad = [ClassStation("Video", "video", 3, 15), ClassStation(" video ", "dance", 0, 15, notes="x" * 600)]
    with pytest.raises(ValidationError) as err:
        rotations.save_stations(ctx, t1, cid, bad)
    fields = {e.field for e in err.value.errors}
    assert fields == {"stations[1].name", "stations[1].modality", "stations[1].capacity", "stations[1].notes"}
    assert rotations.stations_of(ctx, t1, cid) == saved  # nothing half-saved
    assert rotations.save_stations(ctx, t1, cid, STATIONS[:2])[1].name == "Practice"
    assert len(rotations.stations_of(ctx, actor(ctx, school, "admin"), cid)) == 2
    with pytest.raises(NotFoundError):
        rotations.stations_of(ctx, actor(ctx, school, "teacher2"), cid)
    with pytest.raises(PermissionDeniedError):
        rotations.save_stations(ctx, actor(ctx, school, "learner1"), cid, STATIONS)


def test_a_plan_follows_needs_and_rules_and_is_saved(
    ctx: ServiceContext, school: TinySchool, room: dict[str, int]
) -> None:
    t1, cid = actor(ctx, school, "teacher1"), room["classA"]
    rotations.save_stations(ctx, t1, cid, STATIONS)
    groups.set_pair_rule(ctx, t1, cid, room["learner4"], room["learner5"], "apart")
    plan = rotations.plan_rotation(ctx, t1, cid, RotationSpec(45, title="Tuesday"))
    assert (plan.title, plan.n_slots, plan.slot_minutes, plan.status) == ("Tuesday", 3, 15, "optimal")
    assert plan.gap == 0.0 and plan.violations == []
    by_id = {p.learner_id: p for p in plan.learners}
    assert by_id[room["learner1"]].need == "reteach"
    assert by_id[room["learner1"]].reason["skills"][0]["code"] == "ADD"
    assert 0 in by_id[room["learner1"]].stations  # the re-teach learner gets the teacher table
    assert by_id[room["learner2"]].need == "enrich" and 3 in by_id[room["learner2"]].stations
    assert all(
        by_id[room["learner4"]].stations[t] != by_id[room["learner5"]].stations[t]
        for t in range(plan.n_slots)
    )
    for t in range(plan.n_slots):
        for s, station in enumerate(plan.stations):
            assert len(plan.at(t, s)) <= station.capacity
    again = rotations.get_rotation(ctx, t1, plan.id)
    assert [p.stations for p in again.learners] == [p.stations for p in plan.learners]
    assert [r.id for r in rotations.list_rotations(ctx, t1, cid)] == [plan.id]
    assert rotations.list_rotations(ctx, t1, cid)[0].n_learners == 6
    # a keep-apart rule added later shows up as a violation when the plan is opened again
    # 6 learners in 4 stations: some station holds two in the first slot
    crowd = next(ps for s in range(4) if len(ps := plan.at(0, s)) >= 2)
    groups.set_pair_rule(ctx, t1, cid, crowd[0].learner_id, crowd[1].learner_id, "apart")
    assert any(v.kind == "apart" and v.slot == 0 for v in rotations.get_rotation(ctx, t1, plan.id).violations)
    with pytest.raises(NotFoundError):
        rotations.get_rotation(ctx, actor(ctx, school, "teacher2"), plan.id)
    with pytest.raises(NotFoundError):
        rotations.get_rotation(ctx, t1, plan.id + 100)


def test_needs_can_be_overridden_for_some_learners(
    ctx: ServiceContext, school: TinySchool, room: dict[str, int]
) -> None:
    t1, cid = actor(ctx, school, "teacher1"), room["classA"]
    spec = RotationSpec(30, stations=tuple(STATIONS), skill_codes=("ADD",))
    chosen = [room["learner2"], room["learner4"]]
    plan = rotations.plan_rotation(
        ctx, t1, cid, spec, learner_ids=chosen, needs={room["learner2"]: "reteach"}
    )
    by_id = {p.learner_id: p for p in plan.learners}
    assert set(by_id) == set(chosen)
    assert by_id[room["learner2"]].need == "reteach" and by_id[room["learner2"]].reason["overridden"]
    assert 0 in by_id[room["learner2"]].stations
    assert rotations.stations_of(ctx, t1, cid) == []  # stations given in the spec are not saved
    # the teacher changes a need on the plan: it is planned again with it
    again = rotations.adjust_rotation(ctx, t1, plan.id, [], needs={room["learner4"]: "enrich"})
    row = next(p for p in again.learners if p.learner_id == room["learner4"])
    assert row.need == "enrich" and row.reason["overridden"] and 3 in row.stations
    assert again.status == "optimal"
    with pytest.raises(ValidationError) as err:
        rotations.adjust_rotation(
            ctx, t1, plan.id, [], needs={room["learner4"]: "nap", room["learner1"]: "enrich"}
        )
    assert {e.field for e in err.value.errors} == {f"needs.{room['learner4']}", f"needs.{room['learner1']}"}


def test_bad_plans_name_every_problem_and_save_nothing(
    ctx: ServiceContext, school: TinySchool, room: dict[str, int]
) -> None:
    t1, cid = actor(ctx, school, "teacher1"), room["classA"]
    with pytest.raises(ValidationError) as err:
        rotations.plan_rotation(ctx, t1, cid, RotationSpec(45))
    assert [e.field for e in err.value.errors] == ["stations"]
    with pytest.raises(ValidationError) as err:
        rotations.plan_rotation(
            ctx,
            t1,
            cid,
            RotationSpec(45, stations=tuple(STATIONS), skill_codes=("NOPE",), title="x" * 120),
            learner_ids=[room["learner1"], room["learner3"]],
            needs={room["learner1"]: "nap"},
        )
    fields = {e.field for e in err.value.errors}
    assert {"title", "skill_codes", "learner_ids", f"needs.{room['learner1']}"} <= fields
    small = (ClassStation("Only", "practice", 2, 15),)
    with pytest.raises(ValidationError, match="seat 2 learners at a time, but 6"):
        rotations.plan_rotation(ctx, t1, cid, RotationSpec(15, stations=small))
    assert rotations.list_rotations(ctx, t1, cid) == []


def test_hand_moves_are_checked_kept_and_replanned(
    ctx: ServiceContext, school: TinySchool, room: dict[str, int]
) -> None:
    t1, cid = actor(ctx, school, "teacher1"), room["classA"]
    # 6 seats for 6 learners: every station is full in every slot, so any move overfills one
    tight = tuple(
        ClassStation(x.name, x.modality, c, x.minutes) for x, c in zip(STATIONS, (1, 2, 2, 1), strict=True)
    )
    plan = rotations.plan_rotation(ctx, t1, cid, RotationSpec(45, stations=tight))
    t, s = 0, 0
    mover = next(p for p in plan.learners if p.stations[t] != s)
    moved = rotations.adjust_rotation(ctx, t1, plan.id, [Move(mover.learner_id, t, s)])
    assert moved.status == "adjusted"
    row = next(p for p in moved.learners if p.learner_id == mover.learner_id)
    assert row.stations[t] == s and row.fixed_slots == (t,)
    assert any(v.kind == "capacity" and v.slot == t and v.station == s and v.hard for v in moved.violations)
    replanned = rotations.adjust_rotation(ctx, t1, plan.id, [], reoptimise=True)
    assert replanned.status in ("optimal", "feasible") and replanned.hard_violations() == []
    row = next(p for p in replanned.learners if p.learner_id == mover.learner_id)
    assert row.stations[t] == s and row.fixed_slots == (t,)  # the hand move is kept
    with pytest.raises(ValidationError) as err:
        rotations.adjust_rotation(
            ctx, t1, plan.id, [Move(mover.learner_id, 7, 0), Move(room["learner3"], 0, 9)]
        )
    assert {e.field for e in err.value.errors} == {"moves[0].slot", "moves[1].learner_id", "moves[1].station"}
    after = rotations.get_rotation(ctx, t1, plan.id)
    assert [p.stations for p in after.learners] == [p.stations for p in replanned.learners]
    with pytest.raises(NotFoundError):
        rotations.adjust_rotation(ctx, actor(ctx, school, "teacher2"), plan.id, [])
