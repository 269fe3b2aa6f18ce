"""Practice histories for tests of model fitting: many learners with attempt facts, written in one go.

The attempts are inserted as facts only (no learner states or mastery rows), as after an import; a refit
(``service.models.fit_model``) or the next recorded answer derives the rest. Correctness follows a simple
latent model: P(correct) = sigmoid(ability + growth * k - difficulty of the item), so learner models have
something real to find.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import numpy as np

from learnpath.service.catalog import load_catalog
from learnpath.service.context import ServiceContext
from learnpath.service.roster import add_user
from learnpath.storage.tables import AttemptRow

__all__ = ["add_practice"]


def add_practice(
    ctx: ServiceContext,
    school_id: int,
    rng: np.random.Generator,
    *,
    n_learners: int = 30,
    attempts_per_learner: int = 16,
    growth: float = 0.12,
    start: datetime | None = None,
    prefix: str = "practice",
) -> list[int]:
    """Add ``n_learners`` learners to the school, each with ``attempts_per_learner`` attempts on random
    items of the catalog (one a minute); returns their ids. Needs at least one item with skills."""
    begin = start or ctx.clock() - timedelta(days=7)
    with ctx.unit() as s:
        catalog = load_catalog(s)
        codes = sorted(catalog.items)
        if not codes:
            raise ValueError("the catalog has no items with skills to practise")
        difficulty = dict(zip(codes, rng.normal(0.0, 1.0, len(codes)), strict=True))
        digest = ctx.hasher.hash("practice-pass")
        ids = []
        for n in range(n_learners):
            user = add_user(
                s, ctx, school_id, f"{prefix}{n + 1}", f"Learner {n + 1}", "learner", password_hash=digest
            )
            ids.append(user.id)
            ability = float(rng.normal(0.0, 1.0))
            for k in range(attempts_per_learner):
                code = codes[int(rng.integers(len(codes)))]
                item = catalog.items[code]
                p = 1.0 / (1.0 + np.exp(-(ability + growth * k - difficulty[code])))
                correct = bool(rng.random() < p)
                s.add(
                    AttemptRow(
                        learner_id=user.id,
                        item_id=catalog.item_ids[code],
                        response=(item.answer or "?") if correct else "wrong",
                        correct=correct,
                        score=float(correct),
                        duration_ms=int(rng.integers(3000, 60000)),
                        hints_used=0,
                        created_at=begin + timedelta(hours=n, minutes=k),
                    )
                )
    return ids
