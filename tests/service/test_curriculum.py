"""Importing CASE frameworks and progressions, on the real files in ../shared/fixtures/case.

The Common Core Math export and its progressions are imported once per backend for the module (the
``ccss`` fixture); tests that change data use the small "What Standards Could Be" framework instead.
"""

from __future__ import annotations

import copy
import json
import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from learnpath.core.items import Choice, Item
from learnpath.errors import ConflictError, GraphCycleError, PermissionDeniedError, ValidationError
from learnpath.service import learning
from learnpath.service.access import Actor
from learnpath.service.catalog import load_catalog
from learnpath.service.content import SkillSpec, add_items, add_skills
from learnpath.service.context import ServiceContext
from learnpath.service.curriculum import SYSTEM, ImportReport, import_case, import_progressions
from learnpath.service.roster import add_school, add_user
from learnpath.storage.tables import (
    AttemptRow,
    FrameworkAssociation,
    MasteryRow,
    SkillEdge,
    SkillRow,
)
from learnpath.storage.tables import Framework as FrameworkRow
from learnpath.testing.databases import backends, migrated_context, scratch_database

REPO = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("LEARNPATH_SHARED_DIR", REPO.parent / "shared"))
CASE = SHARED / "fixtures" / "case"
CCSS = CASE / "opensalt" / "ccss-math_asn-D10003FB_draft-case.json"
WSCB = CASE / "opensalt" / "what-standards-could-be_20c5134f.json"
LP = CASE / "learning-progressions"
ATC = LP / "atc-coherence-map" / "edges_googlesheet_feed.json"
ZIMBA = LP / "zimba-graph-jeffbaumes" / "GraphData-EdgesOnly-Grade-00-08-2011-06-01-cleaned_EdgeSet.csv"
FLY = LP / "flywheelmath-ccssm" / "json" / "ccssm-dependencies.json"
P = "CCSS.Math.Content."

pytestmark = pytest.mark.skipif(
    not CASE.is_dir(), reason=f"CASE fixtures not found at {CASE} (set LEARNPATH_SHARED_DIR)"
)


@pytest.fixture(scope="module", params=backends())
def ccss(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """Common Core Math, then the Coherence Map, Zimba's edges and the flywheel dependencies."""
    with (
        scratch_database(request.param, tmp_path_factory.mktemp("ccss")) as url,
        migrated_context(url) as ctx,
    ):
        reports = {
            "dry": import_case(ctx, SYSTEM, CCSS, dry_run=True),
            "case": import_case(ctx, SYSTEM, CCSS),
            "atc": import_progressions(ctx, SYSTEM, ATC),
            "zimba": import_progressions(ctx, SYSTEM, ZIMBA),
            "fly": import_progressions(ctx, SYSTEM, FLY),
        }
        yield ctx, reports


def test_common_core_math_yields_its_703_standards(ccss: Any) -> None:
    ctx, reports = ccss
    report: ImportReport = reports["case"]
    assert (report.skills, report.edges) == (703, 0)
    assert report.counts()["added"] == 703 + 703  # items and isChildOf associations
    assert report.extra["shape"] == "draft" and report.extra["association_types"] == {"isChildOf": 703}
    assert any("pre-1.0 draft fields" in w for w in report.warnings)
    with ctx.unit() as s:
        fw = s.scalars(select(FrameworkRow)).one()
        assert fw.identifier == "http://purl.org/ASN/resources/D10003FB" and fw.shape == "draft"
        skills = list(s.scalars(select(SkillRow).order_by(SkillRow.position)))
        assert len(skills) == 703
        assert sum(sk.code.startswith("CCSS.Math.") for sk in skills) == 664
        by_code = {sk.code: sk for sk in skills}
        standard = by_code[P + "3.OA.C.7"]
        assert (standard.item_type, standard.grade, standard.domain) == (
            "Standard",
            3,
            "Operations and Algebraic Thinking",
        )
        assert standard.description.startswith("Fluently multiply and divide within 100")
        # the hierarchy: a cluster sits right before its first standard, one level up
        cluster = by_code[P + "3.OA.C"]
        assert cluster.depth + 1 == standard.depth and cluster.position < standard.position
        assert skills[0].depth == 0
        n_assoc = s.scalar(
            select(func.count()).select_from(FrameworkAssociation).where(FrameworkAssociation.source == "")
        )
        assert n_assoc == 703


def test_dry_run_reported_exactly_what_the_real_run_did(ccss: Any) -> None:
    _, reports = ccss
    dry, real = reports["dry"], reports["case"]
    assert dry.dry_run and not real.dry_run
    assert (dry.added, dry.changed, dry.removed, dry.skills) == (
        real.added,
        real.changed,
        real.removed,
        real.skills,
    )


def test_coherence_map_edges_attach_and_form_a_dag(ccss: Any) -> None:
    ctx, reports = ccss
    atc: ImportReport = reports["atc"]
    assert atc.edges == 455 and atc.extra["association_types"] == {"precedes": 455, "isRelatedTo": 84}
    assert atc.extra["edges_read"] == 542 and atc.extra["dropped"] == 2
    # the one edge naming per-grade domains is reported with its codes, file and place
    unknown = [w for w in atc.warnings if "unknown code" in w]
    assert [w.split("unknown code ")[1].split()[0] for w in unknown] == ["'0.OA'", "'1.OA'", "'2.OA'"]
    assert all(w.startswith(f"{ATC}:1:") and "feed.entry[40]" in w for w in unknown)
    zimba: ImportReport = reports["zimba"]  # the same edges: nothing new
    assert zimba.edges == 455 and any(f"{ZIMBA}:42 (row 42)" in w for w in zimba.warnings)
    fly: ImportReport = reports["fly"]
    assert fly.edges == 737 and fly.extra["unknown_codes"] == 0
    with ctx.unit() as s:
        catalog = load_catalog(s)  # builds the SkillGraph: a DAG or it raises
        assert len(catalog.graph.edges) == 737
        assert s.scalar(select(func.count()).select_from(SkillEdge)) == 737
        assert P + "K.CC.A.1" in catalog.graph.ancestors(P + "1.NBT.A.1")
        assert P + "3.OA.C.7" in catalog.graph.ancestors(P + "4.OA.A.1") or catalog.graph.prerequisites(
            P + "4.OA.A.1"
        )


def test_reimporting_the_same_files_changes_nothing(ccss: Any) -> None:
    ctx, _ = ccss
    again = import_case(ctx, SYSTEM, CCSS, dry_run=True)
    assert (again.added, again.changed, again.removed) == ((), (), ())
    assert again.edges == 737  # the progressions stay attached
    prog = import_progressions(ctx, SYSTEM, ATC, dry_run=True)
    assert (prog.added, prog.changed, prog.removed, prog.edges) == ((), (), (), 737)


def test_a_second_framework_with_the_same_codes_gets_qualified_codes(ccss: Any) -> None:
    ctx, _ = ccss
    report = import_case(ctx, SYSTEM, WSCB, dry_run=True)
    assert report.skills == 16 and report.edges == 3
    clash = [w for w in report.warnings if "already used by another skill" in w]
    assert len(clash) == 16 and f"'{P}6.RP.A.1@" in " ".join(clash)


# ---------------------------------------------------------------- changes, on a small framework


def _package(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(WSCB.read_text(encoding="utf-8"))
    return {**copy.deepcopy(data), **changes}


def _write(tmp_path: Path, data: Any, name: str = "framework.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data) if not isinstance(data, str) else data, encoding="utf-8")
    return path


def _snapshot(ctx: ServiceContext) -> dict[str, Any]:
    with ctx.unit() as s:
        return {
            "frameworks": [(f.identifier, f.title, f.shape) for f in s.scalars(select(FrameworkRow))],
            "skills": sorted((k.id, k.code, k.name) for k in s.scalars(select(SkillRow))),
            "edges": sorted(s.execute(select(SkillEdge.prerequisite_id, SkillEdge.skill_id))),
            "assocs": sorted(s.execute(select(FrameworkAssociation.identifier, FrameworkAssociation.source))),
            "mastery": sorted(
                s.execute(select(MasteryRow.learner_id, MasteryRow.skill_id, MasteryRow.p_mastery))
            ),
        }


def test_small_framework_keeps_every_association_and_makes_precedes_edges(ctx: ServiceContext) -> None:
    report = import_case(ctx, SYSTEM, WSCB)
    assert (report.skills, report.edges, report.extra["shape"]) == (16, 3, "1.0")
    assert report.extra["association_types"] == {
        "exactMatchOf": 16,
        "isChildOf": 16,
        "precedes": 3,
        "exemplar": 2,
        "isRelatedTo": 2,
    }
    with ctx.unit() as s:
        code = dict(s.execute(select(SkillRow.id, SkillRow.code)).all())
        edges = {
            (code[a], code[b]) for a, b in s.execute(select(SkillEdge.prerequisite_id, SkillEdge.skill_id))
        }
        assert edges == {
            (P + "6.RP.A.1", P + "6.RP.A.2"),
            (P + "6.RP.A.2", P + "7.RP.A.1"),
            (P + "6.RP.A.3", P + "7.RP.A.3"),
        }
        exemplars = s.scalars(
            select(FrameworkAssociation).where(FrameworkAssociation.association_type == "exemplar")
        ).all()
        assert len(exemplars) == 2 and all(e.details["destination_uri"].startswith("http") for e in exemplars)
        rows = s.scalars(
            select(FrameworkAssociation).where(FrameworkAssociation.association_type == "isChildOf")
        )
        assert all(r.details["sequence_number"] == r.sequence_number for r in rows)


def _learner_with_mastery(ctx: ServiceContext, codes: list[str]) -> tuple[Actor, dict[str, int]]:
    """A learner who answered one item on each of ``codes`` (right), so mastery rows exist."""
    with ctx.unit() as s:
        school = add_school(s, "Test school")
        learner = add_user(s, ctx, school.id, "kid", "Kid", "learner", password_hash="x")
        actor = Actor.of(learner)
        items = [
            Item(f"I-{i}", "choice", "Pick a", (c,), choices=(Choice("a", "A"), Choice("b", "B")), answer="a")
            for i, c in enumerate(codes)
        ]
        ids = add_items(s, items)
    for item_id in ids.values():
        learning.record_attempt(ctx, actor, actor.user_id, item_id, "a")
    return actor, ids


def test_reimporting_a_newer_version_updates_in_place_and_keeps_mastery(
    ctx: ServiceContext, tmp_path: Path
) -> None:
    import_case(ctx, SYSTEM, WSCB)
    kept, edited, dropped = P + "6.RP.A.1", P + "6.RP.A.2", P + "7.RP.A.2d"
    actor, _ = _learner_with_mastery(ctx, [kept, edited, dropped])
    before = _snapshot(ctx)
    with ctx.unit() as s:
        ids = dict(s.execute(select(SkillRow.code, SkillRow.id)).all())
        n_mastery = {m.skill_id: (m.p_mastery, m.n_attempts) for m in s.scalars(select(MasteryRow))}
    assert {ids[kept], ids[edited], ids[dropped]} <= set(n_mastery)

    data = _package()
    gone = next(i for i in data["CFItems"] if i["humanCodingScheme"] == dropped)
    data["CFItems"].remove(gone)
    data["CFAssociations"] = [
        a
        for a in data["CFAssociations"]
        if gone["identifier"] not in (a["originNodeURI"]["identifier"], a["destinationNodeURI"]["identifier"])
    ]
    target = next(i for i in data["CFItems"] if i["humanCodingScheme"] == edited)
    target["fullStatement"] = "Understand the concept of a unit rate (revised)."
    new_item = copy.deepcopy(target)
    new_item.update(
        identifier=str(uuid.uuid4()), humanCodingScheme=P + "6.RP.A.4", fullStatement="A new one."
    )
    data["CFItems"].append(new_item)
    path = _write(tmp_path, data)

    dry = import_case(ctx, SYSTEM, path, dry_run=True)
    assert _snapshot(ctx) == before  # a dry run writes nothing
    report = import_case(ctx, SYSTEM, path)
    assert (len(report.added), len(report.changed), len(report.removed)) == (
        len(dry.added),
        len(dry.changed),
        len(dry.removed),
    )
    assert [a for a in report.added if a.startswith("skill")] == [
        f"skill {P}6.RP.A.4 ({new_item['identifier']})"
    ]
    assert [c for c in report.changed if c.startswith("skill")] == [
        f"skill {edited} ({target['identifier']})"
    ]
    assert any(r.startswith(f"skill {dropped}") for r in report.removed)
    with ctx.unit() as s:
        after_ids = dict(s.execute(select(SkillRow.code, SkillRow.id)).all())
        mastery = {m.skill_id: (m.p_mastery, m.n_attempts) for m in s.scalars(select(MasteryRow))}
        assert after_ids[kept] == ids[kept] and after_ids[edited] == ids[edited]  # same rows
        assert mastery[ids[kept]] == n_mastery[ids[kept]] and mastery[ids[edited]] == n_mastery[ids[edited]]
        assert ids[dropped] not in mastery and dropped not in after_ids
        assert s.get(SkillRow, ids[edited]).description.endswith("(revised).")  # type: ignore[union-attr]
        assert s.scalar(select(func.count()).select_from(AttemptRow)) == 3  # attempts are facts: all kept
    # practice goes on with the kept mastery
    progress = learning.learner_progress(ctx, actor, actor.user_id)
    assert {p.code: p.n_attempts for p in progress.skills}[kept] == 1


def test_access_only_admins_and_the_system_import(ctx: ServiceContext, tmp_path: Path) -> None:
    with ctx.unit() as s:
        school = add_school(s, "S")
        users = {
            r: add_user(s, ctx, school.id, r, r, r, password_hash="x")
            for r in ("admin", "teacher", "learner", "family")
        }
        actors = {r: Actor.of(u) for r, u in users.items()}
    for role in ("teacher", "learner", "family"):
        with pytest.raises(PermissionDeniedError):
            import_case(ctx, actors[role], WSCB)
        with pytest.raises(PermissionDeniedError):
            import_progressions(ctx, actors[role], ATC)
    assert _snapshot(ctx)["skills"] == []
    assert import_case(ctx, actors["admin"], WSCB, dry_run=True).skills == 16


def test_a_framework_we_did_not_import_is_not_overwritten(ctx: ServiceContext, tmp_path: Path) -> None:
    data = _package()
    with ctx.unit() as s:
        add_skills(s, data["CFDocument"]["identifier"], "Ours", [SkillSpec("OWN", "Own skill")], [])
    before = _snapshot(ctx)
    with pytest.raises(ConflictError, match="was not imported from CASE"):
        import_case(ctx, SYSTEM, WSCB)
    assert _snapshot(ctx) == before


# ---------------------------------------------------------------- bad input: clear errors, nothing written


def _edit(data: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    keys = path.split(".")
    target: Any = data
    for k in keys[:-1]:
        target = target[int(k)] if isinstance(target, list) else target[k]
    if value is KeyError:
        del target[keys[-1]]
    else:
        target[keys[-1]] = value
    return data


DUP = "b6f61076-aa12-450b-8f9d-b86bc071f85e"
BAD: dict[str, tuple[Any, str, str]] = {  # name: (make the file's content, field contains, message contains)
    "malformed-json": (lambda: '{"CFDocument": {"identifier": "x",', ":1:", "Expecting"),
    "no-document": (lambda: {"CFItems": []}, ":CFDocument", "found none"),
    "not-an-object": (lambda: [1, 2], ":$", "CFPackage object"),
    "missing-id": (lambda: _edit(_package(), "CFItems.3.identifier", KeyError), ":CFItems[3].identifier", ""),
    "wrong-type": (
        lambda: _edit(_package(), "CFItems.2.fullStatement", 7),
        ":CFItems[2].fullStatement",
        "number 7",
    ),
    "duplicate-id": (lambda: _edit(_package(), "CFItems.5.identifier", DUP), ":CFItems[5].identifier", DUP),
    "no-origin": (
        lambda: _edit(_package(), "CFAssociations.0.originNodeURI", None),
        ":CFAssociations[0].originNodeURI",
        "origin",
    ),
}


def test_bad_packages_name_file_and_field_and_write_nothing(ctx: ServiceContext, tmp_path: Path) -> None:
    import_case(ctx, SYSTEM, WSCB)
    before = _snapshot(ctx)
    for name, (make, field, message) in BAD.items():
        path = _write(tmp_path, make(), f"{name}.json")
        with pytest.raises(ValidationError) as err:
            import_case(ctx, SYSTEM, path)
        found = [e for e in err.value.errors if e.field.startswith(str(path)) and field in e.field]
        assert found and message in found[0].message, (name, err.value.errors)
        assert str(path) in err.value.message, name
        assert _snapshot(ctx) == before, name


def test_progression_cycle_is_refused_with_its_skills_and_lines(ctx: ServiceContext, tmp_path: Path) -> None:
    import_case(ctx, SYSTEM, WSCB)
    before = _snapshot(ctx)
    csv = "source,target,relationship\n6.RP.A.3,6.RP.A.3a,dependency\n7.RP.A.3,6.RP.A.3,dependency\n"
    path = _write(tmp_path, csv, "cycle.csv")
    with pytest.raises(GraphCycleError) as err:
        import_progressions(ctx, SYSTEM, path)
    assert set(err.value.cycle) == {P + "6.RP.A.3", P + "7.RP.A.3"}
    assert any(f"{path}:3 (row 3)" in e.message for e in err.value.errors)
    assert _snapshot(ctx) == before


def test_unknown_codes_are_reported_with_code_and_line(ctx: ServiceContext, tmp_path: Path) -> None:
    import_case(ctx, SYSTEM, WSCB)
    csv = "source,target,relationship\n6.RP.A.1,6.RP.A.3,dependency\n6.RP.A.3,9.ZZ.A.1,dependency\n"
    path = _write(tmp_path, csv, "edges.csv")
    before = _snapshot(ctx)
    with pytest.raises(ValidationError) as err:
        import_progressions(ctx, SYSTEM, path, strict=True)
    assert [e.field for e in err.value.errors] == [f"{path}:3 (row 3)"]
    assert "'9.ZZ.A.1'" in err.value.errors[0].message
    assert _snapshot(ctx) == before
    report = import_progressions(ctx, SYSTEM, path)
    assert report.edges == 4 and len(report.added) == 1
    assert report.warnings == (
        f"{path}:3 (row 3): unknown code '9.ZZ.A.1' (normalised '9.ZZ.1') in edge 6.RP.A.3 -> 9.ZZ.A.1",
    )
    # re-importing a shorter file removes what it no longer lists
    path.write_text("source,target,relationship\n", encoding="utf-8")
    assert len(import_progressions(ctx, SYSTEM, path).removed) == 1


def test_progressions_need_a_framework(ctx: ServiceContext) -> None:
    with pytest.raises(ValidationError, match="no CASE framework is imported yet"):
        import_progressions(ctx, SYSTEM, FLY)
    import_case(ctx, SYSTEM, WSCB)
    with pytest.raises(Exception, match="no imported CASE framework 'nope'"):
        import_progressions(ctx, SYSTEM, FLY, framework="nope")
