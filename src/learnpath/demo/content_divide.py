"""Division items: division facts, remainders, dividing by two-digit numbers."""

from __future__ import annotations

from collections.abc import Callable
from decimal import ROUND_HALF_UP
from decimal import Decimal as D

from learnpath.core.items import Item
from learnpath.demo.content_kit import (
    SkillItems,
    fmt,
)

__all__ = ["BUILDERS"]


def _money(x: D) -> str:
    return f"${x:.2f}"


def _round_dec(x: D, places: int) -> D:
    return x.quantize(D(1).scaleb(-places), rounding=ROUND_HALF_UP)


def _g3_facts() -> list[Item]:
    s = SkillItems("G3.DIV.FACTS")
    think = (
        "Think of the times table: what times the divisor makes the number?",
        "Piensa en la tabla: ¿qué número por el divisor da el total?",
    )
    s.numeric(
        ("12 ÷ 3 = ?", "12 ÷ 3 = ?"),
        12 // 3,
        [think],
        ("3 × 4 = 12, so 12 ÷ 3 = 4.", "3 × 4 = 12, así que 12 ÷ 3 = 4."),
        errors=[12 - 3, 12 * 3],
    )
    s.choice(
        (
            "20 cookies are shared equally by 4 friends. How many cookies does each friend get?",
            "4 amigos se reparten 20 galletas en partes iguales. ¿Cuántas galletas recibe cada uno?",
        ),
        fmt(20 // 4),
        [fmt(20 - 4), fmt(20 * 4), fmt(20 + 4)],
        [think],
        ("20 ÷ 4 = 5, because 4 × 5 = 20.", "20 ÷ 4 = 5, porque 4 × 5 = 20."),
    )
    s.text(
        (
            "Which operation undoes multiplication? Write its name.",
            "¿Qué operación deshace la multiplicación? Escribe su nombre.",
        ),
        ["division", "divide", "dividing"],
        ["división", "division", "dividir"],
        [("If 3 × 5 = 15, then 15 ? 5 = 3.", "Si 3 × 5 = 15, entonces 15 ? 5 = 3.")],
        (
            "Division undoes multiplication: 3 × 5 = 15 and 15 ÷ 5 = 3.",
            "La división deshace la multiplicación: 3 × 5 = 15 y 15 ÷ 5 = 3.",
        ),
        errors=["subtraction", "resta"],
    )
    s.numeric(
        ("42 ÷ 6 = ?", "42 ÷ 6 = ?"),
        42 // 6,
        [think],
        ("6 × 7 = 42, so 42 ÷ 6 = 7.", "6 × 7 = 42, así que 42 ÷ 6 = 7."),
        errors=[42 - 6, 8],
    )
    s.choice(
        ("? × 8 = 56. What is the missing number?", "? × 8 = 56. ¿Cuál es el número que falta?"),
        fmt(56 // 8),
        [fmt(56 // 8 - 1), fmt(56 // 8 + 1), fmt(56 - 8)],
        [think],
        ("7 × 8 = 56, so the missing number is 7.", "7 × 8 = 56, así que el número que falta es 7."),
    )
    s.choice(
        ("63 ÷ 9 = ?", "63 ÷ 9 = ?"),
        fmt(63 // 9),
        [fmt(6), fmt(8), fmt(63 - 9)],
        [think],
        ("9 × 7 = 63, so 63 ÷ 9 = 7.", "9 × 7 = 63, así que 63 ÷ 9 = 7."),
    )
    return s.build()


def _g4_remainders() -> list[Item]:
    s = SkillItems("G4.DIV.REMAIN")
    left = (
        "Find the biggest multiple that fits, then see what is left over.",
        "Busca el múltiplo más grande que cabe y mira cuánto sobra.",
    )
    a, b = 17, 5
    s.numeric(
        (
            f"{a} ÷ {b} = {a // b} R ?  What is the remainder?",
            f"{a} ÷ {b} = {a // b} R ?  ¿Cuál es el residuo?",
        ),
        a % b,
        [left],
        (
            f"{b} × {a // b} = {b * (a // b)}, and {a} − {b * (a // b)} = {a % b}.",
            f"{b} × {a // b} = {b * (a // b)}, y {a} − {b * (a // b)} = {a % b}.",
        ),
        errors=[a // b, a - b],
    )
    a, b = 29, 4
    q, r = divmod(a, b)
    s.choice(
        (f"{a} ÷ {b} = ?", f"{a} ÷ {b} = ?"),
        f"{q} R {r}",
        [f"{q} R {r + 1}", f"{q - 1} R {r + b}", f"{q + 1} R {r}"],
        [
            left,
            (
                "The remainder must be smaller than the number you divide by.",
                "El residuo debe ser menor que el divisor.",
            ),
        ],
        (
            f"{b} × {q} = {b * q}, and {a} − {b * q} = {r}. So {q} R {r}.",
            f"{b} × {q} = {b * q}, y {a} − {b * q} = {r}. Entonces {q} R {r}.",
        ),
    )
    a, b = 50, 8
    s.numeric(
        (
            f"A ribbon is {a} cm long. You cut as many {b} cm pieces as you can. How many cm are left over?",
            f"Una cinta mide {a} cm. Cortas todos los trozos de {b} cm que puedas. ¿Cuántos cm sobran?",
        ),
        a % b,
        [left],
        (
            f"{a // b} pieces use {b * (a // b)} cm, so {a % b} cm are left.",
            f"{a // b} trozos usan {b * (a // b)} cm, así que sobran {a % b} cm.",
        ),
        errors=[a // b, b - a % b],
    )
    a, b = 23, 4
    s.numeric(
        (
            f"{a} kids ride in cars. Each car carries {b} kids. How many cars are needed?",
            f"{a} niños van en carros. En cada carro caben {b} niños. ¿Cuántos carros se necesitan?",
        ),
        -(-a // b),
        [
            left,
            (
                "Every kid needs a seat, even the ones left over.",
                "Cada niño necesita lugar, también los que sobran.",
            ),
        ],
        (
            f"{a} ÷ {b} = {a // b} R {a % b}. The {a % b} kids left need one more car: {-(-a // b)} cars.",
            f"{a} ÷ {b} = {a // b} R {a % b}. Los {a % b} que sobran necesitan otro carro: {-(-a // b)} carros.",
        ),
        errors=[a // b, a % b],
    )
    a, b = 156, 6
    s.choice(
        (f"{a} ÷ {b} = ?", f"{a} ÷ {b} = ?"),
        fmt(a // b),
        [fmt(v) for v in (a // b - 1, a // b + 10, a - b)],
        [("Split 156 into 120 + 36.", "Separa 156 en 120 + 36.")],
        (
            f"120 ÷ 6 = 20 and 36 ÷ 6 = 6, so {a} ÷ {b} = {a // b}.",
            f"120 ÷ 6 = 20 y 36 ÷ 6 = 6, así que {a} ÷ {b} = {a // b}.",
        ),
    )
    a, b = 845, 5
    s.choice(
        (f"{a} ÷ {b} = ?", f"{a} ÷ {b} = ?"),
        fmt(a // b),
        [fmt(v) for v in (a // b - 1, a // b + 10, 8 // 5 * 100 + 45 // 5, a * b)],
        [("Split 845 into 800 + 45.", "Separa 845 en 800 + 45.")],
        (
            f"800 ÷ 5 = 160 and 45 ÷ 5 = 9, so {a} ÷ {b} = {a // b}.",
            f"800 ÷ 5 = 160 y 45 ÷ 5 = 9, así que {a} ÷ {b} = {a // b}.",
        ),
    )
    return s.build()


def _g5_long() -> list[Item]:
    s = SkillItems("G5.DIV.LONG")
    guess = (
        "Estimate how many times the divisor fits, then multiply to check.",
        "Estima cuántas veces cabe el divisor y multiplica para comprobar.",
    )
    a, b = 84, 12
    s.numeric(
        (f"{a} ÷ {b} = ?", f"{a} ÷ {b} = ?"),
        a // b,
        [guess],
        (f"{b} × {a // b} = {a}.", f"{b} × {a // b} = {a}."),
        errors=[a - b, 6],
    )
    a, b = 672, 21
    s.numeric(
        (f"{a} ÷ {b} = ?", f"{a} ÷ {b} = ?"),
        a // b,
        [guess],
        (f"{b} × {a // b} = {a}.", f"{b} × {a // b} = {a}."),
        errors=[a - b, 23],
    )
    a, b = 1_350, 45
    s.choice(
        (f"{fmt(a)} ÷ {b} = ?", f"{fmt(a)} ÷ {b} = ?"),
        fmt(a // b),
        [fmt(v) for v in (a // b // 10, a // b * 10, a // b + 1)],
        [guess, ("Is 45 × 3 or 45 × 30 closer to 1,350?", "¿45 × 3 o 45 × 30 está más cerca de 1,350?")],
        (f"{b} × {a // b} = {fmt(a)}.", f"{b} × {a // b} = {fmt(a)}."),
    )
    a, b = 744, 24
    s.choice(
        (
            f"A school puts {a} books on shelves. Each shelf holds {b} books. How many shelves are filled?",
            f"Una escuela pone {a} libros en repisas. En cada repisa caben {b} libros. ¿Cuántas repisas se llenan?",
        ),
        fmt(a // b),
        [fmt(v) for v in (a // b - 1, 13, a - b)],
        [guess],
        (f"{b} × {a // b} = {a}, so {a // b} shelves.", f"{b} × {a // b} = {a}, así que {a // b} repisas."),
    )
    eggs, box = 500, 12
    s.numeric(
        (
            f"A farmer packs {eggs} eggs in cartons of {box}. How many cartons are full?",
            f"Una granjera empaca {eggs} huevos en cajas de {box}. ¿Cuántas cajas quedan llenas?",
        ),
        eggs // box,
        [
            guess,
            (
                "Only full cartons count; ignore the remainder.",
                "Solo cuentan las cajas llenas; no cuentes el residuo.",
            ),
        ],
        (
            f"{eggs} ÷ {box} = {eggs // box} R {eggs % box}, so {eggs // box} full cartons.",
            f"{eggs} ÷ {box} = {eggs // box} R {eggs % box}, así que {eggs // box} cajas llenas.",
        ),
        errors=[eggs // box + 1, fmt(_round_dec(D(eggs) / box, 2))],
    )
    share = _round_dec(D(10) / 3, 2)
    s.numeric(
        (
            "Three friends share $10.00 equally. How many dollars does each get, to the nearest cent?",
            "Tres amigos se reparten $10.00 en partes iguales. ¿Cuántos dólares recibe cada uno, al centavo más cercano?",
        ),
        share,
        [
            (
                "10 ÷ 3 does not come out even: keep dividing after the point.",
                "10 ÷ 3 no es exacta: sigue dividiendo después del punto.",
            )
        ],
        (
            f"10 ÷ 3 = 3.333..., which is {_money(share)} to the nearest cent.",
            f"10 ÷ 3 = 3.333..., que es {_money(share)} al centavo más cercano.",
        ),
        errors=[D(3), D("3.3"), D("3.1")],
        tolerance=0.005,
        also=["G5.DEC.ROUND"],
    )
    return s.build()


BUILDERS: dict[str, Callable[[], list[Item]]] = {
    "G3.DIV.FACTS": _g3_facts,
    "G4.DIV.REMAIN": _g4_remainders,
    "G5.DIV.LONG": _g5_long,
}
