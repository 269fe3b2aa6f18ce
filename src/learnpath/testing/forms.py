"""A browser without JavaScript, for tests: what a page's form sends when one of its buttons is pressed.

:func:`press` reads the page's HTML as a browser does for a form submission (the HTML standard's "constructing
the entry list", the parts our pages use): the form that owns the pressed button (its ``form`` attribute, or
the ``<form>`` around it), every control that form owns (also those outside it that name it with ``form=``),
ticked check boxes and radio buttons only, the pressed button's own name and value and no other button's,
and the button's ``formaction``/``formmethod`` over the form's. So a test can tick boxes, type, press
"Find" and see whether the ticks travel with the search, without a browser.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser

__all__ = ["Submission", "press"]


@dataclass
class _Control:
    tag: str
    attrs: dict[str, str]
    owner: int | None
    """Index of the owning form among the page's forms (None: no form)."""
    owner_id: str | None
    """The ``form`` attribute (the id of the owning form), resolved after the whole page is read."""
    text: str = ""
    options: list[tuple[str, bool]] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.attrs.get("name", "")

    @property
    def kind(self) -> str:
        default = "submit" if self.tag == "button" else "text"
        return self.attrs.get("type", default).lower() if self.tag in ("input", "button") else self.tag


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[dict[str, str]] = []
        self.controls: list[_Control] = []
        self._form: int | None = None
        self._open: list[_Control] = []  # textarea, button, select/option whose text is being read
        self._option: list[str] | None = None
        self._option_attrs: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form":
            self.forms.append(a)
            self._form = len(self.forms) - 1
        elif tag in ("input", "button", "select", "textarea"):
            control = _Control(tag, a, self._form, a.get("form"))
            self.controls.append(control)
            if tag != "input":
                self._open.append(control)
        elif tag == "option" and self._open and self._open[-1].tag == "select":
            self._finish_option()
            self._option, self._option_attrs = [], a

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "option":
            self._finish_option()
        elif tag in ("button", "select", "textarea") and self._open and self._open[-1].tag == tag:
            self._finish_option()
            self._open.pop()

    def handle_data(self, data: str) -> None:
        if self._option is not None:
            self._option.append(data)
        elif self._open and self._open[-1].tag in ("textarea", "button"):
            self._open[-1].text += data

    def _finish_option(self) -> None:
        if self._option is None or not self._open:
            return
        text = "".join(self._option).strip()
        value = self._option_attrs.get("value", text)
        self._open[-1].options.append((value, "selected" in self._option_attrs))
        self._option = None


@dataclass(frozen=True)
class Submission:
    method: str
    """``get`` or ``post``."""
    url: str
    """Where the form goes, without the ``#fragment`` (which stays in the browser)."""
    fields: list[tuple[str, str]]
    """Name and value of each control sent, in page order."""

    def values(self, name: str) -> list[str]:
        return [v for k, v in self.fields if k == name]

    def as_data(self) -> dict[str, list[str]]:
        """The fields grouped by name, for ``TestClient.post(data=...)`` or ``.get(params=...)``."""
        out: dict[str, list[str]] = {}
        for k, v in self.fields:
            out.setdefault(k, []).append(v)
        return out


def press(
    html: str,
    button: str,
    *,
    within: str = "",
    fill: dict[str, str] | None = None,
    tick: Iterable[tuple[str, str]] = (),
    untick: Iterable[tuple[str, str]] = (),
) -> Submission:
    """What the page sends when the submit button whose text is ``button`` is pressed, after typing ``fill``
    (name to value: the first text box, text area or select of that name in the button's form) and
    ticking or unticking check boxes given as (name, value). ``within``: part of the form's action, to pick
    one of several forms with such a button. AssertionError when the button, a field or a box is not
    there, or the button text is ambiguous."""
    page = _Page()
    page.feed(html)
    page.close()
    ids = {f["id"]: i for i, f in enumerate(page.forms) if "id" in f}
    for c in page.controls:
        if c.owner_id is not None:
            assert c.owner_id in ids, f"a control names form {c.owner_id!r}, which the page does not have"
            c.owner = ids[c.owner_id]
    pressed = [
        c
        for c in page.controls
        if c.tag == "button"
        and c.kind == "submit"
        and " ".join(c.text.split()) == button
        and c.owner is not None
        and within in page.forms[c.owner].get("action", "")
    ]
    assert len(pressed) == 1, f"{len(pressed)} submit buttons read {button!r} (within {within!r})"
    btn = pressed[0]
    assert btn.owner is not None
    form = page.forms[btn.owner]
    owned = [c for c in page.controls if c.owner == btn.owner]
    ticks, unticks = set(tick), set(untick)
    boxes = {(c.name, c.attrs.get("value", "on")) for c in owned if c.kind in ("checkbox", "radio")}
    for box in ticks | unticks:
        assert box in boxes, f"the form has no check box {box}"
    typed = dict(fill or {})
    fields: list[tuple[str, str]] = []
    for c in owned:
        if not c.name or "disabled" in c.attrs:
            continue
        kind = c.kind
        if kind in ("submit", "image", "reset", "button"):
            if c is btn:
                fields.append((c.name, c.attrs.get("value", "")))
        elif kind in ("checkbox", "radio"):
            value = c.attrs.get("value", "on")
            checked = (c.name, value) in ticks or ("checked" in c.attrs and (c.name, value) not in unticks)
            if checked:
                fields.append((c.name, value))
        elif kind == "file":
            continue
        elif c.name in typed:
            fields.append((c.name, typed.pop(c.name)))
        elif kind == "select":
            chosen = [v for v, sel in c.options if sel] or [v for v, _ in c.options[:1]]
            fields.extend((c.name, v) for v in chosen[:1])
        elif kind == "textarea":
            fields.append((c.name, c.text.removeprefix("\n")))
        else:
            fields.append((c.name, c.attrs.get("value", "")))
    assert not typed, f"the form has no field to type in: {sorted(typed)}"
    action = btn.attrs.get("formaction", form.get("action", ""))
    method = btn.attrs.get("formmethod", form.get("method", "get")).lower()
    return Submission(method, action.split("#", 1)[0], fields)
