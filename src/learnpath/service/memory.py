"""Spaced review in storage: each answer updates the learner's FSRS memory of the skills it touched.

Called by ``learning._record`` inside the attempt's transaction, so memories stay derived from attempts
(the rule of :mod:`learnpath.recommend.review`: the answered skills, and on a right answer their direct
prerequisites that already have a memory). The highest mastery ever reached per skill is kept beside the
memory, so the recommender can tell when mastery fell.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from learnpath.recommend.review import Memory, ReviewModel
from learnpath.service.catalog import Catalog
from learnpath.storage.tables import SkillMemory

__all__ = ["after_attempt", "memory_of", "memory_row"]

REVIEW = ReviewModel()


def memory_of(row: SkillMemory) -> Memory:
    return Memory(row.stability, row.difficulty, row.last_review_at, row.due_at, row.reps, row.lapses)


def memory_row(learner_id: int, skill_id: int, m: Memory, peak: float) -> SkillMemory:
    return SkillMemory(
        learner_id=learner_id,
        skill_id=skill_id,
        stability=m.stability,
        difficulty=m.difficulty,
        last_review_at=m.last_review,
        due_at=m.due,
        reps=m.reps,
        lapses=m.lapses,
        peak_mastery=peak,
    )


def after_attempt(
    session: Session,
    catalog: Catalog,
    learner_id: int,
    skills: Iterable[str],
    correct: bool,
    at: datetime,
    p_after: Mapping[str, float],
) -> None:
    """Update the memories an answer on ``skills`` touches (no access check: the caller checked)."""
    skills = tuple(s for s in skills if s in catalog.skills)
    touched = set(skills) | {p for s in skills for p in catalog.graph.prerequisites(s)}
    id_of = {code: catalog.skills[code].id for code in touched}
    code_of = {v: k for k, v in id_of.items()}
    rows = {
        code_of[r.skill_id]: r
        for r in session.scalars(
            select(SkillMemory).where(
                SkillMemory.learner_id == learner_id, SkillMemory.skill_id.in_(list(id_of.values()))
            )
        )
    }
    memories = {code: memory_of(r) for code, r in rows.items()}
    for code, m in REVIEW.after_answer(memories, catalog.graph, skills, correct, at).items():
        peak = p_after.get(code, 0.0)
        row = rows.get(code)
        if row is None:
            session.add(memory_row(learner_id, id_of[code], m, peak))
            continue
        row.stability, row.difficulty, row.reps, row.lapses = m.stability, m.difficulty, m.reps, m.lapses
        row.last_review_at, row.due_at = m.last_review, m.due
        row.peak_mastery = max(row.peak_mastery, peak)
