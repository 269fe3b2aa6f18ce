"""Operations items: adding and subtracting whole numbers, word problems, order of operations."""

from __future__ import annotations

from collections.abc import Callable

from learnpath.core.items import Item
from learnpath.demo.content_kit import (
    NO,
    YES,
    SkillItems,
    fmt,
    no_carry_sum,
    round_to,
    smaller_from_larger,
)

__all__ = ["BUILDERS"]


def _g3_addsub() -> list[Item]:
    s = SkillItems("G3.NBT.ADDSUB")
    carry = (
        "Add the ones first. If they make 10 or more, carry 1 to the tens.",
        "Suma primero las unidades. Si llegan a 10 o más, lleva 1 a las decenas.",
    )
    borrow = (
        "If the top digit is smaller, borrow 1 from the next place.",
        "Si la cifra de arriba es menor, pide prestado 1 a la posición siguiente.",
    )
    s.numeric(
        ("245 + 132 = ?", "245 + 132 = ?"),
        245 + 132,
        [("Add hundreds, tens and ones.", "Suma centenas, decenas y unidades.")],
        (
            "200 + 100 = 300, 40 + 30 = 70, 5 + 2 = 7. So 377.",
            "200 + 100 = 300, 40 + 30 = 70, 5 + 2 = 7. Son 377.",
        ),
        errors=[367, 387],
    )
    a, b = 368, 457
    s.choice(
        (f"{a} + {b} = ?", f"{a} + {b} = ?"),
        fmt(a + b),
        [fmt(no_carry_sum(a, b)), fmt(a + b - 10), fmt(a + b + 100)],
        [carry],
        (
            f"{a} + {b} = {a + b}. You carry in the ones and in the tens.",
            f"{a} + {b} = {a + b}. Se lleva en las unidades y en las decenas.",
        ),
    )
    a, b = 502, 178
    s.numeric(
        (f"{a} − {b} = ?", f"{a} − {b} = ?"),
        a - b,
        [borrow],
        (
            f"{a} − {b} = {a - b}. Check: {a - b} + {b} = {a}.",
            f"{a} − {b} = {a - b}. Comprueba: {a - b} + {b} = {a}.",
        ),
        errors=[smaller_from_larger(a, b)],
    )
    a, b = 731, 286
    s.choice(
        (f"{a} − {b} = ?", f"{a} − {b} = ?"),
        fmt(a - b),
        [fmt(smaller_from_larger(a, b)), fmt(a - b + 10), fmt(a - b - 100)],
        [borrow],
        (
            f"{a} − {b} = {a - b}. Check: {a - b} + {b} = {a}.",
            f"{a} − {b} = {a - b}. Comprueba: {a - b} + {b} = {a}.",
        ),
    )
    a, b = 415, 286
    s.choice(
        (
            f"A library has {a} books. It gets {b} more. How many books does it have now?",
            f"Una biblioteca tiene {a} libros. Recibe {b} más. ¿Cuántos libros tiene ahora?",
        ),
        fmt(a + b),
        [fmt(no_carry_sum(a, b)), fmt(a - b), fmt(a + b - 10), fmt(a + b + 100)],
        [("Getting more means add.", "Recibir más significa sumar."), carry],
        (f"{a} + {b} = {a + b} books.", f"{a} + {b} = {a + b} libros."),
    )
    a, b = 600, 257
    s.numeric(
        (
            f"Sam had {a} stickers. He gave away {b}. How many stickers does he have left?",
            f"Sam tenía {a} calcomanías. Regaló {b}. ¿Cuántas le quedan?",
        ),
        a - b,
        [("Giving away means subtract.", "Regalar significa restar."), borrow],
        (f"{a} − {b} = {a - b} stickers.", f"{a} − {b} = {a - b} calcomanías."),
        errors=[smaller_from_larger(a, b), a + b],
    )
    return s.build()


def _g3_word() -> list[Item]:
    s = SkillItems("G3.OA.WORD")
    steps = (
        "Do one step at a time. What do you find first?",
        "Haz un paso a la vez. ¿Qué averiguas primero?",
    )
    s.numeric(
        (
            "Mia buys 3 packs of 6 pencils. She gives away 5 pencils. How many pencils does she have left?",
            "Mia compra 3 paquetes de 6 lápices. Regala 5 lápices. ¿Cuántos lápices le quedan?",
        ),
        3 * 6 - 5,
        [steps, ("First find 3 × 6.", "Primero calcula 3 × 6.")],
        ("3 × 6 = 18 pencils, then 18 − 5 = 13.", "3 × 6 = 18 lápices, luego 18 − 5 = 13."),
        errors=[3 + 6 - 5, 3 * 6],
    )
    s.choice(
        (
            "24 kids make 4 equal teams. Then 2 more kids join one team. How many kids are on that team now?",
            "24 niños forman 4 equipos iguales. Luego 2 niños más se unen a un equipo. ¿Cuántos niños tiene ese equipo ahora?",
        ),
        fmt(24 // 4 + 2),
        [fmt(24 // 4), fmt(24 + 2), fmt(24 - 4 + 2)],
        [steps],
        ("24 ÷ 4 = 6 kids per team, then 6 + 2 = 8.", "24 ÷ 4 = 6 niños por equipo, luego 6 + 2 = 8."),
    )
    s.text(
        (
            "Jo says 198 + 305 is about 500. Is that a sensible estimate? Write yes or no.",
            "Jo dice que 198 + 305 es aproximadamente 500. ¿Es una estimación razonable? Escribe sí o no.",
        ),
        *(YES if round_to(198, 100) + round_to(305, 100) == 500 else NO),
        [("Round each number to the nearest hundred.", "Redondea cada número a la centena más cercana.")],
        (
            "Yes: 198 is about 200 and 305 is about 300, and 200 + 300 = 500.",
            "Sí: 198 es casi 200 y 305 es casi 300, y 200 + 300 = 500.",
        ),
        errors=["no"],
        also=["G3.NBT.ROUND"],
    )
    s.numeric(
        (
            "Ben has 50 cents. He buys 4 stickers that cost 8 cents each. How many cents does he have left?",
            "Ben tiene 50 centavos. Compra 4 calcomanías de 8 centavos cada una. ¿Cuántos centavos le quedan?",
        ),
        50 - 4 * 8,
        [steps, ("First find the cost of 4 stickers.", "Primero calcula cuánto cuestan 4 calcomanías.")],
        ("4 × 8 = 32 cents, then 50 − 32 = 18 cents.", "4 × 8 = 32 centavos, luego 50 − 32 = 18 centavos."),
        errors=[50 - 4 - 8, 4 * 8],
    )
    s.choice(
        (
            "A room has 9 rows of 5 chairs. 12 chairs are empty. How many chairs have someone sitting on them?",
            "Un salón tiene 9 filas de 5 sillas. 12 sillas están vacías. ¿Cuántas sillas están ocupadas?",
        ),
        fmt(9 * 5 - 12),
        [fmt(9 * 5), fmt(9 * 5 + 12), fmt(9 + 5 + 12)],
        [steps],
        ("9 × 5 = 45 chairs, then 45 − 12 = 33.", "9 × 5 = 45 sillas, luego 45 − 12 = 33."),
    )
    s.numeric(
        (
            "A baker puts 72 muffins into boxes of 8. She sells 5 boxes. How many boxes are left?",
            "Una panadera pone 72 panquecitos en cajas de 8. Vende 5 cajas. ¿Cuántas cajas le quedan?",
        ),
        72 // 8 - 5,
        [steps, ("First find how many boxes: 72 ÷ 8.", "Primero calcula cuántas cajas: 72 ÷ 8.")],
        ("72 ÷ 8 = 9 boxes, then 9 − 5 = 4 boxes.", "72 ÷ 8 = 9 cajas, luego 9 − 5 = 4 cajas."),
        errors=[72 // 8, 72 - 5],
    )
    return s.build()


def _g4_addsub() -> list[Item]:
    s = SkillItems("G4.NBT.ADDSUB")
    cols = (
        "Line up the digits by place value: ones under ones.",
        "Alinea las cifras por valor posicional: unidades con unidades.",
    )
    borrow = (
        "Across zeros, borrow from the first digit that is not 0.",
        "Con ceros, pide prestado a la primera cifra que no sea 0.",
    )
    for a, b, op, kind in (
        (3_456, 2_378, "+", "n"),
        (12_407, 8_695, "+", "c"),
        (7_003, 2_458, "-", "n"),
        (40_000, 12_345, "-", "c"),
    ):
        exact = a + b if op == "+" else a - b
        sign = "+" if op == "+" else "−"
        slip = no_carry_sum(a, b) if op == "+" else smaller_from_larger(a, b)
        prompt = (f"{fmt(a)} {sign} {fmt(b)} = ?", f"{fmt(a)} {sign} {fmt(b)} = ?")
        expl = (f"{fmt(a)} {sign} {fmt(b)} = {fmt(exact)}.", f"{fmt(a)} {sign} {fmt(b)} = {fmt(exact)}.")
        hints = [cols] if op == "+" else [cols, borrow]
        if kind == "c":
            s.choice(
                prompt,
                fmt(exact),
                [fmt(v) for v in (slip, exact + 1000, exact - 10, exact + 100)],
                hints,
                expl,
            )
        else:
            s.numeric(prompt, exact, hints, expl, errors=[slip, exact + 10])
    a, b = 28_460, 3_795
    s.choice(
        (
            f"A town has {fmt(a)} people. Then {fmt(b)} more people move in. How many people live there now?",
            f"Un pueblo tiene {fmt(a)} habitantes. Llegan {fmt(b)} personas más. ¿Cuántos habitantes hay ahora?",
        ),
        fmt(a + b),
        [fmt(v) for v in (no_carry_sum(a, b), a - b, a + b - 1000, a + b + 100)],
        [cols],
        (f"{fmt(a)} + {fmt(b)} = {fmt(a + b)} people.", f"{fmt(a)} + {fmt(b)} = {fmt(a + b)} habitantes."),
    )
    a, b = 6_250, 4_875
    s.numeric(
        (
            f"One plane flies {fmt(a)} km. Another flies {fmt(b)} km. How many more km does the first plane fly?",
            f"Un avión vuela {fmt(a)} km. Otro vuela {fmt(b)} km. ¿Cuántos km más vuela el primero?",
        ),
        a - b,
        [("How many more means subtract.", "Cuántos más significa restar."), borrow],
        (f"{fmt(a)} − {fmt(b)} = {fmt(a - b)} km.", f"{fmt(a)} − {fmt(b)} = {fmt(a - b)} km."),
        errors=[smaller_from_larger(a, b), a + b],
    )
    return s.build()


def _g5_expr() -> list[Item]:
    s = SkillItems("G5.OA.EXPR")
    order = (
        "Parentheses first, then × and ÷, then + and −.",
        "Primero paréntesis, luego × y ÷, y al final + y −.",
    )
    s.numeric(
        ("3 + 4 × 2 = ?", "3 + 4 × 2 = ?"),
        3 + 4 * 2,
        [order],
        ("4 × 2 = 8 first, then 3 + 8 = 11.", "Primero 4 × 2 = 8, luego 3 + 8 = 11."),
        errors=[(3 + 4) * 2],
    )
    s.text(
        (
            "In 6 + 2 × 5, which do you do first: add or multiply? Write add or multiply.",
            "En 6 + 2 × 5, ¿qué haces primero: sumar o multiplicar? Escribe sumar o multiplicar.",
        ),
        ["multiply", "multiplication", "×"],
        ["multiplicar", "multiplica", "la multiplicación", "multiplicación", "×"],
        [order],
        (
            "Multiply first: 2 × 5 = 10, then 6 + 10 = 16.",
            "Primero se multiplica: 2 × 5 = 10, luego 6 + 10 = 16.",
        ),
        errors=["add", "sumar"],
    )
    s.numeric(
        ("(8 − 3) × 4 = ?", "(8 − 3) × 4 = ?"),
        (8 - 3) * 4,
        [order],
        ("8 − 3 = 5 first, then 5 × 4 = 20.", "Primero 8 − 3 = 5, luego 5 × 4 = 20."),
        errors=[8 - 3 * 4],
    )
    s.choice(
        ("20 − 12 ÷ 4 = ?", "20 − 12 ÷ 4 = ?"),
        fmt(20 - 12 // 4),
        [fmt(v) for v in ((20 - 12) // 4, 20 - 12 - 4, 12 // 4)],
        [order],
        ("12 ÷ 4 = 3 first, then 20 − 3 = 17.", "Primero 12 ÷ 4 = 3, luego 20 − 3 = 17."),
    )
    s.choice(
        (
            "Which expression means 'add 5 and 7, then multiply by 3'?",
            "¿Qué expresión significa 'suma 5 y 7, luego multiplica por 3'?",
        ),
        "(5 + 7) × 3",
        ["5 + 7 × 3", "5 × 3 + 7", "5 + (7 × 3)"],
        [("Parentheses show what to do first.", "Los paréntesis muestran qué se hace primero.")],
        (
            "The sum comes first, so it goes in parentheses: (5 + 7) × 3 = 36.",
            "La suma va primero, así que va entre paréntesis: (5 + 7) × 3 = 36.",
        ),
    )
    s.numeric(
        ("2 × (6 + 4) − 5 = ?", "2 × (6 + 4) − 5 = ?"),
        2 * (6 + 4) - 5,
        [order],
        (
            "6 + 4 = 10, then 2 × 10 = 20, then 20 − 5 = 15.",
            "6 + 4 = 10, luego 2 × 10 = 20, luego 20 − 5 = 15.",
        ),
        errors=[2 * 6 + 4 - 5, 2 * (6 + 4 - 5)],
    )
    return s.build()


BUILDERS: dict[str, Callable[[], list[Item]]] = {
    "G3.NBT.ADDSUB": _g3_addsub,
    "G3.OA.WORD": _g3_word,
    "G4.NBT.ADDSUB": _g4_addsub,
    "G5.OA.EXPR": _g5_expr,
}
