"""Progression edge lists (ATC Coherence Map, Zimba, flywheelmath) mapped onto the CCSS Math framework."""

from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from learnpath.core.framework import Framework
from learnpath.errors import GraphCycleError, ValidationError
from learnpath.interop.case import read_case
from learnpath.interop.progressions import (
    code_index,
    expand_codes,
    map_progression,
    normalise_code,
    progression_graph,
    read_progression,
)

REPO = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("LEARNPATH_SHARED_DIR", REPO.parent / "shared"))
CASE = SHARED / "fixtures" / "case"
LP = CASE / "learning-progressions"
ATC = LP / "atc-coherence-map" / "edges_googlesheet_feed.json"
ZIMBA = LP / "zimba-graph-jeffbaumes" / "GraphData-EdgesOnly-Grade-00-08-2011-06-01-cleaned_EdgeSet.csv"
FLY_JSON = LP / "flywheelmath-ccssm" / "json" / "ccssm-dependencies.json"
FLY_CSV = LP / "flywheelmath-ccssm" / "csv" / "ccssm-dependencies.csv"
P = "CCSS.Math.Content."


@pytest.fixture(scope="module")
def ccss() -> Framework:
    path = CASE / "opensalt" / "ccss-math_asn-D10003FB_draft-case.json"
    if not path.is_file() or not LP.is_dir():
        pytest.skip(f"CASE fixtures not found under {CASE} (set LEARNPATH_SHARED_DIR)")
    return read_case(path).framework


def codes(fw: Framework, pairs: object) -> set[tuple[str | None, str | None]]:
    return {(fw.item(o).code, fw.item(d).code) for o, d in pairs}  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ("CCSS.Math.Content.3.OA.C.7", "3.OA.7"),
        ("3.OA.C.7", "3.OA.7"),
        ("3.OA.7", "3.OA.7"),
        ("4.NF.B.3.a", "4.NF.3.A"),
        ("CCSS.Math.Content.4.NF.B.3a", "4.NF.3.A"),
        ("4.NF.3.c||no mixed numbers", "4.NF.3.C"),
        ("0.CC.1||to 20", "K.CC.1"),
        ("K.CC.A.1", "K.CC.1"),
        ("K.CC.A", "K.CC.A"),
        ("HSA.REI.D.10", "A.REI.10"),
        ("CCSS.Math.Content.HSA-REI.D.10", "A.REI.10"),
        ("A-REI.D.10", "A.REI.10"),
        ("CCSS.Math.Content.HSA-REI.B", "A.REI.B"),
        ("CCSS.Math.Practice.MP8", "MP.8"),
        ("MP.8", "MP.8"),
        (" 03.ee.a.1 ", "3.EE.1"),
    ],
)
def test_normalise_code(raw: str, key: str) -> None:
    assert normalise_code(raw) == key


@given(
    grade=st.sampled_from(["K", "1", "5", "8"]),
    domain=st.sampled_from(["OA", "NBT", "NF", "G"]),
    cluster=st.sampled_from("ABCD"),
    number=st.integers(1, 12),
    part=st.sampled_from(["", "a", "c"]),
)
def test_spellings_of_one_standard_meet(
    grade: str, domain: str, cluster: str, number: int, part: str
) -> None:
    zimba_grade = "0" if grade == "K" else grade
    spellings = [
        f"CCSS.Math.Content.{grade}.{domain}.{cluster}.{number}{part}",
        f"{grade}.{domain}.{cluster}.{number}{'.' + part if part else ''}",
        f"{zimba_grade}.{domain}.{number}{'.' + part if part else ''}||some qualifier",
    ]
    keys = {normalise_code(s) for s in spellings}
    assert len(keys) == 1
    key = keys.pop()
    assert normalise_code(key) == key


def test_expand_codes() -> None:
    assert expand_codes("4.NF.3.a,b,c") == ("4.NF.3.a", "4.NF.3.b", "4.NF.3.c")
    assert expand_codes("3.OA.1,2;4.OA.1,2") == ("3.OA.1", "3.OA.2", "4.OA.1", "4.OA.2")
    assert expand_codes("2.OA.1||no two-step; harder types") == ("2.OA.1",)
    assert expand_codes("0.G.1,2") == ("0.G.1", "0.G.2")


def test_atc_standard_codes_map_one_to_one(ccss: Framework) -> None:
    data = json.loads((LP / "atc-coherence-map" / "standards.json").read_text(encoding="utf-8"))
    index, ambiguous = code_index(ccss)
    assert ambiguous == () and len(index) == 664
    mapped = {index.get(normalise_code(m["id"])) for m in data["math"]}
    assert len(data["math"]) == 664 and None not in mapped and len(mapped) == 664


@pytest.mark.parametrize(("path", "fmt"), [(ATC, "atc"), (ZIMBA, "zimba")])
def test_coherence_map_edges(ccss: Framework, path: Path, fmt: str) -> None:
    prog = read_progression(path)
    assert prog.format == fmt and len(prog.edges) == 542
    assert Counter(e.relation for e in prog.edges) == {"precedes": 452, "isRelatedTo": 90}
    m = map_progression(ccss, prog)
    assert m.pairs == 585  # code lists such as 4.NF.3.a,b,c expanded
    assert m.count_by_type() == {"precedes": 457, "isRelatedTo": 84}
    assert len(m.self_loops) == 29  # e.g. 0.CC.1||to 20 -> 0.CC.1
    # the only unknown codes are the per-grade domains of "0.OA;1.OA;2.OA -> 5.OA.2"
    assert [u.code for u in m.unknown] == ["0.OA", "1.OA", "2.OA"]
    (edge,) = m.unknown_edges()
    where = "1:" if fmt == "atc" else "42 (row 42)"
    assert f"{path}:{where}" in str(m.unknown[0])
    assert edge.begin == "0.OA;1.OA;2.OA"
    # the edge set is not a DAG once grouped nodes are expanded: K.G.1,2 -> K.G.3,4 and K.G.3,4 -> K.G.2
    with pytest.raises(GraphCycleError) as err:
        progression_graph(ccss, m)
    assert set(err.value.cycle) == {P + "K.G.A.2", P + "K.G.A.3"}
    lines = " ".join(e.message for e in err.value.errors)
    assert str(path) in lines
    assert ("(row 19)" in lines and "(row 22)" in lines) or (
        "feed.entry[17]" in lines and "feed.entry[20]" in lines
    )
    broken = map_progression(ccss, prog, break_group_cycles=True)
    assert codes(ccss, [(o, d) for o, d, _ in broken.dropped]) == {
        (P + "K.G.A.3", P + "K.G.A.2"),
        (P + "K.G.B.4", P + "K.G.A.2"),
    }
    assert any("would close a cycle" in w for w in broken.warnings())
    graph = progression_graph(ccss, broken)
    assert len(graph.edges) == 455


def test_atc_and_zimba_give_the_same_associations(ccss: Framework) -> None:
    a = map_progression(ccss, read_progression(ATC)).associations
    z = map_progression(ccss, read_progression(ZIMBA)).associations
    assert a == z  # same edge set, and identifiers are stable


def test_flywheel_dependencies(ccss: Framework) -> None:
    j, c = read_progression(FLY_JSON), read_progression(FLY_CSV)
    assert (j.format, c.format) == ("flywheel", "flywheel")
    assert j.edges[0].where == f"{FLY_JSON}:3:5 (dependencies[0])"
    assert c.edges[0].where == f"{FLY_CSV}:2 (row 2)"
    m = map_progression(ccss, j)
    assert (m.edges_read, m.pairs) == (873, 873)
    assert m.count_by_type() == {"precedes": 729, "isRelatedTo": 144}
    assert m.unknown == () and m.self_loops == ()
    assert map_progression(ccss, c).associations == m.associations
    graph = progression_graph(ccss, m)  # a DAG, high school included
    assert len(graph.edges) == 729
    by_code = ccss.by_code()
    assert by_code[P + "K.CC.A.1"].identifier in graph.ancestors(by_code[P + "1.NBT.A.1"].identifier)
    hs = by_code[P + "HSA-REI.D.10"].identifier
    assert graph.prerequisites(hs) or graph.dependents(hs)


def test_all_progressions_together(ccss: Framework) -> None:
    maps = [
        map_progression(ccss, read_progression(p), break_group_cycles=True) for p in (ATC, ZIMBA, FLY_JSON)
    ]
    graph = progression_graph(ccss, *maps)
    assert len(graph.edges) == 737
    merged = ccss.with_associations({a.identifier: a for m in maps for a in m.associations}.values())
    assert merged.count_by_type()["precedes"] == 737


# -- malformed and synthetic inputs -------------------------------------------------------------


def test_unknown_format_and_bad_relation(tmp_path: Path) -> None:
    bad = tmp_path / "edges.csv"
    bad.write_text("from,to\nK.CC.1,K.CC.2\n", encoding="utf-8")
    with pytest.raises(ValidationError, match="expected a header"):
        read_progression(bad)
    bad.write_text("source,target,relationship\nK.CC.A.1,K.CC.A.2,dependency\nK.CC.A.2,K.CC.A.3,maybe\n")
    with pytest.raises(ValidationError) as err:
        read_progression(bad)
    assert err.value.errors[0].field == f"{bad}:3.relationship"
    assert "'maybe'" in err.value.errors[0].message
    js = tmp_path / "edges.json"
    js.write_text(
        '{"dependencies": [\n  {"source": "K.CC.A.1", "target": 7, "relationship": "dependency"}\n]}'
    )
    with pytest.raises(ValidationError) as err:
        read_progression(js)
    assert err.value.errors[0].field == f"{js}:2:3"
    js.write_text('{"edges": []}')
    with pytest.raises(ValidationError, match="found neither"):
        read_progression(js)


def test_unknown_code_and_cycle_are_reported_with_lines(tmp_path: Path, ccss: Framework) -> None:
    f = tmp_path / "mine.csv"
    f.write_text(
        "source,target,relationship\n"
        "3.OA.C.7,4.OA.A.1,dependency\n"
        "4.OA.A.1,9.ZZ.1,dependency\n"
        "4.OA.A.1,3.OA.7,dependency\n",
        encoding="utf-8",
    )
    m = map_progression(ccss, read_progression(f))
    assert [(u.code, u.edge.line) for u in m.unknown] == [("9.ZZ.1", 3)]
    assert f"{f}:3 (row 3): unknown code '9.ZZ.1'" in m.warnings()[0]
    with pytest.raises(GraphCycleError) as err:
        progression_graph(ccss, m)
    assert set(err.value.cycle) == {P + "3.OA.C.7", P + "4.OA.A.1"}
    messages = [e.message for e in err.value.errors]
    assert any(f"{f}:2 (row 2)" in msg for msg in messages)
    assert any(f"{f}:4 (row 4)" in msg for msg in messages)
