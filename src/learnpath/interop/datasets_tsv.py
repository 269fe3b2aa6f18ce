"""Row-per-interaction files: Gervet et al. 2020 TSV splits and raw ASSISTments skill-builder rows."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import numpy.typing as npt
import pandas as pd  # type: ignore[import-untyped]

from learnpath.errors import FieldError, ValidationError
from learnpath.interop.datasets import EvalSplit, find_file, problem, raise_problems
from learnpath.learner.base import AttemptTable

__all__ = ["load_assistments_raw", "load_gervet", "read_gervet_tsv", "read_qmatrix"]

I64 = npt.NDArray[np.int64]
GERVET_COLUMNS = ("user_id", "item_id", "timestamp", "correct", "skill_id")


def _read_frame(path: Path, sep: str, required: tuple[str, ...]) -> pd.DataFrame:
    try:
        frame = pd.read_csv(path, sep=sep, low_memory=False)
    except (ValueError, OSError, UnicodeDecodeError) as exc:
        raise ValidationError(
            f"{path}: cannot read as {'TSV' if sep == chr(9) else 'CSV'}: {exc}",
            [problem(path, None, "file", f"unreadable: {exc}")],
        ) from exc
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise_problems(
            path,
            [
                problem(path, 1, c, f"expected a column named {c!r}; header has {list(frame.columns)}")
                for c in missing
            ],
        )
    return frame


def _numeric(frame: pd.DataFrame, path: Path, columns: tuple[str, ...], problems: list[FieldError]) -> None:
    """Convert columns to numbers in place, noting every non-numeric or empty cell (line = row + 2)."""
    for col in columns:
        values = pd.to_numeric(frame[col], errors="coerce")
        bad = np.flatnonzero(values.isna().to_numpy())
        for row in bad[:5]:
            problems.append(
                problem(path, int(row) + 2, col, f"expected a number, found {frame[col].iat[row]!r}")
            )
        frame[col] = values


def _check_binary(
    correct: npt.NDArray[np.float64], path: Path, line0: int, problems: list[FieldError]
) -> None:
    bad = np.flatnonzero(~np.isin(correct, (0.0, 1.0)))
    for row in bad[:5]:
        problems.append(
            problem(path, int(row) + line0, "correct", f"expected 0 or 1, found {correct[row]!r}")
        )


def _learner_blocks(user: npt.NDArray[np.int64], path: Path, problems: list[FieldError]) -> I64:
    """Learner index 0..n-1 in order of appearance; each learner's rows must be contiguous."""
    starts = np.r_[True, user[1:] != user[:-1]] if user.size else np.zeros(0, dtype=bool)
    learner = np.cumsum(starts) - 1
    block_users = user[starts]
    uniq, first = np.unique(block_users, return_index=True)
    if uniq.size != block_users.size:
        seen = np.zeros(block_users.size, dtype=bool)
        seen[first] = True
        block = int(np.flatnonzero(~seen)[0])
        row = int(np.flatnonzero(starts)[block])
        problems.append(
            problem(
                path, row + 2, "user_id", f"rows must be grouped by user; user {int(user[row])} appears again"
            )
        )
    return learner.astype(np.int64)


def read_qmatrix(path: Path) -> dict[int, npt.NDArray[np.int64]]:
    """``item_id,skill_id`` pairs as item -> sorted skill ids."""
    frame = _read_frame(path, ",", ("item_id", "skill_id"))
    problems: list[FieldError] = []
    _numeric(frame, path, ("item_id", "skill_id"), problems)
    raise_problems(path, problems)
    dup = np.flatnonzero(frame.duplicated(["item_id", "skill_id"]).to_numpy())
    raise_problems(
        path, [problem(path, int(r) + 2, "skill_id", "repeats an (item, skill) pair") for r in dup[:5]]
    )
    pairs = frame.sort_values(["item_id", "skill_id"], kind="stable")
    items = pairs["item_id"].to_numpy(np.int64)
    skills = pairs["skill_id"].to_numpy(np.int64)
    cut = np.flatnonzero(np.r_[True, items[1:] != items[:-1]])
    return {int(items[c]): s for c, s in zip(cut, np.split(skills, cut[1:]), strict=True)}


def read_gervet_tsv(
    path: Path, qmatrix: dict[int, npt.NDArray[np.int64]] | None, skills: str = "qmatrix"
) -> AttemptTable:
    """One Gervet-format TSV as a table.

    Rows stay in file order; each user's rows must be contiguous. A ``timestamp`` column of zeros
    (ASSISTments, Statics) means "file order": row ``k`` of a learner gets time ``k``. With real
    timestamps they must not decrease within a learner and (user, item, timestamp) must not repeat.
    ``skills="qmatrix"``: a row's skills are its item's Q-matrix skills (several for multi-skill
    items); ``skills="combination"``: the ``skill_id`` column (the id of the item's skill set).
    """
    if skills not in ("qmatrix", "combination"):
        raise ValidationError.for_field("skills", f"expected 'qmatrix' or 'combination', got {skills!r}")
    frame = _read_frame(path, "\t", GERVET_COLUMNS)
    problems: list[FieldError] = []
    _numeric(frame, path, GERVET_COLUMNS, problems)
    raise_problems(path, problems)
    correct = frame["correct"].to_numpy(np.float64)
    _check_binary(correct, path, 2, problems)
    user = frame["user_id"].to_numpy(np.int64)
    learner = _learner_blocks(user, path, problems)
    raw_ts = frame["timestamp"].to_numpy(np.float64)
    item_raw = frame["item_id"].to_numpy(np.int64)
    n = len(frame)
    if n and not raw_ts.any():
        starts = np.flatnonzero(np.r_[True, learner[1:] != learner[:-1]])
        timestamp = (np.arange(n) - np.repeat(starts, np.diff(np.r_[starts, n]))).astype(np.float64)
    else:
        timestamp = raw_ts
        back = np.flatnonzero((learner[1:] == learner[:-1]) & (raw_ts[1:] < raw_ts[:-1])) + 1
        for row in back[:5]:
            problems.append(
                problem(
                    path, int(row) + 2, "timestamp", f"goes back in time ({raw_ts[row - 1]} -> {raw_ts[row]})"
                )
            )
        dup = np.flatnonzero(frame.duplicated(["user_id", "item_id", "timestamp"]).to_numpy())
        for row in dup[:5]:
            problems.append(
                problem(path, int(row) + 2, "item_id", "repeats an earlier (user, item, timestamp) row")
            )
    if skills == "qmatrix":
        if qmatrix is None:
            raise ValidationError.for_field("qmatrix", "skills='qmatrix' needs the item-skill pairs")
        missing = np.flatnonzero(~np.isin(item_raw, np.fromiter(qmatrix, dtype=np.int64)))
        for row in missing[:5]:
            problems.append(
                problem(path, int(row) + 2, "item_id", f"item {item_raw[row]} has no Q-matrix skills")
            )
    raise_problems(path, problems)
    items, item_ix = np.unique(item_raw, return_inverse=True)
    if skills == "qmatrix":
        assert qmatrix is not None
        per_item = [qmatrix[int(i)] for i in items]
        counts = np.array([s.size for s in per_item], dtype=np.int64)
        flat = np.concatenate(per_item) if per_item else np.zeros(0, dtype=np.int64)
        item_ptr = np.r_[0, np.cumsum(counts)]
        row_counts = counts[item_ix]
        indptr = np.r_[0, np.cumsum(row_counts)].astype(np.int64)
        offsets = np.arange(indptr[-1]) - np.repeat(indptr[:-1], row_counts)
        skill_raw = flat[np.repeat(item_ptr[item_ix], row_counts) + offsets]
    else:
        skill_raw = frame["skill_id"].to_numpy(np.int64)
        indptr = np.arange(n + 1, dtype=np.int64)
    skill_vals, skill_ix = np.unique(skill_raw, return_inverse=True)
    return AttemptTable(
        learner=learner,
        item=item_ix.astype(np.int64),
        skill_indptr=indptr,
        skill_indices=skill_ix.astype(np.int64),
        correct=correct.astype(np.int8),
        timestamp=timestamp,
        item_names=tuple(str(i) for i in items),
        skill_names=tuple(str(s) for s in skill_vals),
    )


def load_gervet(folder: Path, skills: str = "qmatrix") -> EvalSplit:
    """Gervet et al. 2020: fit on ``preprocessed_data_train.tsv``, score every row of ``..._test.tsv``."""
    qmat = read_qmatrix(find_file(folder, "q_mat_item_skill_pairs.csv")) if skills == "qmatrix" else None
    train = read_gervet_tsv(find_file(folder, "preprocessed_data_train.tsv"), qmat, skills)
    test = read_gervet_tsv(find_file(folder, "preprocessed_data_test.tsv"), qmat, skills)
    return EvalSplit(
        protocol="gervet",
        train=train,
        test=test,
        test_rows=np.arange(len(test), dtype=np.int64),
        description=f"Gervet et al. 2020 split of {folder.name}: every test row scored ({skills} skills)",
    )


RAW_REQUIRED = ("user_id", "order_id", "problem_id", "correct")
RAW_OPTIONAL = {"ms_first_response": "duration_ms", "hint_count": "hints", "attempt_count": "attempt_count"}


def load_assistments_raw(path: Path, skill_column: str = "skill_name") -> AttemptTable:
    """Raw ASSISTments skill-builder rows (one per (order, skill)) as one row per ``order_id``.

    Protocol: rows with the same ``order_id`` are one attempt tagged with all their skills (the
    raw release repeats a multi-skill problem once per skill, and the original release also has
    exact duplicate rows: both collapse); they must agree on user, problem and answer. Learners are
    ordered by ``user_id``, each learner's attempts by ``order_id`` (ASSISTments' chronological
    key), which also serves as the timestamp. ``ms_first_response`` -> ``duration_ms`` (negative
    values, a known logging fault, become NaN), ``hint_count`` -> ``hints``, ``attempt_count`` ->
    ``attempt_count`` when present. A row without a skill is an error.
    """
    frame = _read_frame(path, ",", (*RAW_REQUIRED, skill_column))
    problems: list[FieldError] = []
    optional = tuple(c for c in RAW_OPTIONAL if c in frame.columns)
    _numeric(frame, path, (*RAW_REQUIRED, *optional), problems)
    for row in np.flatnonzero(frame[skill_column].isna().to_numpy())[:5]:
        problems.append(problem(path, int(row) + 2, skill_column, "expected a skill, found an empty cell"))
    raise_problems(path, problems)
    _check_binary(frame["correct"].to_numpy(np.float64), path, 2, problems)
    frame["_line"] = np.arange(len(frame)) + 2
    by_order = frame.groupby("order_id", sort=False)
    for col in ("user_id", "problem_id", "correct"):
        conflicts = np.flatnonzero((by_order[col].transform("nunique") > 1).to_numpy())
        for row in conflicts[:5]:
            problems.append(
                problem(
                    path, int(row) + 2, col, f"order_id {frame['order_id'].iat[row]} has rows that disagree"
                )
            )
    raise_problems(path, problems)
    frame = frame.sort_values(["user_id", "order_id", "_line"], kind="stable")
    first = ~frame.duplicated("order_id").to_numpy()
    pairs = frame.drop_duplicates(["order_id", skill_column])
    attempts = frame[first]
    skill_vals, skill_ix = np.unique(pairs[skill_column].astype(str).to_numpy(), return_inverse=True)
    row_of_pair = np.cumsum(~pairs.duplicated("order_id").to_numpy()) - 1
    indptr = np.r_[0, np.cumsum(np.bincount(row_of_pair, minlength=len(attempts)))].astype(np.int64)
    user = attempts["user_id"].to_numpy(np.int64)
    learner = (np.cumsum(np.r_[True, user[1:] != user[:-1]]) - 1).astype(np.int64)
    items, item_ix = np.unique(attempts["problem_id"].to_numpy(np.int64), return_inverse=True)
    extra: dict[str, npt.NDArray[np.float64]] = {}
    for col in optional:
        vals = attempts[col].to_numpy(np.float64)
        extra[RAW_OPTIONAL[col]] = np.where(vals < 0, np.nan, vals) if col == "ms_first_response" else vals
    return AttemptTable(
        learner=learner,
        item=item_ix.astype(np.int64),
        skill_indptr=indptr,
        skill_indices=skill_ix.astype(np.int64),
        correct=attempts["correct"].to_numpy(np.int8),
        timestamp=attempts["order_id"].to_numpy(np.float64),
        item_names=tuple(str(i) for i in items),
        skill_names=tuple(str(s) for s in skill_vals),
        **extra,
    )
