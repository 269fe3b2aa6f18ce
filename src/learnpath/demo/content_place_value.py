"""Place value items: rounding whole numbers, big numbers, powers of ten."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal as D

from learnpath.core.items import Item
from learnpath.demo.content_kit import (
    SkillItems,
    digit_at,
    fmt,
    greater_or_less,
    round_to,
)

__all__ = ["BUILDERS"]


NEAREST = {100: ("hundred", "centena"), 1000: ("thousand", "unidad de millar"),
           10_000: ("ten thousand", "decena de millar"), 100_000: ("hundred thousand", "centena de millar"),
           10: ("ten", "decena")}  # fmt: skip


def _g3_round() -> list[Item]:
    s = SkillItems("G3.NBT.ROUND")
    tip = (
        "Look at the digit just to the right. 5 or more: round up. Less than 5: round down.",
        "Mira la cifra de la derecha. Si es 5 o más, redondea hacia arriba; si es menos, hacia abajo.",
    )
    for n, place in ((47, 10), (65, 10), (362, 100)):
        word, word_es = ("ten", "decena") if place == 10 else ("hundred", "centena")
        r = round_to(n, place)
        s.choice(
            (f"Round {n} to the nearest {word}.", f"Redondea {n} a la {word_es} más cercana."),
            fmt(r),
            [fmt(n // place * place), fmt(r + place), fmt(round_to(n, 10) if place == 100 else n)],
            [tip],
            (
                f"{n} is closer to {r}, so it rounds to {r}.",
                f"{n} está más cerca de {r}, así que se redondea a {r}.",
            ),
        )
    s.numeric(
        ("Round 238 to the nearest ten.", "Redondea 238 a la decena más cercana."),
        round_to(238, 10),
        [tip, ("238 is between 230 and 240.", "238 está entre 230 y 240.")],
        (
            "The ones digit is 8, so 238 rounds up to 240.",
            "La cifra de las unidades es 8, así que 238 sube a 240.",
        ),
        errors=[230, 200],
    )
    s.numeric(
        ("Round 750 to the nearest hundred.", "Redondea 750 a la centena más cercana."),
        round_to(750, 100),
        [
            tip,
            (
                "750 is exactly halfway. Halfway rounds up.",
                "750 está justo a la mitad. La mitad se redondea hacia arriba.",
            ),
        ],
        (
            "The tens digit is 5, so 750 rounds up to 800.",
            "La cifra de las decenas es 5, así que 750 sube a 800.",
        ),
        errors=[700, 750],
    )
    up = round_to(449, 100) > 449
    s.text(
        (
            "When you round 449 to the nearest hundred, do you round up or down? Write up or down.",
            "Al redondear 449 a la centena más cercana, ¿redondeas hacia arriba o hacia abajo? Escribe arriba o abajo.",
        ),
        ["up"] if up else ["down"],
        ["arriba", "hacia arriba"] if up else ["abajo", "hacia abajo"],
        [("Look at the tens digit of 449.", "Mira la cifra de las decenas de 449.")],
        (
            "The tens digit is 4, which is less than 5, so 449 rounds down to 400.",
            "La cifra de las decenas es 4, menos que 5, así que 449 baja a 400.",
        ),
        errors=["up", "arriba"],
    )
    return s.build()


def _g4_place() -> list[Item]:
    s = SkillItems("G4.NBT.PLACE")
    chart = (
        "Write the number in a place value chart.",
        "Escribe el número en una tabla de valor posicional.",
    )
    n, place = 45_302, 1000
    s.choice(
        (
            f"In {fmt(n)}, what is the value of the digit {digit_at(n, place)}?",
            f"En {fmt(n)}, ¿cuál es el valor de la cifra {digit_at(n, place)}?",
        ),
        fmt(digit_at(n, place) * place),
        [fmt(digit_at(n, place) * p) for p in (100, 10_000, 1)],
        [chart],
        (
            f"The {digit_at(n, place)} is in the thousands place, so it is worth {fmt(digit_at(n, place) * place)}.",
            f"El {digit_at(n, place)} está en las unidades de millar, así que vale {fmt(digit_at(n, place) * place)}.",
        ),
    )
    n, place = 381_926, 10_000
    s.choice(
        (
            f"Which digit is in the ten thousands place in {fmt(n)}?",
            f"¿Qué cifra está en las decenas de millar en {fmt(n)}?",
        ),
        str(digit_at(n, place)),
        [str(digit_at(n, p)) for p in (100_000, 1000, 100, 10)],
        [chart],
        (
            f"{fmt(n)}: 3 hundred thousands, 8 ten thousands. The digit is {digit_at(n, place)}.",
            f"{fmt(n)}: 3 centenas de millar, 8 decenas de millar. La cifra es {digit_at(n, place)}.",
        ),
    )
    a, b = 76_543, 76_453
    s.text(
        (
            f"Is {fmt(a)} greater or less than {fmt(b)}? Write greater or less.",
            f"¿{fmt(a)} es mayor o menor que {fmt(b)}? Escribe mayor o menor.",
        ),
        *greater_or_less(a, b),
        [
            (
                "Compare digits from the left until they are different.",
                "Compara las cifras desde la izquierda hasta que sean distintas.",
            )
        ],
        (
            "The hundreds differ: 5 hundreds is more than 4 hundreds, so 76,543 is greater.",
            "Las centenas son distintas: 5 centenas es más que 4, así que 76,543 es mayor.",
        ),
        errors=["less", "menor"],
    )
    parts = {10_000: 3, 1000: 4, 100: 2, 10: 0, 1: 6}
    n = sum(p * d for p, d in parts.items())
    s.numeric(
        (
            "Write the number: 3 ten thousands, 4 thousands, 2 hundreds, 0 tens and 6 ones.",
            "Escribe el número: 3 decenas de millar, 4 unidades de millar, 2 centenas, 0 decenas y 6 unidades.",
        ),
        n,
        [chart, ("Do not forget the 0 in the tens place.", "No olvides el 0 en las decenas.")],
        (f"30,000 + 4,000 + 200 + 0 + 6 = {fmt(n)}.", f"30,000 + 4,000 + 200 + 0 + 6 = {fmt(n)}."),
        errors=[3426, 342_060, 34_260],
    )
    n = 700_000 + 20_000 + 300 + 8
    s.choice(
        ("Which number is 700,000 + 20,000 + 300 + 8?", "¿Qué número es 700,000 + 20,000 + 300 + 8?"),
        fmt(n),
        [fmt(v) for v in (72_308, 702_308, 720_038)],
        [chart],
        (
            f"7 hundred thousands, 2 ten thousands, 0 thousands, 3 hundreds, 0 tens, 8 ones: {fmt(n)}.",
            f"7 centenas de millar, 2 decenas de millar, 0 millares, 3 centenas, 0 decenas, 8 unidades: {fmt(n)}.",
        ),
    )
    n = 48_950
    s.numeric(
        (f"What number is 1,000 more than {fmt(n)}?", f"¿Qué número es 1,000 más que {fmt(n)}?"),
        n + 1000,
        [
            (
                "Only the thousands digit changes... unless it is a 9!",
                "Solo cambia la cifra de los millares... ¡a menos que sea un 9!",
            )
        ],
        (f"{fmt(n)} + 1,000 = {fmt(n + 1000)}.", f"{fmt(n)} + 1,000 = {fmt(n + 1000)}."),
        errors=[n + 10, n + 10_000, n + 100],
    )
    return s.build()


def _g4_round() -> list[Item]:
    s = SkillItems("G4.NBT.ROUND")
    tip = (
        "Find the digit in the rounding place, then look at the digit to its right.",
        "Busca la cifra del lugar al que redondeas y mira la que está a su derecha.",
    )
    for n, place, kind in (
        (4_682, 100, "n"),
        (27_450, 1000, "c"),
        (63_519, 10_000, "n"),
        (349_999, 100_000, "c"),
    ):
        r = round_to(n, place)
        prompt = (
            f"Round {fmt(n)} to the nearest {NEAREST[place][0]}.",
            f"Redondea {fmt(n)} a la {NEAREST[place][1]} más cercana.",
        )
        expl = (
            f"The next digit to the right is {digit_at(n, place // 10)}, so {fmt(n)} rounds to {fmt(r)}.",
            f"La cifra de la derecha es {digit_at(n, place // 10)}, así que {fmt(n)} se redondea a {fmt(r)}.",
        )
        other = [
            r - place if r > n else r + place,
            round_to(n, place // 10),
            round_to(n, place * 10),
            r + 2 * place,
        ]
        other = [v for v in other if v > 0]
        if kind == "c":
            s.choice(prompt, fmt(r), [fmt(v) for v in other], [tip], expl)
        else:
            s.numeric(prompt, r, [tip], expl, errors=other)
    n = 995
    s.numeric(
        (f"Round {n} to the nearest ten.", f"Redondea {n} a la decena más cercana."),
        round_to(n, 10),
        [
            tip,
            (
                "9 tens and 1 more ten make 10 tens: that is 100.",
                "9 decenas y 1 decena más son 10 decenas: eso es 100.",
            ),
        ],
        (
            "995 is halfway between 990 and 1,000, so it rounds up to 1,000.",
            "995 está a la mitad entre 990 y 1,000, así que sube a 1,000.",
        ),
        errors=[990, 900, 9100],
    )
    n = 52_718
    thousand = round_to(n, 1000) == 53_000
    s.text(
        (
            f"A stadium holds {fmt(n)} people. The news says it holds about 53,000. Did they round to the nearest "
            "thousand or ten thousand? Write thousand or ten thousand.",
            f"Un estadio tiene {fmt(n)} lugares. Las noticias dicen que caben unos 53,000. ¿Redondearon a la unidad de millar "
            "o a la decena de millar? Escribe millar o decena de millar.",
        ),
        ["thousand", "thousands", "the nearest thousand"] if thousand else ["ten thousand"],
        ["millar", "unidad de millar", "mil"] if thousand else ["decena de millar"],
        [("Round 52,718 both ways and compare.", "Redondea 52,718 de las dos formas y compara.")],
        (
            f"To the nearest thousand it is {fmt(round_to(n, 1000))}; to the nearest ten thousand it is "
            f"{fmt(round_to(n, 10_000))}.",
            f"A la unidad de millar es {fmt(round_to(n, 1000))}; a la decena de millar "
            f"es {fmt(round_to(n, 10_000))}.",
        ),
        errors=["ten thousand", "decena de millar"],
    )
    return s.build()


def _g5_powers() -> list[Item]:
    s = SkillItems("G5.NBT.POWERS")
    move = (
        "Times 10: each digit moves one place to the left. Divide by 10: one place to the right.",
        "Por 10: cada cifra se mueve un lugar a la izquierda. Entre 10: un lugar a la derecha.",
    )
    zeros = ("Count the zeros in 10, 100 or 1,000.", "Cuenta los ceros de 10, 100 o 1,000.")
    s.numeric(
        ("47 × 100 = ?", "47 × 100 = ?"),
        47 * 100,
        [zeros],
        (
            "47 × 100 = 4,700: the digits move two places left.",
            "47 × 100 = 4,700: las cifras se mueven dos lugares a la izquierda.",
        ),
        errors=[470, 47_000],
    )
    s.text(
        (
            "When you multiply a number by 10, do its digits move left or right? Write left or right.",
            "Cuando multiplicas un número por 10, ¿sus cifras se mueven a la izquierda o a la derecha? Escribe izquierda o derecha.",
        ),
        ["left", "to the left"],
        ["izquierda", "a la izquierda"],
        [("Try it: 5 × 10 = 50.", "Pruébalo: 5 × 10 = 50.")],
        (
            "Left: each digit becomes worth 10 times more, like 5 becoming 50.",
            "A la izquierda: cada cifra vale 10 veces más, como 5 que pasa a 50.",
        ),
        errors=["right", "derecha"],
    )
    x = D("3.6")
    s.numeric(
        (f"{x} × 10 = ?", f"{x} × 10 = ?"),
        x * 10,
        [move],
        (f"{x} × 10 = {fmt(x * 10)}.", f"{x} × 10 = {fmt(x * 10)}."),
        errors=["3.60", x / 10, x * 100],
    )
    n = 5_200
    s.choice(
        (f"{fmt(n)} ÷ 100 = ?", f"{fmt(n)} ÷ 100 = ?"),
        fmt(D(n) / 100),
        [fmt(v) for v in (D(n) / 10, D(n) / 1000, D(n) * 100)],
        [move],
        (
            f"Dividing by 100 moves the digits two places right: {fmt(n)} ÷ 100 = {fmt(D(n) / 100)}.",
            f"Dividir entre 100 mueve las cifras dos lugares a la derecha: {fmt(n)} ÷ 100 = {fmt(D(n) / 100)}.",
        ),
    )
    s.choice(
        ("What is 10³?", "¿Cuánto es 10³?"),
        fmt(10**3),
        [fmt(v) for v in (10 * 3, 10**2, 10**4)],
        [("10³ means 10 × 10 × 10.", "10³ significa 10 × 10 × 10.")],
        ("10 × 10 × 10 = 1,000.", "10 × 10 × 10 = 1,000."),
    )
    x = D("0.25")
    s.numeric(
        (f"{x} × 1,000 = ?", f"{x} × 1,000 = ?"),
        x * 1000,
        [move, zeros],
        (
            f"Three places left: {x} × 1,000 = {fmt(x * 1000)}.",
            f"Tres lugares a la izquierda: {x} × 1,000 = {fmt(x * 1000)}.",
        ),
        errors=[x * 100, "0.25000", 25_000],
    )
    return s.build()


BUILDERS: dict[str, Callable[[], list[Item]]] = {
    "G3.NBT.ROUND": _g3_round,
    "G4.NBT.PLACE": _g4_place,
    "G4.NBT.ROUND": _g4_round,
    "G5.NBT.POWERS": _g5_powers,
}
