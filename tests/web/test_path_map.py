"""The server-side layout of the prerequisite map: columns by depth, arrows pointing right, no overlaps."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from learnpath.service.paths import PathSkill, SkillWeb
from learnpath.web.path_map import LINE_CHARS, NODE_H, NODE_W, layout, wrap


def skill(
    code: str, p: float = 0.0, n: int = 0, level: str = "not_started", minutes: float = 0.0
) -> PathSkill:
    return PathSkill(code, f"Skill {code}", None, p, n, level, False, 0.0, minutes)  # type: ignore[arg-type]


def test_wrap_keeps_two_lines_and_marks_a_cut() -> None:
    assert wrap("Adding") == ["Adding"]
    assert wrap("Add and subtract within 1000 using strategies", 20) == [
        "Add and subtract",
        "within 1000 using…",
    ]
    assert wrap("x" * 40, 10) == ["xxxxxxxxx…"]
    assert wrap("") == [""]
    for text in ("a b c d e f g h i j k l m n o p q r s t u v w x y z " * 3, "Use place value understanding"):
        assert all(len(line) <= LINE_CHARS for line in wrap(text)) and len(wrap(text)) <= 2


def test_example_layout() -> None:
    # A -> B -> D (goal), C -> D, D -> E (unlocked by the goal); A mastered
    web = SkillWeb(
        [
            skill("A", 0.97, 5, "mastered"),
            skill("B", 0.5, 3, "learning", 4.2),
            skill("C", minutes=5.0),
            skill("D", minutes=5.0),
            skill("E"),
        ],
        [("A", "B"), ("B", "D"), ("C", "D"), ("D", "E")],
        ["B", "C", "D"],
        ["D"],
        False,
    )
    m = layout(web)
    nodes = {n.code: n for n in m.nodes}
    assert [nodes[c].step for c in "ABCDE"] == [None, 1, 2, 3, None]
    assert nodes["D"].is_goal and not nodes["B"].is_goal
    assert nodes["A"].band == "done" and nodes["B"].band == "mid" and nodes["C"].band == "none"
    assert nodes["A"].pct == 97 and nodes["C"].pct == 0 and nodes["B"].minutes == 4
    # columns by depth: A, C at 0; B at 1; D at 2; E at 3
    xs = {c: nodes[c].x for c in "ABCDE"}
    assert xs["A"] == xs["C"] < xs["B"] < xs["D"] < xs["E"]
    assert {(e.source, e.target): e.on_path for e in m.edges} == {
        ("A", "B"): False,
        ("B", "D"): True,
        ("C", "D"): True,
        ("D", "E"): False,
    }
    assert [e.on_path for e in m.edges] == sorted(e.on_path for e in m.edges)  # path arrows drawn last


@st.composite
def webs(draw: st.DrawFn) -> SkillWeb:
    n = draw(st.integers(1, 30))
    pairs = [(a, b) for b in range(n) for a in range(b)]
    edges = draw(st.lists(st.sampled_from(pairs), max_size=50, unique=True)) if pairs else []
    codes = [f"K{i}" for i in range(n)]
    path = [c for c in codes if draw(st.booleans())]
    return SkillWeb(
        [skill(c) for c in codes],
        [(codes[a], codes[b]) for a, b in edges],
        path,
        path[-1:] or codes[-1:],
        False,
    )


@settings(max_examples=60, deadline=None)
@given(webs())
def test_every_arrow_points_right_and_no_boxes_overlap(web: SkillWeb) -> None:
    m = layout(web)
    where = {n.code: n for n in m.nodes}
    assert set(where) == {s.code for s in web.skills}
    for a, b in web.edges:
        assert where[a].x + NODE_W < where[b].x
    boxes = sorted((n.x, n.y) for n in m.nodes)
    for (x1, y1), (x2, y2) in itertools.pairwise(boxes):
        assert x1 != x2 or y2 - y1 >= NODE_H
    assert all(
        n.x >= 0 and n.x + NODE_W <= m.width and n.y >= 0 and n.y + NODE_H <= m.height for n in m.nodes
    )
