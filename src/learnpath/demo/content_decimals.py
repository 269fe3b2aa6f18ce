"""Decimal items: tenths and hundredths, comparing and rounding, adding, subtracting, multiplying."""

from __future__ import annotations

from collections.abc import Callable
from decimal import ROUND_HALF_UP
from decimal import Decimal as D

from learnpath.core.items import Item
from learnpath.demo.content_kit import (
    SkillItems,
    fmt,
    greater_or_less,
    more_or_less,
    no_carry_sum,
    smaller_from_larger,
)

__all__ = ["BUILDERS"]


def _money(x: D) -> str:
    return f"${x:.2f}"


def _round_dec(x: D, places: int) -> D:
    return x.quantize(D(1).scaleb(-places), rounding=ROUND_HALF_UP)


def _g4_tenths() -> list[Item]:
    s = SkillItems("G4.DEC.TENTHS")
    places = (
        "The first place after the point is tenths; the second is hundredths.",
        "La primera cifra después del punto son décimas; la segunda, centésimas.",
    )
    s.numeric(
        ("Write 7/10 as a decimal.", "Escribe 7/10 como decimal."),
        D(7) / D(10),
        [places],
        ("7 tenths is 0.7.", "7 décimas es 0.7."),
        errors=["7.10", "0.07", "7"],
    )
    s.choice(
        ("Which decimal is the same as 35/100?", "¿Qué decimal es igual a 35/100?"),
        fmt(D(35) / D(100)),
        ["3.5", "0.035", "35.100", "0.53"],
        [places],
        ("35 hundredths is 0.35.", "35 centésimas es 0.35."),
    )
    s.text(
        ("Write 0.3 in words.", "Escribe 0.3 con palabras."),
        ["three tenths"],
        ["tres décimas", "tres decimas"],
        [places],
        ("0.3 is three tenths.", "0.3 es tres décimas."),
        errors=["three hundredths", "tres centésimas", "zero point three"],
    )
    s.numeric(
        ("0.6 = ?/100. What is the missing number?", "0.6 = ?/100. ¿Cuál es el número que falta?"),
        D("0.6") * 100,
        [("6 tenths is the same as how many hundredths?", "6 décimas son ¿cuántas centésimas?")],
        ("0.6 = 0.60 = 60/100.", "0.6 = 0.60 = 60/100."),
        errors=[6, 600],
    )
    options = [D("0.8"), D("0.75"), D("0.09"), D("0.79")]
    s.choice(
        ("Which decimal is the greatest?", "¿Qué decimal es el mayor?"),
        fmt(max(options)),
        [fmt(o) for o in options],
        [
            (
                "Write them all with two decimal places: 0.80, 0.75, ...",
                "Escríbelos todos con dos cifras decimales: 0.80, 0.75, ...",
            )
        ],
        ("0.80 is more than 0.79, 0.75 and 0.09.", "0.80 es mayor que 0.79, 0.75 y 0.09."),
    )
    s.numeric(
        (
            "3 tenths + 4 hundredths = ? Write it as a decimal.",
            "3 décimas + 4 centésimas = ? Escríbelo como decimal.",
        ),
        D("0.3") + D("0.04"),
        [places],
        ("0.3 + 0.04 = 0.34.", "0.3 + 0.04 = 0.34."),
        errors=[D("0.7"), D("0.43"), D("0.07")],
    )
    return s.build()


def _g5_round() -> list[Item]:
    s = SkillItems("G5.DEC.ROUND")
    look = (
        "Look at the digit just right of the place you round to.",
        "Mira la cifra justo a la derecha del lugar al que redondeas.",
    )
    x = D("3.47")
    s.numeric(
        (f"Round {x} to the nearest tenth.", f"Redondea {x} a la décima más cercana."),
        _round_dec(x, 1),
        [look],
        (
            f"The hundredths digit is 7, so {x} rounds up to {_round_dec(x, 1)}.",
            f"La cifra de las centésimas es 7, así que {x} sube a {_round_dec(x, 1)}.",
        ),
        errors=[D("3.4"), D("3"), D("4")],
    )
    options = [D("0.7"), D("0.65"), D("0.699"), D("0.07")]
    s.choice(
        ("Which decimal is the greatest?", "¿Qué decimal es el mayor?"),
        fmt(max(options)),
        [fmt(o) for o in options],
        [
            (
                "Give them all three decimal places: 0.700, 0.650, ...",
                "Dales a todos tres cifras decimales: 0.700, 0.650, ...",
            )
        ],
        ("0.700 is more than 0.699, 0.650 and 0.070.", "0.700 es mayor que 0.699, 0.650 y 0.070."),
    )
    a, b = D("2.305"), D("2.35")
    s.text(
        (
            f"Is {a} greater or less than {b}? Write greater or less.",
            f"¿{a} es mayor o menor que {b}? Escribe mayor o menor.",
        ),
        *greater_or_less(a, b),
        [("Compare tenths first, then hundredths.", "Compara primero las décimas, luego las centésimas.")],
        (
            "Tenths are the same (3). Hundredths: 0 is less than 5, so 2.305 is less.",
            "Las décimas son iguales (3). Centésimas: 0 es menor que 5, así que 2.305 es menor.",
        ),
        errors=["greater", "mayor"],
    )
    x = D("7.96")
    r = _round_dec(x, 1)
    s.choice(
        (f"Round {x} to the nearest tenth.", f"Redondea {x} a la décima más cercana."),
        f"{r:.1f}",
        ["7.9", "7.10", "7.0", "8.1"],
        [
            look,
            ("9 tenths + 1 tenth = 10 tenths = 1 whole.", "9 décimas + 1 décima = 10 décimas = 1 entero."),
        ],
        (
            f"The 6 rounds the 9 tenths up to 10 tenths, which is 1 more whole: {r:.1f}.",
            f"El 6 hace que 9 décimas suban a 10 décimas, que es 1 entero más: {r:.1f}.",
        ),
    )
    x = D("12.846")
    s.numeric(
        (f"Round {x} to the nearest hundredth.", f"Redondea {x} a la centésima más cercana."),
        _round_dec(x, 2),
        [look],
        (
            f"The thousandths digit is 6, so {x} rounds up to {_round_dec(x, 2)}.",
            f"La cifra de las milésimas es 6, así que {x} sube a {_round_dec(x, 2)}.",
        ),
        errors=[D("12.84"), D("12.8"), D("12.9")],
    )
    s.text(
        ("Write 4.06 in words.", "Escribe 4.06 con palabras."),
        ["four and six hundredths"],
        ["cuatro enteros y seis centésimas", "cuatro enteros seis centésimas", "cuatro con seis centésimas"],
        [("Say 'and' for the decimal point.", "Di 'enteros y' en el punto decimal.")],
        (
            "4.06 is four and six hundredths: the 6 is in the hundredths place.",
            "4.06 es cuatro enteros y seis centésimas: el 6 está en las centésimas.",
        ),
        errors=["four and six tenths", "cuatro enteros y seis décimas"],
        also=["G4.DEC.TENTHS"],
    )
    return s.build()


def _g5_addsub() -> list[Item]:
    s = SkillItems("G5.DEC.ADDSUB")
    line = (
        "Line up the decimal points. Fill empty places with 0.",
        "Alinea los puntos decimales. Rellena los lugares vacíos con 0.",
    )
    a, b = D("2.5"), D("1.3")
    s.numeric(
        (f"{a} + {b} = ?", f"{a} + {b} = ?"),
        a + b,
        [line],
        (f"{a} + {b} = {a + b}.", f"{a} + {b} = {a + b}."),
        errors=[D("3.7"), D("38")],
    )
    s.text(
        (
            "To add 3.2 and 1.45, what do you line up: the decimal points or the last digits? Write decimal points or last digits.",
            "Para sumar 3.2 y 1.45, ¿qué alineas: los puntos decimales o las últimas cifras? Escribe puntos decimales o últimas cifras.",
        ),
        ["decimal points", "the decimal points", "points"],
        ["puntos decimales", "los puntos decimales", "el punto decimal", "puntos"],
        [line],
        (
            "Line up the decimal points, so tenths are under tenths: 3.20 + 1.45 = 4.65.",
            "Alinea los puntos decimales, así las décimas quedan bajo las décimas: 3.20 + 1.45 = 4.65.",
        ),
        errors=["last digits", "últimas cifras"],
    )
    a, b = D("4.75"), D("2.6")
    s.choice(
        (f"{a} + {b} = ?", f"{a} + {b} = ?"),
        fmt(a + b),
        [fmt(v) for v in ((D(475) + D(26)) / 100, a + b - 1, a + b + D("0.1"), a - b)],
        [line],
        (f"{a} + {b}0 = {a + b}.", f"{a} + {b}0 = {a + b}."),
    )
    a, b = D("1.85"), D("2.40")
    s.choice(
        (
            f"Juice costs {_money(a)} and a muffin costs {_money(b)}. How much do both cost?",
            f"Un jugo cuesta {_money(a)} y un panquecito cuesta {_money(b)}. ¿Cuánto cuestan los dos?",
        ),
        _money(a + b),
        [_money(v) for v in (D(no_carry_sum(185, 240)) / 100, b - a, a + b + D("0.1"))],
        [line],
        (f"{_money(a)} + {_money(b)} = {_money(a + b)}.", f"{_money(a)} + {_money(b)} = {_money(a + b)}."),
    )
    a, b = D("6.4"), D("2.75")
    s.numeric(
        (f"{a} − {b} = ?", f"{a} − {b} = ?"),
        a - b,
        [line, ("Write 6.4 as 6.40 first.", "Primero escribe 6.4 como 6.40.")],
        (f"{a}0 − {b} = {a - b}.", f"{a}0 − {b} = {a - b}."),
        errors=[D(smaller_from_larger(640, 275)) / 100, D("4.71")],
    )
    a, b = D("10.00"), D("6.35")
    s.numeric(
        (
            f"You pay {_money(a)} for a book that costs {_money(b)}. How much change do you get?",
            f"Pagas {_money(a)} por un libro que cuesta {_money(b)}. ¿Cuánto cambio recibes?",
        ),
        a - b,
        [("Change means subtract: paid − cost.", "El cambio es una resta: lo que pagas − lo que cuesta.")],
        (f"{_money(a)} − {_money(b)} = {_money(a - b)}.", f"{_money(a)} − {_money(b)} = {_money(a - b)}."),
        errors=[D("4.65"), D("4.75"), a + b],
    )
    return s.build()


def _g5_multiply() -> list[Item]:
    s = SkillItems("G5.DEC.MULT")
    count = (
        "Multiply as if there were no points. Then count the decimal places in both numbers.",
        "Multiplica como si no hubiera puntos. Luego cuenta las cifras decimales de los dos números.",
    )
    a = D("0.4")
    s.numeric(
        (f"{a} × 3 = ?", f"{a} × 3 = ?"),
        a * 3,
        [count],
        (f"4 tenths × 3 = 12 tenths = {a * 3}.", f"4 décimas × 3 = 12 décimas = {a * 3}."),
        errors=[12, D("0.12")],
    )
    a = D("2.5")
    s.numeric(
        (f"{a} × 4 = ?", f"{a} × 4 = ?"),
        a * 4,
        [count],
        (
            f"{a} × 4 = {fmt(a * 4)}: four groups of {a} make {fmt(a * 4)}.",
            f"{a} × 4 = {fmt(a * 4)}: cuatro grupos de {a} son {fmt(a * 4)}.",
        ),
        errors=[100, 1],
    )
    s.text(
        (
            "Is 0.5 × 8 more or less than 8? Write more or less.",
            "¿0.5 × 8 es más o menos que 8? Escribe más o menos.",
        ),
        *more_or_less(D("0.5") * 8, 8),
        [
            (
                "Multiplying by a number less than 1 makes it smaller.",
                "Multiplicar por un número menor que 1 da un resultado más pequeño.",
            )
        ],
        (
            f"0.5 × 8 is half of 8, which is {fmt(D('0.5') * 8)}: less than 8.",
            f"0.5 × 8 es la mitad de 8, o sea {fmt(D('0.5') * 8)}: menos que 8.",
        ),
        errors=["more", "más"],
    )
    a, b = D("0.3"), D("0.2")
    s.choice(
        (f"{a} × {b} = ?", f"{a} × {b} = ?"),
        fmt(a * b),
        [fmt(v) for v in (D("0.6"), D(6), a + b)],
        [count],
        (
            "3 × 2 = 6, and there are 2 decimal places in all: 0.06.",
            "3 × 2 = 6, y hay 2 cifras decimales en total: 0.06.",
        ),
    )
    a, b = D("1.5"), D("1.2")
    s.choice(
        (f"{a} × {b} = ?", f"{a} × {b} = ?"),
        fmt(a * b),
        [fmt(v) for v in (D(18), D("0.18"), a + b, D("1.10"))],
        [count],
        (
            "15 × 12 = 180, with 2 decimal places: 1.80 = 1.8.",
            "15 × 12 = 180, con 2 cifras decimales: 1.80 = 1.8.",
        ),
    )
    price, n = D("0.35"), 6
    s.numeric(
        (
            f"A pencil costs {_money(price)}. How much do {n} pencils cost, in dollars?",
            f"Un lápiz cuesta {_money(price)}. ¿Cuánto cuestan {n} lápices, en dólares?",
        ),
        price * n,
        [count],
        (f"{n} × {_money(price)} = {_money(price * n)}.", f"{n} × {_money(price)} = {_money(price * n)}."),
        errors=[D(21), D("0.21"), D("1.8")],
        also=["G5.DEC.ADDSUB"],
    )
    return s.build()


BUILDERS: dict[str, Callable[[], list[Item]]] = {
    "G4.DEC.TENTHS": _g4_tenths,
    "G5.DEC.ROUND": _g5_round,
    "G5.DEC.ADDSUB": _g5_addsub,
    "G5.DEC.MULT": _g5_multiply,
}
