"""The demo school's content beyond items: short videos, readings, hands-on activities and projects.

Written by the learnpath developers, in English and Spanish, for a few demo skills. The two videos are
small WebM files drawn by ``scripts/make_demo_videos.py`` and shipped in ``demo/media`` (no sound, about
6 seconds each); the demo build copies them into the data folder, so they are served by the app itself
(never a CDN). Pure: no I/O.
"""

from __future__ import annotations

from learnpath.core.content import Content, GradeBand, Rubric, RubricCell, RubricCriterion

__all__ = ["VIDEO_FILES", "build_content"]

VIDEO_FILES: dict[str, str] = {"V-ROUND-10": "round-to-ten.webm", "V-EQUAL-PARTS": "equal-parts.webm"}
"""Content code -> the shipped file in ``learnpath/demo/media``."""


def _rubric(levels: tuple[str, str, str], rows: list[tuple[str, tuple[str, str, str]]]) -> Rubric:
    return Rubric(
        levels,
        tuple(
            RubricCriterion(name, tuple(RubricCell(d, float(p)) for p, d in enumerate(cells, start=1)))
            for name, cells in rows
        ),
    )


GARDEN_RUBRIC = _rubric(
    ("Starting", "Getting there", "Got it"),
    [
        (
            "Measuring",
            (
                "Guesses the sides",
                "Measures most sides to the nearest meter",
                "Measures every side and writes the unit",
            ),
        ),
        (
            "Area",
            (
                "Counts some squares",
                "Finds the area of each bed",
                "Finds each area and the total, and checks it",
            ),
        ),
        (
            "Explaining",
            (
                "Shows the plan without words",
                "Tells how the plan was made",
                "Tells why this plan uses the space well",
            ),
        ),
    ],
)

BOX_RUBRIC = _rubric(
    ("Starting", "Getting there", "Got it"),
    [
        (
            "Volume",
            (
                "Counts some cubes",
                "Finds the volume with length x width x height",
                "Finds the volume and shows it holds what it must",
            ),
        ),
        (
            "Design",
            (
                "Draws a box",
                "Draws the box with its sizes",
                "Draws a net that folds into the box, with sizes",
            ),
        ),
        (
            "Teamwork",
            ("Works alone", "Shares the work", "Shares the work and helps others explain"),
        ),
    ],
)


def build_content() -> list[Content]:
    """Every demo piece of content (skill codes from ``demo.content``)."""
    c = Content
    return [
        c(
            "V-ROUND-10", "video", "Watch: 37 rounds to 40", "watch", 2, GradeBand(3, 4),
            ("G3.NBT.ROUND", "G4.NBT.ROUND"), ("numbers",),
            title_es="Mira: 37 se redondea a 40",
            summary="A dot on the number line slides to the closer ten.",
            summary_es="Un punto en la recta numérica se desliza a la decena más cercana.",
            duration_s=6, video_file="demo-round-to-ten.webm", difficulty=-1.0,
        ),
        c(
            "R-ROUND-10", "reading", "The nearest ten is the closer one", "read", 5, GradeBand(3, 4),
            ("G3.NBT.ROUND",), ("numbers",),
            title_es="La decena más cercana es la que está más cerca",
            summary="How to round a number to the nearest 10.",
            summary_es="Cómo redondear un número a la decena más cercana.",
            body=(
                "Look at 37. It sits between 30 and 40.\n\n"
                "Count the steps: from 37 to 40 is 3 steps. From 37 to 30 is 7 steps. 40 is closer, so 37 "
                "rounds to 40.\n\n"
                "A number that ends in 5, like 35, is right in the middle. Then we round up: 35 rounds to 40."
            ),
            body_es=(
                "Mira el 37. Está entre 30 y 40.\n\n"
                "Cuenta los pasos: de 37 a 40 hay 3 pasos. De 37 a 30 hay 7 pasos. El 40 está más cerca, "
                "así que 37 se redondea a 40.\n\n"
                "Un número que termina en 5, como 35, está justo en medio. Entonces redondeamos hacia "
                "arriba: 35 se redondea a 40."
            ),
            difficulty=-0.5,
        ),
        c(
            "A-ROUND-SHOP", "activity", "Round the shopping list", "do", 15, GradeBand(3, 5),
            ("G3.NBT.ROUND", "G4.NBT.ROUND"), ("shopping", "cooking"),
            title_es="Redondea la lista de la compra",
            summary="Guess the total of a shopping list by rounding.",
            summary_es="Calcula el total de una lista de la compra redondeando.",
            body=(
                "Write a shopping list of 5 things with their prices (use a flyer or make them up).\n\n"
                "Round every price to the nearest 10 and add the rounded prices.\n\n"
                "Now add the real prices. How close was your guess?"
            ),
            body_es=(
                "Escribe una lista de la compra con 5 cosas y sus precios (usa un folleto o invéntalos).\n\n"
                "Redondea cada precio a la decena más cercana y suma los precios redondeados.\n\n"
                "Ahora suma los precios de verdad. ¿Qué tan cerca estuvo tu cálculo?"
            ),
        ),
        c(
            "V-EQUAL-PARTS", "video", "Watch: 1 of 4 is 2 of 8", "watch", 2, GradeBand(3, 4),
            ("G3.FRAC.UNIT", "G4.FRAC.EQUIV"), ("art",),
            title_es="Mira: 1 de 4 es 2 de 8",
            summary="A square cut into 4 equal parts, then into 8: the shaded part stays the same.",
            summary_es="Un cuadrado partido en 4 partes iguales y luego en 8: la parte pintada no cambia.",
            duration_s=6, video_file="demo-equal-parts.webm", difficulty=-0.5,
        ),
        c(
            "R-FRAC-EQUIV", "reading", "Same amount, different pieces", "read", 5, GradeBand(4, 4),
            ("G4.FRAC.EQUIV",), ("food",),
            title_es="La misma cantidad, trozos distintos",
            summary="Why 1/2, 2/4 and 4/8 are the same amount.",
            summary_es="Por qué 1/2, 2/4 y 4/8 son la misma cantidad.",
            body=(
                "Cut a sandwich in half and eat 1 piece: you ate 1/2.\n\n"
                "Cut the other sandwich in 4 equal pieces and eat 2: you ate 2/4. It is the same amount of "
                "sandwich!\n\n"
                "To make an equal fraction, multiply the top and the bottom by the same number: "
                "1/2 = 2/4 = 4/8."
            ),
            body_es=(
                "Corta un sándwich por la mitad y come 1 trozo: comiste 1/2.\n\n"
                "Corta el otro sándwich en 4 trozos iguales y come 2: comiste 2/4. ¡Es la misma cantidad "
                "de sándwich!\n\n"
                "Para hacer una fracción igual, multiplica el número de arriba y el de abajo por el mismo "
                "número: 1/2 = 2/4 = 4/8."
            ),
        ),
        c(
            "A-PAPER-FOLD", "activity", "Fold paper strips", "do", 20, GradeBand(3, 5),
            ("G4.FRAC.EQUIV", "G3.FRAC.UNIT"), ("art", "crafts"),
            title_es="Dobla tiras de papel",
            summary="Fold strips into halves, quarters and eighths and compare them.",
            summary_es="Dobla tiras en mitades, cuartos y octavos y compáralas.",
            body=(
                "Take 3 strips of paper of the same length.\n\n"
                "Fold the first in half, the second in 4 equal parts, the third in 8 equal parts. Open them "
                "and draw lines on the folds.\n\n"
                "Color 1/2 of the first strip. How many parts of the other strips do you color to match it?"
            ),
            body_es=(
                "Toma 3 tiras de papel del mismo largo.\n\n"
                "Dobla la primera por la mitad, la segunda en 4 partes iguales y la tercera en 8. Ábrelas y "
                "dibuja líneas en los dobleces.\n\n"
                "Colorea 1/2 de la primera tira. ¿Cuántas partes de las otras tiras coloreas para igualarla?"
            ),
        ),
        c(
            "D-FAIR-SHARE", "activity", "Talk about it: which share is fair?", "discuss", 10,
            GradeBand(3, 4), ("G3.FRAC.COMPARE",), ("food", "sports"),
            title_es="Hablemos: ¿qué reparto es justo?",
            summary="Compare two ways to share a pizza, with a partner.",
            summary_es="Compara dos formas de repartir una pizza, con un compañero.",
            body=(
                "Mia gets 1/3 of a pizza. Leo gets 1/4 of a pizza of the same size.\n\n"
                "With a partner, talk: who gets more? How do you know? Draw the two pizzas to show it."
            ),
            body_es=(
                "Mia recibe 1/3 de una pizza. Leo recibe 1/4 de una pizza del mismo tamaño.\n\n"
                "Con un compañero, hablen: ¿quién recibe más? ¿Cómo lo saben? Dibujen las dos pizzas para "
                "mostrarlo."
            ),
        ),
        c(
            "R-AREA", "reading", "Area: the squares that cover a shape", "read", 5, GradeBand(3, 4),
            ("G3.GEO.AREA", "G4.GEO.AREA"), ("art",),
            title_es="Área: los cuadrados que cubren una figura",
            summary="Area counts the squares inside; length times width counts them fast.",
            summary_es="El área cuenta los cuadrados de adentro; largo por ancho los cuenta rápido.",
            body=(
                "Area tells how much space a flat shape covers. We count it in squares.\n\n"
                "A rectangle 4 squares long and 3 squares wide has 3 rows of 4 squares: 4 x 3 = 12 squares."
            ),
            body_es=(
                "El área dice cuánto espacio cubre una figura plana. La contamos en cuadrados.\n\n"
                "Un rectángulo de 4 cuadrados de largo y 3 de ancho tiene 3 filas de 4 cuadrados: "
                "4 x 3 = 12 cuadrados."
            ),
            difficulty=-0.5,
        ),
        c(
            "P-GARDEN", "project", "Plan a class garden", "do", 90, GradeBand(4, 5),
            ("G4.GEO.AREA",), ("nature", "gardening"),
            title_es="Planea un huerto para la clase",
            summary="Design garden beds on grid paper and find their areas.",
            summary_es="Diseña canteros en papel cuadriculado y calcula sus áreas.",
            body=(
                "Your class has a space of 10 m by 6 m for a garden.\n\n"
                "Plan at least 3 rectangular beds on grid paper (1 square = 1 m) and leave paths between "
                "them.\n\n"
                "Write the area of each bed and the total area you will plant. Show your plan to the class."
            ),
            body_es=(
                "Tu clase tiene un espacio de 10 m por 6 m para un huerto.\n\n"
                "Planea al menos 3 canteros rectangulares en papel cuadriculado (1 cuadrado = 1 m) y deja "
                "caminos entre ellos.\n\n"
                "Escribe el área de cada cantero y el área total que van a plantar. Muestra tu plan a la "
                "clase."
            ),
            rubric=GARDEN_RUBRIC, difficulty=0.5,
        ),
        c(
            "P-BOX", "project", "Design a box for 24 cubes", "do", 60, GradeBand(5, 5),
            ("G5.GEO.VOLUME",), ("design", "crafts"),
            title_es="Diseña una caja para 24 cubos",
            summary="Find boxes that hold exactly 24 cubes, then build one.",
            summary_es="Busca cajas en las que quepan justo 24 cubos y construye una.",
            body=(
                "In a team, find every box (length x width x height, whole numbers) that holds exactly 24 "
                "cubes.\n\n"
                "Pick the one that uses the least card, draw its net and build it.\n\n"
                "Check with real cubes that 24 fit."
            ),
            body_es=(
                "En equipo, encuentren todas las cajas (largo x ancho x alto, números enteros) en las que "
                "caben justo 24 cubos.\n\n"
                "Elijan la que usa menos cartulina, dibujen su plantilla y constrúyanla.\n\n"
                "Comprueben con cubos de verdad que caben 24."
            ),
            rubric=BOX_RUBRIC, difficulty=1.0,
        ),
        c(
            "A-GROUPS-HUNT", "activity", "Equal groups hunt", "do", 15, GradeBand(3, 3),
            ("G3.MUL.MEANING",), ("nature", "animals"),
            title_es="Busca grupos iguales",
            summary="Find equal groups around you and write them as multiplication.",
            summary_es="Encuentra grupos iguales a tu alrededor y escríbelos como multiplicación.",
            body=(
                "Look around the classroom, the playground or home for equal groups: legs on chairs, eggs in "
                "a box, wheels on bikes.\n\n"
                "Draw 3 of them and write each as a multiplication: 4 chairs with 4 legs is 4 x 4 = 16."
            ),
            body_es=(
                "Busca grupos iguales en el salón, el patio o tu casa: patas de sillas, huevos en una caja, "
                "ruedas de bicicletas.\n\n"
                "Dibuja 3 y escribe cada uno como multiplicación: 4 sillas con 4 patas es 4 x 4 = 16."
            ),
        ),
    ]  # fmt: skip
