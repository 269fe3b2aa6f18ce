"""``GET /api/v1/learners/{id}/next`` under load: p50/p99 at a fixed request rate against a running server.

Run from the repository root (not a test; a few minutes, about 1 GB of disk in a temporary folder)::

    .venv/bin/python bench/bench_next_load.py                  # 100,000 learners, 1,000 skills, 100 rps, 3 x 60 s
    .venv/bin/python bench/bench_next_load.py --no-write --learners 20000 --seconds 20

1. Builds a SQLite database with bulk inserts (raw ``sqlite3`` executemany after ``learnpath init-db``'s
   migrations): one school, ``--learners`` learners in classes of 25, ``--skills`` skills in 9 grades with
   0-3 prerequisites each and 2 items each, 30 practised skills per learner (mastery rows and FSRS memories,
   three in four mastered, last used 0-90 days ago), two interests per learner, a must-do skill for every
   tenth class, and an API session (bearer token) for 2,000 random learners.
2. Starts ``learnpath serve --db ...`` (one process, as shipped) and waits for ``/api/v1/health``.
3. Drives it from another process at ``--rate`` requests per second, open loop: request *i* is due at
   ``t0 + i / rate``; its latency runs from that due time to the end of the response, so a stalled server
   shows up as queueing, not as fewer requests. Each request is a random signed-in learner asking for
   their own next steps. The first ``--warmup`` seconds are not counted.
4. Repeats step 3 ``--runs`` times on the same server and writes p50, p99 and max latency, the rate
   achieved and the error count of each run into docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import queue
import random
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from _report import write_section  # bench/_report.py (the script folder is on sys.path)

ROOT = Path(__file__).resolve().parents[1]
SECTION = "## Next-step choices: API under load"
TAGS = ("animals", "art", "building", "cooking", "games", "money", "music", "nature", "space", "sports")
FMT = "%Y-%m-%d %H:%M:%S.%f"
LEARNPATH = str(Path(sys.executable).parent / "learnpath")


def _ts(d: datetime) -> str:
    return d.astimezone(UTC).replace(tzinfo=None).strftime(FMT)


def build(path: Path, n_learners: int, n_skills: int, n_tokens: int, seed: int = 7) -> list[tuple[int, str]]:
    """The database at ``path``; returns (learner id, bearer token) pairs."""
    env = {**os.environ, "LEARNPATH_DATABASE_URL": f"sqlite:///{path}"}
    subprocess.run([LEARNPATH, "init-db"], check=True, env=env, capture_output=True)
    rnd = random.Random(seed)
    now = datetime.now(UTC)
    con = sqlite3.connect(path)
    con.execute("PRAGMA synchronous=OFF")
    con.execute("PRAGMA journal_mode=WAL")
    cur = con.cursor()
    cur.execute("INSERT INTO schools (id, name, is_demo) VALUES (1, 'Load school', 0)")
    cur.execute("INSERT INTO frameworks (id, identifier, title) VALUES (1, 'load', 'Load skills')")
    grades = sorted(rnd.randrange(0, 9) for _ in range(n_skills))
    cur.executemany(
        "INSERT INTO skills (id, framework_id, code, name, name_es, description, grade, domain, position)"
        " VALUES (?, 1, ?, ?, '', '', ?, '', ?)",
        [(i + 1, f"G{g}.S{i:04d}", f"Skill {i}", g, i) for i, g in enumerate(grades)],
    )
    edges = set()
    for i, g in enumerate(grades):
        earlier = [j for j in range(max(0, i - 150), i) if grades[j] < g]
        for j in rnd.sample(earlier, min(len(earlier), rnd.randrange(0, 4))):
            edges.add((j + 1, i + 1))
    cur.executemany("INSERT INTO skill_edges (prerequisite_id, skill_id) VALUES (?, ?)", sorted(edges))
    items = [(k + 1, f"I{k:05d}", k // 2 + 1) for k in range(2 * n_skills)]
    cur.executemany(
        "INSERT INTO items (id, code, kind, body, difficulty) VALUES (?, ?, 'numeric', ?, 0.0)",
        [
            (iid, code, json.dumps({"prompt": f"{iid} + 1?", "answer": str(iid + 1)}))
            for iid, code, _ in items
        ],
    )
    cur.executemany(
        "INSERT INTO item_skills (item_id, skill_id) VALUES (?, ?)", [(i, s) for i, _, s in items]
    )
    cur.executemany(
        "INSERT INTO skill_interests (skill_id, tag) VALUES (?, ?)",
        [(s, TAGS[s % len(TAGS)]) for s in range(1, n_skills + 1) if s % 10 == 0],
    )
    created = _ts(now - timedelta(days=200))
    first_learner = 10
    cur.execute(
        "INSERT INTO users (id, school_id, username, display_name, role, password_hash, locale, grade, created_at)"
        " VALUES (1, 1, 'teacher', 'Teacher', 'teacher', 'x', 'en', NULL, ?)",
        (created,),
    )
    cur.executemany(
        "INSERT INTO users (id, school_id, username, display_name, role, password_hash, locale, grade, created_at)"
        " VALUES (?, 1, ?, ?, 'learner', 'x', 'en', ?, ?)",
        ((first_learner + n, f"l{n}", f"Learner {n}", 2 + n % 6, created) for n in range(n_learners)),
    )
    n_classes = (n_learners + 24) // 25
    cur.executemany(
        "INSERT INTO classes (id, school_id, name, grade) VALUES (?, 1, ?, 4)",
        [(c + 1, f"Class {c}") for c in range(n_classes)],
    )
    cur.executemany(
        "INSERT INTO class_learners (class_id, learner_id) VALUES (?, ?)",
        ((n // 25 + 1, first_learner + n) for n in range(n_learners)),
    )
    cur.executemany(
        "INSERT INTO assignments (school_id, created_by, learner_id, class_id, skill_id, item_id, kind, due_at,"
        " created_at) VALUES (1, 1, NULL, ?, ?, NULL, 'must_do', ?, ?)",
        [
            (
                c + 1,
                rnd.randrange(1, n_skills + 1),
                _ts(now + timedelta(days=7)),
                _ts(now - timedelta(days=1)),
            )
            for c in range(0, n_classes, 10)
        ],
    )
    # 200 practice profiles (30 skills each), shared out to the learners
    profiles = []
    for _ in range(200):
        top = rnd.randrange(1, 9)
        pool = [i + 1 for i, g in enumerate(grades) if g <= top]
        rows = []
        for sid in rnd.sample(pool, min(30, len(pool))):
            mastered = rnd.random() < 0.75
            p = rnd.uniform(0.95, 0.999) if mastered else rnd.uniform(0.2, 0.9)
            last = now - timedelta(days=rnd.uniform(0, 90))
            stability = rnd.uniform(1, 60)
            rows.append(
                (sid, p, rnd.randrange(1, 12), int(not mastered and rnd.random() < 0.3) * 2, last, stability)
            )
        profiles.append(rows)

    def mastery_rows() -> Any:
        for n in range(n_learners):
            for sid, p, na, wrong, last, _ in profiles[n % 200]:
                yield (
                    first_learner + n,
                    sid,
                    p,
                    max(0.0, p - 0.1),
                    min(1.0, p + 0.1),
                    na,
                    na // 2,
                    wrong,
                    _ts(last),
                )

    def memory_rows() -> Any:
        for n in range(n_learners):
            for sid, p, na, _, last, stability in profiles[n % 200]:
                due = last + timedelta(days=stability)
                yield (first_learner + n, sid, stability, 5.0, _ts(last), _ts(due), na, 0, p)

    cur.executemany(
        "INSERT INTO mastery (learner_id, skill_id, p_mastery, low, high, n_attempts, n_correct, recent_wrong,"
        " last_attempt_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        mastery_rows(),
    )
    cur.executemany(
        "INSERT INTO skill_memory (learner_id, skill_id, stability, difficulty, last_review_at, due_at, reps,"
        " lapses, peak_mastery) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        memory_rows(),
    )
    cur.executemany(
        "INSERT INTO learner_interests (learner_id, tag) VALUES (?, ?)",
        ((first_learner + n, t) for n in range(n_learners) for t in {TAGS[n % 10], TAGS[(3 * n + 1) % 10]}),
    )
    tokens = []
    for lid in rnd.sample(range(first_learner, first_learner + n_learners), min(n_tokens, n_learners)):
        token = f"bench-{lid}-{rnd.getrandbits(64):x}"
        tokens.append((lid, token))
    cur.executemany(
        "INSERT INTO auth_sessions (token_hash, user_id, kind, csrf_token, created_at, expires_at)"
        " VALUES (?, ?, 'api', 'x', ?, ?)",
        [
            (hashlib.sha256(t.encode()).hexdigest(), lid, _ts(now), _ts(now + timedelta(days=1)))
            for lid, t in tokens
        ],
    )
    con.commit()
    cur.execute("ANALYZE")
    con.commit()
    con.close()
    return tokens


def drive(
    base: str, tokens: list[tuple[int, str]], rate: float, seconds: float, warmup: float
) -> dict[str, Any]:
    """Open-loop load: returns latencies (s) of the counted requests, errors, and the rate achieved."""
    import httpx

    total = int(rate * (seconds + warmup))
    t0 = time.perf_counter() + 0.5
    jobs: queue.Queue[int | None] = queue.Queue()
    for i in range(total):
        jobs.put(i)
    lat: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    rnd = random.Random(1)
    picks = [tokens[rnd.randrange(len(tokens))] for _ in range(total)]

    def worker() -> None:
        with httpx.Client(base_url=base, timeout=30.0) as client:
            while True:
                try:
                    i = jobs.get_nowait()
                except queue.Empty:
                    return
                if i is None:
                    return
                due = t0 + i / rate
                wait = due - time.perf_counter()
                if wait > 0:
                    time.sleep(wait)
                lid, token = picks[i]
                try:
                    r = client.get(
                        f"/api/v1/learners/{lid}/next", headers={"Authorization": f"Bearer {token}"}
                    )
                    ok = r.status_code == 200 and r.json()["choices"]
                    err = None if ok else f"{r.status_code} {r.text[:200]}"
                except Exception as exc:  # a benchmark counts every failure
                    err = repr(exc)
                done = time.perf_counter()
                with lock:
                    if i >= rate * warmup:
                        lat.append(done - due)
                        if err:
                            errors.append(err)

    threads = [threading.Thread(target=worker) for _ in range(32)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    return {"latencies": lat, "errors": errors, "wall": wall, "total": total}


def percentile(xs: list[float], q: float) -> float:
    s = sorted(xs)
    return s[min(len(s) - 1, round(q / 100 * (len(s) - 1)))] if s else float("nan")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--learners", type=int, default=100_000)
    ap.add_argument("--skills", type=int, default=1_000)
    ap.add_argument("--rate", type=float, default=100.0)
    ap.add_argument("--seconds", type=float, default=60.0)
    ap.add_argument("--warmup", type=float, default=5.0)
    ap.add_argument("--port", type=int, default=8765)
    ap.add_argument("--runs", type=int, default=3, help="load runs, one after the other, on the same server")
    ap.add_argument("--db", type=Path, default=None, help="reuse (or keep) the database at this path")
    ap.add_argument("--no-write", action="store_true", help="print only; leave docs/benchmarks.md alone")
    args = ap.parse_args()
    load = os.getloadavg()[0]
    tmp = tempfile.TemporaryDirectory(prefix="lp-load-")
    db = args.db or Path(tmp.name) / "load.db"
    t = time.perf_counter()
    tokens_file = db.with_suffix(".tokens.json")
    if db.exists() and tokens_file.exists():
        tokens = [tuple(x) for x in json.loads(tokens_file.read_text())]
        build_s = 0.0
    else:
        tokens = build(db, args.learners, args.skills, 2000)
        tokens_file.write_text(json.dumps(tokens))
        build_s = time.perf_counter() - t
    size_mb = db.stat().st_size / 1e6
    print(f"database ready ({build_s:.0f} s, {size_mb:.0f} MB)", flush=True)
    server = subprocess.Popen(
        [LEARNPATH, "serve", "--db", f"sqlite:///{db}", "--port", str(args.port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{args.port}"
    try:
        import httpx

        for _ in range(300):
            try:
                if httpx.get(f"{base}/api/v1/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        else:
            raise SystemExit("the server did not start")
        results = []
        for _ in range(args.runs):
            out = subprocess.run(
                [
                    sys.executable,
                    __file__,
                    "--drive",
                    base,
                    str(args.rate),
                    str(args.seconds),
                    str(args.warmup),
                ],
                input=json.dumps(tokens),
                capture_output=True,
                text=True,
                check=True,
            )
            results.append((json.loads(out.stdout), os.getloadavg()[0]))
    finally:
        server.terminate()
        server.wait(timeout=30)
    rows = []
    for run, (res, load_after) in enumerate(results, start=1):
        lat = [x * 1000 for x in res["latencies"]]
        achieved = res["total"] / res["wall"]
        rows.append(
            f"| {run} | {args.learners:,} | {args.skills:,} | {args.rate:.0f} | {achieved:.0f} | {len(lat):,} | "
            f"{percentile(lat, 50):.1f} | {percentile(lat, 99):.1f} | {max(lat):.1f} | {len(res['errors'])} | "
            f"{load_after:.1f} |"
        )
    text = "\n".join(
        [
            SECTION,
            "",
            f"Produced by `.venv/bin/python bench/bench_next_load.py{''.join(' ' + a for a in sys.argv[1:])}` on {time.strftime('%Y-%m-%d')}; Python "
            f"{platform.python_version()}, {os.cpu_count()} cores shared by the server, the load driver and "
            f"other work (load average {load:.1f} at start). SQLite database built with bulk inserts "
            f"({size_mb:.0f} MB: 30 practised skills per learner, mastery rows and FSRS memories, interests, "
            "classes of 25, a must-do skill for every tenth class); one `learnpath serve` process (uvicorn); "
            "the driver is another process, open loop (latency from each request's due time to the end of "
            f"its response), random signed-in learners asking for their own next steps; the first "
            f"{args.warmup:.0f} s of each run are not counted; {args.runs} runs of {args.seconds:.0f} s one after the "
            "other on the same server, to show how much the shared machine moves the tail. Target: p99 under "
            "25 ms at 100 requests per second.",
            "",
            "| run | learners | skills | target rps | achieved rps | requests counted | p50 ms | p99 ms | max ms | "
            "errors | load average after |",
            "|---|---|---|---|---|---|---|---|---|---|---|",
            *rows,
        ]
    )
    print(text)
    for res, _ in results:
        if res["errors"]:
            print("first errors:", res["errors"][:3])
    if not args.no_write:
        write_section(ROOT / "docs/benchmarks.md", text + "\n", SECTION)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--drive":
        _, _, base_url, rate_s, seconds_s, warm_s = sys.argv
        result = drive(
            base_url,
            [tuple(x) for x in json.loads(sys.stdin.read())],
            float(rate_s),
            float(seconds_s),
            float(warm_s),
        )
        print(json.dumps(result))
    else:
        main()
