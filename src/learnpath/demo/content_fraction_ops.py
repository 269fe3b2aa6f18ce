"""Fraction operation items: adding, subtracting and multiplying fractions."""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction as F

from learnpath.core.items import Item
from learnpath.demo.content_kit import (
    SkillItems,
    fmt,
    fr,
    more_or_less,
)

__all__ = ["BUILDERS"]


def _g4_addsub() -> list[Item]:
    s = SkillItems("G4.FRAC.ADDSUB")
    keep = (
        "Add or subtract the top numbers. The bottom number stays the same.",
        "Suma o resta los números de arriba. El de abajo se queda igual.",
    )
    s.numeric(
        ("2/7 + 3/7 = ?  Write it like 1/2.", "2/7 + 3/7 = ?  Escríbelo como 1/2."),
        F(2, 7) + F(3, 7),
        [keep],
        ("2 sevenths + 3 sevenths = 5 sevenths: 5/7.", "2 séptimos + 3 séptimos = 5 séptimos: 5/7."),
        errors=["5/14"],
    )
    s.numeric(
        ("1/4 + 1/4 + 1/4 = ?", "1/4 + 1/4 + 1/4 = ?"),
        F(3, 4),
        [keep],
        ("3 fourths: 3/4.", "3 cuartos: 3/4."),
        errors=["3/12"],
    )
    s.choice(
        ("5/8 − 2/8 = ?", "5/8 − 2/8 = ?"),
        fr(5 - 2, 8),
        ["3/16", "7/8", "2/8"],
        [keep],
        ("5 eighths − 2 eighths = 3 eighths: 3/8.", "5 octavos − 2 octavos = 3 octavos: 3/8."),
    )
    s.choice(
        (
            "Maya ate 3/6 of a pie and Leo ate 2/6. How much of the pie did they eat together?",
            "Maya comió 3/6 de un pay y Leo comió 2/6. ¿Cuánto pay comieron entre los dos?",
        ),
        fr(3 + 2, 6),
        [fr(5, 12), fr(1, 6), fr(6, 6)],
        [keep],
        ("3/6 + 2/6 = 5/6 of the pie.", "3/6 + 2/6 = 5/6 del pay."),
    )
    s.text(
        (
            "What is 1/3 + 1/3? Write the answer in words.",
            "¿Cuánto es 1/3 + 1/3? Escribe la respuesta con palabras.",
        ),
        ["two thirds", "two-thirds"],
        ["dos tercios"],
        [keep],
        ("1 third + 1 third = 2 thirds: two thirds.", "1 tercio + 1 tercio = 2 tercios: dos tercios."),
        errors=["two sixths", "dos sextos"],
    )
    s.numeric(
        ("1 − 3/5 = ?", "1 − 3/5 = ?"),
        1 - F(3, 5),
        [("Write 1 whole as 5/5.", "Escribe 1 entero como 5/5.")],
        ("5/5 − 3/5 = 2/5.", "5/5 − 3/5 = 2/5."),
        errors=["3/5", "2/0", "4/5"],
    )
    return s.build()


def _g5_addsub() -> list[Item]:
    s = SkillItems("G5.FRAC.ADDSUB")
    common = (
        "Rewrite both fractions with the same bottom number first.",
        "Primero escribe las dos fracciones con el mismo denominador.",
    )
    s.numeric(
        ("1/2 + 1/4 = ?", "1/2 + 1/4 = ?"),
        F(1, 2) + F(1, 4),
        [common],
        ("1/2 = 2/4, and 2/4 + 1/4 = 3/4.", "1/2 = 2/4, y 2/4 + 1/4 = 3/4."),
        errors=[fr(2, 6), fr(1, 8)],
    )
    s.numeric(
        (
            "What is the smallest common bottom number for 1/3 and 1/4?",
            "¿Cuál es el menor denominador común de 1/3 y 1/4?",
        ),
        next(m for m in range(1, 13) if m % 3 == 0 and m % 4 == 0),
        [
            (
                "Find the smallest number that both 3 and 4 go into.",
                "Busca el menor número que sea múltiplo de 3 y de 4.",
            )
        ],
        ("12 is the smallest multiple of both 3 and 4.", "12 es el menor múltiplo de 3 y de 4."),
        errors=[7, 24, 1],
        also=["G4.OA.FACTORS"],
    )
    s.choice(
        ("2/3 + 1/6 = ?", "2/3 + 1/6 = ?"),
        fmt(F(2, 3) + F(1, 6)),
        [fr(3, 9), fr(3, 6), fr(2, 18)],
        [common],
        ("2/3 = 4/6, and 4/6 + 1/6 = 5/6.", "2/3 = 4/6, y 4/6 + 1/6 = 5/6."),
    )
    s.text(
        (
            "Is 1/2 + 1/3 more or less than 1? Write more or less.",
            "¿1/2 + 1/3 es más o menos que 1? Escribe más o menos.",
        ),
        *more_or_less(F(1, 2) + F(1, 3), 1),
        [common],
        (
            "1/2 + 1/3 = 3/6 + 2/6 = 5/6, which is less than 1.",
            "1/2 + 1/3 = 3/6 + 2/6 = 5/6, que es menos que 1.",
        ),
        errors=["more", "más"],
    )
    s.numeric(
        ("3/4 − 1/3 = ?", "3/4 − 1/3 = ?"),
        F(3, 4) - F(1, 3),
        [common],
        (
            "3/4 = 9/12 and 1/3 = 4/12, so 9/12 − 4/12 = 5/12.",
            "3/4 = 9/12 y 1/3 = 4/12, así que 9/12 − 4/12 = 5/12.",
        ),
        errors=[fr(3 - 1, 4 - 3), fr(2, 12)],
    )
    a, b = F(3, 5), F(1, 4)
    s.choice(
        (
            f"Tom ran {fmt(a)} of a mile and walked {fmt(b)} of a mile. How far did he go in all?",
            f"Tom corrió {fmt(a)} de milla y caminó {fmt(b)} de milla. ¿Cuánto recorrió en total?",
        ),
        fmt(a + b),
        [fr(4, 9), fr(4, 20), fmt(a * b)],
        [common],
        (
            "3/5 = 12/20 and 1/4 = 5/20, so 12/20 + 5/20 = 17/20 of a mile.",
            "3/5 = 12/20 y 1/4 = 5/20, así que 12/20 + 5/20 = 17/20 de milla.",
        ),
    )
    return s.build()


def _g5_multiply() -> list[Item]:
    s = SkillItems("G5.FRAC.MULT")
    across = ("Multiply top × top and bottom × bottom.", "Multiplica arriba por arriba y abajo por abajo.")
    s.numeric(
        ("1/2 × 1/3 = ?", "1/2 × 1/3 = ?"),
        F(1, 2) * F(1, 3),
        [across],
        ("1 × 1 = 1 and 2 × 3 = 6, so 1/6.", "1 × 1 = 1 y 2 × 3 = 6: 1/6."),
        errors=[fr(2, 5), fr(2, 6)],
    )
    s.numeric(
        ("What is 3/4 of 20?", "¿Cuánto es 3/4 de 20?"),
        F(3, 4) * 20,
        [("Find 1/4 of 20 first, then take 3 of them.", "Primero calcula 1/4 de 20 y luego toma 3.")],
        ("20 ÷ 4 = 5, and 3 × 5 = 15.", "20 ÷ 4 = 5, y 3 × 5 = 15."),
        errors=[5, 80, 60],
    )
    s.text(
        (
            "Is 3/4 × 8 more or less than 8? Write more or less.",
            "¿3/4 × 8 es más o menos que 8? Escribe más o menos.",
        ),
        *more_or_less(F(3, 4) * 8, 8),
        [("Is 3/4 more or less than 1?", "¿3/4 es más o menos que 1?")],
        (
            "3/4 is less than 1, so 3/4 × 8 = 6 is less than 8.",
            "3/4 es menos que 1, así que 3/4 × 8 = 6 es menos que 8.",
        ),
        errors=["more", "más"],
    )
    s.choice(
        ("2/3 × 6 = ?", "2/3 × 6 = ?"),
        fmt(F(2, 3) * 6),
        [fr(2, 18), fr(8, 3), fmt(F(2, 3) + 6), "12"],
        [across],
        ("2/3 × 6 = 12/3 = 4.", "2/3 × 6 = 12/3 = 4."),
    )
    a, b = F(2, 5), F(3, 4)
    s.choice(
        (f"{fmt(a)} × {fmt(b)} = ?", f"{fmt(a)} × {fmt(b)} = ?"),
        fmt(a * b),
        [fr(5, 9), fr(8, 15), fr(6, 9)],
        [across],
        ("2 × 3 = 6 and 5 × 4 = 20: 6/20 = 3/10.", "2 × 3 = 6 y 5 × 4 = 20: 6/20 = 3/10."),
    )
    cup = F(2, 3)
    s.numeric(
        (
            f"A recipe uses {fmt(cup)} cup of sugar. How much sugar do you need for half the recipe?",
            f"Una receta usa {fmt(cup)} de taza de azúcar. ¿Cuánta azúcar necesitas para media receta?",
        ),
        cup * F(1, 2),
        [across],
        ("Half of 2/3 is 1/2 × 2/3 = 2/6 = 1/3 cup.", "La mitad de 2/3 es 1/2 × 2/3 = 2/6 = 1/3 de taza."),
        errors=[fmt(cup * 2), fr(1, 6), fr(2, 5)],
    )
    return s.build()


BUILDERS: dict[str, Callable[[], list[Item]]] = {
    "G4.FRAC.ADDSUB": _g4_addsub,
    "G5.FRAC.ADDSUB": _g5_addsub,
    "G5.FRAC.MULT": _g5_multiply,
}
