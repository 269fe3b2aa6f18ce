"""Issue 6 walked in a real browser on the demo school, with axe-core on every new page.

learner1 drafts a goal above grade level; teacher1 and family1 approve it (the teacher hears of it through
the bell); learner1 practises the goal's next step and the forecast moves; teacher1 holds a check-in and
moves the goal's date; learner1 adds a drawing with a reflection to their portfolio; family1 (linked to two
children, so the child switcher shows) sees the agreed goal with its new date, the check-in and the drawing.

Shares the app server, the browser and the page helpers of ``test_walk.py`` (loaded from its file: the tests
are not a package), each module with its own demo school.
"""

from __future__ import annotations

import importlib.util
import struct
import sys
import zlib
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.browser

_spec = importlib.util.spec_from_file_location(
    "learnpath_browser_walk", Path(__file__).with_name("test_walk.py")
)
assert _spec and _spec.loader
walk = sys.modules.get(_spec.name) or importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = walk
_spec.loader.exec_module(walk)

school_server = walk.school_server
chromium = walk.chromium
GOAL_SKILL = "G5.FRAC.ADDSUB"  # grade 5; learner1 is in grade 4
GOAL_TITLE = "Fractions like grade 5"


def _png(path: Path) -> Path:
    """A small real PNG (a red square), made here so the upload is checked by its bytes."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + b"\xff\x00\x00" * 16 for _ in range(16))
    header = struct.pack(">IIBBBBB", 16, 16, 8, 2, 0, 0, 0)
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )
    return path


def _goal_card(visit: Any) -> Any:
    return visit.page.locator("article.goal-card", has_text=GOAL_TITLE)


def _forecast(visit: Any) -> dict[str, str]:
    f = _goal_card(visit).locator("p.forecast")
    return {
        k: f.get_attribute(f"data-{k}") or "" for k in ("status", "expected", "left", "per-week", "progress")
    }


def _answer_right(visit: Any, ctx: Any) -> None:
    page = visit.page
    form = page.locator("form.item-form")
    item_id = int(form.locator("input[name=item_id]").get_attribute("value") or 0)
    kind, answer = walk._right_answer(ctx, item_id)
    if kind == "choice":
        page.locator(f'button.choice[value="{answer}"]').click()
    else:
        page.get_by_label("Your answer").fill(answer)
        page.get_by_role("button", name="Check my answer").click()
    page.locator(".feedback").wait_for()


def test_plan_walk(school_server: Any, chromium: Any, tmp_path: Path) -> None:
    if school_server.kind != "demo":
        pytest.skip("the walk needs the demo school")
    base, password, ctx = school_server.base_url, school_server.password, school_server.ctx

    # learner1 drafts a goal above their grade level
    learner = walk._visit(chromium, base)
    learner.sign_in("learner1", password)
    learner.page.get_by_role("link", name="My plan").click()
    learner.page.wait_for_load_state()
    learner.check_a11y("learner plan (empty)")
    learner.page.get_by_role("link", name="Write a new goal").click()
    learner.page.wait_for_load_state()
    learner.check_a11y("goal form")
    # no list of every skill: the skill is found by typing its code (htmx), ticked, and stays ticked
    # through a second search
    assert learner.page.locator('input[name="goal_skill"]').count() == 0
    learner.page.get_by_label("Name of the goal").fill(GOAL_TITLE)
    finder = learner.page.get_by_label("Add a skill (optional): type part of its name or code")
    finder.press_sequentially(GOAL_SKILL, delay=20)
    box = learner.page.locator(f'#found-new input[name="goal_skill"][value="{GOAL_SKILL}"]')
    box.wait_for()
    box.check()
    learner.check_a11y("goal form (skill found)")
    finder.fill("")
    finder.press_sequentially("fraction", delay=20)
    learner.page.locator(f'#found-new input[name="goal_skill"][value="{GOAL_SKILL}"][checked]').wait_for()
    assert box.is_checked() and box.count() == 1
    first_date = date.today() + timedelta(days=60)
    learner.page.get_by_label("By when? (optional)").fill(first_date.isoformat())
    learner.page.get_by_role("button", name="Save and ask everyone to agree").click()
    learner.page.wait_for_load_state()
    card = _goal_card(learner)
    assert "Waiting for a yes" in card.inner_text() and "Above my grade" in card.inner_text()
    learner.check_a11y("learner plan (proposed)")
    # "Change the goal": skills to add are found by typing (htmx), not picked from a list of every skill
    card.locator("summary", has_text="Change the goal").click()
    finder = card.get_by_label("Add a skill (optional): type part of its name or code")
    assert card.locator('input[name="goal_skill"]:not([checked])').count() == 0
    finder.press_sequentially("a", delay=50)
    found = card.locator('.skill-matches input[name="goal_skill"]')
    found.first.wait_for()
    assert 1 <= found.count() <= 20 and learner.page.locator("html").count() == 1
    learner.check_a11y("learner plan (finding a skill to add)")
    card.locator("summary", has_text="Change the goal").click()
    learner.page.screenshot(path=str(walk.SHOTS / "learnpath-plan-learner.png"), full_page=True)

    # teacher1 hears of it through the bell, and approves with a comment
    teacher = walk._visit(chromium, base)
    teacher.sign_in("teacher1", password)
    bell = teacher.page.locator("a.bell")
    assert "new notice" in bell.inner_text()
    bell.click()
    teacher.page.wait_for_load_state()
    teacher.check_a11y("notifications")
    notice = teacher.page.locator("li.notice", has_text=GOAL_TITLE).first
    notice.get_by_role("button", name="Open").click()
    teacher.page.wait_for_load_state()
    assert "/plan" in teacher.page.url
    card = _goal_card(teacher)
    card.get_by_label("Comment (needed when you ask for a change)").fill("A good stretch: go for it.")
    card.get_by_role("button", name="Approve").click()
    teacher.page.wait_for_load_state()
    assert "the family" in _goal_card(teacher).locator(".pending").inner_text()
    teacher.check_a11y("teacher plan")

    # family1 (two children) finds learner1's plan and approves: agreed
    family = walk._visit(chromium, base)
    family.sign_in("family1", password)
    assert family.page.url.endswith("/family")
    switcher = family.page.locator("nav.child-switcher")
    assert switcher.locator("a").count() == 2
    learner_name = learner.page.locator(".who-name").inner_text().removeprefix("Signed in as ")
    switcher.get_by_role("link", name=learner_name).click()
    family.page.wait_for_load_state()
    family.page.get_by_role("link", name="Plan and goals").click()
    family.page.wait_for_load_state()
    family.check_a11y("family plan")
    _goal_card(family).get_by_role("button", name="Approve").click()
    family.page.wait_for_load_state()
    assert "Agreed" in _goal_card(family).locator(".goal-state").inner_text()

    # learner1 practises the goal's next step; the forecast moves
    learner.page.reload()
    before = _forecast(learner)
    assert "Agreed" in _goal_card(learner).inner_text() and "A good stretch" in (
        _goal_card(learner).text_content() or ""
    )
    _goal_card(learner).locator("form.practise-form button").click()
    learner.page.wait_for_load_state()
    practice = learner.page.url.removeprefix(base)
    assert "skill=" in practice
    learner.check_a11y("practice of the goal's next step")
    for _ in range(6):
        _answer_right(learner, ctx)
        learner.goto(practice)
    learner.page.get_by_role("link", name="My plan").click()
    learner.page.wait_for_load_state()
    after = _forecast(learner)
    assert float(after["per-week"]) > float(before["per-week"]), (before, after)
    assert float(after["left"]) < float(before["left"]), (before, after)
    if before["expected"] and after["expected"]:
        assert after["expected"] <= before["expected"], (before, after)
    assert float(after["progress"]) >= float(before["progress"])
    learner.check_a11y("learner plan (after practice)")

    # teacher1 holds a check-in and moves the goal's date
    teacher.page.reload()
    teacher.page.get_by_role("link", name="Check-ins").click()
    teacher.page.wait_for_load_state()
    teacher.check_a11y("check-in page")
    new_date = first_date + timedelta(days=21)
    teacher.page.get_by_label(f"New target date for “{GOAL_TITLE}”").fill(new_date.isoformat())
    teacher.page.get_by_label("Notes for the learner and family").fill("Great start on fractions.")
    teacher.page.get_by_role("button", name="Save the check-in").click()
    teacher.page.wait_for_load_state()
    assert "Check-in saved" in teacher.page.content()
    teacher.check_a11y("check-in held")

    # learner1 adds a drawing with a reflection to their portfolio
    learner.page.get_by_role("link", name="My work").click()
    learner.page.wait_for_load_state()
    learner.check_a11y("portfolio")
    learner.page.get_by_label("Choose your drawing or photo").set_input_files(
        str(_png(tmp_path / "bridge.png"))
    )
    learner.page.get_by_label("Give it a name").fill("My fraction pizza")
    learner.page.get_by_label("Tell what you learned").fill("Halves and quarters can make the same amount.")
    goal_box = learner.page.locator("fieldset.portfolio-links label", has_text=GOAL_TITLE).first
    if goal_box.count():
        goal_box.locator("input").check()
    learner.page.get_by_role("button", name="Add my drawing").click()
    learner.page.wait_for_load_state()
    assert "My fraction pizza" in learner.page.content()
    learner.check_a11y("portfolio with a drawing")

    # family1 sees it all: the agreed goal with its new date, the check-in, the drawing
    family.page.reload()
    card = _goal_card(family)
    assert "Agreed" in card.inner_text() and new_date.isoformat() in card.inner_text()
    family.check_a11y("family plan (after check-in)")
    family.page.screenshot(path=str(walk.SHOTS / "learnpath-plan-family.png"), full_page=True)
    family.page.get_by_role("link", name="Check-ins").click()
    family.page.wait_for_load_state()
    assert "Great start on fractions." in family.page.content()
    family.check_a11y("family check-ins")
    family.page.go_back()
    family.page.wait_for_load_state()
    family.page.get_by_role("link", name="Portfolio").click()
    family.page.wait_for_load_state()
    assert "My fraction pizza" in family.page.content()
    assert "Halves and quarters" in family.page.content()
    family.check_a11y("family portfolio")
    # and no one else's plan: another learner's plan is 404 for family1
    response = family.goto("/learners/999999/plan")
    assert response is not None and response.status == 404
