"""The portfolio (issue 6): adding files, links and texts with reflections; types judged from bytes; limits;
nothing left behind by a failed upload; removal; feedback and scores as evidence (kept through replays);
notifications; work since a date; the streamed zip export."""

from __future__ import annotations

import io
import zipfile
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import delete, func, select

from learnpath.errors import ConflictError, NotFoundError, PermissionDeniedError, ValidationError
from learnpath.service import notifications, plans, portfolio
from learnpath.service.access import Actor
from learnpath.service.context import ServiceContext
from learnpath.service.learning import state_for
from learnpath.service.models import rebuild_learner_states
from learnpath.service.portfolio_export import export_portfolio, zip_chunks
from learnpath.storage.files import DiskStore
from learnpath.storage.tables import (
    LearnerStateRow,
    MasteryRow,
    PortfolioEvidence,
    PortfolioItem,
    SkillRow,
    User,
)
from learnpath.testing.clock import FakeClock
from learnpath.testing.school import TinySchool

DRAWING = (Path(__file__).resolve().parents[1] / "data" / "drawing.png").read_bytes()


def actor(ctx: ServiceContext, school: TinySchool, name: str) -> Actor:
    with ctx.unit() as s:
        user = s.get(User, school.ids[name])
        assert user is not None
        return Actor.of(user)


def _stored_files(ctx: ServiceContext) -> list[Path]:
    root = Path(ctx.settings.data_dir) / "portfolio"
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def _rows(ctx: ServiceContext) -> int:
    with ctx.unit() as s:
        return int(s.scalar(select(func.count()).select_from(PortfolioItem)) or 0)


def _mastery(ctx: ServiceContext, learner_id: int, code: str) -> tuple[float, int] | None:
    with ctx.unit() as s:
        skill = s.scalars(select(SkillRow).where(SkillRow.code == code)).one()
        row = s.get(MasteryRow, (learner_id, skill.id))
        return None if row is None else (row.p_mastery, row.n_attempts)


def _add_drawing(ctx: ServiceContext, who: Actor, learner_id: int, **extra: Any) -> portfolio.WorkView:
    return portfolio.add_work(
        ctx,
        who,
        learner_id,
        kind="file",
        title="My times-table house",
        reflection="I drew 3 rows of 4 windows. That is 12!",
        stream=io.BytesIO(DRAWING),
        file_name="house.png",
        **extra,
    )


def test_learner_adds_a_drawing_a_link_and_a_text(ctx: ServiceContext, school: TinySchool) -> None:
    ids = school.ids
    l1, f1, t1 = (actor(ctx, school, n) for n in ("learner1", "family1", "teacher1"))
    drawing = _add_drawing(ctx, l1, ids["learner1"], skill_codes=["MUL"])
    assert (drawing.kind, drawing.media_type, drawing.size) == ("file", "image/png", len(DRAWING))
    assert drawing.skills == [("MUL", "Times tables")] and drawing.added_by == "Learner1"
    link = portfolio.add_work(
        ctx, l1, ids["learner1"], kind="link", title="Plumbing history", url="https://example.org/pipes"
    )
    text = portfolio.add_work(
        ctx, l1, ids["learner1"], kind="text", title="What I learned", body="Pipes were lead."
    )
    for who in (l1, f1, t1):
        assert [w.id for w in portfolio.list_work(ctx, who, ids["learner1"])] == [
            text.id,
            link.id,
            drawing.id,
        ]
    got = portfolio.work_file(ctx, f1, drawing.id)
    assert got.path is not None and got.path.read_bytes() == DRAWING and got.media_type == "image/png"
    assert got.download_name == f"{drawing.id}-my-times-table-house.png"
    es = Actor(t1.user_id, t1.role, t1.school_id, t1.username, t1.display_name, "es")
    assert portfolio.get_work(ctx, es, drawing.id).skills == [("MUL", "Tablas de multiplicar")]
    with pytest.raises(NotFoundError):
        portfolio.work_file(ctx, l1, link.id)  # a link has no file


def test_others_cannot_see_or_change_work(ctx: ServiceContext, school: TinySchool) -> None:
    ids = school.ids
    work = _add_drawing(ctx, actor(ctx, school, "learner1"), ids["learner1"])
    for name in ("learner2", "family3", "teacher2", "admin_other"):
        who = actor(ctx, school, name)
        with pytest.raises(NotFoundError):
            portfolio.list_work(ctx, who, ids["learner1"])
        with pytest.raises(NotFoundError):
            portfolio.work_file(ctx, who, work.id)
        with pytest.raises(NotFoundError):
            portfolio.delete_work(ctx, who, work.id)
    f1 = actor(ctx, school, "family1")
    with pytest.raises(PermissionDeniedError):
        portfolio.add_work(ctx, f1, ids["learner1"], kind="text", title="x", body="y")
    with pytest.raises(PermissionDeniedError):
        portfolio.delete_work(ctx, f1, work.id)
    with pytest.raises(PermissionDeniedError):
        portfolio.give_feedback(ctx, actor(ctx, school, "learner1"), work.id, comment="Nice")


def test_bad_fields_are_all_named(ctx: ServiceContext, school: TinySchool) -> None:
    l1 = actor(ctx, school, "learner1")
    with pytest.raises(ValidationError) as caught:
        portfolio.add_work(
            ctx,
            l1,
            school.ids["learner1"],
            kind="link",
            title=" ",
            url="javascript:alert(1)",
            goal_ids=[99999],
            skill_codes=["NOPE"],
        )
    assert {e.field for e in caught.value.errors} == {"title", "url", "goals", "skills"}
    with pytest.raises(ValidationError) as caught:
        portfolio.add_work(ctx, l1, school.ids["learner1"], kind="file", title="x")
    assert [e.field for e in caught.value.errors] == ["file"]
    assert _rows(ctx) == 0


BAD_FILES = [
    b"<html><script>alert(1)</script></html>",
    b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
    b"MZ\x90\x00 a windows program",
    b"",
]


def test_file_types_are_judged_by_content(ctx: ServiceContext, school: TinySchool) -> None:
    l1 = actor(ctx, school, "learner1")
    for data in BAD_FILES:
        with pytest.raises(ValidationError) as caught:
            portfolio.add_work(
                ctx,
                l1,
                school.ids["learner1"],
                kind="file",
                title="x",
                stream=io.BytesIO(data),
                file_name="a.png",
            )
        assert caught.value.errors[0].field == "file", data
        assert _rows(ctx) == 0 and _stored_files(ctx) == [], data


def test_size_and_count_limits(ctx: ServiceContext, school: TinySchool) -> None:
    l1 = actor(ctx, school, "learner1")
    big = DRAWING + b"\0" * (1024 * 1024)
    ctx.settings.portfolio_max_mb = 1
    with pytest.raises(ValidationError, match="larger than the limit of 1 MB"):
        portfolio.add_work(ctx, l1, school.ids["learner1"], kind="file", title="x", stream=io.BytesIO(big))
    assert _rows(ctx) == 0 and _stored_files(ctx) == []
    ctx.settings.portfolio_max_items = 2
    for n in range(2):
        portfolio.add_work(ctx, l1, school.ids["learner1"], kind="text", title=f"t{n}", body="b")
    with pytest.raises(ValidationError, match="at most 2 pieces"):
        _add_drawing(ctx, l1, school.ids["learner1"])
    assert _rows(ctx) == 2 and _stored_files(ctx) == []


class _FailingStore(DiskStore):
    def put(self, key: str, source: Path, media_type: str) -> None:
        raise OSError("disk full")


def test_a_failed_upload_leaves_nothing_behind(
    ctx: ServiceContext, school: TinySchool, monkeypatch: pytest.MonkeyPatch
) -> None:
    l1 = actor(ctx, school, "learner1")
    root = Path(ctx.settings.data_dir) / "portfolio"
    ctx.file_store = _FailingStore(root)
    with pytest.raises(OSError, match="disk full"):
        _add_drawing(ctx, l1, school.ids["learner1"])
    assert _rows(ctx) == 0 and _stored_files(ctx) == []
    ctx.file_store = DiskStore(root)

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("database went away")

    monkeypatch.setattr(portfolio, "work_views", broken)  # fails inside the saving transaction
    with pytest.raises(RuntimeError, match="went away"):
        _add_drawing(ctx, l1, school.ids["learner1"])
    assert _rows(ctx) == 0 and _stored_files(ctx) == []


def test_removing_work_removes_its_file(ctx: ServiceContext, school: TinySchool) -> None:
    l1 = actor(ctx, school, "learner1")
    work = _add_drawing(ctx, l1, school.ids["learner1"])
    assert len(_stored_files(ctx)) == 1
    portfolio.delete_work(ctx, l1, work.id)
    assert _rows(ctx) == 0 and _stored_files(ctx) == []
    with pytest.raises(NotFoundError):
        portfolio.get_work(ctx, l1, work.id)


def test_judgements_feed_mastery_notify_and_are_final(ctx: ServiceContext, school: TinySchool) -> None:
    ids = school.ids
    l1, t1, f1 = (actor(ctx, school, n) for n in ("learner1", "teacher1", "family1"))
    work = _add_drawing(ctx, l1, ids["learner1"], skill_codes=["MUL", "ADD"])
    assert _mastery(ctx, ids["learner1"], "MUL") is None
    with pytest.raises(ValidationError) as caught:
        portfolio.give_feedback(ctx, t1, work.id, judgements={"MUL": "great", "SUB": "shows"})
    assert {e.field for e in caught.value.errors} == {"judgements.MUL", "judgements.SUB"}
    result = portfolio.give_feedback(
        ctx, t1, work.id, comment="Lovely rows!", judgements={"MUL": "shows", "ADD": "not_yet"}
    )
    assert result.feedback.score == 0.5 and result.feedback.author == "Teacher1"
    moved = {p.code: (before, p.p_mastery) for p, before in result.skills}
    assert moved["MUL"][0] is None and moved["MUL"][1] > 0.3  # BKT prior 0.2, a right answer lifts it
    assert moved["ADD"][1] < 0.2
    mul = _mastery(ctx, ids["learner1"], "MUL")
    assert mul is not None and mul[1] == 1
    for who in (l1, f1):
        notes = notifications.list_notifications(ctx, who)
        assert [(n.kind, n.params["title"], n.link) for n in notes] == [
            ("portfolio_feedback", work.title, f"/learners/{ids['learner1']}/portfolio#work-{work.id}")
        ]
    assert notifications.list_notifications(ctx, t1) == []
    with pytest.raises(ConflictError, match="already scored"):
        portfolio.give_feedback(ctx, t1, work.id, judgements={"MUL": "shows"})
    portfolio.give_feedback(ctx, actor(ctx, school, "admin"), work.id, comment="Well done")
    view = portfolio.get_work(ctx, f1, work.id)
    assert [(f.comment, f.score) for f in view.feedback] == [("Lovely rows!", 0.5), ("Well done", None)]
    # removing the work keeps the evidence (facts are not taken back)
    portfolio.delete_work(ctx, l1, work.id)
    with ctx.unit() as s:
        assert s.scalar(select(func.count()).select_from(PortfolioEvidence)) == 2


def test_a_rubric_score_is_evidence_that_replays(
    ctx: ServiceContext, school: TinySchool, clock: FakeClock
) -> None:
    ids = school.ids
    l1, t1 = actor(ctx, school, "learner1"), actor(ctx, school, "teacher1")
    with ctx.unit() as s:
        goal = plans.add_goal_in(
            s,
            l1,
            ids["learner1"],
            kind="interest",
            title="History of plumbing",
            rubric=[{"text": "Sources", "max_points": 4}, {"text": "Drawing", "max_points": 4}],
        )
    work = _add_drawing(ctx, l1, ids["learner1"], goal_ids=[goal], skill_codes=["ADD"])
    with ctx.unit() as s:
        criteria = [c["id"] for c in plans.goal_rubric(s, goal)]
    with pytest.raises(ValidationError) as caught:
        portfolio.give_feedback(ctx, t1, work.id, goal_id=goal, rubric={criteria[0]: 9, "zz": 1})
    assert {e.field for e in caught.value.errors} == {
        f"rubric.{criteria[0]}",
        f"rubric.{criteria[1]}",
        "rubric.zz",
    }
    clock.advance(minutes=5)
    result = portfolio.give_feedback(ctx, t1, work.id, goal_id=goal, rubric={criteria[0]: 3, criteria[1]: 2})
    assert result.feedback.score == pytest.approx(5 / 8)
    assert [r["points"] for r in result.feedback.rubric or []] == [3, 2]
    assert [p.code for p, _ in result.skills] == ["ADD"]
    kept = _mastery(ctx, ids["learner1"], "ADD")
    # the state is rebuilt from the facts (answers and portfolio evidence): the same mastery
    with ctx.unit() as s:
        s.execute(delete(LearnerStateRow).where(LearnerStateRow.learner_id == ids["learner1"]))
    with ctx.unit() as s:
        state, model = state_for(s, ctx, ids["learner1"])
        assert model.mastery(state)["ADD"].p_mastery == pytest.approx(kept[0] if kept else -1)
    with ctx.unit() as s:
        version, model = ctx.active_model(s)
        assert rebuild_learner_states(s, version, model, clock())  # type: ignore[arg-type] >= 1
    assert _mastery(ctx, ids["learner1"], "ADD") == pytest.approx(kept)


def test_portfolio_since_lists_new_work(ctx: ServiceContext, school: TinySchool, clock: FakeClock) -> None:
    l1 = actor(ctx, school, "learner1")
    old = portfolio.add_work(ctx, l1, school.ids["learner1"], kind="text", title="old", body="b")
    since = clock()
    clock.advance(days=1)
    new = _add_drawing(ctx, l1, school.ids["learner1"], skill_codes=["MUL"])
    with ctx.unit() as s:
        got = portfolio.portfolio_since(s, school.ids["learner1"], since)
        assert portfolio.items_since(s, school.ids["learner1"], since, clock()) == got
        assert portfolio.portfolio_since(s, school.ids["learner1"], since - timedelta(days=1), since) == [
            {
                "id": old.id,
                "kind": "text",
                "title": "old",
                "created_at": old.created_at.isoformat(),
                "goals": [],
                "skills": [],
                "feedback": 0,
            }
        ]
    assert [(x["id"], x["kind"], x["skills"]) for x in got] == [(new.id, "file", ["MUL"])]


def test_the_export_is_a_zip_with_an_index_and_the_files(ctx: ServiceContext, school: TinySchool) -> None:
    l1, f1 = actor(ctx, school, "learner1"), actor(ctx, school, "family1")
    drawing = _add_drawing(ctx, l1, school.ids["learner1"])
    portfolio.add_work(ctx, l1, school.ids["learner1"], kind="text", title="notes", body="b")
    export = export_portfolio(ctx, f1, school.ids["learner1"])
    assert export.filename.startswith("portfolio-learner1-") and export.filename.endswith(".zip")
    chunks = list(zip_chunks(ctx.files(), export, "<html>index</html>"))
    assert len(chunks) > 2  # written as it goes, not built whole
    with zipfile.ZipFile(io.BytesIO(b"".join(chunks))) as zf:
        assert zf.testzip() is None
        assert zf.namelist() == ["index.html", f"files/{drawing.id}.png"]
        assert zf.read("index.html") == b"<html>index</html>"
        assert zf.read(f"files/{drawing.id}.png") == DRAWING
    with pytest.raises(NotFoundError):
        export_portfolio(ctx, actor(ctx, school, "learner2"), school.ids["learner1"])
