"""Building blocks for the demo items: bilingual templates, number formatting, common-error arithmetic.

Pure and deterministic: answers are computed here (never typed), choice order is shuffled with a
``random.Random`` seeded by the item code, and difficulty follows the order items are written in.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

from learnpath.core.items import Choice, Item, _parse_number
from learnpath.errors import FieldError, ValidationError

__all__ = [
    "FEWER",
    "GREATER",
    "LESS",
    "MORE",
    "NO",
    "YES",
    "Answers",
    "Bi",
    "Number",
    "SkillItems",
    "add_minutes",
    "clock",
    "digit_at",
    "fmt",
    "forgot_zero",
    "fr",
    "greater_or_less",
    "more_or_less",
    "no_carry_product",
    "no_carry_sum",
    "round_to",
    "smaller_from_larger",
]

Bi = tuple[str, str]
"""A text in (English, Spanish)."""

Number = int | Fraction | Decimal
Option = str | Bi

KEYS = ("a", "b", "c", "d")

Answers = tuple[list[str], list[str]]
"""Accepted text answers in (English, Spanish)."""
GREATER: Answers = (["greater", "more", "bigger", ">"], ["mayor", "más grande", "mas grande", ">"])
LESS: Answers = (["less", "smaller", "<"], ["menor", "más pequeña", "mas pequeña", "<"])
MORE: Answers = (["more", "greater", ">"], ["más", "mas", "mayor", ">"])
FEWER: Answers = (["less", "fewer", "<"], ["menos", "menor", "<"])
YES: Answers = (["yes"], ["sí", "si"])
NO: Answers = (["no"], ["no"])
EASIEST, HARDEST = -1.5, 1.5


def fmt(value: Number, commas: bool = True) -> str:
    """A number as a child reads it: ``12,345``, ``3/4``, ``0.35`` (no trailing zeros)."""
    if isinstance(value, Fraction):
        if value.denominator == 1:
            return fmt(value.numerator, commas)
        return f"{value.numerator}/{value.denominator}"
    if isinstance(value, Decimal):
        whole, _, part = format(value.normalize(), "f").partition(".")
        return f"{fmt(int(whole), commas)}.{part}" if part else fmt(int(whole), commas)
    return f"{value:,}" if commas else str(value)


def fr(n: int, d: int) -> str:
    """A fraction as written, not reduced (2/8 stays 2/8)."""
    return f"{n}/{d}"


def greater_or_less(a: Number, b: Number) -> Answers:
    """The accepted answers to "is a greater or less than b?"."""
    return GREATER if a > b else LESS


def more_or_less(a: Number, b: Number) -> Answers:
    """The accepted answers to "is a more or less than b?"."""
    return MORE if a > b else FEWER


def round_to(n: int, place: int) -> int:
    """Round half up to a multiple of ``place`` (school rounding, not banker's)."""
    return (n + place // 2) // place * place


def digit_at(n: int, place: int) -> int:
    """The digit of ``n`` in ``place`` (1, 10, 100, ...)."""
    return n // place % 10


def no_carry_sum(a: int, b: int) -> int:
    """Column addition that forgets to carry: each column keeps only its ones digit."""
    out, place = 0, 1
    while a or b:
        out += (a % 10 + b % 10) % 10 * place
        a, b, place = a // 10, b // 10, place * 10
    return out


def smaller_from_larger(a: int, b: int) -> int:
    """Column subtraction that takes the smaller digit from the larger instead of regrouping."""
    out, place = 0, 1
    while a or b:
        out += abs(a % 10 - b % 10) * place
        a, b, place = a // 10, b // 10, place * 10
    return out


def no_carry_product(a: int, b: int) -> int:
    """Multiplying ``a`` by a one-digit ``b`` without adding the carried digits (58 × 6 -> 308)."""
    out, place = 0, 1
    while a >= 10:
        out += a % 10 * b % 10 * place
        a, place = a // 10, place * 10
    return out + a * b * place


def forgot_zero(a: int, b: int) -> int:
    """Two-digit multiplication without the placeholder zero in the tens row."""
    return a * (b % 10) + a * (b // 10)


def clock(minutes: int) -> str:
    """Minutes after midnight as a 12-hour clock time such as ``9:05``."""
    h, m = divmod(minutes % (12 * 60), 60)
    return f"{h or 12}:{m:02d}"


def add_minutes(h: int, m: int, extra: int) -> str:
    return clock(h * 60 + m + extra)


def _value(option: str) -> float | None:
    """The number an option shows (``"$4.25"``, ``"30 square feet"``), None for expressions and times."""
    first, *rest = option.removeprefix("$").split() or [""]
    return _parse_number(first) if all(word.isalpha() for word in rest) else None


def _pair(option: Option) -> Bi:
    return (option, option) if isinstance(option, str) else option


@dataclass
class SkillItems:
    """Collects one skill's items, written from easiest to hardest, and numbers them ``CODE-01``..."""

    skill: str
    _specs: list[dict[str, Any]] = field(default_factory=list)

    def _code(self) -> str:
        return f"{self.skill}-{len(self._specs) + 1:02d}"

    def _base(self, prompt: Bi, hints: Sequence[Bi], explanation: Bi, also: Sequence[str]) -> dict[str, Any]:
        return {
            "code": self._code(),
            "prompt": prompt[0],
            "skills": (self.skill, *also),
            "hints": tuple(h[0] for h in hints),
            "explanation": explanation[0],
            "extra": {
                "prompt_es": prompt[1],
                "hints_es": [h[1] for h in hints],
                "explanation_es": explanation[1],
            },
        }

    def choice(
        self,
        prompt: Bi,
        correct: Option,
        wrong: Sequence[Option],
        hints: Sequence[Bi],
        explanation: Bi,
        also: Sequence[str] = (),
    ) -> None:
        """Four options: the correct one and the first three distinct plausible wrong ones."""
        spec = self._base(prompt, hints, explanation, also)
        right = _pair(correct)
        picked: list[Bi] = []
        for option in map(_pair, wrong):
            texts = [right[0], *(p[0] for p in picked)]
            value = _value(option[0])
            same_value = value is not None and any(_value(t) == value for t in texts)
            if option[0] not in texts and not same_value:
                picked.append(option)
            if len(picked) == 3:
                break
        if len(picked) < 3:
            raise ValidationError(
                f"item {spec['code']!r} needs 3 distinct wrong options",
                [FieldError("choices", f"expected 3 distinct wrong options, found {len(picked)}")],
            )
        options = [right, *picked]
        random.Random(spec["code"]).shuffle(options)
        spec["kind"] = "choice"
        spec["choices"] = tuple(Choice(k, o[0]) for k, o in zip(KEYS, options, strict=True))
        spec["answer"] = KEYS[options.index(right)]
        if any(o[0] != o[1] for o in options):
            spec["extra"]["choices_es"] = {k: o[1] for k, o in zip(KEYS, options, strict=True)}
        self._specs.append(spec)

    def numeric(
        self,
        prompt: Bi,
        answer: Number,
        hints: Sequence[Bi],
        explanation: Bi,
        errors: Sequence[Number | str] = (),
        tolerance: float = 0.0,
        also: Sequence[str] = (),
    ) -> None:
        """A number to type; ``errors`` are common wrong answers (kept for tests and simulations)."""
        spec = self._base(prompt, hints, explanation, also)
        spec["kind"] = "numeric"
        spec["answer"] = fmt(answer, commas=False)
        spec["tolerance"] = tolerance
        target = float(answer)
        wrong = [e if isinstance(e, str) else fmt(e, commas=False) for e in errors]
        spec["extra"]["common_errors"] = [
            w for w in dict.fromkeys(wrong) if (v := _parse_number(w)) is None or abs(v - target) > tolerance
        ]
        self._specs.append(spec)

    def text(
        self,
        prompt: Bi,
        answers: Sequence[str],
        answers_es: Sequence[str],
        hints: Sequence[Bi],
        explanation: Bi,
        errors: Sequence[str] = (),
        also: Sequence[str] = (),
    ) -> None:
        """Short text; any of ``answers`` (English) or ``answers_es`` (Spanish) is correct."""
        spec = self._base(prompt, hints, explanation, also)
        spec["kind"] = "text"
        spec["answer"] = answers[0]
        spec["accepted"] = tuple(dict.fromkeys([*answers[1:], *answers_es]))
        spec["extra"]["answer_es"] = answers_es[0]
        spec["extra"]["common_errors"] = list(errors)
        self._specs.append(spec)

    def build(self) -> list[Item]:
        """The items, with difficulty rising evenly from easiest to hardest (in logits)."""
        n = len(self._specs)
        step = (HARDEST - EASIEST) / max(n - 1, 1)
        return [Item(**spec, difficulty=round(EASIEST + i * step, 2)) for i, spec in enumerate(self._specs)]
