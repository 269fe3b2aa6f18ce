"""Refining item difficulties from attempts. Pure: arrays in, arrays out.

The Rasch model (:func:`learnpath.learner.irt.fit_joint_map`) is fitted jointly on every attempt; its item
difficulties ``b`` are in logits relative to the average learner (ability 0), the scale item difficulties
are written in. Each item's refined difficulty blends the fit with the author's value by counts::

    refined = (n * b_fit + prior_weight * author) / (n + prior_weight)

so an item with few attempts stays near what its author said, and one with many follows the data.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from learnpath.errors import ValidationError
from learnpath.learner.irt import fit_joint_map

__all__ = ["Calibration", "refine_difficulties"]

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]


@dataclass(frozen=True)
class Calibration:
    """Per item: the refined difficulty, the fitted one, and the attempts (all, correct) behind it."""

    difficulty: F64
    fitted: F64
    n_attempts: I64
    n_correct: I64


def refine_difficulties(
    learner: I64,
    item: I64,
    correct: npt.NDArray[np.int8] | npt.NDArray[np.bool_],
    author: F64,
    *,
    prior_weight: float = 10.0,
    reg_theta: float = 1.0,
    reg_item: float = 0.1,
) -> Calibration:
    """Refine ``author`` difficulties (one per item index) from attempts ``(learner, item, correct)``.

    Items without attempts keep their author value. ``learner`` ids may be any integers.
    """
    n_items = len(author)
    if not (len(learner) == len(item) == len(correct)):
        raise ValidationError.for_field("attempts", "learner, item and correct must have the same length")
    if prior_weight < 0:
        raise ValidationError.for_field("prior_weight", f"must be >= 0, got {prior_weight}")
    if len(item) and (item.min() < 0 or item.max() >= n_items):
        raise ValidationError.for_field("item", f"indices must be in 0..{n_items - 1}")
    y = np.asarray(correct, dtype=np.float64)
    n = np.bincount(item, minlength=n_items).astype(np.int64)
    k = np.bincount(item, weights=y, minlength=n_items).astype(np.int64)
    fitted = np.asarray(author, dtype=np.float64).copy()
    if len(item):
        _, learner_ix = np.unique(learner, return_inverse=True)
        _, b, _, _ = fit_joint_map(
            learner_ix.astype(np.int64), item.astype(np.int64), y, int(learner_ix.max()) + 1, n_items,
            two_pl=False, reg_theta=reg_theta, reg_item=reg_item, reg_discrimination=1.0, max_iter=200,
            tol=1e-6,
        )  # fmt: skip
        seen = n > 0
        fitted[seen] = b[seen]
    w = float(prior_weight)
    refined = np.where(n > 0, (n * fitted + w * author) / np.maximum(n + w, 1e-12), author)
    return Calibration(refined.astype(np.float64), fitted, n, k)
