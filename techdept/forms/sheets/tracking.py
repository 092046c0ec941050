"""The weekly pre-sales tracking sheet (售前项目跟踪表): A4 landscape, one ten-column table of
the projects in tracking, their count, the pre-sales manager's and director's signatures."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from techdept.forms.docx_kit import BODY, Sheet, Style
from techdept.forms.sheets.list_sheet import table
from techdept.forms.sheets.parts import finish, start

if TYPE_CHECKING:
    from techdept.forms.context import TrackingSheet


def draw_tracking(sheet_ctx: TrackingSheet, company: str | None = None) -> Sheet:
    """The document of the weekly pre-sales tracking sheet (A4 landscape: ten columns)."""
    sheet = start(sheet_ctx, company, landscape=True)
    table(sheet, sheet_ctx.table)
    sheet.para(sheet_ctx.count, Style(size=BODY, before=60))
    return finish(sheet, sheet_ctx)


def render_tracking(sheet_ctx: TrackingSheet, path: str | Path, company: str | None = None) -> Path:
    """Write the weekly pre-sales tracking sheet."""
    return draw_tracking(sheet_ctx, company).save(path)
