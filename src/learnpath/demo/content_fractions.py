"""Fraction items: what fractions mean, comparing them, equivalent fractions."""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction as F

from learnpath.core.items import Item
from learnpath.demo.content_kit import (
    NO,
    YES,
    SkillItems,
    fmt,
    fr,
    greater_or_less,
)

__all__ = ["BUILDERS"]


def _g3_unit() -> list[Item]:
    s = SkillItems("G3.FRAC.UNIT")
    parts = (
        "The bottom number is how many equal parts. The top number is how many you take.",
        "El número de abajo dice cuántas partes iguales hay. El de arriba, cuántas tomas.",
    )
    s.choice(
        (
            "A pizza is cut into 4 equal slices. You eat 1 slice. What fraction of the pizza did you eat?",
            "Una pizza se corta en 4 rebanadas iguales. Te comes 1. ¿Qué fracción de la pizza te comiste?",
        ),
        fmt(F(1, 4)),
        ["4/1", "1/3", "3/4"],
        [parts],
        ("1 of 4 equal slices is 1/4.", "1 de 4 rebanadas iguales es 1/4."),
    )
    s.numeric(
        ("How many sixths make one whole?", "¿Cuántos sextos forman un entero?"),
        6,
        [
            (
                "A whole cut into sixths has how many parts?",
                "Un entero partido en sextos, ¿cuántas partes tiene?",
            )
        ],
        ("6 sixths make 1 whole: 6/6 = 1.", "6 sextos forman 1 entero: 6/6 = 1."),
        errors=[1],
    )
    s.text(
        ("Write the fraction 1/2 in words.", "Escribe la fracción 1/2 con palabras."),
        ["one half", "a half", "one-half", "half"],
        ["un medio", "medio", "una mitad", "la mitad", "mitad"],
        [("2 equal parts: each part is called a ...", "2 partes iguales: cada parte se llama ...")],
        ("1/2 is one half.", "1/2 es un medio (la mitad)."),
        errors=["one two", "uno dos"],
    )
    s.numeric(
        (
            "A bar is cut into 8 equal parts. 3 parts are shaded. What fraction is shaded? Write it like 1/2.",
            "Una barra se corta en 8 partes iguales. 3 están sombreadas. ¿Qué fracción está sombreada? Escríbela como 1/2.",
        ),
        F(3, 8),
        [parts],
        ("3 shaded parts out of 8 equal parts is 3/8.", "3 partes sombreadas de 8 iguales es 3/8."),
        errors=["5/8", "3/5", "8/3"],
    )
    s.choice(
        ("In the fraction 2/5, what does the 5 tell you?", "En la fracción 2/5, ¿qué te dice el 5?"),
        ("how many equal parts the whole has", "cuántas partes iguales tiene el entero"),
        [
            ("how many parts are shaded", "cuántas partes están sombreadas"),
            ("how many wholes there are", "cuántos enteros hay"),
            ("how big each part is in centimeters", "cuánto mide cada parte en centímetros"),
        ],
        [parts],
        (
            "The bottom number, 5, says the whole is cut into 5 equal parts.",
            "El número de abajo, 5, dice que el entero se parte en 5 partes iguales.",
        ),
    )
    s.text(
        ("Write the fraction 3/4 in words.", "Escribe la fracción 3/4 con palabras."),
        ["three fourths", "three quarters", "three-fourths", "three-quarters"],
        ["tres cuartos"],
        [("4 equal parts are called fourths (or quarters).", "4 partes iguales se llaman cuartos.")],
        ("3/4 is three fourths, also called three quarters.", "3/4 es tres cuartos."),
        errors=["three four", "tres cuatro"],
    )
    return s.build()


def _g3_compare() -> list[Item]:
    s = SkillItems("G3.FRAC.COMPARE")
    same_top = (
        "Same top number: fewer parts means bigger parts.",
        "Mismo número arriba: menos partes significa partes más grandes.",
    )
    same_bottom = (
        "Same bottom number: more parts taken means more.",
        "Mismo número abajo: tomar más partes es más.",
    )
    ask = ("Write greater or less.", "Escribe mayor o menor.")
    a, b = (2, 8), (5, 8)
    s.text(
        (
            f"Is {fr(*a)} greater or less than {fr(*b)}? {ask[0]}",
            f"¿{fr(*a)} es mayor o menor que {fr(*b)}? {ask[1]}",
        ),
        *greater_or_less(F(*a), F(*b)),
        [same_bottom],
        ("2 eighths is less than 5 eighths.", "2 octavos es menos que 5 octavos."),
        errors=["greater", "mayor"],
    )
    options = [F(1, 2), F(1, 3), F(1, 4), F(1, 8)]
    s.choice(
        ("Which fraction is the biggest?", "¿Qué fracción es la más grande?"),
        fmt(max(options)),
        [fmt(o) for o in sorted(options)],
        [same_top],
        (
            "Halves are the biggest parts, so 1/2 is biggest.",
            "Los medios son las partes más grandes, así que 1/2 es la mayor.",
        ),
    )
    s.choice(
        ("Which fraction is the same as 1 whole?", "¿Qué fracción es igual a 1 entero?"),
        fr(4, 4),
        ["1/4", "3/4", "4/8"],
        [("Take all the equal parts.", "Toma todas las partes iguales.")],
        ("4 of 4 parts is the whole thing: 4/4 = 1.", "4 de 4 partes es todo: 4/4 = 1."),
    )
    a, b = (1, 3), (1, 5)
    s.text(
        (
            f"Is {fr(*a)} greater or less than {fr(*b)}? {ask[0]}",
            f"¿{fr(*a)} es mayor o menor que {fr(*b)}? {ask[1]}",
        ),
        *greater_or_less(F(*a), F(*b)),
        [same_top],
        (
            "Thirds are bigger than fifths, so 1/3 is greater.",
            "Los tercios son más grandes que los quintos, así que 1/3 es mayor.",
        ),
        errors=["less", "menor"],
    )
    a, b = (2, 3), (2, 6)
    sign = ">" if F(*a) > F(*b) else "<" if F(*a) < F(*b) else "="
    s.choice(
        (
            f"Which sign makes this true? {fr(*a)} ☐ {fr(*b)}",
            f"¿Qué signo hace que sea verdad? {fr(*a)} ☐ {fr(*b)}",
        ),
        sign,
        [x for x in (">", "<", "=") if x != sign] + [("can't tell", "no se sabe")],
        [same_top],
        (
            "Thirds are bigger than sixths, so 2/3 > 2/6.",
            "Los tercios son más grandes que los sextos, así que 2/3 > 2/6.",
        ),
    )
    s.numeric(
        ("Fill in the missing number: 1 = ?/6", "Escribe el número que falta: 1 = ?/6"),
        6,
        [("A whole has all of its parts.", "Un entero tiene todas sus partes.")],
        ("6/6 is one whole.", "6/6 es un entero."),
        errors=[1, 0],
    )
    return s.build()


def _g4_equivalent() -> list[Item]:
    s = SkillItems("G4.FRAC.EQUIV")
    same = (
        "Multiply (or divide) the top and the bottom by the same number.",
        "Multiplica (o divide) arriba y abajo por el mismo número.",
    )
    s.numeric(
        ("1/2 = ?/8. What is the missing number?", "1/2 = ?/8. ¿Cuál es el número que falta?"),
        F(1, 2) * 8,
        [same],
        ("2 × 4 = 8, so 1 × 4 = 4: 1/2 = 4/8.", "2 × 4 = 8, así que 1 × 4 = 4: 1/2 = 4/8."),
        errors=[1 + 6, 2],
    )
    s.choice(
        ("Which fraction is equal to 2/3?", "¿Qué fracción es igual a 2/3?"),
        fr(2 * 2, 3 * 2),
        [fr(n, d) for n, d in ((3, 4), (2, 6), (4, 5)) if F(n, d) != F(2, 3)],
        [same],
        ("2/3 = (2 × 2)/(3 × 2) = 4/6.", "2/3 = (2 × 2)/(3 × 2) = 4/6."),
    )
    s.text(
        (
            "Are 2/5 and 4/10 equal fractions? Write yes or no.",
            "¿2/5 y 4/10 son fracciones equivalentes? Escribe sí o no.",
        ),
        *(YES if F(2, 5) == F(4, 10) else NO),
        [same],
        ("Yes: 2/5 = (2 × 2)/(5 × 2) = 4/10.", "Sí: 2/5 = (2 × 2)/(5 × 2) = 4/10."),
        errors=["no"],
    )
    s.numeric(
        ("3/4 = 9/?. What is the missing number?", "3/4 = 9/?. ¿Cuál es el número que falta?"),
        9 // 3 * 4,
        [same],
        ("3 × 3 = 9, so 4 × 3 = 12: 3/4 = 9/12.", "3 × 3 = 9, así que 4 × 3 = 12: 3/4 = 9/12."),
        errors=[4 + 6, 4],
    )
    s.choice(
        ("Which is 6/8 in simplest form?", "¿Cuál es 6/8 simplificada?"),
        fmt(F(6, 8)),
        [fr(n, d) for n, d in ((3, 8), (4, 6), (2, 3), (6, 4))],
        [("Divide the top and bottom by 2.", "Divide arriba y abajo entre 2.")],
        ("6 ÷ 2 = 3 and 8 ÷ 2 = 4, so 6/8 = 3/4.", "6 ÷ 2 = 3 y 8 ÷ 2 = 4, así que 6/8 = 3/4."),
    )
    s.text(
        (
            "Is 3/8 greater or less than 1/2? Write greater or less.",
            "¿3/8 es mayor o menor que 1/2? Escribe mayor o menor.",
        ),
        *greater_or_less(F(3, 8), F(1, 2)),
        [("Write 1/2 in eighths.", "Escribe 1/2 en octavos.")],
        ("1/2 = 4/8, and 3/8 is less than 4/8.", "1/2 = 4/8, y 3/8 es menor que 4/8."),
        errors=["greater", "mayor"],
        also=["G3.FRAC.COMPARE"],
    )
    return s.build()


BUILDERS: dict[str, Callable[[], list[Item]]] = {
    "G3.FRAC.UNIT": _g3_unit,
    "G3.FRAC.COMPARE": _g3_compare,
    "G4.FRAC.EQUIV": _g4_equivalent,
}
