"""Calibrating FSRS (the spaced-review forgetting model) on real, timestamped tutor answers.

Run from the repository root (not a test; a few minutes on 2 shared cores)::

    .venv/bin/python bench/bench_review_fit.py                  # writes docs/benchmarks.md "## Spaced review: FSRS calibration"
    .venv/bin/python bench/bench_review_fit.py --no-write
    .venv/bin/python bench/bench_review_fit.py --max-answers 20000
    .venv/bin/python bench/bench_review_fit.py --score-only   # no fit: score the defaults and the constant in use

Data: KDD Cup 2010 Algebra I 2005-2006 (Carnegie Learning Cognitive Tutor), the Gervet et al. 2020 test split
in ../shared/data/kddcup2010 (130k first attempts of 114 learners with real times over 9 months; skill =
the step's knowledge-component combination). It is the only timestamped answer log in ../shared/data (the
ASSISTments 2009 and Statics files there carry no times), and our own database's answers are the demo's
simulation, which would only give back the simulator's assumptions. A card is (learner, skill); learners
are split by id: ids divisible by 5 are held out (about 20%). The fit runs on the training learners' cards
(at most ``--max-answers`` answers, whole cards in id order); both parameter sets are scored on the held-out
learners by ``learnpath.recommend.review_fit.log_loss`` (recall predicted for answers a day or more after
the card's previous answer). Prints the fitted parameters (to paste into
``learnpath.recommend.review.CALIBRATED_PARAMETERS``).
"""

from __future__ import annotations

import argparse
import gzip
import platform
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from _report import BENCHMARKS, write_section  # bench/_report.py (the script folder is on sys.path)
from fsrs.scheduler import DEFAULT_PARAMETERS

from learnpath.recommend.review import CALIBRATED_PARAMETERS
from learnpath.recommend.review_fit import ReviewAnswer, fit, log_loss

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared/data/kddcup2010/algebra05_gervet2020_testsplit/preprocessed_data_test.tsv.gz"
SECTION = "## Spaced review: FSRS calibration"
START = datetime(2005, 8, 1, tzinfo=UTC)  # the file's times are seconds since its first answer


def load(path: Path) -> tuple[list[ReviewAnswer], list[ReviewAnswer]]:
    train: list[ReviewAnswer] = []
    test: list[ReviewAnswer] = []
    with gzip.open(path, "rt") as f:
        header = f.readline().rstrip("\n").split("\t")
        want = ["user_id", "item_id", "timestamp", "correct", "skill_id"]
        if header != want:
            sys.exit(f"{path}: expected columns {want}, found {header}")
        for line_no, line in enumerate(f, start=2):
            user, _, ts, correct, skill = line.rstrip("\n").split("\t")
            if correct not in ("0", "1"):
                sys.exit(f"{path}:{line_no}: correct must be 0 or 1, found {correct!r}")
            a = ReviewAnswer(f"{int(user):05d}:{skill}", START + timedelta(seconds=int(ts)), correct == "1")
            (test if int(user) % 5 == 0 else train).append(a)
    return train, test


def whole_cards(answers: list[ReviewAnswer], limit: int) -> list[ReviewAnswer]:
    by_card: dict[str, list[ReviewAnswer]] = {}
    for a in answers:
        by_card.setdefault(a.card, []).append(a)
    out: list[ReviewAnswer] = []
    for card in sorted(by_card):
        if len(out) + len(by_card[card]) > limit:
            break
        out += by_card[card]
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--max-answers", type=int, default=40_000)
    ap.add_argument("--no-write", action="store_true")
    ap.add_argument("--score-only", action="store_true", help="no fit; prints only (seconds, not minutes)")
    args = ap.parse_args()
    if not DATA.exists():
        sys.exit(f"missing {DATA} (../shared/data, see its SOURCE.md)")
    train, test = load(DATA)
    sample = whole_cards(train, args.max_answers)
    if args.score_only:
        for label, params in (("FSRS defaults", DEFAULT_PARAMETERS), ("CALIBRATED", CALIBRATED_PARAMETERS)):
            print(label, "held out", log_loss(params, test), "training sample", log_loss(params, sample))
        return
    t0 = time.perf_counter()
    result = fit(sample)
    seconds = time.perf_counter() - t0
    rows = []
    for label, params in (
        ("FSRS defaults", DEFAULT_PARAMETERS),
        ("fitted now", result.parameters),
        ("CALIBRATED_PARAMETERS (in use)", CALIBRATED_PARAMETERS),
    ):
        test_loss, n_test = log_loss(params, test)
        train_loss, n_train = log_loss(params, sample)
        rows.append(f"| {label} | {test_loss:.4f} ({n_test:,}) | {train_loss:.4f} ({n_train:,}) |")
    fitted = ", ".join(f"{p:.4f}" for p in result.parameters)
    text = "\n".join(
        [
            SECTION,
            "",
            f"Produced by `.venv/bin/python bench/bench_review_fit.py --max-answers {args.max_answers}` on "
            f"{datetime.now(UTC).date()}; machine: {platform.machine()}, Python {platform.python_version()}. "
            "Data: KDD Cup 2010 Algebra I 2005-2006 (Gervet et al. test split, 114 learners, real times); "
            "learners with ids divisible by 5 held out. A card is (learner, skill); right = Good, wrong = "
            "Again; scored: FSRS' predicted recall on answers a day or more after the card's previous one "
            "(log loss, lower is better; answers scored in brackets). Method: docs/next-steps.md.",
            "",
            f"Fit: {result.cards:,} training cards, {result.answers:,} answers, {seconds:.0f} s.",
            "",
            "| parameters | held-out log loss | training log loss |",
            "|---|---|---|",
            *rows,
            "",
            f"Fitted parameters: `({fitted})`.",
        ]
    )
    print(text)
    if not args.no_write:
        write_section(BENCHMARKS, text + "\n", SECTION)


if __name__ == "__main__":
    main()
