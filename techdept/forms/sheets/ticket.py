"""The after-sales forms of one ticket (故障单, 客户服务报告, 出差申请单): A4 portrait, a
two-fields-a-row table, the ticket's history on the fault ticket, the signature lines."""

from __future__ import annotations

from typing import TYPE_CHECKING

from techdept.forms.docx_kit import Cell, Sheet, Style
from techdept.forms.sheets.parts import LABEL, LABEL_LEFT, TEXT, finish, start

if TYPE_CHECKING:
    from techdept.forms.context.ticket import TicketSheet

WIDTHS = (3.0, 5.5, 3.0, 5.5)
HISTORY_WIDTHS = (3.6, 4.0, 4.4, 5.0)


def draw_ticket(ctx: TicketSheet, company: str | None = None) -> Sheet:
    """The document of a ticket's form (A4 portrait)."""
    sheet = start(ctx, company)
    grid = sheet.table(WIDTHS)
    for left, right in ctx.pairs:
        if right is None:
            grid.row([Cell(left.label, style=LABEL_LEFT), Cell(left.value, span=3, style=TEXT)])
        else:
            grid.row(
                [
                    Cell(left.label, style=LABEL_LEFT),
                    Cell(left.value, style=TEXT),
                    Cell(right.label, style=LABEL_LEFT),
                    Cell(right.value, style=TEXT),
                ]
            )
    if ctx.history:
        sheet.gap()
        hist = sheet.table(HISTORY_WIDTHS)
        hist.row([Cell(c, style=LABEL) for c in ctx.history_columns], header=True)
        for row in ctx.history:
            hist.row([Cell(c, style=TEXT) for c in row])
    return finish(sheet, ctx, spacer=Style(after=240))
