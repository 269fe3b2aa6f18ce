"""Where the ``learnpath`` simulator policy loses to the oracle, and what a perfect "stuck" rule would save.

Run from the repository root (not a test; a few minutes on 2 shared cores)::

    .venv/bin/python bench/bench_simulate_gap.py                       # Zimba reference, seeds 100-101, 40 learners each
    .venv/bin/python bench/bench_simulate_gap.py --learners 20 --seeds 100

Tuning seeds only (100-199; the benchmark's table uses seed 0). For each learner (the same learners as
``learnpath simulate``), the episode is replayed with the true state beside it, and every opportunity is
put in one class: placement; *useful* (the skill is unknown and its prerequisites known: the only kind the
oracle spends); *blocked* (a prerequisite unknown); *known from the start*; *learned in the episode*
(confirming it); and how often the policy's *stuck* rule fired and how often a direct prerequisite was
then truly unknown. Then ablations, which peek at the true state and so are *not* policies, only
measures of the gap: when the stuck rule fires, ``perfect_whether`` acts (checks the prerequisites, as the
policy does) only when a prerequisite is truly unknown, ``perfect_doubt`` then doubts exactly the truly
unknown ones at once. Their saving bounds what a better stuck rule (telling a slow learner from a blocked
one) could win. ``perfect_recheck`` bounds the other detection cost: when a skill the policy once believed
known (P >= ``move_on``) falls below that and is truly known, every particle is told so (it is not
rechecked). The breakdown also counts *rechecks*: practice on a skill the policy had believed known before.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from typing import Any

import numpy as np
import numpy.typing as npt

from learnpath.cli.simulate import load_curriculum
from learnpath.simulate import scenario
from learnpath.simulate.curriculum import Curriculum
from learnpath.simulate.learners import SimLearner
from learnpath.simulate.policies import GoalView, LearnpathPolicy
from learnpath.simulate.runner import _copy

ZIMBA = (
    "../shared/fixtures/case/learning-progressions/zimba-graph-jeffbaumes/"
    "GraphData-EdgesOnly-Grade-00-08-2011-06-01-cleaned_EdgeSet.csv"
)


class PeekingPolicy(LearnpathPolicy):
    """The learnpath policy whose stuck step reads the true state (an ablation, not a policy)."""

    def __init__(self, *args: Any, mode: str, truth: npt.NDArray[np.bool_], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.mode, self.truth = mode, truth
        self.fired = Counter[str]()
        self.believed = np.zeros(len(self.v.members), dtype=bool)  # once P >= move_on

    def choose(self) -> tuple[int, bool] | None:
        if self.placement_done and self.w.size:
            p = self.known @ self.w
            self.believed |= p >= self.cfg.move_on
            if self.mode == "perfect_recheck":
                for i in np.flatnonzero(self.believed & (p < self.cfg.move_on)):
                    if self.truth[self.v.members[int(i)]]:
                        self.known[i] = True
        return super().choose()

    def _stuck(self, prereqs: npt.NDArray[np.intp]) -> None:
        unknown = np.array([p for p in prereqs if not self.truth[self.v.members[int(p)]]], dtype=np.intp)
        self.fired["stuck fired"] += 1
        self.fired["a prerequisite truly unknown"] += bool(unknown.size)
        if self.mode in ("policy", "perfect_recheck") or (unknown.size and self.mode == "perfect_whether"):
            super()._stuck(prereqs)
        elif unknown.size:
            self._doubt(unknown)


def episode(
    cur: Curriculum, learner: SimLearner, goal: int, seed: int, k: int, mode: str, budget: int
) -> tuple[int, Counter[str], Counter[str]]:
    rng = np.random.default_rng([seed, k, 1])  # the learnpath policy's stream in ``simulate``
    me = _copy(learner)
    policy = PeekingPolicy(GoalView.of(cur, goal), rng, mode=mode, truth=me.known)
    start = learner.known
    used, kinds = 0, Counter[str]()
    while used < budget and (action := policy.choose()) is not None:
        s, teaches = action
        if teaches and policy.believed[policy.local[s]]:
            kinds["rechecks (once believed known)"] += 1
            kinds["rechecks that found the skill unknown"] += not me.known[s]
        if not teaches:
            kinds["placement"] += 1
        elif start[s]:
            kinds["known from the start"] += 1
        elif me.known[s]:
            kinds["learned in the episode"] += 1
        elif me.known[cur.prereqs[s]].all():
            kinds["useful"] += 1
        else:
            kinds["blocked"] += 1
        correct = me.practise(s, cur, rng) if teaches else me.answer(s, rng)
        policy.observe(s, correct)
        used += 1
    return used, kinds, policy.fired


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--graph", default=ZIMBA)
    ap.add_argument("--scenario", default="reference")
    ap.add_argument("--learners", type=int, default=40)
    ap.add_argument("--seeds", default="100,101")
    ap.add_argument("--budget", type=int, default=2000)
    args = ap.parse_args()
    seeds = [int(s) for s in args.seeds.split(",")]
    if any(not 100 <= s <= 199 for s in seeds):
        ap.error("tuning seeds are 100-199 (the benchmark's seed stays untouched)")
    cur, sc = load_curriculum(args.graph), scenario(args.scenario)
    goals = cur.reference_goals()
    out: dict[str, Any] = {"graph": args.graph, "scenario": args.scenario, "seeds": seeds}
    for mode in ("policy", "perfect_whether", "perfect_doubt", "perfect_recheck"):
        total, kinds, fired = [], Counter[str](), Counter[str]()
        for seed in seeds:
            for k in range(args.learners):
                rng = np.random.default_rng([seed, k])
                learner = sc.learner(cur, rng)
                goal = goals[int(rng.integers(len(goals)))]
                used, ks, fs = episode(cur, learner, goal, seed, k, mode, args.budget)
                total.append(used)
                kinds += ks
                fired += fs
        row: dict[str, Any] = {"mean_opportunities": round(float(np.mean(total)), 1)}
        if mode == "policy":
            row["by_kind"] = dict(kinds)
        row["stuck"] = dict(fired)
        out[mode] = row
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
