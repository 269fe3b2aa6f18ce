"""The portfolio pages (issue 6): a learner adds a drawing with what they learned, a teacher gives feedback
and a score, the family sees it all, files come back with safe headers, the zip downloads, work is removed;
and the same over the API (multipart upload, feedback, export)."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from learnpath.service.context import ServiceContext
from learnpath.testing.school import PASSWORD, TinySchool

DRAWING = (Path(__file__).resolve().parents[1] / "data" / "drawing.png").read_bytes()
WORK_ID = re.compile(r'id="work-(\d+)"')


def _upload(client: TestClient, learner_id: int, token: str, data: bytes, **fields: Any) -> Any:
    form = {"csrf_token": token, "kind": "file", "title": "My house", "reflection": "3 rows of 4 is 12"}
    form.update(fields)
    return client.post(
        f"/learners/{learner_id}/portfolio",
        data=form,
        files={"file": ("house.png", data, "image/png")},
        follow_redirects=False,
    )


def test_learner_adds_a_drawing_teacher_scores_family_sees(
    browser_for: Callable[[str], TestClient], school: TinySchool, web: Any, ctx: ServiceContext
) -> None:
    lid = school.ids["learner1"]
    learner = browser_for("learner1")
    page = learner.get(f"/learners/{lid}/portfolio")
    assert page.status_code == 200
    for label in ("Add a drawing", "Choose your drawing or photo", "Give it a name", "Tell what you learned"):
        assert label in page.text
    assert 'for="work-file"' in page.text and 'for="work-reflection"' in page.text
    token = web.csrf_of(page.text)
    r = _upload(learner, lid, token, DRAWING, skill="MUL")
    assert r.status_code == 303 and r.headers["location"].startswith(
        f"/learners/{lid}/portfolio?saved=1#work-"
    )
    page = learner.get(f"/learners/{lid}/portfolio")
    work_id = int(WORK_ID.findall(page.text)[0])
    assert f'src="/portfolio/{work_id}/file"' in page.text and "3 rows of 4 is 12" in page.text
    got = learner.get(f"/portfolio/{work_id}/file")
    assert got.status_code == 200 and got.content == DRAWING
    assert got.headers["content-type"] == "image/png"
    assert got.headers["x-content-type-options"] == "nosniff"
    assert got.headers["content-disposition"].startswith("inline;")
    assert "sandbox" in got.headers["content-security-policy"]
    saved = learner.get(f"/portfolio/{work_id}/file?download=1")
    assert saved.headers["content-disposition"] == f'attachment; filename="{work_id}-my-house.png"'

    teacher = browser_for("teacher1")
    tpage = teacher.get(f"/learners/{lid}/portfolio")
    assert "Give feedback" in tpage.text and 'name="judge.MUL"' in tpage.text
    ttoken = web.csrf_of(tpage.text)
    r = teacher.post(
        f"/portfolio/{work_id}/feedback",
        data={"csrf_token": ttoken, "comment": "Lovely rows!", "judge.MUL": "shows"},
        follow_redirects=False,
    )
    assert r.status_code == 303
    again = teacher.post(
        f"/portfolio/{work_id}/feedback",
        data={"csrf_token": ttoken, "comment": "", "judge.MUL": "shows"},
        follow_redirects=False,
    )
    assert again.status_code == 409 and "already has a score" in again.text

    family = browser_for("family1")
    fpage = family.get(f"/learners/{lid}/portfolio")
    assert "Lovely rows!" in fpage.text and "Shows it" in fpage.text and "3 rows of 4 is 12" in fpage.text
    assert "Add my drawing" not in fpage.text and "Give feedback" not in fpage.text
    assert "gave feedback on “My house” by Learner1" in family.get("/notifications").text
    zipped = family.get(f"/learners/{lid}/portfolio/export")
    assert zipped.status_code == 200 and zipped.headers["content-type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(zipped.content)) as zf:
        index = zf.read("index.html").decode()
        assert "My house" in index and "Lovely rows!" in index and f'src="files/{work_id}.png"' in index
        assert zf.read(f"files/{work_id}.png") == DRAWING

    r = learner.post(f"/portfolio/{work_id}/delete", data={"csrf_token": token}, follow_redirects=False)
    assert r.status_code == 303
    assert learner.get(f"/portfolio/{work_id}/file").status_code == 404
    assert "Nothing here yet" in learner.get(f"/learners/{lid}/portfolio").text


def test_a_refused_file_comes_back_in_plain_words_and_spanish(
    browser_for: Callable[[str], TestClient], school: TinySchool, web: Any
) -> None:
    lid = school.ids["learner1"]
    learner = browser_for("learner1")
    token = web.csrf_of(learner.get(f"/learners/{lid}/portfolio").text)
    r = _upload(learner, lid, token, b"<html><script>alert(1)</script></html>", title="Kept title")
    assert r.status_code == 422
    assert "Other kinds of files cannot be added" in r.text and 'value="Kept title"' in r.text
    learner.post("/lang", data={"lang": "es", "next": "/", "csrf_token": token})
    r = _upload(learner, lid, token, b"MZ not a picture")
    assert r.status_code == 422 and "No se pueden añadir otros tipos de archivo" in r.text
    page = learner.get(f"/learners/{lid}/portfolio")
    assert "Añadir un dibujo" in page.text and "Cuenta lo que aprendiste" in page.text
    assert "Aún no hay nada" in page.text  # nothing was saved


def test_writing_and_link_forms(
    browser_for: Callable[[str], TestClient], school: TinySchool, web: Any
) -> None:
    lid = school.ids["learner1"]
    learner = browser_for("learner1")
    token = web.csrf_of(learner.get(f"/learners/{lid}/portfolio").text)
    r = learner.post(
        f"/learners/{lid}/portfolio",
        data={"csrf_token": token, "kind": "link", "title": "Pipes", "url": "javascript:alert(1)"},
        follow_redirects=False,
    )
    assert r.status_code == 422 and "http://" in r.text
    for data in (
        {"kind": "link", "title": "Pipes", "url": "https://example.org/pipes"},
        {"kind": "text", "title": "Notes", "body": "Romans used lead pipes.", "reflection": "Lead is bad"},
    ):
        r = learner.post(
            f"/learners/{lid}/portfolio", data={"csrf_token": token, **data}, follow_redirects=False
        )
        assert r.status_code == 303, r.text
    page = learner.get(f"/learners/{lid}/portfolio").text
    assert 'href="https://example.org/pipes" rel="noopener noreferrer nofollow"' in page
    assert "Romans used lead pipes." in page and "Lead is bad" in page


def _token(client: TestClient, username: str) -> dict[str, str]:
    r = client.post("/api/v1/auth/login", json={"username": username, "password": PASSWORD})
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


def test_the_api_uploads_scores_and_exports(client: TestClient, school: TinySchool) -> None:
    lid = school.ids["learner1"]
    learner, teacher = _token(client, "learner1"), _token(client, "teacher1")
    r = client.post(
        f"/api/v1/learners/{lid}/portfolio",
        headers=learner,
        data={"title": "House", "reflection": "12 windows", "skills": "MUL,ADD"},
        files={"file": ("x.txt", DRAWING, "text/plain")},  # the name and type sent do not matter
    )
    assert r.status_code == 201, r.text
    work = r.json()
    assert work["file"]["media_type"] == "image/png" and [s["code"] for s in work["skills"]] == ["ADD", "MUL"]
    bad = client.post(
        f"/api/v1/learners/{lid}/portfolio",
        headers=learner,
        data={"title": "x"},
        files={"file": ("a.png", b"<svg onload=alert(1)>", "image/png")},
    )
    assert bad.status_code == 422 and bad.json()["error"]["fields"][0]["field"] == "file"
    as_json = client.post(
        f"/api/v1/learners/{lid}/portfolio", headers=learner, json={"kind": "file", "title": "x"}
    )
    assert as_json.status_code == 422
    got = client.get(f"/api/v1/portfolio/{work['id']}/file", headers=learner)
    assert got.content == DRAWING and got.headers["x-content-type-options"] == "nosniff"
    r = client.post(
        f"/api/v1/portfolio/{work['id']}/feedback",
        headers=teacher,
        json={"comment": "Good", "judgements": {"MUL": "shows"}},
    )
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["feedback"]["score"] == 1.0 and body["skills"][0]["skill"]["code"] == "MUL"
    assert body["skills"][0]["p_mastery_before"] is None
    listed = client.get(f"/api/v1/learners/{lid}/portfolio", headers=_token(client, "family1")).json()
    assert [f["comment"] for f in listed["data"][0]["feedback"]] == ["Good"]
    zipped = client.get(f"/api/v1/learners/{lid}/portfolio/export", headers=learner)
    assert zipped.status_code == 200
    assert zipped.headers["content-disposition"].startswith('attachment; filename="portfolio-learner1-')
    with zipfile.ZipFile(io.BytesIO(zipped.content)) as zf:
        assert sorted(zf.namelist()) == [f"files/{work['id']}.png", "index.html"]
    assert client.delete(f"/api/v1/portfolio/{work['id']}", headers=learner).status_code == 204
    assert client.get(f"/api/v1/portfolio/{work['id']}/file", headers=learner).status_code == 404


class MemoryStore:
    """A store without local paths (as S3 is): files are sent from chunks."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}

    def put(self, key: str, source: Path, media_type: str) -> None:
        self.files[key] = source.read_bytes()

    def chunks(self, key: str) -> Any:
        data = self.files[key]
        return iter([data[i : i + 50] for i in range(0, len(data), 50)])

    def local_path(self, key: str) -> Path | None:
        return None

    def delete(self, key: str) -> None:
        self.files.pop(key, None)

    def exists(self, key: str) -> bool:
        return key in self.files


def test_a_store_without_local_files_streams(
    client: TestClient, school: TinySchool, ctx: ServiceContext
) -> None:
    store = MemoryStore()
    ctx.file_store = store
    lid = school.ids["learner1"]
    learner = _token(client, "learner1")
    r = client.post(
        f"/api/v1/learners/{lid}/portfolio",
        headers=learner,
        data={"title": "House"},
        files={"file": ("h.png", DRAWING, "image/png")},
    )
    assert r.status_code == 201 and len(store.files) == 1
    got = client.get(f"/api/v1/portfolio/{r.json()['id']}/file", headers=learner)
    assert got.content == DRAWING and got.headers["content-length"] == str(len(DRAWING))
    assert got.headers["content-disposition"].startswith("inline;")
    zipped = client.get(f"/api/v1/learners/{lid}/portfolio/export", headers=learner)
    with zipfile.ZipFile(io.BytesIO(zipped.content)) as zf:
        assert zf.read(f"files/{r.json()['id']}.png") == DRAWING
    assert client.delete(f"/api/v1/portfolio/{r.json()['id']}", headers=learner).status_code == 204
    assert store.files == {}
