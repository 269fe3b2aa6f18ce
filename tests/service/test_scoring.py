"""Teachers score extended-text answers; the score then feeds mastery (and every replay) like any answer."""

from __future__ import annotations

import json
import os
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import delete, select

from learnpath.errors import ConflictError, NotFoundError, PermissionDeniedError, ValidationError
from learnpath.service import learning, scoring
from learnpath.service.access import Actor
from learnpath.service.context import ServiceContext
from learnpath.service.curriculum import SYSTEM
from learnpath.service.models import load_attempts, rebuild_learner_states
from learnpath.service.qti_import import import_qti
from learnpath.storage.tables import (
    AttemptRow,
    ItemRow,
    LearnerStateRow,
    MasteryRow,
    SkillRow,
    TeacherScore,
    User,
)
from learnpath.testing.clock import FakeClock
from learnpath.testing.school import TinySchool

REPO = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("LEARNPATH_SHARED_DIR", REPO.parent / "shared"))
VOCAB = (
    SHARED
    / "fixtures/qti/1edtech-qti-examples/qtiv3-examples/items/shared-vocabulary/shared-vocabulary-imsmanifest.zip"
)
pytestmark = pytest.mark.skipif(not VOCAB.is_file(), reason=f"QTI fixtures not found at {VOCAB}")


def essay_item(ctx: ServiceContext, tmp_path: Path) -> int:
    """Import the postcard item (extended text, scored by a teacher), aligned to ADD."""
    with zipfile.ZipFile(VOCAB) as z:
        z.extractall(
            tmp_path, [n for n in z.namelist() if n.startswith("Items/Item_QTI3_WritingPostcard_01/")]
        )
    import_qti(ctx, SYSTEM, tmp_path / "Items" / "Item_QTI3_WritingPostcard_01", skill="ADD")
    with ctx.unit() as s:
        return s.scalars(select(ItemRow.id).where(ItemRow.kind == "qti")).one()


def actor(ctx: ServiceContext, school: TinySchool, name: str) -> Actor:
    with ctx.unit() as s:
        user = s.get(User, school.ids[name])
        assert user is not None
        return Actor.of(user)


def answer(ctx: ServiceContext, school: TinySchool, item_id: int, who: str = "learner1") -> int:
    learner = actor(ctx, school, who)
    result = learning.record_attempt(
        ctx, learner, learner.user_id, item_id, json.dumps({"RESPONSE": "Dear Ann"})
    )
    assert result.needs_teacher
    return result.attempt_id


def mastery(ctx: ServiceContext, school: TinySchool, who: str = "learner1") -> MasteryRow | None:
    with ctx.unit() as s:
        add = s.scalars(select(SkillRow.id).where(SkillRow.code == "ADD")).one()
        row = s.get(MasteryRow, (school.ids[who], add))
        if row is not None:
            s.expunge(row)
        return row


def test_a_score_feeds_mastery_and_every_replay_counts_it_the_same(
    ctx: ServiceContext, school: TinySchool, tmp_path: Path, clock: FakeClock
) -> None:
    item_id = essay_item(ctx, tmp_path)
    waiting = answer(ctx, school, item_id)
    clock.advance(
        minutes=1
    )  # answered after the essay, counted before its score: the order matters to a replay
    learner = actor(ctx, school, "learner1")
    learning.record_attempt(ctx, learner, learner.user_id, school.ids["ADD-0"], "1")
    teacher = actor(ctx, school, "teacher1")
    [listed] = scoring.answers_to_mark(ctx, teacher, school.ids["classA"])
    assert (listed.attempt_id, listed.learner_id, listed.response) == (
        waiting,
        school.ids["learner1"],
        '{"RESPONSE": "Dear Ann"}',
    )
    assert listed.prompt and listed.max_points > 0
    assert scoring.count_to_mark(ctx, teacher, school.ids["classA"]) == 1
    assert scoring.count_to_mark(ctx, actor(ctx, school, "teacher2"), school.ids["classB"]) == 0
    before = mastery(ctx, school)
    n_before = before.n_attempts if before is not None else 0

    clock.advance(hours=2)
    done = scoring.score_answer(ctx, teacher, waiting, listed.max_points, "  Lovely postcard.  ")
    assert (
        done.mark.correct
        and done.mark.comment == "Lovely postcard."
        and done.mark.points == listed.max_points
    )
    after = mastery(ctx, school)
    assert after is not None and after.n_attempts == n_before + 1 and after.n_correct >= 1
    assert after.p_mastery > (before.p_mastery if before is not None else 0.0)
    assert scoring.answers_to_mark(ctx, teacher, school.ids["classA"]) == []
    with ctx.unit() as s:
        attempt = s.get(AttemptRow, waiting)
        assert attempt is not None and attempt.correct and attempt.score == 1.0
        stored = s.get(LearnerStateRow, school.ids["learner1"])
        assert stored is not None
        live_state = stored.state
    # the learner model's own data set counts it, and a replay from attempts gives the same state
    loaded = load_attempts_for(ctx)
    assert school.ids["learner1"] in loaded
    with ctx.unit() as s:
        s.execute(delete(LearnerStateRow))
    with ctx.unit() as s:
        replayed, _ = learning.state_for(s, ctx, school.ids["learner1"])
    assert replayed == live_state
    with ctx.unit() as s:  # the rebuild after ``learnpath fit`` orders it the same way
        version, model = ctx.active_model(s)
        rebuild_learner_states(s, version, model, clock())  # type: ignore[arg-type]
    with ctx.unit() as s:
        rebuilt = s.get(LearnerStateRow, school.ids["learner1"])
        assert rebuilt is not None and rebuilt.state == live_state
    [mark] = scoring.teacher_marks(ctx, actor(ctx, school, "learner1"), school.ids["learner1"])
    assert mark.comment == "Lovely postcard." and mark.correct


def load_attempts_for(ctx: ServiceContext) -> set[int]:
    with ctx.unit() as s:
        return {int(x) for x in load_attempts(s).table.learner}


def test_a_low_score_is_evidence_of_a_wrong_answer(
    ctx: ServiceContext, school: TinySchool, tmp_path: Path
) -> None:
    item_id = essay_item(ctx, tmp_path)
    waiting = answer(ctx, school, item_id)
    teacher = actor(ctx, school, "teacher1")
    [listed] = scoring.answers_to_mark(ctx, teacher, school.ids["classA"])
    low = listed.max_points / 2 - 0.25
    done = scoring.score_answer(ctx, teacher, waiting, max(low, 0.0))
    assert not done.mark.correct
    after = mastery(ctx, school)
    assert after is not None and after.n_attempts == 1 and after.n_correct == 0 and after.recent_wrong == 1
    # exactly half the points counts as correct
    second = answer(ctx, school, item_id)
    assert scoring.score_answer(ctx, teacher, second, listed.max_points / 2).mark.correct


def test_who_may_list_and_score(ctx: ServiceContext, school: TinySchool, tmp_path: Path) -> None:
    item_id = essay_item(ctx, tmp_path)
    waiting = answer(ctx, school, item_id)
    class_a = school.ids["classA"]
    assert len(scoring.answers_to_mark(ctx, actor(ctx, school, "admin"), class_a)) == 1
    with pytest.raises(NotFoundError):  # not their class
        scoring.answers_to_mark(ctx, actor(ctx, school, "teacher2"), class_a)
    with pytest.raises(NotFoundError):  # another school
        scoring.answers_to_mark(ctx, actor(ctx, school, "admin_other"), class_a)
    for role in ("learner1", "family1"):
        with pytest.raises(PermissionDeniedError):
            scoring.answers_to_mark(ctx, actor(ctx, school, role), class_a)
        with pytest.raises(PermissionDeniedError):
            scoring.score_answer(ctx, actor(ctx, school, role), waiting, 1.0)
    for other in ("teacher2", "admin_other"):
        with pytest.raises(NotFoundError):
            scoring.score_answer(ctx, actor(ctx, school, other), waiting, 1.0)
    with pytest.raises(NotFoundError):
        scoring.teacher_marks(ctx, actor(ctx, school, "learner2"), school.ids["learner1"])
    # the admin of the school may score
    assert scoring.score_answer(ctx, actor(ctx, school, "admin"), waiting, 0.0).mark.points == 0.0


def test_bad_scores_change_nothing(ctx: ServiceContext, school: TinySchool, tmp_path: Path) -> None:
    item_id = essay_item(ctx, tmp_path)
    waiting = answer(ctx, school, item_id)
    teacher = actor(ctx, school, "teacher1")
    [listed] = scoring.answers_to_mark(ctx, teacher, school.ids["classA"])
    for points in (-1.0, listed.max_points + 0.5, float("nan"), float("inf")):
        with pytest.raises(ValidationError) as bad:
            scoring.score_answer(ctx, teacher, waiting, points)
        assert [e.field for e in bad.value.errors] == ["points"]
    with pytest.raises(ValidationError) as bad:
        scoring.score_answer(ctx, teacher, waiting, 1.0, "x" * (scoring.MAX_COMMENT_CHARS + 1))
    assert [e.field for e in bad.value.errors] == ["comment"]
    with pytest.raises(NotFoundError):
        scoring.score_answer(ctx, teacher, 999_999, 1.0)
    with ctx.unit() as s:
        assert s.scalars(select(TeacherScore)).all() == []
    assert mastery(ctx, school) is None
    scoring.score_answer(ctx, teacher, waiting, 1.0)
    with pytest.raises(ConflictError):  # a score is final
        scoring.score_answer(ctx, teacher, waiting, 0.0)
    # an answer scored on submit is not the teacher's to score
    learner = actor(ctx, school, "learner1")
    auto = learning.record_attempt(ctx, learner, learner.user_id, school.ids["ADD-1"], "5")
    with pytest.raises(ConflictError):
        scoring.score_answer(ctx, teacher, auto.attempt_id, 1.0)


def test_scoring_is_one_transaction(
    ctx: ServiceContext, school: TinySchool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    item_id = essay_item(ctx, tmp_path)
    waiting = answer(ctx, school, item_id)

    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("spaced review failed")

    monkeypatch.setattr(learning.memory, "after_attempt", boom)
    with pytest.raises(RuntimeError):
        scoring.score_answer(ctx, actor(ctx, school, "teacher1"), waiting, 1.0)
    with ctx.unit() as s:
        attempt = s.get(AttemptRow, waiting)
        assert attempt is not None and not attempt.correct and attempt.score == 0.0
        assert s.get(TeacherScore, waiting) is None
    assert mastery(ctx, school) is None
    assert len(scoring.answers_to_mark(ctx, actor(ctx, school, "teacher1"), school.ids["classA"])) == 1
