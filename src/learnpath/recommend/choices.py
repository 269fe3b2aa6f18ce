"""Next steps with choice: 3 to 5 things a learner may do next, each with a reason a child understands.

Roles, each replaceable (lenskit style):

- **select** (:meth:`ChoicePolicy.select`): every candidate with its kind, as a plain ``Pending`` tuple (a
  learner may have hundreds; only a few become :class:`NextStep`). Kinds: ``must_do`` (a teacher's
  assignment), ``reteach`` (mastery fell from mastered, the same wrong answer
  came again, or wrong answers keep coming), ``review``
  (a mastered skill whose FSRS due date has passed: recall, by the forgetting model in
  :mod:`learnpath.recommend.review`, fell to the target), ``continue``/``ready`` (prerequisites all
  mastered, not mastered itself), ``deepen`` (in depth: a mastered skill with challenge items, offered
  when no goal narrows the choices),
  ``interest`` (a ready skill tagged with one of the learner's interests), ``enrich`` (a ready skill above
  the learner's grade), and, only to reach the minimum count, ``practice`` (a mastered skill to keep strong).
  A skill appears once, under its most specific kind.
- **score** (:meth:`ChoicePolicy.score`): a number per candidate within its kind (earliest due date,
  largest fall, lowest recall, work in progress first, shallow skills before deep ones); the best
  ``max_choices`` of each kind go on to ranking.
- **rank** (:meth:`ChoicePolicy.rank`): must-do first (by due date); then one of each other kind, in a
  fixed order, so the mix is balanced; then the best remaining by score; review and practice together take
  at most ``max_review`` places unless nothing else is left. The learner is never offered only review
  while anything else is possible.

Deterministic: the same inputs give the same list (ties go to curriculum order). Pure: no I/O, no clock
(``now`` is passed in), no randomness.
"""

from __future__ import annotations

import heapq
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Literal

from learnpath.core.graph import SkillGraph
from learnpath.core.mastery import MASTERED_AT
from learnpath.errors import NotFoundError
from learnpath.recommend.review import Memory, ReviewModel

__all__ = [
    "ChoicePolicy",
    "Curriculum",
    "Kind",
    "LearnerSnapshot",
    "MustDo",
    "NextStep",
    "NextSteps",
    "Notice",
    "Pending",
    "SkillFacts",
]

Kind = Literal[
    "must_do", "reteach", "review", "continue", "ready", "interest", "enrich", "deepen", "practice"
]
Notice = Literal["no_history", "goal_mastered", "no_path", "nothing_to_do"]

# A skill that qualifies for several kinds is offered under the first of these.
PRIORITY: tuple[Kind, ...] = (
    "must_do",
    "reteach",
    "review",
    "interest",
    "enrich",
    "continue",
    "ready",
    "deepen",
)
# One of each family first, in this order, before filling by score.
FAMILIES: tuple[tuple[Kind, ...], ...] = (
    ("continue", "ready"),
    ("reteach",),
    ("interest",),
    ("enrich", "deepen"),
    ("review",),
)
REVIEW_KINDS = frozenset({"review", "practice"})
_PRIORITY_RANK: dict[str, int] = {k: i for i, k in enumerate((*PRIORITY, "practice"))}
_DAY = timedelta(days=1)

_LEARNING_KINDS = frozenset({"continue", "ready", "interest", "enrich"})


def _learning_value(p_mastery: float, n_attempts: int, depth: int) -> float:
    """Work in progress first (and the closer to mastered the sooner), then shallow skills first."""
    return (1.0 if n_attempts > 0 else 0.0) + 0.5 * p_mastery - 0.01 * depth


Pending = tuple[Kind, str | None, bool, datetime | None, int | None]
"""A candidate before scoring: (kind, interest, fell, due, assignment id)."""
_FELL: Pending = ("reteach", None, True, None, None)
_WRONG: Pending = ("reteach", None, False, None, None)
_REVIEW: Pending = ("review", None, False, None, None)
_ENRICH: Pending = ("enrich", None, False, None, None)
_DEEPEN: Pending = ("deepen", None, False, None, None)
_CONTINUE: Pending = ("continue", None, False, None, None)
_READY: Pending = ("ready", None, False, None, None)
_PRACTICE: Pending = ("practice", None, False, None, None)


@dataclass(frozen=True)
class SkillFacts:
    """What the recommender needs to know about one skill."""

    code: str
    grade: int | None = None
    interests: frozenset[str] = frozenset()
    has_items: bool = True
    has_challenge: bool = False
    """The skill has challenge items (harder than its usual practice): ``deepen`` offers them once mastered."""


@dataclass(frozen=True)
class Curriculum:
    """The skill graph with per-skill facts and precomputed indexes; build once, reuse for every learner."""

    graph: SkillGraph[str]
    facts: Mapping[str, SkillFacts]
    order: Mapping[str, int] = field(default_factory=dict, repr=False)
    depth: Mapping[str, int] = field(default_factory=dict, repr=False)
    table: tuple[tuple[str, tuple[str, ...]], ...] = field(default=(), repr=False)
    """(skill, its prerequisites) in topological order."""

    @classmethod
    def build(cls, graph: SkillGraph[str], facts: Sequence[SkillFacts] = ()) -> Curriculum:
        by_code = {f.code: f for f in facts}
        full = {s: by_code.get(s, SkillFacts(s)) for s in graph.skills}
        order = {s: i for i, s in enumerate(graph.topological_order())}
        table = tuple((s, graph.prerequisites(s)) for s in graph.topological_order())
        return cls(graph, full, order, graph.depth(), table)


@dataclass(frozen=True)
class MustDo:
    """A teacher's assignment of a skill to this learner (or their class)."""

    skill: str
    assignment_id: int
    due: datetime | None = None
    content_id: int | None = None
    """Work on a piece of content (a video or reading before class, a project) rather than practice of the
    skill: offered as its own step, beside any practice of the same skill."""


@dataclass(frozen=True)
class LearnerSnapshot:
    """What the recommender may know about a learner now. Skills missing from ``p_mastery`` are unknown."""

    grade: int | None = None
    p_mastery: Mapping[str, float] = field(default_factory=dict)
    n_attempts: Mapping[str, int] = field(default_factory=dict)
    recent_wrong: Mapping[str, int] = field(default_factory=dict)
    peak_mastery: Mapping[str, float] = field(default_factory=dict)
    memories: Mapping[str, Memory] = field(default_factory=dict)
    interests: frozenset[str] = frozenset()
    must_do: Sequence[MustDo] = ()
    repeated_wrong: Mapping[str, str] = field(default_factory=dict)
    """Skill -> a wrong answer the learner gave on it more than once (see ``recommend.patterns``)."""


@dataclass(frozen=True)
class NextStep:
    """One choice. The adapters turn ``kind`` and its details into words."""

    skill: str
    kind: Kind
    score: float = 0.0
    days_since: int | None = None
    """review: whole days since the skill was last used."""
    interest: str | None = None
    """interest: the learner's interest the skill is tagged with."""
    fell: bool = False
    """reteach: True when mastery fell from mastered; False when wrong answers keep coming."""
    due: datetime | None = None
    assignment_id: int | None = None
    content_id: int | None = None
    """must_do: the content to watch, read or make (None: practise the skill)."""
    repeated: str | None = None
    """reteach: a wrong answer the learner gave more than once (None: mastery fell, or a run of wrong
    answers)."""


@dataclass(frozen=True)
class NextSteps:
    choices: tuple[NextStep, ...]
    notice: Notice | None = None
    blocked_by: tuple[str, ...] = ()
    """no_path: the goal's unmastered prerequisites that have nothing to practise yet."""


@dataclass(frozen=True)
class ChoicePolicy:
    mastered_at: float = MASTERED_AT
    min_choices: int = 3
    max_choices: int = 5
    max_review: int = 2
    max_must_do: int = 3
    min_attempts: int = 3
    wrong_streak: int = 2
    review: ReviewModel = field(default_factory=ReviewModel)

    def __post_init__(self) -> None:
        if not 1 <= self.min_choices <= self.max_choices:
            raise ValueError(
                f"need 1 <= min_choices <= max_choices, got {self.min_choices}, {self.max_choices}"
            )
        if not 1 <= self.max_review < self.max_choices:
            raise ValueError(f"need 1 <= max_review < max_choices, got {self.max_review}")

    # --- select -------------------------------------------------------------------------------------------

    def _mastered(self, cur: Curriculum, learner: LearnerSnapshot) -> set[str]:
        return {s for s, p in learner.p_mastery.items() if p >= self.mastered_at and s in cur.facts}

    def select(
        self, cur: Curriculum, learner: LearnerSnapshot, now: datetime, area: set[str] | None = None
    ) -> dict[str, Pending]:
        """Every candidate skill with its kind (the first of PRIORITY that applies) and the kind's details,
        unscored. ``area`` limits the learning kinds (ready, reteach, interest, enrich) to those skills.
        Candidates are plain tuples: a learner may have hundreds, and only a few become choices."""
        found: dict[str, Pending] = {}
        rank = _PRIORITY_RANK

        def add(skill: str, pending: Pending) -> None:
            old = found.get(skill)
            if old is None or rank[pending[0]] < rank[old[0]]:
                found[skill] = pending

        facts = cur.facts
        for m in learner.must_do:
            if m.content_id is None and m.skill in facts and facts[m.skill].has_items:
                add(m.skill, ("must_do", None, False, m.due, m.assignment_id))
        mastered = self._mastered(cur, learner)
        n = learner.n_attempts

        def learnable(s: str) -> bool:
            return s in facts and facts[s].has_items and s not in mastered and (area is None or s in area)

        for s, peak in learner.peak_mastery.items():
            if peak >= self.mastered_at and learnable(s):
                add(s, _FELL)
        for s in learner.repeated_wrong:
            if learnable(s):
                add(s, ("reteach", learner.repeated_wrong[s], False, None, None))
        for s, wrong in learner.recent_wrong.items():
            if wrong >= self.wrong_streak and n.get(s, 0) >= self.min_attempts and learnable(s):
                add(s, _WRONG)
        for s, memory in learner.memories.items():
            if memory.due <= now and s in mastered and s not in found and facts[s].has_items:
                found[s] = _REVIEW
        if area is None:  # in depth: harder items on a skill already mastered (not toward a goal)
            for s in mastered:
                if s not in found and facts[s].has_challenge:
                    found[s] = _DEEPEN
        grade, interests = learner.grade, learner.interests
        for s, prereqs in cur.table:
            if s in mastered or s in found or (area is not None and s not in area):
                continue
            f = facts[s]
            if not f.has_items or not mastered.issuperset(prereqs):
                continue
            if interests and f.interests and (common := f.interests & interests):
                found[s] = ("interest", min(common), False, None, None)
            elif grade is not None and f.grade is not None and f.grade > grade:
                found[s] = _ENRICH
            else:
                found[s] = _CONTINUE if n.get(s, 0) > 0 else _READY
        return found

    # --- score --------------------------------------------------------------------------------------------

    def score(
        self, cur: Curriculum, learner: LearnerSnapshot, skill: str, pending: Pending, now: datetime
    ) -> float:
        """Higher is better, within a kind: the earliest due date, the largest fall, the lowest recall,
        work in progress and shallow skills first."""
        kind, detail, fell, due, _ = pending
        if kind == "must_do":
            return -((due - now) / _DAY) if due is not None else -1e6
        if kind == "reteach":
            p = learner.p_mastery.get(skill, 0.0)
            # a wrong answer given again (a pattern) before a plain run of wrong answers
            return learner.peak_mastery.get(skill, 0.0) - p if fell else (1.0 if detail else 0.5) - p
        if kind == "deepen":  # below any enrichment above grade; the surest and deepest first
            return learner.p_mastery.get(skill, 0.0) + 0.01 * cur.depth[skill] - 2.0
        if kind in REVIEW_KINDS:
            memory = learner.memories.get(skill)
            return 1.0 - self.review.retrievability(memory, now) if memory else 0.0
        return _learning_value(
            learner.p_mastery.get(skill, 0.0), learner.n_attempts.get(skill, 0), cur.depth[skill]
        )

    def _best(
        self, cur: Curriculum, learner: LearnerSnapshot, found: Mapping[str, Pending], now: datetime
    ) -> list[NextStep]:
        """The best ``max_choices`` of each kind, scored, as NextSteps (no more can be offered)."""
        by_kind: dict[str, list[tuple[str, Pending]]] = {}
        for skill, pending in found.items():
            by_kind.setdefault(pending[0], []).append((skill, pending))
        out: list[NextStep] = []
        order, memories = cur.order, learner.memories
        for kind, group in by_kind.items():
            if kind in REVIEW_KINDS and len(group) > self.max_choices:
                # recall falls as elapsed time / stability grows: only the most forgotten need FSRS' curve
                def forgotten(c: tuple[str, Pending]) -> float:
                    m = memories.get(c[0])
                    return (now - m.last_review) / _DAY / m.stability if m else -1.0

                group = heapq.nlargest(self.max_choices, group, key=forgotten)
            if kind in _LEARNING_KINDS:  # the bulk (hundreds of ready skills): score() inlined
                pm, na, depth = learner.p_mastery.get, learner.n_attempts.get, cur.depth
                scored = [
                    (-_learning_value(pm(s, 0.0), na(s, 0), depth[s]), order[s], s, pd) for s, pd in group
                ]
            else:
                scored = [(-self.score(cur, learner, s, pd, now), order[s], s, pd) for s, pd in group]
            for neg, _, s, (k, interest, fell, due, aid) in heapq.nsmallest(self.max_choices, scored):
                m = memories.get(s) if k in REVIEW_KINDS else None
                days = max(0, (now - m.last_review) // _DAY) if m is not None else None
                if k == "reteach":  # the detail of a reteach is the repeated wrong answer
                    out.append(NextStep(s, k, -neg, days, None, fell, due, aid, repeated=interest))
                else:
                    out.append(NextStep(s, k, -neg, days, interest, fell, due, aid))
        return out

    # --- rank ---------------------------------------------------------------------------------------------

    def rank(self, cur: Curriculum, candidates: Sequence[NextStep]) -> tuple[NextStep, ...]:
        """Must-do first, then a balanced mix; at most ``max_choices``."""
        ordered = sorted(candidates, key=lambda c: (-c.score, cur.order[c.skill]))
        chosen: list[NextStep] = [c for c in ordered if c.kind == "must_do"][: self.max_must_do]
        rest = [c for c in ordered if c.kind != "must_do"]
        taken = {c.skill for c in chosen}

        def room() -> bool:
            return len(chosen) < self.max_choices

        for family in FAMILIES:
            best = next((c for c in rest if c.kind in family and c.skill not in taken), None)
            if best is not None and room():
                chosen.append(best)
                taken.add(best.skill)
        n_review = sum(c.kind in REVIEW_KINDS for c in chosen)
        for c in rest:
            if not room():
                break
            if c.skill in taken or (c.kind in REVIEW_KINDS and n_review >= self.max_review):
                continue
            chosen.append(c)
            taken.add(c.skill)
            n_review += c.kind in REVIEW_KINDS
        for c in rest:  # nothing else left: more review rather than too few choices
            if len(chosen) >= self.min_choices:
                break
            if c.skill not in taken:
                chosen.append(c)
                taken.add(c.skill)
        return tuple(chosen)

    def _fillers(
        self, cur: Curriculum, learner: LearnerSnapshot, taken: Mapping[str, Pending]
    ) -> dict[str, Pending]:
        """Mastered skills to keep strong, when there are too few choices otherwise."""
        return {
            s: _PRACTICE for s in self._mastered(cur, learner) if s not in taken and cur.facts[s].has_items
        }

    def _with_content(
        self, ranked: tuple[NextStep, ...], learner: LearnerSnapshot, now: datetime
    ) -> tuple[NextStep, ...]:
        """Content must-do work joins the skill must-do work at the front (earliest due first, at most
        ``max_must_do`` in all; one step per piece of content), then the rest as ranked."""
        content: dict[int, NextStep] = {}
        for m in sorted(learner.must_do, key=lambda m: (m.due is None, m.due or now, m.assignment_id)):
            if m.content_id is not None and m.content_id not in content:
                score = -((m.due - now) / _DAY) if m.due is not None else -1e6
                content[m.content_id] = NextStep(
                    m.skill,
                    "must_do",
                    score,
                    due=m.due,
                    assignment_id=m.assignment_id,
                    content_id=m.content_id,
                )
        if not content:
            return ranked
        must = sorted(
            [*content.values(), *(c for c in ranked if c.kind == "must_do")],
            key=lambda c: (-c.score, c.assignment_id or 0),
        )[: self.max_must_do]
        rest = [c for c in ranked if c.kind != "must_do"]
        return tuple([*must, *rest][: self.max_choices])

    # --- all together -------------------------------------------------------------------------------------

    def choose(
        self, cur: Curriculum, learner: LearnerSnapshot, now: datetime, goal: str | None = None
    ) -> NextSteps:
        """The choices for ``learner`` at ``now``; with a ``goal``, learning choices lead toward it.

        An unknown goal is a NotFoundError; a mastered goal, or one whose way is blocked by skills with
        nothing to practise, gives the unrestricted choices with a notice saying so.
        """
        notice: Notice | None = None
        blocked: tuple[str, ...] = ()
        area: set[str] | None = None
        if goal is not None:
            if goal not in cur.facts:
                raise NotFoundError(f"no skill with code {goal!r} to aim for")
            if learner.p_mastery.get(goal, 0.0) >= self.mastered_at:
                notice = "goal_mastered"
            else:
                area = cur.graph.ancestors(goal) | {goal}
        candidates = self.select(cur, learner, now, area)
        if area is not None and not any(c[0] not in ("must_do", "review") for c in candidates.values()):
            mastered = self._mastered(cur, learner)
            blocked = tuple(
                s
                for s in cur.graph.topological_order()
                if s in area
                and s not in mastered
                and not cur.facts[s].has_items
                and all(p in mastered for p in cur.graph.prerequisites(s))
            )
            notice = "no_path"
            candidates = self.select(cur, learner, now)
        if len(candidates) < self.min_choices:
            candidates = {**candidates, **self._fillers(cur, learner, candidates)}
        choices = self._with_content(self.rank(cur, self._best(cur, learner, candidates, now)), learner, now)
        if notice is None and not learner.n_attempts and not learner.memories and not learner.p_mastery:
            notice = "no_history"
        if not choices:
            notice = "nothing_to_do"
        return NextSteps(choices, notice, blocked)
