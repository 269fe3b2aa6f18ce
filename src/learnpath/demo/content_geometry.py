"""Geometry items: area and perimeter of rectangles and other shapes."""

from __future__ import annotations

from collections.abc import Callable

from learnpath.core.items import Item
from learnpath.demo.content_kit import (
    SkillItems,
)

__all__ = ["BUILDERS"]


def _g3_area() -> list[Item]:
    s = SkillItems("G3.GEO.AREA")
    rows = ("Area = rows × squares in each row.", "Área = filas × cuadrados en cada fila.")
    s.numeric(
        (
            "A rectangle is 3 squares wide and 4 squares long. How many squares cover it?",
            "Un rectángulo mide 3 cuadrados de ancho y 4 de largo. ¿Cuántos cuadrados lo cubren?",
        ),
        3 * 4,
        [rows],
        ("3 × 4 = 12 squares.", "3 × 4 = 12 cuadrados."),
        errors=[3 + 4, 2 * (3 + 4)],
    )
    s.choice(
        ("Which unit measures area?", "¿Qué unidad mide el área?"),
        ("square centimeters", "centímetros cuadrados"),
        [("centimeters", "centímetros"), ("liters", "litros"), ("kilograms", "kilogramos")],
        [("Area counts squares.", "El área cuenta cuadrados.")],
        (
            "Area is measured in square units, like square centimeters.",
            "El área se mide en unidades cuadradas, como centímetros cuadrados.",
        ),
    )
    a, b = 5, 6
    s.choice(
        (
            f"A rug is {a} feet by {b} feet. What is its area?",
            f"Una alfombra mide {a} pies por {b} pies. ¿Cuál es su área?",
        ),
        (f"{a * b} square feet", f"{a * b} pies cuadrados"),
        [(f"{v} square feet", f"{v} pies cuadrados") for v in (a + b, 2 * (a + b), a * b + a)],
        [rows],
        (f"{a} × {b} = {a * b} square feet.", f"{a} × {b} = {a * b} pies cuadrados."),
        also=["G3.MUL.FACTS"],
    )
    s.numeric(
        (
            "A garden is 7 meters long and 8 meters wide. What is its area in square meters?",
            "Un jardín mide 7 metros de largo y 8 de ancho. ¿Cuál es su área en metros cuadrados?",
        ),
        7 * 8,
        [rows],
        ("7 × 8 = 56 square meters.", "7 × 8 = 56 metros cuadrados."),
        errors=[7 + 8, 2 * (7 + 8)],
        also=["G3.MUL.FACTS"],
    )
    s.numeric(
        (
            "A rectangle has an area of 24 square units. One side is 4 units long. How long is the other side?",
            "Un rectángulo tiene un área de 24 unidades cuadradas. Un lado mide 4. ¿Cuánto mide el otro lado?",
        ),
        24 // 4,
        [("4 × ? = 24", "4 × ? = 24")],
        ("4 × 6 = 24, so the other side is 6 units.", "4 × 6 = 24, así que el otro lado mide 6."),
        errors=[24 - 4, 24 * 4],
    )
    s.numeric(
        (
            "An L-shaped floor is made of a 4 by 3 rectangle and a 2 by 5 rectangle. What is its total area?",
            "Un piso en forma de L está hecho de un rectángulo de 4 por 3 y otro de 2 por 5. ¿Cuál es su área total?",
        ),
        4 * 3 + 2 * 5,
        [("Find the area of each rectangle, then add.", "Calcula el área de cada rectángulo y luego suma.")],
        (
            "4 × 3 = 12 and 2 × 5 = 10, so 12 + 10 = 22 square units.",
            "4 × 3 = 12 y 2 × 5 = 10, así que 12 + 10 = 22.",
        ),
        errors=[4 * 3, 4 + 3 + 2 + 5],
    )
    return s.build()


def _g3_perimeter() -> list[Item]:
    s = SkillItems("G3.GEO.PERIM")
    around = ("Add the lengths of all the sides.", "Suma las longitudes de todos los lados.")
    s.text(
        (
            "Does perimeter measure the distance around a shape or the space inside it? Write around or inside.",
            "¿El perímetro mide la distancia alrededor de una figura o el espacio de adentro? Escribe alrededor o adentro.",
        ),
        ["around"],
        ["alrededor"],
        [("Think of walking along a fence.", "Piensa en caminar junto a una cerca.")],
        (
            "Perimeter is the distance around. The space inside is the area.",
            "El perímetro es la distancia alrededor. El espacio de adentro es el área.",
        ),
        errors=["inside", "adentro"],
    )
    sides = (5, 7, 8)
    s.numeric(
        (
            "A triangle has sides of 5 cm, 7 cm and 8 cm. What is its perimeter in cm?",
            "Un triángulo tiene lados de 5 cm, 7 cm y 8 cm. ¿Cuál es su perímetro en cm?",
        ),
        sum(sides),
        [around],
        ("5 + 7 + 8 = 20 cm.", "5 + 7 + 8 = 20 cm."),
        errors=[5 * 7 * 8, 5 + 7],
    )
    a, b = 6, 4
    s.choice(
        (
            f"A rectangle is {a} m long and {b} m wide. What is its perimeter?",
            f"Un rectángulo mide {a} m de largo y {b} m de ancho. ¿Cuál es su perímetro?",
        ),
        f"{2 * (a + b)} m",
        [f"{v} m" for v in (a * b, a + b, 2 * a + b)],
        [
            around,
            (
                "A rectangle has 2 long sides and 2 short sides.",
                "Un rectángulo tiene 2 lados largos y 2 cortos.",
            ),
        ],
        (f"{a} + {b} + {a} + {b} = {2 * (a + b)} m.", f"{a} + {b} + {a} + {b} = {2 * (a + b)} m."),
    )
    s.numeric(
        (
            "A square has sides of 9 inches. What is its perimeter in inches?",
            "Un cuadrado tiene lados de 9 pulgadas. ¿Cuál es su perímetro en pulgadas?",
        ),
        4 * 9,
        [("A square has 4 equal sides.", "Un cuadrado tiene 4 lados iguales.")],
        ("4 × 9 = 36 inches.", "4 × 9 = 36 pulgadas."),
        errors=[9 * 9, 2 * 9],
    )
    s.choice(
        (
            "A square has a perimeter of 28 cm. How long is one side?",
            "Un cuadrado tiene un perímetro de 28 cm. ¿Cuánto mide un lado?",
        ),
        f"{28 // 4} cm",
        [f"{v} cm" for v in (28 // 2, 28 - 4, 28 * 4)],
        [("4 equal sides add up to 28.", "4 lados iguales suman 28.")],
        ("28 ÷ 4 = 7 cm.", "28 ÷ 4 = 7 cm."),
        also=["G3.DIV.FACTS"],
    )
    p, long = 30, 10
    s.numeric(
        (
            f"A rectangle has a perimeter of {p} m. It is {long} m long. How wide is it?",
            f"Un rectángulo tiene un perímetro de {p} m. Mide {long} m de largo. ¿Cuánto mide de ancho?",
        ),
        (p - 2 * long) // 2,
        [("Take away the two long sides first.", "Primero quita los dos lados largos.")],
        (
            f"{p} − {long} − {long} = {p - 2 * long}, shared by 2 short sides: {(p - 2 * long) // 2} m.",
            f"{p} − {long} − {long} = {p - 2 * long}, entre 2 lados cortos: {(p - 2 * long) // 2} m.",
        ),
        errors=[p - long, p - 2 * long, p // long],
    )
    return s.build()


def _g4_rectangles() -> list[Item]:
    s = SkillItems("G4.GEO.AREA")
    area = ("Area = length × width.", "Área = largo × ancho.")
    perim = ("Perimeter = add all four sides.", "Perímetro = suma los cuatro lados.")
    a, b = 12, 7
    s.numeric(
        (
            f"A rectangle is {a} m long and {b} m wide. What is its area in square meters?",
            f"Un rectángulo mide {a} m de largo y {b} m de ancho. ¿Cuál es su área en metros cuadrados?",
        ),
        a * b,
        [area],
        (f"{a} × {b} = {a * b} square meters.", f"{a} × {b} = {a * b} metros cuadrados."),
        errors=[2 * (a + b), a + b],
    )
    a, b = 15, 8
    s.numeric(
        (
            f"What is the perimeter of a rectangle that is {a} cm by {b} cm?",
            f"¿Cuál es el perímetro de un rectángulo de {a} cm por {b} cm?",
        ),
        2 * (a + b),
        [perim],
        (f"{a} + {b} + {a} + {b} = {2 * (a + b)} cm.", f"{a} + {b} + {a} + {b} = {2 * (a + b)} cm."),
        errors=[a * b, a + b],
    )
    a, b = 6 * 4, 5 * 5
    s.text(
        (
            "Rectangle A is 6 by 4. Rectangle B is 5 by 5. Which one has the bigger area? Write A or B.",
            "El rectángulo A mide 6 por 4. El B mide 5 por 5. ¿Cuál tiene mayor área? Escribe A o B.",
        ),
        ["A" if a > b else "B"],
        ["A" if a > b else "B"],
        [area],
        (f"A: 6 × 4 = {a}. B: 5 × 5 = {b}. B is bigger.", f"A: 6 × 4 = {a}. B: 5 × 5 = {b}. B es mayor."),
        errors=["B" if a > b else "A"],
    )
    area_ft, long = 96, 12
    s.choice(
        (
            f"A room has an area of {area_ft} square feet. It is {long} feet long. How wide is it?",
            f"Un cuarto tiene un área de {area_ft} pies cuadrados. Mide {long} pies de largo. ¿Cuánto mide de ancho?",
        ),
        (f"{area_ft // long} feet", f"{area_ft // long} pies"),
        [(f"{v} feet", f"{v} pies") for v in (area_ft - long, area_ft // 2 - long, area_ft // long + 1)],
        [area],
        (
            f"{long} × {area_ft // long} = {area_ft}, so it is {area_ft // long} feet wide.",
            f"{long} × {area_ft // long} = {area_ft}, así que mide {area_ft // long} pies de ancho.",
        ),
        also=["G3.DIV.FACTS"],
    )
    a, b = 25, 14
    s.choice(
        (
            f"A fence goes all the way around a garden that is {a} m by {b} m. How long is the fence?",
            f"Una cerca rodea un jardín de {a} m por {b} m. ¿Cuánto mide la cerca?",
        ),
        f"{2 * (a + b)} m",
        [f"{v} m" for v in (a * b, a + b, a + 2 * b)],
        [perim],
        (f"{a} + {b} + {a} + {b} = {2 * (a + b)} m.", f"{a} + {b} + {a} + {b} = {2 * (a + b)} m."),
    )
    p = 48
    side = p // 4
    s.numeric(
        (
            f"A square patio has a perimeter of {p} feet. What is its area in square feet?",
            f"Un patio cuadrado tiene un perímetro de {p} pies. ¿Cuál es su área en pies cuadrados?",
        ),
        side * side,
        [
            (
                "First find one side: the 4 sides are equal.",
                "Primero calcula un lado: los 4 lados son iguales.",
            ),
            area,
        ],
        (
            f"{p} ÷ 4 = {side} feet per side, and {side} × {side} = {side * side} square feet.",
            f"{p} ÷ 4 = {side} pies por lado, y {side} × {side} = {side * side} pies cuadrados.",
        ),
        errors=[side, p, p * p],
    )
    return s.build()


BUILDERS: dict[str, Callable[[], list[Item]]] = {
    "G3.GEO.AREA": _g3_area,
    "G3.GEO.PERIM": _g3_perimeter,
    "G4.GEO.AREA": _g4_rectangles,
}
