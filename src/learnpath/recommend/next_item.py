"""The next practice item: ready-to-learn skills first, an item of fitting difficulty within them.

Roles, each replaceable:

- select: skills whose prerequisites are all mastered and that are not mastered themselves ("ready");
  when none is left, the weakest mastered skills for review;
- score: a skill already in progress scores above a new one (finish what you started), then lower
  depth in the graph first; items are scored by how close their predicted P(correct) is to
  ``target_p_correct`` (desirable difficulty), with recently seen items pushed back;
- rank: highest score first, ties broken by ``rng``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from learnpath.core.graph import SkillGraph
from learnpath.core.items import Item
from learnpath.core.mastery import MASTERED_AT

__all__ = ["Candidate", "ItemChoice", "LearnerView", "NextItemPolicy", "Reason"]

Reason = Literal["ready", "continue", "review"]


@dataclass(frozen=True)
class LearnerView:
    """What the policy may know about a learner: mastery per skill code and recent item codes."""

    p_mastery: Mapping[str, float]
    n_attempts: Mapping[str, int]
    recent_items: Sequence[str] = ()


@dataclass(frozen=True)
class Candidate:
    skill: str
    reason: Reason
    score: float


@dataclass(frozen=True)
class ItemChoice:
    item: Item
    skill: str
    reason: Reason
    p_correct: float


@dataclass(frozen=True)
class NextItemPolicy:
    mastered_at: float = MASTERED_AT
    target_p_correct: float = 0.7
    recent_window: int = 10
    prior: float = 0.25
    guess: float = 0.2
    slip: float = 0.1
    items_by_skill: Mapping[str, tuple[Item, ...]] = field(default_factory=dict)

    def select(self, graph: SkillGraph[str], learner: LearnerView) -> list[Candidate]:
        mastered = {s for s in graph.skills if learner.p_mastery.get(s, self.prior) >= self.mastered_at}
        depth = graph.depth()
        out: list[Candidate] = []
        for s in graph.ready(mastered):
            if not self.items_by_skill.get(s):
                continue
            started = learner.n_attempts.get(s, 0) > 0
            reason: Reason = "continue" if started else "ready"
            out.append(Candidate(s, reason, (1.0 if started else 0.0) - 0.01 * depth[s]))
        if not out:
            weakest = sorted(
                (s for s in graph.skills if self.items_by_skill.get(s)),
                key=lambda s: learner.p_mastery.get(s, self.prior),
            )
            out = [Candidate(s, "review", -learner.p_mastery.get(s, self.prior)) for s in weakest[:3]]
        return out

    def _p_correct(self, p_mastery: float, difficulty: float) -> float:
        base = p_mastery * (1 - self.slip) + (1 - p_mastery) * self.guess
        logit = math.log(base / (1 - base)) - difficulty
        return 1.0 / (1.0 + math.exp(-logit))

    def choose(
        self, graph: SkillGraph[str], learner: LearnerView, rng: np.random.Generator
    ) -> ItemChoice | None:
        """The one next item, or None when no skill has items."""
        candidates = self.select(graph, learner)
        if not candidates:
            return None
        noise = rng.random(len(candidates)) * 1e-3
        best = max(zip(candidates, noise, strict=True), key=lambda cn: cn[0].score + cn[1])[0]
        recent = list(learner.recent_items)[-self.recent_window :]
        p_m = learner.p_mastery.get(best.skill, self.prior)
        scored = []
        for item in self.items_by_skill[best.skill]:
            p = self._p_correct(p_m, item.difficulty)
            penalty = (
                1.0 + (self.recent_window - recent[::-1].index(item.code)) if item.code in recent else 0.0
            )
            scored.append((abs(p - self.target_p_correct) + penalty + rng.random() * 1e-3, item, p))
        _, item, p = min(scored, key=lambda t: t[0])
        return ItemChoice(item, best.skill, best.reason, p)
