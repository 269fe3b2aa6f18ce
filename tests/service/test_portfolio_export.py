"""The zip export is written as it is sent: memory stays bounded by a chunk, not by the portfolio's size."""

from __future__ import annotations

import tracemalloc
import zipfile
from datetime import UTC, datetime
from pathlib import Path

from learnpath.service.portfolio import WorkView
from learnpath.service.portfolio_export import PortfolioExport, zip_chunks
from learnpath.storage.files import DiskStore

MB = 1024 * 1024


def _work(i: int) -> WorkView:
    at = datetime(2026, 9, 1, tzinfo=UTC)
    return WorkView(i, 1, "file", f"w{i}", "", "", "", "video/mp4", 6 * MB, "", None, at, [], [])


def test_export_memory_is_bounded_by_a_chunk(tmp_path: Path) -> None:
    store = DiskStore(tmp_path / "store")
    for i in range(4):  # 24 MB of files
        src = tmp_path / f"{i}.part"
        src.write_bytes(bytes([i]) * (6 * MB))
        store.put(f"1/{i}.mp4", src, "video/mp4")
    work = [_work(i) for i in range(4)]
    export = PortfolioExport(
        1,
        "L",
        "l",
        datetime(2026, 9, 2, tzinfo=UTC),
        work,
        {w.id: f"files/{w.id}.mp4" for w in work},
        {w.id: f"1/{w.id}.mp4" for w in work},
    )
    total = 0
    sink = tmp_path / "out.zip"
    tracemalloc.start()
    try:
        with sink.open("wb") as out:
            for chunk in zip_chunks(store, export, "<html></html>"):
                total += len(chunk)
                out.write(chunk)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert total > 24 * MB
    assert peak < 3 * MB, f"peak {peak / MB:.1f} MB while zipping 24 MB"
    with zipfile.ZipFile(sink) as zf:
        assert zf.testzip() is None
        assert zf.read("files/2.mp4") == bytes([2]) * (6 * MB)
