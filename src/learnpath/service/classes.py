"""Use cases for teachers and admins: classes, the mastery heatmap, who is struggling on what."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from learnpath.core.mastery import MasteryLevel, MasteryRules
from learnpath.service.access import Actor, require_class, visible_classes_query
from learnpath.service.context import ServiceContext
from learnpath.storage.tables import (
    AttemptRow,
    ClassLearner,
    ClassRow,
    ClassTeacher,
    ItemRow,
    MasteryRow,
    SkillRow,
    User,
)

__all__ = [
    "ClassOverview",
    "ClassSummary",
    "HeatCell",
    "Struggle",
    "class_overview",
    "list_classes",
    "summary_of",
]


@dataclass(frozen=True)
class ClassSummary:
    id: int
    name: str
    grade: int | None
    n_learners: int
    teachers: list[str]


@dataclass(frozen=True)
class HeatCell:
    p_mastery: float | None
    n_attempts: int
    level: MasteryLevel


@dataclass(frozen=True)
class Struggle:
    learner_id: int
    learner_name: str
    skill_code: str
    skill_name: str
    p_mastery: float
    wrong_in_a_row: int
    since: datetime | None


@dataclass(frozen=True)
class ClassOverview:
    summary: ClassSummary
    learners: list[tuple[int, str]]
    skills: list[tuple[str, str]]
    cells: dict[tuple[int, str], HeatCell]
    struggling: list[Struggle]
    recent: list[dict[str, object]]


def _summary(session: Session, row: ClassRow) -> ClassSummary:
    n = len(list(session.scalars(select(ClassLearner.learner_id).where(ClassLearner.class_id == row.id))))
    teachers = list(
        session.scalars(
            select(User.display_name)
            .join(ClassTeacher, ClassTeacher.teacher_id == User.id)
            .where(ClassTeacher.class_id == row.id)
            .order_by(User.id)
        )
    )
    return ClassSummary(row.id, row.name, row.grade, n, teachers)


def summary_of(session: Session, row: ClassRow) -> ClassSummary:
    """The class's name, grade, number of learners and teachers (no access check: callers check)."""
    return _summary(session, row)


def list_classes(ctx: ServiceContext, actor: Actor) -> list[ClassSummary]:
    """Classes the actor teaches (teacher) or that their school holds (admin); none for other roles."""
    if actor.role not in ("teacher", "admin"):
        return []
    with ctx.unit() as session:
        rows = session.scalars(visible_classes_query(actor).order_by(ClassRow.id))
        return [_summary(session, r) for r in rows]


def class_overview(ctx: ServiceContext, actor: Actor, class_id: int, recent: int = 15) -> ClassOverview:
    """The heatmap (learners x skills), who is struggling on what, and the latest attempts."""
    rules = MasteryRules()
    with ctx.unit() as session:
        row = require_class(session, actor, class_id)
        learners: list[tuple[int, str]] = [
            (lid, name)
            for lid, name in session.execute(
                select(User.id, User.display_name)
                .join(ClassLearner, ClassLearner.learner_id == User.id)
                .where(ClassLearner.class_id == class_id)
                .order_by(User.display_name, User.id)
            )
        ]
        ids = [lid for lid, _ in learners]
        names = dict(learners)
        skills = list(session.scalars(select(SkillRow).order_by(SkillRow.position, SkillRow.id)))
        code_of = {s.id: s.code for s in skills}
        skill_name = {s.code: (s.name_es if actor.locale == "es" and s.name_es else s.name) for s in skills}
        cells: dict[tuple[int, str], HeatCell] = {}
        struggling: list[Struggle] = []
        for m in session.scalars(select(MasteryRow).where(MasteryRow.learner_id.in_(ids))):
            code = code_of[m.skill_id]
            level = rules.level(m.p_mastery, m.n_attempts, m.recent_wrong)
            cells[(m.learner_id, code)] = HeatCell(m.p_mastery, m.n_attempts, level)
            if level == "struggling":
                struggling.append(
                    Struggle(
                        m.learner_id,
                        names[m.learner_id],
                        code,
                        skill_name[code],
                        m.p_mastery,
                        m.recent_wrong,
                        m.last_attempt_at,
                    )
                )
        struggling.sort(key=lambda s: (s.p_mastery, -s.wrong_in_a_row, s.learner_name))
        latest = session.execute(
            select(AttemptRow, ItemRow.code)
            .join(ItemRow, ItemRow.id == AttemptRow.item_id)
            .where(AttemptRow.learner_id.in_(ids))
            .order_by(AttemptRow.created_at.desc(), AttemptRow.id.desc())
            .limit(recent)
        ).all()
        return ClassOverview(
            _summary(session, row),
            learners,
            [(s.code, skill_name[s.code]) for s in skills],
            cells,
            struggling,
            [
                {
                    "learner_id": a.learner_id,
                    "learner_name": names[a.learner_id],
                    "item": code,
                    "correct": a.correct,
                    "at": a.created_at,
                }
                for a, code in latest
            ],
        )
