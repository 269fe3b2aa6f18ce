"""Storage: the only package that imports SQLAlchemy."""

from learnpath.storage.db import make_engine, make_sessionmaker, transaction
from learnpath.storage.migrate import upgrade

__all__ = ["make_engine", "make_sessionmaker", "transaction", "upgrade"]
