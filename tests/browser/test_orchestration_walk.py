"""Issue 7's walk, in a real browser on the demo school, with axe-core on every new page: teacher1 opens the
class dashboard, accepts suggested groups after moving one learner, builds a 4-station rotation and prints
it, assigns a flipped video to one group; a learner of that group watches it (the player's beacon) and
answers the check; the teacher sees who watched.

The server, Chromium and axe-core come from tests/browser/test_walk.py (same needs; skipped without them
unless LEARNPATH_REQUIRE_BROWSER=1). Each step prints its wall time (``-s`` shows them)."""

from __future__ import annotations

import importlib.util
import re
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

pytestmark = pytest.mark.browser

_spec = importlib.util.spec_from_file_location(
    "_learnpath_browser_walk", Path(__file__).with_name("test_walk.py")
)
assert _spec is not None and _spec.loader is not None
_walk = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = _walk  # dataclasses look their module up there
_spec.loader.exec_module(_walk)
school_server = _walk.school_server  # the demo school served by uvicorn (module-scoped fixture)
chromium = _walk.chromium  # Debian's Chromium through Playwright (module-scoped fixture)
SHOTS = _walk.SHOTS


class Steps:
    """Wall time of each step of the walk, printed at the end."""

    def __init__(self) -> None:
        self.times: list[tuple[str, float]] = []
        self._start = time.perf_counter()

    def done(self, name: str) -> None:
        now = time.perf_counter()
        self.times.append((name, now - self._start))
        self._start = now

    def report(self) -> str:
        return "\n".join(f"{name}: {seconds:.2f} s" for name, seconds in self.times)


def _members(ctx: Any, class_id: int, group_name: str) -> list[str]:
    """Usernames of a saved group's learners (read as the teacher would see them)."""
    from learnpath.service import groups
    from learnpath.service.access import Actor
    from learnpath.storage.tables import User

    with ctx.unit() as s:
        teacher = Actor.of(s.scalars(select(User).where(User.username == "teacher1")).one())
    group = next(g for g in groups.list_groups(ctx, teacher, class_id) if g.name == group_name)
    ids = [m.learner_id for m in group.members]
    with ctx.unit() as s:
        return list(s.scalars(select(User.username).where(User.id.in_(ids)).order_by(User.id)))


def _check_answers(ctx: Any, item_ids: list[int]) -> dict[int, tuple[str, str]]:
    from learnpath.service.catalog import load_catalog

    with ctx.unit() as s:
        catalog = load_catalog(s)
    code_of = {i: c for c, i in catalog.item_ids.items()}
    out: dict[int, tuple[str, str]] = {}
    for iid in item_ids:
        item = catalog.items[code_of[iid]]
        out[iid] = (item.kind, item.answer or item.accepted[0])
    return out


def test_teacher_runs_the_room_from_the_data(school_server: Any, chromium: Any) -> None:
    if school_server.kind != "demo":
        pytest.skip("the walk needs the demo school")
    base, password, ctx = school_server.base_url, school_server.password, school_server.ctx
    steps = Steps()
    teacher = _walk._visit(chromium, base)
    teacher.sign_in("teacher1", password)
    page = teacher.page

    # 1. The class dashboard (the class list opens it).
    page.locator(".card-list a").first.click()
    page.wait_for_load_state()
    match = re.search(r"/classes/(\d+)", page.url)
    assert match, page.url
    class_id = int(match.group(1))
    if "/dashboard" not in page.url:
        teacher.goto(f"/classes/{class_id}/dashboard")
    assert page.get_by_role("heading", name="Class dashboard").is_visible()
    teacher.check_a11y("class dashboard")
    page.screenshot(path=str(SHOTS / "learnpath-dashboard.png"), full_page=True)
    steps.done("dashboard")

    # 2. Suggested groups: move one learner to another group, then accept (save) them.
    page.get_by_role("navigation", name="Class tools").get_by_role("link", name="Small groups").click()
    page.wait_for_load_state()
    page.get_by_label("Learners per group (at most)").fill("5")
    page.get_by_role("button", name="Suggest groups").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Suggested groups").is_visible()
    teacher.check_a11y("suggested groups")
    mover = page.locator(".group-card:not(.group-card-spare) .member").first
    mover_name = mover.locator(".member-name").inner_text()
    move = page.get_by_label(f"Move {mover_name} to group")
    second = page.locator("#name-1").input_value()
    move.select_option(label=second)
    page.get_by_role("button", name="Save groups").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Saved groups").is_visible()
    moved_to = page.locator(".group-card", has=page.locator(".member-name", has_text=mover_name))
    assert moved_to.locator("input.group-name").input_value() == second, "the moved learner stayed moved"
    teacher.check_a11y("saved groups")
    steps.done("groups suggested, one learner moved, accepted")

    # 3. A 4-station rotation (the usual four to start from), planned and printed.
    teacher.goto(f"/classes/{class_id}/rotation")
    names = [page.locator(f"#name_{i}").input_value() for i in range(4)]
    assert all(names), f"four starter stations expected, got {names}"
    page.get_by_label("Period (minutes)").fill("60")
    teacher.check_a11y("rotation set-up")
    page.get_by_role("button", name="Plan the rotation").click()
    page.wait_for_load_state()
    problems = page.locator("[role=alert]")
    assert re.search(r"/rotation/\d+$", page.url), problems.all_inner_texts() or page.url
    teacher.check_a11y("rotation plan")
    page.get_by_role("link", name="Print the plan").click()
    page.wait_for_load_state()
    assert page.url.endswith("/print")
    teacher.check_a11y("rotation print")
    page.pdf(path=str(SHOTS / "learnpath-rotation.pdf"))
    steps.done("4-station rotation planned and printed")

    # 4. A flipped video for one group.
    teacher.goto(f"/classes/{class_id}/assignments")
    teacher.check_a11y("assignments")
    page.get_by_label("Watch or read before class, with a short check").check()
    page.get_by_label("Video or reading (before class)").select_option(label="Watch: 37 rounds to 40 (video)")
    target = page.get_by_label("For", exact=True)
    group_option = target.locator("optgroup").first.locator("option").first
    group_label = group_option.inner_text()
    group_name = re.sub(r" \(\d+\)$", "", group_label)
    target.select_option(value=group_option.get_attribute("value") or "")
    page.get_by_label("Due date (optional)").fill("2099-01-31")
    page.get_by_role("button", name="Assign").click()
    page.wait_for_load_state()
    row = page.locator("table tbody tr").first
    assert "Before class: Watch: 37 rounds to 40" in row.inner_text() and group_name in row.inner_text()
    row.get_by_role("link").first.click()
    page.wait_for_load_state()
    before_url = page.url
    assert page.get_by_role("heading", name="Before class: Watch: 37 rounds to 40").is_visible()
    teacher.check_a11y("before class")
    steps.done("flipped video assigned to a group")

    # A learner of that group who has not watched it yet watches it and answers the check.
    members = _members(ctx, class_id, group_name)
    table = page.locator("#who-table")
    learner_name = None
    username = None
    from learnpath.storage.tables import User

    with ctx.unit() as s:
        display = dict(
            s.execute(select(User.username, User.display_name).where(User.username.in_(members))).all()
        )
    for u in members:
        cells = table.locator("tr", has=page.get_by_role("rowheader", name=display[u], exact=True))
        if "Did not watch yet" in cells.inner_text():
            username, learner_name = u, display[u]
            break
    assert username and learner_name, "someone in the group has not watched yet"
    learner = _walk._visit(chromium, base)
    learner.sign_in(username, password)
    card = learner.page.get_by_role("link", name=re.compile("Watch: 37 rounds to 40"))
    assert "Watch this before class" in card.inner_text()
    learner.check_a11y("learner home with a flipped video")
    card.click()
    learner.page.wait_for_load_state()
    video = learner.page.locator("video")
    assert video.get_attribute("data-progress-url")
    learner.page.evaluate(
        "() => { const v = document.querySelector('video'); v.muted = true; return v.play(); }"
    )
    learner.page.wait_for_function("() => document.querySelector('video').ended", timeout=30_000)
    learner.page.wait_for_timeout(500)  # the beacon's "ended"
    learner.check_a11y("flipped video page")
    learner.goto("/learn")
    learner.page.get_by_role("link", name=re.compile("Watch: 37 rounds to 40")).click()
    learner.page.wait_for_load_state()
    learner.page.get_by_role("link", name="Answer the questions").click()
    learner.page.wait_for_load_state()
    learner.check_a11y("the check")
    ids = [int(n.split("_")[1]) for n in learner.page.locator("[name^=item_]").evaluate_all(
        "els => [...new Set(els.map(e => e.name))]"
    )]  # fmt: skip
    for iid, (kind, answer) in _check_answers(ctx, ids).items():
        if kind == "choice":
            learner.page.locator(f'input[name="item_{iid}"][value="{answer}"]').check()
        else:
            learner.page.locator(f"#item_{iid}").fill(answer)
    learner.page.get_by_role("button", name="I am done").click()
    learner.page.wait_for_load_state()
    assert f"You got {len(ids)} of {len(ids)} right." in learner.page.content()
    learner.check_a11y("the check's result")
    steps.done("a learner watched and answered the check")

    # The teacher sees who watched.
    page.goto(before_url)
    row = table.locator("tr", has=page.get_by_role("rowheader", name=learner_name, exact=True))
    assert "Passed the check" in row.inner_text(), row.inner_text()
    assert page.get_by_role("heading", name="At a glance").is_visible()
    teacher.check_a11y("before class, after watching")
    page.screenshot(path=str(SHOTS / "learnpath-before-class.png"), full_page=True)
    steps.done("teacher sees who watched")
    print("\nissue 7 walk, wall time per step:\n" + steps.report())
