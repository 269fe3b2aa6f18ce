"""The dependency rule (docs/architecture.md, STYLE.md), enforced.

The pure packages import no I/O library (checked in a fresh interpreter, so nothing else the test run loaded
can hide it), never read the clock and never use global randomness (checked in their source, with file:line).
Only ``storage`` and ``service`` talk to SQLAlchemy; the adapters (api, web, cli) go through the service.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "learnpath"
PURE = [
    name
    for name in ("core", "learner", "recommend", "plans", "groups", "simulate", "orchestrate")
    if (SRC / name).is_dir()
]
ADAPTERS = [name for name in ("api", "web", "cli") if (SRC / name).is_dir()]
IO_LIBRARIES = [
    "sqlalchemy", "fastapi", "starlette", "httpx", "httpx2", "click", "typer", "uvicorn", "jinja2", "psycopg",
    "requests", "alembic",
]  # fmt: skip
# Parts of learnpath the pure packages must not reach into (they sit above them in the dependency rule).
IMPURE_LEARNPATH = ["api", "cli", "demo", "interop", "service", "settings", "storage", "web"]
CLOCK_CALLS = {
    "datetime.datetime.now", "datetime.datetime.utcnow", "datetime.datetime.today", "datetime.date.today",
    "time.time", "time.time_ns",
}  # fmt: skip
# numpy.random names that carry no global state: seeded generators and their types.
NP_RANDOM_ALLOWED = {
    "default_rng", "Generator", "BitGenerator", "SeedSequence", "PCG64", "PCG64DXSM", "Philox", "SFC64",
    "MT19937",
}  # fmt: skip

PROBE = """
import importlib, json, pkgutil, sys
forbidden = set(sys.argv[1].split(","))
report = {}
for arg in sys.argv[2:]:
    name = arg.removesuffix(".*")
    module = importlib.import_module(name)
    if arg.endswith(".*"):  # every module of the package, not only what its __init__ loads (some load lazily)
        for info in pkgutil.walk_packages(module.__path__, name + "."):
            importlib.import_module(info.name)
    report[arg] = sorted(m for m in sys.modules if m.split(".")[0] in forbidden)
print(json.dumps(report))
"""


def test_there_are_pure_packages_to_check() -> None:
    assert {"core", "learner", "recommend"} <= set(PURE)
    assert {"api", "web", "cli"} <= set(ADAPTERS)


def test_pure_packages_load_no_io_library() -> None:
    modules = ["learnpath", *(f"learnpath.{name}.*" for name in PURE)]
    out = subprocess.run(
        [sys.executable, "-c", PROBE, ",".join(IO_LIBRARIES), *modules],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert out.returncode == 0, out.stderr
    loaded: dict[str, list[str]] = json.loads(out.stdout.strip().splitlines()[-1])
    assert list(loaded) == modules
    bad = {name: mods for name, mods in loaded.items() if mods}
    assert not bad, f"importing these loaded I/O libraries (module: libraries): {bad}"


def test_the_probe_notices_an_io_library() -> None:
    out = subprocess.run(
        [sys.executable, "-c", PROBE, "sqlalchemy", "learnpath.storage"],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert "sqlalchemy" in json.loads(out.stdout.strip().splitlines()[-1])["learnpath.storage"]


# --- source scan ---------------------------------------------------------------------------------------------


def _dotted(node: ast.expr) -> str | None:
    """``a.b.c`` for a Name/Attribute chain, else None."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    return None


def _imports(tree: ast.AST) -> Iterator[tuple[int, str]]:
    """(line, module) for every import, with ``from a import b`` giving ``a.b``."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                yield node.lineno, f"{node.module}.{alias.name}"


def _is_under(module: str, roots: list[str]) -> bool:
    return any(module == root or module.startswith(root + ".") for root in roots)


def _aliases(tree: ast.AST) -> dict[str, str]:
    """Local name -> what it names: ``import numpy as np`` gives np -> numpy, ``from time import time as t``
    gives t -> time.time."""
    names: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    names[alias.asname] = alias.name
                else:
                    head = alias.name.split(".")[0]
                    names[head] = head
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                names[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    return names


def _resolve(name: str, aliases: dict[str, str]) -> str:
    head, _, rest = name.partition(".")
    full = aliases.get(head, head)
    return f"{full}.{rest}" if rest else full


def impurities(source: str, where: str) -> list[str]:
    """Clock reads, global randomness and forbidden imports in one module's source, as ``where:line: what``."""
    tree = ast.parse(source, filename=where)
    aliases = _aliases(tree)
    found: list[str] = []
    impure = [f"learnpath.{name}" for name in IMPURE_LEARNPATH]
    for line, module in _imports(tree):
        if _is_under(module, ["random", *IO_LIBRARIES, *impure]):
            found.append(f"{where}:{line}: imports {module}")
        elif module.startswith("numpy.random.") and module.rsplit(".", 1)[1] not in NP_RANDOM_ALLOWED:
            found.append(f"{where}:{line}: imports {module} (global randomness)")
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and (name := _dotted(node.func))
            and _resolve(name, aliases) in CLOCK_CALLS
        ):
            found.append(f"{where}:{node.lineno}: calls {name}() (reads the clock; take a time or a Clock)")
        if isinstance(node, ast.Attribute) and (name := _dotted(node)):
            head, _, attr = _resolve(name, aliases).rpartition(".")
            if head == "numpy.random" and attr not in NP_RANDOM_ALLOWED:
                found.append(f"{where}:{node.lineno}: uses {name} (global randomness; take an rng)")
    return found


def _scan(package: str, check: Callable[[str, str], list[str]]) -> list[str]:
    return [
        problem
        for path in sorted((SRC / package).rglob("*.py"))
        for problem in check(path.read_text(encoding="utf-8"), str(path.relative_to(SRC.parent)))
    ]


def sqlalchemy_imports(source: str, where: str) -> list[str]:
    tree = ast.parse(source, filename=where)
    return [f"{where}:{line}: imports {m}" for line, m in _imports(tree) if _is_under(m, ["sqlalchemy"])]


@pytest.mark.parametrize("package", PURE)
def test_pure_package_reads_no_clock_and_uses_no_global_randomness(package: str) -> None:
    found = _scan(package, impurities)
    assert not found, "\n".join(found)


@pytest.mark.parametrize("package", ADAPTERS)
def test_adapters_reach_the_database_only_through_the_service(package: str) -> None:
    found = _scan(package, sqlalchemy_imports)
    assert not found, "adapters must call the service, not SQLAlchemy:\n" + "\n".join(found)


BAD_SOURCE = """
import random
from datetime import datetime, date
import numpy as np
from numpy.random import rand
from sqlalchemy import select
from learnpath.storage.db import make_engine
import time as t
from time import time as now_s

def f(rng: np.random.Generator) -> None:
    datetime.now()
    date.today()
    t.time()
    now_s()
    np.random.seed(1)
    np.random.default_rng(3)
    rng.random()
    self_clock.now()
"""


def test_the_scan_finds_each_kind_of_impurity() -> None:
    found = impurities(BAD_SOURCE, "probe.py")
    expected = [
        "probe.py:2: imports random",
        "probe.py:5: imports numpy.random.rand (global randomness)",
        "probe.py:6: imports sqlalchemy.select",
        "probe.py:7: imports learnpath.storage.db.make_engine",
        "probe.py:12: calls datetime.now() (reads the clock; take a time or a Clock)",
        "probe.py:13: calls date.today() (reads the clock; take a time or a Clock)",
        "probe.py:14: calls t.time() (reads the clock; take a time or a Clock)",
        "probe.py:15: calls now_s() (reads the clock; take a time or a Clock)",
        "probe.py:16: uses np.random.seed (global randomness; take an rng)",
    ]
    assert sorted(found) == sorted(expected)


def test_the_sqlalchemy_scan_finds_direct_imports() -> None:
    source = "import sqlalchemy as sa\nfrom sqlalchemy.orm import Session\nfrom learnpath.service import x\n"
    assert sqlalchemy_imports(source, "m.py") == [
        "m.py:1: imports sqlalchemy",
        "m.py:2: imports sqlalchemy.orm.Session",
    ]
