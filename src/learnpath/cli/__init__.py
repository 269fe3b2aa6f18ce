"""The ``learnpath`` command line: each command is a few lines over the service layer."""

from learnpath.cli import content_import as _content_import  # noqa: F401  (import content, refine-difficulty)
from learnpath.cli import curriculum_import as _curriculum_import  # noqa: F401  (import case/progressions/qti)
from learnpath.cli import digest as _digest  # noqa: F401  (registers digest)
from learnpath.cli import evaluate as _evaluate  # noqa: F401  (registers evaluate)
from learnpath.cli import fit as _fit  # noqa: F401  (registers fit)
from learnpath.cli import imports as _imports  # noqa: F401  (the import group)
from learnpath.cli import next_steps as _next_steps  # noqa: F401  (registers next)
from learnpath.cli import paths as _paths  # noqa: F401  (registers path)
from learnpath.cli import server as _server  # noqa: F401  (registers demo, serve, init-db)
from learnpath.cli import simulate as _simulate  # noqa: F401  (registers simulate)
from learnpath.cli.app import app

__all__ = ["app", "main"]


def main() -> None:
    app()
