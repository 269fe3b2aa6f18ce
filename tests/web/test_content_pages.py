"""Content pages: teachers create, edit, import and upload; field errors in the page (English and Spanish);
videos served to the school only with their media type; the learner's Watch / Read / Do card."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from learnpath.settings import Settings
from learnpath.testing.school import TinySchool

WEBM = b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\xf7\x81\x01\x42\x82\x84webm" + b"\x00" * 300
FORM = {
    "code": "V-NEW",
    "kind": "video",
    "title": "Count with me",
    "title_es": "Cuenta conmigo",
    "modality": "",
    "minutes": "4",
    "grade_band": "K-1",
    "skills": ["ADD"],
    "tags": "Music, songs",
    "url": "https://example.org/count",
    "duration": "2:30",
    "difficulty": "-0.5",
}


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return Settings(
        database_url=database_url, data_dir=str(tmp_path / "data"), video_max_mb=1, _env_file=None
    )  # type: ignore[call-arg]


def _post(client: TestClient, web: Any, path: str, data: dict[str, Any], **kw: Any) -> Any:
    token = web.csrf_of(
        client.get("/content").text
        if "files" in kw or path.endswith("import")
        else client.get("/content/new").text
    )
    return client.post(path, data={**data, "csrf_token": token}, follow_redirects=False, **kw)


def test_a_teacher_creates_and_edits_content(
    browser_for: Callable[[str], TestClient], school: TinySchool, web: Any
) -> None:
    c = browser_for("teacher1")
    r = _post(c, web, "/content/new", FORM)
    assert r.status_code == 303, r.text
    page_url = r.headers["location"]
    page = c.get(page_url).text
    assert "Count with me" in page and "https://example.org/count" in page and "2:30" in page
    listing = c.get("/content", params={"kind": "video"}).text
    assert "Count with me" in listing and "Reading C-ADD" not in listing
    edit = c.get(f"{page_url}/edit").text
    assert 'value="2:30"' in edit and "music, songs" in edit
    token = web.csrf_of(edit)
    r = c.post(
        f"{page_url}/edit",
        data={**FORM, "title": "Count with us", "csrf_token": token},
        follow_redirects=False,
    )
    assert r.status_code == 303
    assert "Count with us" in c.get(page_url).text


def test_field_errors_are_shown_in_the_page_in_spanish_too(
    browser_for: Callable[[str], TestClient], school: TinySchool, web: Any
) -> None:
    c = browser_for("teacher1")
    bad = {**FORM, "minutes": "lots", "grade_band": "5-2", "url": "", "skills": []}
    r = _post(c, web, "/content/new", bad)
    assert r.status_code == 422
    assert 'id="minutes-error"' in r.text and "Type a whole number of minutes from 1 to 600." in r.text
    assert "The first grade must not be above the last." in r.text
    assert "A video needs a link or an uploaded file." in r.text
    assert "Pick at least one skill this teaches." in r.text
    assert 'value="Count with me"' in r.text, "what was typed stays in the form"
    assert re.search(r'id="f-minutes"[^>]*aria-describedby="minutes-error"[^>]*aria-invalid="true"', r.text)
    token = web.csrf_of(r.text)
    c.post("/lang", data={"lang": "es", "next": "/content/new", "csrf_token": token})
    r = _post(c, web, "/content/new", bad)
    assert r.status_code == 422 and '<html lang="es">' in r.text
    assert "Escribe un número entero de minutos de 1 a 600." in r.text
    assert "Un video necesita un enlace o un archivo subido." in r.text


def test_uploaded_videos_are_served_to_the_school_only(
    browser_for: Callable[[str], TestClient], school: TinySchool, web: Any, tmp_path: Path
) -> None:
    teacher = browser_for("teacher1")
    url = _post(teacher, web, "/content/new", FORM).headers["location"]
    token = web.csrf_of(teacher.get(url).text)
    r = teacher.post(
        f"{url}/video",
        data={"csrf_token": token},
        files={"file": ("clip.mp4", b"<html>no</html>", "video/mp4")},
    )
    assert r.status_code == 422 and "This file is not an MP4, WebM or Ogg video." in r.text
    assert not list((tmp_path / "data").rglob("*.*")), "a refused upload leaves nothing behind"
    big = WEBM + b"\x00" * (1024 * 1024)
    r = teacher.post(
        f"{url}/video", data={"csrf_token": token}, files={"file": ("big.webm", big, "video/webm")}
    )
    assert r.status_code == 413 and "larger than the limit of 1 MB" in r.text
    r = teacher.post(
        f"{url}/video",
        data={"csrf_token": token},
        files={"file": ("clip.txt", WEBM, "text/plain")},
        follow_redirects=False,
    )
    assert r.status_code == 303
    learner = browser_for("learner2")
    got = learner.get(f"{url}/video")
    assert got.status_code == 200 and got.content == WEBM and got.headers["content-type"] == "video/webm"
    assert f'src="{url}/video"' in learner.get(url).text
    assert browser_for("learner_other").get(f"{url}/video").status_code == 404
    anonymous = TestClient(teacher.app)
    assert anonymous.get(f"{url}/video", follow_redirects=False).status_code == 303
    r = teacher.post(f"{url}/video", files={"file": ("clip.webm", WEBM, "video/webm")})
    assert r.status_code == 403, "no CSRF token, no upload"


def test_csv_import_in_the_page_lists_bad_rows(
    browser_for: Callable[[str], TestClient], school: TinySchool, web: Any
) -> None:
    c = browser_for("admin")
    bad = "code,kind,title,minutes,grade_band,skills,body\nA,reading,T,5,1,ADD,Hi\nB,reading,T,0,1,NOPE,Hi\n"
    r = _post(c, web, "/content/import", {}, files={"file": ("list.csv", bad.encode(), "text/csv")})
    assert r.status_code == 422
    assert "Nothing was imported." in r.text and "Line 3, column “minutes”" in r.text
    assert "Line 3, column “skills”: These skills do not exist: NOPE." in r.text
    assert "Line 2" not in r.text, "line 2 is a good row"
    good = bad.replace(",0,1,NOPE,", ",5,1,ADD,").replace("A,reading,T", "A,reading,First")
    r = _post(
        c, web, "/content/import", {"dry_run": "1"}, files={"file": ("list.csv", good.encode(), "text/csv")}
    )
    assert r.status_code == 200 and "2 would be added" in r.text and "Nothing was saved." in r.text
    r = _post(c, web, "/content/import", {}, files={"file": ("list.csv", good.encode(), "text/csv")})
    assert r.status_code == 200 and "Imported 2 rows: 2 added" in r.text and "First" in r.text


def test_learners_see_a_watch_read_do_card_and_open_content(
    browser_for: Callable[[str], TestClient], school: TinySchool, web: Any
) -> None:
    teacher = browser_for("teacher1")
    for skill in ("ADD", "SUB", "MUL"):
        data = {**FORM, "code": f"V-{skill}", "title": f"Video for {skill}", "skills": [skill]}
        assert _post(teacher, web, "/content/new", data).status_code == 303
    learner = browser_for("learner1")
    page = learner.get("/learn").text
    assert "Learn it another way" in page
    cards = re.findall(r'class="content-choice modality-(\w+)" href="(/content/\d+)"', page)
    assert cards and {m for m, _ in cards} <= {"watch", "read", "do", "discuss"}
    opened = learner.get(cards[0][1])
    assert (
        opened.status_code == 200 and "Back to practice" in opened.text and "For teachers" not in opened.text
    )
    reading = learner.get(f"/content/{school.ids['C-ADD']}").text
    assert "Count on from the bigger number." in reading
