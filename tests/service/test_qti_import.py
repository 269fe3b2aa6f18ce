"""Importing QTI items into the database, on the real item banks in ../shared/fixtures/qti.

The sweep over the whole folder runs once per backend (module fixture) with its counts asserted;
the other tests import single packages into the tiny school.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from learnpath.errors import NotFoundError, PermissionDeniedError, ValidationError
from learnpath.service import learning
from learnpath.service.access import Actor
from learnpath.service.context import ServiceContext
from learnpath.service.curriculum import SYSTEM, import_case
from learnpath.service.qti_import import QtiReport, import_qti, item_media, media_urls, sniff_media_type
from learnpath.storage.tables import ItemMedia, ItemRow, ItemSkill, MasteryRow, MediaFile, SkillRow, User
from learnpath.testing.databases import backends, migrated_context, scratch_database
from learnpath.testing.school import TinySchool

REPO = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("LEARNPATH_SHARED_DIR", REPO.parent / "shared"))
QTI = SHARED / "fixtures" / "qti"
PACKAGING = QTI / "1edtech-qti-examples" / "qtiv3-examples" / "packaging"
VOCAB = QTI / "1edtech-qti-examples/qtiv3-examples/items/shared-vocabulary/shared-vocabulary-imsmanifest.zip"

pytestmark = pytest.mark.skipif(
    not QTI.is_dir(), reason=f"QTI fixtures not found at {QTI} (set LEARNPATH_SHARED_DIR)"
)

# The sweep over all of fixtures/qti (as tests/interop/test_qti.py counts it), stored in the database.
SWEEP = {
    "items": 483,
    "added": 483,
    "teacher_scored": 93,
    "unsupported_count": 255,
    "unsupported_by_interaction": {
        "associate": 10, "drawing": 4, "end-attempt": 27, "gap-match": 21, "graphic-associate": 8,
        "graphic-gap-match": 17, "graphic-order": 10, "hotspot": 22, "hottext": 17, "interaction-in-feedback": 28,
        "match": 23, "media": 3, "none": 6, "order": 23, "position-object": 7, "select-point": 9, "slider": 7,
        "upload": 15,
    },
}  # fmt: skip


@pytest.fixture(scope="module", params=backends())
def sweep(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    with (
        scratch_database(request.param, tmp_path_factory.mktemp("qti")) as url,
        migrated_context(url) as ctx,
    ):
        first = import_qti(ctx, SYSTEM, QTI)
        again = import_qti(ctx, SYSTEM, QTI)
        yield ctx, first, again


def test_the_sweep_imports_every_supported_item_and_lists_the_others(sweep: Any) -> None:
    ctx, first, _ = sweep
    counts = first.counts()
    assert {k: counts[k] for k in SWEEP} == SWEEP
    assert counts["aligned"] == 0 and counts["unaligned"] == 483  # no framework imported here
    assert {m.split(":")[0] for m in counts["malformed"]} == {
        "1edtech-qti-examples/qtiv3-examples/CAT/test.xml",
        "1edtech-qti-examples/qtiv3-examples/results/full-example.xml",
        "oat-qti-sdk-ims-samples/items/2_0/choice_multiple.xml",
    }
    every = {(u["file"], u["identifier"]) for u in counts["unsupported"]}
    assert len(every) == 255 and all(u["interactions"] for u in counts["unsupported"])
    assert ("oat-qti-sdk-ims-samples/items/2_1/match.xml", "match") in {
        (u["file"], u["identifier"]) for u in counts["unsupported"]
    }
    with ctx.unit() as s:
        assert s.scalar(select(func.count()).select_from(ItemRow).where(ItemRow.kind == "qti")) == 483
        assert s.scalar(select(func.count()).select_from(ItemSkill)) == 0
        assert s.scalar(select(func.count()).select_from(MediaFile)) == first.media > 0
        types = set(s.scalars(select(MediaFile.media_type)))
        assert types <= {"image/png", "image/jpeg", "image/gif", "image/svg+xml", "audio/mpeg", "video/mp4"}
    assert json.loads(json.dumps(counts)) == counts  # the --json object


def test_reimporting_the_sweep_updates_in_place(sweep: Any) -> None:
    ctx, _, again = sweep
    assert (again.imported, len(again.added), len(again.changed), again.unchanged) == (483, 0, 0, 483)
    assert again.media == 0
    with ctx.unit() as s:
        assert s.scalar(select(func.count()).select_from(ItemRow)) == 483


# ---------------------------------------------------------------- alignment, media, scoring


def _texas_framework(tmp_path: Path) -> Path:
    """A CASE 1.1 package holding the TEKS item two QTI items align to, and a local item that is an
    exactMatchOf the third one's standard."""
    doc = "0b6a1c3e-5c7e-4f61-9c55-1d1b5a8a0001"
    package = {
        "CFDocument": {"identifier": doc, "title": "Texas sample", "creator": "test", "caseVersion": "1.1"},
        "CFItems": [
            {"identifier": "6abfaa45-644b-52e8-891e-4fa4045a6c69", "fullStatement": "Order rational numbers.",
             "humanCodingScheme": "111.26.b.2.D"},
            {"identifier": "0b6a1c3e-5c7e-4f61-9c55-1d1b5a8a0002", "fullStatement": "Absolute value.",
             "humanCodingScheme": "LOCAL.ABS"},
        ],
        "CFAssociations": [
            {"identifier": "0b6a1c3e-5c7e-4f61-9c55-1d1b5a8a0003", "associationType": "exactMatchOf",
             "originNodeURI": {"identifier": "0b6a1c3e-5c7e-4f61-9c55-1d1b5a8a0002", "uri": "x:local", "title": "a"},
             "destinationNodeURI": {"identifier": "747eee11-848c-597a-8c9c-a71c5399798d",
                                    "uri": "https://teks-api.texasgateway.org/ims/case/v1p0/CFItems/747eee11-848c-597a-8c9c-a71c5399798d",
                                    "title": "b"}},
        ],
    }  # fmt: skip
    path = tmp_path / "texas.json"
    path.write_text(json.dumps(package), encoding="utf-8")
    return path


def _item_skills(ctx: ServiceContext) -> dict[str, list[str]]:
    with ctx.unit() as s:
        rows = s.execute(
            select(ItemRow.body, SkillRow.code)
            .join(ItemSkill, ItemSkill.item_id == ItemRow.id)
            .join(SkillRow, SkillRow.id == ItemSkill.skill_id)
        ).all()
        out: dict[str, list[str]] = {}
        for body, code in rows:
            out.setdefault(Path(body["qti"]["source"]).name, []).append(code)
        return out


def test_case_alignment_in_the_manifest_ties_items_to_skills(ctx: ServiceContext, tmp_path: Path) -> None:
    import_case(ctx, SYSTEM, _texas_framework(tmp_path))
    report = import_qti(ctx, SYSTEM, PACKAGING / "CASE" / "CASE.zip")
    assert (report.imported, report.aligned, report.unaligned) == (3, 3, 0)
    assert _item_skills(ctx) == {
        "-TX_G06SAMP_001.xml": ["111.26.b.2.D"],
        "-TX_G06SAMP_004.xml": ["111.26.b.2.D"],
        "-TX_G06SAMP_005.xml": ["LOCAL.ABS"],  # through exactMatchOf
    }


def _school_actor(ctx: ServiceContext, school: TinySchool, name: str) -> Actor:
    with ctx.unit() as s:
        user = s.get(User, school.ids[name])
        assert user is not None
        return Actor.of(user)


def test_media_are_stored_once_by_content_and_served_per_item(
    ctx: ServiceContext, school: TinySchool
) -> None:
    report = import_qti(ctx, SYSTEM, VOCAB, skill="ADD")
    assert (report.imported, report.aligned, report.teacher_scored) == (14, 14, 7)
    with ctx.unit() as s:
        files = {m.sha256: m for m in s.scalars(select(MediaFile))}
        links = s.execute(select(ItemMedia.item_id, ItemMedia.path, ItemMedia.media_id)).all()
        luggage = s.scalars(select(ItemRow.id).where(ItemRow.code == "qti3-unattended-luggage-01")).one()
        other = s.scalars(select(ItemRow.id).where(ItemRow.code == "qti3-choice-multiple-01")).one()
    assert len(links) == 8 and len(files) == report.media == 2  # five items share one sign.png
    assert {m.media_type for m in files.values()} == {"image/png"}
    urls = media_urls(ctx, luggage, "/learn")
    [(path, url)] = urls.items()
    assert path.endswith("images/sign.png") and url.startswith(f"/learn/items/{luggage}/media/")
    media_id = int(url.rsplit("/", 1)[1])
    for name in ("learner1", "family1", "teacher1", "admin"):
        got = item_media(ctx, _school_actor(ctx, school, name), luggage, media_id)
        assert got.media_type == "image/png" and got.content.startswith(b"\x89PNG")
    with pytest.raises(NotFoundError):  # the file exists, but not for that item
        item_media(ctx, _school_actor(ctx, school, "learner1"), other, media_id)


def test_answers_are_scored_and_extended_text_waits_for_a_teacher(
    ctx: ServiceContext, school: TinySchool
) -> None:
    import_qti(ctx, SYSTEM, VOCAB, skill="ADD")
    learner = _school_actor(ctx, school, "learner1")
    with ctx.unit() as s:
        code_id = dict(s.execute(select(ItemRow.code, ItemRow.id)).all())
        add = s.scalars(select(SkillRow.id).where(SkillRow.code == "ADD")).one()
    right = learning.record_attempt(
        ctx,
        learner,
        learner.user_id,
        code_id["qti3-unattended-luggage-01"],
        json.dumps({"RESPONSE": ["ChoiceA"]}),
    )
    assert right.correct and right.score == 1.0 and not right.needs_teacher
    wrong = learning.record_attempt(
        ctx,
        learner,
        learner.user_id,
        code_id["qti3-unattended-luggage-01"],
        json.dumps({"RESPONSE": ["ChoiceB"]}),
    )
    assert not wrong.correct and wrong.score == 0.0
    with ctx.unit() as s:
        before = s.get(MasteryRow, (learner.user_id, add))
        assert before is not None and before.n_attempts == 2
        snapshot = (before.p_mastery, before.n_attempts)
    essay = learning.record_attempt(
        ctx,
        learner,
        learner.user_id,
        code_id["qti3-extended-text-01"],
        json.dumps({"RESPONSE": ["Dear Ann, ..."]}),
    )
    assert essay.needs_teacher and not essay.correct
    with ctx.unit() as s:
        after = s.get(MasteryRow, (learner.user_id, add))
        assert after is not None and (after.p_mastery, after.n_attempts) == snapshot
    # a replay from attempts (the learner state is derived) leaves the waiting answer out too
    from learnpath.storage.tables import LearnerStateRow

    with ctx.unit() as s:
        s.query(LearnerStateRow).delete()
    again = learning.record_attempt(
        ctx,
        learner,
        learner.user_id,
        code_id["qti3-unattended-luggage-01"],
        json.dumps({"RESPONSE": ["ChoiceA"]}),
    )
    assert [p.n_attempts for p, _ in again.skills] == [3]


def test_bad_input_writes_nothing(ctx: ServiceContext, school: TinySchool, tmp_path: Path) -> None:
    def count() -> int:
        with ctx.unit() as s:
            return s.scalar(select(func.count()).select_from(ItemRow)) or 0

    before = count()
    broken = tmp_path / "broken.xml"
    broken.write_text(
        '<qti-assessment-item identifier="x">\n<qti-item-body>\n</qti-assessment-item>', encoding="utf-8"
    )
    with pytest.raises(ValidationError) as err:
        import_qti(ctx, SYSTEM, broken)
    assert err.value.errors[0].field == f"{broken}:3" and "not well-formed" in err.value.errors[0].message
    xxe = tmp_path / "xxe.xml"
    xxe.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>\n'
        '<qti-assessment-item identifier="x">&e;</qti-assessment-item>',
        encoding="utf-8",
    )
    with pytest.raises(ValidationError, match="entity"):
        import_qti(ctx, SYSTEM, xxe)
    # a folder with one good item and one bad file: --strict refuses all; otherwise the bad one is listed
    folder = tmp_path / "bank"
    folder.mkdir()
    shutil.copy(QTI / "oat-qti-sdk-ims-samples/items/2_1/choice.xml", folder / "choice.xml")
    shutil.copy(broken, folder / "broken.xml")
    with pytest.raises(ValidationError) as err:
        import_qti(ctx, SYSTEM, folder, strict=True)
    assert [e.field for e in err.value.errors] == [f"{folder / 'broken.xml'}:3"]
    with pytest.raises(NotFoundError, match="NOPE"):
        import_qti(ctx, SYSTEM, folder, skill="NOPE")
    with pytest.raises(ValidationError, match="no such file"):
        import_qti(ctx, SYSTEM, tmp_path / "missing")
    teacher = _school_actor(ctx, school, "teacher1")
    with pytest.raises(PermissionDeniedError):
        import_qti(ctx, teacher, folder)
    assert count() == before
    report: QtiReport = import_qti(ctx, _school_actor(ctx, school, "admin"), folder)
    assert report.imported == 1 and report.problems == (f"broken.xml:3: {err.value.errors[0].message}",)
    assert count() == before + 1


def test_media_types_are_judged_from_the_bytes() -> None:
    assert sniff_media_type(b"\x89PNG\r\n\x1a\n....") == "image/png"
    assert sniff_media_type(b"\xff\xd8\xff\xe0JFIF") == "image/jpeg"
    assert sniff_media_type(b"GIF89a...") == "image/gif"
    assert sniff_media_type(b"RIFF\x00\x00\x00\x00WEBPVP8 ") == "image/webp"
    assert (
        sniff_media_type(b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>') == "image/svg+xml"
    )
    assert sniff_media_type(b"ID3\x03\x00") == "audio/mpeg"
    assert sniff_media_type(b"\x00\x00\x00\x18ftypmp42") == "video/mp4"
    assert sniff_media_type(b"<html><script>alert(1)</script>") is None
    assert sniff_media_type(b"MZ\x90\x00 an exe named picture.png") is None
