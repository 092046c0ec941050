"""The assessment sheet (项目售前/实施/售后考核表): per project block an information table
(overview, schedule and cost, the boxes), the score table (items, weights, bands, each
scorer's points) and the result table (composite, grade, share, the split); the quarter's
after-sales sheet is the same layout with one block per project, each on its own page."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from techdept.forms.docx_kit import (
    BANDS,
    BODY,
    GRAY,
    HEI,
    SHADE,
    TABLE,
    TEXT_W_CM,
    Cell,
    Grid,
    Sheet,
    Style,
)
from techdept.forms.measure import CELL_PAD_CM, need_cm, text_cm
from techdept.forms.sheets.parts import (
    BAND,
    BAND_POINTS,
    BOLD_CENTER,
    BOLD_RIGHT,
    CENTER,
    LABEL,
    NOTE,
    RIGHT,
    TEXT,
    finish,
    shortened,
    start,
)

if TYPE_CHECKING:
    from techdept.forms.context import AssessmentSheet, Block

INFO_WIDTHS = (3.2, 2.8, 3.0, 3.4, 4.6)
RESULT_WIDTHS = (3.2, 4.0, 5.0, 4.8)


POINTS_CM = 1.1  # a scorer's column holds two-digit points


def _scorer_heads(block: Block, lang: str) -> tuple[list[str], list[float]]:
    """Each scorer's column head and width. Chinese keeps the paper form's widths; a Latin
    head breaks only between words, so its column is as wide as its longest word, long
    words shortened as the catalogue says (``Sales rep.``), and the bands get the rest."""
    n = len(block.scorers)
    each = 1.5 if n > 3 else 1.8
    if lang == "zh":
        return list(block.scorers), [each] * n
    heads = [shortened(label, lang, each, LABEL) for label in block.scorers]
    return heads, [max(POINTS_CM, round(need_cm(h, TABLE, True), 2)) for h in heads]


def _score_widths(scorers: int, each: list[float]) -> list[float]:
    item, weight, points = (1.8, 1.1, 1.3) if scorers > 3 else (2.0, 1.3, 1.4)
    bands = round(TEXT_W_CM - item - weight - points - sum(each), 2)
    return [item, weight, bands, points, *each]


def _pair_rows(grid: Grid, pair: Any) -> None:
    grid.row(
        [
            Cell(pair.label, vmerge="restart", style=LABEL),
            Cell(pair.first.label, style=CENTER),
            Cell(pair.first.value, style=CENTER),
            Cell(pair.reason.label, vmerge="restart", style=CENTER),
            Cell(pair.reason.value, vmerge="restart", style=TEXT),
        ]
    )
    grid.row(
        [
            Cell(vmerge="continue", style=LABEL),
            Cell(pair.second.label, style=CENTER),
            Cell(pair.second.value, style=CENTER),
            Cell(vmerge="continue", style=CENTER),
            Cell(vmerge="continue", style=TEXT),
        ]
    )


def _info_widths(block: Block, lang: str) -> tuple[float, ...]:
    """On a Latin sheet the label column is as wide as its longest label set on one line
    ("Reserved bonus (CNY)"), taken from the last column (at most 0.8 cm); Chinese keeps
    the paper form's widths."""
    if lang == "zh":
        return INFO_WIDTHS
    labels = [block.overview.label, block.reserved.label, *(b.label for b in block.boxes)]
    labels += [p.label for p in (block.schedule, block.cost, block.evidence) if p is not None]
    longest = max(text_cm(label, TABLE, True) + CELL_PAD_CM for label in labels)
    extra = round(min(max(0.0, longest - INFO_WIDTHS[0]), 0.8), 2)
    first, *middle, last = INFO_WIDTHS
    return (first + extra, *middle, last - extra)


def _info_table(sheet: Sheet, block: Block) -> None:
    grid = sheet.table(_info_widths(block, sheet.lang))
    if block.heading is not None:
        grid.row(
            [
                Cell(block.project.label, style=LABEL),
                Cell(block.project.value, span=2, style=TEXT),
                Cell(block.lead.label, style=CENTER),
                Cell(block.lead.value, style=TEXT),
            ]
        )
    grid.row(
        [
            Cell(block.overview.label, style=LABEL),
            Cell(block.overview.value.split("\n"), span=4, style=TEXT),
        ]
    )
    if block.schedule is not None:
        _pair_rows(grid, block.schedule)
    if block.cost is not None:
        _pair_rows(grid, block.cost)
    for line in block.boxes:
        grid.row([Cell(line.label, style=LABEL), Cell(line.text, span=4, style=TEXT)])
    grid.row(
        [Cell(block.reserved.label, style=LABEL), Cell(block.reserved.value, span=4, style=TEXT)]
    )
    if block.evidence is not None:
        grid.row(
            [
                Cell(block.evidence.label, style=LABEL),
                Cell(block.evidence.value, span=4, style=TEXT),
            ]
        )


def _score_table(sheet: Sheet, block: Block) -> None:
    heads, each = _scorer_heads(block, sheet.lang)
    grid = sheet.table(_score_widths(len(heads), each))
    head = block.columns
    grid.row(
        [
            Cell(head[0], style=LABEL, shade=SHADE),
            Cell(head[1], style=LABEL, shade=SHADE),
            Cell(head[2], span=2, style=LABEL, shade=SHADE),
            *[Cell(label, style=LABEL, shade=SHADE) for label in heads],
        ],
        header=True,
    )
    for row in block.rows:
        bands = row.bands or ()
        count = max(1, len(bands))
        for j in range(count):
            band_text = bands[j].text if bands else ""
            band_points = bands[j].points if bands else ""
            merge = None if count == 1 else ("restart" if j == 0 else "continue")
            grid.row(
                [
                    Cell(row.label if j == 0 else "", vmerge=merge, style=LABEL),
                    Cell(row.weight if j == 0 else "", vmerge=merge, style=CENTER),
                    Cell(band_text, style=BAND),
                    Cell(band_points, style=BAND_POINTS),
                    *[
                        Cell(points if j == 0 else "", vmerge=merge, style=CENTER)
                        for points in row.points
                    ],
                ]
            )
    grid.row(
        [
            Cell(block.total_label, span=4, style=LABEL),
            *[Cell(total, style=BOLD_CENTER) for total in block.totals],
        ]
    )


def _result_widths(block: Block) -> tuple[float, ...]:
    """The split's position column as wide as its longest position set on one line
    ("Implementation engineer"), taken from the name column's room (at most 1.5 cm)."""
    label, position, name, amount = RESULT_WIDTHS
    longest = max(
        (text_cm(line.position, TABLE) + CELL_PAD_CM for line in block.split if not line.pool),
        default=0.0,
    )
    extra = round(min(max(0.0, longest - position), 1.5), 2)
    return (label, position + extra, name - extra, amount) if extra else RESULT_WIDTHS


def _result_table(sheet: Sheet, block: Block) -> None:
    grid = sheet.table(_result_widths(block))
    grid.row(
        [
            Cell(block.composite.label, style=LABEL),
            Cell(block.composite.value, style=BOLD_CENTER),
            Cell(block.grade.label, style=LABEL),
            Cell(block.grade.value, style=BOLD_CENTER),
        ]
    )
    grid.row(
        [
            Cell(block.share.label, style=LABEL),
            Cell(block.share.value, style=CENTER),
            Cell(block.final.label, style=LABEL),
            Cell(block.final.value, style=BOLD_RIGHT),
        ]
    )
    grid.row(
        [Cell(block.opinion.label, style=LABEL), Cell(block.opinion.value, span=3, style=TEXT)]
    )
    for n, line in enumerate(block.split):
        merge = "restart" if n == 0 else "continue"
        first = Cell(block.split_label if n == 0 else "", vmerge=merge, style=LABEL)
        if line.pool:
            cells = [
                first,
                Cell(line.position, span=2, style=CENTER),
                Cell(line.amount, style=RIGHT),
            ]
        else:
            cells = [
                first,
                Cell(line.position, style=CENTER),
                Cell(line.name, style=CENTER),
                Cell(line.amount, style=RIGHT),
            ]
        grid.row(cells)
    grid.row([Cell(block.notes_label, style=LABEL), Cell(block.notes, span=3, style=NOTE)])


def _draw_block(sheet: Sheet, block: Block, *, first: bool) -> None:
    if block.heading is not None:
        sheet.para(
            block.heading,
            Style(
                size=BODY + 1,
                bold=True,
                east_asia=HEI,
                before=60,
                after=60,
                keep_next=True,
                page_break_before=not first,
            ),
        )
    _info_table(sheet, block)
    sheet.gap()
    _score_table(sheet, block)
    sheet.gap()
    _result_table(sheet, block)


def draw_assessment(sheet_ctx: AssessmentSheet, company: str | None = None) -> Sheet:
    """The document of an assessment sheet (one or several project blocks)."""
    sheet = start(sheet_ctx, company)
    for note in sheet_ctx.notes:
        sheet.para(note, Style(size=BANDS, color=GRAY, after=60))
    for n, block in enumerate(sheet_ctx.blocks):
        _draw_block(sheet, block, first=n == 0)
    return finish(sheet, sheet_ctx)


def render_assessment(
    sheet_ctx: AssessmentSheet, path: str | Path, company: str | None = None
) -> Path:
    """Write an assessment sheet (pre-sales, implementation or one after-sales project)."""
    return draw_assessment(sheet_ctx, company).save(path)


def render_aftersales(
    sheet_ctx: AssessmentSheet, path: str | Path, company: str | None = None
) -> Path:
    """Write the after-sales sheet of a quarter (one block per project)."""
    return draw_assessment(sheet_ctx, company).save(path)
