"""The class dashboard: how many queries and how long for a class of 150 learners?

Run from the repository root (not a test; about a minute)::

    .venv/bin/python bench/bench_dashboard.py              # writes docs/benchmarks.md "## Class dashboard"
    .venv/bin/python bench/bench_dashboard.py --no-write   # prints only

A class of 150 learners on SQLite, over two skill sets: the demo's skills and items, and a layered graph of
1,000 skills (10 grades, two prerequisites each, three items each). Each learner has ``--answers`` answers
spread over the last 8 weeks on skills of their grade band, with their mastery and daily mastery history
(written directly: the bench measures reading the dashboard, not recording answers). Measured as teacher:
``service.dashboard.class_dashboard`` unfiltered and filtered by a skill (SQL statements counted, median
and max wall time of 5 runs), the CSV export of the heatmap, and the whole page through the app
(``GET /classes/{id}/dashboard``, HTML rendered).
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
from _report import BENCHMARKS, write_section  # bench/_report.py (the script folder is on sys.path)
from sqlalchemy import event, select

from learnpath.core.items import Item
from learnpath.service import dashboard
from learnpath.service.access import Actor
from learnpath.service.content import SkillSpec, add_items, add_skills
from learnpath.service.context import ServiceContext
from learnpath.service.dashboard import DashboardFilters
from learnpath.service.roster import add_class, add_school, add_user, enrol
from learnpath.settings import Settings
from learnpath.storage import make_engine, make_sessionmaker, upgrade
from learnpath.storage.tables import AttemptRow, ItemRow, ItemSkill, MasteryHistory, MasteryRow, SkillRow
from learnpath.testing.school import fast_hasher

SECTION = "## Class dashboard"
N_LEARNERS = 150
NOW = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)


def layered_skills(
    n: int, rng: np.random.Generator
) -> tuple[list[SkillSpec], list[tuple[str, str]], list[Item]]:
    per = n // 10
    specs, edges, items = [], [], []
    for g in range(10):
        for k in range(per):
            code = f"L{g}.{k:03d}"
            specs.append(SkillSpec(code, f"Skill {code}", f"Habilidad {code}", grade=g))
            if g:
                for p in rng.choice(per, size=2, replace=False):
                    edges.append((f"L{g - 1}.{int(p):03d}", code))
            for i in range(3):
                items.append(
                    Item(f"{code}-{i}", "numeric", f"{code}: what is {i} + 1?", (code,), answer=str(i + 1))
                )
    return specs, edges, items


def demo_skills() -> tuple[list[SkillSpec], list[tuple[str, str]], list[Item]]:
    from learnpath.demo.content import PREREQUISITES, SKILLS, build_items

    specs = [SkillSpec(k.code, k.name, k.name_es, k.description, k.grade, k.domain) for k in SKILLS]
    return specs, list(PREREQUISITES), build_items()


def build(ctx: ServiceContext, skill_set: str, answers: int, seed: int) -> tuple[Actor, int, str]:
    rng = np.random.default_rng(seed)
    specs, edges, items = demo_skills() if skill_set == "demo" else layered_skills(1000, rng)
    with ctx.unit() as s:
        school = add_school(s, "Bench school")
        add_skills(s, "bench", "Bench skills", specs, edges)
        add_items(s, items)
        digest = ctx.hasher.hash("bench-pass")
        teacher = add_user(s, ctx, school.id, "teacher", "Teacher", "teacher", password_hash=digest)
        learners = [
            add_user(s, ctx, school.id, f"l{n}", f"Learner {n:03d}", "learner", password_hash="x").id
            for n in range(N_LEARNERS)
        ]
        klass = add_class(s, school.id, "Big class", 4)
        enrol(s, klass.id, learners, [teacher.id])
        skill_ids = [
            sid for (sid,) in s.execute(select(SkillRow.id).order_by(SkillRow.position, SkillRow.id))
        ]
        by_skill: dict[int, list[int]] = {}
        for iid, sid in s.execute(select(ItemSkill.item_id, ItemSkill.skill_id)):
            by_skill.setdefault(sid, []).append(iid)
        practised = [sid for sid in skill_ids if sid in by_skill]
        attempts, mastery, history = [], [], []
        for lid in learners:
            # each learner works on a band of 40 neighbouring skills (their grade's), as a class does
            start = int(rng.integers(0, max(1, len(practised) - 40)))
            band = practised[start : start + 40]
            p: dict[int, float] = {}
            n_at: dict[int, int] = {}
            for k in range(answers):
                at = (
                    NOW
                    - timedelta(days=56)
                    + timedelta(days=56 * k / answers, minutes=float(rng.uniform(0, 600)))
                )
                sid = int(rng.choice(band))
                correct = bool(rng.random() < 0.7)
                iid = int(rng.choice(by_skill[sid]))
                attempts.append(
                    AttemptRow(
                        learner_id=lid, item_id=iid, response="1" if correct else str(int(rng.integers(0, 9))),
                        correct=correct, score=float(correct), duration_ms=int(rng.lognormal(10, 0.4)),
                        hints_used=int(rng.random() < 0.2), created_at=at,
                    )
                )  # fmt: skip
                p[sid] = min(0.999, max(0.01, p.get(sid, 0.3) + (0.12 if correct else -0.15)))
                n_at[sid] = n_at.get(sid, 0) + 1
                history.append((lid, sid, at.date(), p[sid], n_at[sid]))
            for sid, value in p.items():
                mastery.append(
                    MasteryRow(
                        learner_id=lid, skill_id=sid, p_mastery=value, low=value / 2, high=min(1, value * 1.2),
                        n_attempts=n_at[sid], n_correct=n_at[sid] // 2, recent_wrong=0, last_attempt_at=NOW,
                    )
                )  # fmt: skip
        s.add_all(attempts)
        s.add_all(mastery)
        last = {(lid, sid, day): (v, n) for lid, sid, day, v, n in history}
        s.add_all(
            MasteryHistory(learner_id=lid, skill_id=sid, day=day, p_mastery=v, n_attempts=n)
            for (lid, sid, day), (v, n) in last.items()
        )
        code = s.scalar(select(SkillRow.code).where(SkillRow.id == practised[len(practised) // 2]))
        assert code is not None
        n_items = s.query(ItemRow).count()
    print(
        f"{skill_set}: {len(skill_ids)} skills, {n_items} items, {len(attempts)} answers, {len(last)} history rows"
    )
    return Actor(teacher.id, "teacher", school.id, "teacher", "Teacher"), klass.id, code


def timed(fn: Any, runs: int = 5) -> tuple[float, float]:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), max(times)


def run(skill_set: str, answers: int, seed: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(database_url=f"sqlite:///{tmp}/bench.db", data_dir=tmp, _env_file=None)  # type: ignore[call-arg]
        engine = make_engine(settings.database_url)
        upgrade(engine)
        ctx = ServiceContext(make_sessionmaker(engine), settings, clock=lambda: NOW, hasher=fast_hasher())
        actor, class_id, code = build(ctx, skill_set, answers, seed)
        statements: list[str] = []
        event.listen(engine, "before_cursor_execute", lambda *a: statements.append(str(a[2])))
        d = dashboard.class_dashboard(ctx, actor, class_id)
        n_queries = len(statements)
        full = timed(lambda: dashboard.class_dashboard(ctx, actor, class_id))
        skill = timed(lambda: dashboard.class_dashboard(ctx, actor, class_id, DashboardFilters(skill=code)))
        csv_t = timed(lambda: dashboard.dashboard_csv(ctx, actor, class_id, "heatmap"))
        page = page_time(settings, ctx, actor, class_id)
        engine.dispose()
    return {
        "set": skill_set,
        "skills": len(d.skill_options),
        "shown": len(d.skills),
        "alerts": len(d.alerts),
        "queries": n_queries,
        "full": full,
        "skill": skill,
        "csv": csv_t,
        "page": page,
    }


def page_time(settings: Settings, ctx: ServiceContext, actor: Actor, class_id: int) -> tuple[float, float]:
    from fastapi.testclient import TestClient

    from learnpath.api.app import create_app
    from learnpath.service.accounts import login

    app = create_app(settings, ctx)
    client = TestClient(app)
    client.cookies.set("lp_session", login(ctx, actor.username, "bench-pass", "bench", "web").token)
    assert client.get(f"/classes/{class_id}/dashboard").status_code == 200
    return timed(lambda: client.get(f"/classes/{class_id}/dashboard"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--answers", type=int, nargs="+", default=[50, 200], help="answers per learner (default: 50 and 200)"
    )
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--no-write", action="store_true", help="print only; leave docs/benchmarks.md alone")
    args = parser.parse_args()
    results = [run(s, n, args.seed) | {"answers": n} for n in args.answers for s in ("demo", "layered")]
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    lines = [
        SECTION,
        "",
        f"Produced by `.venv/bin/python bench/bench_dashboard.py` on {datetime.now(UTC):%Y-%m-%d}; "
        f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, load average "
        f"{load:.1f} at the end; SQLite. A class of {N_LEARNERS} learners, each with the given answers over "
        "8 weeks on a band of 40 skills (50: about one a school day; 200: a heavy class), with mastery and daily history rows. Times are median / max of 5 "
        "runs as the teacher; the machine is shared, so they are indicative. The query count does not grow "
        "with the class (tests/service/test_dashboard.py checks it).",
        "",
        "| answers per learner | skills | SQL statements | dashboard s | filtered by a skill s | heatmap CSV s | whole page (HTTP, HTML) s | columns shown | alerts |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        name = "demo" if r["set"] == "demo" else "layered graph"
        lines.append(
            f"| {r['answers']} | {r['skills']} ({name}) | {r['queries']} | {r['full'][0]:.3f} / {r['full'][1]:.3f} | "
            f"{r['skill'][0]:.3f} / {r['skill'][1]:.3f} | {r['csv'][0]:.3f} / {r['csv'][1]:.3f} | "
            f"{r['page'][0]:.3f} / {r['page'][1]:.3f} | {r['shown']} | {r['alerts']} |"
        )
    text = "\n".join(lines) + "\n"
    print(text)
    if not args.no_write:
        write_section(BENCHMARKS, text, SECTION)
        print(f"written to {BENCHMARKS}", file=sys.stderr)


if __name__ == "__main__":
    main()
