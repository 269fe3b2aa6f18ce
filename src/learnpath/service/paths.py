"""Backward design use cases: a learner's path to their goals, what they are ready to learn, and the web of
skills around a goal. The answers come from ``learnpath.core.paths``; this module loads the graph, the
learner's mastery and their pace (see ``core/paths.py`` for the estimator) and checks access."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from learnpath.core.graph import SkillGraph
from learnpath.core.mastery import MasteryLevel, MasteryRules
from learnpath.core.paths import (
    DEFAULT_PACE,
    LearningPath,
    Pace,
    estimate_pace,
    path_to_goal,
    ready_to_learn,
)
from learnpath.errors import NotFoundError
from learnpath.service.access import Actor, require_learner
from learnpath.service.context import ServiceContext
from learnpath.service.goals import active_goal_skills
from learnpath.storage.tables import AttemptRow, ClassLearner, MasteryRow, SkillEdge, SkillRow, User

__all__ = [
    "LearnerPath",
    "PathSkill",
    "SkillWeb",
    "learner_pace",
    "learner_path",
    "path_for_username",
    "ready_skills",
    "skill_choices",
    "skill_web",
]

RECENT_DURATIONS = 500
"""How many of the learner's latest attempts their seconds-per-attempt median looks at."""
CLASS_DURATIONS = 3000
MAP_MAX_NODES = 60
MAP_DEPENDENTS = 6


@dataclass(frozen=True)
class PathSkill:
    """A skill as the path and the frontier show it: names, the learner's mastery, the practice left."""

    code: str
    name: str
    grade: int | None
    p_mastery: float
    n_attempts: int
    level: MasteryLevel
    is_goal: bool
    attempts_left: float
    minutes: float


@dataclass(frozen=True)
class LearnerPath:
    learner_id: int | None
    display_name: str
    goals: list[PathSkill]
    """Every goal asked for, mastered or not (``attempts_left`` 0 when met)."""
    steps: list[PathSkill]
    total_minutes: float
    pace: Pace
    goals_from_plan: bool
    """True when no goal was named and the learner's own active goals were used."""

    @property
    def goals_met(self) -> list[str]:
        return [g.code for g in self.goals if g.level == "mastered"]


@dataclass(frozen=True)
class SkillWeb:
    """The prerequisite web around the goals, for drawing: skills (path ones included) and the edges
    among them. ``path`` lists the path's codes in order."""

    skills: list[PathSkill]
    edges: list[tuple[str, str]]
    path: list[str]
    goals: list[str]
    truncated: bool


@dataclass
class _Learner:
    graph: SkillGraph[str]
    skills: dict[str, SkillRow]
    mastery: dict[str, float]
    attempts: dict[str, int]
    recent_wrong: dict[str, int]


def _graph(session: Session) -> tuple[SkillGraph[str], dict[str, SkillRow]]:
    skills = list(session.scalars(select(SkillRow).order_by(SkillRow.position, SkillRow.id)))
    code = {s.id: s.code for s in skills}
    edges = [
        (code[a], code[b]) for a, b in session.execute(select(SkillEdge.prerequisite_id, SkillEdge.skill_id))
    ]
    return SkillGraph.build([s.code for s in skills], edges), {s.code: s for s in skills}


def _load(session: Session, learner_id: int | None) -> _Learner:
    graph, skills = _graph(session)
    mastery: dict[str, float] = {}
    attempts: dict[str, int] = {}
    wrong: dict[str, int] = {}
    if learner_id is not None:
        rows = session.execute(
            select(SkillRow.code, MasteryRow.p_mastery, MasteryRow.n_attempts, MasteryRow.recent_wrong)
            .join(SkillRow, SkillRow.id == MasteryRow.skill_id)
            .where(MasteryRow.learner_id == learner_id)
        )
        for c, p, n, w in rows:
            mastery[c], attempts[c], wrong[c] = p, n, w
    return _Learner(graph, skills, mastery, attempts, wrong)


def _mastered_counts(session: Session, learner_ids: Sequence[int], rules: MasteryRules) -> list[int]:
    if not learner_ids:
        return []
    return list(
        session.scalars(
            select(MasteryRow.n_attempts).where(
                MasteryRow.learner_id.in_(learner_ids), MasteryRow.p_mastery >= rules.mastered_at
            )
        )
    )


def _durations(session: Session, learner_ids: Sequence[int], limit: int) -> list[int | None]:
    if not learner_ids:
        return []
    return list(
        session.scalars(
            select(AttemptRow.duration_ms)
            .where(AttemptRow.learner_id.in_(learner_ids), AttemptRow.duration_ms.is_not(None))
            .order_by(AttemptRow.created_at.desc(), AttemptRow.id.desc())
            .limit(limit)
        )
    )


def _pace(session: Session, learner_id: int, rules: MasteryRules) -> Pace:
    """The learner's pace, shrunk towards their classmates' pooled pace (itself shrunk to the default)."""
    classes = select(ClassLearner.class_id).where(ClassLearner.learner_id == learner_id)
    mates = sorted(
        set(
            session.scalars(
                select(ClassLearner.learner_id).where(
                    ClassLearner.class_id.in_(classes), ClassLearner.learner_id != learner_id
                )
            )
        )
    )
    prior = DEFAULT_PACE
    if mates:
        prior = estimate_pace(
            _mastered_counts(session, mates, rules),
            _durations(session, mates, CLASS_DURATIONS),
            DEFAULT_PACE,
            source="class",
        )
    return estimate_pace(
        _mastered_counts(session, [learner_id], rules),
        _durations(session, [learner_id], RECENT_DURATIONS),
        prior,
        source="learner",
    )


def _skill(
    data: _Learner,
    code: str,
    locale: str,
    rules: MasteryRules,
    is_goal: bool = False,
    attempts_left: float = 0.0,
    minutes: float = 0.0,
) -> PathSkill:
    row = data.skills[code]
    name = row.name_es if locale == "es" and row.name_es else row.name
    p, n = data.mastery.get(code, 0.0), data.attempts.get(code, 0)
    level = rules.level(p, n, data.recent_wrong.get(code, 0))
    return PathSkill(code, name, row.grade, p, n, level, is_goal, attempts_left, minutes)


def _path(
    data: _Learner, goals: Sequence[str], pace: Pace, locale: str, rules: MasteryRules
) -> tuple[LearningPath[str], list[PathSkill]]:
    path = path_to_goal(data.graph, goals, data.mastery, attempts=data.attempts, pace=pace, rules=rules)
    steps = [_skill(data, s.skill, locale, rules, s.is_goal, s.attempts_left, s.minutes) for s in path.steps]
    return path, steps


def _resolve_code(graph: SkillGraph[str], code: str) -> str:
    """``code`` itself when it is a skill; else the one skill whose code ends in ``.code`` (so ``5.NF.B.4``
    finds ``CCSS.Math.Content.5.NF.B.4``); unknown or ambiguous codes are left for the path to reject."""
    if graph.has(code):
        return code
    matches = [c for c in graph.skills if c.endswith("." + code)]
    return matches[0] if len(matches) == 1 else code


def _learner_path(
    session: Session, learner: User | None, goal_codes: Sequence[str], locale: str
) -> tuple[LearnerPath, _Learner, LearningPath[str]]:
    rules = MasteryRules()
    learner_id = learner.id if learner else None
    data = _load(session, learner_id)
    from_plan = False
    goals = list(dict.fromkeys(_resolve_code(data.graph, c.strip()) for c in goal_codes if c.strip()))
    if not goals and learner_id is not None:
        goals = active_goal_skills(session, learner_id)
        from_plan = True
    pace = _pace(session, learner_id, rules) if learner_id is not None else DEFAULT_PACE
    path, steps = _path(data, goals, pace, locale, rules)
    by_code = {s.code: s for s in steps}
    goal_views = [by_code.get(g) or _skill(data, g, locale, rules, True) for g in path.goals]
    result = LearnerPath(
        learner_id,
        learner.display_name if learner else "",
        goal_views,
        steps,
        path.total_minutes,
        pace,
        from_plan,
    )
    return result, data, path


def learner_path(
    ctx: ServiceContext,
    actor: Actor,
    learner_id: int,
    goal_codes: Sequence[str] = (),
    locale: str | None = None,
) -> LearnerPath:
    """The path to ``goal_codes`` (or, when none is named, to the learner's active goals) for a learner the
    actor may see. Unknown goal codes: ValidationError naming them."""
    with ctx.unit() as session:
        learner = require_learner(session, actor, learner_id)
        return _learner_path(session, learner, goal_codes, locale or actor.locale)[0]


def learner_pace(ctx: ServiceContext, actor: Actor, learner_id: int) -> Pace:
    """The learner's pace (attempts per skill, seconds per attempt) and what it rests on."""
    with ctx.unit() as session:
        require_learner(session, actor, learner_id)
        return _pace(session, learner_id, MasteryRules())


def ready_skills(
    ctx: ServiceContext, actor: Actor, learner_id: int, locale: str | None = None
) -> list[PathSkill]:
    """Skills the learner is ready to learn (prerequisites mastered, not mastered themselves), each with the
    practice time it would take at the learner's pace."""
    rules = MasteryRules()
    with ctx.unit() as session:
        require_learner(session, actor, learner_id)
        data = _load(session, learner_id)
        pace = _pace(session, learner_id, rules)
        ready = ready_to_learn(data.graph, data.mastery, rules)
        out = []
        for code in ready:
            s = _skill(data, code, locale or actor.locale, rules)
            left = pace.attempts_left(s.n_attempts)
            out.append(
                PathSkill(
                    s.code,
                    s.name,
                    s.grade,
                    s.p_mastery,
                    s.n_attempts,
                    s.level,
                    False,
                    left,
                    pace.minutes_for(left),
                )
            )
        return out


def path_for_username(
    ctx: ServiceContext, goal_codes: Sequence[str], username: str | None = None, locale: str = "en"
) -> LearnerPath:
    """For the command line (which acts on the whole database, like the importers): the path of the learner
    ``username``, or with no username the full path from nothing mastered at the default pace."""
    with ctx.unit() as session:
        learner = None
        if username is not None:
            learner = session.scalars(select(User).where(User.username == username)).first()
            if learner is None or learner.role != "learner":
                raise NotFoundError(f"no learner with username {username!r}")
        return _learner_path(session, learner, goal_codes, locale)[0]


def _neighbourhood(
    graph: SkillGraph[str], goals: Sequence[str], path: Sequence[str], max_nodes: int
) -> tuple[list[str], bool]:
    """The goals, the path, then the goals' other ancestors (nearest first), then what the goals unlock."""
    chosen: dict[str, None] = dict.fromkeys([*path, *goals])
    truncated = False
    frontier = list(goals)
    seen = set(frontier)
    while frontier:  # breadth first: nearest prerequisites first
        nxt = []
        for s in frontier:
            for p in graph.prerequisites(s):
                if p not in seen:
                    seen.add(p)
                    nxt.append(p)
        for p in nxt:
            if p not in chosen:
                if len(chosen) >= max_nodes:
                    truncated = True
                    break
                chosen[p] = None
        frontier = nxt
        if truncated:
            break
    goal_set = set(goals)
    unlocked = [b for a, b in graph.edges if a in goal_set and b not in chosen]
    for b in list(dict.fromkeys(unlocked))[:MAP_DEPENDENTS]:
        chosen[b] = None
    return list(chosen), truncated


def skill_web(
    ctx: ServiceContext,
    actor: Actor,
    learner_id: int,
    goal_codes: Sequence[str] = (),
    locale: str | None = None,
    max_nodes: int = MAP_MAX_NODES,
) -> tuple[LearnerPath, SkillWeb]:
    """The path and the web of skills around its goals (ancestors nearest first, up to ``max_nodes``, the
    path always included, plus a few skills the goals unlock)."""
    rules = MasteryRules()
    lang = locale or actor.locale
    with ctx.unit() as session:
        learner = require_learner(session, actor, learner_id)
        result, data, path = _learner_path(session, learner, goal_codes, lang)
        goals = list(path.goals)
        nodes, truncated = _neighbourhood(data.graph, goals, path.skills, max_nodes)
        keep = set(nodes)
        edges = [(a, b) for a, b in data.graph.edges if a in keep and b in keep]
        steps = {s.code: s for s in result.steps}
        skills = [steps.get(c) or _skill(data, c, lang, rules, c in path.goals) for c in nodes]
        return result, SkillWeb(skills, edges, list(path.skills), goals, truncated)


def skill_choices(
    ctx: ServiceContext, actor: Actor, locale: str | None = None
) -> list[tuple[str, str, int | None]]:
    """Every skill as (code, name in the UI language, grade), in curriculum order, for goal pickers."""
    del actor  # every signed-in role may read the curriculum
    lang = locale or "en"
    with ctx.unit() as session:
        rows = session.execute(
            select(SkillRow.code, SkillRow.name, SkillRow.name_es, SkillRow.grade).order_by(
                SkillRow.position, SkillRow.id
            )
        )
        return [(c, es if lang == "es" and es else n, g) for c, n, es, g in rows]
