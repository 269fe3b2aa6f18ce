"""The class dashboard use case: alerts from real answers, filters, access, CSV, mastery history, queries."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import Engine, event, select

from learnpath.errors import NotFoundError, PermissionDeniedError, ValidationError
from learnpath.learner.bkt import BKT
from learnpath.service import dashboard, learning
from learnpath.service.access import Actor
from learnpath.service.context import ServiceContext
from learnpath.service.dashboard import DashboardFilters, csv_cell
from learnpath.service.goals import pick_goals
from learnpath.service.groups import create_group
from learnpath.service.models import rebuild_learner_states
from learnpath.service.roster import add_user, enrol
from learnpath.storage.tables import MasteryHistory, ModelVersion
from learnpath.testing.clock import FakeClock
from learnpath.testing.school import TinySchool


def who(school: TinySchool, name: str, role: str) -> Actor:
    return Actor(school.ids[name], role, 1, name, name.title())  # type: ignore[arg-type]


def answer(ctx: ServiceContext, school: TinySchool, learner: str, item: str, response: str) -> None:
    me = who(school, learner, "learner")
    learning.record_attempt(ctx, me, me.user_id, school.ids[item], response, duration_ms=12_000)


@pytest.fixture
def busy(ctx: ServiceContext, school: TinySchool, clock: FakeClock) -> TinySchool:
    """learner1 masters ADD, then keeps answering SUB-0 with 99; learner2 answered once, 10 days ago."""
    answer(ctx, school, "learner2", "ADD-0", "2")
    clock.advance(days=10)
    for code, right in [("ADD-0", "2"), ("ADD-1", "3"), ("ADD-2", "4")] * 2:
        answer(ctx, school, "learner1", code, right)
    clock.advance(days=1)
    for code, response in [("SUB-0", "99"), ("SUB-1", "7"), ("SUB-0", "99")]:
        answer(ctx, school, "learner1", code, response)
    clock.advance(days=1)
    for code, response in [
        ("ADD-0", "0"),
        ("ADD-1", "0"),
        ("ADD-2", "0"),
        ("ADD-0", "1"),
        ("ADD-1", "1"),
        ("ADD-2", "1"),
    ]:
        answer(ctx, school, "learner1", code, response)
    clock.advance(hours=2)
    return school


def test_alerts_of_each_kind_most_urgent_first(
    ctx: ServiceContext, busy: TinySchool, clock: FakeClock
) -> None:
    d = dashboard.class_dashboard(ctx, who(busy, "teacher1", "teacher"), busy.ids["classA"])
    got = [(a.kind, a.learner_name, a.skill_code, a.action) for a in d.alerts]
    assert got == [
        ("repeated_errors", "Learner1", "ADD", "reteach"),
        ("repeated_errors", "Learner1", "SUB", "misconception"),
        ("falling", "Learner1", "ADD", "review"),
        ("inactive", "Learner2", None, "check_in"),
    ]
    reteach, misconception, falling, inactive = d.alerts
    assert reteach.details == {"wrong_in_a_row": 6}
    assert misconception.details["answer"] == "99" and misconception.details["times"] == 2
    assert misconception.details["item"] == "SUB-0"
    assert falling.details["from"] > falling.details["to"] + 0.2
    assert inactive.details == {"days": 12} and inactive.since is not None
    assert reteach.since is not None and reteach.since.date() == (clock() - clock().resolution).date()


def test_heatmap_frontier_progress_and_item_analysis(ctx: ServiceContext, busy: TinySchool) -> None:
    d = dashboard.class_dashboard(ctx, who(busy, "teacher1", "teacher"), busy.ids["classA"])
    assert [c.code for c in d.skills] == ["ADD", "SUB"]  # MUL: nobody practised it, nor is it the frontier
    assert [c.code for c in d.frontier] == ["ADD"]  # half the class is not "most"
    assert d.cells[(busy.ids["learner1"], "SUB")].n_attempts == 3
    assert d.progress[-1].n_mastered >= 0 and d.progress[-1].mean_p is not None
    sub0 = next(i for i in d.items if i.code == "SUB-0")
    assert (sub0.n_attempts, sub0.p_value, sub0.wrong_answers) == (2, 0.0, [("99", 2)])
    assert sub0.median_s == 12.0 and sub0.prompt == "What is 5 - 1?"
    assert d.items[-1].p_value >= d.items[0].p_value


def test_filters_by_skill_goal_and_group(ctx: ServiceContext, busy: TinySchool) -> None:
    teacher = who(busy, "teacher1", "teacher")
    class_a = busy.ids["classA"]
    by_skill = dashboard.class_dashboard(ctx, teacher, class_a, DashboardFilters(skill="SUB"))
    assert [c.code for c in by_skill.skills] == ["ADD", "SUB"]
    by_mul = dashboard.class_dashboard(ctx, teacher, class_a, DashboardFilters(skill="MUL"))
    assert {a.skill_code for a in by_mul.alerts} <= {"ADD", "MUL", None}
    assert all(i.code.startswith(("ADD", "MUL")) for i in by_mul.items)

    group = create_group(ctx, teacher, class_a, "Blue", [busy.ids["learner2"]])
    by_group = dashboard.class_dashboard(ctx, teacher, class_a, DashboardFilters(group=group.id))
    assert by_group.learners == [(busy.ids["learner2"], "Learner2")]
    assert [a.kind for a in by_group.alerts] == ["inactive"]
    assert by_group.group_options[0].label == "Blue"

    pick_goals(ctx, teacher, [busy.ids["learner1"]], ["MUL"], class_id=class_a, title="Times tables")
    d = dashboard.class_dashboard(ctx, teacher, class_a)
    [option] = d.goal_options
    assert option.label == "Times tables (1)"
    by_goal = dashboard.class_dashboard(ctx, teacher, class_a, DashboardFilters(goal=int(option.value)))
    assert [lid for lid, _ in by_goal.learners] == [busy.ids["learner1"]]
    assert [c.code for c in by_goal.skills] == ["ADD", "MUL"]
    both = DashboardFilters(goal=int(option.value), group=group.id)
    assert dashboard.class_dashboard(ctx, teacher, class_a, both).learners == []


def test_bad_filters_name_what_is_wrong(ctx: ServiceContext, school: TinySchool) -> None:
    teacher = who(school, "teacher1", "teacher")
    other = create_group(ctx, who(school, "teacher2", "teacher"), school.ids["classB"], "B", [])
    cases: list[tuple[DashboardFilters, str, str]] = [
        (DashboardFilters(skill="NOPE"), "skill", "'NOPE'"),
        (DashboardFilters(goal=999), "goal", "999"),
        (DashboardFilters(group=other.id), "group", f"no group {other.id}"),
        (DashboardFilters(weeks=0), "weeks", "got 0"),
    ]
    for filters, field, words in cases:
        with pytest.raises(ValidationError) as err:
            dashboard.class_dashboard(ctx, teacher, school.ids["classA"], filters)
        [problem] = err.value.errors
        assert problem.field == field and words in problem.message
    with pytest.raises(ValidationError, match="part"):
        dashboard.dashboard_csv(ctx, teacher, school.ids["classA"], "grades")


def test_only_the_classes_teachers_and_the_schools_admin(ctx: ServiceContext, school: TinySchool) -> None:
    class_a = school.ids["classA"]
    assert dashboard.class_dashboard(ctx, who(school, "admin", "admin"), class_a).summary.name == "Class A"
    with pytest.raises(NotFoundError):
        dashboard.class_dashboard(ctx, who(school, "teacher2", "teacher"), class_a)
    with pytest.raises(PermissionDeniedError):
        dashboard.class_dashboard(ctx, who(school, "learner1", "learner"), class_a)


def test_a_class_without_answers_asks_to_get_everyone_started(
    ctx: ServiceContext, school: TinySchool
) -> None:
    d = dashboard.class_dashboard(ctx, who(school, "teacher1", "teacher"), school.ids["classA"])
    assert [(a.kind, a.action) for a in d.alerts] == [("inactive", "get_started")] * 2
    assert d.items == [] and all(p.mean_p is None for p in d.progress)
    assert [c.code for c in d.skills] == ["ADD"]  # only the frontier is in play


def _rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_csv_parts_escape_formula_cells(ctx: ServiceContext, busy: TinySchool) -> None:
    with ctx.unit() as s:
        evil = add_user(s, ctx, 1, "evil", '=HYPERLINK("http://x")', "learner", password_hash="x").id
        enrol(s, busy.ids["classA"], [evil], [])
    teacher = who(busy, "teacher1", "teacher")
    heat = _rows(dashboard.dashboard_csv(ctx, teacher, busy.ids["classA"], "heatmap"))
    assert heat[0] == ["learner_id", "learner", "ADD", "SUB"]
    assert [heat[1][1], heat[1][2]] == ['\'=HYPERLINK("http://x")', ""]
    alerts = _rows(dashboard.dashboard_csv(ctx, teacher, busy.ids["classA"], "alerts"))
    assert alerts[0][:3] == ["kind", "learner_id", "learner"] and len(alerts) == 1 + 5
    items = _rows(dashboard.dashboard_csv(ctx, teacher, busy.ids["classA"], "items"))
    assert items[0][0] == "item" and any(r[0] == "SUB-0" and r[-1] == "99 (2)" for r in items[1:])


def test_columns_past_the_limit_stay_in_the_heatmap_csv(
    ctx: ServiceContext, busy: TinySchool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The page shows at most MAX_COLUMNS skills; the CSV keeps every skill in play (the class page's old
    table showed every skill, so none of its values may become unreachable)."""
    teacher = who(busy, "teacher1", "teacher")
    whole = dashboard.class_dashboard(ctx, teacher, busy.ids["classA"])
    monkeypatch.setattr(dashboard, "MAX_COLUMNS", 1)
    d = dashboard.class_dashboard(ctx, teacher, busy.ids["classA"])
    assert len(d.skills) == 1 and [c.code for c in d.all_skills] == ["ADD", "SUB"] == [
        c.code for c in whole.all_skills
    ]
    assert d.n_skills_in_scope == 2 and whole.skills == whole.all_skills
    heat = _rows(dashboard.dashboard_csv(ctx, teacher, busy.ids["classA"], "heatmap"))
    assert heat[0] == ["learner_id", "learner", "ADD", "SUB"]
    learner1 = next(r for r in heat if r[1] == "Learner1")
    cell = d.cells[(busy.ids["learner1"], "SUB")]
    assert cell.p_mastery is not None and learner1[3] == f"{round(cell.p_mastery, 3):g}"


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("ok", "ok"),
    ],
)
def test_csv_cell_guards_text_but_not_numbers(value: str, cell: str) -> None:
    assert csv_cell(value) == cell
    assert (
        csv_cell(-2) == "-2"
        and csv_cell(-0.5) == "-0.5"
        and csv_cell(None) == ""
        and csv_cell(True) == "true"
    )


def test_history_follows_answers_and_a_replay_rewrites_it_the_same(
    ctx: ServiceContext, busy: TinySchool, clock: FakeClock
) -> None:
    def history() -> list[tuple[int, int, Any, float]]:
        with ctx.unit() as s:
            return [
                (h.learner_id, h.skill_id, h.day, round(h.p_mastery, 9))
                for h in s.scalars(
                    select(MasteryHistory).order_by(MasteryHistory.learner_id, MasteryHistory.day)
                )
            ]

    before = history()
    assert len({(lid, day) for lid, _, day, _ in before}) == 4  # learner2 one day, learner1 three days
    with ctx.unit() as s:
        version = ModelVersion(
            name="bkt", params=BKT().to_dict(), metrics={}, active=True, created_at=clock()
        )
        s.add(version)
        s.flush()
        rebuild_learner_states(s, version.id, BKT(), clock())
    assert history() == before


@pytest.fixture
def statements(engine: Engine) -> Iterator[list[str]]:
    seen: list[str] = []

    def note(*args: Any) -> None:
        seen.append(str(args[2]))

    event.listen(engine, "before_cursor_execute", note)
    yield seen
    event.remove(engine, "before_cursor_execute", note)


def test_queries_do_not_grow_with_the_class(
    ctx: ServiceContext, busy: TinySchool, statements: list[str]
) -> None:
    teacher = who(busy, "teacher1", "teacher")
    dashboard.class_dashboard(ctx, teacher, busy.ids["classA"])
    small = len(statements)
    with ctx.unit() as s:
        more = [
            add_user(s, ctx, 1, f"extra{n}", f"Extra {n}", "learner", password_hash="x").id for n in range(12)
        ]
        enrol(s, busy.ids["classA"], more, [])
    for n in range(12):
        me = Actor(more[n], "learner", 1, f"extra{n}", f"Extra {n}")
        learning.record_attempt(ctx, me, me.user_id, busy.ids[f"SUB-{n % 3}"], "1")
    statements.clear()
    dashboard.class_dashboard(ctx, teacher, busy.ids["classA"])
    assert len(statements) == small <= 15
