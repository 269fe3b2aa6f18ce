"""A learner's whole portfolio as one zip: ``index.html`` (every piece of work with its reflection, links,
goals, skills and feedback; rendered by the adapter in the reader's language) and ``files/`` (the files).

The zip is written while it is sent (:func:`zip_chunks`): each file is read from the store in chunks and
passed on, so memory stays bounded by a chunk whatever the portfolio's size. Files are stored as they are
(images, audio and video are compressed already); the index is deflated.
"""

from __future__ import annotations

import io
import logging
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from learnpath.errors import NotFoundError
from learnpath.service.access import Actor, require_learner
from learnpath.service.context import ServiceContext
from learnpath.service.portfolio import WorkView, work_views
from learnpath.storage.files import FileStore
from learnpath.storage.tables import PortfolioItem

__all__ = ["PortfolioExport", "export_portfolio", "zip_chunks"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PortfolioExport:
    learner_id: int
    learner_name: str
    username: str
    made_at: datetime
    work: list[WorkView]
    """Oldest first, as a portfolio is read."""
    paths: dict[int, str]
    """Work id -> the path of its file inside the zip."""
    keys: dict[int, str]
    """Work id -> its storage key."""

    @property
    def filename(self) -> str:
        safe = re.sub(r"[^A-Za-z0-9_-]+", "-", self.username).strip("-") or str(self.learner_id)
        return f"portfolio-{safe}-{self.made_at:%Y-%m-%d}.zip"


def export_portfolio(ctx: ServiceContext, actor: Actor, learner_id: int) -> PortfolioExport:
    """What goes into the zip of a learner's portfolio (everyone who may see the learner may export it)."""
    with ctx.unit() as session:
        learner = require_learner(session, actor, learner_id)
        items = list(
            session.scalars(
                select(PortfolioItem)
                .where(PortfolioItem.learner_id == learner_id)
                .order_by(PortfolioItem.created_at, PortfolioItem.id)
            )
        )
        keys = {i.id: i.storage_key for i in items if i.kind == "file" and i.storage_key}
        work = work_views(session, items, actor.locale)
        return PortfolioExport(
            learner.id,
            learner.display_name,
            learner.username,
            ctx.clock(),
            work,
            {w.id: f"files/{w.id}.{w.extension}" for w in work if w.id in keys},
            keys,
        )


class _Pipe(io.RawIOBase):
    """A write-only, unseekable sink whose bytes are taken out as they come (zipfile then writes data
    descriptors instead of seeking back)."""

    def __init__(self) -> None:
        super().__init__()
        self._parts: list[bytes] = []

    def writable(self) -> bool:
        return True

    def write(self, b: bytes | bytearray | memoryview) -> int:  # type: ignore[override]
        self._parts.append(bytes(b))
        return len(b)

    def take(self) -> bytes:
        out = b"".join(self._parts)
        self._parts.clear()
        return out


def _info(name: str, when: datetime, compress: int) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=(max(when.year, 1980), *when.timetuple()[1:6]))
    info.compress_type = compress
    info.external_attr = 0o644 << 16
    return info


def zip_chunks(store: FileStore, export: PortfolioExport, index_html: str) -> Iterator[bytes]:
    """The zip, chunk by chunk: index.html first, then each file. A file missing from the store is left out
    (and logged); the index still lists its piece of work."""
    pipe = _Pipe()
    with zipfile.ZipFile(pipe, "w", allowZip64=True) as zf:  # type: ignore[arg-type]
        zf.writestr(_info("index.html", export.made_at, zipfile.ZIP_DEFLATED), index_html.encode("utf-8"))
        yield pipe.take()
        for work in export.work:
            key = export.keys.get(work.id)
            if key is None:
                continue
            try:
                chunks = store.chunks(key)
            except NotFoundError:
                log.warning("portfolio export: the file %s of work %s is missing", key, work.id)
                continue
            info = _info(export.paths[work.id], work.created_at, zipfile.ZIP_STORED)
            with zf.open(info, "w", force_zip64=True) as out:
                for chunk in chunks:
                    out.write(chunk)
                    yield pipe.take()
            yield pipe.take()
    yield pipe.take()
