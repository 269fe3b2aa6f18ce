"""The demo school's own content beyond items: valid, in English and Spanish, for demo skills, with small local
videos that the app serves itself (never a CDN)."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

import pytest
from sqlalchemy import select

from learnpath.core.content import sniff_video
from learnpath.demo.content import PREREQUISITES, SKILLS
from learnpath.demo.resources import VIDEO_FILES, build_content
from learnpath.service import resources
from learnpath.service.content import SkillSpec, add_skills
from learnpath.service.context import ServiceContext
from learnpath.service.roster import add_school
from learnpath.settings import Settings
from learnpath.storage.tables import ContentRow


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return Settings(database_url=database_url, data_dir=str(tmp_path / "data"), _env_file=None)  # type: ignore[call-arg]


def test_demo_content_is_bilingual_and_for_demo_skills() -> None:
    contents = build_content()
    codes = {s.code for s in SKILLS}
    assert {c.kind for c in contents} == {"video", "reading", "activity", "project"}
    assert {c.modality for c in contents} == {"watch", "read", "do", "discuss"}
    for c in contents:
        assert set(c.skills) <= codes, c.code
        assert c.title_es and c.summary_es, c.code
        assert bool(c.body) == bool(c.body_es), c.code
        assert not c.url, "demo content never links to an outside site"
    projects = [c for c in contents if c.kind == "project"]
    assert projects and all(p.rubric is not None and p.rubric.max_points > 0 for p in projects)


def test_demo_videos_are_small_local_webm_files() -> None:
    by_code = {c.code: c for c in build_content()}
    for code, name in VIDEO_FILES.items():
        data = (files("learnpath.demo") / "media" / name).read_bytes()
        assert sniff_video(data[:64]) == "video/webm" and len(data) < 50_000, name
        assert by_code[code].kind == "video" and by_code[code].video_file


def test_demo_content_is_stored_with_its_videos(ctx: ServiceContext) -> None:
    with ctx.unit() as s:
        add_skills(
            s,
            "demo",
            "demo",
            [SkillSpec(k.code, k.name, k.name_es, grade=k.grade) for k in SKILLS],
            PREREQUISITES,
        )
        school_id = add_school(s, "Demo").id
        assert resources.add_demo_content(s, ctx, school_id) == len(build_content())
    with ctx.unit() as s:
        videos = list(s.scalars(select(ContentRow).where(ContentRow.kind == "video")))
    assert videos and all(v.video_media_type == "video/webm" and v.video_size for v in videos)
    for v in videos:
        assert (resources.videos_dir(ctx) / v.video_file).stat().st_size == v.video_size
