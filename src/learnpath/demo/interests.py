"""Interest tags of the demo skills (what their stories are about), for "Because you like space" choices.

Chosen by topic for the demo; every tag is one of ``learnpath.service.assignments.INTERESTS``.
Pure data: no I/O.
"""

from __future__ import annotations

__all__ = ["SKILL_INTERESTS"]

SKILL_INTERESTS: dict[str, tuple[str, ...]] = {
    "G3.NBT.ROUND": ("money",),
    "G3.NBT.ADDSUB": ("money", "sports"),
    "G3.MUL.MEANING": ("animals", "cooking"),
    "G3.MUL.FACTS": ("games",),
    "G3.DIV.FACTS": ("cooking", "animals"),
    "G3.OA.WORD": ("animals",),
    "G3.FRAC.UNIT": ("cooking",),
    "G3.FRAC.COMPARE": ("cooking", "art"),
    "G3.MEAS.TIME": ("sports", "music"),
    "G3.GEO.AREA": ("art", "building"),
    "G3.GEO.PERIM": ("nature", "building"),
    "G4.NBT.PLACE": ("space",),
    "G4.NBT.ROUND": ("space",),
    "G4.NBT.ADDSUB": ("sports",),
    "G4.MUL.MULTI": ("games",),
    "G4.DIV.REMAIN": ("cooking",),
    "G4.OA.FACTORS": ("games", "music"),
    "G4.FRAC.EQUIV": ("art",),
    "G4.FRAC.ADDSUB": ("music", "cooking"),
    "G4.DEC.TENTHS": ("money", "sports"),
    "G4.MEAS.CONVERT": ("cooking", "nature"),
    "G4.GEO.AREA": ("building",),
    "G5.NBT.POWERS": ("space",),
    "G5.DEC.ROUND": ("money",),
    "G5.DEC.ADDSUB": ("money",),
    "G5.DEC.MULT": ("money", "sports"),
    "G5.MUL.MULTI": ("space",),
    "G5.DIV.LONG": ("animals",),
    "G5.FRAC.ADDSUB": ("cooking",),
    "G5.FRAC.MULT": ("art",),
    "G5.OA.EXPR": ("games",),
    "G5.GEO.VOLUME": ("building", "space"),
}
