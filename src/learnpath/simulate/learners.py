"""Synthetic learners with a hidden true knowledge state, and the scenarios that draw them.

``reference`` (issue 5's reference scenario, the default): a grade level uniform on 2..7; each skill below
that level known with probability 0.85, then closed under prerequisites (a known skill's ancestors are added:
knowing a skill implies knowing its ancestors); practising a skill whose prerequisites are all known teaches
it with the learner's rate (uniform 0.15..0.45 per opportunity); a skill with an unknown prerequisite cannot
be learned; answers are right with probability 1 - slip = 0.9 when known and guess = 0.2 when not. The
answer shows the state *before* the opportunity's learning (as in BKT); a placement question is answered
the same way but teaches nothing (no feedback).

``bundles`` (a learning rule the tutor does not assume): skills are learned in bundles (a skill's bundle is
its grade and domain, ``6.EE``): when a skill is learned, each bundle-mate whose prerequisites are known is
learned too with probability ``transfer`` (0.4). Prior knowledge is uneven across domains (each domain's
level is the grade level plus -1, 0 or +1) and guess and slip vary by learner (guess 0.1..0.3, slip
0.05..0.15), while the tutor keeps assuming 0.2 and 0.1. True states stay closed under prerequisites.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import numpy.typing as npt

from learnpath.simulate.curriculum import Curriculum, bundle_key

__all__ = ["SCENARIOS", "Scenario", "SimLearner", "scenario"]

ScenarioName = Literal["reference", "bundles"]
SCENARIOS: tuple[ScenarioName, ...] = ("reference", "bundles")


@dataclass
class SimLearner:
    """One learner: the hidden state (``known``, closed under prerequisites) and how they answer and learn.
    Mutable: ``practise`` changes ``known``. ``forget`` (per opportunity, on other known skills) is 0 in both
    scenarios."""

    known: npt.NDArray[np.bool_]
    rate: float
    slip: float
    guess: float
    grade: int
    transfer: float = 0.0
    forget: float = 0.0
    learned: list[int] = field(default_factory=list)

    def answer(self, skill: int, rng: np.random.Generator) -> bool:
        p = 1.0 - self.slip if self.known[skill] else self.guess
        return bool(rng.random() < p)

    def practise(self, skill: int, curriculum: Curriculum, rng: np.random.Generator) -> bool:
        """Answer, then maybe learn ``skill`` (and, with ``transfer``, ready bundle-mates)."""
        correct = self.answer(skill, rng)
        if not self.known[skill] and self._ready(skill, curriculum) and rng.random() < self.rate:
            self.known[skill] = True
            self.learned.append(skill)
            if self.transfer > 0.0:
                for mate in curriculum.bundles[skill]:
                    m = int(mate)
                    if not self.known[m] and self._ready(m, curriculum) and rng.random() < self.transfer:
                        self.known[m] = True
                        self.learned.append(m)
        return correct

    def _ready(self, skill: int, curriculum: Curriculum) -> bool:
        return bool(self.known[curriculum.prereqs[skill]].all())


@dataclass(frozen=True)
class Scenario:
    """How learners are drawn and learn. The defaults are the reference scenario."""

    name: ScenarioName = "reference"
    grades: tuple[int, int] = (2, 7)
    p_known_below: float = 0.85
    rate: tuple[float, float] = (0.15, 0.45)
    slip: tuple[float, float] = (0.1, 0.1)
    guess: tuple[float, float] = (0.2, 0.2)
    domain_spread: int = 0
    transfer: float = 0.0

    def learner(self, curriculum: Curriculum, rng: np.random.Generator) -> SimLearner:
        grade = int(rng.integers(self.grades[0], self.grades[1] + 1))
        level = np.full(curriculum.size, float(grade))
        if self.domain_spread:
            domains = sorted({bundle_key(s).split(".", 1)[-1] for s in curriculum.skills})
            shift = dict(
                zip(
                    domains,
                    rng.integers(-self.domain_spread, self.domain_spread + 1, size=len(domains)),
                    strict=True,
                )
            )
            level += np.array([float(shift[bundle_key(s).split(".", 1)[-1]]) for s in curriculum.skills])
        known = (curriculum.level < level) & (rng.random(curriculum.size) < self.p_known_below)
        curriculum.close(known)
        return SimLearner(
            known=known,
            rate=float(rng.uniform(*self.rate)),
            slip=float(rng.uniform(*self.slip)),
            guess=float(rng.uniform(*self.guess)),
            grade=grade,
            transfer=self.transfer,
        )


def scenario(name: str) -> Scenario:
    """The named scenario (``reference`` or ``bundles``)."""
    if name == "reference":
        return Scenario()
    if name == "bundles":
        return Scenario(name="bundles", slip=(0.05, 0.15), guess=(0.1, 0.3), domain_spread=1, transfer=0.4)
    from learnpath.errors import ValidationError

    raise ValidationError.for_field("scenario", f"unknown scenario {name!r}; known: {', '.join(SCENARIOS)}")
