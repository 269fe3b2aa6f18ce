"""The prepared summary of a check-in: what happened since the last one, as JSON-able values.

Sections: ``progress`` (attempts, right answers, minutes, skills practised and newly mastered), ``evidence``
(the latest attempts; portfolio work when the portfolio service offers it), ``forecast`` (each goal's
forecast now against the plan stored at the last check-in) and ``suggestions`` (codes with parameters,
worded by the page in the reader's language). No access checks here: callers have checked.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from learnpath.core.mastery import MASTERED_AT
from learnpath.service import plans, portfolio
from learnpath.storage.tables import AttemptRow, CheckinRow, ItemRow, ItemSkill, MasteryRow, SkillRow

__all__ = ["EVIDENCE_ATTEMPTS", "plan_now", "portfolio_since", "prepare_summary", "progress_between"]

EVIDENCE_ATTEMPTS = 10
MAX_PRACTISE_SUGGESTIONS = 3


def plan_now(session: Session, learner_id: int, now: datetime) -> dict[str, Any]:
    """The learner's plan with forecasts (``service/plans.py``'s snapshot)."""
    return plans.plan_snapshot(session, learner_id, now)


def portfolio_since(
    session: Session, learner_id: int, since: datetime, now: datetime
) -> list[dict[str, Any]]:
    """Portfolio work added in (since, now] (``service/portfolio.py``): id, kind, title, created_at, goals,
    skills and the number of feedback notes of each."""
    return portfolio.items_since(session, learner_id, since, now)


def _skill(row: SkillRow) -> dict[str, str]:
    return {"code": row.code, "name": row.name, "name_es": row.name_es or row.name}


def progress_between(session: Session, learner_id: int, since: datetime, until: datetime) -> dict[str, Any]:
    """Attempts, right answers, minutes and skills practised in (since, until]; ``mastered``: skills
    mastered now whose last attempt fell in the period."""
    period = (
        AttemptRow.learner_id == learner_id,
        AttemptRow.created_at > since,
        AttemptRow.created_at <= until,
    )
    n, n_correct, ms = session.execute(
        select(
            func.count(AttemptRow.id),
            func.coalesce(func.sum(case((AttemptRow.correct, 1), else_=0)), 0),
            func.coalesce(func.sum(AttemptRow.duration_ms), 0),
        ).where(*period)
    ).one()
    practised_ids = (
        select(ItemSkill.skill_id).join(AttemptRow, AttemptRow.item_id == ItemSkill.item_id).where(*period)
    )
    practised = session.scalars(
        select(SkillRow).where(SkillRow.id.in_(practised_ids)).order_by(SkillRow.code)
    ).all()
    return {
        "attempts": int(n),
        "correct": int(n_correct),
        "minutes": round(int(ms) / 60000),
        "skills_practised": [_skill(s) for s in practised],
        "mastered": [
            _skill(s) for s, at in _mastered(session, learner_id) if at is not None and since < at <= until
        ],
    }


def _mastered(session: Session, learner_id: int) -> list[tuple[SkillRow, datetime | None]]:
    return list(
        session.execute(
            select(SkillRow, MasteryRow.last_attempt_at)
            .join(MasteryRow, MasteryRow.skill_id == SkillRow.id)
            .where(MasteryRow.learner_id == learner_id, MasteryRow.p_mastery >= MASTERED_AT)
            .order_by(SkillRow.code)
        )
    )


def _evidence(session: Session, learner_id: int, since: datetime, now: datetime) -> list[dict[str, Any]]:
    rows = session.execute(
        select(AttemptRow.id, ItemRow.code, AttemptRow.correct, AttemptRow.created_at)
        .join(ItemRow, ItemRow.id == AttemptRow.item_id)
        .where(
            AttemptRow.learner_id == learner_id, AttemptRow.created_at > since, AttemptRow.created_at <= now
        )
        .order_by(AttemptRow.created_at.desc(), AttemptRow.id.desc())
        .limit(EVIDENCE_ATTEMPTS)
    ).all()
    skills: dict[int, list[dict[str, str]]] = {}
    for attempt_id, skill in session.execute(
        select(AttemptRow.id, SkillRow)
        .join(ItemSkill, ItemSkill.item_id == AttemptRow.item_id)
        .join(SkillRow, SkillRow.id == ItemSkill.skill_id)
        .where(AttemptRow.id.in_([r[0] for r in rows]))
    ):
        skills.setdefault(attempt_id, []).append(_skill(skill))
    return [
        {"item_code": code, "correct": bool(ok), "at": at.isoformat(), "skills": skills.get(aid, [])}
        for aid, code, ok, at in rows
    ]


def _forecast(goal: dict[str, Any]) -> dict[str, Any]:
    f = goal.get("forecast") or {}
    return {
        "date": f.get("date"),
        "low": f.get("low"),
        "high": f.get("high"),
        "status": f.get("status", "unknown"),
    }


def _forecast_changes(plan: dict[str, Any], before: dict[str, Any] | None) -> list[dict[str, Any]]:
    earlier = {g["id"]: g for g in (before or {}).get("goals", [])}
    out = []
    for goal in plan.get("goals", []):
        if goal.get("state") == "dropped":
            continue
        old = earlier.get(goal["id"])
        now_f = _forecast(goal)
        old_f = _forecast(old) if old else None
        shift = None
        if old_f and old_f["date"] and now_f["date"]:
            shift = (date.fromisoformat(now_f["date"][:10]) - date.fromisoformat(old_f["date"][:10])).days
        out.append(
            {
                "goal_id": goal["id"],
                "title": goal.get("title", ""),
                "kind": goal.get("kind", "skill"),
                "state": goal.get("state", ""),
                "target_date": goal.get("target_date"),
                "progress": float(goal.get("progress") or 0.0),
                "progress_before": float(old.get("progress") or 0.0) if old else None,
                "forecast": now_f,
                "forecast_before": old_f,
                "shift_days": shift,
                "new": old is None and before is not None,
            }
        )
    return out


def _suggestions(
    session: Session, learner_id: int, plan: dict[str, Any], progress: dict[str, Any]
) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    active = [g for g in plan.get("goals", []) if g.get("state") not in ("dropped", "met")]
    if not active:
        out.append({"kind": "no_goals"})
    if progress["attempts"] == 0:
        out.append({"kind": "no_practice"})
    mastery = dict(
        session.execute(
            select(SkillRow.code, MasteryRow.p_mastery)
            .join(MasteryRow, MasteryRow.skill_id == SkillRow.id)
            .where(MasteryRow.learner_id == learner_id)
        ).all()
    )
    practise: list[dict[str, Any]] = []
    for goal in active:
        f = _forecast(goal)
        base = {"goal_id": goal["id"], "title": goal.get("title", "")}
        if f["status"] == "met" or float(goal.get("progress") or 0.0) >= 1.0:
            out.append({"kind": "goal_met", **base})
            continue
        if f["status"] == "at_risk":
            out.append(
                {
                    "kind": "at_risk",
                    **base,
                    "target_date": goal.get("target_date"),
                    "forecast_date": f["date"],
                }
            )
        if goal.get("state") in ("draft", "proposed"):
            out.append({"kind": "awaiting_agreement", **base})
        todo = [c for c in goal.get("skills", []) if mastery.get(c, 0.0) < MASTERED_AT]
        if todo and len(practise) < MAX_PRACTISE_SUGGESTIONS:
            skill = session.scalars(select(SkillRow).where(SkillRow.code == todo[0])).first()
            if skill is not None:
                practise.append({"kind": "practise", **base, "skill": _skill(skill)})
    return out + practise


def prepare_summary(
    session: Session, learner_id: int, now: datetime, last: CheckinRow | None, every_days: int
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The summary since ``last`` (or the last ``every_days`` days before a first check-in) and the plan now."""
    since = last.held_at if last is not None else now - timedelta(days=every_days)
    plan = plan_now(session, learner_id, now)
    progress = progress_between(session, learner_id, since, now)
    mastered = _mastered(session, learner_id)
    if last is not None:  # mastered since: not in the list stored at the last check-in
        earlier = set(last.summary.get("mastered_now", []))
        progress["mastered"] = [_skill(s) for s, _ in mastered if s.code not in earlier]
    summary = {
        "since": since.isoformat(),
        "until": now.isoformat(),
        "first": last is None,
        "progress": progress,
        "evidence": {
            "attempts": _evidence(session, learner_id, since, now),
            "portfolio": portfolio_since(session, learner_id, since, now),
        },
        "forecast": _forecast_changes(plan, last.plan if last is not None else None),
        "suggestions": _suggestions(session, learner_id, plan, progress),
        "mastered_now": [s.code for s, _ in mastered],
    }
    return summary, plan
