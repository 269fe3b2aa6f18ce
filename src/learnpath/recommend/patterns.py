"""Repeated error patterns: the same wrong answer given again on a skill, a sign of a misconception.

A run of wrong answers says a skill is hard; the *same* wrong answer twice says the learner follows a
wrong rule (``1/2 + 1/3 = 2/5`` every time), which practice alone tends to repeat: the skill is offered
for re-teaching ("The same answer came up again. Let's look at it another way").

Rule (:func:`repeated_wrong_answers`), the same as the class dashboard's "likely misconception" alert
(``learnpath.orchestrate.dashboard``) so that teacher and learner see one story: over a learner's recent
answers, for each skill take its run of wrong answers since its last right one (a right answer ends the
pattern); the same wrong answer to the same question at least ``repeats`` times in that run is a pattern.
Answers are compared per question when ``same_item`` (the default): the same wrong answer to two different
questions is usually chance (``7`` to two sums). Normalising: case, spaces and number spelling (``4.0`` is
``4``, ``1,5`` is ``1.5``) do not matter; an empty answer is never a pattern. Pure: no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["AnswerRecord", "PatternRule", "normalise_answer", "repeated_wrong_answers"]

_SPACES = re.compile(r"\s+")
_NUMBER = re.compile(r"[+-]?(\d+([.,]\d*)?|[.,]\d+)")


@dataclass(frozen=True)
class AnswerRecord:
    """One answer as the rule needs it (oldest first in a history)."""

    skill: str
    item: str
    response: str
    correct: bool


def normalise_answer(response: str) -> str:
    """The answer as compared: trimmed, lower case, one space between words, numbers in one spelling."""
    text = _SPACES.sub(" ", response.strip().casefold())
    if _NUMBER.fullmatch(text):
        value = float(text.replace(",", "."))
        return str(int(value)) if value.is_integer() else repr(value)
    return text


@dataclass(frozen=True)
class PatternRule:
    repeats: int = 2
    same_item: bool = True

    def __post_init__(self) -> None:
        if self.repeats < 2:
            raise ValueError(f"repeats must be at least 2 (a pattern repeats), got {self.repeats}")


def repeated_wrong_answers(
    history: Iterable[AnswerRecord], rule: PatternRule | None = None
) -> dict[str, str]:
    """Skill -> the wrong answer (as the learner last wrote it) repeated on it, by ``rule``.

    ``history`` is oldest first; an answer on an item of several skills counts for each (one record each).
    When several wrong answers repeat, the most repeated wins (then the latest)."""
    rule = rule or PatternRule()
    runs: dict[str, list[AnswerRecord]] = {}
    for a in history:
        run = runs.setdefault(a.skill, [])
        if a.correct:
            run.clear()
        else:
            run.append(a)
    out: dict[str, str] = {}
    for skill, run in runs.items():
        seen: dict[tuple[str, str], list[int]] = {}
        for pos, a in enumerate(run):
            key = normalise_answer(a.response)
            if key:
                seen.setdefault((a.item if rule.same_item else "", key), []).append(pos)
        best = max(((len(p), p[-1]) for p in seen.values() if len(p) >= rule.repeats), default=None)
        if best is not None:
            out[skill] = run[best[1]].response.strip()
    return out
