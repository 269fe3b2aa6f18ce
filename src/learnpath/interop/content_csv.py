"""Reading content in bulk from CSV (format: docs/content.md). Parsing only; the service validates and stores.

One row per piece of content, a header row naming the columns (any order; unknown columns are an error).
Every problem is reported as a :class:`RowProblem` with the CSV line number and the column.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from learnpath.core.content import FIELDS, ContentProblem
from learnpath.errors import ValidationError

__all__ = ["COLUMNS", "REQUIRED", "CsvRow", "RowProblem", "read_content_csv"]

COLUMNS: tuple[str, ...] = FIELDS
REQUIRED: tuple[str, ...] = ("code", "kind", "title", "minutes", "grade_band", "skills")
MAX_ROWS = 5000


@dataclass(frozen=True)
class RowProblem(ContentProblem):
    """A problem in one CSV row: ``line`` (1 is the header) and ``column``."""

    line: int = 0
    column: str = ""

    def to_dict(self) -> dict[str, str]:
        return {"field": self.field, "message": self.message, "line": str(self.line), "column": self.column}


def row_problem(
    line: int, column: str, message: str, code: str = "", params: tuple[tuple[str, str], ...] = ()
) -> RowProblem:
    return RowProblem(f"line {line}, {column}", message, code, params, line, column)


@dataclass(frozen=True)
class CsvRow:
    line: int
    """The line the row starts on (the header is line 1)."""
    fields: dict[str, str]


def read_content_csv(text: str, source: str = "content.csv") -> list[CsvRow]:
    """The rows of a content CSV; a bad header, a ragged row or a missing required column raises."""
    text = text.removeprefix("\ufeff")
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(
            text.split("\n", 1)[0], delimiters=",;\t"
        )
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    problems: list[RowProblem] = []
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        raise ValidationError(
            f"{source} is empty", [row_problem(1, "header", "the file is empty", "csv_empty")]
        ) from None
    except csv.Error as exc:
        raise ValidationError(f"{source}: {exc}", [row_problem(1, "header", str(exc), "csv")]) from None
    for name in header:
        if name not in COLUMNS:
            problems.append(
                row_problem(1, name or "?", f"unknown column {name!r}", "csv_column", (("name", name),))
            )
    if len(set(header)) != len(header):
        problems.append(row_problem(1, "header", "a column is named twice", "csv_twice"))
    for name in REQUIRED:
        if name not in header:
            problems.append(
                row_problem(
                    1, name, f"the required column {name!r} is missing", "csv_missing", (("name", name),)
                )
            )
    if problems:
        raise ValidationError(f"{source}: the header row is not valid", list(problems))
    rows: list[CsvRow] = []
    start = reader.line_num + 1
    try:
        for values in reader:
            line = start
            start = reader.line_num + 1
            if not any(v.strip() for v in values):
                continue
            if len(values) != len(header):
                problems.append(
                    row_problem(
                        line,
                        "row",
                        f"has {len(values)} cells, the header has {len(header)}",
                        "csv_cells",
                        (("got", str(len(values))), ("want", str(len(header)))),
                    )
                )
                continue
            rows.append(CsvRow(line, dict(zip(header, values, strict=True))))
            if len(rows) > MAX_ROWS:
                raise ValidationError.for_field("file", f"at most {MAX_ROWS} rows per file")
    except csv.Error as exc:
        problems.append(row_problem(start, "row", str(exc), "csv"))
    if problems:
        raise ValidationError(
            f"{source}: {len(problems)} rows are not valid; nothing was imported", list(problems)
        )
    return rows
