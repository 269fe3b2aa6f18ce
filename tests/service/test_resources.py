"""Content use cases: access, editing, CSV import (all or nothing), video uploads (nothing left behind), and
difficulty refinement from attempts."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from sqlalchemy import select

from learnpath.core.content import Content, GradeBand
from learnpath.errors import NotFoundError, PermissionDeniedError, ValidationError
from learnpath.interop.content_csv import RowProblem, read_content_csv
from learnpath.service import resources
from learnpath.service.access import Actor
from learnpath.service.context import ServiceContext
from learnpath.service.difficulty import refine_difficulty
from learnpath.settings import Settings
from learnpath.storage.tables import AttemptRow, ContentRow, ItemCalibration, ItemRow, User
from learnpath.testing.clock import FakeClock
from learnpath.testing.school import TinySchool

DATA = Path(__file__).resolve().parents[1] / "data"
WEBM = b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\xf7\x81\x01\x42\x82\x84webm" + b"\x00" * 200


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return Settings(
        database_url=database_url, data_dir=str(tmp_path / "data"), video_max_mb=1, _env_file=None
    )  # type: ignore[call-arg]


def who(ctx: ServiceContext, school: TinySchool, name: str) -> Actor:
    with ctx.unit() as s:
        user = s.get(User, school.ids[name])
        assert user is not None
        return Actor.of(user)


def video(code: str = "V-1") -> Content:
    return Content(code, "video", "A video", "watch", 3, GradeBand(1, 2), ("ADD",), url="https://example.org/v",
                   duration_s=60)  # fmt: skip


def test_teachers_create_and_everyone_in_the_school_reads(ctx: ServiceContext, school: TinySchool) -> None:
    view = resources.create_content(ctx, who(ctx, school, "teacher2"), video())
    assert view.content.skills == ("ADD",) and view.skill_names["ADD"] == ("Adding", "Sumar")
    for name in ("learner1", "family1", "admin", "teacher1"):
        assert resources.get_content(ctx, who(ctx, school, name), view.id).content == view.content
    for name in ("learner_other", "admin_other"):
        with pytest.raises(NotFoundError):
            resources.get_content(ctx, who(ctx, school, name), view.id)
    for name in ("learner1", "family1"):
        with pytest.raises(PermissionDeniedError):
            resources.create_content(ctx, who(ctx, school, name), video("V-2"))
        with pytest.raises(PermissionDeniedError):
            resources.update_content(ctx, who(ctx, school, name), view.id, {"title": "x"})
    with pytest.raises(NotFoundError):
        resources.update_content(ctx, who(ctx, school, "admin_other"), view.id, {"title": "x"})


def test_lists_filter_and_stay_in_the_school(ctx: ServiceContext, school: TinySchool) -> None:
    teacher = who(ctx, school, "teacher1")
    resources.create_content(ctx, teacher, video())
    codes = lambda **f: [v.content.code for v in resources.list_content(ctx, teacher, **f)]  # noqa: E731
    assert codes() == ["C-ADD", "V-1"]
    assert codes(kind="video") == ["V-1"] and codes(modality="read") == ["C-ADD"]
    assert codes(skill="ADD") == ["C-ADD", "V-1"] and codes(skill="MUL") == []
    assert codes(tag="Animals") == ["C-ADD"]
    other = [v.content.code for v in resources.list_content(ctx, who(ctx, school, "learner_other"))]
    assert other == ["C-OTHER"]


def test_learners_get_one_piece_per_modality_for_their_skill(ctx: ServiceContext, school: TinySchool) -> None:
    teacher = who(ctx, school, "teacher1")
    resources.create_content(ctx, teacher, video("V-LONG").with_changes(minutes=20))
    resources.create_content(ctx, teacher, video("V-SHORT"))
    got = resources.content_for_skill(ctx, who(ctx, school, "learner1"), "ADD")
    assert [v.content.code for v in got] == ["V-SHORT", "C-ADD"]


def test_updates_are_validated_whole_and_codes_stay_unique(ctx: ServiceContext, school: TinySchool) -> None:
    teacher = who(ctx, school, "teacher1")
    view = resources.create_content(ctx, teacher, video())
    changed = resources.update_content(ctx, teacher, view.id, {"title": "Better", "skills": ("ADD", "MUL")})
    assert changed.content.title == "Better" and changed.content.skills == ("ADD", "MUL")
    with pytest.raises(ValidationError) as exc:
        resources.update_content(ctx, teacher, view.id, {"url": "", "duration_s": None})
    assert {e.field for e in exc.value.errors} == {"url", "duration"}
    with pytest.raises(ValidationError) as exc:
        resources.update_content(ctx, teacher, view.id, {"code": "C-ADD"})
    assert exc.value.errors[0].field == "code"
    with pytest.raises(ValidationError) as exc:
        resources.update_content(ctx, teacher, view.id, {"skills": ("NOPE",)})
    assert exc.value.errors[0].field == "skills"
    assert resources.get_content(ctx, teacher, view.id).content.title == "Better", (
        "a refused change leaves it as it was"
    )


def test_a_bad_csv_lists_every_bad_row_and_imports_nothing(ctx: ServiceContext, school: TinySchool) -> None:
    rows = read_content_csv((DATA / "content_bad.csv").read_text(encoding="utf-8"))
    assert [r.line for r in rows] == [2, 3, 4, 5, 7, 8], (
        "a quoted cell over two lines moves the next row down"
    )
    with pytest.raises(ValidationError) as exc:
        resources.import_content(ctx, 1, rows)
    problems = [(e.line, e.column) for e in exc.value.errors if isinstance(e, RowProblem)]
    assert len(problems) == len(exc.value.errors)
    assert set(problems) == {
        (3, "minutes"), (3, "url"), (3, "duration"), (4, "grade_band"), (4, "skills"), (5, "rubric"),
        (7, "url"), (8, "code"),
    }  # fmt: skip
    assert "5 rows are not valid" in exc.value.message
    with ctx.unit() as s:
        assert s.scalars(select(ContentRow.code).where(ContentRow.code.like("OK%"))).all() == []


def test_bad_headers_are_named() -> None:
    with pytest.raises(ValidationError) as exc:
        read_content_csv("code,kind,titel,minutes,grade_band\nX,reading,T,5,1\n")
    got = {(e.line, e.column) for e in exc.value.errors if isinstance(e, RowProblem)}
    assert got == {(1, "titel"), (1, "title"), (1, "skills")}
    with pytest.raises(ValidationError):
        read_content_csv("")


def test_csv_rows_are_added_then_changed_and_dry_runs_change_nothing(
    ctx: ServiceContext, school: TinySchool, clock: FakeClock
) -> None:
    text = (
        "code;kind;title;minutes;grade_band;skills;body;tags\n"
        "R-A;reading;First;5;1;ADD;Text;Art\n"
        "R-B;activity;Second;10;1-2;ADD,SUB;Do it;\n"
    )
    teacher = who(ctx, school, "teacher1")
    dry = resources.import_content_csv(ctx, teacher, text, dry_run=True)
    assert (dry.added, dry.changed, dry.dry_run) == (["R-A", "R-B"], [], True)
    assert [v.content.code for v in resources.list_content(ctx, teacher)] == ["C-ADD"]
    done = resources.import_content_csv(ctx, teacher, text)
    assert done.added == ["R-A", "R-B"]
    again = resources.import_content_csv(ctx, teacher, text.replace("First", "First, better"))
    assert (again.added, again.changed, again.unchanged) == ([], ["R-A"], ["R-B"])
    views = {v.content.code: v for v in resources.list_content(ctx, teacher)}
    assert views["R-A"].content.title == "First, better" and views["R-B"].content.modality == "do"
    assert views["R-A"].content.tags == ("art",)


def test_the_documented_example_csv_imports(ctx: ServiceContext) -> None:
    from learnpath.demo.content import PREREQUISITES, SKILLS
    from learnpath.service.content import SkillSpec, add_skills
    from learnpath.service.roster import add_school

    with ctx.unit() as s:
        add_skills(
            s, "demo", "demo", [SkillSpec(k.code, k.name, grade=k.grade) for k in SKILLS], PREREQUISITES
        )
        school_id = add_school(s, "Example").id
    path = Path(__file__).resolve().parents[2] / "docs" / "content_example.csv"
    report = resources.import_content(ctx, school_id, read_content_csv(path.read_text(encoding="utf-8")))
    assert report.added == ["R-HUNDREDS", "V-AREA-TILES", "A-MEASURE-DESK", "P-PARK", "D-FAIR-TEAMS"]
    with ctx.unit() as s:
        park = s.scalars(select(ContentRow).where(ContentRow.code == "P-PARK")).one()
        assert park.rubric is not None and park.rubric["max_points"] == 9
        assert park.author_difficulty == park.difficulty == 0.8


def _files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob("*") if p.is_file())


def test_uploads_are_checked_by_bytes_and_size_and_leave_nothing_when_refused(
    ctx: ServiceContext, school: TinySchool
) -> None:
    teacher = who(ctx, school, "teacher1")
    view = resources.create_content(ctx, teacher, video())
    folder = resources.videos_dir(ctx)
    for data, code in ((b"<html>not a video</html>", "file_type"), (b"", "file_type"),
                       (WEBM + b"\x00" * (1024 * 1024), "file_too_large")):  # fmt: skip
        with pytest.raises(ValidationError) as exc:
            resources.upload_video(ctx, teacher, view.id, io.BytesIO(data))
        assert exc.value.errors[0].code == code  # type: ignore[attr-defined]
        assert _files(folder) == []
    with pytest.raises(ValidationError):
        resources.upload_video(ctx, teacher, school.ids["C-ADD"], io.BytesIO(WEBM))
    with pytest.raises(PermissionDeniedError):
        resources.upload_video(ctx, who(ctx, school, "learner1"), view.id, io.BytesIO(WEBM))
    stored = resources.upload_video(ctx, teacher, view.id, io.BytesIO(WEBM))
    assert (stored.video_media_type, stored.video_size) == ("video/webm", len(WEBM))
    first = _files(folder)
    assert len(first) == 1 and first[0].endswith(".webm")
    path, media_type = resources.video_file(ctx, who(ctx, school, "learner2"), view.id)
    assert path.read_bytes() == WEBM and media_type == "video/webm"
    mp4 = b"\x00\x00\x00\x18ftypisom" + b"\x00" * 100
    resources.upload_video(ctx, teacher, view.id, io.BytesIO(mp4))
    assert len(_files(folder)) == 1 and _files(folder) != first, "the replaced file is deleted"
    with pytest.raises(NotFoundError):
        resources.video_file(ctx, who(ctx, school, "learner_other"), view.id)


def test_a_failing_save_after_upload_removes_the_file(
    ctx: ServiceContext, school: TinySchool, monkeypatch: pytest.MonkeyPatch
) -> None:
    teacher = who(ctx, school, "teacher1")
    view = resources.create_content(ctx, teacher, video())

    def broken(*args: object) -> object:
        raise RuntimeError("database went away")

    calls = {"n": 0}
    real = resources._visible_row

    def second_call_fails(*args: object) -> object:
        calls["n"] += 1
        return real(*args) if calls["n"] == 1 else broken()  # type: ignore[arg-type]

    monkeypatch.setattr(resources, "_visible_row", second_call_fails)
    with pytest.raises(RuntimeError):
        resources.upload_video(ctx, teacher, view.id, io.BytesIO(WEBM))
    assert _files(resources.videos_dir(ctx)) == []


def test_refining_makes_items_answered_wrongly_more_often_harder(
    ctx: ServiceContext, school: TinySchool, clock: FakeClock
) -> None:
    ids = school.ids
    learners = [ids["learner1"], ids["learner2"], ids["learner3"], ids["learner_other"]]
    rows = []
    for n, learner in enumerate(learners):
        for rep in range(5):
            rows.append((learner, ids["ADD-0"], True))
            rows.append((learner, ids["ADD-1"], rep < 1))
            rows.append((learner, ids["ADD-2"], rep < 3 or n == 0))
    with ctx.unit() as s:
        for k, (learner, item, correct) in enumerate(rows):
            clock.advance(seconds=30)
            s.add(AttemptRow(learner_id=learner, item_id=item, response="x", correct=correct,
                             score=float(correct), hints_used=0, created_at=clock()))  # fmt: skip
            del k
    report = refine_difficulty(ctx, prior_weight=2.0)
    assert (report.items, report.items_refined, report.attempts) == (9, 3, len(rows))
    with ctx.unit() as s:
        item = {r.code: r for r in s.scalars(select(ItemRow))}
        easy, hard, middle = item["ADD-0"], item["ADD-1"], item["ADD-2"]
        assert easy.difficulty < middle.difficulty < hard.difficulty
        assert hard.body["difficulty"] == hard.difficulty, "the recommender reads the body"
        assert item["SUB-0"].difficulty == 0.0, "items without attempts keep the author's value"
        cal = s.get(ItemCalibration, hard.id)
        assert cal is not None and (cal.author_difficulty, cal.n_attempts, cal.n_correct) == (0.0, 20, 4)
        reading = s.get(ContentRow, ids["C-ADD"])
        assert reading is not None and reading.difficulty_n == 60 and reading.author_difficulty == 0.0
        first = {code: r.difficulty for code, r in item.items()}
    again = refine_difficulty(ctx, prior_weight=2.0)
    assert again.largest_change < 1e-3, "refining again from the same attempts changes nothing"
    with ctx.unit() as s:
        assert {r.code: r.difficulty for r in s.scalars(select(ItemRow))} == pytest.approx(first, abs=1e-3)
