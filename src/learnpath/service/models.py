"""Use cases of learner-model versions: refit from every attempt, validate on held-out learners, swap.

``fit_model(ctx)`` is what ``learnpath fit`` runs (``auto``: each of ``best`` and ``bkt`` goes through steps 2-3
and the one with the higher held-out AUC is the candidate; a named model is the only candidate):

1. **load** every attempt in the database (one read transaction) into an :class:`AttemptTable`;
2. **fit** the candidate on the *training learners*: every learner except a held-out share (20%) chosen by
   a stable hash of the learner id, so the same learner is held out in every refit;
3. **validate**: P(correct) of every held-out attempt from the same learner's earlier attempts
   (``predict_proba``), for the candidate and for the active version (its stored parameters, or the
   cold-start model of the settings when nothing was fitted yet); AUC over the held-out attempts;
4. **save** (one transaction): the candidate becomes the active version if its AUC is not worse than the
   active one's (ties accepted, so a refit on the same data refreshes the version); otherwise it is stored
   as rejected, with its metrics and the reason, and the active version stays. On a swap every learner's
   state and mastery rows are rebuilt under the new version in the same transaction, so dashboards never
   mix two models. The transaction first takes the write lock of ``model_versions`` (``save_version``), so
   two fits that finish at the same instant cannot both become active, even on a database with no version
   yet: the second waits, sees the first one's version and stops with a ConflictError.

The stored model is the one that was validated, fitted on the training learners only; it is *not* refit
on all learners. Held-out learners therefore never inform any stored version, and the next refit compares
candidate and active version on learners neither has seen. The price is 20% fewer learners behind the
item and skill parameters; a learner's own state still follows all of their attempts.
"""

from __future__ import annotations

import hashlib
import inspect
import itertools
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from learnpath.core.evidence import Attempt
from learnpath.errors import ConflictError, NotFittedError, ValidationError
from learnpath.learner.base import AttemptTable, LearnerModel, LearnerState, SkillMastery
from learnpath.learner.metrics import score_all
from learnpath.learner.registry import MODELS, build_model, model_from_dict
from learnpath.service.access import Actor, require_role
from learnpath.service.catalog import Catalog, load_catalog
from learnpath.service.context import ServiceContext
from learnpath.service.extra_evidence import merge_facts, portfolio_facts
from learnpath.service.history import DayHistory, rewrite_history
from learnpath.storage.locks import lock_table_for_writing
from learnpath.storage.tables import AttemptRow, LearnerStateRow, MasteryRow, ModelVersion, TeacherScore

__all__ = [
    "AUTO",
    "AUTO_CANDIDATES",
    "DEFAULT_FIT_MODEL",
    "HELDOUT_SHARE",
    "MIN_HELDOUT_LEARNERS",
    "MIN_TRAIN_LEARNERS",
    "PHASES",
    "FitReport",
    "ModelVersionInfo",
    "candidate_model",
    "fit_model",
    "is_heldout",
    "list_model_versions",
    "load_attempts",
    "rebuild_learner_states",
    "refresh_mastery",
    "save_version",
]

AUTO = "auto"
AUTO_CANDIDATES: tuple[str, ...] = ("best", "bkt")
"""What ``auto`` fits: the model the benchmarks chose (``best``, strongest on ASSISTments-sized data) and BKT
(strongest on small schools' data so far); the one with the higher held-out AUC on this school's learners
is the candidate (ties go to the first)."""
DEFAULT_FIT_MODEL = AUTO
"""What ``learnpath fit`` fits unless told otherwise: ``auto``, the evaluation's choice on this school's data."""
HELDOUT_SHARE = 0.2
MIN_TRAIN_LEARNERS = 5
MIN_HELDOUT_LEARNERS = 2
FIT_SEED = 2026
"""Seed for models that draw random restarts (BKT), so a refit of the same data gives the same version."""

Phase = Literal["load", "fit", "validate", "save"]
PHASES: tuple[Phase, ...] = ("load", "fit", "validate", "save")


@dataclass(frozen=True)
class FitReport:
    """What one refit did. ``active_auc`` is None when the active model could not predict at all."""

    version_id: int
    model: str
    accepted: bool
    candidate_auc: float
    active_auc: float | None
    active_version_id: int | None
    """The version compared against (None: the cold-start model of the settings)."""
    reason: str
    n_attempts: int
    n_learners: int
    n_train_learners: int
    n_heldout_learners: int
    n_heldout_attempts: int
    n_states_rebuilt: int
    seconds: float

    def to_dict(self) -> dict[str, Any]:
        """The ``learnpath fit --json`` object."""
        return {
            "model": self.model,
            "version_id": self.version_id,
            "accepted": self.accepted,
            "candidate_auc": self.candidate_auc,
            "active_auc": self.active_auc,
            "active_version_id": self.active_version_id,
            "reason": self.reason,
            "n_attempts": self.n_attempts,
            "n_learners": self.n_learners,
            "n_train_learners": self.n_train_learners,
            "n_heldout_learners": self.n_heldout_learners,
            "n_heldout_attempts": self.n_heldout_attempts,
            "seconds": self.seconds,
        }


@dataclass(frozen=True)
class ModelVersionInfo:
    id: int
    name: str
    active: bool
    accepted: bool
    reason: str | None
    metrics: dict[str, Any]
    created_at: datetime


@dataclass(frozen=True)
class LoadedAttempts:
    """Every attempt as a table, plus what replaying states needs (item codes and attempt times)."""

    table: AttemptTable
    catalog: Catalog
    at: list[datetime]
    duration_ms: list[int | None]
    hints_used: list[int]
    fingerprint: tuple[int, int, int]
    """(number of attempt rows, highest attempt id) when loaded: tells whether attempts came in since."""

    def facts(self, rows: range | npt.NDArray[np.int64]) -> list[Attempt]:
        t = self.table
        out = []
        for i in rows:
            code = t.item_names[int(t.item[i])]
            out.append(
                Attempt(
                    learner=int(t.learner[i]),
                    item=code,
                    skills=self.catalog.items[code].skills,
                    correct=bool(t.correct[i]),
                    at=self.at[i],
                    duration_ms=self.duration_ms[i],
                    hints_used=self.hints_used[i],
                )
            )
        return out


def is_heldout(learner_id: int, share: float = HELDOUT_SHARE) -> bool:
    """Whether a learner is held out for validation: a stable hash of the id, the same in every refit."""
    digest = hashlib.sha256(f"learnpath-heldout:{learner_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") < share * 2**64


def _fingerprint(session: Session) -> tuple[int, int, int]:
    count, top = session.execute(select(func.count(AttemptRow.id), func.max(AttemptRow.id))).one()
    marked = session.scalar(select(func.count()).select_from(TeacherScore))
    return int(count or 0), int(top or 0), int(marked or 0)


def load_attempts(session: Session) -> LoadedAttempts:
    """Every attempt the learner model sees (on an item with skills, not waiting for a teacher's score),
    sorted by learner, time and id: the order ``learning`` replays them in. An answer a teacher scored
    counts from the moment it was scored (service/scoring.py)."""
    fingerprint = _fingerprint(session)
    catalog = load_catalog(session)
    code_by_id = {v: k for k, v in catalog.item_ids.items()}
    scored: dict[int, datetime] = {
        aid: when for aid, when in session.execute(select(TeacherScore.attempt_id, TeacherScore.scored_at))
    }
    rows: Any = session.execute(
        select(
            AttemptRow.id,
            AttemptRow.learner_id,
            AttemptRow.item_id,
            AttemptRow.correct,
            AttemptRow.created_at,
            AttemptRow.duration_ms,
            AttemptRow.hints_used,
        ).order_by(AttemptRow.learner_id, AttemptRow.created_at, AttemptRow.id)
    )
    if scored:  # teacher-scored answers move to their scoring time
        rows = sorted(
            (
                (aid, lid, iid, ok, scored.get(aid, created), dur, hint)
                for aid, lid, iid, ok, created, dur, hint in rows
            ),
            key=lambda r: (r[1], r[4], r[0]),
        )
    learner: list[int] = []
    item_pos: list[int] = []
    correct: list[int] = []
    at: list[datetime] = []
    duration: list[int | None] = []
    hints: list[int] = []
    item_names: dict[str, int] = {}
    for attempt_id, learner_id, item_id, ok, created, dur, hint in rows:
        code = code_by_id.get(item_id)
        if code is None or (catalog.items[code].teacher_scored and attempt_id not in scored):
            continue
        learner.append(learner_id)
        item_pos.append(item_names.setdefault(code, len(item_names)))
        correct.append(int(ok))
        at.append(created)
        duration.append(dur)
        hints.append(hint or 0)
    items = tuple(item_names)
    skills = tuple(dict.fromkeys(s for code in items for s in catalog.items[code].skills))
    skill_ix = {s: i for i, s in enumerate(skills)}
    # CSR of item -> skill indices, expanded to rows without a Python loop over rows
    item_counts = np.array([len(catalog.items[c].skills) for c in items], dtype=np.int64)
    item_ptr = np.r_[0, np.cumsum(item_counts)].astype(np.int64)
    item_skills = np.array([skill_ix[s] for c in items for s in catalog.items[c].skills], dtype=np.int64)
    item_arr = np.array(item_pos, dtype=np.int64)
    counts = item_counts[item_arr] if item_arr.size else np.zeros(0, dtype=np.int64)
    indptr = np.r_[0, np.cumsum(counts)].astype(np.int64)
    offsets = np.repeat(item_ptr[item_arr] - indptr[:-1], counts) if item_arr.size else np.zeros(0, np.int64)
    indices = item_skills[np.arange(int(indptr[-1]), dtype=np.int64) + offsets]
    table = AttemptTable(
        learner=np.array(learner, dtype=np.int64),
        item=item_arr,
        skill_indptr=indptr,
        skill_indices=indices.astype(np.int64),
        correct=np.array(correct, dtype=np.int8),
        timestamp=np.array([a.timestamp() for a in at], dtype=np.float64),
        item_names=items,
        skill_names=skills,
        duration_ms=np.array([np.nan if d is None else d for d in duration], dtype=np.float64),
        hints=np.array(hints, dtype=np.float64),
    )
    return LoadedAttempts(table, catalog, at, duration, hints, fingerprint)


def _subset(table: AttemptTable, mask: npt.NDArray[np.bool_]) -> AttemptTable:
    """The rows where ``mask`` holds, same vocabularies (rows stay sorted)."""
    counts = np.diff(table.skill_indptr)
    opt = {
        k: None if getattr(table, k) is None else getattr(table, k)[mask]
        for k in ("duration_ms", "hints", "attempt_count")
    }
    return AttemptTable(
        learner=table.learner[mask],
        item=table.item[mask],
        skill_indptr=np.r_[0, np.cumsum(counts[mask])].astype(np.int64),
        skill_indices=table.skill_indices[np.repeat(mask, counts)],
        correct=table.correct[mask],
        timestamp=table.timestamp[mask],
        item_names=table.item_names,
        skill_names=table.skill_names,
        **opt,
    )


def _predict(
    model: LearnerModel, loaded: LoadedAttempts, rows: npt.NDArray[np.int64]
) -> tuple[npt.NDArray[np.float64], str]:
    """P(correct) of ``rows`` (whole learners' sequences) by ``predict_proba``; a model that was never
    fitted (the cold-start defaults) predicts online instead: ``p_correct`` before each ``update``."""
    table = _subset(loaded.table, np.isin(np.arange(len(loaded.table)), rows))
    try:
        return np.asarray(model.predict_proba(table), dtype=np.float64), "batch"
    except NotFittedError:
        pass
    out = np.empty(len(rows), dtype=np.float64)
    states: dict[int, LearnerState] = {}
    for k, fact in enumerate(loaded.facts(rows)):
        state = states.get(fact.learner) or model.init_state()
        out[k] = model.p_correct(state, fact.skills)
        states[fact.learner] = model.update(state, fact)
    return out, "online"


def candidate_model(
    name: str, hyperparameters: dict[str, Any] | None = None, seed: int = FIT_SEED
) -> LearnerModel:
    """A new, unfitted model ``name`` (ValidationError for an unknown name or hyperparameter); a model that
    draws random restarts gets ``seed`` unless ``rng`` is given, so refits are reproducible."""
    if name == AUTO:
        if hyperparameters:
            raise ValidationError.for_field(
                "hyperparameters",
                f"{AUTO!r} fits each of {', '.join(AUTO_CANDIDATES)} with its defaults; "
                "name one model to give hyperparameters",
            )
        return candidate_model(AUTO_CANDIDATES[0], None, seed)
    if name not in MODELS:
        raise ValidationError.for_field(
            "model", f"unknown model {name!r}; known: {AUTO}, {', '.join(sorted(MODELS))}"
        )
    hp = dict(hyperparameters or {})
    try:
        takes_rng = "rng" in inspect.signature(MODELS[name]).parameters
    except (TypeError, ValueError):
        takes_rng = False
    if takes_rng and hp.get("rng") is None:
        hp["rng"] = seed
    try:
        return build_model(name, **hp)
    except TypeError as exc:
        raise ValidationError.for_field("hyperparameters", f"not valid for {name!r}: {exc}") from exc


def _active(session: Session, ctx: ServiceContext) -> tuple[int | None, LearnerModel]:
    """The active version (id, a fresh model object), or the settings' cold-start model."""
    row = session.scalars(select(ModelVersion).where(ModelVersion.active.is_(True))).first()
    if row is not None and row.params:
        return row.id, model_from_dict(row.params)
    return (row.id if row else None), build_model(ctx.settings.model)


def _fmt(auc: float | None) -> str:
    return "none" if auc is None else f"{auc:.4f}"


def fit_model(
    ctx: ServiceContext,
    name: str = DEFAULT_FIT_MODEL,
    hyperparameters: dict[str, Any] | None = None,
    *,
    heldout_share: float = HELDOUT_SHARE,
    seed: int = FIT_SEED,
    on_phase: Callable[[Phase], None] | None = None,
    timer: Callable[[], float] = time.perf_counter,
) -> FitReport:
    """Refit ``name`` from every attempt; activate it only if its held-out AUC is not worse (module doc)."""
    phase = on_phase or (lambda _p: None)
    t_start = timer()
    candidate_model(name, hyperparameters, seed)  # names and hyperparameters fail before any work
    names = AUTO_CANDIDATES if name == AUTO else (name,)
    if not 0.0 < heldout_share < 1.0:
        raise ValidationError.for_field("heldout_share", f"must be between 0 and 1, got {heldout_share}")

    phase("load")
    with ctx.unit() as session:
        loaded = load_attempts(session)
        active_id, active = _active(session, ctx)
    table = loaded.table
    n = len(table)
    if n == 0:
        raise ValidationError.for_field(
            "attempts", "the database has no attempts on items with skills yet: nothing to fit a model on"
        )
    learners = np.unique(table.learner)
    held = np.array([is_heldout(int(v), heldout_share) for v in learners], dtype=bool)
    n_held, n_train = int(held.sum()), int((~held).sum())
    if n_held < MIN_HELDOUT_LEARNERS or n_train < MIN_TRAIN_LEARNERS:
        raise ValidationError.for_field(
            "attempts",
            f"too few learners to validate a model: {len(learners)} learners have attempts, "
            f"{n_train} for training and {n_held} held out ({heldout_share:.0%} by learner id); "
            f"need at least {MIN_TRAIN_LEARNERS} for training and {MIN_HELDOUT_LEARNERS} held out",
        )
    heldout_mask = np.isin(table.learner, learners[held])
    held_rows = np.flatnonzero(heldout_mask).astype(np.int64)
    y = table.correct[held_rows]
    if y.min() == y.max():
        raise ValidationError.for_field(
            "attempts",
            f"the {held_rows.size} held-out attempts are all {'right' if y[0] else 'wrong'}: "
            "the AUC needs both right and wrong answers",
        )

    train = _subset(table, ~heldout_mask)
    tried: list[tuple[LearnerModel, dict[str, float], float]] = []
    fit_seconds = validate_seconds = 0.0
    for one in names:
        phase("fit")
        t_fit = timer()
        model = candidate_model(one, hyperparameters, seed).fit(train)
        fit_seconds += timer() - t_fit
        phase("validate")
        t_val = timer()
        p_new, _ = _predict(model, loaded, held_rows)
        tried.append((model, score_all(y, p_new), timer() - t_fit))
        validate_seconds += timer() - t_val
    # the highest held-out AUC wins (a NaN never does; ties go to the first named)
    candidate, scores, _ = max(tried, key=lambda t: -math.inf if math.isnan(t[1]["auc"]) else t[1]["auc"])
    t_val = timer()
    try:
        p_old, how_old = _predict(active, loaded, held_rows)
        active_auc: float | None = score_all(y, p_old)["auc"]
    except NotFittedError:
        active_auc, how_old = None, "none"
    validate_seconds += timer() - t_val
    candidate_auc = scores["auc"]
    accepted = active_auc is None or (not math.isnan(candidate_auc) and candidate_auc >= active_auc)
    against = (
        f"version {active_id}" if active_id is not None else f"the untrained {ctx.settings.model} defaults"
    )
    if active_auc is None:
        reason = (
            f"{against} cannot predict without a fit; the candidate (AUC {_fmt(candidate_auc)}) replaces it"
        )
    elif accepted:
        reason = f"held-out AUC {_fmt(candidate_auc)} is not worse than {_fmt(active_auc)} ({against})"
    else:
        reason = f"held-out AUC {_fmt(candidate_auc)} is worse than {_fmt(active_auc)} ({against})"
    if len(tried) > 1:
        others = ", ".join(f"{m.name} {_fmt(sc['auc'])}" for m, sc, _ in tried if m is not candidate)
        reason = f"{candidate.name} chosen by held-out AUC over {others}; {reason}"

    phase("save")
    metrics: dict[str, Any] = {
        **{k: (None if math.isnan(v) else v) for k, v in scores.items()},
        "active_auc": active_auc,
        "active_version_id": active_id,
        "active_predicted": how_old,
        "n_attempts": n,
        "n_learners": len(learners),
        "n_train_learners": n_train,
        "n_heldout_learners": n_held,
        "n_train_attempts": int(n - held_rows.size),
        "n_heldout_attempts": int(held_rows.size),
        "heldout_share": heldout_share,
        "trained_on": "training learners only",
        "fit_seconds": fit_seconds,
        "validate_seconds": validate_seconds,
        "fitted_as": name,
        "candidates": {
            m.name: {"auc": None if math.isnan(sc["auc"]) else sc["auc"], "seconds": sec}
            for m, sc, sec in tried
        },
    }
    version_id, rebuilt = save_version(
        ctx,
        candidate,
        accepted=accepted,
        reason=reason,
        metrics=metrics,
        expected_active=active_id,
        loaded=loaded,
    )
    return FitReport(
        version_id=version_id,
        model=candidate.name,
        accepted=accepted,
        candidate_auc=candidate_auc,
        active_auc=active_auc,
        active_version_id=active_id,
        reason=reason,
        n_attempts=n,
        n_learners=len(learners),
        n_train_learners=n_train,
        n_heldout_learners=n_held,
        n_heldout_attempts=int(held_rows.size),
        n_states_rebuilt=rebuilt,
        seconds=timer() - t_start,
    )


def save_version(
    ctx: ServiceContext,
    model: LearnerModel,
    *,
    accepted: bool,
    reason: str,
    metrics: dict[str, Any],
    expected_active: int | None,
    loaded: LoadedAttempts | None = None,
) -> tuple[int, int]:
    """Step 4 of a refit, one transaction: store ``model`` as a new version (the active one when
    ``accepted``: the version it replaces stops being active and every learner's state is rebuilt under it).
    Returns (version id, learner states rebuilt).

    ``expected_active`` is the active version the candidate was validated against (None: none yet). If
    another fit changed it meanwhile: ConflictError, nothing written. The transaction first takes the write
    lock of ``model_versions`` (storage/locks.py), so of two fits saving at the same instant the second
    waits and then sees the first one's version: at most one version is ever active, also when none was
    before (there is then no row a row lock could hold)."""
    with ctx.unit() as session:
        lock_table_for_writing(session, ModelVersion)
        current = session.scalars(select(ModelVersion).where(ModelVersion.active.is_(True))).all()
        if [r.id for r in current] != ([] if expected_active is None else [expected_active]):
            raise ConflictError(
                "the active model version changed while fitting (another fit ran); run learnpath fit again"
            )
        version = ModelVersion(
            name=model.name,
            params=model.to_dict(),
            metrics=metrics,
            active=accepted,
            accepted=accepted,
            reason=reason,
            created_at=ctx.clock(),
        )
        for row in current if accepted else []:
            row.active = False
        session.add(version)
        session.flush()
        rebuilt = rebuild_learner_states(session, version.id, model, ctx.clock(), loaded) if accepted else 0
        return version.id, rebuilt


def rebuild_learner_states(
    session: Session,
    version_id: int,
    model: LearnerModel,
    at: datetime,
    loaded: LoadedAttempts | None = None,
) -> int:
    """Replay every learner's attempts under ``model``: learner states (tagged ``version_id``) and their
    mastery rows, as if each attempt had been recorded under it. Returns the number of learners.

    ``loaded`` is reused unless attempts came in since it was read (then they are read again here)."""
    if loaded is None or loaded.fingerprint != _fingerprint(session):
        loaded = load_attempts(session)
    table = loaded.table
    skill_ids = {code: row.id for code, row in loaded.catalog.skills.items()}
    extra = portfolio_facts(session)  # teachers' scores of portfolio work (issue 6), replayed too
    if len(table) == 0 and not extra:
        return 0
    spans: dict[int, range] = {}
    if len(table):
        bounds = np.flatnonzero(np.r_[True, table.learner[1:] != table.learner[:-1], True])
        spans = {int(table.learner[a]): range(int(a), int(b)) for a, b in itertools.pairwise(bounds)}
    n = 0
    for learner_id in sorted(spans.keys() | extra.keys()):
        state = model.init_state()
        tallies: dict[str, list[Any]] = {}  # skill -> [n_correct, recent_wrong, last_at]
        answers = loaded.facts(spans[learner_id]) if learner_id in spans else []
        days = DayHistory(skill_ids)  # mastery at the end of each day with evidence (the dashboard's chart)
        for fact in merge_facts(answers, extra.get(learner_id, [])):
            days.before(fact.at, model, state)
            state = model.update(state, fact)
            days.touched(fact.skills)
            for code in fact.skills:
                t = tallies.setdefault(code, [0, 0, None])
                t[0] += int(fact.correct)
                t[1] = 0 if fact.correct else t[1] + 1
                t[2] = fact.at
        rewrite_history(session, learner_id, days.close(model, state))
        srow = session.get(LearnerStateRow, learner_id)
        if srow is None:
            session.add(
                LearnerStateRow(
                    learner_id=learner_id, model_version_id=version_id, state=state, updated_at=at
                )
            )
        else:
            srow.state, srow.model_version_id, srow.updated_at = state, version_id, at
        for code, m in model.mastery(state).items():
            if code not in skill_ids:
                continue
            n_correct, recent_wrong, at = tallies.get(code, [0, 0, None])
            mrow = session.get(MasteryRow, (learner_id, skill_ids[code]))
            if mrow is None:
                mrow = MasteryRow(learner_id=learner_id, skill_id=skill_ids[code])
                session.add(mrow)
            mrow.p_mastery, mrow.low, mrow.high, mrow.n_attempts = m.p_mastery, m.low, m.high, m.n_attempts
            mrow.n_correct, mrow.recent_wrong, mrow.last_attempt_at = n_correct, recent_wrong, at
        n += 1
    return n


def refresh_mastery(
    session: Session,
    catalog: Catalog,
    learner_id: int,
    mastery: dict[str, SkillMastery],
    skip: tuple[str, ...] = (),
    before: dict[str, SkillMastery] | None = None,
) -> None:
    """Bring the learner's stored mastery rows (except the skills in ``skip``) in line with ``mastery``.

    BKT moves only the skills of the answered item, but IRT and the logistic models (``best``) move every
    skill with each answer, and a replay under a new version moves them all: without this the class views
    would show the old numbers for every skill not answered since. With ``before`` (the mastery the stored
    rows were written from) only skills that moved are touched, and nothing is read when none did (BKT)."""
    if before is not None and all(m == before.get(c) for c, m in mastery.items() if c not in skip):
        return
    code_by_id = {row.id: code for code, row in catalog.skills.items()}
    for mrow in session.scalars(select(MasteryRow).where(MasteryRow.learner_id == learner_id)):
        code = code_by_id.get(mrow.skill_id)
        m = mastery.get(code) if code is not None and code not in skip else None
        if m is not None and (mrow.p_mastery, mrow.low, mrow.high, mrow.n_attempts) != (
            m.p_mastery,
            m.low,
            m.high,
            m.n_attempts,
        ):
            mrow.p_mastery, mrow.low, mrow.high, mrow.n_attempts = m.p_mastery, m.low, m.high, m.n_attempts


def list_model_versions(ctx: ServiceContext, actor: Actor) -> list[ModelVersionInfo]:
    """Every stored learner-model version, newest first (admins only)."""
    require_role(actor, "admin")
    with ctx.unit() as session:
        rows = session.scalars(select(ModelVersion).order_by(ModelVersion.id.desc()))
        return [
            ModelVersionInfo(
                r.id, r.name, r.active, r.accepted, r.reason, dict(r.metrics or {}), r.created_at
            )
            for r in rows
        ]
