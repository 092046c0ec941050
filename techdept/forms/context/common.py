"""What every sheet is made of (fields, tick boxes, score rows, signatures, list tables) and the
helpers that write its values (money, quarters, approvals, the footer)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from techdept.i18n import t_in

CHECKED = "☑"


UNCHECKED = "☐"


SIMPLE_TYPES = ("simple-basic", "simple-interrogation", "simple-standard", "simple-extended")


@dataclass(frozen=True)
class Field:
    """A label and its value, as printed."""

    label: str
    value: str


@dataclass(frozen=True)
class Box:
    """A tick box: ☑ or ☐ before its label; a simple type carries its sub-boxes."""

    label: str
    ticked: bool
    children: tuple[Box, ...] = ()
    lang: str = "zh"

    @property
    def text(self) -> str:
        mark = CHECKED if self.ticked else UNCHECKED
        if not self.children:
            return f"{mark}{self.label}"
        inner = " ".join(child.text for child in self.children)
        if self.lang == "zh":
            return f"{mark}{self.label}（{inner}）"
        return f"{mark}{self.label} ({inner})"


@dataclass(frozen=True)
class BoxLine:
    """A row of tick boxes under one label (复杂度类型, 风险类型 …)."""

    label: str
    boxes: tuple[Box, ...]
    lang: str = "zh"

    @property
    def text(self) -> str:
        return ("　" if self.lang == "zh" else "   ").join(box.text for box in self.boxes)


@dataclass(frozen=True)
class Band:
    """One guidance band of an item: its text and its points range."""

    text: str
    points: str


@dataclass(frozen=True)
class ScoreRow:
    """One rubric item: label, weight, bands, and each scorer's points (sheet order)."""

    key: str
    label: str
    weight: str
    bands: tuple[Band, ...]
    points: tuple[str, ...]


@dataclass(frozen=True)
class SplitRow:
    """One line of the actual split: position, name, amount (the pool has no name)."""

    position: str
    name: str
    amount: str
    pool: bool = False


@dataclass(frozen=True)
class PairBlock:
    """Two figures with a reason beside them (项目工期, 项目费用)."""

    label: str
    first: Field
    second: Field
    reason: Field


@dataclass(frozen=True)
class Signature:
    """A signature line; ``record`` says who approved it in the ledger, if anyone."""

    label: str
    record: str = ""


@dataclass(frozen=True)
class Block:
    """One project's part of an assessment sheet."""

    track: str
    heading: str | None  # set on the after-sales sheet, where several projects share a sheet
    project: Field
    lead: Field
    overview: Field
    schedule: PairBlock | None
    cost: PairBlock | None
    boxes: tuple[BoxLine, ...]
    reserved: Field
    evidence: Field | None
    columns: tuple[str, ...]  # item, weight, bands, then one per scorer
    scorers: tuple[str, ...]
    rows: tuple[ScoreRow, ...]
    total_label: str
    totals: tuple[str, ...]
    composite: Field
    grade: Field
    final: Field
    share: Field
    opinion: Field
    split_label: str
    split: tuple[SplitRow, ...]
    notes_label: str
    notes: tuple[str, ...]
    draft: bool


@dataclass(frozen=True)
class AssessmentSheet:
    """A whole assessment sheet: title, header, one block per project, signatures."""

    lang: str
    track: str
    title: str
    draft: str | None  # the DRAFT mark and why, or None once approved
    header: tuple[Field, ...]
    blocks: tuple[Block, ...]
    notes: tuple[str, ...]  # sheet-level notes (the inferred rubric)
    signatures: tuple[Signature, ...]
    date: Field
    footer: str


@dataclass(frozen=True)
class ListTable:
    """A table of a statement: ``kind`` tells the renderer which column widths to use."""

    kind: str
    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numeric: tuple[int, ...] = ()  # right-aligned columns
    empty: str = ""


@dataclass(frozen=True)
class ListSheet:
    """A payout statement or a personal statement."""

    lang: str
    kind: str  # "payout" | "statement"
    title: str
    draft: str | None
    header: tuple[Field, ...]
    tables: tuple[ListTable, ...]
    summary: tuple[Field, ...]
    anchor: str | None
    signatures: tuple[Signature, ...]
    date: Field
    footer: str


@dataclass(frozen=True)
class TrackingSheet:
    """The weekly pre-sales project tracking sheet (售前项目跟踪表): one row per project."""

    lang: str
    title: str
    header: tuple[Field, ...]
    table: ListTable
    count: str
    signatures: tuple[Signature, ...]
    date: Field
    footer: str


def money(value: Any) -> str:
    """An exact amount (``"5808.00"``, Decimal or int yuan) as a sheet writes it: ``5,808.00``.
    Unknown amounts are an empty cell."""
    if value is None or value == "":
        return ""
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    sign = "-" if amount < 0 else ""
    return f"{sign}{abs(amount).quantize(Decimal('0.01')):,.2f}"


def _dec(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def _number(value: Decimal) -> str:
    """A plain number without trailing zeros: 40, 0.5, 12.5."""
    text = format(value.normalize(), "f")
    return text


def _points(value: Any) -> str:
    return "" if value is None else str(value)


def quarter_text(quarter: str | None, lang: str) -> str:
    """``2026Q4`` → 2026年第4季度 / 2026 Q4; anything else as given."""
    if quarter and len(quarter) == 6 and quarter[4] in "Qq" and quarter[:4].isdigit():
        return t_in(lang, "form.quarter", year=quarter[:4], n=quarter[5])
    return quarter or ""


def _t(lang: str, key: str, **params: object) -> str:
    return t_in(lang, key, **params)


def _track_policy(policy: Any, track: str) -> Any:
    try:
        return policy.track(track)
    except Exception:  # a document from a policy this one does not know: labels fall back
        return None


def _draft_reason(lang: str, status: str | None) -> str | None:
    if status == "approved":
        return None
    reason_key = f"form.draft_reason.{status}"
    reason = _t(lang, reason_key)
    if reason == reason_key:
        reason = _t(lang, "form.draft_reason.open")
    return f"{_t(lang, 'form.draft')} · {reason}"


def _signatures(lang: str, records: Mapping[str, str]) -> tuple[Signature, ...]:
    return (
        Signature(_t(lang, "form.label.director"), records.get("director", "")),
        Signature(_t(lang, "form.label.gm"), records.get("gm", "")),
    )


def _footer(lang: str, doc_policy: Any) -> str:
    pid = doc_policy.get("id") if isinstance(doc_policy, Mapping) else doc_policy
    if not pid:
        return _t(lang, "form.generated_plain")
    return _t(lang, "form.generated", policy=pid)
