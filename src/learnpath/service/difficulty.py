"""Refining item and content difficulties from the attempts (``learnpath refine-difficulty``).

Items: a Rasch fit on every attempt, blended with the author's value by counts
(:func:`learnpath.learner.calibration.refine_difficulties`); the result is written to ``items.difficulty``
(and the item body the recommender reads), and ``item_calibrations`` keeps the author's value and the
counts behind it, so a later refinement starts again from the author's value with all attempts.

Content: no one answers a video, so its estimate moves with its skills' items: the author's value plus the
mean change (refined - author) of the items of the skills it teaches; ``difficulty_n`` counts their attempts.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import numpy as np
from sqlalchemy import select

from learnpath.learner.calibration import refine_difficulties
from learnpath.service.context import ServiceContext
from learnpath.storage.tables import AttemptRow, ContentRow, ContentSkill, ItemCalibration, ItemRow, ItemSkill

__all__ = ["RefineReport", "refine_difficulty"]


@dataclass(frozen=True)
class RefineReport:
    items: int
    items_refined: int
    attempts: int
    content: int
    content_refined: int
    largest_change: float
    prior_weight: float

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def refine_difficulty(ctx: ServiceContext, prior_weight: float = 10.0) -> RefineReport:
    """Refine every item's and content's difficulty from all attempts, in one transaction."""
    with ctx.unit() as session:
        items = list(session.scalars(select(ItemRow).order_by(ItemRow.id)))
        index = {row.id: k for k, row in enumerate(items)}
        calibrations = {c.item_id: c for c in session.scalars(select(ItemCalibration))}
        author = np.array(
            [calibrations[r.id].author_difficulty if r.id in calibrations else r.difficulty for r in items],
            dtype=np.float64,
        )
        data = session.execute(select(AttemptRow.learner_id, AttemptRow.item_id, AttemptRow.correct)).all()
        learner = np.array([d[0] for d in data], dtype=np.int64)
        item = np.array([index[d[1]] for d in data], dtype=np.int64)
        correct = np.array([d[2] for d in data], dtype=np.int8)
        result = refine_difficulties(learner, item, correct, author, prior_weight=prior_weight)
        now = ctx.clock()
        largest = 0.0
        shift: dict[int, float] = {}
        count: dict[int, int] = {}
        for k, row in enumerate(items):
            n = int(result.n_attempts[k])
            shift[row.id] = float(result.difficulty[k] - author[k])
            count[row.id] = n
            if n == 0:
                continue
            new = round(float(result.difficulty[k]), 4)
            largest = max(largest, abs(new - row.difficulty))
            row.difficulty = new
            row.body = {**row.body, "difficulty": new}
            cal = calibrations.get(row.id)
            if cal is None:
                session.add(
                    ItemCalibration(
                        item_id=row.id,
                        author_difficulty=float(author[k]),
                        n_attempts=n,
                        n_correct=int(result.n_correct[k]),
                        refined_at=now,
                    )
                )
            else:
                cal.n_attempts, cal.n_correct, cal.refined_at = n, int(result.n_correct[k]), now
        items_of_skill: dict[int, list[int]] = defaultdict(list)
        for link in session.scalars(select(ItemSkill)):
            items_of_skill[link.skill_id].append(link.item_id)
        skills_of: dict[int, list[int]] = defaultdict(list)
        for taught in session.scalars(select(ContentSkill)):
            skills_of[taught.content_id].append(taught.skill_id)
        contents = list(session.scalars(select(ContentRow)))
        content_refined = 0
        for c in contents:
            related = {i for s in skills_of[c.id] for i in items_of_skill[s] if count.get(i, 0) > 0}
            n = sum(count[i] for i in related)
            new = c.author_difficulty
            if related:
                new = c.author_difficulty + float(np.mean([shift[i] for i in related]))
                new = round(min(6.0, max(-6.0, new)), 4)
                content_refined += 1
            c.difficulty, c.difficulty_n = new, n
        return RefineReport(
            items=len(items),
            items_refined=int((result.n_attempts > 0).sum()),
            attempts=len(data),
            content=len(contents),
            content_refined=content_refined,
            largest_change=round(largest, 4),
            prior_weight=prior_weight,
        )
