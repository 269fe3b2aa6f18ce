"""The picture of the prerequisite web around a goal, laid out on the server in layers.

Pure shaping of what ``service.paths.skill_web`` returned (no I/O): each skill goes in the column of its
depth (the longest chain of prerequisites below it *within the picture*), so every arrow points right; rows
within a column are ordered by the mean row of their neighbours (a few barycentre sweeps, which untangles
most crossings). The template draws boxes, arrows and words; colours come from the same mastery bands as
the charts, and every box also writes its state in words and marks, so nothing is told by colour alone.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from learnpath.service.paths import PathSkill, SkillWeb
from learnpath.web.charts import band, percent

__all__ = ["MapEdge", "MapNode", "SkillMap", "layout", "wrap"]

NODE_W = 250
NODE_H = 78
COL_GAP = 70
ROW_GAP = 20
MARGIN = 24
LINE_CHARS = 23
SWEEPS = 4


@dataclass(frozen=True)
class MapNode:
    code: str
    lines: list[str]
    """The skill's name wrapped to at most two lines (the full name is in ``name``)."""
    name: str
    x: int
    y: int
    pct: int
    level: str
    band: str
    step: int | None
    """Place on the path (1 = first), None when the skill is not on it."""
    is_goal: bool
    minutes: int


@dataclass(frozen=True)
class MapEdge:
    source: str
    target: str
    d: str
    on_path: bool


@dataclass(frozen=True)
class SkillMap:
    nodes: list[MapNode]
    edges: list[MapEdge]
    width: int
    height: int
    node_w: int = NODE_W
    node_h: int = NODE_H


def wrap(text: str, width: int = LINE_CHARS, lines: int = 2) -> list[str]:
    """Words of ``text`` in at most ``lines`` lines of about ``width`` characters (an ellipsis if cut)."""
    out: list[str] = []
    current = ""
    words = text.split()
    for i, word in enumerate(words):
        candidate = f"{current} {word}".strip()
        if len(candidate) <= width or not current:
            current = candidate
            continue
        out.append(current)
        current = word
        if len(out) == lines:
            current = ""
            rest = " ".join(words[i:])
            out[-1] = _cut(f"{out[-1]} {rest}", width)
            break
    if current:
        out.append(current)
    return [_cut(line, width) for line in out[:lines]] or [""]


def _cut(line: str, width: int) -> str:
    """``line`` shortened to ``width`` characters with an ellipsis, at a word boundary when one is near."""
    if len(line) <= width:
        return line
    cut = line[: width - 1]
    space = cut.rfind(" ")
    if space > width // 2:
        cut = cut[:space]
    return cut.rstrip() + "…"


def _depths(codes: Sequence[str], edges: Sequence[tuple[str, str]]) -> dict[str, int]:
    preds: dict[str, list[str]] = defaultdict(list)
    succs: dict[str, list[str]] = defaultdict(list)
    for a, b in edges:
        preds[b].append(a)
        succs[a].append(b)
    remaining = {c: len(preds[c]) for c in codes}
    todo = [c for c in codes if remaining[c] == 0]
    depth = dict.fromkeys(codes, 0)
    while todo:
        c = todo.pop()
        for d in succs[c]:
            depth[d] = max(depth[d], depth[c] + 1)
            remaining[d] -= 1
            if remaining[d] == 0:
                todo.append(d)
    return depth


def _barycentre(c: str, near: list[str], row: dict[str, int], first: dict[str, int]) -> tuple[float, int]:
    rows = [row[n] for n in near if n in row]
    return (sum(rows) / len(rows) if rows else float(row[c]), first[c])


def _order_rows(
    columns: list[list[str]], edges: Sequence[tuple[str, str]], first: dict[str, int]
) -> list[list[str]]:
    preds: dict[str, list[str]] = defaultdict(list)
    succs: dict[str, list[str]] = defaultdict(list)
    for a, b in edges:
        preds[b].append(a)
        succs[a].append(b)
    cols = [sorted(col, key=lambda c: first[c]) for col in columns]
    row = {c: i for col in cols for i, c in enumerate(col)}
    for sweep in range(SWEEPS):
        forward = sweep % 2 == 0
        near = preds if forward else succs
        for k in range(1, len(cols)) if forward else range(len(cols) - 2, -1, -1):
            cols[k] = sorted(cols[k], key=lambda c: _barycentre(c, near[c], row, first))
            row.update({c: i for i, c in enumerate(cols[k])})
    return cols


def layout(web: SkillWeb) -> SkillMap:
    """Positions of every skill box and the arrows between them (prerequisite → skill, left to right)."""
    codes = [s.code for s in web.skills]
    by_code: dict[str, PathSkill] = {s.code: s for s in web.skills}
    step = {c: i for i, c in enumerate(web.path, start=1)}
    depth = _depths(codes, web.edges)
    n_cols = max(depth.values(), default=-1) + 1
    columns: list[list[str]] = [[] for _ in range(n_cols)]
    for c in codes:
        columns[depth[c]].append(c)
    # start with path skills first (in path order), then the rest as the service listed them
    first = {c: (step.get(c, len(step) + 1), i) for i, c in enumerate(codes)}
    flat_first = {c: i for i, c in enumerate(sorted(codes, key=lambda c: first[c]))}
    cols = _order_rows(columns, web.edges, flat_first)
    tallest = max((len(col) for col in cols), default=0)
    height = 2 * MARGIN + tallest * NODE_H + max(0, tallest - 1) * ROW_GAP
    width = 2 * MARGIN + n_cols * NODE_W + max(0, n_cols - 1) * COL_GAP
    where: dict[str, tuple[int, int]] = {}
    nodes: list[MapNode] = []
    for k, col in enumerate(cols):
        used = len(col) * NODE_H + max(0, len(col) - 1) * ROW_GAP
        top = MARGIN + (height - 2 * MARGIN - used) // 2
        for i, c in enumerate(col):
            x, y = MARGIN + k * (NODE_W + COL_GAP), top + i * (NODE_H + ROW_GAP)
            where[c] = (x, y)
            s = by_code[c]
            shown = percent(s.p_mastery) if s.n_attempts else 0
            nodes.append(
                MapNode(
                    c,
                    wrap(s.name),
                    s.name,
                    x,
                    y,
                    shown,
                    s.level,
                    band(s.p_mastery, s.level),
                    step.get(c),
                    c in web.goals,
                    max(1, round(s.minutes)) if c in step else 0,
                )
            )
    edges = []
    on_path = set(web.path)
    for a, b in web.edges:
        (x1, y1), (x2, y2) = where[a], where[b]
        sx, sy, tx, ty = x1 + NODE_W, y1 + NODE_H // 2, x2 - 6, y2 + NODE_H // 2
        bend = max(20, (tx - sx) // 2)
        d = f"M{sx},{sy} C{sx + bend},{sy} {tx - bend},{ty} {tx},{ty}"
        edges.append(MapEdge(a, b, d, a in on_path and b in on_path))
    # path arrows last, so they are drawn on top
    edges.sort(key=lambda e: e.on_path)
    return SkillMap(nodes, edges, max(width, NODE_W + 2 * MARGIN), max(height, NODE_H + 2 * MARGIN))
