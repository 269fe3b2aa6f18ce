"""A skill graph straight from a progression edge file, one node per normalised CCSS code.

``progression_graph`` (``progressions.py``) attaches edges to a framework's items; the simulator and the
placement benchmark only need the codes, so this builds the graph from the ``precedes`` edges alone (the
Zimba edge set, the ATC feed, flywheel files): codes are normalised and code lists expanded as in
``progressions.py``; a pair that only comes from expanding a code list is dropped when it would close a
cycle with the single-code edges and the pairs kept before it (Zimba's ``K.G.1,2 -> K.G.3,4`` style), and a
cycle among single-code edges is an error naming its file and lines. ``code_level`` gives the grade
(``K`` is 0, high-school codes 9).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from learnpath.core.graph import SkillGraph, find_cycle
from learnpath.errors import FieldError, GraphCycleError, ValidationError
from learnpath.interop.progressions import (
    Progression,
    ProgressionEdge,
    expand_codes,
    normalise_code,
    read_progression,
)

__all__ = ["CodeGraph", "code_graph", "code_level", "read_code_graph"]


@dataclass(frozen=True)
class CodeGraph:
    """The graph, each skill's grade level, and the list pairs dropped to keep it acyclic."""

    graph: SkillGraph[str]
    levels: dict[str, float]
    dropped: tuple[tuple[str, str], ...]
    source: str


def code_level(code: str) -> float:
    """Grade of a normalised code: ``K`` -> 0, ``6.EE.2`` -> 6, anything else (high school) -> 9."""
    head = code.split(".", 1)[0]
    if head == "K":
        return 0.0
    return float(head) if head.isdigit() else 9.0


def _reaches(succ: dict[str, set[str]], start: str, goal: str) -> bool:
    seen, todo = {start}, [start]
    while todo:
        node = todo.pop()
        if node == goal:
            return True
        for nxt in succ.get(node, ()):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return False


def code_graph(progression: Progression) -> CodeGraph:
    """Build the code graph of a parsed progression (rules in the module docstring)."""
    single: dict[tuple[str, str], ProgressionEdge] = {}
    listed: dict[tuple[str, str], ProgressionEdge] = {}
    nodes: dict[str, None] = {}
    for edge in progression.edges:
        if edge.relation != "precedes":
            continue
        begins = [normalise_code(c) for c in expand_codes(edge.begin)]
        ends = [normalise_code(c) for c in expand_codes(edge.end)]
        for code in (*begins, *ends):
            nodes.setdefault(code)
        for a in begins:
            for b in ends:
                if a != b:
                    target = single if len(begins) == len(ends) == 1 else listed
                    target.setdefault((a, b), edge)
    if not nodes:
        raise ValidationError.for_field(progression.source, "no 'precedes' edges: there is no graph to build")
    cycle = find_cycle(list(nodes), list(single))
    if cycle is not None:
        err = GraphCycleError(cycle)
        for a, b in zip(cycle, [*cycle[1:], cycle[0]], strict=True):
            err.errors.append(FieldError("prerequisites", f"{a} -> {b} from {single[(a, b)].where}"))
        raise err
    succ: dict[str, set[str]] = {}
    for a, b in single:
        succ.setdefault(a, set()).add(b)
    dropped: list[tuple[str, str]] = []
    kept = list(single)
    for a, b in listed:
        if (a, b) in single:
            continue
        if _reaches(succ, b, a):
            dropped.append((a, b))
        else:
            succ.setdefault(a, set()).add(b)
            kept.append((a, b))
    graph = SkillGraph.build(list(nodes), kept)
    return CodeGraph(graph, {c: code_level(c) for c in nodes}, tuple(dropped), progression.source)


def read_code_graph(path: str | Path) -> CodeGraph:
    """Read a progression edge file and build its code graph."""
    return code_graph(read_progression(path))
