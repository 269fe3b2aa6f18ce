"""What each learner of a rotation needs most (re-teach, practice, enrich), from their stored mastery.

Used by ``service.rotations``; the rule itself is pure (``learnpath.orchestrate.rotation.need_of``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, cast

from sqlalchemy import select
from sqlalchemy.orm import Session

from learnpath.orchestrate.rotation import Need, NeedReason, SkillFact, need_of
from learnpath.storage.tables import MasteryRow, SkillRow

__all__ = ["common_skills", "learner_needs", "reason_dict", "skill_names"]


def skill_names(session: Session, locale: str) -> dict[str, str]:
    """Skill code -> its name in ``locale`` (Spanish when there is one)."""
    return {
        r.code: (r.name_es if locale == "es" and r.name_es else r.name)
        for r in session.scalars(select(SkillRow))
    }


def learner_needs(
    session: Session,
    learner_ids: Sequence[int],
    focus: Sequence[str],
    overrides: Mapping[int, str],
) -> dict[int, NeedReason]:
    """Each learner's need on the focus skills (default: those at least half of them have practised)."""
    facts: dict[int, list[SkillFact]] = {i: [] for i in learner_ids}
    for m, code in session.execute(
        select(MasteryRow, SkillRow.code)
        .join(SkillRow, SkillRow.id == MasteryRow.skill_id)
        .where(MasteryRow.learner_id.in_(learner_ids))
    ):
        facts[m.learner_id].append(SkillFact(code, m.p_mastery, m.n_attempts, m.recent_wrong))
    used = list(focus) or common_skills(facts)
    out: dict[int, NeedReason] = {}
    for lid in learner_ids:
        reason = need_of(facts[lid], used)
        if lid in overrides:
            reason = NeedReason(cast(Need, overrides[lid]), reason.skills, reason.mastered, reason.of, True)
        out[lid] = reason
    return out


def common_skills(facts: Mapping[int, Sequence[SkillFact]]) -> list[str]:
    """The skills at least half the learners have practised (the class's common ground), else every one."""
    counts: dict[str, int] = {}
    for fs in facts.values():
        for f in fs:
            if f.n_attempts > 0:
                counts[f.code] = counts.get(f.code, 0) + 1
    half = (len(facts) + 1) // 2
    common = sorted(c for c, n in counts.items() if n >= half)
    return common or sorted(counts)


def reason_dict(reason: NeedReason, names: Mapping[str, str]) -> dict[str, Any]:
    """A need's reason as stored with the plan: up to 3 skills to re-teach (code, name), mastered of focus."""
    return {
        "skills": [{"code": c, "name": names.get(c, c)} for c in reason.skills[:3]],
        "mastered": reason.mastered,
        "of": reason.of,
        "overridden": reason.overridden,
    }
