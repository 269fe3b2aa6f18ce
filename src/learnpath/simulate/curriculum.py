"""The graph as the simulator sees it: skills by index, grade levels, curriculum order, goals, bundles."""

from __future__ import annotations

import heapq
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from learnpath.core.graph import SkillGraph
from learnpath.errors import FieldError, ValidationError

__all__ = ["Curriculum", "bundle_key", "natural_key"]

IntArray = npt.NDArray[np.intp]


def natural_key(code: str) -> tuple[tuple[int, int | str], ...]:
    """Sort key that orders ``4.NF.3.B`` before ``4.NF.10`` (numbers as numbers)."""
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in re.split(r"[.\-]", code) if p)


def bundle_key(code: str) -> str:
    """The bundle of a code for the bundle simulator: its first two parts (``6.EE.2.C`` -> ``6.EE``)."""
    return ".".join(re.split(r"[.\-]", code)[:2])


@dataclass(frozen=True, eq=False)
class Curriculum:
    """A skill graph indexed for simulation. ``order`` is the curriculum order (grade, then code,
    prerequisites first); ``closure(goal)`` the goal and its ancestors in that order."""

    graph: SkillGraph[str]
    levels: Mapping[str, float]
    skills: tuple[str, ...] = field(init=False)
    index: Mapping[str, int] = field(init=False)
    level: npt.NDArray[np.float64] = field(init=False)
    prereqs: tuple[IntArray, ...] = field(init=False)
    dependents: tuple[IntArray, ...] = field(init=False)
    ancestors: tuple[frozenset[int], ...] = field(init=False)
    order: tuple[int, ...] = field(init=False)
    bundles: tuple[IntArray, ...] = field(init=False)

    def __post_init__(self) -> None:
        g = self.graph
        missing = [s for s in g.skills if s not in self.levels]
        if missing:
            raise ValidationError(
                "every skill needs a grade level", [FieldError(f"levels.{s}", "missing") for s in missing]
            )
        skills = g.skills
        index = {s: i for i, s in enumerate(skills)}
        prereqs = [np.array(sorted(index[p] for p in g.prerequisites(s)), dtype=np.intp) for s in skills]
        deps: list[list[int]] = [[] for _ in skills]
        for a, b in g.edges:
            deps[index[a]].append(index[b])
        ancestors: list[frozenset[int]] = [frozenset()] * len(skills)
        for s in g.topological_order():
            i = index[s]
            acc: set[int] = set()
            for p in prereqs[i]:
                acc.add(int(p))
                acc |= ancestors[int(p)]
            ancestors[i] = frozenset(acc)
        # Curriculum order: Kahn's algorithm taking the lowest (grade, code) among the ready skills.
        remaining = [len(p) for p in prereqs]
        heap = [((self.levels[s], natural_key(s)), index[s]) for s in skills if remaining[index[s]] == 0]
        heapq.heapify(heap)
        order: list[int] = []
        while heap:
            _, i = heapq.heappop(heap)
            order.append(i)
            for d in deps[i]:
                remaining[d] -= 1
                if remaining[d] == 0:
                    heapq.heappush(heap, ((self.levels[skills[d]], natural_key(skills[d])), d))
        groups: dict[str, list[int]] = {}
        for s in skills:
            groups.setdefault(bundle_key(s), []).append(index[s])
        bundle_of = [np.array(groups[bundle_key(s)], dtype=np.intp) for s in skills]
        set_ = object.__setattr__
        set_(self, "skills", skills)
        set_(self, "index", index)
        set_(self, "level", np.array([float(self.levels[s]) for s in skills]))
        set_(self, "prereqs", tuple(prereqs))
        set_(self, "dependents", tuple(np.array(sorted(d), dtype=np.intp) for d in deps))
        set_(self, "ancestors", tuple(ancestors))
        set_(self, "order", tuple(order))
        set_(self, "bundles", tuple(bundle_of))

    @property
    def size(self) -> int:
        return len(self.skills)

    def position(self) -> IntArray:
        """Rank of each skill in the curriculum order."""
        pos = np.empty(self.size, dtype=np.intp)
        pos[list(self.order)] = np.arange(self.size)
        return pos

    def closure(self, goal: int) -> tuple[int, ...]:
        """The goal and every ancestor, in curriculum order."""
        members = self.ancestors[goal] | {goal}
        return tuple(i for i in self.order if i in members)

    def goal_index(self, code: str) -> int:
        if code not in self.index:
            close = [s for s in self.skills if s.upper().startswith(code.upper().split(".")[0] + ".")][:5]
            hint = f"; skills of that grade include {', '.join(close)}" if close else ""
            raise ValidationError.for_field("goal", f"unknown skill {code!r}: it is not in the graph{hint}")
        return self.index[code]

    def reference_goals(
        self, grades: Sequence[float] = (6, 7, 8), min_ancestors: int = 25
    ) -> tuple[int, ...]:
        """Goals of the reference scenario: skills of ``grades`` with at least ``min_ancestors`` ancestors.

        A graph with none (the demo school stops at grade 5) falls back to the skills of its top grade with
        at least half as many ancestors as the deepest skill there, so that the scenario still runs."""
        goals = [
            i for i in self.order if self.level[i] in set(grades) and len(self.ancestors[i]) >= min_ancestors
        ]
        if goals:
            return tuple(goals)
        top = float(self.level.max())
        cands = [i for i in self.order if self.level[i] == top]
        most = max(len(self.ancestors[i]) for i in cands)
        return tuple(i for i in cands if most > 0 and len(self.ancestors[i]) * 2 >= most)

    def close(self, known: npt.NDArray[np.bool_]) -> npt.NDArray[np.bool_]:
        """Add every ancestor of a known skill (in place; also returned)."""
        for i in reversed(self.order):
            if known[i] and self.prereqs[i].size:
                known[self.prereqs[i]] = True
        return known

    def is_closed(self, known: npt.NDArray[np.bool_]) -> bool:
        return all(bool(known[self.prereqs[i]].all()) for i in range(self.size) if known[i])
