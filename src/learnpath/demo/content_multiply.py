"""Multiplication items: equal groups, times tables, multi-digit products, factors and multiples."""

from __future__ import annotations

from collections.abc import Callable

from learnpath.core.items import Item
from learnpath.demo.content_kit import (
    NO,
    YES,
    SkillItems,
    fmt,
    forgot_zero,
    no_carry_product,
    round_to,
)

__all__ = ["BUILDERS"]


def _factors_of(n: int) -> list[int]:
    return [d for d in range(1, n + 1) if n % d == 0]


def _g3_meaning() -> list[Item]:
    s = SkillItems("G3.MUL.MEANING")
    groups = (
        "Count the groups, then how many are in each group.",
        "Cuenta los grupos y luego cuántos hay en cada grupo.",
    )
    s.numeric(
        (
            "There are 5 groups with 2 stars in each group. How many stars are there in all?",
            "Hay 5 grupos con 2 estrellas en cada grupo. ¿Cuántas estrellas hay en total?",
        ),
        5 * 2,
        [groups],
        ("5 groups of 2 is 5 × 2 = 10.", "5 grupos de 2 es 5 × 2 = 10."),
        errors=[7],
    )
    s.choice(
        (
            "There are 4 bags with 3 apples in each bag. Which shows how many apples there are?",
            "Hay 4 bolsas con 3 manzanas en cada una. ¿Qué muestra cuántas manzanas hay?",
        ),
        "4 × 3",
        ["4 + 3", "3 × 3", "4 × 4"],
        [groups],
        ("4 equal groups of 3 is 4 × 3.", "4 grupos iguales de 3 es 4 × 3."),
    )
    s.choice(
        ("Which is the same as 6 + 6 + 6?", "¿Qué es lo mismo que 6 + 6 + 6?"),
        "3 × 6",
        ["6 × 6", "3 + 6", "3 × 3"],
        [("How many 6s are added?", "¿Cuántos 6 se suman?")],
        ("Three 6s added together is 3 × 6 = 18.", "Tres veces 6 es 3 × 6 = 18."),
    )
    s.text(
        ("Is 3 × 4 the same as 4 × 3? Write yes or no.", "¿3 × 4 es lo mismo que 4 × 3? Escribe sí o no."),
        *(YES if 3 * 4 == 4 * 3 else NO),
        [("Draw 3 rows of 4 dots, then turn the paper.", "Dibuja 3 filas de 4 puntos y gira la hoja.")],
        (
            "Yes. Both are 12: you can multiply in any order.",
            "Sí. Los dos dan 12: se puede multiplicar en cualquier orden.",
        ),
        errors=["no"],
    )
    s.numeric(
        (
            "An array has 3 rows with 7 dots in each row. How many dots are there?",
            "Un arreglo tiene 3 filas con 7 puntos en cada fila. ¿Cuántos puntos hay?",
        ),
        3 * 7,
        [("Add 7 three times, or use 3 × 7.", "Suma 7 tres veces, o usa 3 × 7.")],
        ("3 rows of 7 is 3 × 7 = 21.", "3 filas de 7 es 3 × 7 = 21."),
        errors=[10, 37],
    )
    s.choice(
        (
            "There are 8 rows of chairs with 4 chairs in each row. How many chairs are there?",
            "Hay 8 filas de sillas con 4 sillas en cada fila. ¿Cuántas sillas hay?",
        ),
        fmt(8 * 4),
        [fmt(8 + 4), fmt(7 * 4), fmt(8 * 5)],
        [groups],
        ("8 rows of 4 is 8 × 4 = 32 chairs.", "8 filas de 4 es 8 × 4 = 32 sillas."),
    )
    return s.build()


def _g3_facts() -> list[Item]:
    s = SkillItems("G3.MUL.FACTS")
    for a, b, kind in ((2, 6, "n"), (5, 7, "c"), (4, 8, "n"), (6, 7, "c"), (8, 7, "c"), (9, 8, "n")):
        hint = (
            f"Start from a fact you know, like {a} × {b - 1} = {a * (b - 1)}, and add {a} more.",
            f"Empieza con una tabla que sepas, como {a} × {b - 1} = {a * (b - 1)}, y suma {a} más.",
        )
        expl = (f"{a} × {b} = {a * b}: {b} groups of {a}.", f"{a} × {b} = {a * b}: {b} grupos de {a}.")
        prompt = (f"{a} × {b} = ?", f"{a} × {b} = ?")
        near = [a * (b - 1), a * (b + 1), (a + 1) * b, a + b]
        if kind == "c":
            s.choice(prompt, fmt(a * b), [fmt(v) for v in near], [hint], expl)
        else:
            s.numeric(prompt, a * b, [hint], expl, errors=near)
    return s.build()


def _g4_multiply() -> list[Item]:
    s = SkillItems("G4.MUL.MULTI")
    carry = (
        "Multiply each digit, starting with the ones, and add what you carried.",
        "Multiplica cada cifra, empezando por las unidades, y suma lo que llevas.",
    )
    rows = (
        "Make two rows: one for the ones and one for the tens (start it with a 0).",
        "Haz dos filas: una para las unidades y otra para las decenas (empieza con un 0).",
    )
    s.numeric(
        ("23 × 4 = ?", "23 × 4 = ?"),
        23 * 4,
        [carry],
        ("20 × 4 = 80 and 3 × 4 = 12, so 80 + 12 = 92.", "20 × 4 = 80 y 3 × 4 = 12, así que 80 + 12 = 92."),
        errors=[no_carry_product(23, 4), 27],
    )
    s.numeric(
        ("58 × 6 = ?", "58 × 6 = ?"),
        58 * 6,
        [carry],
        (
            "50 × 6 = 300 and 8 × 6 = 48, so 300 + 48 = 348.",
            "50 × 6 = 300 y 8 × 6 = 48, así que 300 + 48 = 348.",
        ),
        errors=[no_carry_product(58, 6), 308],
    )
    a, b = 24, 13
    s.choice(
        (f"{a} × {b} = ?", f"{a} × {b} = ?"),
        fmt(a * b),
        [
            fmt(v)
            for v in (
                forgot_zero(a, b),
                (a // 10) * (b // 10) * 100 + (a % 10) * (b % 10),
                a * b - 10,
                a * b + 10,
            )
        ],
        [rows],
        (
            f"{a} × 3 = {a * 3} and {a} × 10 = {a * 10}, so {a * 3} + {a * 10} = {a * b}.",
            f"{a} × 3 = {a * 3} y {a} × 10 = {a * 10}, así que {a * 3} + {a * 10} = {a * b}.",
        ),
    )
    a, b = 24, 15
    s.choice(
        (
            f"A box holds {a} crayons. How many crayons are in {b} boxes?",
            f"Una caja tiene {a} crayones. ¿Cuántos crayones hay en {b} cajas?",
        ),
        fmt(a * b),
        [fmt(v) for v in (forgot_zero(a, b), a + b, (a // 10) * (b // 10) * 100 + (a % 10) * (b % 10))],
        [rows],
        (
            f"{a} × 5 = {a * 5} and {a} × 10 = {a * 10}, so {a * 5} + {a * 10} = {a * b} crayons.",
            f"{a} × 5 = {a * 5} y {a} × 10 = {a * 10}, así que {a * 5} + {a * 10} = {a * b} crayones.",
        ),
    )
    a, b = 2_135, 4
    s.numeric(
        (f"{fmt(a)} × {b} = ?", f"{fmt(a)} × {b} = ?"),
        a * b,
        [carry],
        (
            f"2,000 × 4 + 100 × 4 + 30 × 4 + 5 × 4 = {fmt(a * b)}.",
            f"2,000 × 4 + 100 × 4 + 30 × 4 + 5 × 4 = {fmt(a * b)}.",
        ),
        errors=[no_carry_product(a, b)],
    )
    a, b = 47, 35
    s.numeric(
        (f"{a} × {b} = ?", f"{a} × {b} = ?"),
        a * b,
        [rows],
        (
            f"{a} × 5 = {a * 5} and {a} × 30 = {a * 30}, so {a * 5} + {a * 30} = {fmt(a * b)}.",
            f"{a} × 5 = {a * 5} y {a} × 30 = {a * 30}, así que {a * 5} + {a * 30} = {fmt(a * b)}.",
        ),
        errors=[forgot_zero(a, b), 40 * 30 + 7 * 5],
    )
    return s.build()


def _g4_factors() -> list[Item]:
    s = SkillItems("G4.OA.FACTORS")
    pairs = (
        "Factors come in pairs that multiply to the number.",
        "Los factores van en parejas que multiplicadas dan el número.",
    )
    n, factor = 24, 24 // 4
    s.choice(
        (f"Which number is a factor of {n}?", f"¿Qué número es factor de {n}?"),
        str(factor),
        [str(v) for v in (5, 7, 9) if n % v],
        [pairs],
        (
            f"{factor} × 4 = {n}, so {factor} is a factor of {n}.",
            f"{factor} × 4 = {n}, así que {factor} es factor de {n}.",
        ),
    )
    multiple = 7 * 6
    s.choice(
        ("Which number is a multiple of 7?", "¿Qué número es múltiplo de 7?"),
        str(multiple),
        [str(v) for v in (27, 45, 17) if v % 7],
        [("Count by 7s: 7, 14, 21, ...", "Cuenta de 7 en 7: 7, 14, 21, ...")],
        (f"7 × 6 = {multiple}.", f"7 × 6 = {multiple}."),
    )
    n = 12
    s.numeric(
        (f"How many factors does {n} have?", f"¿Cuántos factores tiene {n}?"),
        len(_factors_of(n)),
        [pairs, ("Don't forget 1 and the number itself.", "No olvides el 1 y el propio número.")],
        (
            f"The factors of {n} are {', '.join(map(str, _factors_of(n)))}: that is {len(_factors_of(n))}.",
            f"Los factores de {n} son {', '.join(map(str, _factors_of(n)))}: son {len(_factors_of(n))}.",
        ),
        errors=[len(_factors_of(n)) - 2, len(_factors_of(n)) // 2],
    )
    for n in (29, 51):
        prime = len(_factors_of(n)) == 2
        s.text(
            (
                f"Is {n} prime or composite? Write prime or composite.",
                f"¿{n} es primo o compuesto? Escribe primo o compuesto.",
            ),
            ["prime"] if prime else ["composite"],
            ["primo"] if prime else ["compuesto"],
            [
                (
                    "A prime number has exactly two factors: 1 and itself.",
                    "Un número primo tiene exactamente dos factores: 1 y él mismo.",
                )
            ],
            (
                f"The factors of {n} are {', '.join(map(str, _factors_of(n)))}, so it is {'prime' if prime else 'composite'}.",
                f"Los factores de {n} son {', '.join(map(str, _factors_of(n)))}, así que es {'primo' if prime else 'compuesto'}.",
            ),
            errors=["composite", "compuesto"] if prime else ["prime", "primo"],
        )
    lcm = next(m for m in range(1, 25) if m % 4 == 0 and m % 6 == 0)
    s.numeric(
        (
            "What is the smallest number that is a multiple of both 4 and 6?",
            "¿Cuál es el menor número que es múltiplo de 4 y de 6?",
        ),
        lcm,
        [
            (
                "List the multiples of 6 and check which ones 4 goes into.",
                "Escribe los múltiplos de 6 y mira cuáles son múltiplos de 4.",
            )
        ],
        (
            f"Multiples of 6: 6, 12, ... and 12 is also a multiple of 4. The answer is {lcm}.",
            f"Múltiplos de 6: 6, 12, ... y 12 también es múltiplo de 4. La respuesta es {lcm}.",
        ),
        errors=[24, 2, 10],
    )
    return s.build()


def _g5_multiply() -> list[Item]:
    s = SkillItems("G5.MUL.MULTI")
    rows = (
        "Multiply by the ones, then by the tens (start that row with a 0), then add the rows.",
        "Multiplica por las unidades, luego por las decenas (esa fila empieza con 0) y suma las filas.",
    )
    est = (
        "Round each number, multiply, and compare with your answer.",
        "Redondea cada número, multiplica y compara con tu respuesta.",
    )
    a, b = 498, 31
    e = round_to(a, 100) * round_to(b, 10)
    s.choice(
        (f"Which is the best estimate of {a} × {b}?", f"¿Cuál es la mejor estimación de {a} × {b}?"),
        fmt(e),
        [fmt(v) for v in (e // 10, e * 10, 400 * 30)],
        [est],
        (
            f"{a} is about 500 and {b} is about 30; 500 × 30 = {fmt(e)}.",
            f"{a} es casi 500 y {b} es casi 30; 500 × 30 = {fmt(e)}.",
        ),
    )
    for a, b, kind in ((213, 32, "n"), (405, 26, "c"), (1_234, 15, "n"), (567, 48, "n")):
        prompt = (f"{fmt(a)} × {b} = ?", f"{fmt(a)} × {b} = ?")
        ones, tens = a * (b % 10), a * (b // 10 * 10)
        expl = (
            f"{fmt(a)} × {b % 10} = {fmt(ones)} and {fmt(a)} × {b // 10 * 10} = {fmt(tens)}; {fmt(ones)} + {fmt(tens)} = {fmt(a * b)}.",
            f"{fmt(a)} × {b % 10} = {fmt(ones)} y {fmt(a)} × {b // 10 * 10} = {fmt(tens)}; {fmt(ones)} + {fmt(tens)} = {fmt(a * b)}.",
        )
        slips = [forgot_zero(a, b), a * b - 100, a * b + 1000]
        if kind == "c":
            s.choice(prompt, fmt(a * b), [fmt(v) for v in slips], [rows], expl)
        else:
            s.numeric(prompt, a * b, [rows, est], expl, errors=slips)
    rows_n, seats = 38, 124
    s.choice(
        (
            f"A theater has {rows_n} rows with {seats} seats in each row. How many seats are there?",
            f"Un teatro tiene {rows_n} filas con {seats} asientos cada una. ¿Cuántos asientos hay?",
        ),
        fmt(rows_n * seats),
        [fmt(v) for v in (forgot_zero(seats, rows_n), rows_n + seats, rows_n * seats - 100)],
        [rows, est],
        (
            f"{seats} × {rows_n} = {fmt(rows_n * seats)} seats.",
            f"{seats} × {rows_n} = {fmt(rows_n * seats)} asientos.",
        ),
    )
    return s.build()


BUILDERS: dict[str, Callable[[], list[Item]]] = {
    "G3.MUL.MEANING": _g3_meaning,
    "G3.MUL.FACTS": _g3_facts,
    "G4.MUL.MULTI": _g4_multiply,
    "G4.OA.FACTORS": _g4_factors,
    "G5.MUL.MULTI": _g5_multiply,
}
