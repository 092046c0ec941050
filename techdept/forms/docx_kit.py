"""The generic python-docx kit every sheet is drawn with: an A4 form, styled paragraphs and
fixed-layout tables. It knows nothing of assessments, payouts or tickets (forms/sheets/ do).

A4 portrait (the tracking sheet landscape), 2 cm margins. Chinese in 宋体 (titles in 黑体),
Latin in Times New Roman: the fonts are set on the document defaults, on the Normal style and
on every run (``w:ascii``, ``w:hAnsi``, ``w:eastAsia``, ``w:cs``), so Word and LibreOffice
pick the same faces.
Tables have a fixed layout; every column width is written twice — on the grid
(``w:gridCol``) for LibreOffice and on each cell (``w:tcW``) for Word. Merged cells are built
directly (``w:gridSpan``, ``w:vMerge``) and each row is built and filled in one pass, in
order; nothing goes through ``table.cell(r, c)`` (whose lookups make filling quadratic).
Repeated pieces (a run's fonts, a cell's properties) are built once and copied.

The XML written into ``word/document.xml`` depends only on the sheet: no timestamps, no
random ids (the golden tests compare it).
"""

from __future__ import annotations

import io
import math
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from docx import Document
from docx.opc.oxml import serialize_part_xml
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from techdept.forms import measure

LATIN = "Times New Roman"
SONG = "宋体"
HEI = "黑体"

PAGE_W_CM, PAGE_H_CM = 21.0, 29.7
MARGIN_CM = 2.0
TOP_CM, BOTTOM_CM = 1.8, 1.6
TEXT_W_CM = PAGE_W_CM - 2 * MARGIN_CM  # 17.0

# sizes in half-points
TITLE = 32  # 16 pt, 三号
BODY = 21  # 10.5 pt, 五号
TABLE = 18  # 9 pt, 小五
BANDS = 16  # 8 pt
SMALL = 15  # 7.5 pt
GAP = 6  # 3 pt spacer between tables

GRAY = "595959"
RED = "C00000"
SHADE = "E7E6E6"
SIGN_BLANK = "________________"


def twips(cm: float) -> int:
    """Centimetres → twentieths of a point (dxa), the unit of widths in WordprocessingML."""
    return round(cm * 1440 / 2.54)


def _el(tag: str, **attrs: Any) -> Any:
    element = OxmlElement(f"w:{tag}")
    for key, value in attrs.items():
        element.set(qn(f"w:{key}"), str(value))
    return element


def _fonts(east_asia: str) -> Any:
    return _el("rFonts", ascii=LATIN, hAnsi=LATIN, eastAsia=east_asia, cs=LATIN)


def _copy(template: Any) -> Any:
    """A deep copy of a template element (lxml's own copy, without ``copy.deepcopy``'s
    bookkeeping: the templates are copied hundreds of times per sheet)."""
    return template.__copy__()


_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_T = qn("w:t")


@dataclass(frozen=True)
class Style:
    """How a piece of text is set."""

    size: int = TABLE
    bold: bool = False
    east_asia: str = SONG
    color: str | None = None
    align: str | None = None  # left | center | right | both
    before: int = 0  # twips
    after: int = 0
    keep_next: bool = False
    page_break_before: bool = False


_RUNS: dict[tuple[str, bool, int, str | None], Any] = {}
_PARAGRAPHS: dict[Style, Any] = {}


def _run_template(east_asia: str, bold: bool, size: int, color: str | None) -> Any:
    """A ``w:r`` with its fonts and size and an empty ``w:t``; built once, then copied."""
    key = (east_asia, bold, size, color)
    run = _RUNS.get(key)
    if run is None:
        run = _el("r")
        rpr = _el("rPr")
        rpr.append(_fonts(east_asia))
        if bold:
            rpr.append(_el("b"))
            rpr.append(_el("bCs"))
        if color:
            rpr.append(_el("color", val=color))
        rpr.append(_el("sz", val=size))
        rpr.append(_el("szCs", val=size))
        rpr.append(_el("lang", val="en-US", eastAsia="zh-CN"))
        run.append(rpr)
        t = _el("t")
        t.set(_XML_SPACE, "preserve")
        run.append(t)
        _RUNS[key] = run
    return run


def _run(text: str, style: Style, *, line_break: bool = False) -> Any:
    run = _copy(_run_template(style.east_asia, style.bold, style.size, style.color))
    t = run[-1]
    if text:
        t.text = text
    else:
        run.remove(t)
    if line_break:
        if text:
            t.addprevious(_el("br"))
        else:
            run.append(_el("br"))
    return run


def _paragraph_template(style: Style) -> Any:
    p = _PARAGRAPHS.get(style)
    if p is None:
        p = _el("p")
        ppr = _el("pPr")
        if style.keep_next:
            ppr.append(_el("keepNext"))
        if style.page_break_before:
            ppr.append(_el("pageBreakBefore"))
        ppr.append(
            _el("spacing", before=style.before, after=style.after, line=240, lineRule="auto")
        )
        if style.align:
            ppr.append(_el("jc", val=style.align))
        mark = _el("rPr")
        mark.append(_fonts(style.east_asia))
        mark.append(_el("sz", val=style.size))
        mark.append(_el("szCs", val=style.size))
        ppr.append(mark)
        p.append(ppr)
        _PARAGRAPHS[style] = p
    return p


_ONE_LINE: dict[tuple[Style, bool], Any] = {}


def _paragraph(text: str, style: Style) -> Any:
    """A ``w:p`` with the text; ``\\n`` starts a new line inside the paragraph. A paragraph
    of one line (nearly every cell) is one copy of a paragraph holding its run."""
    if "\n" not in text:
        key = (style, bool(text))
        template = _ONE_LINE.get(key)
        if template is None:
            template = _copy(_paragraph_template(style))
            template.append(_run(text and "x", style))
            _ONE_LINE[key] = template
        p = _copy(template)
        if text:
            p[-1][-1].text = text  # the run's w:t
        return p
    p = _copy(_paragraph_template(style))
    for n, line in enumerate(text.split("\n")):
        p.append(_run(line, style, line_break=n > 0))
    return p


def _runs(p: Any, parts: Sequence[tuple[str, Style]]) -> Any:
    """Append runs with their own styles to a paragraph (label bold, value plain …)."""
    for text, style in parts:
        p.append(_run(text, style))
    return p


@dataclass(frozen=True)
class Cell:
    """One cell of a row: text (lines), how many grid columns it spans, vertical merge."""

    text: str | Sequence[str] = ""
    span: int = 1
    vmerge: str | None = None  # "restart" | "continue"
    style: Style = Style()
    shade: str | None = None


KEPT_STYLES = ("Normal", "DefaultParagraphFont", "TableNormal", "NoList")
DROPPED_PARTS = ("/stylesWithEffects", "/customXml", "/thumbnail")


def _page(doc: Any) -> None:
    sect = doc.element.body[-1]
    for child in list(sect):
        if child.tag in (qn("w:pgSz"), qn("w:pgMar")):
            sect.remove(child)
    sect.insert(0, _el("pgSz", w=twips(PAGE_W_CM), h=twips(PAGE_H_CM), orient="portrait"))
    sect.insert(
        1,
        _el(
            "pgMar",
            top=twips(TOP_CM),
            right=twips(MARGIN_CM),
            bottom=twips(BOTTOM_CM),
            left=twips(MARGIN_CM),
            header=twips(1.0),
            footer=twips(0.8),
            gutter=0,
        ),
    )


def _replace_fonts(rpr: Any, east_asia: str) -> None:
    old = rpr.find(qn("w:rFonts"))
    if old is not None:
        rpr.remove(old)
    rpr.insert(0, _fonts(east_asia))


def _styles(doc: Any) -> None:
    """Fonts on the document defaults and the Normal style; only the styles a sheet uses are
    kept (the template's hundreds of styles and latent styles cost time on every save)."""
    styles = doc.styles.element
    latent = styles.find(qn("w:latentStyles"))
    if latent is not None:
        styles.remove(latent)
    rpr_default = styles.find(qn("w:docDefaults") + "/" + qn("w:rPrDefault"))
    if rpr_default is not None:
        rpr = rpr_default.find(qn("w:rPr"))
        if rpr is None:
            rpr = _el("rPr")
            rpr_default.append(rpr)
        _replace_fonts(rpr, SONG)
    for style in styles.findall(qn("w:style")):
        style_id = style.get(qn("w:styleId"))
        if style_id not in KEPT_STYLES:
            styles.remove(style)
            continue
        if style_id != "Normal":
            continue
        rpr = style.find(qn("w:rPr"))
        if rpr is None:
            rpr = _el("rPr")
            style.append(rpr)
        _replace_fonts(rpr, SONG)
        for tag in ("sz", "szCs"):
            old = rpr.find(qn(f"w:{tag}"))
            if old is not None:
                rpr.remove(old)
        rpr.append(_el("sz", val=BODY))
        rpr.append(_el("szCs", val=BODY))


def _trim_parts(doc: Any) -> None:
    """Drop the template's parts a sheet never uses (Word 2010 style copies, custom XML, the
    thumbnail of an empty page)."""
    for rels in (doc.part.rels, doc.part.package.rels):
        for rid, rel in list(rels.items()):
            if rel.reltype.endswith(DROPPED_PARTS):
                del rels[rid]


@lru_cache(maxsize=1)
def _template() -> bytes:
    """The empty A4 form every sheet starts from, built once per process."""
    doc = Document()
    _trim_parts(doc)
    _page(doc)
    _styles(doc)
    core = doc.core_properties
    core.author = "techdept"
    core.last_modified_by = "techdept"
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


@dataclass(frozen=True)
class _Package:
    """The template as python-docx writes it: its zip members in order, and the two parts a
    sheet changes — the document (its body) and the core properties (its title)."""

    members: tuple[tuple[str, bytes], ...]
    document_name: str
    document: Any  # the template's w:document
    core_name: str
    core: Any  # the template's cp:coreProperties


@lru_cache(maxsize=1)
def _package() -> _Package:
    buffer = io.BytesIO()
    doc = Document(io.BytesIO(_template()))
    doc.save(buffer)  # the members exactly as python-docx writes a sheet left empty
    with zipfile.ZipFile(buffer) as z:
        members = tuple((info.filename, z.read(info.filename)) for info in z.infolist())
    core = doc.part.package._core_properties_part
    return _Package(
        members, doc.part.partname.membername, doc.element, core.partname.membername, core.element
    )


class Sheet:
    """A WordprocessingML document set up as an A4 form, and the blocks it is drawn from.

    A sheet changes only the template's body and title, so it is a copy of the template's
    ``w:document`` and is written as the template's package with those two parts replaced
    (``write``): the same zip members, in the same order, as python-docx saves — without
    loading and serialising the whole package for every sheet. ``doc`` gives the
    python-docx document, made when asked for."""

    def __init__(self, title: str, lang: str = "zh") -> None:
        self.lang = lang
        self.title_text = title
        self.root = _copy(_package().document)
        self.body = self.root.body
        self.sect = self.body[-1]
        self._doc: Any = None
        self._open: Grid | None = None

    @property
    def doc(self) -> Any:
        """The python-docx document, its last table finished (from then on, ``write``
        saves it through python-docx, with whatever was changed through it)."""
        self._close()
        if self._doc is None:
            doc = Document(io.BytesIO(_template()))
            doc.part._element = self.root
            doc.core_properties.title = self.title_text
            self._doc = doc.part.document
        return self._doc

    def write(self, file: Any) -> None:
        """Write the .docx to a binary file object."""
        self._close()
        if self._doc is not None:
            self._doc.save(file)
            return
        package = _package()
        core = _copy(package.core)
        core.title_text = self.title_text
        changed = {
            package.document_name: serialize_part_xml(self.root),
            package.core_name: serialize_part_xml(core),
        }
        with zipfile.ZipFile(file, "w", compression=zipfile.ZIP_DEFLATED) as z:
            for name, blob in package.members:
                z.writestr(name, changed.get(name, blob))

    def _close(self) -> None:
        if self._open is not None:
            self._open.fit()
            self._open = None

    # ---------------------------------------------------------------- blocks

    def add(self, element: Any) -> Any:
        """Append a block to the body (a table before it is finished: its columns fitted)."""
        self._close()
        self.sect.addprevious(element)
        return element

    def para(self, text: str, style: Style) -> Any:
        return self.add(_paragraph(text, style))

    def gap(self) -> None:
        self.para("", Style(size=GAP))

    def title(self, text: str) -> None:
        self.para(text, Style(size=TITLE, bold=True, east_asia=HEI, align="center", after=60))

    def fields_line(self, fields: Sequence[tuple[str, str]], *, after: int = 60) -> None:
        p = _paragraph("", Style(size=BODY, after=after))
        p.remove(p[-1])  # the empty run
        parts: list[tuple[str, Style]] = []
        colon, gap = ("：", "　　") if self.lang == "zh" else (": ", "    ")
        for n, (label, value) in enumerate(fields):
            if n:
                parts.append((gap, Style(size=BODY)))
            parts.append((f"{label}{colon}", Style(size=BODY, bold=True)))
            parts.append((value, Style(size=BODY)))
        self.add(_runs(p, parts))

    def landscape(self) -> None:
        """Turn the page: A4 landscape, same margins."""
        size = self.sect.find(qn("w:pgSz"))
        size.set(qn("w:w"), str(twips(PAGE_H_CM)))
        size.set(qn("w:h"), str(twips(PAGE_W_CM)))
        size.set(qn("w:orient"), "landscape")

    def table(self, widths_cm: Sequence[float]) -> Grid:
        grid = Grid(self, widths_cm)
        self._open = grid
        return grid

    def save(self, path: str | Path) -> Path:
        target = Path(path)
        with target.open("wb") as file:
            self.write(file)
        return target


@lru_cache(maxsize=64)
def _table_template(widths: tuple[int, ...]) -> Any:
    """An empty ``w:tbl`` with its properties and grid (borders, fixed layout, margins)."""
    tbl = _el("tbl")
    tpr = _el("tblPr")
    tpr.append(_el("tblW", w=sum(widths), type="dxa"))
    tpr.append(_el("jc", val="center"))
    borders = _el("tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        borders.append(_el(edge, val="single", sz=4, space=0, color="000000"))
    tpr.append(borders)
    tpr.append(_el("tblLayout", type="fixed"))
    margins = _el("tblCellMar")
    margins.append(_el("top", w=17, type="dxa"))
    margins.append(_el("left", w=68, type="dxa"))
    margins.append(_el("bottom", w=17, type="dxa"))
    margins.append(_el("right", w=68, type="dxa"))
    tpr.append(margins)
    look = dict(firstRow=0, lastRow=0, firstColumn=0, lastColumn=0, noHBand=1, noVBand=1)
    tpr.append(_el("tblLook", val="0000", **look))
    tbl.append(tpr)
    grid = _el("tblGrid")
    for width in widths:
        grid.append(_el("gridCol", w=width))
    tbl.append(grid)
    return tbl


@lru_cache(maxsize=2)
def _row_template(header: bool) -> Any:
    """A ``w:tr`` that never splits across pages (a header row repeats on each page)."""
    tr = _el("tr")
    tr.append(_el("trPr"))
    tr[0].append(_el("cantSplit"))
    if header:
        tr[0].append(_el("tblHeader"))
    return tr


@lru_cache(maxsize=512)
def _cell_template(width: int, span: int, vmerge: str | None, shade: str | None) -> Any:
    """A ``w:tc`` with its width, span, merge and shading, and no paragraph yet."""
    tc = _el("tc")
    tcpr = _el("tcPr")
    tcpr.append(_el("tcW", w=width, type="dxa"))
    if span > 1:
        tcpr.append(_el("gridSpan", val=span))
    if vmerge == "restart":
        tcpr.append(_el("vMerge", val="restart"))
    elif vmerge == "continue":
        tcpr.append(_el("vMerge"))
    if shade:
        tcpr.append(_el("shd", val="clear", color="auto", fill=shade))
    tcpr.append(_el("vAlign", val="center"))
    tc.append(tcpr)
    return tc


class Grid:
    """A fixed-layout table: widths on the grid and on every cell, rows appended in order.

    Each column remembers the widest word its cells hold; when the table is finished,
    ``fit`` widens a column too narrow for one (a Latin word would be split inside) at the
    expense of columns with room to spare, so no word is broken. Chinese text breaks
    anywhere and never needs it."""

    def __init__(self, sheet: Sheet, widths_cm: Sequence[float]) -> None:
        self.widths = [twips(w) for w in widths_cm]
        tbl = _copy(_table_template(tuple(self.widths)))
        sheet.add(tbl)
        self.tbl = tbl
        self.needs = [0] * len(self.widths)  # twips
        self._placed: list[tuple[Any, int, int]] = []  # (its w:tcW, first column, span)

    @staticmethod
    def _tc(width: int, cell: Cell) -> Any:
        return _copy(_cell_template(width, cell.span, cell.vmerge, cell.shade))

    def row(self, cells: Sequence[Cell], *, header: bool = False) -> None:
        """Append one row and fill it in the same pass: each ``w:tc`` gets its width, span
        and merge, then its paragraphs. A vertically continued cell holds an empty paragraph."""
        tr = _copy(_row_template(header))
        offset = 0
        for cell in cells:
            tc = self._tc(sum(self.widths[offset : offset + cell.span]), cell)
            offset += cell.span
            self._placed.append((tc[0][0], offset - cell.span, cell.span))  # tc/tcPr/tcW
            if cell.vmerge == "continue":
                tc.append(_paragraph("", cell.style))
            else:
                lines = [cell.text] if isinstance(cell.text, str) else list(cell.text) or [""]
                for line in lines:
                    tc.append(_paragraph(line, cell.style))
                if cell.span == 1:
                    self._need(offset - 1, lines, cell.style)
            tr.append(tc)
        if offset != len(self.widths):
            raise ValueError(f"row spans {offset} columns, the table has {len(self.widths)}")
        self.tbl.append(tr)

    def _need(self, column: int, lines: Sequence[str], style: Style) -> None:
        need = max(measure.need_cm(line, style.size, style.bold) for line in lines)
        self.needs[column] = max(self.needs[column], math.ceil(need * 1440 / 2.54))

    def fit(self) -> None:
        """Widen the columns too narrow for a word they hold (see the class)."""
        widths = measure.fit(self.widths, self.needs)
        if widths == self.widths:
            return
        self.widths = widths
        self.tbl.find(qn("w:tblPr")).find(qn("w:tblW")).set(qn("w:w"), str(sum(widths)))
        for col, width in zip(self.tbl.find(qn("w:tblGrid")), widths, strict=True):
            col.set(qn("w:w"), str(width))
        attribute = qn("w:w")
        for tcw, first, span in self._placed:
            tcw.set(attribute, str(sum(widths[first : first + span])))
