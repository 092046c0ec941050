"""Excel workbooks (.xlsx) from tables that commands have already put into words.

One writer for every ``--xlsx FILE``: money as numbers with ``¥#,##0.00``, dates as dates,
a frozen header, column widths that fit Chinese text, a totals row where the table has one,
the policy id and the audit head above the table (and in the printed page header), and text
cells that can never become formulas. openpyxl is imported here only, when a workbook is
written. ``company`` (``techdept config set company``) is put before every sheet's title, as
on the paper sheets; a template, which has no title row, gets one only then.

Values by column kind: ``money`` takes an ``int`` of fen or an exact yuan ``str``/``Decimal``
(``"5808.00"``); ``date`` a ``date`` or an ISO string; ``int``/``number`` an int, Decimal or
numeric string; ``text`` anything (written as text). ``None`` leaves the cell empty.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import tempfile
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Literal

from techdept.errors import Invalid, Refused

MONEY_FORMAT = "¥#,##0.00"
DATE_FORMAT = "yyyy-mm-dd"
# A text cell starting with one of these is a formula (or the start of one) to Excel, WPS
# and LibreOffice when typed or pasted: it is stored as text with Excel's quote prefix.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\]")
MAX_WIDTH = 60

Kind = Literal["text", "money", "date", "int", "number"]


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    kind: Kind = "text"
    total: bool = False  # summed in the totals row
    choices: tuple[str, ...] = ()  # a data-validation list (import templates)


@dataclass(frozen=True)
class Chart:
    """A native bar chart of one column of a section, labelled by another."""

    title: str
    label_key: str
    value_key: str
    y_title: str = ""


@dataclass(frozen=True)
class Section:
    columns: Sequence[Column]
    rows: Iterable[Mapping[str, Any]]
    title: str | None = None
    total_label: str | None = None  # a totals row under the table when given
    charts: Sequence[Chart] = ()


@dataclass(frozen=True)
class Sheet:
    name: str
    title: str
    sections: Sequence[Section]
    meta: Sequence[tuple[str, str]] = field(default_factory=tuple)


def display_width(text: str) -> int:
    """Columns a text takes on screen: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _yuan(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise TypeError("money cannot be a bool")
    if isinstance(value, int):
        return Decimal(value).scaleb(-2)
    try:
        return Decimal(str(value))
    except InvalidOperation:
        raise TypeError(f"not an exact amount: {value!r}") from None


def _number(value: Any) -> int | Decimal | None:
    if value is None or value == "":
        return None
    if isinstance(value, int | Decimal):
        return value
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None
    return int(number) if number == number.to_integral_value() else number


def _date(value: Any) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def safe_text(value: Any) -> str:
    """Text as a cell may hold it: XML-illegal control characters removed."""
    return _ILLEGAL.sub("", str(value))


def _put_text(cell: Any, value: Any) -> str:
    text = safe_text(value)
    cell.value = text
    cell.data_type = "s"  # never a formula, whatever it starts with
    if text.startswith(FORMULA_STARTS):
        cell.quotePrefix = True
    return text


def _shown(kind: str, value: Any) -> str:
    """The text a cell shows, to size its column."""
    if value is None:
        return ""
    if kind == "money":
        return f"¥{value:,.2f}"
    if kind == "date":
        return "2026-01-01"
    return str(value)


def title_line(sheet: Sheet, company: str | None) -> str:
    """The sheet's title row: the company's name before the sheet's title when one is set
    (nothing in its place when not); a sheet without a title (an import template, its header
    first) gets one only then: the company's name and the template's."""
    if not company:
        return sheet.title
    from techdept.i18n import t

    title = sheet.title or t("xlsx.template_title", kind=sheet.name)
    return t("sheet.company_title", company=company, title=title)


def sheet_name(text: str, taken: set[str]) -> str:
    """A valid, unique sheet name (31 characters, none of []:*?/\\)."""
    base = _SHEET_NAME_BAD.sub("_", text).strip("'") or "Sheet"
    base = base[:31]
    name, n = base, 2
    while name.lower() in taken:
        suffix = f" ({n})"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(name.lower())
    return name


def check_target(path: Path, force: bool) -> None:
    """Refuse a name that is not .xlsx, a directory, or an existing file without --force."""
    if path.suffix.lower() != ".xlsx":
        raise Invalid("XlsxSuffix", path=str(path))
    if path.is_dir():
        raise Refused("XlsxIsDirectory", path=str(path))
    if path.exists() and not force:
        raise Refused("XlsxExists", path=str(path))
    if not path.parent.exists():
        raise Refused("XlsxNoFolder", path=str(path.parent))


def _put_value(cell: Any, column: Column, raw: Any) -> Any:
    """Write one value as its column's kind says; returns the value as written."""
    if column.kind == "money":
        value: Any = _yuan(raw)
        cell.value = value
        cell.number_format = MONEY_FORMAT
    elif column.kind == "date":
        value = _date(raw)
        cell.value = value
        cell.number_format = DATE_FORMAT
    elif column.kind in ("int", "number"):
        value = _number(raw)
        if value is None and raw not in (None, ""):
            value = _put_text(cell, raw)  # "—" and the like stay as written
        else:
            cell.value = value
    else:
        value = None if raw is None else _put_text(cell, raw)
    return value


def _write_header(ws: Any, row: int, section: Section, widths: dict[int, int]) -> int:
    """The section's title (if any) and its header row; returns the header row."""
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    if section.title:
        ws.cell(row, 1, safe_text(section.title)).font = Font(bold=True, size=12)
        widths[1] = max(widths.get(1, 0), 0)
        row += 1
    for i, column in enumerate(section.columns, 1):
        cell = ws.cell(row, i)
        _put_text(cell, column.label)
        cell.font, cell.fill = bold, fill
        cell.border = Border(bottom=Side(style="thin", color="808080"))
        cell.alignment = Alignment(vertical="center", wrap_text=False)
        widths[i] = max(widths.get(i, 0), display_width(column.label))
    return row


def _write_totals(
    ws: Any, row: int, section: Section, totals: dict[str, Any], widths: dict[int, int]
) -> None:
    from openpyxl.styles import Border, Font, Side

    bold = Font(bold=True)
    label = ws.cell(row, 1)
    _put_text(label, section.total_label)
    label.font = bold
    for i, column in enumerate(section.columns, 1):
        if column.total:
            cell = ws.cell(row, i, totals[column.key])
            cell.font = bold
            cell.border = Border(top=Side(style="thin", color="808080"))
            if column.kind == "money":
                cell.number_format = MONEY_FORMAT
            widths[i] = max(widths[i], display_width(_shown(column.kind, totals[column.key])))


def _write_section(ws: Any, row: int, section: Section, widths: dict[int, int]) -> tuple[int, int]:
    """Write one table from ``row``; returns (header row, next free row)."""
    from openpyxl.utils import get_column_letter

    header_row = row = _write_header(ws, row, section, widths)
    totals: dict[str, Any] = {c.key: 0 for c in section.columns if c.total}
    first_data = row + 1
    for values in section.rows:
        row += 1
        for i, column in enumerate(section.columns, 1):
            value = _put_value(ws.cell(row, i), column, values.get(column.key))
            if column.total and isinstance(value, int | Decimal):
                totals[column.key] += value
            widths[i] = max(widths.get(i, 0), display_width(_shown(column.kind, value)))
    last_data = row
    if section.total_label is not None:
        row += 1
        _write_totals(ws, row, section, totals, widths)
    for chart in section.charts:
        _chart(ws, section, chart, header_row, first_data, last_data)
    if last_data >= first_data:
        last_col = get_column_letter(len(section.columns))
        ws.auto_filter.ref = ws.auto_filter.ref or f"A{header_row}:{last_col}{last_data}"
    return header_row, row + 2


def _chart(ws: Any, section: Section, chart: Chart, header: int, first: int, last: int) -> None:
    from openpyxl.chart import BarChart, Reference
    from openpyxl.utils import get_column_letter

    if last < first:
        return
    keys = [c.key for c in section.columns]
    label_col, value_col = keys.index(chart.label_key) + 1, keys.index(chart.value_key) + 1
    bar = BarChart()
    bar.type = "bar" if last - first >= 6 else "col"
    bar.title = chart.title
    bar.y_axis.title = chart.y_title or None
    bar.legend = None
    bar.add_data(
        Reference(ws, min_col=value_col, min_row=header, max_row=last), titles_from_data=True
    )
    bar.set_categories(Reference(ws, min_col=label_col, min_row=first, max_row=last))
    bar.height = max(7.5, 0.6 * (last - first + 1) + 3)
    bar.width = 16
    anchor_col = get_column_letter(len(section.columns) + 2)
    existing = len(ws._charts)
    ws.add_chart(bar, f"{anchor_col}{header + existing * 18}")


def build(sheets: Sequence[Sheet], company: str | None = None) -> Any:
    """The openpyxl Workbook of ``sheets`` (not saved), ``company`` in each title row."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = Workbook()
    wb.remove(wb.active)
    taken: set[str] = set()
    for sheet in sheets:
        ws = wb.create_sheet(sheet_name(sheet.name, taken))
        widths: dict[int, int] = {}
        row = 1
        title = title_line(sheet, company)
        if title:  # a template has none (unless a company is set): its header is the first row
            _put_text(ws.cell(1, 1), title)
            ws.cell(1, 1).font = Font(bold=True, size=14)
            row = 2
            for label, value in sheet.meta:
                _put_text(ws.cell(row, 1), label)
                ws.cell(row, 1).font = Font(color="595959")
                _put_text(ws.cell(row, 2), value)
                row += 1
            row += 1
        first_header = None
        for section in sheet.sections:
            header, row = _write_section(ws, row, section, widths)
            first_header = first_header or header
            for i, column in enumerate(section.columns, 1):
                if column.choices:
                    letter = get_column_letter(i)
                    dv = DataValidation(
                        type="list",
                        formula1='"' + ",".join(column.choices) + '"',
                        allow_blank=True,
                        showErrorMessage=True,
                        errorStyle="warning",  # a cell may hold several (roles)
                    )
                    dv.add(f"{letter}{header + 1}:{letter}{header + 1000}")
                    ws.add_data_validation(dv)
        if first_header is not None:
            ws.freeze_panes = ws.cell(first_header + 1, 1)
        for i, width in widths.items():
            ws.column_dimensions[get_column_letter(i)].width = min(MAX_WIDTH, max(6, width + 2))
        page = " · ".join([title or sheet.name, *(f"{k} {v}" for k, v in sheet.meta)])
        ws.oddHeader.center.text = safe_text(page).replace("&", "&&")
        ws.oddFooter.center.text = "&P / &N"
        ws.print_title_rows = f"{first_header}:{first_header}" if first_header else None
        ws.page_setup.orientation = "landscape"
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
    return wb


def write(
    path: str | Path, sheets: Sequence[Sheet], *, force: bool = False, company: str | None = None
) -> Path:
    """Write the workbook to ``path`` atomically (``company`` in each title row); refused
    over an existing file unless ``force``."""
    target = Path(path)
    check_target(target, force)
    wb = build(sheets, company)
    fd, tmp = tempfile.mkstemp(prefix=".techdept-", suffix=".xlsx", dir=target.parent)
    os.close(fd)
    try:
        wb.save(tmp)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target
