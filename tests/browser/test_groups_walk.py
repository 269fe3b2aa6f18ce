"""The groups and teams board in a real browser on the demo school, with axe-core: suggested groups, one
learner dragged to another group and one moved with the keyboard-friendly select, saved and read back; then
suggested teams with roles. (Issue 7; the issue's whole walk is tests/browser/test_orchestration_walk.py.)"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.browser

_spec = importlib.util.spec_from_file_location(
    "_learnpath_browser_walk", Path(__file__).with_name("test_walk.py")
)
assert _spec is not None and _spec.loader is not None
_walk = sys.modules.get(_spec.name) or importlib.util.module_from_spec(_spec)
if _spec.name not in sys.modules:
    sys.modules[_spec.name] = _walk  # dataclasses look their module up there
    _spec.loader.exec_module(_walk)
school_server = _walk.school_server  # the demo school served by uvicorn (module-scoped fixture)
chromium = _walk.chromium


def _card_of(page: Any, name: str) -> Any:
    return page.locator(".group-card", has=page.locator(".member-name", has_text=name))


def test_groups_board_drag_select_save_and_teams(school_server: Any, chromium: Any) -> None:
    if school_server.kind != "demo":
        pytest.skip("the board walk needs the demo school")
    teacher = _walk._visit(chromium, school_server.base_url)
    teacher.sign_in("teacher1", school_server.password)
    page = teacher.page
    page.locator(".card-list a").first.click()
    page.wait_for_load_state()
    class_id = page.url.split("/classes/")[1].split("/")[0]
    teacher.goto(f"/classes/{class_id}/groups")
    page.get_by_label("Learners per group (at most)").fill("5")
    page.get_by_label("Form groups around").select_option(label="A shared next skill")
    page.get_by_role("button", name="Suggest groups").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Suggested groups").is_visible()
    teacher.check_a11y("suggested groups")

    first = page.locator(".group-card:not(.group-card-spare)").nth(0)
    second = page.locator(".group-card:not(.group-card-spare)").nth(1)
    second_name = second.locator("input.group-name").input_value()
    # drag the first learner of group 1 onto group 2 (onto its heading part: both are in view, so no scroll
    # moves another chip under the pointer between the press and the drag)
    dragged = first.locator(".member").first
    dragged_name = dragged.locator(".member-name").inner_text()
    dragged.locator(".member-name").drag_to(second.locator(".group-name-label"))
    assert (
        page.get_by_label(f"Move {dragged_name} to group").evaluate("s => s.options[s.selectedIndex].text")
        == second_name
    )
    # move another learner with the select (no mouse): the chip follows
    chip = first.locator(".member").first
    moved_name = chip.locator(".member-name").inner_text()
    page.get_by_label(f"Move {moved_name} to group").select_option(label=second_name)
    assert _card_of(page, moved_name).locator("input.group-name").input_value() == second_name
    # rename group 2: the selects follow
    second.locator("input.group-name").fill("Table time")
    page.get_by_role("button", name="Save groups").click()
    page.wait_for_load_state()
    assert page.get_by_role("status").filter(has_text="Groups saved.").is_visible()
    assert page.get_by_role("heading", name="Saved groups").is_visible()
    for name in (dragged_name, moved_name):
        assert _card_of(page, name).locator("input.group-name").input_value() == "Table time"
    teacher.check_a11y("saved groups")

    teacher.goto(f"/classes/{class_id}/teams")
    assert page.get_by_role("heading", name="Saved teams").is_visible(), "the demo has project teams"
    page.get_by_label("Learners per team (at most)").fill("4")
    page.get_by_role("button", name="Suggest teams").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Suggested teams").is_visible()
    assert page.locator(".member-role", has_text="Expert:").count() > 0
    teacher.check_a11y("suggested teams")
