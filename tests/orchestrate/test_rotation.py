"""Station rotations, pure: the CP-SAT plan keeps every rule (property tests), the checker catches each broken
rule, needs come from mastery, and impossible rotations are refused with their cause."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from learnpath.errors import ValidationError
from learnpath.orchestrate.rotation import (
    MODALITIES,
    NEEDS,
    RotationProblem,
    SkillFact,
    Station,
    apply_move,
    check_rotation,
    need_of,
    score_rotation,
    solve_rotation,
    validate_problem,
)

FOUR = (
    Station("Teacher table", "teacher", 3, 15),
    Station("Practice", "practice", 4, 15),
    Station("Video", "video", 4, 15),
    Station("Challenge", "enrichment", 3, 15),
)


def _problem(n: int = 10, period: int = 45, **kw: object) -> RotationProblem:
    learners = tuple(range(1, n + 1))
    needs = {i: NEEDS[i % 3] for i in learners}
    return RotationProblem(kw.pop("stations", FOUR), period, learners, needs, **kw)  # type: ignore[arg-type]


def test_a_plan_gives_teacher_time_to_those_who_need_reteaching() -> None:
    p = _problem()
    sol = solve_rotation(p, time_limit_s=5, workers=1)
    assert sol.status == "optimal" and sol.gap == 0.0
    assert sol.objective == score_rotation(p, sol.grid)
    assert check_rotation(p, sol.grid) == []
    reteach = [i for i in p.learners if p.needs[i] == "reteach"]
    enrich = [i for i in p.learners if p.needs[i] == "enrich"]
    # 3 slots, 4 stations: each learner skips one; re-teach learners all get the teacher, the ahead skip it
    assert all(0 in sol.grid[i] for i in reteach)
    assert all(3 in sol.grid[i] for i in enrich)
    assert all(0 not in sol.grid[i] for i in enrich)


def test_longer_stations_take_consecutive_slots() -> None:
    stations = (
        Station("Teacher table", "teacher", 4, 10),
        Station("Hands-on", "hands_on", 5, 20),
        Station("Practice", "practice", 6, 10),
    )
    p = _problem(n=8, period=40, stations=stations)
    assert (p.slot_minutes, p.n_slots, p.spare_minutes) == (10, 4, 0)
    sol = solve_rotation(p, time_limit_s=5, workers=1)
    assert check_rotation(p, sol.grid) == []
    for row in sol.grid.values():
        assert row.count(1) == 2  # everyone needs the 20-minute station to fill 40 minutes
        first = row.index(1)
        assert row[first + 1] == 1


def test_apart_and_together_rules() -> None:
    p = _problem(n=6, apart=((1, 2), (3, 4)), together=((5, 6),))
    sol = solve_rotation(p, time_limit_s=5, workers=1)
    assert all(
        sol.grid[1][t] != sol.grid[2][t] and sol.grid[3][t] != sol.grid[4][t] for t in range(p.n_slots)
    )
    assert any(sol.grid[5][t] == sol.grid[6][t] for t in range(p.n_slots))


def test_the_checker_names_each_broken_rule() -> None:
    p = _problem(
        n=6, apart=((1, 2),), together=((3, 4),), stations=(*FOUR[:3], Station("X", "practice", 1, 15, True))
    )
    grid = {i: (0, 1, 2) for i in p.learners}
    grid[3], grid[4] = (1, 2, 0), (2, 0, 1)
    found = {(v.kind, v.slot, v.station) for v in check_rotation(p, grid)}
    assert ("capacity", 0, 0) in found  # 4 learners at a teacher table for 3
    assert ("apart", 0, 0) in found
    assert ("required", None, 3) in found
    assert ("together", None, None) in found
    split = {**grid, 1: (0, 0, 1)}
    kinds = {v.kind for v in check_rotation(p, split) if 1 in v.learners}
    assert "repeat" in kinds
    missing = {i: r for i, r in grid.items() if i != 2}
    assert any(v.kind == "missing" and v.learners == (2,) for v in check_rotation(p, missing))
    assert not next(v for v in check_rotation(p, grid) if v.kind == "together").hard


def test_a_move_into_a_long_station_fills_its_length_and_the_checker_sees_the_split() -> None:
    stations = (
        Station("A", "teacher", 8, 10),
        Station("B", "hands_on", 8, 20),
        Station("C", "practice", 8, 10),
    )
    p = _problem(n=2, period=40, stations=stations)
    grid = {1: (0, 1, 1, 2), 2: (1, 1, 0, 2)}
    assert check_rotation(p, grid) == []
    moved, cells = apply_move(p, grid, 1, 2, 1)
    assert moved[1] == (0, 1, 1, 1) and cells == [(1, 2), (1, 3)]
    assert [(v.kind, v.learners, v.slot) for v in check_rotation(p, moved)] == [("split", (1,), 1)]
    with pytest.raises(ValidationError) as err:
        apply_move(p, grid, 1, 3, 1)
    assert err.value.errors[0].field == "slot" and "B takes 2 slots" in err.value.errors[0].message
    with pytest.raises(ValidationError) as err:
        apply_move(p, grid, 99, 9, 7)
    assert {e.field for e in err.value.errors} == {"learner_id", "slot", "station"}


def test_fixed_cells_are_kept() -> None:
    p = _problem(n=9)
    enrich = next(i for i in p.learners if p.needs[i] == "enrich")
    fixed = RotationProblem(p.stations, p.period_minutes, p.learners, p.needs, fixed={(enrich, 0): 0})
    sol = solve_rotation(fixed, time_limit_s=5, workers=1)
    assert sol.grid[enrich][0] == 0
    assert check_rotation(fixed, sol.grid) == []


def test_bad_descriptions_name_every_problem() -> None:
    bad = (Station("", "teacher", 0, 15), Station("Same", "cooking", 3, 500), Station("same", "video", 3, 15))
    errors = validate_problem(_problem(n=3, period=45, stations=bad))
    fields = {e.field for e in errors}
    assert {
        "stations[0].name",
        "stations[0].capacity",
        "stations[1].modality",
        "stations[1].minutes",
    } <= fields
    assert "stations[2].name" in fields  # the same name twice, whatever the case


def test_too_few_seats_or_minutes_are_refused_before_solving() -> None:
    with pytest.raises(ValidationError, match="seat 14 learners at a time, but 20"):
        solve_rotation(_problem(n=20))
    # 4 stations of 15 minutes in 60: everyone visits all four, and 3 seats x 4 turns cannot take 13
    with pytest.raises(ValidationError, match="has to visit Teacher table to fill the period") as err:
        solve_rotation(
            _problem(n=13, period=60, stations=tuple(replace(s, capacity=4) for s in FOUR[1:]) + FOUR[:1])
        )
    assert [e.field for e in err.value.errors] == ["stations[3].capacity"]
    short = (Station("A", "teacher", 9, 10), Station("B", "practice", 9, 10))
    with pytest.raises(ValidationError, match=r"fills 4 slots of 10 minutes \(the period has 45\)"):
        solve_rotation(_problem(n=3, period=45, stations=short))


def test_an_impossible_apart_rule_is_named() -> None:
    # two stations of one seat each ... and two learners who can only sit in them, kept apart: fine; three
    # learners all kept apart from each other in two stations of capacity 2: impossible
    stations = (Station("A", "teacher", 2, 15), Station("B", "practice", 2, 15))
    p = _problem(n=3, period=15, stations=stations, apart=((1, 2), (1, 3), (2, 3)))
    with pytest.raises(ValidationError, match="keep-apart rules cannot all be kept"):
        solve_rotation(p, time_limit_s=5, workers=1)
    fixed = RotationProblem(stations, 15, (1, 2, 3), p.needs, fixed={(1, 0): 0, (2, 0): 0, (3, 0): 0})
    with pytest.raises(ValidationError, match="set by hand cannot all be kept"):
        solve_rotation(fixed, time_limit_s=5, workers=1)


def test_needs_follow_mastery() -> None:
    focus = ["A", "B", "C", "D", "E"]
    struggling = [SkillFact("A", 0.3, 5, 3), SkillFact("B", 0.97, 4, 0)]
    assert need_of(struggling, focus).need == "reteach"
    assert need_of(struggling, focus).skills == ("A",)
    low = [SkillFact("C", 0.35, 4, 0)]
    assert need_of(low, focus).need == "reteach"
    ahead = [SkillFact(c, 0.98, 6, 0) for c in "ABCD"]
    assert need_of(ahead, focus) == need_of(ahead, focus) and need_of(ahead, focus).need == "enrich"
    assert need_of(ahead, focus).mastered == 4 and need_of(ahead, focus).of == 5
    assert need_of(ahead[:3], focus).need == "practice"
    assert need_of([], focus).need == "practice"
    assert need_of(struggling, ["B"]).need == "enrich"  # struggles outside the focus do not count


@st.composite
def problems(draw: st.DrawFn) -> RotationProblem:
    n_st = draw(st.integers(1, 4))
    stations = tuple(
        Station(
            f"S{i}",
            draw(st.sampled_from(MODALITIES)),
            draw(st.integers(1, 8)),
            draw(st.sampled_from((10, 10, 20))),
            draw(st.booleans()) and i == 0,
        )
        for i in range(n_st)
    )
    n = draw(st.integers(1, 10))
    learners = tuple(range(1, n + 1))
    needs = {i: draw(st.sampled_from(NEEDS)) for i in learners}
    pairs = [(a, b) for a in learners for b in learners if a < b]
    apart = tuple(draw(st.lists(st.sampled_from(pairs), max_size=4, unique=True))) if pairs else ()
    rest = [p for p in pairs if p not in apart]
    together = tuple(draw(st.lists(st.sampled_from(rest), max_size=2, unique=True))) if rest else ()
    period = draw(st.sampled_from((10, 20, 30, 40)))
    return RotationProblem(stations, period, learners, needs, apart, together)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems())
def test_every_plan_keeps_capacities_apart_rules_and_seats_everyone(p: RotationProblem) -> None:
    try:
        sol = solve_rotation(p, time_limit_s=5, workers=1)
    except ValidationError as exc:
        assert exc.errors  # refused, with a cause
        return
    assert set(sol.grid) == set(p.learners)
    for t in range(p.n_slots):
        for s, station in enumerate(p.stations):
            assert sum(1 for row in sol.grid.values() if row[t] == s) <= station.capacity
        for a, b in p.apart:
            assert sol.grid[a][t] != sol.grid[b][t]
    assert all(
        len(row) == p.n_slots and all(0 <= s < len(p.stations) for s in row) for row in sol.grid.values()
    )
    assert [v for v in check_rotation(p, sol.grid) if v.hard] == []
    assert sol.objective <= sol.bound + 1e-6


def test_need_after_a_flipped_lesson() -> None:
    from learnpath.orchestrate.rotation import need_after_flipped

    assert (
        need_after_flipped(False, 3, 3, True) == "reteach"
    )  # did not do the work: mastery does not excuse it
    assert need_after_flipped(True, 2, 3, False) == "practice"
    assert need_after_flipped(True, 3, 3, False) == "enrich"
    assert need_after_flipped(True, 0, 0, False) == "practice"  # no check: nothing to be full on
    assert need_after_flipped(True, 1, 3, True) == "enrich"
