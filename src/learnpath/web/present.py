"""Shaping service results for templates: items in the UI language, answer feedback."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from learnpath.core.items import Item
from learnpath.service.learning import AttemptResult
from learnpath.web.charts import percent

__all__ = ["Change", "Feedback", "ItemView", "feedback_of", "item_view"]


@dataclass(frozen=True)
class ItemView:
    """What a learner sees of an item (never its answer)."""

    id: int
    kind: str
    prompt: str
    choices: list[tuple[str, str]]
    hints: list[str]
    explanation: str


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


def item_view(item_id: int, item: Item, locale: str) -> ItemView:
    """The item with its prompt, hints, choices and explanation in ``locale`` when the item has them
    (``extra['prompt_es']`` and so on); English otherwise."""
    prompt, hints, explanation = item.prompt, list(item.hints), item.explanation
    if locale != "en":
        prompt = str(item.extra.get(f"prompt_{locale}") or prompt)
        hints = _text_list(item.extra.get(f"hints_{locale}")) or hints
        explanation = str(item.extra.get(f"explanation_{locale}") or explanation)
    return ItemView(item_id, item.kind, prompt, _localized_choices(item, locale), hints, explanation)


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


def feedback_of(result: AttemptResult, view: ItemView, item: Item, hints_used: int) -> Feedback:
    """The result of an answer for the feedback panel; texts from ``view`` (the UI language)."""
    answer = result.correct_answer
    if item.kind == "choice":
        answer = dict(view.choices).get(item.answer, answer)
    changes: Sequence[Change] = [
        Change(s.code, s.name, None if before is None else percent(before), percent(s.p_mastery))
        for s, before in result.skills
    ]
    explanation = view.explanation or result.explanation
    return Feedback(result.correct, answer, explanation, list(changes), result.correct and hints_used > 0)
