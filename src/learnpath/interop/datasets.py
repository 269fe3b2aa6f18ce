"""Public knowledge-tracing data sets as :class:`AttemptTable` splits, read in place.

Each protocol reproduces the published evaluation so that our figures compare with the papers':
the same training rows, the same test interactions, the same handling of multi-skill rows.

============  ==================================================================================
protocol      what it is (loader)
============  ==================================================================================
``gervet``    Gervet et al. 2020 (JEDM) student-wise 80/20 split: ``preprocessed_data_train.tsv``
              / ``preprocessed_data_test.tsv`` (+ ``q_mat_item_skill_pairs.csv``). One row per
              interaction (the authors already dropped duplicate ``order_id`` rows); a row's skills
              are its item's skills in the Q-matrix. Every test row is scored, first attempts
              included, as in the paper's code. (:func:`~learnpath.interop.datasets_tsv.load_gervet`)
``pykt``      pyKT (Liu et al., NeurIPS 2022) split: train on ``train_valid.csv`` (all five folds,
              or the four other than ``fold`` K, which is then the validation set); test on
              ``test.csv`` cut as pyKT's ``test_sequences``: each learner's sequence in consecutive
              windows of 200, a trailing window shorter than 3 dropped, each window a separate
              sequence whose first interaction is not predicted (checked against pyKT's
              ``generate_sequences`` and ``KTDataset``; pyKT's window and question-level
              variants are not built: docs/learner-models.md).
              (:func:`~learnpath.interop.datasets_seq.load_pykt`)
``akt``       AKT (Ghosh et al., KDD 2020) 5-fold files: fold K trains on ``*_train{K}``, may tune
              on ``*_valid{K}``, tests on ``*_test{K}``. Every line of the test file is scored, as
              in the paper; consecutive lines that repeat a problem with another skill (and the same
              answer) are one attempt with several skills for the model, so it never sees the answer
              it predicts; each expanded line gets that attempt's prediction.
              (:func:`~learnpath.interop.datasets_seq.load_akt`)
``dkvmn``     DKVMN (Zhang et al., WWW 2017) 3-line files: train on ``*_train`` (or ``*_train{K}``),
              test on ``*_test`` (validation ``*_valid{K}``); every test line is scored.
              (:func:`~learnpath.interop.datasets_seq.load_dkvmn`)
============  ==================================================================================

Raw ASSISTments rows with response time, hints and attempt counts:
:func:`~learnpath.interop.datasets_tsv.load_assistments_raw`.

Bad input (a missing column, a non-binary answer, rows out of order or repeated, an unknown
layout) raises :class:`~learnpath.errors.ValidationError` whose errors name the file, line and
column; nothing is silently dropped or reordered except as each protocol documents.
"""

from __future__ import annotations

import gzip
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from learnpath.errors import FieldError, ValidationError
from learnpath.learner.base import AttemptTable

__all__ = ["PROTOCOLS", "EvalSplit", "find_file", "load_split", "problem", "raise_problems", "read_lines"]

I64 = npt.NDArray[np.int64]
PROTOCOLS = ("gervet", "pykt", "akt", "dkvmn")
MAX_REPORTED = 20


@dataclass(frozen=True)
class EvalSplit:
    """A train/test split and which test interactions are scored.

    ``test_rows[j]`` is the ``test`` row whose prediction scores interaction ``j``; a row may be
    scored several times (AKT's expanded multi-skill lines) or not at all (pyKT window starts).
    """

    protocol: str
    train: AttemptTable
    test: AttemptTable
    test_rows: I64
    valid: AttemptTable | None = None
    description: str = ""

    @property
    def n_test(self) -> int:
        return int(self.test_rows.shape[0])

    @property
    def y_test(self) -> npt.NDArray[np.int8]:
        return self.test.correct[self.test_rows]


def problem(path: Path, line: int | None, column: str, message: str) -> FieldError:
    """One problem in a data file, located by file, line (1-based) and column."""
    where = f"{path.name}" + (f", line {line}" if line is not None else "") + f", column {column}"
    return FieldError(column, f"{where}: {message}")


def raise_problems(path: Path, problems: list[FieldError]) -> None:
    """Raise one ValidationError listing (up to 20 of) the problems found in ``path``."""
    if problems:
        more = len(problems) - MAX_REPORTED
        first = problems[0].message
        extra = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        errs = problems[:MAX_REPORTED]
        if more > 0:
            errs.append(FieldError("file", f"{path.name}: {more} more problems not listed"))
        raise ValidationError(f"{path}: {first}{extra}", errs)


def find_file(folder: Path, stem: str) -> Path:
    """``folder/stem`` with or without ``.gz``; a ValidationError naming both when neither exists."""
    for name in (stem, f"{stem}.gz"):
        if (folder / name).is_file():
            return folder / name
    raise ValidationError.for_field("data", f"expected {folder / stem}[.gz], found no such file")


def read_lines(path: Path) -> list[str]:
    """The file's lines (gzip or plain text), without line ends."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as fh:
        return fh.read().splitlines()


def load_split(data: Path, protocol: str, fold: int | None = None) -> EvalSplit:
    """Load ``data`` (a folder) under a named protocol; see the module docstring."""
    from learnpath.interop import datasets_seq, datasets_tsv

    if not data.is_dir():
        raise ValidationError.for_field("data", f"expected a folder of data files, found {str(data)!r}")
    if protocol == "gervet":
        if fold is not None:
            raise ValidationError.for_field("fold", "the gervet protocol has one split; omit --fold")
        return datasets_tsv.load_gervet(data)
    if protocol == "pykt":
        return datasets_seq.load_pykt(data, fold)
    if protocol == "akt":
        return datasets_seq.load_akt(data, 1 if fold is None else fold)
    if protocol == "dkvmn":
        return datasets_seq.load_dkvmn(data, fold)
    raise ValidationError.for_field("protocol", f"expected one of {', '.join(PROTOCOLS)}, got {protocol!r}")
