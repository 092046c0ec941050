"""The list sheets: the quarter's payout list (季度奖金发放表), a person's statement (个人奖金
明细) and the month's assessment sheets (月度考核表) — titled tables, a summary of totals,
the audit anchor, the signatures. ``table`` also draws the tracking sheet's one table."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from techdept.forms.docx_kit import BODY, GRAY, SHADE, SMALL, TEXT_W_CM, Cell, Sheet, Style
from techdept.forms.sheets.parts import (
    BOLD_RIGHT,
    CENTER,
    LABEL,
    LABEL_LEFT,
    RIGHT,
    TEXT,
    finish,
    start,
)

if TYPE_CHECKING:
    from techdept.forms.context import ListSheet, ListTable

LIST_WIDTHS = {
    "payout-lines": (2.4, 3.2, 1.3, 1.6, 1.8, 2.3, 2.3, 2.1),
    "payout-persons": (3.0, 4.0, 3.5),
    "statement-lines": (1.8, 2.0, 4.6, 1.4, 2.6, 2.4, 2.2),
    # landscape: 25.7 cm between the margins
    "tracking": (2.3, 4.8, 3.6, 2.0, 2.1, 1.3, 3.9, 1.7, 2.2, 1.8),
}
SUMMARY_WIDTHS = (6.0, 4.5)


def table(sheet: Sheet, table: ListTable) -> None:
    """A titled table: a shaded header row repeated on each page, numbers on the right."""
    if table.title:
        sheet.para(table.title, Style(size=BODY, bold=True, before=60, after=40, keep_next=True))
    widths = LIST_WIDTHS.get(table.kind) or tuple(
        [round(TEXT_W_CM / len(table.columns), 2)] * len(table.columns)
    )
    grid = sheet.table(widths)
    grid.row([Cell(label, style=LABEL, shade=SHADE) for label in table.columns], header=True)
    if not table.rows:
        grid.row([Cell(table.empty, span=len(widths), style=CENTER)])
        return
    for row in table.rows:
        grid.row(
            [
                Cell(value, style=RIGHT if i in table.numeric else TEXT)
                for i, value in enumerate(row)
            ]
        )


def draw_list(sheet_ctx: ListSheet, company: str | None = None) -> Sheet:
    """The document of a payout list, a personal statement or the month's sheets."""
    sheet = start(sheet_ctx, company)
    for each in sheet_ctx.tables:
        table(sheet, each)
        sheet.gap()
    grid = sheet.table(SUMMARY_WIDTHS)
    for field in sheet_ctx.summary:
        grid.row([Cell(field.label, style=LABEL_LEFT), Cell(field.value, style=BOLD_RIGHT)])
    if sheet_ctx.anchor:
        sheet.para(sheet_ctx.anchor, Style(size=SMALL, color=GRAY, before=80))
    return finish(sheet, sheet_ctx)


def render_payout(sheet_ctx: ListSheet, path: str | Path, company: str | None = None) -> Path:
    """Write the quarter's payout statement."""
    return draw_list(sheet_ctx, company).save(path)


def render_statement(sheet_ctx: ListSheet, path: str | Path, company: str | None = None) -> Path:
    """Write one person's statement."""
    return draw_list(sheet_ctx, company).save(path)
