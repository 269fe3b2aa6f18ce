"""Evidence for the learner model beyond answers: teachers' scores of portfolio work (``portfolio_evidence``).

Each row is one fact, replayed with the learner's attempts wherever states are rebuilt (``learning`` when the
model version changed, ``models.rebuild_learner_states`` after a refit), so a rebuilt state equals the state
the app kept. At the same moment an attempt comes first. A fact names the item ``portfolio:<id>`` (the
learner models treat an item they do not know with their defaults) and the one skill it shows.

These facts are not used to *fit* model parameters (``models.load_attempts`` reads answers only): a
teacher's judgement of a drawing is no answer to an item whose difficulty could be learned.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from learnpath.core.evidence import Attempt
from learnpath.storage.tables import PortfolioEvidence, SkillRow

__all__ = ["merge_facts", "portfolio_facts"]


def portfolio_facts(session: Session, learner_id: int | None = None) -> dict[int, list[Attempt]]:
    """The portfolio facts of one learner (or of all), by learner, each list in time order."""
    query = (
        select(PortfolioEvidence, SkillRow.code)
        .join(SkillRow, SkillRow.id == PortfolioEvidence.skill_id)
        .order_by(PortfolioEvidence.learner_id, PortfolioEvidence.at, PortfolioEvidence.id)
    )
    if learner_id is not None:
        query = query.where(PortfolioEvidence.learner_id == learner_id)
    out: dict[int, list[Attempt]] = {}
    for row, code in session.execute(query):
        out.setdefault(row.learner_id, []).append(
            Attempt(
                learner=row.learner_id,
                item=f"portfolio:{row.item_id}" if row.item_id is not None else "portfolio",
                skills=(code,),
                correct=row.correct,
                at=row.at,
            )
        )
    return out


def merge_facts(attempts: list[Attempt], extra: list[Attempt]) -> list[Attempt]:
    """Attempts (in replay order) and extra facts (in time order) as one list by time; attempts first on ties."""
    if not extra:
        return attempts
    keyed = [(a.at, 0, i, a) for i, a in enumerate(attempts)] + [(e.at, 1, i, e) for i, e in enumerate(extra)]
    keyed.sort(key=lambda k: (k[0], k[1], k[2]))
    return [k[3] for k in keyed]
