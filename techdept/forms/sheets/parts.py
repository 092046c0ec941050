"""What every sheet shares: the table text styles, the title line (with the company's name
when one is set), the draft mark and header fields, the signature lines and the footer."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from techdept.forms.docx_kit import (
    BANDS,
    BODY,
    GRAY,
    RED,
    SIGN_BLANK,
    SMALL,
    TABLE,
    Sheet,
    Style,
)

LABEL = Style(size=TABLE, bold=True, align="center")
LABEL_LEFT = Style(size=TABLE, bold=True)
TEXT = Style(size=TABLE)
CENTER = Style(size=TABLE, align="center")
RIGHT = Style(size=TABLE, align="right")
BAND = Style(size=BANDS)
BAND_POINTS = Style(size=BANDS, align="center")
BOLD_CENTER = Style(size=TABLE, bold=True, align="center")
BOLD_RIGHT = Style(size=TABLE, bold=True, align="right")
NOTE = Style(size=BANDS)


def title_text(title: str, lang: str, company: str | None) -> str:
    """The title line: the company's name before the sheet's name when one is set."""
    if not company:
        return title
    return f"{company}　{title}" if lang == "zh" else f"{company} — {title}"


def start(sheet_ctx: Any, company: str | None, *, landscape: bool = False) -> Sheet:
    """A new sheet with its title line, the draft mark (if any) and the header fields."""
    sheet = Sheet(sheet_ctx.title, sheet_ctx.lang)
    if landscape:
        sheet.landscape()
    sheet.title(title_text(sheet_ctx.title, sheet_ctx.lang, company))
    draft = getattr(sheet_ctx, "draft", None)
    if draft:
        sheet.para(draft, Style(size=BODY, bold=True, color=RED, align="center", after=60))
    sheet.fields_line([(f.label, f.value) for f in sheet_ctx.header])
    return sheet


def signature_lines(sheet: Sheet, signatures: Sequence[Any], date: Any) -> None:
    parts: list[tuple[str, str]] = [(s.label, SIGN_BLANK) for s in signatures]
    if len(signatures) > 2 or sheet.lang != "zh":  # a full line: the date goes below
        sheet.fields_line(parts, after=120)
        sheet.fields_line([(date.label, date.value)], after=0)
    else:
        sheet.fields_line([*parts, (date.label, date.value)], after=0)
    records = [s.record for s in signatures if s.record]
    if records:
        joiner = "　" if sheet.lang == "zh" else "; "
        sheet.para(joiner.join(records), Style(size=SMALL, color=GRAY, before=40))


SPACER = Style(size=BODY, after=120)


def finish(sheet: Sheet, sheet_ctx: Any, *, spacer: Style = SPACER) -> Sheet:
    """An empty line, the signature and date lines, and the footer."""
    sheet.para("", spacer)
    signature_lines(sheet, sheet_ctx.signatures, sheet_ctx.date)
    sheet.para(sheet_ctx.footer, Style(size=SMALL, color=GRAY, before=120))
    return sheet
