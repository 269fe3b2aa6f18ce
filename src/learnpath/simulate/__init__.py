"""The learner simulator: synthetic learners with a hidden knowledge state, tutoring policies, a runner.

Pure (no I/O, no clock, no global randomness): every draw comes from an explicit ``numpy`` Generator seeded
from the caller's seed. See docs/simulation.md for the reference scenario and the policies.
"""

from learnpath.simulate.curriculum import Curriculum
from learnpath.simulate.learners import SCENARIOS, Scenario, SimLearner, scenario
from learnpath.simulate.policies import POLICIES, LearnpathConfig
from learnpath.simulate.runner import SimulationReport, run_episode, simulate

__all__ = [
    "POLICIES",
    "SCENARIOS",
    "Curriculum",
    "LearnpathConfig",
    "Scenario",
    "SimLearner",
    "SimulationReport",
    "run_episode",
    "scenario",
    "simulate",
]
