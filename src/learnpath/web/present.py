"""Shaping service results for templates: items in the UI language, answer feedback."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape
from typing import Any

from learnpath.core.items import Item
from learnpath.core.qti import QtiItem
from learnpath.service.learning import AttemptResult
from learnpath.web.charts import percent

__all__ = ["Change", "Feedback", "ItemView", "feedback_of", "item_view", "qti_answer"]


@dataclass(frozen=True)
class ItemView:
    """What a learner sees of an item (never its answer)."""

    id: int
    kind: str
    prompt: str
    choices: list[tuple[str, str]]
    hints: list[str]
    explanation: str
    html: str = ""
    """QTI items: the sanitised item body (interactions as form controls, media as served URLs)."""
    title: str = ""


def _text_list(value: Any) -> list[str] | None:
    if isinstance(value, list | tuple) and all(isinstance(v, str) for v in value):
        return list(value)
    return None


def _localized_choices(item: Item, locale: str) -> list[tuple[str, str]]:
    texts = {c.key: c.text for c in item.choices}
    extra = item.extra.get(f"choices_{locale}")
    if isinstance(extra, dict):
        texts.update({str(k): str(v) for k, v in extra.items() if str(k) in texts})
    elif (listed := _text_list(extra)) is not None and len(listed) == len(item.choices):
        texts = {c.key: t for c, t in zip(item.choices, listed, strict=True)}
    return [(c.key, texts[c.key]) for c in item.choices]


def item_view(
    item_id: int,
    item: Item,
    locale: str,
    media: Mapping[str, str] | None = None,
    answer_label: str = "Your answer",
) -> ItemView:
    """The item with its prompt, hints, choices and explanation in ``locale`` when the item has them
    (``extra['prompt_es']`` and so on); English otherwise. A QTI item's body gets its media URLs from
    ``media`` (package path -> URL) and ``answer_label`` as the accessible name of its answer boxes."""
    prompt, hints, explanation = item.prompt, list(item.hints), item.explanation
    if locale != "en":
        prompt = str(item.extra.get(f"prompt_{locale}") or prompt)
        hints = _text_list(item.extra.get(f"hints_{locale}")) or hints
        explanation = str(item.extra.get(f"explanation_{locale}") or explanation)
    html = title = ""
    if item.qti is not None:
        urls = media or {}
        html = item.qti.html(lambda path: urls.get(path, ""))
        html = html.replace('aria-label="answer"', f'aria-label="{escape(answer_label)}"')
        title = item.qti.title
    return ItemView(
        item_id, item.kind, prompt, _localized_choices(item, locale), hints, explanation, html, title
    )


def qti_answer(qti: QtiItem) -> str:
    """The correct response of a QTI item in words: choice texts where there are choices."""
    texts = {(i.response_identifier, key): text for i in qti.interactions for key, text in i.choices if text}
    parts = []
    for decl in qti.scoring.responses:
        values = list(decl.correct)
        if not values and decl.mapping is not None and decl.mapping.entries:
            best = max(e.value for e in decl.mapping.entries)
            values = [e.key for e in decl.mapping.entries if e.value == best and best > 0]
        if values:
            parts.append(", ".join(texts.get((decl.identifier, v), v) for v in values))
    return "; ".join(parts)


@dataclass(frozen=True)
class Change:
    code: str
    name: str
    before: int | None
    after: int


@dataclass(frozen=True)
class Feedback:
    correct: bool
    answer: str
    explanation: str
    changes: list[Change]
    hinted: bool
    """Right, but after a hint: the learner model does not count it as evidence of mastery yet."""
    needs_teacher: bool = False
    """An answer a teacher will score (QTI extended text): no right or wrong yet."""


def feedback_of(result: AttemptResult, view: ItemView, item: Item, hints_used: int) -> Feedback:
    """The result of an answer for the feedback panel; texts from ``view`` (the UI language)."""
    answer = result.correct_answer
    if item.kind == "choice":
        answer = dict(view.choices).get(item.answer, answer)
    elif item.qti is not None:
        answer = qti_answer(item.qti)
    changes: Sequence[Change] = [
        Change(s.code, s.name, None if before is None else percent(before), percent(s.p_mastery))
        for s, before in result.skills
    ]
    explanation = view.explanation or result.explanation
    return Feedback(
        result.correct,
        answer,
        explanation,
        list(changes),
        result.correct and hints_used > 0,
        result.needs_teacher,
    )
