"""Measurement items: telling time, converting units, volume of boxes."""

from __future__ import annotations

from collections.abc import Callable

from learnpath.core.items import Item
from learnpath.demo.content_kit import (
    SkillItems,
    add_minutes,
    fmt,
    more_or_less,
)

__all__ = ["BUILDERS"]


def _g3_time() -> list[Item]:
    s = SkillItems("G3.MEAS.TIME")
    count_on = (
        "Count on to the next hour, then add the rest.",
        "Cuenta hasta la siguiente hora y luego suma lo que falta.",
    )
    s.choice(
        (
            "The short hand points to 3 and the long hand points to 12. What time is it?",
            "La manecilla corta apunta al 3 y la larga al 12. ¿Qué hora es?",
        ),
        "3:00",
        ["12:03", "12:15", "3:12"],
        [("The short hand shows the hour.", "La manecilla corta marca la hora.")],
        (
            "Long hand on 12 means o'clock, so it is 3:00.",
            "La manecilla larga en el 12 indica hora en punto: son las 3:00.",
        ),
    )
    s.numeric(
        ("How many minutes are in 1 hour?", "¿Cuántos minutos tiene 1 hora?"),
        60,
        [("The long hand goes all the way around once.", "La manecilla larga da una vuelta completa.")],
        ("1 hour = 60 minutes.", "1 hora = 60 minutos."),
        errors=[100, 30],
    )
    s.choice(
        (
            "School starts at 8:15. Recess is 45 minutes later. What time is recess?",
            "La escuela empieza a las 8:15. El recreo es 45 minutos después. ¿A qué hora es el recreo?",
        ),
        add_minutes(8, 15, 45),
        ["8:60", add_minutes(8, 15, 60), add_minutes(8, 15, 30)],
        [count_on],
        (
            "8:15 + 45 minutes = 9:00. There are only 60 minutes in an hour.",
            "8:15 + 45 minutos = 9:00. Una hora solo tiene 60 minutos.",
        ),
    )
    start, end = 7 * 60 + 40, 8 * 60 + 5
    s.choice(
        ("How many minutes is it from 7:40 to 8:05?", "¿Cuántos minutos hay de las 7:40 a las 8:05?"),
        fmt(end - start),
        [fmt(805 - 740), fmt(end - start + 10), fmt(end - start - 10)],
        [count_on],
        (
            "7:40 to 8:00 is 20 minutes, and 8:00 to 8:05 is 5 more: 25 minutes.",
            "De 7:40 a 8:00 son 20 minutos, y de 8:00 a 8:05 son 5 más: 25 minutos.",
        ),
    )
    end_time = add_minutes(4, 30, 50)
    s.text(
        (
            "Soccer practice starts at 4:30 and lasts 50 minutes. What time does it end? Write it like 5:15.",
            "El entrenamiento de fútbol empieza a las 4:30 y dura 50 minutos. ¿A qué hora termina? Escríbelo como 5:15.",
        ),
        [end_time, f"0{end_time}"],
        [end_time],
        [count_on],
        (
            "4:30 + 30 minutes = 5:00, then 20 more minutes: 5:20.",
            "4:30 + 30 minutos = 5:00, y 20 minutos más: 5:20.",
        ),
        errors=["4:80", "5:30"],
    )
    start, end = 2 * 60 + 10, 3 * 60 + 35
    s.numeric(
        (
            "A movie starts at 2:10 and ends at 3:35. How many minutes long is it?",
            "Una película empieza a las 2:10 y termina a las 3:35. ¿Cuántos minutos dura?",
        ),
        end - start,
        [count_on],
        (
            "2:10 to 3:10 is 60 minutes, and 3:10 to 3:35 is 25 more: 85 minutes.",
            "De 2:10 a 3:10 son 60 minutos, y de 3:10 a 3:35 son 25 más: 85 minutos.",
        ),
        errors=[335 - 210, 25],
        also=["G3.NBT.ADDSUB"],
    )
    return s.build()


def _g4_convert() -> list[Item]:
    s = SkillItems("G4.MEAS.CONVERT")
    big = ("Bigger unit to smaller unit: multiply.", "De una unidad grande a una pequeña: multiplica.")
    facts = {"cm": 100, "min": 60, "g": 1000, "in": 12, "ml": 1000}
    s.numeric(
        ("How many centimeters are in 4 meters?", "¿Cuántos centímetros hay en 4 metros?"),
        4 * facts["cm"],
        [big, ("1 meter = 100 centimeters.", "1 metro = 100 centímetros.")],
        ("4 × 100 = 400 cm.", "4 × 100 = 400 cm."),
        errors=[40, 4000],
    )
    s.choice(
        ("How many inches are in 3 feet?", "¿Cuántas pulgadas hay en 3 pies?"),
        fmt(3 * facts["in"]),
        ["30", "300", "15", "24"],
        [big, ("1 foot = 12 inches.", "1 pie = 12 pulgadas.")],
        ("3 × 12 = 36 inches.", "3 × 12 = 36 pulgadas."),
    )
    s.numeric(
        ("How many minutes are in 3 hours?", "¿Cuántos minutos hay en 3 horas?"),
        3 * facts["min"],
        [big, ("1 hour = 60 minutes.", "1 hora = 60 minutos.")],
        ("3 × 60 = 180 minutes.", "3 × 60 = 180 minutos."),
        errors=[300, 30, 18],
        also=["G3.MEAS.TIME"],
    )
    s.choice(
        ("How many grams are in 5 kilograms?", "¿Cuántos gramos hay en 5 kilogramos?"),
        fmt(5 * facts["g"]),
        [fmt(v) for v in (500, 50, 50_000)],
        [big, ("1 kilogram = 1,000 grams.", "1 kilogramo = 1,000 gramos.")],
        ("5 × 1,000 = 5,000 grams.", "5 × 1,000 = 5,000 gramos."),
    )
    km, m = 2, 1500
    s.text(
        (
            f"Is {km} kilometers more or less than {fmt(m)} meters? Write more or less.",
            f"¿{km} kilómetros es más o menos que {fmt(m)} metros? Escribe más o menos.",
        ),
        *more_or_less(km * 1000, m),
        [("1 kilometer = 1,000 meters.", "1 kilómetro = 1,000 metros.")],
        (
            f"{km} km = {fmt(km * 1000)} m, which is more than {fmt(m)} m.",
            f"{km} km = {fmt(km * 1000)} m, que es más que {fmt(m)} m.",
        ),
        errors=["less", "menos"],
    )
    s.numeric(
        (
            "A jug holds 2 liters and 300 milliliters. How many milliliters is that?",
            "Una jarra tiene 2 litros y 300 mililitros. ¿Cuántos mililitros son?",
        ),
        2 * facts["ml"] + 300,
        [big, ("1 liter = 1,000 milliliters.", "1 litro = 1,000 mililitros.")],
        ("2 × 1,000 + 300 = 2,300 milliliters.", "2 × 1,000 + 300 = 2,300 mililitros."),
        errors=[2300 - 2000 + 200, 302, 5],
    )
    return s.build()


def _g5_volume() -> list[Item]:
    s = SkillItems("G5.GEO.VOLUME")
    lwh = ("Volume = length × width × height.", "Volumen = largo × ancho × alto.")
    s.text(
        (
            "Is volume measured in square units or cubic units? Write square or cubic.",
            "¿El volumen se mide en unidades cuadradas o cúbicas? Escribe cuadradas o cúbicas.",
        ),
        ["cubic", "cubic units"],
        ["cúbicas", "cubicas", "unidades cúbicas", "cúbicos"],
        [("Volume fills a box with little cubes.", "El volumen llena una caja con cubitos.")],
        (
            "Volume counts cubes, so it uses cubic units like cubic centimeters.",
            "El volumen cuenta cubos, así que usa unidades cúbicas como centímetros cúbicos.",
        ),
        errors=["square", "cuadradas"],
    )
    length, w, h = 3, 2, 4
    s.numeric(
        (
            f"A box is {length} cm long, {w} cm wide and {h} cm tall. What is its volume in cubic cm?",
            f"Una caja mide {length} cm de largo, {w} cm de ancho y {h} cm de alto. ¿Cuál es su volumen en cm cúbicos?",
        ),
        length * w * h,
        [lwh],
        (
            f"{length} × {w} × {h} = {length * w * h} cubic cm.",
            f"{length} × {w} × {h} = {length * w * h} cm cúbicos.",
        ),
        errors=[length + w + h, 2 * (length * w + w * h + length * h)],
    )
    length, w, h = 6, 5, 2
    s.numeric(
        (
            f"How many 1 cm cubes fill a box that is {length} cm by {w} cm by {h} cm?",
            f"¿Cuántos cubos de 1 cm llenan una caja de {length} cm por {w} cm por {h} cm?",
        ),
        length * w * h,
        [
            (
                "How many cubes fit on the bottom layer? How many layers?",
                "¿Cuántos cubos caben en la capa de abajo? ¿Cuántas capas hay?",
            )
        ],
        (
            f"{length} × {w} = {length * w} cubes per layer, and {h} layers: {length * w * h} cubes.",
            f"{length} × {w} = {length * w} cubos por capa, y {h} capas: {length * w * h} cubos.",
        ),
        errors=[length + w + h, length * w],
    )
    length, w, h = 5, 4, 3
    s.choice(
        (
            f"A box is {length} in by {w} in by {h} in. What is its volume?",
            f"Una caja mide {length} pulg por {w} pulg por {h} pulg. ¿Cuál es su volumen?",
        ),
        (f"{length * w * h} cubic inches", f"{length * w * h} pulgadas cúbicas"),
        [
            (f"{v} cubic inches", f"{v} pulgadas cúbicas")
            for v in (length + w + h, 2 * (length * w + w * h + length * h), length * w)
        ],
        [lwh],
        (
            f"{length} × {w} × {h} = {length * w * h} cubic inches.",
            f"{length} × {w} × {h} = {length * w * h} pulgadas cúbicas.",
        ),
    )
    vol, length, w = 72, 6, 4
    s.choice(
        (
            f"A box has a volume of {vol} cubic feet. Its bottom is {length} ft by {w} ft. How tall is it?",
            f"Una caja tiene un volumen de {vol} pies cúbicos. Su base mide {length} pies por {w} pies. ¿Qué altura tiene?",
        ),
        (f"{vol // (length * w)} feet", f"{vol // (length * w)} pies"),
        [(f"{v} feet", f"{v} pies") for v in (vol - length - w, vol // length, vol // w)],
        [lwh, ("First find the area of the bottom.", "Primero calcula el área de la base.")],
        (
            f"{length} × {w} = {length * w}, and {vol} ÷ {length * w} = {vol // (length * w)} feet.",
            f"{length} × {w} = {length * w}, y {vol} ÷ {length * w} = {vol // (length * w)} pies.",
        ),
        also=["G5.DIV.LONG"],
    )
    length, w, h = 25, 12, 2
    s.numeric(
        (
            f"A pool is {length} m long, {w} m wide and {h} m deep. What is its volume in cubic meters?",
            f"Una alberca mide {length} m de largo, {w} m de ancho y {h} m de profundidad. ¿Cuál es su volumen en metros cúbicos?",
        ),
        length * w * h,
        [lwh],
        (
            f"{length} × {w} = {length * w}, and {length * w} × {h} = {length * w * h} cubic meters.",
            f"{length} × {w} = {length * w}, y {length * w} × {h} = {length * w * h} metros cúbicos.",
        ),
        errors=[length * w, length + w + h],
        also=["G5.MUL.MULTI"],
    )
    return s.build()


BUILDERS: dict[str, Callable[[], list[Item]]] = {
    "G3.MEAS.TIME": _g3_time,
    "G4.MEAS.CONVERT": _g4_convert,
    "G5.GEO.VOLUME": _g5_volume,
}
