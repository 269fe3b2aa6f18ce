"""What every use case needs: a session factory, a clock, a password hasher, the learner model."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from argon2 import PasswordHasher
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from learnpath.core.time import Clock
from learnpath.learner.base import LearnerModel
from learnpath.settings import Settings
from learnpath.storage.db import transaction
from learnpath.storage.files import FileStore, make_store
from learnpath.storage.tables import ModelVersion

__all__ = ["ServiceContext", "utc_now"]


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class ServiceContext:
    """Built once per app or CLI run and passed to every use case."""

    sessions: sessionmaker[Session]
    settings: Settings
    clock: Clock = utc_now
    hasher: PasswordHasher = field(default_factory=PasswordHasher)
    file_store: FileStore | None = None
    """Where portfolio files are kept; made from the settings on first use (tests may hand one in)."""
    _model_cache: dict[int | None, LearnerModel] = field(default_factory=dict, repr=False)

    def files(self) -> FileStore:
        """The portfolio's file store (disk under the data folder, or S3; see storage/files.py)."""
        if self.file_store is None:
            self.file_store = make_store(self.settings)
        return self.file_store

    @contextmanager
    def unit(self) -> Iterator[Session]:
        """One transaction: all of a use case's writes land together or not at all."""
        with transaction(self.sessions) as session:
            yield session

    def active_model(self, session: Session) -> tuple[int | None, LearnerModel]:
        """The active learner model version (id, model); the settings' default when none is stored."""
        row = session.scalars(select(ModelVersion).where(ModelVersion.active.is_(True))).first()
        key = row.id if row else None
        if key not in self._model_cache:
            from learnpath.learner.registry import build_model, model_from_dict  # every model: load on use

            params: dict[str, Any] | None = row.params if row else None
            self._model_cache[key] = model_from_dict(params) if params else build_model(self.settings.model)
        return key, self._model_cache[key]
