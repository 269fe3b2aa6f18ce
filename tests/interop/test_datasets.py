"""Loaders on the real published files (counts from each SOURCE.md), and bad input on small files."""

from __future__ import annotations

import gzip
import os
from pathlib import Path

import numpy as np
import pytest

from learnpath.errors import ValidationError
from learnpath.interop.datasets import load_split
from learnpath.interop.datasets_seq import read_sequences, sequences_table
from learnpath.interop.datasets_tsv import load_assistments_raw, read_gervet_tsv

REPO = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("LEARNPATH_SHARED_DIR", REPO.parent / "shared"))
DATA = SHARED / "data"
real = pytest.mark.skipif(not DATA.is_dir(), reason=f"shared data folder {DATA} is absent")


def n_learners(table: object) -> int:
    return int(np.unique(table.learner).size)  # type: ignore[attr-defined]


@real
@pytest.mark.parametrize(
    ("folder", "train_rows", "train_users", "test_rows", "test_users"),
    [
        ("assist2009/gervet2020", 220_070, 2_491, 58_266, 623),
        ("statics2011/gervet2020", 155_697, 225, 33_600, 57),
    ],
)
def test_gervet_counts(
    folder: str, train_rows: int, train_users: int, test_rows: int, test_users: int
) -> None:
    split = load_split(DATA / folder, "gervet")
    assert (len(split.train), n_learners(split.train)) == (train_rows, train_users)
    assert (len(split.test), n_learners(split.test)) == (test_rows, test_users)
    assert split.n_test == test_rows


@real
def test_gervet_multi_skill_items_use_the_q_matrix() -> None:
    split = load_split(DATA / "assist2009/gervet2020", "gervet")
    per_row = np.diff(split.train.skill_indptr)
    assert per_row.min() == 1 and per_row.max() > 1
    assert len(split.train.skill_names) <= 123


@real
def test_pykt_counts_and_windows() -> None:
    split = load_split(DATA / "assist2015/pykt", "pykt")
    assert (len(split.train), n_learners(split.train)) == (544_339, 15_275)
    assert len(split.test) <= 138_458
    # every window's first interaction is unscored
    starts = np.flatnonzero(np.r_[True, split.test.learner[1:] != split.test.learner[:-1]])
    assert split.n_test == len(split.test) - starts.size
    assert np.diff(np.r_[starts, len(split.test)]).max() <= 200
    held = load_split(DATA / "assist2015/pykt", "pykt", fold=0)
    assert held.valid is not None and n_learners(held.valid) == 3_055
    assert len(held.train) + len(held.valid) == 544_339


@real
def test_akt_pid_fold_counts() -> None:
    folder = DATA / "assist2009/akt_pid"
    lines = [read_sequences(folder / f"assist2009_pid_{k}1.csv.gz") for k in ("train", "valid", "test")]
    assert sum(int(s.ptr[-1]) for s in lines) == 325_637
    assert sum(s.ptr.size - 1 for s in lines) == 4_151
    split = load_split(folder, "akt", fold=1)
    assert n_learners(split.test) == 830
    assert split.n_test == int(lines[2].ptr[-1])  # every expanded test line is scored
    assert len(split.test) < split.n_test  # ... from one prediction per attempt
    assert np.diff(split.test.skill_indptr).max() > 1


@real
def test_akt_expansion_collapses_to_one_attempt() -> None:
    seq = read_sequences(DATA / "assist2009/akt_pid/assist2009_pid_test1.csv.gz")
    table, rows = sequences_table(seq)
    assert (table.correct[rows] == seq.correct).all()
    assert (np.array(table.item_names)[table.item[rows]] == seq.ids.astype(str)).all()


@real
@pytest.mark.parametrize(
    ("folder", "students", "responses", "test_students"),
    [("assist2015/akt", 19_840, 683_801, 3_968), ("statics2011/akt", 333, 189_297, 66)],
)
def test_akt_three_line_counts(folder: str, students: int, responses: int, test_students: int) -> None:
    split = load_split(DATA / folder, "akt", fold=2)
    assert split.valid is not None
    assert n_learners(split.train) + n_learners(split.valid) + n_learners(split.test) == students
    assert len(split.train) + len(split.valid) + len(split.test) == responses
    assert n_learners(split.test) == test_students


@real
def test_dkvmn_counts() -> None:
    split = load_split(DATA / "assist2009/dkvmn", "dkvmn")
    assert (len(split.train), n_learners(split.train)) == (224_218, 2_921)
    assert (len(split.test), n_learners(split.test)) == (101_419, 1_230)


@real
def test_raw_subsets_keep_optional_columns() -> None:
    folder = DATA / "assist2009/raw_subsets"
    small = load_assistments_raw(folder / "pybkt_examples_as_2skills_allcolumns.csv.gz")
    assert (len(small), n_learners(small), len(small.skill_names)) == (10_791, 902, 2)
    assert small.correct.mean() == pytest.approx(0.744, abs=5e-4)
    mlbd = load_assistments_raw(folder / "mlbd2021_as_supersmall_250students.csv.gz")
    assert (len(mlbd), n_learners(mlbd), len(mlbd.skill_names)) == (15_882, 250, 100)
    assert mlbd.duration_ms is not None and mlbd.hints is not None and mlbd.attempt_count is not None
    assert np.diff(mlbd.skill_indptr).max() > 1


# -- bad input ------------------------------------------------------------------------------------
def write(path: Path, text: str) -> Path:
    if path.suffix == ".gz":
        with gzip.open(path, "wt") as fh:
            fh.write(text)
    else:
        path.write_text(text)
    return path


HEAD = "user_id\titem_id\ttimestamp\tcorrect\tskill_id\n"


@pytest.mark.parametrize(
    ("body", "column", "line"),
    [
        ("0\t1\t0\t2\t1\n", "correct", 2),
        ("0\t1\t0\t1\t1\n1\t1\t0\t1\t1\n0\t2\t0\t1\t1\n", "user_id", 4),
        ("0\t1\t5\t1\t1\n0\t2\t4\t1\t1\n", "timestamp", 3),
        ("0\t1\t5\t1\t1\n0\t1\t5\t0\t1\n", "item_id", 3),
        ("0\tx\t0\t1\t1\n", "item_id", 2),
    ],
)
def test_gervet_bad_rows_name_file_line_column(tmp_path: Path, body: str, column: str, line: int) -> None:
    path = write(tmp_path / "bad.tsv", HEAD + body)
    with pytest.raises(ValidationError) as info:
        read_gervet_tsv(path, None, skills="combination")
    err = info.value.errors[0]
    assert err.field == column
    assert f"bad.tsv, line {line}, column {column}" in err.message


def test_missing_column_is_named(tmp_path: Path) -> None:
    path = write(tmp_path / "bad.tsv.gz", "user_id\titem_id\tcorrect\n0\t1\t1\n")
    with pytest.raises(ValidationError) as info:
        read_gervet_tsv(path, None, skills="combination")
    assert [e.field for e in info.value.errors] == ["timestamp", "skill_id"]
    assert "bad.tsv.gz" in str(info.value)


def test_item_without_q_matrix_skills(tmp_path: Path) -> None:
    path = write(tmp_path / "t.tsv", HEAD + "0\t7\t0\t1\t1\n")
    with pytest.raises(ValidationError, match="no Q-matrix skills"):
        read_gervet_tsv(path, {1: np.array([3])})


@pytest.mark.parametrize(
    ("text", "column", "line"),
    [
        ("3\n1,2,3\n1,0,2\n", "correct", 3),
        ("3\n1,2\n1,0\n", "length", 1),
        ("2\n1,a\n1,0\n", "ids", 2),
        ("1,5\n7,8\n3,3\n1,3\n", "correct", 4),
    ],
)
def test_sequence_file_problems(tmp_path: Path, text: str, column: str, line: int) -> None:
    path = write(tmp_path / "s_test1.csv", text)
    with pytest.raises(ValidationError) as info:
        read_sequences(path)
    assert info.value.errors[0].field == column
    assert f"line {line}" in info.value.errors[0].message


def test_unknown_layout(tmp_path: Path) -> None:
    path = write(tmp_path / "x.csv", "a,b,c\n1\n")
    with pytest.raises(ValidationError, match="unknown sequence layout"):
        read_sequences(path)


def test_pykt_non_binary_response(tmp_path: Path) -> None:
    write(tmp_path / "train_valid.csv", 'fold,uid,concepts,responses\n0,1,"1,2,3","1,0,0.5"\n')
    write(tmp_path / "test.csv", 'fold,uid,concepts,responses\n-1,2,"1,2,3","1,0,1"\n')
    with pytest.raises(ValidationError) as info:
        load_split(tmp_path, "pykt")
    assert "train_valid.csv, line 2, column responses" in info.value.errors[0].message


def test_raw_conflicting_order_rows(tmp_path: Path) -> None:
    path = write(
        tmp_path / "raw.csv",
        "order_id,user_id,problem_id,correct,skill_name\n1,5,9,1,a\n1,5,9,0,b\n",
    )
    with pytest.raises(ValidationError, match="disagree"):
        load_assistments_raw(path)


def test_unknown_protocol_and_folder(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="protocol"):
        load_split(tmp_path, "nope")
    with pytest.raises(ValidationError, match="folder"):
        load_split(tmp_path / "missing", "gervet")
