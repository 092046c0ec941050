"""Imports from the office's own files: reading a sheet (.xlsx or CSV in UTF-8, UTF-8 with
BOM or GB18030, told apart by content) and running its rows through the same services as
the command line, all in one transaction: every row is tried (a refused row undoes only
itself), then all rows are committed, or none.

No translation here: headers are matched against names the caller gives; problems are
TechdeptErrors with the row and column they belong to."""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import stat
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from techdept.errors import Invalid, LedgerUnavailable, NotFound, TechdeptError

MAX_BYTES = 20 * 1024 * 1024  # the file as stored
MAX_UNPACKED = 200 * 1024 * 1024  # an .xlsx unpacked (a zip bomb stops here)
MAX_ROWS = 100_000
XLSX_MAGIC = b"PK\x03\x04"


@dataclass(frozen=True)
class Sheet:
    """What a file holds: its header cells and its data rows (row number, cells as text)."""

    path: str
    format: str  # xlsx | csv-utf-8 | csv-utf-8-sig | csv-gb18030
    header: list[str]
    rows: list[tuple[int, list[str]]]


@dataclass(frozen=True)
class Problem:
    row: int
    column: str
    value: str
    error: TechdeptError


@dataclass
class Outcome:
    kind: str
    path: str
    format: str
    rows: int
    written: int = 0
    dry_run: bool = False
    problems: list[Problem] = field(default_factory=list)
    notes: dict[str, Any] = field(default_factory=dict)

    def to_dict(self, message: Callable[[TechdeptError], str]) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "file": self.path,
            "format": self.format,
            "rows": self.rows,
            "written": self.written,
            "dry_run": self.dry_run,
            "problems": [
                {"row": p.row, "column": p.column, "value": p.value, "message": message(p.error)}
                for p in self.problems
            ],
        } | self.notes


def _read_bytes(path: Path) -> bytes:
    """A regular file of at most MAX_BYTES (no device, FIFO or directory)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise NotFound("ImportFileNotFound", path=str(path)) from None
    except OSError as exc:
        raise Invalid("ImportFileUnreadable", path=str(path), reason=exc.strerror) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise Invalid("ImportNotAFile", path=str(path))
        if info.st_size > MAX_BYTES:
            raise Invalid("ImportTooLarge", path=str(path), mb=MAX_BYTES // (1024 * 1024))
        with os.fdopen(fd, "rb", closefd=False) as fh:
            data = fh.read(MAX_BYTES + 1)
    finally:
        os.close(fd)
    if len(data) > MAX_BYTES:
        raise Invalid("ImportTooLarge", path=str(path), mb=MAX_BYTES // (1024 * 1024))
    return data


def cell_text(value: Any) -> str:
    """A spreadsheet cell as the text a user would have typed."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        number = Decimal(repr(value))
        return format(number.normalize(), "f") if number == number.to_integral() else repr(value)
    return str(value).strip()


def _xlsx_rows(path: Path, data: bytes) -> Iterator[tuple[int, list[str]]]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            if sum(i.file_size for i in z.infolist()) > MAX_UNPACKED:
                raise Invalid("ImportTooLarge", path=str(path), mb=MAX_UNPACKED // (1024 * 1024))
    except zipfile.BadZipFile:
        raise Invalid("ImportNotASheet", path=str(path)) from None
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # a damaged or foreign zip
        raise Invalid("ImportNotASheet", path=str(path), reason=type(exc).__name__) from None
    try:
        ws = wb.worksheets[0]
        for n, values in enumerate(ws.iter_rows(values_only=True), 1):
            yield n, [cell_text(v) for v in values]
    finally:
        wb.close()


def decode(path: Path, data: bytes) -> tuple[str, str]:
    """(text, encoding): UTF-8 with BOM, UTF-8, else GB18030 (Excel on Chinese Windows)."""
    if data.startswith(b"\xef\xbb\xbf"):
        encodings = ("utf-8-sig",)
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings = ("utf-16",)
    else:
        encodings = ("utf-8", "gb18030")
    for encoding in encodings:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise Invalid("ImportEncoding", path=str(path))


def _csv_rows(text: str) -> Iterator[tuple[int, list[str]]]:
    sample = text[:4096]
    first = sample.splitlines()[0] if sample else ""
    delimiter = max((",", ";", "\t"), key=first.count) if first else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    line = 0
    for values in reader:
        start, line = line + 1, reader.line_num
        yield start, [v.strip() for v in values]


def read(path: str | Path) -> Sheet:
    """Read the first sheet of an .xlsx or a CSV file; the header is its first non-empty
    row."""
    file = Path(path)
    data = _read_bytes(file)
    if data.startswith(XLSX_MAGIC):
        rows: Iterable[tuple[int, list[str]]] = _xlsx_rows(file, data)
        fmt = "xlsx"
    else:
        if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
            raise Invalid("ImportNotASheet", path=str(file))
        text, encoding = decode(file, data)
        rows, fmt = _csv_rows(text), f"csv-{encoding}"
    body: list[tuple[int, list[str]]] = []
    for n, values in rows:
        if any(v for v in values):
            body.append((n, values))
        if len(body) > MAX_ROWS:
            raise Invalid("ImportTooManyRows", path=str(file), max=MAX_ROWS)
    if not body:
        raise Invalid("ImportEmpty", path=str(file))
    return Sheet(str(file), fmt, body[0][1], body)


HEADER_SEARCH = 12  # an exported workbook has its title and header lines above the table


def _norm(text: str) -> str:
    import unicodedata

    return "".join(unicodedata.normalize("NFKC", text).lower().split()).strip("*")


def match_header(
    sheet: Sheet, names: dict[str, Sequence[str]], required: Sequence[str]
) -> tuple[dict[str, int], list[str], list[tuple[int, list[str]]]]:
    """(column key → index, the header's cells, data rows). The header is the first of the
    sheet's first rows that names every required column; a key is known by itself and
    ``names``."""
    accepted = {_norm(n): key for key, options in names.items() for n in (key, *options)}
    at = 0
    for i, (_, cells) in enumerate(sheet.rows[:HEADER_SEARCH]):
        keys = {accepted.get(_norm(c)) for c in cells}
        if all(k in keys for k in required):
            at = i
            break
    header = sheet.rows[at][1]
    found: dict[str, int] = {}
    unknown: list[str] = []
    for i, cell in enumerate(header):
        key = accepted.get(_norm(cell))
        if key is None:
            if cell:
                unknown.append(cell)
            continue
        if key in found:
            raise Invalid("ImportColumnTwice", path=sheet.path, column=cell)
        found[key] = i
    missing = [k for k in required if k not in found]
    if missing or unknown:
        raise Invalid(
            "ImportHeaderUnknown",
            path=sheet.path,
            missing=", ".join(missing) or "—",
            unknown=", ".join(unknown) or "—",
            expected=", ".join(names),
        )
    return found, header, sheet.rows[at + 1 :]


def run_rows(
    ledger: Any,
    rows: Sequence[tuple[int, dict[str, str]]],
    apply: Callable[[dict[str, str]], Any],
    *,
    dry_run: bool,
    column_of: Callable[[TechdeptError, dict[str, str]], str],
    progress: Callable[[int], None] | None = None,
) -> tuple[int, list[Problem]]:
    """Apply every row in one batch transaction; commit only if all succeeded and this is
    not a dry run. Returns (rows applied, problems)."""
    problems: list[Problem] = []
    done = 0

    def commit() -> bool:
        return not dry_run and not problems

    with ledger.batch(commit=commit):
        for n, (line, row) in enumerate(rows, 1):
            try:
                apply(row)
                done += 1
            except LedgerUnavailable:
                raise
            except TechdeptError as exc:
                column = column_of(exc, row)
                problems.append(Problem(line, column, row.get(column, ""), exc))
            if progress is not None:
                progress(n)
    return (0 if dry_run or problems else done), problems
