"""What every sheet shares: the table text styles, the title line (with the company's name
when one is set), the draft mark and header fields, the signature lines and the footer."""

from __future__ import annotations

import re
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
    TEXT_W_CM,
    Sheet,
    Style,
)
from techdept.forms.measure import need_cm, text_cm
from techdept.i18n import t_in

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
    return t_in(lang, "sheet.company_title", company=company, title=title)


def shortened(text: str, lang: str, width_cm: float, style: Style) -> str:
    """``text``, or where a word of it does not fit ``width_cm``, with the words the catalogue
    shortens (``sheet.short_words``: ``representative=rep.;…``) shortened."""
    if need_cm(text, style.size, style.bold) <= width_cm:
        return text
    for pair in filter(None, t_in(lang, "sheet.short_words").split(";")):
        word, _, short = pair.partition("=")
        text = re.sub(rf"\b{re.escape(word.strip())}\b", short.strip(), text)
    return text


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


def _one_line(parts: Sequence[tuple[str, str]], lang: str) -> bool:
    """Whether the fields fit on one line of the page (labels bold, the gaps between)."""
    if lang == "zh":
        return len(parts) <= 3  # two signatures and the date: the paper form's line
    width = sum(text_cm(f"{label}: ", BODY, True) + text_cm(value, BODY) for label, value in parts)
    return width + text_cm("    ", BODY) * (len(parts) - 1) <= TEXT_W_CM - 0.5


def signature_lines(sheet: Sheet, signatures: Sequence[Any], date: Any) -> None:
    parts: list[tuple[str, str]] = [(s.label, SIGN_BLANK) for s in signatures]
    if not _one_line([*parts, (date.label, date.value)], sheet.lang):  # the date goes below
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
