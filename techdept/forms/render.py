"""Draw a sheet (forms.context) as a .docx with python-docx, like the paper form: the entry
point the commands and tests call. The generic kit is ``forms.docx_kit``; each kind of sheet
is laid out in its own module under ``forms/sheets/``. ``company`` is the name set with
``techdept config set company``: printed in the title line when given."""

from __future__ import annotations

from techdept.forms.sheets.assessment import draw_assessment, render_aftersales, render_assessment
from techdept.forms.sheets.list_sheet import draw_list, render_payout, render_statement
from techdept.forms.sheets.ticket import draw_ticket
from techdept.forms.sheets.tracking import draw_tracking, render_tracking

__all__ = [
    "draw_assessment",
    "draw_list",
    "draw_ticket",
    "draw_tracking",
    "render_aftersales",
    "render_assessment",
    "render_payout",
    "render_statement",
    "render_tracking",
]
