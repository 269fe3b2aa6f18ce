from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from learnpath.core.framework import (
    Association,
    Framework,
    FrameworkDocument,
    FrameworkItem,
    apply_diff,
    diff,
)
from learnpath.errors import GraphCycleError, ValidationError

DOC = FrameworkDocument("doc", "Test framework", creator="tests")


def item(ident: str, code: str | None = None, **kw: object) -> FrameworkItem:
    return FrameworkItem(ident, f"statement {ident}", code=code or ident.upper(), **kw)  # type: ignore[arg-type]


def child(ident: str, origin: str, dest: str = "doc", seq: int | None = None) -> Association:
    return Association(ident, "isChildOf", origin, dest, sequence_number=seq)


def small() -> Framework:
    items = [item("a"), item("b"), item("a1"), item("a2"), item("b1")]
    assocs = [
        child("c1", "a", seq=2),
        child("c2", "b", seq=1),
        child("c3", "a1", "a"),
        child("c4", "a2", "a"),
        child("c5", "b1", "b"),
        Association("p1", "precedes", "a1", "a2"),
        Association("p2", "precedes", "a2", "b1"),
        Association("x1", "exemplar", "a1", "ext-task", destination_uri="https://example.org/task/1"),
    ]
    return Framework.build(DOC, items, assocs)


def test_hierarchy_respects_sequence_numbers_then_input_order() -> None:
    fw = small()
    assert [c.identifier for c in fw.children()] == ["b", "a"]
    assert [c.identifier for c in fw.children("a")] == ["a1", "a2"]
    assert [(d, it.identifier) for d, it in fw.walk()] == [
        (0, "b"),
        (1, "b1"),
        (0, "a"),
        (1, "a1"),
        (1, "a2"),
    ]
    assert fw.parents("a1") == ("a",) and fw.parents("a") == ("doc",)
    assert fw.orphans() == ()
    assert fw.count_by_type() == {"isChildOf": 5, "precedes": 2, "exemplar": 1}
    assert [a.identifier for a in fw.external_references()] == ["x1"]


def test_precedes_become_prerequisite_edges_and_a_dag() -> None:
    fw = small()
    assert fw.prerequisite_edges() == (("a1", "a2"), ("a2", "b1"))
    g = fw.skill_graph()
    assert g.ancestors("b1") == {"a1", "a2"}
    assert g.topological_order().index("a1") < g.topological_order().index("b1")


def test_external_precedes_resolves_through_exact_match() -> None:
    fw = small().with_associations(
        [
            Association("m1", "exactMatchOf", "b1", "official-b1", destination_uri="https://case/b1"),
            Association("p3", "precedes", "a", "official-b1", destination_uri="https://case/b1"),
            Association("p4", "precedes", "a", "elsewhere", destination_uri="https://case/zz"),
        ]
    )
    assert ("a", "b1") in fw.prerequisite_edges()
    assert [a.identifier for a in fw.unresolved_prerequisites()] == ["p4"]


def test_a_prerequisite_cycle_names_the_skills_by_code() -> None:
    fw = small().with_associations([Association("p9", "precedes", "b1", "a1")])
    with pytest.raises(GraphCycleError) as err:
        fw.skill_graph()
    assert set(err.value.cycle) == {"A1", "A2", "B1"}


def test_every_reference_problem_is_reported_with_its_place() -> None:
    with pytest.raises(ValidationError) as err:
        Framework.build(
            DOC,
            [item("a"), item("a"), item("b")],
            [
                child("c1", "a"),
                child("c2", "b", "nowhere"),
                child("c1", "b"),
                Association("p", "precedes", "a", "ghost"),
                Association("q", "isRelatedTo", "ghost1", "ghost2", origin_uri="u", destination_uri="v"),
            ],
        )
    fields = {e.field: e.message for e in err.value.errors}
    assert "duplicate identifier 'a'" in fields["items[1].identifier"]
    assert "'nowhere'" in fields["associations[1].destination"]
    assert "already used by associations[0]" in fields["associations[2].identifier"]
    assert "unknown identifier 'ghost'" in fields["associations[3].destination"]
    assert "neither origin 'ghost1' nor destination 'ghost2'" in fields["associations[4]"]


def test_hierarchy_cycle_is_refused() -> None:
    with pytest.raises(ValidationError, match="isChildOf hierarchy has a cycle"):
        Framework.build(DOC, [item("a"), item("b")], [child("c1", "a", "b"), child("c2", "b", "a")])


def test_times_must_be_aware_and_are_kept_in_utc() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        item("a", last_change=datetime(2020, 1, 1))
    it = item("a", last_change=datetime(2020, 1, 1, tzinfo=UTC))
    assert it.last_change is not None and it.last_change.tzinfo is UTC


def test_dict_round_trip() -> None:
    fw = small().with_associations([])
    fw2 = Framework.from_dict(fw.to_dict())
    assert fw2 == fw
    assert diff(fw, fw2).is_empty


def test_diff_by_identifier() -> None:
    old = small()
    new = Framework.build(
        DOC,
        [item("a"), FrameworkItem("b", "reworded", code="B"), item("a1"), item("a2"), item("c")],
        [
            *(a for a in old.associations if a.identifier not in {"c5", "p2"}),
            child("c6", "c"),
        ],
    )
    d = diff(old, new)
    assert {x.identifier for x in d.added} == {"c", "c6"}
    assert {o.identifier for o, _ in d.changed} == {"b"}
    assert {x.identifier for x in d.removed} == {"b1", "c5", "p2"}
    assert d.counts() == {"added": 2, "changed": 1, "removed": 3}
    assert d.document is None


# -- property tests for diff ---------------------------------------------------------------

IDS = [f"i{n}" for n in range(8)]


@st.composite
def frameworks(draw: st.DrawFn) -> Framework:
    chosen = draw(st.lists(st.sampled_from(IDS), unique=True, max_size=len(IDS)))
    items = [
        FrameworkItem(
            i,
            draw(st.sampled_from(["count", "add", "compare"])),
            code=draw(st.sampled_from([None, f"K.CC.{i}", f"1.OA.{i}"])),
            education_levels=tuple(draw(st.lists(st.sampled_from(["KG", "01"]), max_size=2))),
        )
        for i in chosen
    ]
    assocs = [child(f"c-{i}", i, seq=draw(st.sampled_from([None, 1, 2]))) for i in chosen]
    for o in chosen:
        for d in chosen:
            if o < d and draw(st.booleans()):
                assocs.append(
                    Association(f"p-{o}-{d}", draw(st.sampled_from(["precedes", "isPeerOf"])), o, d)
                )
    title = draw(st.sampled_from(["Math", "Mathematics"]))
    return Framework.build(FrameworkDocument("doc", title), items, assocs)


def _by_id(fw: Framework) -> tuple[object, ...]:
    return (
        fw.document,
        {i.identifier: i for i in fw.items},
        {a.identifier: a for a in fw.associations},
    )


@given(frameworks())
@settings(max_examples=30, deadline=None)
def test_diff_of_a_framework_with_itself_is_empty(a: Framework) -> None:
    d = diff(a, a)
    assert d.is_empty and d.counts() == {"added": 0, "changed": 0, "removed": 0}


@given(frameworks(), frameworks())
@settings(max_examples=50, deadline=None)
def test_applying_the_diff_gives_the_new_version(a: Framework, b: Framework) -> None:
    d = diff(a, b)
    assert _by_id(apply_diff(a, d)) == _by_id(b)
    ids_a = {x.identifier for x in a.items} | {x.identifier for x in a.associations}
    ids_b = {x.identifier for x in b.items} | {x.identifier for x in b.associations}
    assert {x.identifier for x in d.added} == ids_b - ids_a
    assert {x.identifier for x in d.removed} == ids_a - ids_b
    assert all(o != n and o.identifier == n.identifier for o, n in d.changed)
