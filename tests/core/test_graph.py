from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from learnpath.core.graph import SkillGraph, find_cycle
from learnpath.errors import GraphCycleError, ValidationError


def test_cycle_is_rejected_and_named() -> None:
    with pytest.raises(GraphCycleError) as err:
        SkillGraph.build(["a", "b", "c", "d"], [("a", "b"), ("b", "c"), ("c", "a"), ("c", "d")])
    assert err.value.cycle == ["a", "b", "c"]
    assert "a -> b -> c -> a" in str(err.value)


def test_self_loop_is_a_cycle() -> None:
    with pytest.raises(GraphCycleError):
        SkillGraph.build(["a"], [("a", "a")])


def test_unknown_skills_are_all_reported() -> None:
    with pytest.raises(ValidationError) as err:
        SkillGraph.build(["a"], [("a", "x"), ("y", "a")])
    assert len(err.value.errors) == 2
    assert "'x'" in err.value.errors[0].message


def test_ready_ancestors_depth() -> None:
    g = SkillGraph.build(
        ["add", "sub", "mul", "div"], [("add", "sub"), ("add", "mul"), ("mul", "div"), ("sub", "div")]
    )
    assert g.ready(set()) == ["add"]
    assert g.ready({"add"}) == ["sub", "mul"]
    assert g.ready({"add", "mul"}) == ["sub"]
    assert g.ancestors("div") == {"add", "sub", "mul"}
    assert g.depth() == {"add": 0, "sub": 1, "mul": 1, "div": 2}
    assert g.dependents("add") == ("sub", "mul")


@st.composite
def dags(draw: st.DrawFn) -> tuple[list[int], list[tuple[int, int]]]:
    n = draw(st.integers(1, 12))
    pairs = [(a, b) for a in range(n) for b in range(a + 1, n)]
    edges = draw(st.lists(st.sampled_from(pairs), unique=True)) if pairs else []
    order = draw(st.permutations(list(range(n))))
    return order, edges


@given(dags())
def test_topological_order_respects_every_edge(dag: tuple[list[int], list[tuple[int, int]]]) -> None:
    nodes, edges = dag
    g = SkillGraph.build(nodes, edges)
    pos = {s: i for i, s in enumerate(g.topological_order())}
    assert sorted(pos) == sorted(nodes)
    assert all(pos[a] < pos[b] for a, b in edges)


@given(dags(), st.data())
def test_adding_a_back_edge_makes_a_cycle(
    dag: tuple[list[int], list[tuple[int, int]]], data: st.DataObject
) -> None:
    nodes, edges = dag
    if not edges:
        return
    a, b = data.draw(st.sampled_from(edges))
    cycle = find_cycle(nodes, [*edges, (b, a)])
    assert cycle is not None and a in cycle and b in cycle
