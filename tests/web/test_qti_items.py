"""QTI items on the learner page: the item with its image, scored on submit; media only for signed-in users."""

from __future__ import annotations

import os
import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import delete, select

from learnpath.service.context import ServiceContext
from learnpath.service.curriculum import SYSTEM
from learnpath.service.qti_import import import_qti
from learnpath.storage.tables import ItemRow, ItemSkill, SkillRow
from learnpath.testing.school import TinySchool

REPO = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("LEARNPATH_SHARED_DIR", REPO.parent / "shared"))
VOCAB = (
    SHARED
    / "fixtures/qti/1edtech-qti-examples/qtiv3-examples/items/shared-vocabulary/shared-vocabulary-imsmanifest.zip"
)
pytestmark = pytest.mark.skipif(not VOCAB.is_file(), reason=f"QTI fixtures not found at {VOCAB}")


def _only_qti_item(ctx: ServiceContext, tmp_path: Path, folder: str) -> int:
    """Import one item folder of the package, aligned to ADD, and make it the only practice item."""
    with zipfile.ZipFile(VOCAB) as z:
        z.extractall(tmp_path, [n for n in z.namelist() if n.startswith(f"Items/{folder}/")])
    import_qti(ctx, SYSTEM, tmp_path / "Items" / folder, skill="ADD")
    with ctx.unit() as s:
        qti_ids = list(s.scalars(select(ItemRow.id).where(ItemRow.kind == "qti")))
        s.execute(delete(ItemSkill).where(ItemSkill.item_id.not_in(qti_ids)))
        assert s.scalars(select(SkillRow.id).where(SkillRow.code == "ADD")).one()
    [item_id] = qti_ids
    return item_id


def test_learner_sees_the_item_with_its_image_and_is_scored(
    ctx: ServiceContext,
    school: TinySchool,
    browser_for: Callable[[str], TestClient],
    web: Any,
    tmp_path: Path,
) -> None:
    item_id = _only_qti_item(ctx, tmp_path, "Item_QTI3_Luggage_01")
    learner = browser_for("learner1")
    page = learner.get("/learn")
    assert page.status_code == 200
    html = page.text
    assert 'class="qti-item"' in html and 'name="qti:RESPONSE"' in html and 'type="radio"' in html
    [src] = re.findall(r'<img src="([^"]+)"', html)
    assert src.startswith(f"/learn/items/{item_id}/media/")
    image = learner.get(src)
    assert image.status_code == 200 and image.headers["content-type"] == "image/png"
    assert image.content.startswith(b"\x89PNG") and image.headers["x-content-type-options"] == "nosniff"
    assert "sandbox" in image.headers["content-security-policy"]
    for other in ("family1", "teacher1", "admin"):  # every signed-in role may read items
        assert browser_for(other).get(src).status_code == 200
    anonymous = TestClient(learner.app).get(src, follow_redirects=False)
    assert anonymous.status_code == 303 and anonymous.headers["location"].startswith("/login")
    assert learner.get(src.replace(f"/items/{item_id}/", "/items/999999/")).status_code == 404

    token = web.csrf_of(html)
    empty = learner.post("/learn/answer", data={"item_id": str(item_id), "csrf_token": token})
    assert empty.status_code == 422 and "Please give an answer first." in empty.text
    wrong = learner.post(
        "/learn/answer", data={"item_id": str(item_id), "csrf_token": token, "qti:RESPONSE": "ChoiceB"}
    )
    assert wrong.status_code == 200 and "Not quite." in wrong.text and "The answer is:" in wrong.text
    right = learner.post(
        "/learn/answer", data={"item_id": str(item_id), "csrf_token": token, "qti:RESPONSE": "ChoiceA"}
    )
    assert right.status_code == 200 and "Yes, that is right!" in right.text


def test_extended_text_goes_to_the_teacher(
    ctx: ServiceContext,
    school: TinySchool,
    browser_for: Callable[[str], TestClient],
    web: Any,
    tmp_path: Path,
) -> None:
    item_id = _only_qti_item(ctx, tmp_path, "Item_QTI3_WritingPostcard_01")
    learner = browser_for("learner1")
    page = learner.get("/learn")
    assert "<textarea" in page.text and 'aria-label="Your answer"' in page.text
    sent = learner.post(
        "/learn/answer",
        data={
            "item_id": str(item_id),
            "csrf_token": web.csrf_of(page.text),
            "qti:RESPONSE": "Dear Ann, hello!",
        },
    )
    assert sent.status_code == 200
    assert "Your teacher will read it and give it a score." in sent.text and "Not quite." not in sent.text
