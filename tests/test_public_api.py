"""The public surface is exactly ``__all__``, sorted, and every name resolves."""

from __future__ import annotations

import types

import learnpath

NOT_PUBLIC = {"annotations", "TYPE_CHECKING", "Any"}


def test_all_is_sorted_unique_and_resolves() -> None:
    assert learnpath.__all__ == sorted(set(learnpath.__all__))
    for name in learnpath.__all__:
        assert getattr(learnpath, name) is not None


def test_public_names_are_exactly_all() -> None:
    lazy = set(learnpath._LAZY)  # loaded on first use (and then kept in the module's namespace)
    public = {
        n for n, v in vars(learnpath).items() if not n.startswith("_") and not isinstance(v, types.ModuleType)
    } - NOT_PUBLIC
    assert lazy <= set(learnpath.__all__)
    assert public - lazy == set(learnpath.__all__) - lazy - {"__version__"}
    assert set(dir(learnpath)) >= set(learnpath.__all__)


def test_create_app_is_lazy() -> None:
    assert callable(learnpath.create_app)
