"""The ``learnpath`` command line: each command is a few lines over the service layer."""

from learnpath.cli import evaluate as _evaluate  # noqa: F401  (registers evaluate)
from learnpath.cli import imports as _imports  # noqa: F401  (the import group)
from learnpath.cli import server as _server  # noqa: F401  (registers demo, serve, init-db)
from learnpath.cli.app import app

__all__ = ["app", "main"]


def main() -> None:
    app()
