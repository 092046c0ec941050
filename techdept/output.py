"""Render results: Rich on a terminal, tabulate when piped or ``--plain``, CSV, JSON.

Formatting of money lives here (and in forms/): ``1452.00`` for programs, ``¥1,452.00`` for
people. Heavy renderers are imported only when used.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Mapping, Sequence
from typing import Any

Columns = Sequence[tuple[str, str]]  # (key, label)

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"


def _is_number(text: str) -> bool:
    """An amount or count as CSV writes it (``-2323.20``, ``4``): stays a number."""
    body = text[1:] if text[:1] in "+-" else text
    whole, _, part = body.partition(".")
    return bool(whole) and whole.isascii() and whole.isdigit() and (part == "" or part.isdigit())


def csv_cell(value: Any) -> Any:
    """One CSV cell: a text that a spreadsheet would run as a formula (it begins with ``=``,
    ``+``, ``-``, ``@``, tab or CR) is prefixed with ``'``; numbers stay numbers."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(_FORMULA_START) and not _is_number(value):
        return "'" + value
    return value


def write_csv(out: Any, header: Sequence[str], rows: Any) -> None:
    """The one CSV writer: UTF-8 with a BOM (Excel on Chinese Windows reads it as UTF-8),
    every cell through ``csv_cell``."""
    out.write(BOM)
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([csv_cell(h) for h in header])
    for row in rows:
        writer.writerow([csv_cell(v) for v in row])


def fen_str(fen: int | None) -> str | None:
    """Fen → the exact text of JSON and CSV (``1452.00``): ``rules.money.fen_str``, the one
    formatter, loaded when first used."""
    from techdept.rules.money import fen_str as exact

    return exact(fen)


def money_text(text: str | None) -> str:
    """An exact yuan string of a JSON document (``"5808.00"``) as people read it."""
    from techdept.rules.money import yuan_to_fen

    return money(yuan_to_fen(text))


def money(fen: int | None) -> str:
    """Fen → what a person reads: ``¥1,452.00``; an empty cell when unknown."""
    if fen is None:
        return "—"
    sign = "-" if fen < 0 else ""
    whole, part = divmod(abs(fen), 100)
    return f"{sign}¥{whole:,}.{part:02d}"


def json_text(doc: Any) -> str:
    """JSON for programs; indented for a person at a terminal. Piped output is compact, which
    lets the C encoder do the work (an indented dump runs in pure Python)."""
    if sys.stdout.isatty():
        return json.dumps(doc, ensure_ascii=False, indent=2, default=str)
    return json.dumps(doc, ensure_ascii=False, default=str)


class Output:
    """Where a command's result goes, chosen once from the options and the terminal."""

    def __init__(
        self, *, json_mode: bool = False, csv_mode: bool = False, plain: bool = False
    ) -> None:
        if json_mode:
            self.mode = "json"
        elif csv_mode:
            self.mode = "csv"
        elif plain or not sys.stdout.isatty():
            self.mode = "plain"
        else:
            self.mode = "rich"

    @property
    def human(self) -> bool:
        return self.mode in ("rich", "plain")

    def json(self, doc: Any) -> None:
        sys.stdout.write(json_text(doc) + "\n")

    def line(self, text: str) -> None:
        """A sentence for people (nothing in JSON/CSV mode)."""
        if self.human:
            sys.stdout.write(text + "\n")

    def note(self, text: str) -> None:
        """A remark on stderr that never mixes with machine output."""
        sys.stderr.write(text + "\n")

    def table(
        self,
        columns: Columns,
        rows: Sequence[Mapping[str, Any]],
        *,
        title: str | None = None,
        json_doc: Any = None,
        csv_rows: Sequence[Mapping[str, Any]] | None = None,
    ) -> None:
        if self.mode == "json":
            self.json(json_doc if json_doc is not None else list(rows))
        elif self.mode == "csv":
            write_csv(
                sys.stdout,
                [key for key, _ in columns],
                (
                    [row.get(k) for k, _ in columns]
                    for row in (csv_rows if csv_rows is not None else rows)
                ),
            )
        elif self.mode == "plain":
            from tabulate import tabulate

            if title:
                sys.stdout.write(title + "\n")
            headers = [label for _, label in columns]
            body = [[cell(r.get(k)) for k, _ in columns] for r in rows]
            body = fit(headers, body, columns_available())
            sys.stdout.write(tabulate(body, headers=headers, disable_numparse=True) + "\n")
        else:
            from rich.console import Console
            from rich.table import Table

            table = Table(title=title, header_style="bold")
            for _, label in columns:
                table.add_column(label)
            for r in rows:
                table.add_row(*[cell(r.get(k)) for k, _ in columns])
            Console().print(table)

    def record(
        self, fields: Sequence[tuple[str, Any]], *, title: str | None = None, json_doc: Any = None
    ) -> None:
        """One record as label/value pairs (a panel on a terminal)."""
        if self.mode == "json":
            self.json(json_doc if json_doc is not None else dict(fields))
            return
        shown = [(label, cell(value)) for label, value in fields]
        if self.mode == "rich":
            from rich.console import Console
            from rich.panel import Panel
            from rich.table import Table

            grid = Table.grid(padding=(0, 2))
            grid.add_column(style="bold")
            grid.add_column()
            for label, value in shown:
                grid.add_row(label, value)
            Console().print(Panel(grid, title=title, expand=False))
            return
        if title:
            sys.stdout.write(title + "\n")
        width = max((_width(label) for label, _ in shown), default=0)
        for label, value in shown:
            sys.stdout.write(f"  {label}{' ' * (width - _width(label))}  {value}\n")


EMPTY = "—"


def cell(value: Any) -> str:
    """A table cell or a record's value as people read it: an empty field shows "—" (JSON
    and CSV keep null / empty)."""
    if value is None:
        return EMPTY
    text = str(value)
    return text if text.strip() else EMPTY


def columns_available() -> int | None:
    """The terminal's width when there is one (or COLUMNS says it), else None: a table piped
    into a file or another program keeps its lines whole."""
    import os
    import shutil

    if os.environ.get("COLUMNS", "").isdigit() or sys.stdout.isatty():
        return shutil.get_terminal_size((80, 24)).columns
    return None


def fit(headers: Sequence[str], body: list[list[str]], room: int | None) -> list[list[str]]:
    """Cells wrapped (never cut) so that the plain table fits ``room`` columns: the widest
    column gives way first, down to its header's width; Chinese text breaks between
    characters, never before closing punctuation."""
    if room is None or not body:
        return body
    from techdept.commands._click import wrap

    n = len(headers)
    natural = [
        max([_width(headers[i])] + [_width(line) for row in body for line in row[i].split("\n")])
        for i in range(n)
    ]
    floor = [max(_width(h), 4) for h in headers]
    widths = list(natural)
    while sum(widths) + 2 * (n - 1) > room:
        i = max(range(n), key=lambda c: widths[c] - floor[c])
        if widths[i] <= floor[i]:
            break
        widths[i] -= 1
    if widths == natural:
        return body
    return [
        [
            "\n".join(
                part
                for line in text.split("\n")
                for part in (wrap(line, widths[i]) if _width(line) > widths[i] else [line])
            )
            for i, text in enumerate(row)
        ]
        for row in body
    ]


def _width(text: str) -> int:
    """Display width: CJK characters take two columns."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def steps_doc(steps: Sequence[Any]) -> list[dict[str, Any]]:
    """An explanation (rules Steps) as JSON: key, label in the current language, inputs,
    formula, output."""
    from techdept.i18n import t

    return [step.to_dict() | {"label": t(step.key)} for step in steps]


def render_steps(out: Output, steps: Sequence[Any], *, title: str | None = None) -> None:
    """Render an explanation step by step: what, from which numbers, by which formula, result."""
    from techdept.i18n import t

    rows = [
        {
            "n": str(i),
            "step": t(step.key),
            "inputs": ", ".join(f"{k} = {v}" for k, v in step.inputs.items()),
            "formula": step.formula,
            "output": step.output,
        }
        for i, step in enumerate(steps, 1)
    ]
    columns = [
        ("n", "#"),
        ("step", t("label.step")),
        ("inputs", t("label.inputs")),
        ("formula", t("label.formula")),
        ("output", t("label.output")),
    ]
    out.table(columns, rows, title=title, json_doc=steps_doc(steps))
