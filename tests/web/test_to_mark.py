"""The teacher's "To mark" page: a waiting extended-text answer is listed, scored with CSRF, and the learner
sees the score and comment."""

from __future__ import annotations

import os
import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from learnpath.service.context import ServiceContext
from learnpath.service.curriculum import SYSTEM
from learnpath.service.qti_import import import_qti
from learnpath.storage.tables import ItemRow, TeacherScore
from learnpath.testing.school import TinySchool

REPO = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("LEARNPATH_SHARED_DIR", REPO.parent / "shared"))
VOCAB = (
    SHARED
    / "fixtures/qti/1edtech-qti-examples/qtiv3-examples/items/shared-vocabulary/shared-vocabulary-imsmanifest.zip"
)
pytestmark = pytest.mark.skipif(not VOCAB.is_file(), reason=f"QTI fixtures not found at {VOCAB}")


def _essay(ctx: ServiceContext, tmp_path: Path) -> int:
    with zipfile.ZipFile(VOCAB) as z:
        z.extractall(
            tmp_path, [n for n in z.namelist() if n.startswith("Items/Item_QTI3_WritingPostcard_01/")]
        )
    import_qti(ctx, SYSTEM, tmp_path / "Items" / "Item_QTI3_WritingPostcard_01", skill="ADD")
    with ctx.unit() as s:
        return s.scalars(select(ItemRow.id).where(ItemRow.kind == "qti")).one()


def test_a_teacher_marks_an_answer_and_the_learner_sees_it(
    ctx: ServiceContext,
    school: TinySchool,
    browser_for: Callable[[str], TestClient],
    web: Any,
    tmp_path: Path,
) -> None:
    item_id = _essay(ctx, tmp_path)
    learner = browser_for("learner1")
    token = web.csrf_of(learner.get(f"/learners/{school.ids['learner1']}").text)
    sent = learner.post(
        "/learn/answer",
        data={"item_id": str(item_id), "csrf_token": token, "qti:RESPONSE": "Dear Ann,\nthe sea is warm."},
    )
    assert sent.status_code == 200

    assert "The teacher will score it" in learner.get(f"/learners/{school.ids['learner1']}").text
    teacher = browser_for("teacher1")
    class_a = school.ids["classA"]
    assert "To mark (1 answer)" in teacher.get(f"/classes/{class_a}").text
    page = teacher.get(f"/classes/{class_a}/to-mark")
    assert page.status_code == 200
    assert "Dear Ann,\nthe sea is warm." in page.text
    [action] = re.findall(r'action="(/classes/\d+/to-mark/\d+)"', page.text)
    token = web.csrf_of(page.text)

    no_csrf = teacher.post(action, data={"points": "1"}, follow_redirects=False)
    assert no_csrf.status_code == 403
    not_a_number = teacher.post(action, data={"points": "lots", "csrf_token": token}, follow_redirects=False)
    assert not_a_number.status_code == 422
    too_many = teacher.post(action, data={"points": "99", "csrf_token": token}, follow_redirects=False)
    assert too_many.status_code == 422
    with ctx.unit() as s:
        assert s.scalars(select(TeacherScore)).all() == []
    other = browser_for("teacher2")  # not their class
    other_token = web.csrf_of(other.get("/classes").text)
    not_theirs = other.post(action, data={"points": "1", "csrf_token": other_token}, follow_redirects=False)
    assert not_theirs.status_code == 404

    done = teacher.post(
        action,
        data={"points": "1", "comment": "Lovely postcard!", "csrf_token": token},
        follow_redirects=False,
    )
    assert done.status_code == 303 and done.headers["location"].endswith("/to-mark?scored=1")
    after = teacher.get(done.headers["location"])
    assert "Score saved." in after.text and "Nothing to mark right now." in after.text
    assert "To mark (0 answers)" in teacher.get(f"/classes/{class_a}").text
    again = teacher.post(action, data={"points": "0", "csrf_token": token}, follow_redirects=False)
    assert again.status_code == 409

    progress = learner.get(f"/learners/{school.ids['learner1']}").text
    assert "Scored by the teacher" in progress and "Lovely postcard!" in progress
    assert "The teacher will score it" not in progress and "✓ Right" in progress


def test_the_page_speaks_spanish(
    ctx: ServiceContext,
    school: TinySchool,
    browser_for: Callable[[str], TestClient],
    web: Any,
    tmp_path: Path,
) -> None:
    _essay(ctx, tmp_path)
    teacher = browser_for("teacher1")
    page = f"/classes/{school.ids['classA']}/to-mark"
    token = web.csrf_of(teacher.get(page).text)
    switched = teacher.post(
        "/lang", data={"lang": "es", "next": page, "csrf_token": token}, follow_redirects=False
    )
    assert switched.status_code == 303
    text = teacher.get(page).text
    assert "Por corregir: " in text and "No hay nada por corregir ahora." in text
