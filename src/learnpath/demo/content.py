"""The demo school's own math content: 32 skills for grades 3 to 5, their prerequisites, and items.

Skill codes are ours (``G<grade>.<AREA>.<TOPIC>``); ``ccss`` names the closest Common Core standard
for later mapping. Names are in words a child understands, in English and Spanish. Edges are
``(prerequisite_code, skill_code)`` and form a web: several roots, skills with two or three
prerequisites, and edges across domains (times tables before area, factors before common
denominators). Items come from one builder per skill in the ``content_<topic>`` modules, with computed
answers (``content_kit`` holds the shared templates).
Pure: no I/O, no clock, no global randomness.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from learnpath.core.items import Item
from learnpath.demo import (
    content_decimals,
    content_divide,
    content_fraction_ops,
    content_fractions,
    content_geometry,
    content_measurement,
    content_multiply,
    content_operations,
    content_place_value,
)

__all__ = ["DOMAINS", "PREREQUISITES", "SKILLS", "DemoSkill", "build_items"]


@dataclass(frozen=True)
class DemoSkill:
    """One skill of the demo curriculum."""

    code: str
    name: str
    grade: int
    description: str
    domain: str
    ccss: str
    name_es: str


DOMAINS: dict[str, tuple[str, str]] = {
    "place-value": ("Numbers and place value", "Números y valor posicional"),
    "add-sub": ("Addition and subtraction", "Suma y resta"),
    "mul-div": ("Multiplication and division", "Multiplicación y división"),
    "fractions": ("Fractions", "Fracciones"),
    "decimals": ("Decimals", "Decimales"),
    "measurement": ("Measurement and geometry", "Medición y geometría"),
}
"""Domain slug -> (English, Spanish) label."""

_S = DemoSkill

SKILLS: tuple[DemoSkill, ...] = (
    # Grade 3
    _S("G3.NBT.ROUND", "Round to the nearest 10 or 100", 3,
       "Round whole numbers up to 1,000 to the nearest ten or hundred.", "place-value", "3.NBT.A.1",
       "Redondear a la decena o centena más cercana"),
    _S("G3.NBT.ADDSUB", "Add and subtract up to 1,000", 3,
       "Add and subtract numbers up to 1,000, carrying and borrowing when needed.", "add-sub", "3.NBT.A.2",
       "Sumar y restar hasta 1,000"),
    _S("G3.MUL.MEANING", "Multiplying is adding equal groups", 3,
       "See multiplication as equal groups and rows of objects.", "mul-div", "3.OA.A.1",
       "Multiplicar es sumar grupos iguales"),
    _S("G3.MUL.FACTS", "Times tables up to 10", 3,
       "Know the products of one-digit numbers quickly.", "mul-div", "3.OA.C.7",
       "Tablas de multiplicar hasta el 10"),
    _S("G3.DIV.FACTS", "Sharing equally: division facts", 3,
       "Divide within 100 by thinking of the matching times table fact.", "mul-div", "3.OA.A.2",
       "Repartir en partes iguales: la división"),
    _S("G3.OA.WORD", "Word problems with two steps", 3,
       "Solve stories that need two steps with the four operations.", "add-sub", "3.OA.D.8",
       "Problemas de dos pasos"),
    _S("G3.FRAC.UNIT", "What a fraction means", 3,
       "Read and name fractions as equal parts of a whole.", "fractions", "3.NF.A.1",
       "Qué significa una fracción"),
    _S("G3.FRAC.COMPARE", "Which fraction is bigger?", 3,
       "Compare fractions with the same top or the same bottom number.", "fractions", "3.NF.A.3.D",
       "¿Qué fracción es mayor?"),
    _S("G3.MEAS.TIME", "Tell time and how much time passes", 3,
       "Read clocks and find how many minutes pass between two times.", "measurement", "3.MD.A.1",
       "Leer la hora y calcular el tiempo que pasa"),
    _S("G3.GEO.AREA", "Area: count the squares inside", 3,
       "Find the area of rectangles by counting squares and by multiplying.", "measurement", "3.MD.C.7",
       "Área: contar los cuadrados de adentro"),
    _S("G3.GEO.PERIM", "Perimeter: the distance around", 3,
       "Add the side lengths to find the distance around a shape.", "measurement", "3.MD.D.8",
       "Perímetro: la distancia alrededor"),
    # Grade 4
    _S("G4.NBT.PLACE", "Place value up to a million", 4,
       "Read, write and compare numbers up to 1,000,000 using place value.", "place-value", "4.NBT.A.2",
       "Valor posicional hasta un millón"),
    _S("G4.NBT.ROUND", "Round big numbers", 4,
       "Round numbers up to 1,000,000 to any place.", "place-value", "4.NBT.A.3",
       "Redondear números grandes"),
    _S("G4.NBT.ADDSUB", "Add and subtract big numbers", 4,
       "Add and subtract numbers up to 1,000,000 in columns.", "add-sub", "4.NBT.B.4",
       "Sumar y restar números grandes"),
    _S("G4.MUL.MULTI", "Multiply by one- and two-digit numbers", 4,
       "Multiply numbers up to four digits by one digit, and two digits by two digits.", "mul-div",
       "4.NBT.B.5", "Multiplicar por números de una y dos cifras"),
    _S("G4.DIV.REMAIN", "Divide with remainders", 4,
       "Divide by one-digit numbers and make sense of what is left over.", "mul-div", "4.NBT.B.6",
       "Dividir con residuo"),
    _S("G4.OA.FACTORS", "Factors, multiples and prime numbers", 4,
       "Find factors and multiples, and tell prime numbers from composite ones.", "mul-div", "4.OA.B.4",
       "Factores, múltiplos y números primos"),
    _S("G4.FRAC.EQUIV", "Fractions that are the same amount", 4,
       "Find equivalent fractions by multiplying or dividing top and bottom.", "fractions", "4.NF.A.1",
       "Fracciones equivalentes"),
    _S("G4.FRAC.ADDSUB", "Add and subtract fractions with the same bottom number", 4,
       "Add and subtract fractions that have the same denominator.", "fractions", "4.NF.B.3",
       "Sumar y restar fracciones con el mismo denominador"),
    _S("G4.DEC.TENTHS", "Tenths and hundredths as decimals", 4,
       "Write tenths and hundredths as decimals and compare them.", "decimals", "4.NF.C.6",
       "Décimas y centésimas como decimales"),
    _S("G4.MEAS.CONVERT", "Change units: meters, grams, hours", 4,
       "Convert a bigger unit of measure into a smaller one.", "measurement", "4.MD.A.1",
       "Convertir unidades: metros, gramos, horas"),
    _S("G4.GEO.AREA", "Area and perimeter of rectangles", 4,
       "Use length times width for area and add the sides for perimeter.", "measurement", "4.MD.A.3",
       "Área y perímetro de rectángulos"),
    # Grade 5
    _S("G5.NBT.POWERS", "Multiply and divide by 10, 100 and 1,000", 5,
       "Move digits left or right when multiplying or dividing by powers of ten.", "place-value",
       "5.NBT.A.2", "Multiplicar y dividir entre 10, 100 y 1,000"),
    _S("G5.DEC.ROUND", "Compare and round decimals", 5,
       "Compare decimals to thousandths and round them to a given place.", "decimals", "5.NBT.A.4",
       "Comparar y redondear decimales"),
    _S("G5.DEC.ADDSUB", "Add and subtract decimals", 5,
       "Add and subtract decimals by lining up the decimal points.", "decimals", "5.NBT.B.7",
       "Sumar y restar decimales"),
    _S("G5.DEC.MULT", "Multiply decimals", 5,
       "Multiply decimals and place the decimal point in the answer.", "decimals", "5.NBT.B.7",
       "Multiplicar decimales"),
    _S("G5.MUL.MULTI", "Multiply big numbers", 5,
       "Multiply multi-digit whole numbers with the standard method.", "mul-div", "5.NBT.B.5",
       "Multiplicar números grandes"),
    _S("G5.DIV.LONG", "Divide by two-digit numbers", 5,
       "Divide numbers up to four digits by two-digit numbers.", "mul-div", "5.NBT.B.6",
       "Dividir entre números de dos cifras"),
    _S("G5.FRAC.ADDSUB", "Add and subtract fractions with different bottom numbers", 5,
       "Add and subtract fractions by first finding a common denominator.", "fractions", "5.NF.A.1",
       "Sumar y restar fracciones con distinto denominador"),
    _S("G5.FRAC.MULT", "Multiply fractions", 5,
       "Multiply a fraction by a whole number or by another fraction.", "fractions", "5.NF.B.4",
       "Multiplicar fracciones"),
    _S("G5.OA.EXPR", "Which step comes first? Order of operations", 5,
       "Work out expressions with parentheses in the right order.", "mul-div", "5.OA.A.1",
       "¿Qué paso va primero? El orden de las operaciones"),
    _S("G5.GEO.VOLUME", "Volume of boxes", 5,
       "Find how many unit cubes fill a box by multiplying its three sides.", "measurement", "5.MD.C.5",
       "Volumen de cajas"),
)  # fmt: skip

PREREQUISITES: tuple[tuple[str, str], ...] = (
    # grade 3
    ("G3.MUL.MEANING", "G3.MUL.FACTS"),
    ("G3.MUL.MEANING", "G3.DIV.FACTS"),
    ("G3.MUL.FACTS", "G3.DIV.FACTS"),
    ("G3.NBT.ADDSUB", "G3.OA.WORD"),
    ("G3.MUL.FACTS", "G3.OA.WORD"),
    ("G3.FRAC.UNIT", "G3.FRAC.COMPARE"),
    ("G3.NBT.ADDSUB", "G3.MEAS.TIME"),
    ("G3.MUL.FACTS", "G3.GEO.AREA"),
    ("G3.NBT.ADDSUB", "G3.GEO.PERIM"),
    # grade 4
    ("G3.NBT.ROUND", "G4.NBT.PLACE"),
    ("G3.NBT.ROUND", "G4.NBT.ROUND"),
    ("G4.NBT.PLACE", "G4.NBT.ROUND"),
    ("G3.NBT.ADDSUB", "G4.NBT.ADDSUB"),
    ("G4.NBT.PLACE", "G4.NBT.ADDSUB"),
    ("G3.MUL.FACTS", "G4.MUL.MULTI"),
    ("G4.NBT.PLACE", "G4.MUL.MULTI"),
    ("G3.DIV.FACTS", "G4.DIV.REMAIN"),
    ("G4.MUL.MULTI", "G4.DIV.REMAIN"),
    ("G3.DIV.FACTS", "G4.OA.FACTORS"),
    ("G3.FRAC.COMPARE", "G4.FRAC.EQUIV"),
    ("G3.MUL.FACTS", "G4.FRAC.EQUIV"),
    ("G3.FRAC.UNIT", "G4.FRAC.ADDSUB"),
    ("G4.FRAC.EQUIV", "G4.FRAC.ADDSUB"),
    ("G4.FRAC.EQUIV", "G4.DEC.TENTHS"),
    ("G4.NBT.PLACE", "G4.DEC.TENTHS"),
    ("G3.MEAS.TIME", "G4.MEAS.CONVERT"),
    ("G3.MUL.FACTS", "G4.MEAS.CONVERT"),
    ("G3.GEO.AREA", "G4.GEO.AREA"),
    ("G3.GEO.PERIM", "G4.GEO.AREA"),
    ("G4.MUL.MULTI", "G4.GEO.AREA"),
    # grade 5
    ("G4.NBT.PLACE", "G5.NBT.POWERS"),
    ("G4.MUL.MULTI", "G5.NBT.POWERS"),
    ("G4.DEC.TENTHS", "G5.DEC.ROUND"),
    ("G4.NBT.ROUND", "G5.DEC.ROUND"),
    ("G4.DEC.TENTHS", "G5.DEC.ADDSUB"),
    ("G4.NBT.ADDSUB", "G5.DEC.ADDSUB"),
    ("G4.MUL.MULTI", "G5.MUL.MULTI"),
    ("G4.DEC.TENTHS", "G5.DEC.MULT"),
    ("G5.NBT.POWERS", "G5.DEC.MULT"),
    ("G5.MUL.MULTI", "G5.DEC.MULT"),
    ("G5.MUL.MULTI", "G5.DIV.LONG"),
    ("G4.DIV.REMAIN", "G5.DIV.LONG"),
    ("G4.FRAC.ADDSUB", "G5.FRAC.ADDSUB"),
    ("G4.OA.FACTORS", "G5.FRAC.ADDSUB"),
    ("G4.FRAC.EQUIV", "G5.FRAC.MULT"),
    ("G4.MUL.MULTI", "G5.FRAC.MULT"),
    ("G3.OA.WORD", "G5.OA.EXPR"),
    ("G4.DIV.REMAIN", "G5.OA.EXPR"),
    ("G4.GEO.AREA", "G5.GEO.VOLUME"),
    ("G5.MUL.MULTI", "G5.GEO.VOLUME"),
)


_BUILDERS: dict[str, Callable[[], list[Item]]] = {
    **content_place_value.BUILDERS,
    **content_operations.BUILDERS,
    **content_multiply.BUILDERS,
    **content_divide.BUILDERS,
    **content_fractions.BUILDERS,
    **content_fraction_ops.BUILDERS,
    **content_decimals.BUILDERS,
    **content_measurement.BUILDERS,
    **content_geometry.BUILDERS,
}


def build_items() -> list[Item]:
    """Every demo item (six per skill), in the order of ``SKILLS``; an equal list on every call."""
    return [item for skill in SKILLS for item in _BUILDERS[skill.code]()]
