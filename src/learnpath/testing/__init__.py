"""Reusable test harness: the learner-model conformance suite, synthetic attempt tables, fakes."""
