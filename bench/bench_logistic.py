"""Full evaluations of the logistic learner models (PFA, Best-LR, Best-LR+, best) on the published splits.

Appends one row per (model, data set) to the "## Learner models: accuracy" table of docs/benchmarks.md:
model, data set, AUC, RMSE, accuracy, log loss, fit s, predict s, n_test, command. Each evaluation goes through the same loaders and
scoring as ``learnpath evaluate`` (``interop.datasets.load_split`` + ``learner.evaluation.evaluate_model``).

    .venv/bin/python bench/bench_logistic.py                    # every model on every data set
    .venv/bin/python bench/bench_logistic.py --models best --data assist2009 --no-write
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from learnpath.interop.datasets import load_split
from learnpath.learner.evaluation import evaluate_model
from learnpath.learner.registry import build_model

ROOT = Path(__file__).resolve().parents[1]
DATA = Path("/work/shared/data")
DATASETS: dict[str, tuple[Path, str, int | None]] = {
    "assist2009": (DATA / "assist2009" / "gervet2020", "gervet", None),
    "statics2011": (DATA / "statics2011" / "gervet2020", "gervet", None),
    "assist2015": (DATA / "assist2015" / "pykt", "pykt", None),
    "assist2009_akt": (DATA / "assist2009" / "akt_pid", "akt", 1),
}
MODELS = ("pfa", "bestlr", "bestlr_plus", "best")
HEADER = "## Learner models: accuracy"
COLUMNS = (
    "| model | data (protocol) | AUC | RMSE | accuracy | log loss | fit s | predict s | n_test | command |\n"
    "|---|---|---|---|---|---|---|---|---|---|"
)


def append_rows(path: Path, rows: list[str]) -> None:
    """Insert ``rows`` after the last row of the accuracy table (creating the section if nobody has yet)."""
    lines = (path.read_text() if path.exists() else "# Benchmarks\n").split("\n")
    if HEADER not in lines:
        lines += ["", HEADER, "", *COLUMNS.split("\n")]
    start = lines.index(HEADER)
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines))
    table = [i for i in range(start, end) if lines[i].startswith("|")]
    at = table[-1] + 1 if table else end
    path.write_text("\n".join(lines[:at] + rows + lines[at:]))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--models", nargs="+", default=list(MODELS), choices=MODELS)
    ap.add_argument("--data", nargs="+", default=list(DATASETS), choices=list(DATASETS))
    ap.add_argument("--no-write", action="store_true", help="print the rows, leave docs/benchmarks.md alone")
    args = ap.parse_args()
    rows = []
    for name in args.data:
        folder, protocol, fold = DATASETS[name]
        split = load_split(folder, protocol, fold)
        for model_name in args.models:
            res = evaluate_model(
                build_model(model_name), split.train, split.test, split.test_rows, timer=time.perf_counter
            )
            fold_opt = "" if fold is None else f" --fold {fold}"
            cmd = f"`learnpath evaluate --data {folder} --protocol {protocol}{fold_opt} --model {model_name} --json`"
            row = (
                f"| {model_name} | {name} ({protocol}) | {res.auc:.4f} | {res.rmse:.4f} | {res.accuracy:.4f} | "
                f"{res.log_loss:.4f} | {res.fit_seconds:.1f} | {res.predict_seconds:.2f} | {res.n_test:,} | {cmd} |"
            )
            print(row, flush=True)
            rows.append(row)
    if not args.no_write:
        append_rows(ROOT / "docs" / "benchmarks.md", rows)


if __name__ == "__main__":
    main()
