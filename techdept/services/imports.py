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
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from techdept.errors import Invalid, LedgerUnavailable, NotFound, TechdeptError

MIB = 1024 * 1024
MAX_BYTES = 10 * MIB  # the file as stored (issue 11's limit for every imported file)
MAX_UNPACKED = 200 * MIB  # an .xlsx unpacked (a zip bomb stops here)
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


def _mib(limit: int) -> str:
    return f"{limit // MIB} MiB"


def _read_bytes(path: Path) -> bytes:
    """A regular file of at most MAX_BYTES (no device, FIFO or directory), read by the same
    reader as every file a user names (techdept.files)."""
    from techdept.files import FileRefused, read_regular

    try:
        return read_regular(path, MAX_BYTES)
    except FileRefused as exc:
        if exc.kind == "not-regular":
            raise Invalid("ImportNotRegular", path=str(path)) from None
        raise Invalid("ImportTooLarge", path=str(path), limit=_mib(MAX_BYTES)) from None
    except FileNotFoundError:
        raise NotFound("ImportFileNotFound", path=str(path)) from None
    except OSError as exc:
        raise Invalid("ImportFileUnreadable", path=str(path), reason=exc.strerror) from None


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
                raise Invalid("ImportUnpackedTooLarge", path=str(path), limit=_mib(MAX_UNPACKED))
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


def _csv_rows(path: Path, text: str) -> Iterator[tuple[int, list[str]]]:
    """The records of a CSV text, each numbered by the line it starts on. A record the csv
    module cannot read (a field beyond its size limit, say) is one clear refusal."""
    sample = text[:4096]
    first = sample.splitlines()[0] if sample else ""
    delimiter = max((",", ";", "\t"), key=first.count) if first else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    line = 0
    try:
        for values in reader:
            start, line = line + 1, reader.line_num
            yield start, [v.strip() for v in values]
    except csv.Error as exc:
        raise Invalid("ImportCsvBroken", path=str(path), line=line + 1, reason=str(exc)) from None


def _binary(data: bytes) -> bool:
    """A file that is no text at all: NUL bytes near its start, and either not UTF-8 or
    already in the first line, where the header belongs (UTF-16 has NULs and is text). A
    UTF-8 CSV whose header is clean and whose cell holds a NUL is text: its rows are read and
    the cell is refused by the column's own rule, with the command line's message."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" not in data[:4096]:
        return False
    if b"\x00" in data.split(b"\n", 1)[0]:
        return True
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return True
    return False


def read(path: str | Path) -> Sheet:
    """Read the first sheet of an .xlsx or a CSV file; the header is its first non-empty
    row."""
    file = Path(path)
    data = _read_bytes(file)
    if data.startswith(XLSX_MAGIC):
        rows: Iterable[tuple[int, list[str]]] = _xlsx_rows(file, data)
        fmt = "xlsx"
    else:
        if _binary(data):
            raise Invalid("ImportNotASheet", path=str(file))
        text, encoding = decode(file, data)
        rows, fmt = _csv_rows(file, text), f"csv-{encoding}"
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
