"""The payout list and a person's statement as Excel workbooks (``--xlsx``), drawn from their
documents: the list's lines, each person's total and the pool's movements; the statement's
paid lines."""

from __future__ import annotations

from typing import Any

from techdept.commands import _xlsx
from techdept.commands import bonus_words as w
from techdept.i18n import t
from techdept.output import money

PAYOUT_COLUMNS = [
    ("line", "bonus.col.line", "int"),
    ("project", "bonus.col.project", "text"),
    ("project_name", "xlsx.col.project_name", "text"),
    ("track", "bonus.col.track", "text"),
    ("slice", "bonus.col.slice", "text"),
    ("staff", "xlsx.col.staff", "text"),
    ("name", "label.name", "text"),
    ("role", "bonus.col.role", "text"),
    ("amount", "bonus.col.amount", "money"),
    ("status", "bonus.col.status", "text"),
    ("why", "bonus.col.why", "text"),
]
PERSON_COLUMNS = [
    ("staff", "label.code", "text"),
    ("name", "label.name", "text"),
    ("amount", "bonus.col.amount", "money"),
]
POOL_COLUMNS = [
    ("on", "bonus.col.date", "date"),
    ("project", "bonus.col.project", "text"),
    ("track", "bonus.col.track", "text"),
    ("slice", "bonus.col.slice", "text"),
    ("kind", "bonus.col.kind", "text"),
    ("amount", "bonus.col.amount", "money"),
]
STATEMENT_COLUMNS = ("run_on", "quarter", "project", "track", "slice", "role", "amount", "why")


def _columns(spec: list[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
    return [(key, t(label), kind) for key, label, kind in spec]


def _sheet(st: Any, name: str, title: str, spec: Any, rows: list[dict[str, Any]]) -> Any:
    return _xlsx.sheet(st, name, title, _columns(spec), rows,
                       total_label=t("xlsx.total"), totals=("amount",))  # fmt: skip


def payout_workbook(st: Any, doc: Any, title: str, path: str, force: bool) -> None:
    """The payout list as a workbook: the lines, then (not for the waiting lines alone) the
    totals per person and the pool's movements."""
    rows = [
        {
            "line": x.line_id,
            "project": x.project,
            "project_name": x.project_name,
            "track": w.track(x.track),
            "slice": x.slice_quarter or "",
            "staff": x.staff,
            "name": x.name,
            "role": w.role(x.role, x.track, st.policy),
            "amount": x.amount_fen,
            "status": t("bonus.paid") if x.paid else t("bonus.payable"),
            "why": w.why(x),
        }
        for x in doc.lines
    ]
    sheets = [_sheet(st, t("xlsx.sheet.payout"), title, PAYOUT_COLUMNS, rows)]
    if not doc.only_pending:
        people = [{"staff": p.staff, "name": p.name, "amount": p.amount_fen} for p in doc.totals]
        sheets.append(
            _sheet(st, t("xlsx.sheet.totals"), t("bonus.totals_title"), PERSON_COLUMNS, people)
        )
        sheets.append(_pool_sheet(st, doc))
    _xlsx.export(st, path, force, sheets)


def _pool_sheet(st: Any, doc: Any) -> Any:
    moves = [
        {
            "on": m.on,
            "project": m.project,
            "track": w.track(m.track),
            "slice": m.slice_quarter or "",
            "kind": t(f"bonus.pool_kind.{m.kind}"),
            "amount": m.amount_fen,
        }
        for m in doc.pool_movements
    ]
    title = (
        t("bonus.pool_quarter_title")
        + " · "
        + t("bonus.pool_balance", balance=money(doc.pool_balance_fen))
    )
    return _sheet(st, t("xlsx.sheet.pool"), title, POOL_COLUMNS, moves)


def statement_workbook(
    st: Any, doc: Any, rows: list[dict[str, str]], title: str, path: str, force: bool
) -> None:
    """A person's paid lines as a workbook (``rows``: as the terminal table words them)."""
    kinds = {"run_on": "date", "amount": "money"}
    spec = [(k, f"bonus.col.{k}", kinds.get(k, "text")) for k in STATEMENT_COLUMNS]
    cells = [
        r | {"run_on": s.line.run_on, "amount": s.line.amount_fen}
        for r, s in zip(rows, doc.lines, strict=True)
    ]
    _xlsx.export(st, path, force, [_sheet(st, t("xlsx.sheet.statement"), title, spec, cells)])
