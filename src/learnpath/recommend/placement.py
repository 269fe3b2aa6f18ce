"""Adaptive placement diagnostic over the skill web (pure: no I/O, no clock, no global randomness).

Interface (stable; the web UI, the service and the simulator use only these names)::

    from learnpath.recommend.placement import (
        PlacementConfig, PlacementState, Question, start, next_question, answer, result,
    )

    state = start(graph, levels={"6.EE.2": 6, ...}, config=PlacementConfig(), prior=None, focus=None,
                  noise={"6.EE.2": (0.25, 0.1)})           # levels, prior, focus, noise: all optional
    while (q := next_question(state)) is not None:         # None once the stop rule holds
        correct = ask_an_item_of(q.skill)                    # q.guess / q.slip: the noise assumed
        state = answer(state, q, correct)                    # pure: a new state, the old one unchanged
    res = result(state)                                      # PlacementResult
    res.estimates["6.EE.2"].p_known, .confidence, .known     # per-skill mastery with confidence
    states = sample_states(state, 500, rng)                  # (500, skills) bool draws from the posterior
    data = state.to_dict()                                   # JSON-serialisable (answers, config, seed)
    state = PlacementState.from_dict(data, graph, levels)    # rebuilt exactly (same graph and levels)

- ``graph`` is a ``SkillGraph[str]``; ``levels`` maps a skill to a number that orders skills by when they
  are usually learned (grade, for CCSS); without it the depth in the graph is used.
- ``prior`` maps skills to a P(known) already believed (e.g. BKT mastery): it enters as soft evidence.
- ``focus`` is the set of skills whose states matter (default: all); questions are chosen and the stop rule
  judged over it (e.g. the prerequisites of one goal).
- ``noise`` gives per-skill (guess, slip) of the items that will be asked; ``Question`` carries it, and a
  caller that asks an easier or harder item may pass ``dataclasses.replace(q, guess=..., slip=...)`` to
  ``answer``: the answer is weighed with the noise it was asked with.
- ``answer`` accepts a question on any skill of the graph (a teacher may add one); an unknown skill raises
  ``ValidationError``; ``from_dict`` refuses data from another graph (``ValidationError`` naming the field).

Model. The belief over the learner's whole knowledge state is a weighted set of particles, each a knowledge
state *closed under prerequisites* (a known skill has every ancestor known), as in knowledge space theory.
Particles are drawn from a broad prior: a latent level ``theta`` (known roughly below it), a share
``rho`` of those skills known, soft edges around the level, and a minority of particles with skills known
independently at random, each then closed under prerequisites. An answer on skill ``s`` with guess ``g``
and slip ``sl`` reweighs every particle by ``1 - sl`` or ``g`` (correct) and ``sl`` or ``1 - g`` (wrong)
depending on whether the particle knows ``s``; so a correct answer raises the prerequisites of ``s`` and a
wrong answer lowers its dependents, through the closure of the particles. The particles are drawn from
``config.seed`` and the answers are replayed, so the state stored is small and a rebuilt state is identical.
When the effective number of particles falls below ``config.min_ess``, another batch is drawn (up to
``config.max_batches``) and weighed with all answers.

Choosing. The next question is the one, among the ``config.candidates`` focus skills of highest marginal
entropy, with the largest expected drop of the summed marginal entropy of all focus skills (the expected
information about the whole knowledge state as it is scored: per-skill right or wrong). Computed on a
resample of ``config.selection_particles`` particles, one matrix product for all candidates.

Stopping. When the expected share of focus skill states right (mean of ``max(p, 1 - p)``) reaches
``config.target_accuracy``, or after ``config.max_questions`` questions.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

import numpy as np
import numpy.typing as npt

from learnpath.core.graph import SkillGraph
from learnpath.errors import FieldError, ValidationError

__all__ = [
    "Answer",
    "PlacementConfig",
    "PlacementResult",
    "PlacementState",
    "Question",
    "SkillEstimate",
    "answer",
    "next_question",
    "result",
    "sample_states",
    "start",
]

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
_FORMAT = 1


@dataclass(frozen=True)
class PlacementConfig:
    """Knobs of the diagnostic. Defaults meet the issue's target (<= 25 questions, >= 90% states right)."""

    max_questions: int = 25
    target_accuracy: float = 0.95
    min_questions: int = 0
    guess: float = 0.2
    slip: float = 0.1
    n_particles: int = 3000
    max_batches: int = 4
    min_ess: float = 150.0
    candidates: int = 40
    selection_particles: int = 600
    independent_share: float = 0.15
    seed: int = 0

    def __post_init__(self) -> None:
        problems: list[FieldError] = []
        if self.max_questions < 0:
            problems.append(FieldError("max_questions", f"must be >= 0, got {self.max_questions}"))
        if not 0.5 <= self.target_accuracy <= 1.0:
            problems.append(FieldError("target_accuracy", f"must be in [0.5, 1], got {self.target_accuracy}"))
        for name in ("guess", "slip"):
            value = getattr(self, name)
            if not 0.0 <= value < 0.5:
                problems.append(FieldError(name, f"must be in [0, 0.5), got {value}"))
        for name in ("n_particles", "candidates", "selection_particles", "max_batches"):
            if getattr(self, name) < 1:
                problems.append(FieldError(name, f"must be >= 1, got {getattr(self, name)}"))
        if not 0.0 <= self.independent_share <= 1.0:
            problems.append(
                FieldError("independent_share", f"must be in [0, 1], got {self.independent_share}")
            )
        if problems:
            detail = "; ".join(f"{e.field}: {e.message}" for e in problems)
            raise ValidationError(f"placement settings are not valid: {detail}", problems)

    def to_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


@dataclass(frozen=True)
class Question:
    """Ask one item of ``skill``. ``guess``/``slip`` are the noise assumed for it; ``p_correct`` the chance of
    a right answer under the current belief; ``information`` the expected drop in summed entropy (bits)."""

    skill: str
    guess: float
    slip: float
    p_correct: float
    information: float


@dataclass(frozen=True)
class Answer:
    skill: str
    correct: bool
    guess: float
    slip: float

    def to_dict(self) -> dict[str, Any]:
        return {"skill": self.skill, "correct": self.correct, "guess": self.guess, "slip": self.slip}


@dataclass(frozen=True)
class SkillEstimate:
    """P(known) of one skill, and the confidence in the verdict ``known`` (``max(p, 1 - p)``)."""

    skill: str
    p_known: float

    @property
    def known(self) -> bool:
        return self.p_known >= 0.5

    @property
    def confidence(self) -> float:
        return max(self.p_known, 1.0 - self.p_known)


@dataclass(frozen=True)
class PlacementResult:
    """Per-skill estimates (every skill of the graph), questions asked, and the expected share right over
    the focus skills; ``done`` tells whether the stop rule holds."""

    estimates: Mapping[str, SkillEstimate]
    questions: int
    expected_accuracy: float
    done: bool

    def p_known(self) -> dict[str, float]:
        return {k: e.p_known for k, e in self.estimates.items()}

    def to_dict(self) -> dict[str, Any]:
        return {
            "questions": self.questions,
            "expected_accuracy": self.expected_accuracy,
            "done": self.done,
            "skills": {
                k: {"p_known": e.p_known, "confidence": e.confidence, "known": e.known}
                for k, e in self.estimates.items()
            },
        }


# --- compiled graph and particles ----------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class _Compiled:
    """The graph as index arrays; compared and hashed by identity (``_compile`` caches it)."""

    skills: tuple[str, ...]
    index: Mapping[str, int]
    reverse_order: tuple[int, ...]
    prereqs: tuple[npt.NDArray[np.intp], ...]
    levels: FloatArray
    digest: str


@lru_cache(maxsize=16)
def _compile(graph: SkillGraph[str], levels: tuple[float, ...] | None) -> _Compiled:
    skills = graph.skills
    index = {s: i for i, s in enumerate(skills)}
    if levels is None:
        depth = graph.depth()
        lv = np.array([float(depth[s]) for s in skills])
    else:
        lv = np.asarray(levels, dtype=np.float64)
    digest = hashlib.sha256(
        ("\n".join(skills) + "|" + ";".join(f"{a}>{b}" for a, b in graph.edges)).encode()
    ).hexdigest()[:16]
    prereqs = tuple(np.array([index[p] for p in graph.prerequisites(s)], dtype=np.intp) for s in skills)
    reverse = tuple(index[s] for s in reversed(graph.topological_order()))
    return _Compiled(skills, index, reverse, prereqs, lv, digest)


def close_under_prerequisites(known: BoolArray, compiled: _Compiled) -> BoolArray:
    """Add every ancestor of a known skill; ``known`` is (skills, particles) and is changed in place."""
    for s in compiled.reverse_order:
        pre = compiled.prereqs[s]
        if pre.size:
            known[pre] |= known[s]
    return known


@lru_cache(maxsize=32)
def _batch(compiled: _Compiled, n: int, share: float, seed: int, batch: int) -> BoolArray:
    """``n`` prior particles, shape (skills, n), closed under prerequisites; read-only (cached)."""
    rng = np.random.default_rng([seed, batch, 7919])
    lv = compiled.levels
    lo, hi = float(lv.min()) - 1.0, float(lv.max()) + 1.5
    n_ind = round(n * share)
    n_lvl = n - n_ind
    theta = rng.uniform(lo, hi, size=n_lvl)
    rho = rng.uniform(0.55, 1.0, size=n_lvl)
    width = rng.uniform(0.1, 1.4, size=n_lvl)
    # Soft edge around the level: uniform jitter of half-width ``width`` (float32 draws keep this fast).
    jitter = (rng.random((lv.size, n_lvl), dtype=np.float32) * 2.0 - 1.0) * width.astype(np.float32)
    below = (lv.astype(np.float32)[:, None] + jitter) < theta.astype(np.float32)[None, :]
    level_known = below & (rng.random((lv.size, n_lvl), dtype=np.float32) < rho.astype(np.float32)[None, :])
    q = rng.beta(0.7, 0.7, size=n_ind).astype(np.float32)
    ind_known = rng.random((lv.size, n_ind), dtype=np.float32) < q[None, :]
    known = np.ascontiguousarray(np.concatenate([level_known, ind_known], axis=1))
    close_under_prerequisites(known, compiled)
    known.flags.writeable = False
    return known


def _entropy(p: FloatArray) -> FloatArray:
    q = np.clip(p, 1e-12, 1 - 1e-12)
    out: FloatArray = -(q * np.log2(q) + (1 - q) * np.log2(1 - q))
    return out


# --- state ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Belief:
    particles: BoolArray  # (skills, n)
    logw: FloatArray  # (n,)
    weights: FloatArray  # normalised
    marginals: FloatArray  # (skills,)
    batches: int


@dataclass(frozen=True)
class PlacementState:
    """Where a placement stands. Frozen; ``answer`` returns a new one. ``to_dict`` holds what is needed to
    rebuild it (with the same graph and levels) through ``from_dict``."""

    config: PlacementConfig
    answers: tuple[Answer, ...]
    prior: tuple[tuple[str, float], ...]
    focus: tuple[str, ...]
    noise: tuple[tuple[str, float, float], ...]
    _compiled: _Compiled = field(repr=False, compare=False)
    _belief: _Belief = field(repr=False, compare=False)

    @property
    def skills(self) -> tuple[str, ...]:
        return self._compiled.skills

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": _FORMAT,
            "graph": self._compiled.digest,
            "config": self.config.to_dict(),
            "answers": [a.to_dict() for a in self.answers],
            "prior": {k: v for k, v in self.prior},
            "focus": list(self.focus),
            "noise": {k: [g, s] for k, g, s in self.noise},
        }

    @classmethod
    def from_dict(
        cls, data: Mapping[str, Any], graph: SkillGraph[str], levels: Mapping[str, float] | None = None
    ) -> PlacementState:
        """Rebuild a state saved by ``to_dict``; the graph (and levels) must be the ones it was made with."""
        try:
            if data.get("format") != _FORMAT:
                raise ValidationError.for_field("format", f"expected {_FORMAT}, found {data.get('format')!r}")
            config = PlacementConfig(**data["config"])
            state = start(
                graph,
                levels,
                config,
                prior=dict(data.get("prior", {})),
                focus=data.get("focus") or None,
                noise={k: (float(v[0]), float(v[1])) for k, v in dict(data.get("noise", {})).items()},
            )
            if data.get("graph") != state._compiled.digest:
                raise ValidationError.for_field(
                    "graph", "the placement was started on another skill graph; start a new placement"
                )
            answers = [
                Answer(str(a["skill"]), bool(a["correct"]), float(a["guess"]), float(a["slip"]))
                for a in data.get("answers", [])
            ]
        except (KeyError, TypeError, ValueError) as exc:
            raise ValidationError.for_field("placement", f"saved placement is not readable: {exc!r}") from exc
        return _replay(state, tuple(answers))


def _levels_tuple(graph: SkillGraph[str], levels: Mapping[str, float] | None) -> tuple[float, ...] | None:
    if levels is None:
        return None
    missing = [s for s in graph.skills if s not in levels]
    if missing:
        raise ValidationError.for_field(
            "levels", f"{len(missing)} skill(s) have no level, e.g. {', '.join(map(repr, missing[:3]))}"
        )
    return tuple(float(levels[s]) for s in graph.skills)


def _check_skill(compiled: _Compiled, skill: str, where: str) -> int:
    if skill not in compiled.index:
        raise ValidationError.for_field(where, f"unknown skill {skill!r}: it is not in the skill graph")
    return compiled.index[skill]


def _answer_loglik(particles: BoolArray, row: int, correct: bool, guess: float, slip: float) -> FloatArray:
    known = particles[row]
    hit, miss = (1.0 - slip, max(guess, 1e-9)) if correct else (max(slip, 1e-9), 1.0 - guess)
    out: FloatArray = np.full(known.shape, math.log(miss))
    out[known] = math.log(hit)
    return out


def _prior_loglik(
    state_prior: tuple[tuple[str, float], ...], compiled: _Compiled, particles: BoolArray
) -> FloatArray:
    out = np.zeros(particles.shape[1])
    for skill, p in state_prior:
        row = compiled.index[skill]
        pc = min(max(p, 0.02), 0.98)
        out += np.where(particles[row], np.log(pc), np.log(1.0 - pc))
    return out


def _normalise(logw: FloatArray, particles: BoolArray, batches: int) -> _Belief:
    w = np.exp(logw - logw.max())
    w /= w.sum()
    return _Belief(particles, logw, w, _weighted_rows(particles, w), batches)


def _weighted_rows(particles: BoolArray, w: FloatArray) -> FloatArray:
    # Elementwise, not a BLAS product (tiny products stall on busy shared cores), over the particles that
    # still carry weight (after a few answers most carry almost none).
    keep = np.flatnonzero(w > w.max() * 1e-9)
    sub = particles if keep.size == w.size else particles[:, keep]
    out: FloatArray = (sub * w[keep].astype(np.float32)).sum(axis=1, dtype=np.float64)
    return out


def start(
    graph: SkillGraph[str],
    levels: Mapping[str, float] | None = None,
    config: PlacementConfig | None = None,
    prior: Mapping[str, float] | None = None,
    focus: Collection[str] | None = None,
    noise: Mapping[str, tuple[float, float]] | None = None,
) -> PlacementState:
    """A new placement over ``graph`` (see the module docstring for the arguments)."""
    config = config or PlacementConfig()
    if not graph.skills:
        raise ValidationError.for_field("graph", "the skill graph has no skills; add skills before placing")
    compiled = _compile(graph, _levels_tuple(graph, levels))
    problems = [
        FieldError(f"{where}.{s}", "unknown skill: it is not in the skill graph")
        for where, names in (("prior", prior or {}), ("focus", focus or ()), ("noise", noise or {}))
        for s in names
        if s not in compiled.index
    ]
    problems += [
        FieldError(f"prior.{s}", f"must be a probability in [0, 1], got {p!r}")
        for s, p in (prior or {}).items()
        if not 0.0 <= p <= 1.0
    ]
    problems += [
        FieldError(f"noise.{s}", f"guess and slip must be in [0, 0.5), got {gs!r}")
        for s, gs in (noise or {}).items()
        if len(gs) != 2 or not all(0.0 <= v < 0.5 for v in gs)
    ]
    if problems:
        raise ValidationError("placement input is not valid", problems)
    focus_t = tuple(dict.fromkeys(focus)) if focus else ()
    prior_t = tuple(sorted((s, float(p)) for s, p in (prior or {}).items()))
    noise_t = tuple(sorted((s, float(g), float(sl)) for s, (g, sl) in (noise or {}).items()))
    particles = _batch(compiled, config.n_particles, config.independent_share, config.seed, 0)
    logw = _prior_loglik(prior_t, compiled, particles)
    belief = _normalise(logw, particles, 1)
    return PlacementState(config, (), prior_t, focus_t, noise_t, compiled, belief)


def _focus_rows(state: PlacementState) -> npt.NDArray[np.intp]:
    c = state._compiled
    if state.focus:
        return np.array([c.index[s] for s in state.focus], dtype=np.intp)
    return np.arange(len(c.skills), dtype=np.intp)


def _with_answer(state: PlacementState, a: Answer) -> PlacementState:
    return _replay(state, (a,))


def _ess(logw: FloatArray) -> float:
    w = np.exp(logw - logw.max())
    return float(w.sum() ** 2 / np.sum(w**2))


def _replay(state: PlacementState, answers: tuple[Answer, ...]) -> PlacementState:
    """``state`` with ``answers`` added one by one; marginals are computed once at the end, so rebuilding
    a saved placement costs one pass. After each answer, while the effective number of particles is below
    ``config.min_ess``, another prior batch is drawn and weighed with every answer so far."""
    if not answers:
        return state
    cfg, c, b = state.config, state._compiled, state._belief
    rows = [_check_skill(c, a.skill, "answer.skill") for a in answers]
    particles, logw, batches = b.particles, b.logw.copy(), b.batches
    done = list(state.answers)
    for a, row in zip(answers, rows, strict=True):
        logw += _answer_loglik(particles, row, a.correct, a.guess, a.slip)
        done.append(a)
        while _ess(logw) < cfg.min_ess and batches < cfg.max_batches:
            extra = _batch(c, cfg.n_particles, cfg.independent_share, cfg.seed, batches)
            extra_logw = _prior_loglik(state.prior, c, extra)
            for old in done:
                extra_logw += _answer_loglik(extra, c.index[old.skill], old.correct, old.guess, old.slip)
            particles = np.concatenate([particles, extra], axis=1)
            particles.flags.writeable = False
            logw = np.concatenate([logw, extra_logw])
            batches += 1
    return replace(state, answers=tuple(done), _belief=_normalise(logw, particles, batches))


def _noise_of(state: PlacementState, skill: str) -> tuple[float, float]:
    for s, g, sl in state.noise:
        if s == skill:
            return g, sl
    return state.config.guess, state.config.slip


def answer(state: PlacementState, question: Question, correct: bool) -> PlacementState:
    """The state after the learner answered ``question`` (right when ``correct``); ``state`` is unchanged."""
    return _with_answer(state, Answer(question.skill, bool(correct), question.guess, question.slip))


def _expected_accuracy(state: PlacementState) -> float:
    m = state._belief.marginals[_focus_rows(state)]
    return float(np.mean(np.maximum(m, 1.0 - m)))


def _done(state: PlacementState) -> bool:
    cfg = state.config
    n = len(state.answers)
    if n >= cfg.max_questions:
        return True
    return n >= cfg.min_questions and _expected_accuracy(state) >= cfg.target_accuracy


def next_question(state: PlacementState) -> Question | None:
    """The most informative next question, or None when the placement is done."""
    if _done(state):
        return None
    c, b, cfg = state._compiled, state._belief, state.config
    rows = _focus_rows(state)
    m = b.marginals
    ent = _entropy(m[rows])
    k = min(cfg.candidates, rows.size)
    cand = rows[np.argsort(-ent, kind="stable")[:k]]
    # Resample the particles (deterministically per question) so the matrix product stays small.
    rng = np.random.default_rng([cfg.seed, len(state.answers), 104729])
    n_sel = min(cfg.selection_particles, b.weights.size)
    positions = (rng.random() + np.arange(n_sel)) / n_sel
    idx = np.minimum(np.searchsorted(np.cumsum(b.weights), positions), b.weights.size - 1)
    sub = b.particles[:, idx]
    # P(candidate known and f known) over the resample: AND and popcount on bit-packed rows.
    packed = np.packbits(sub, axis=1)  # (skills, M/8)
    pf, pc = packed[rows], packed[cand]
    co = np.stack([np.bitwise_count(pf & pc[i]).sum(axis=1, dtype=np.int64) for i in range(cand.size)])
    co = co.astype(np.float64) / n_sel  # (C, F)
    mf = np.bitwise_count(pf).sum(axis=1, dtype=np.int64) / n_sel  # (F,)
    mc = np.bitwise_count(pc).sum(axis=1, dtype=np.int64) / n_sel  # (C,)
    noise = np.array([_noise_of(state, c.skills[i]) for i in cand])
    g, sl = noise[:, 0:1], noise[:, 1:2]
    d = 1.0 - sl - g
    q = np.clip(g[:, 0] + d[:, 0] * mc, 1e-9, 1 - 1e-9)  # P(correct)
    m_right = (g * mf[None, :] + d * co) / q[:, None]
    m_wrong = ((1.0 - g) * mf[None, :] - d * co) / (1.0 - q[:, None])
    now = float(_entropy(mf).sum())
    after = q * _entropy(m_right).sum(axis=1) + (1 - q) * _entropy(m_wrong).sum(axis=1)
    gain = now - after
    best = int(np.argmax(gain))
    skill = c.skills[int(cand[best])]
    return Question(skill, float(g[best, 0]), float(sl[best, 0]), float(q[best]), float(gain[best]))


def result(state: PlacementState) -> PlacementResult:
    """Per-skill P(known) with confidence, for every skill of the graph."""
    m = state._belief.marginals
    estimates = {s: SkillEstimate(s, float(m[i])) for i, s in enumerate(state._compiled.skills)}
    return PlacementResult(estimates, len(state.answers), _expected_accuracy(state), _done(state))


def sample_states(state: PlacementState, n: int, rng: np.random.Generator) -> BoolArray:
    """``n`` knowledge states drawn from the current belief, shape (n, skills) in ``state.skills`` order;
    each is closed under prerequisites."""
    if n < 1:
        raise ValidationError.for_field("n", f"must be >= 1, got {n}")
    b = state._belief
    idx = rng.choice(b.weights.size, size=n, p=b.weights)
    out: BoolArray = np.ascontiguousarray(b.particles[:, idx].T)
    return out
