"""Sequence-per-learner files: AKT / DKVMN line blocks and pyKT's comma-joined CSV rows.

Line-block layouts (detected per file, and refused when neither fits every block):

- ``pid``: 4 lines per learner: ``user_idx,user_id`` / problem ids / skill ids / answers (AKT ``*_pid``);
- ``user``: 3 lines: ``user_idx,user_id`` / skill ids / answers (AKT assist2015);
- ``length``: 3 lines: sequence length / ids / answers (DKVMN, AKT statics, DKT). The ids are the
  data set's question ids (skills for ASSISTments, items for Statics); they serve as item and skill.

Trailing commas are allowed. Each learner block becomes one learner; time is the position.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pandas as pd  # type: ignore[import-untyped]

from learnpath.errors import FieldError, ValidationError
from learnpath.interop.datasets import EvalSplit, find_file, problem, raise_problems, read_lines
from learnpath.learner.base import AttemptTable

__all__ = ["Sequences", "load_akt", "load_dkvmn", "load_pykt", "read_sequences", "sequences_table"]

I64 = npt.NDArray[np.int64]
PYKT_WINDOW = 200
PYKT_MIN_SEQ = 3


@dataclass(frozen=True)
class Sequences:
    """Flat columns of a sequence file; block ``b`` owns ``[ptr[b], ptr[b + 1])``."""

    ptr: I64
    ids: I64
    skills: I64 | None
    correct: I64
    layout: str


def _split_tokens(text: str) -> list[str]:
    text = text.strip().rstrip(",")
    return text.split(",") if text else []


def _parse_ints(path: Path, rows: list[str], lines: list[int], column: str) -> tuple[I64, I64]:
    """All comma-separated integers of ``rows`` (flat) and each row's count; errors name the line."""
    tokens = [_split_tokens(r) for r in rows]
    counts = np.array([len(t) for t in tokens], dtype=np.int64)
    flat = [tok for t in tokens for tok in t]
    try:
        return np.array(flat, dtype=np.int64), counts
    except ValueError:
        pass
    problems: list[FieldError] = []
    for toks, line in zip(tokens, lines, strict=True):
        for tok in toks:
            try:
                int(tok)
            except ValueError:
                problems.append(problem(path, line, column, f"expected an integer, found {tok!r}"))
                break
    raise_problems(path, problems)
    raise AssertionError("unreachable")  # pragma: no cover


def _fits(lines: list[str], per: int, header_fields: int) -> bool:
    if not lines or len(lines) % per:
        return False
    heads = lines[0::per]
    if any(len(_split_tokens(h)) != header_fields for h in heads):
        return False
    sizes = [[len(_split_tokens(x)) for x in lines[k::per]] for k in range(1, per)]
    return all(s == sizes[0] for s in sizes[1:])


def read_sequences(path: Path) -> Sequences:
    """Parse a line-block file (layout detected, see the module docstring)."""
    lines = read_lines(path)
    while lines and not lines[-1].strip():
        lines.pop()
    layouts = [
        (name, per)
        for name, per, h in (("pid", 4, 2), ("user", 3, 2), ("length", 3, 1))
        if _fits(lines, per, h)
    ]
    if len(layouts) != 1:
        found = "none fits" if not layouts else f"ambiguous between {[n for n, _ in layouts]}"
        raise ValidationError(
            f"{path}: unknown sequence layout ({found})",
            [
                problem(
                    path,
                    1,
                    "layout",
                    f"expected 3- or 4-line learner blocks with equal-length lines; {found}",
                )
            ],
        )
    layout, per = layouts[0]
    n_blocks = len(lines) // per
    line_no = [[b * per + k + 1 for b in range(n_blocks)] for k in range(per)]
    ids, counts = _parse_ints(path, lines[1::per], line_no[1], "ids" if layout == "length" else "problems")
    skills = None
    if layout == "pid":
        skills, _ = _parse_ints(path, lines[2::per], line_no[2], "skills")
    correct, _ = _parse_ints(path, lines[per - 1 :: per], line_no[per - 1], "correct")
    problems: list[FieldError] = []
    if layout == "length":
        heads, _ = _parse_ints(path, lines[0::per], line_no[0], "length")
        for b in np.flatnonzero(heads != counts)[:5]:
            problems.append(
                problem(path, line_no[0][b], "length", f"says {heads[b]} answers, line has {counts[b]}")
            )
    ptr = np.r_[0, np.cumsum(counts)].astype(np.int64)
    bad = np.flatnonzero(~np.isin(correct, (0, 1)))
    for k in bad[:5]:
        block = int(np.searchsorted(ptr, k, side="right") - 1)
        problems.append(
            problem(path, line_no[per - 1][block], "correct", f"expected 0 or 1, found {int(correct[k])}")
        )
    raise_problems(path, problems)
    return Sequences(ptr=ptr, ids=ids, skills=skills, correct=correct, layout=layout)


def _group_multi_skill(seq: Sequences) -> I64:
    """Attempt index of each line: a line joins the previous attempt when it repeats its problem and
    answer within the same learner with a skill not yet in that attempt (AKT's expansion)."""
    assert seq.skills is not None
    n = seq.ids.shape[0]
    start = np.ones(n, dtype=bool)
    if n > 1:
        same_block = np.ones(n, dtype=bool)
        same_block[seq.ptr[:-1]] = False
        cand = (
            np.flatnonzero(
                same_block[1:] & (seq.ids[1:] == seq.ids[:-1]) & (seq.correct[1:] == seq.correct[:-1])
            )
            + 1
        )
        group_skills: set[int] = set()
        last = -2
        for k in cand.tolist():
            if k != last + 1:
                group_skills = {int(seq.skills[k - 1])}
            s = int(seq.skills[k])
            if s in group_skills:
                group_skills = {s}
            else:
                start[k] = False
                group_skills.add(s)
            last = k
    return (np.cumsum(start) - 1).astype(np.int64)


def sequences_table(seq: Sequences, collapse: bool = True) -> tuple[AttemptTable, I64]:
    """The table (one learner per block) and, for each line, the table row that predicts it."""
    n = seq.ids.shape[0]
    block = np.repeat(np.arange(seq.ptr.shape[0] - 1, dtype=np.int64), np.diff(seq.ptr))
    skills_line = seq.skills if seq.skills is not None else seq.ids
    if collapse and seq.skills is not None:
        group = _group_multi_skill(seq)
    else:
        group = np.arange(n, dtype=np.int64)
    first = np.r_[True, group[1:] != group[:-1]] if n else np.zeros(0, dtype=bool)
    pairs = np.unique(np.stack([group, skills_line]), axis=1) if n else np.zeros((2, 0), dtype=np.int64)
    skill_vals, skill_ix = np.unique(pairs[1], return_inverse=True)
    rows = int(first.sum())
    indptr = np.r_[0, np.cumsum(np.bincount(pairs[0], minlength=rows))].astype(np.int64)
    items, item_ix = np.unique(seq.ids[first], return_inverse=True)
    learner = block[first]
    starts = np.flatnonzero(np.r_[True, learner[1:] != learner[:-1]]) if rows else np.zeros(0, dtype=np.int64)
    timestamp = (np.arange(rows) - np.repeat(starts, np.diff(np.r_[starts, rows]))).astype(np.float64)
    table = AttemptTable(
        learner=learner,
        item=item_ix.astype(np.int64),
        skill_indptr=indptr,
        skill_indices=skill_ix.astype(np.int64),
        correct=seq.correct[first].astype(np.int8),
        timestamp=timestamp,
        item_names=tuple(str(i) for i in items),
        skill_names=tuple(str(s) for s in skill_vals),
    )
    return table, group


def _fold_file(folder: Path, pattern: str, what: str) -> Path:
    found = sorted(p for p in folder.glob(pattern) if p.name.endswith((".csv", ".csv.gz")))
    if len(found) != 1:
        raise ValidationError.for_field(
            "data", f"expected one {what} file matching {folder / pattern}, found {[p.name for p in found]}"
        )
    return found[0]


def load_akt(folder: Path, fold: int = 1) -> EvalSplit:
    """AKT 5-fold split (see :mod:`learnpath.interop.datasets`): train{K}, valid{K}, test{K}."""
    if fold not in range(1, 6):
        raise ValidationError.for_field("fold", f"AKT folds are 1..5, got {fold}")
    test_path = _fold_file(folder, f"*_test{fold}.csv*", f"AKT test{fold}")
    prefix = test_path.name.split(f"_test{fold}.csv")[0]
    train, _ = sequences_table(read_sequences(find_file(folder, f"{prefix}_train{fold}.csv")))
    valid, _ = sequences_table(read_sequences(find_file(folder, f"{prefix}_valid{fold}.csv")))
    test, rows = sequences_table(read_sequences(test_path))
    return EvalSplit(
        protocol="akt",
        train=train,
        test=test,
        test_rows=rows,
        valid=valid,
        description=f"AKT fold {fold} of {prefix}: every line of {test_path.name} scored",
    )


def load_dkvmn(folder: Path, fold: int | None = None) -> EvalSplit:
    """DKVMN split: ``*_train`` (or ``*_train{K}`` with ``*_valid{K}``) and ``*_test``."""
    test_path = _fold_file(folder, "*_test.csv*", "DKVMN test")
    prefix = test_path.name.split("_test.csv")[0]
    valid = None
    if fold is None:
        train, _ = sequences_table(read_sequences(find_file(folder, f"{prefix}_train.csv")))
    else:
        train, _ = sequences_table(read_sequences(find_file(folder, f"{prefix}_train{fold}.csv")))
        valid, _ = sequences_table(read_sequences(find_file(folder, f"{prefix}_valid{fold}.csv")))
    test, rows = sequences_table(read_sequences(test_path))
    return EvalSplit("dkvmn", train, test, rows, valid, f"DKVMN split of {prefix}: every test line scored")


def _pykt_columns(
    path: Path,
) -> tuple[pd.DataFrame, list[list[str]], list[list[str]], list[list[str]] | None]:
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c in ("fold", "uid", "concepts", "responses") if c not in frame.columns]
    raise_problems(path, [problem(path, 1, c, f"expected a column named {c!r}") for c in missing])
    concepts = [_split_tokens(x) for x in frame["concepts"]]
    responses = [_split_tokens(x) for x in frame["responses"]]
    questions = [_split_tokens(x) for x in frame["questions"]] if "questions" in frame.columns else None
    problems: list[FieldError] = []
    for i, (c, r) in enumerate(zip(concepts, responses, strict=True)):
        if len(c) != len(r) or (questions is not None and len(questions[i]) != len(r)):
            problems.append(problem(path, i + 2, "responses", f"{len(r)} responses for {len(c)} concepts"))
        elif not r:
            problems.append(problem(path, i + 2, "responses", "empty sequence"))
    bad = [i for i, r in enumerate(responses) if any(x not in ("0", "1") for x in r)]
    for i in bad[:5]:
        found = next(x for x in responses[i] if x not in ("0", "1"))
        problems.append(problem(path, i + 2, "responses", f"expected 0 or 1, found {found!r}"))
    raise_problems(path, problems)
    return frame, concepts, responses, questions


def _pykt_table(
    concepts: list[list[str]], responses: list[list[str]], questions: list[list[str]] | None
) -> AttemptTable:
    """One learner per row; concepts joined by ``_`` (pyKT's multi-concept questions) are skill sets."""
    lengths = np.array([len(r) for r in responses], dtype=np.int64)
    n = int(lengths.sum())
    learner = np.repeat(np.arange(len(responses), dtype=np.int64), lengths)
    ptr = np.r_[0, np.cumsum(lengths)]
    timestamp = (np.arange(n) - np.repeat(ptr[:-1], lengths)).astype(np.float64)
    flat_c = [c for row in concepts for c in row]
    if any("_" in c for c in flat_c):
        sets = [c.split("_") for c in flat_c]
        skill_vals, skill_ix = np.unique(np.array([s for ss in sets for s in ss]), return_inverse=True)
        indptr = np.r_[0, np.cumsum([len(ss) for ss in sets])].astype(np.int64)
    else:  # one concept per interaction: integer ids, fast path
        skill_vals, skill_ix = np.unique(np.array(flat_c, dtype=np.int64), return_inverse=True)
        indptr = np.arange(n + 1, dtype=np.int64)
    if questions is not None:
        items, item_ix = np.unique(np.array([q for row in questions for q in row]), return_inverse=True)
    else:
        items, item_ix = skill_vals, skill_ix
    return AttemptTable(
        learner=learner,
        item=item_ix.astype(np.int64),
        skill_indptr=indptr,
        skill_indices=skill_ix.astype(np.int64),
        correct=np.array([r for row in responses for r in row], dtype=np.int64).astype(np.int8),
        timestamp=timestamp,
        item_names=tuple(str(i) for i in items),
        skill_names=tuple(str(s) for s in skill_vals),
    )


def _windows(seqs: list[list[str]], window: int, min_len: int) -> list[tuple[int, int, int]]:
    """pyKT's ``generate_sequences`` cut: (row, start, end) windows; a short trailing rest is dropped."""
    out = []
    for i, s in enumerate(seqs):
        j = 0
        while len(s) >= j + window:
            out.append((i, j, j + window))
            j += window
        if len(s) - j >= min_len:
            out.append((i, j, len(s)))
    return out


def load_pykt(folder: Path, fold: int | None = None) -> EvalSplit:
    """pyKT split (see :mod:`learnpath.interop.datasets`): ``train_valid.csv`` and ``test.csv``."""
    if fold is not None and fold not in range(5):
        raise ValidationError.for_field("fold", f"pyKT folds are 0..4, got {fold}")
    tv_path = find_file(folder, "train_valid.csv")
    frame, concepts, responses, questions = _pykt_columns(tv_path)
    folds = pd.to_numeric(frame["fold"], errors="coerce").to_numpy()
    bad = np.flatnonzero(~np.isin(folds, np.arange(5)))
    raise_problems(tv_path, [problem(tv_path, int(i) + 2, "fold", "expected 0..4") for i in bad[:5]])

    def pick(mask: npt.NDArray[np.bool_]) -> AttemptTable:
        idx = np.flatnonzero(mask).tolist()
        qs = None if questions is None else [questions[i] for i in idx]
        return _pykt_table([concepts[i] for i in idx], [responses[i] for i in idx], qs)

    train = pick(folds != (-1 if fold is None else fold))
    valid = pick(folds == fold) if fold is not None else None
    test_path = find_file(folder, "test.csv")
    _, t_concepts, t_responses, t_questions = _pykt_columns(test_path)
    wins = _windows(t_responses, PYKT_WINDOW, PYKT_MIN_SEQ)
    test = _pykt_table(
        [t_concepts[i][a:b] for i, a, b in wins],
        [t_responses[i][a:b] for i, a, b in wins],
        None if t_questions is None else [t_questions[i][a:b] for i, a, b in wins],
    )
    starts = np.r_[0, np.cumsum([b - a for _, a, b in wins])][:-1]
    scored = np.ones(len(test), dtype=bool)
    scored[starts] = False
    return EvalSplit(
        protocol="pykt",
        train=train,
        test=test,
        test_rows=np.flatnonzero(scored).astype(np.int64),
        valid=valid,
        description=(
            f"pyKT split of {folder.name}: train_valid ({'all folds' if fold is None else f'fold {fold} held out'}),"
            f" test cut in windows of {PYKT_WINDOW}, first of each window not scored"
        ),
    )
