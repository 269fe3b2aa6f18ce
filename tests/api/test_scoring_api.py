"""The scoring API: a class's answers to mark, and scoring one (own/other data, bad input, a final score)."""

from __future__ import annotations

import json
import os
import zipfile
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from learnpath.service.context import ServiceContext
from learnpath.service.curriculum import SYSTEM
from learnpath.service.qti_import import import_qti
from learnpath.storage.tables import ItemRow
from learnpath.testing.school import PASSWORD, TinySchool

REPO = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("LEARNPATH_SHARED_DIR", REPO.parent / "shared"))
VOCAB = (
    SHARED
    / "fixtures/qti/1edtech-qti-examples/qtiv3-examples/items/shared-vocabulary/shared-vocabulary-imsmanifest.zip"
)
pytestmark = pytest.mark.skipif(not VOCAB.is_file(), reason=f"QTI fixtures not found at {VOCAB}")


def _login(client: TestClient, username: str) -> dict[str, str]:
    r = client.post("/api/v1/auth/login", json={"username": username, "password": PASSWORD})
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


def _essay(ctx: ServiceContext, tmp_path: Path) -> int:
    with zipfile.ZipFile(VOCAB) as z:
        z.extractall(
            tmp_path, [n for n in z.namelist() if n.startswith("Items/Item_QTI3_WritingPostcard_01/")]
        )
    import_qti(ctx, SYSTEM, tmp_path / "Items" / "Item_QTI3_WritingPostcard_01", skill="ADD")
    with ctx.unit() as s:
        return s.scalars(select(ItemRow.id).where(ItemRow.kind == "qti")).one()


def test_list_and_score_through_the_api(
    client: TestClient, ctx: ServiceContext, school: TinySchool, tmp_path: Path
) -> None:
    item_id = _essay(ctx, tmp_path)
    ids = school.ids
    answers = {}
    for who in ("learner1", "learner3"):
        r = client.post(
            f"/api/v1/learners/{ids[who]}/attempts",
            headers=_login(client, who),
            json={"item_id": item_id, "response": json.dumps({"RESPONSE": f"postcard from {who}"})},
        )
        assert r.status_code == 201, r.text
        answers[who] = r.json()["attempt_id"]
    teacher = _login(client, "teacher1")
    listed = client.get(f"/api/v1/classes/{ids['classA']}/to-mark", headers=teacher).json()["data"]
    assert [a["attempt_id"] for a in listed] == [answers["learner1"]]
    top = listed[0]["max_points"]
    assert client.get(f"/api/v1/classes/{ids['classB']}/to-mark", headers=teacher).status_code == 404
    for who in ("learner1", "family1"):
        h = _login(client, who)
        assert client.get(f"/api/v1/classes/{ids['classA']}/to-mark", headers=h).status_code == 403
        r = client.post(f"/api/v1/attempts/{answers['learner1']}/score", headers=h, json={"points": top})
        assert r.status_code == 403
    # learner3 is in class B: not teacher1's, and admin_other's school is another
    url3 = f"/api/v1/attempts/{answers['learner3']}/score"
    assert client.post(url3, headers=teacher, json={"points": top}).status_code == 404
    assert client.post(url3, headers=_login(client, "admin_other"), json={"points": top}).status_code == 404

    url = f"/api/v1/attempts/{answers['learner1']}/score"
    bad = client.post(url, headers=teacher, json={"points": top + 1})
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "validation_error"
    assert client.post(url, headers=teacher, json={"points": "many"}).status_code == 422
    assert client.post(url, headers=teacher, json={"points": 1, "extra": 1}).status_code == 422
    ok = client.post(url, headers=teacher, json={"points": top, "comment": "Well done"})
    assert ok.status_code == 201, ok.text
    body = ok.json()
    assert body["mark"]["correct"] and body["mark"]["comment"] == "Well done"
    [change] = body["skills"]
    assert change["skill"]["code"] == "ADD" and change["skill"]["n_attempts"] == 1
    again = client.post(url, headers=teacher, json={"points": 0})
    assert again.status_code == 409 and again.json()["error"]["code"] == "conflict"
    assert client.get(f"/api/v1/classes/{ids['classA']}/to-mark", headers=teacher).json()["data"] == []
    # the school's admin scores learner3's answer (class B)
    admin = client.post(url3, headers=_login(client, "admin"), json={"points": 0})
    assert admin.status_code == 201 and not admin.json()["mark"]["correct"]
