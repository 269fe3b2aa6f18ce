"""The prerequisite graph of skills: a DAG, checked on construction.

Edges point from a prerequisite to the skill that needs it. Construction rejects unknown skills
and cycles (``GraphCycleError`` names the cycle), so every ``SkillGraph`` is a valid DAG.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from learnpath.errors import FieldError, GraphCycleError, ValidationError

__all__ = ["SkillGraph", "find_cycle"]

K = TypeVar("K")


def find_cycle(nodes: Iterable[K], edges: Iterable[tuple[K, K]]) -> list[K] | None:
    """Return one cycle (as a list of nodes in edge order) if ``edges`` has one, else None.

    Iterative three-colour DFS, so deep graphs do not hit the recursion limit.
    """
    succ: dict[K, list[K]] = {n: [] for n in nodes}
    for a, b in edges:
        succ.setdefault(a, []).append(b)
        succ.setdefault(b, [])
    white, grey, black = 0, 1, 2
    colour = dict.fromkeys(succ, white)
    for start in succ:
        if colour[start] != white:
            continue
        stack: list[tuple[K, int]] = [(start, 0)]
        path: list[K] = [start]
        colour[start] = grey
        while stack:
            node, i = stack[-1]
            children = succ[node]
            if i < len(children):
                stack[-1] = (node, i + 1)
                child = children[i]
                if colour[child] == grey:
                    return path[path.index(child) :]
                if colour[child] == white:
                    colour[child] = grey
                    stack.append((child, 0))
                    path.append(child)
            else:
                colour[node] = black
                stack.pop()
                path.pop()
    return None


@dataclass(frozen=True)
class SkillGraph(Generic[K]):
    """Skills and prerequisite edges ``(prerequisite, skill)``; always acyclic."""

    skills: tuple[K, ...]
    edges: tuple[tuple[K, K], ...] = ()
    _prereqs: Mapping[K, tuple[K, ...]] = field(default_factory=dict, repr=False, compare=False)
    _order: tuple[K, ...] = field(default=(), repr=False, compare=False)
    _index: Mapping[K, int] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def build(
        cls, skills: Iterable[K], edges: Iterable[tuple[K, K]], names: Mapping[K, str] | None = None
    ) -> SkillGraph[K]:
        """Validate and build. Unknown skills in edges and self-loops are reported together."""
        skill_tuple = tuple(dict.fromkeys(skills))
        known = set(skill_tuple)
        edge_tuple = tuple(dict.fromkeys(edges))
        problems = [
            FieldError("prerequisites", f"edge {a!r} -> {b!r} names unknown skill {x!r}")
            for a, b in edge_tuple
            for x in (a, b)
            if x not in known
        ]
        if problems:
            raise ValidationError(f"{len(problems)} prerequisite edge(s) name unknown skills", problems)
        cycle = find_cycle(skill_tuple, edge_tuple)
        if cycle is not None:
            label = names or {}
            raise GraphCycleError([str(label.get(c, c)) for c in cycle])
        prereqs: dict[K, list[K]] = {s: [] for s in skill_tuple}
        for a, b in edge_tuple:
            prereqs[b].append(a)
        order = _topological_order(skill_tuple, prereqs)
        index = {s: i for i, s in enumerate(order)}
        return cls(skill_tuple, edge_tuple, {k: tuple(v) for k, v in prereqs.items()}, tuple(order), index)

    def has(self, skill: K) -> bool:
        """Whether ``skill`` is in the graph."""
        return skill in self._prereqs

    def position(self, skill: K) -> int:
        """Where ``skill`` stands in :meth:`topological_order` (sort by it to order any subset)."""
        return self._index[skill]

    def positions(self) -> Mapping[K, int]:
        """Every skill's place in :meth:`topological_order` (a read-only view for hot loops)."""
        return self._index

    def prerequisite_map(self) -> Mapping[K, tuple[K, ...]]:
        """Direct prerequisites of every skill (a read-only view for hot loops)."""
        return self._prereqs

    def prerequisites(self, skill: K) -> tuple[K, ...]:
        """Direct prerequisites of ``skill``."""
        return self._prereqs[skill]

    def dependents(self, skill: K) -> tuple[K, ...]:
        """Skills that list ``skill`` as a direct prerequisite."""
        return tuple(b for a, b in self.edges if a == skill)

    def ancestors(self, skill: K) -> set[K]:
        """Every skill that must come before ``skill`` (transitively)."""
        seen: set[K] = set()
        todo = list(self._prereqs[skill])
        while todo:
            s = todo.pop()
            if s not in seen:
                seen.add(s)
                todo.extend(self._prereqs[s])
        return seen

    def topological_order(self) -> tuple[K, ...]:
        """Skills with every prerequisite before its dependents (stable: ties keep input order)."""
        return self._order

    def depth(self) -> dict[K, int]:
        """Length of the longest prerequisite chain below each skill (0 for a root)."""
        depth: dict[K, int] = {}
        for s in self._order:
            depth[s] = max((depth[p] + 1 for p in self._prereqs[s]), default=0)
        return depth

    def ready(self, mastered: set[K]) -> list[K]:
        """Skills not yet mastered whose prerequisites are all mastered, in topological order."""
        return [s for s in self._order if s not in mastered and all(p in mastered for p in self._prereqs[s])]


def _topological_order(skills: tuple[K, ...], prereqs: Mapping[K, list[K]]) -> list[K]:
    index = {s: i for i, s in enumerate(skills)}
    remaining = {s: len(set(prereqs[s])) for s in skills}
    dependents: dict[K, list[K]] = {s: [] for s in skills}
    for s in skills:
        for p in set(prereqs[s]):
            dependents[p].append(s)
    heap = [(index[s], s) for s in skills if remaining[s] == 0]
    heapq.heapify(heap)
    order: list[K] = []
    while heap:
        _, s = heapq.heappop(heap)
        order.append(s)
        for d in dependents[s]:
            remaining[d] -= 1
            if remaining[d] == 0:
                heapq.heappush(heap, (index[d], d))
    return order
