"""The class dashboard (issue 7): who is stuck, on what, since when; the mastery heatmap with the class's
frontier; progress over time; question-level analysis; filters by skill, goal and group; CSV exports.

One read-only transaction of a dozen indexed queries whatever the class size (tests/service/test_dashboard.py
counts them); the computations live in the pure ``learnpath.orchestrate.dashboard``.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from learnpath.core.mastery import MASTERED_AT, MasteryLevel, MasteryRules
from learnpath.core.qti import QtiItem
from learnpath.errors import FieldError, ValidationError
from learnpath.orchestrate.dashboard import (
    Alert,
    AlertRules,
    Answer,
    DayMastery,
    ItemStats,
    WeekPoint,
    alerts_for,
    class_frontier,
    item_statistics,
    mastered_share,
    weekly_progress,
)
from learnpath.service.access import Actor, require_class
from learnpath.service.classes import ClassSummary, HeatCell, summary_of
from learnpath.service.context import ServiceContext
from learnpath.service.goals import ACTIVE_STATES
from learnpath.storage.tables import (
    AttemptRow,
    ClassGroup,
    ClassGroupMember,
    ClassLearner,
    GoalRow,
    GoalSkill,
    ItemRow,
    ItemSkill,
    MasteryHistory,
    MasteryRow,
    SkillEdge,
    SkillRow,
    User,
)

__all__ = [
    "CSV_PARTS",
    "MAX_COLUMNS",
    "AlertView",
    "Dashboard",
    "DashboardFilters",
    "FilterOption",
    "ItemView",
    "SkillColumn",
    "class_dashboard",
    "csv_cell",
    "dashboard_csv",
    "rules_from",
]

CSV_PARTS = ("heatmap", "alerts", "items")
MAX_COLUMNS = 60
"""Most skill columns of an unfiltered heatmap: the frontier first, then the most practised skills."""
MAX_WEEKS = 26
MAX_ITEMS = 500


@dataclass(frozen=True)
class DashboardFilters:
    skill: str | None = None
    goal: int | None = None
    group: int | None = None
    weeks: int = 8

    @property
    def active(self) -> bool:
        return self.skill is not None or self.goal is not None or self.group is not None


@dataclass(frozen=True)
class FilterOption:
    value: str
    label: str


@dataclass(frozen=True)
class SkillColumn:
    code: str
    name: str
    frontier: bool
    mastered_share: float


@dataclass(frozen=True)
class AlertView:
    kind: str
    learner_id: int
    learner_name: str
    skill_code: str | None
    skill_name: str | None
    since: datetime | None
    action: str
    details: dict[str, Any]


@dataclass(frozen=True)
class ItemView:
    id: int
    code: str
    prompt: str
    skills: list[str]
    n_attempts: int
    n_learners: int
    p_value: float
    p_correct: float
    median_s: float | None
    hint_share: float
    wrong_answers: list[tuple[str, int]]


@dataclass(frozen=True)
class Dashboard:
    summary: ClassSummary
    filters: DashboardFilters
    rules: AlertRules
    now: datetime
    learners: list[tuple[int, str]]
    skills: list[SkillColumn]
    """The heatmap's columns: at most MAX_COLUMNS of ``all_skills`` when unfiltered."""
    all_skills: list[SkillColumn]
    """Every skill column the filters leave, in curriculum order: ``skills`` and, unfiltered, those past
    MAX_COLUMNS. The heatmap CSV has them all, so no mastery value is out of reach."""
    cells: dict[tuple[int, str], HeatCell]
    frontier: list[SkillColumn]
    alerts: list[AlertView]
    progress: list[WeekPoint]
    items: list[ItemView]
    skill_options: list[FilterOption] = field(default_factory=list)
    goal_options: list[FilterOption] = field(default_factory=list)
    group_options: list[FilterOption] = field(default_factory=list)

    @property
    def n_skills_in_scope(self) -> int:
        """Skills the filters leave (the heatmap shows at most MAX_COLUMNS of them when unfiltered)."""
        return len(self.all_skills)


def rules_from(ctx: ServiceContext) -> AlertRules:
    s = ctx.settings
    return AlertRules(
        wrong_streak=s.dashboard_wrong_streak,
        same_wrong=2,
        inactive_days=s.dashboard_inactive_days,
        falling_drop=s.dashboard_falling_drop,
        falling_days=s.dashboard_falling_days,
    )


def _bad(name: str, message: str) -> ValidationError:
    return ValidationError(f"the dashboard filter {name!r} is not valid", [FieldError(name, message)])


def _goal_options(
    session: Session, learner_ids: Sequence[int], names: dict[str, str]
) -> tuple[list[FilterOption], dict[int, tuple[set[int], list[str]]]]:
    """Active skill goals of the learners, one option per (title, skills): learners and skills by option id."""
    rows = session.execute(
        select(GoalRow.id, GoalRow.learner_id, GoalRow.title, SkillRow.code)
        .join(GoalSkill, GoalSkill.goal_id == GoalRow.id)
        .join(SkillRow, SkillRow.id == GoalSkill.skill_id)
        .where(
            GoalRow.learner_id.in_(learner_ids),
            GoalRow.kind == "skill",
            GoalRow.state.in_(ACTIVE_STATES),
        )
        .order_by(GoalRow.id, GoalSkill.position, SkillRow.id)
    ).all()
    goals: dict[int, tuple[int, str, list[str]]] = {}
    for gid, lid, title, code in rows:
        goals.setdefault(gid, (lid, title, []))[2].append(code)
    by_key: dict[tuple[str, tuple[str, ...]], tuple[int, set[int]]] = {}
    for gid, (lid, title, codes) in goals.items():
        key = (title, tuple(codes))
        by_key.setdefault(key, (gid, set()))[1].add(lid)
    options, found = [], {}
    for (title, skill_codes), (gid, holders) in sorted(by_key.items(), key=lambda kv: (kv[0][0], kv[1][0])):
        label = title or ", ".join(names.get(c, c) for c in skill_codes)
        options.append(FilterOption(str(gid), f"{label} ({len(holders)})"))
        found[gid] = (holders, list(skill_codes))
    return options, found


def _scope(
    session: Session,
    class_id: int,
    filters: DashboardFilters,
    learners: list[tuple[int, str]],
    codes: list[str],
    prereqs: dict[str, list[str]],
    names: dict[str, str],
) -> tuple[list[tuple[int, str]], list[str] | None, list[FilterOption], list[FilterOption]]:
    """Learners and skills (None: every skill) the filters leave, and the goal and group options."""
    ids = [lid for lid, _ in learners]
    goal_options, goals = _goal_options(session, ids, names)
    groups = session.execute(
        select(ClassGroup.id, ClassGroup.name, ClassGroup.kind)
        .where(ClassGroup.class_id == class_id)
        .order_by(ClassGroup.kind, ClassGroup.name, ClassGroup.id)
    ).all()
    group_options = [FilterOption(str(gid), name) for gid, name, _ in groups]
    keep: set[int] | None = None
    skills: set[str] | None = None

    def with_ancestors(targets: list[str]) -> set[str]:
        out: set[str] = set()
        todo = list(targets)
        while todo:
            s = todo.pop()
            if s not in out:
                out.add(s)
                todo.extend(prereqs.get(s, ()))
        return out

    if filters.skill is not None:
        if filters.skill not in prereqs:
            raise _bad("skill", f"no skill with the code {filters.skill!r}")
        skills = with_ancestors([filters.skill])
    if filters.goal is not None:
        if filters.goal not in goals:
            raise _bad("goal", f"no active goal {filters.goal} among this class's learners")
        holders, goal_skills = goals[filters.goal]
        keep = set(holders)
        found = with_ancestors(goal_skills)
        skills = found if skills is None else skills & found
    if filters.group is not None:
        if filters.group not in {gid for gid, _, _ in groups}:
            raise _bad("group", f"class {class_id} has no group {filters.group}")
        members = set(
            session.scalars(
                select(ClassGroupMember.learner_id).where(ClassGroupMember.group_id == filters.group)
            )
        )
        keep = members if keep is None else keep & members
    kept = learners if keep is None else [(lid, n) for lid, n in learners if lid in keep]
    ordered = None if skills is None else [c for c in codes if c in skills]
    return kept, ordered, goal_options, group_options


def _teacher_scored(body: dict[str, Any]) -> bool:
    qti = body.get("qti")
    return isinstance(qti, dict) and QtiItem.from_dict(qti).teacher_scored


def _choice_label(body: dict[str, Any], response: str) -> str:
    for c in body.get("choices") or ():
        if isinstance(c, dict) and normalize(str(c.get("key", ""))) == response:
            return f"{c.get('key')}: {c.get('text', '')}"
    return response


def normalize(text: str) -> str:
    return " ".join(text.split()).casefold()


def class_dashboard(
    ctx: ServiceContext, actor: Actor, class_id: int, filters: DashboardFilters | None = None
) -> Dashboard:
    """The class's dashboard for its teacher (or the school's admin), narrowed by ``filters``."""
    filters = filters or DashboardFilters()
    if not 1 <= filters.weeks <= MAX_WEEKS:
        raise _bad("weeks", f"1 to {MAX_WEEKS} weeks, got {filters.weeks}")
    rules = rules_from(ctx)
    now = ctx.clock()
    mastery_rules = MasteryRules()
    es = actor.locale == "es"
    with ctx.unit() as session:
        row = require_class(session, actor, class_id)
        all_learners: list[tuple[int, str]] = [
            (lid, name)
            for lid, name in session.execute(
                select(User.id, User.display_name)
                .join(ClassLearner, ClassLearner.learner_id == User.id)
                .where(ClassLearner.class_id == class_id)
                .order_by(User.display_name, User.id)
            )
        ]
        skill_rows = session.execute(
            select(SkillRow.id, SkillRow.code, SkillRow.name, SkillRow.name_es).order_by(
                SkillRow.position, SkillRow.id
            )
        ).all()
        code_of = {sid: code for sid, code, _, _ in skill_rows}
        names = {code: (name_es if es and name_es else name) for _, code, name, name_es in skill_rows}
        codes = [code for _, code, _, _ in skill_rows]
        prereqs: dict[str, list[str]] = {c: [] for c in codes}
        for a, b in session.execute(select(SkillEdge.prerequisite_id, SkillEdge.skill_id)):
            prereqs[code_of[b]].append(code_of[a])
        learners, scoped, goal_options, group_options = _scope(
            session, class_id, filters, all_learners, codes, prereqs, names
        )
        ids = [lid for lid, _ in learners]
        in_scope = set(codes if scoped is None else scoped)

        cells: dict[tuple[int, str], HeatCell] = {}
        mastered: dict[int, set[str]] = defaultdict(set)
        practised: dict[str, int] = defaultdict(int)
        for lid, sid, p, n, wrong in session.execute(
            select(
                MasteryRow.learner_id,
                MasteryRow.skill_id,
                MasteryRow.p_mastery,
                MasteryRow.n_attempts,
                MasteryRow.recent_wrong,
            ).where(MasteryRow.learner_id.in_(ids))
        ):
            code = code_of[sid]
            level: MasteryLevel = mastery_rules.level(p, n, wrong)
            if level == "mastered":
                mastered[lid].add(code)
            if code in in_scope:
                cells[(lid, code)] = HeatCell(p, n, level)
                practised[code] += n
        share = mastered_share(mastered, ids, codes)
        frontier_codes = class_frontier(codes, prereqs, share)
        frontier_set = set(frontier_codes)

        def column(code: str) -> SkillColumn:
            return SkillColumn(code, names[code], code in frontier_set, share[code])

        scope_codes = [c for c in codes if c in in_scope]
        if scoped is None:  # unfiltered: the skills in play, the frontier first, then the most practised
            in_play = [c for c in scope_codes if c in frontier_set or practised.get(c)]
            ranked = sorted(in_play, key=lambda c: (c not in frontier_set, -practised.get(c, 0)))
            chosen = set(ranked[:MAX_COLUMNS])
            shown = [c for c in scope_codes if c in chosen]
            every = in_play
        else:
            shown = every = scope_codes

        since = now - timedelta(days=7 * filters.weeks)
        answer_rows = session.execute(
            select(
                AttemptRow.learner_id,
                AttemptRow.item_id,
                AttemptRow.response,
                AttemptRow.correct,
                AttemptRow.duration_ms,
                AttemptRow.hints_used,
                AttemptRow.created_at,
            )
            .where(AttemptRow.learner_id.in_(ids), AttemptRow.created_at >= since)
            .order_by(AttemptRow.learner_id, AttemptRow.created_at, AttemptRow.id)
        ).all()
        item_ids = {r.item_id for r in answer_rows}
        items = {
            i.id: i
            for i in session.execute(
                select(ItemRow.id, ItemRow.code, ItemRow.kind, ItemRow.body).where(ItemRow.id.in_(item_ids))
            )
        }
        item_skills: dict[int, list[str]] = defaultdict(list)
        for iid, sid in session.execute(
            select(ItemSkill.item_id, ItemSkill.skill_id).where(ItemSkill.item_id.in_(item_ids))
        ):
            if code_of[sid] in in_scope:
                item_skills[iid].append(code_of[sid])
        skills_of = {
            iid: tuple(sorted(codes))
            for iid, codes in item_skills.items()
            if not _teacher_scored(items[iid].body)  # answers waiting for a teacher's score are no evidence
        }
        answers = [
            Answer(lid, iid, skills_of[iid], response, correct, duration_ms, hints, at)
            for lid, iid, response, correct, duration_ms, hints, at in answer_rows
            if iid in skills_of
        ]
        last_at: dict[int, datetime | None] = dict.fromkeys(ids)
        for lid, at in session.execute(
            select(AttemptRow.learner_id, func.max(AttemptRow.created_at))
            .where(AttemptRow.learner_id.in_(ids))
            .group_by(AttemptRow.learner_id)
        ):
            last_at[lid] = _aware(at)
        scope_ids = {sid for sid, code in code_of.items() if code in in_scope}
        history = [
            DayMastery(lid, code_of[sid], day, p)
            for lid, sid, day, p in session.execute(
                select(
                    MasteryHistory.learner_id,
                    MasteryHistory.skill_id,
                    MasteryHistory.day,
                    MasteryHistory.p_mastery,
                ).where(MasteryHistory.learner_id.in_(ids))
            )
            if sid in scope_ids
        ]
        found = alerts_for(answers, last_at, history, now, rules)
        names_of = dict(learners)
        alerts = [_alert_view(a, names_of, names, items) for a in found]
        progress = weekly_progress(history, len(ids), now.date(), filters.weeks, MASTERED_AT)
        stats = item_statistics(answers)[:MAX_ITEMS]
        return Dashboard(
            summary_of(session, row),
            filters,
            rules,
            now,
            learners,
            [column(c) for c in shown],
            [column(c) for c in every],
            cells,
            [column(c) for c in frontier_codes if c in in_scope],
            alerts,
            progress,
            [_item_view(s, items[s.item_id]) for s in stats],
            [FilterOption(c, f"{names[c]} ({c})") for c in codes],
            goal_options,
            group_options,
        )


def _aware(at: datetime | None) -> datetime | None:
    if at is None:
        return None
    return at.replace(tzinfo=UTC) if at.tzinfo is None else at


def _alert_view(
    a: Alert, learners: dict[int, str], skills: dict[str, str], items: dict[int, Any]
) -> AlertView:
    details: dict[str, Any] = dict(a.details)
    if "item_id" in details:
        item = items.get(int(details["item_id"]))
        if item is not None:
            details["item"] = item.code
            if item.kind == "choice":
                details["answer"] = _choice_label(item.body, str(details["answer"]))
    return AlertView(
        a.kind,
        a.learner_id,
        learners[a.learner_id],
        a.skill,
        skills.get(a.skill) if a.skill else None,
        a.since,
        a.action,
        details,
    )


def _item_view(s: ItemStats, item: Any) -> ItemView:
    body: dict[str, Any] = item.body
    wrong = s.wrong_answers
    if item.kind == "choice":
        wrong = tuple((_choice_label(body, w), n) for w, n in wrong)
    return ItemView(
        s.item_id,
        item.code,
        str(body.get("prompt", "")),
        list(s.skills),
        s.n_attempts,
        s.n_learners,
        s.p_value,
        s.p_correct,
        s.median_s,
        s.hint_share,
        list(wrong),
    )


# ---------------------------------------------------------------- CSV exports

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> str:
    """A value as a CSV cell that no spreadsheet runs as a formula: text starting with = + - @ (or a tab or
    carriage return) gets a leading apostrophe. Numbers are written as they are."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return f"{value:g}" if isinstance(value, float) else str(value)
    text = value.isoformat() if isinstance(value, datetime) else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def _csv(rows: list[list[object]]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    for r in rows:
        writer.writerow([csv_cell(v) for v in r])
    return buf.getvalue()


def dashboard_csv(
    ctx: ServiceContext, actor: Actor, class_id: int, part: str, filters: DashboardFilters | None = None
) -> str:
    """One part of the dashboard as CSV (UTF-8 text, a header row first): heatmap, alerts or items."""
    if part not in CSV_PARTS:
        raise _bad("part", f"expected one of {', '.join(CSV_PARTS)}, got {part!r}")
    d = class_dashboard(ctx, actor, class_id, filters)
    rows: list[list[object]]
    if part == "heatmap":  # every skill in scope, also those past the page's MAX_COLUMNS
        rows = [["learner_id", "learner", *[c.code for c in d.all_skills]]]
        for lid, name in d.learners:
            cells = [d.cells.get((lid, c.code)) for c in d.all_skills]
            rows.append(
                [
                    lid,
                    name,
                    *[
                        round(c.p_mastery, 3) if c and c.p_mastery is not None and c.n_attempts else None
                        for c in cells
                    ],
                ]
            )
    elif part == "alerts":
        rows = [["kind", "learner_id", "learner", "skill", "skill_name", "since", "action", "details"]]
        for a in d.alerts:
            details = "; ".join(f"{k}={v}" for k, v in sorted(a.details.items()))
            rows.append(
                [a.kind, a.learner_id, a.learner_name, a.skill_code, a.skill_name, a.since, a.action, details]
            )
    else:
        rows = [
            [
                "item",
                "skills",
                "attempts",
                "learners",
                "p_value",
                "p_correct",
                "median_seconds",
                "hint_share",
                "common_wrong_answers",
            ]
        ]
        for i in d.items:
            rows.append(
                [
                    i.code,
                    " ".join(i.skills),
                    i.n_attempts,
                    i.n_learners,
                    round(i.p_value, 3),
                    round(i.p_correct, 3),
                    None if i.median_s is None else round(i.median_s, 1),
                    round(i.hint_share, 3),
                    "; ".join(f"{w} ({n})" for w, n in i.wrong_answers),
                ]
            )
    return _csv(rows)
