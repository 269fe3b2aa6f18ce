"""The no-JavaScript form submitter used by the web tests: it sends what a browser would, no more."""

from __future__ import annotations

import pytest

from learnpath.testing.forms import press

PAGE = """
<form id="search" method="get" action="/search"></form>
<form method="post" action="/save#top">
  <input type="hidden" name="csrf_token" value="t">
  <input name="title" value="Old">
  <input type="checkbox" name="pick" value="a" checked>
  <input type="checkbox" name="pick" value="b">
  <input type="checkbox" name="pick" value="off" checked disabled>
  <select name="when"><option value="x">X</option><option value="y" selected>Y</option></select>
  <textarea name="note">
hello</textarea>
  <input name="q" form="search">
  <button type="submit" form="search">Find</button>
  <button type="submit" name="go" value="1" formaction="/find" formnovalidate>Look</button>
  <button type="submit" name="go" value="save">Save</button>
</form>
<input name="outside">
"""


def test_the_pressed_buttons_form_sends_its_own_ticked_and_typed_controls() -> None:
    sub = press(PAGE, "Save", fill={"title": "New"}, tick=[("pick", "b")], untick=[("pick", "a")])
    assert (sub.method, sub.url) == ("post", "/save")
    assert sub.fields == [
        ("csrf_token", "t"),
        ("title", "New"),
        ("pick", "b"),
        ("when", "y"),
        ("note", "hello"),
        ("go", "save"),
    ]
    look = press(PAGE, "Look")
    assert (look.method, look.url, look.values("go"), look.values("pick")) == ("post", "/find", ["1"], ["a"])
    assert look.as_data()["title"] == ["Old"]


def test_a_control_with_a_form_attribute_belongs_to_that_form_only() -> None:
    find = press(PAGE, "Find", fill={"q": "sums"})
    assert (find.method, find.url, find.fields) == ("get", "/search", [("q", "sums")])
    with pytest.raises(AssertionError, match="no check box"):
        press(PAGE, "Find", tick=[("pick", "b")])
    with pytest.raises(AssertionError, match="no field to type in"):
        press(PAGE, "Save", fill={"q": "x"})
    with pytest.raises(AssertionError, match="0 submit buttons"):
        press(PAGE, "Save", within="/elsewhere")
