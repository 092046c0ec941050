"""The payout statement of a quarter and a person's statement, drawn from their documents
(``documents.payout.PayoutDoc``, ``documents.statement.StatementDoc``; a JSON mapping of
either is read through its ``from_json``)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from techdept.documents.payout import PayoutDoc, PayoutLine
from techdept.documents.statement import StatementDoc
from techdept.forms.context.common import (
    Field,
    ListSheet,
    ListTable,
    Signature,
    _footer,
    _t,
    _track_policy,
    money,
    quarter_text,
)


def _role_label(line: PayoutLine, policy: Any, lang: str) -> str:
    role = line.role
    track = line.track or ""
    tp = _track_policy(policy, track) if policy is not None and track else None
    if role == "lead" and tp is not None:
        label = _t(lang, f"position.{tp.lead_role}")
    elif role == "engineer" and tp is not None:
        label = _t(lang, f"position.{tp.engineer_role}")
    else:
        label = _t(lang, f"form.role.{role}")
        label = role if label == f"form.role.{role}" else label
    if line.source == "reversal":
        label = (
            f"{label}（{_t(lang, 'form.role.reversal')}）"
            if lang == "zh"
            else (f"{label} ({_t(lang, 'form.role.reversal')})")
        )
    return label


def _track_label(track: str, lang: str) -> str:
    label = _t(lang, f"track.{track}")
    return track if label == f"track.{track}" else label


def _yuan(fen: int | None) -> str:
    """Fen as the sheet writes yuan (``5,808.00``); unknown: an empty cell."""
    return "" if fen is None else money(Decimal(fen).scaleb(-2))


def _fen(lines: Iterable[PayoutLine]) -> int:
    return sum(line.amount_fen for line in lines)


def _paid_text(line: PayoutLine, lang: str) -> str:
    if not line.paid and line.pending is not None:  # payable now, or pending its final payment
        return _t(lang, f"bonus.status.{line.status}")
    return _t(lang, "form.payout.paid" if line.paid else "form.payout.unpaid")


def _anchor(lang: str, audit_head: str | None) -> str | None:
    """ "audit row N · HASH" for a signed sheet (``audit_head`` is "N · HASH" or a bare hash)."""
    if not audit_head:
        return None
    row, _, digest = audit_head.rpartition(" · ")
    return _t(lang, "form.payout.anchor", row=row or "—", hash=digest)


def _payout_header(doc: PayoutDoc, lang: str) -> tuple[Field, ...]:
    quarter = doc.quarter
    first, last = (day.isoformat() if day else "" for day in doc.window)
    shown = quarter_text(quarter, lang)
    return (
        Field(
            _t(lang, "form.label.payout_quarter"),
            f"{shown}（{quarter}）" if lang == "zh" else f"{shown} ({quarter})",
        ),
        Field(
            _t(lang, "form.label.window"), _t(lang, "form.payout.window", first=first, last=last)
        ),
    )


def _payout_rows(
    lines: Iterable[PayoutLine], policy: Any, lang: str
) -> tuple[tuple[str, ...], ...]:
    return tuple(
        (
            line.project,
            line.project_name,
            _track_label(line.track or "", lang),
            line.slice_quarter or "",
            line.name or line.staff,
            _role_label(line, policy, lang),
            _yuan(line.amount_fen),
            _paid_text(line, lang),
        )
        for line in lines
    )


def _payout_summary(doc: PayoutDoc, lang: str) -> tuple[Field, ...]:
    director_total = _fen(line for line in doc.lines if line.role == "director")
    summary: tuple[Field, ...] = (
        Field(_t(lang, "form.payout.director_awards"), _yuan(director_total)),
        Field(_t(lang, "form.payout.pool"), _yuan(doc.pool_fen)),
    )
    if doc.pool_balance_fen is not None:
        summary += (Field(_t(lang, "form.payout.pool_balance"), _yuan(doc.pool_balance_fen)),)
    return (*summary, Field(_t(lang, "form.payout.total"), _yuan(doc.total_fen)))


def _payout_tables(doc: PayoutDoc, policy: Any, lang: str) -> tuple[ListTable, ...]:
    line_columns = ("project_code", "project_name", "track", "slice_quarter", "person", "role",
                    "amount", "paid")  # fmt: skip
    return (
        ListTable(
            "payout-lines",
            _t(lang, "form.payout.lines"),
            tuple(_t(lang, f"form.label.{c}") for c in line_columns),
            _payout_rows(doc.lines, policy, lang),
            numeric=(6,),
            empty=_t(lang, "form.payout.no_lines"),
        ),
        ListTable(
            "payout-persons",
            _t(lang, "form.payout.persons"),
            tuple(_t(lang, f"form.label.{c}") for c in ("staff", "name", "amount")),
            tuple((p.staff, p.name or p.staff, _yuan(p.amount_fen)) for p in doc.totals),
            numeric=(2,),
            empty="—",
        ),
    )


def payout_context(
    doc: PayoutDoc | Mapping[str, Any],
    lang: str,
    *,
    policy: Any = None,
    audit_head: str | None = None,
    director: str | None = None,
) -> ListSheet:
    """The quarter's payout list (``bonus --quarter Q``) as a statement to sign."""
    if not isinstance(doc, PayoutDoc):
        doc = PayoutDoc.from_json(doc)
    unpaid = any(not line.paid for line in doc.lines)
    signatures = (
        Signature(_t(lang, "form.label.director"), director or ""),
        Signature(_t(lang, "form.label.gm")),
        Signature(_t(lang, "form.label.finance")),
    )
    return ListSheet(
        lang=lang,
        kind="payout",
        title=f"{_t(lang, 'form.payout.title')}",
        draft=(
            f"{_t(lang, 'form.draft')} · {_t(lang, 'form.draft_reason.payout')}" if unpaid else None
        ),
        header=_payout_header(doc, lang),
        tables=_payout_tables(doc, policy, lang),
        summary=_payout_summary(doc, lang),
        anchor=_anchor(lang, audit_head),
        signatures=signatures,
        date=Field(_t(lang, "form.label.sign_date"), _t(lang, "form.blank_date")),
        footer=_footer(lang, doc.policy),
    )


def statement_context(
    doc: StatementDoc | Mapping[str, Any],
    lang: str,
    *,
    policy: Any = None,
    audit_head: str | None = None,
) -> ListSheet:
    """One person's statement: the paid lines (of a year) and those not paid yet."""
    if not isinstance(doc, StatementDoc):
        doc = StatementDoc.from_json(doc)
    # the lines not paid yet have no payout quarter: they come first
    dated = [(s.quarter, s.line) for s in doc.lines] + [("", x) for x in doc.open]
    dated.sort(key=lambda pair: (pair[0], pair[1].project))
    lines = [line for _, line in dated]
    total = _fen(lines)
    paid = _fen(line for line in lines if line.paid)
    pending = _fen(line for line in lines if not line.paid and line.pending)
    return ListSheet(
        lang=lang,
        kind="statement",
        title=_t(lang, "form.statement.title"),
        draft=None,
        header=_statement_header(doc, lang),
        tables=(_statement_table(dated, policy, lang),),
        summary=(
            Field(_t(lang, "form.statement.total"), _yuan(total)),
            Field(_t(lang, "form.statement.paid"), _yuan(paid)),
            Field(_t(lang, "form.statement.unpaid"), _yuan(total - paid - pending)),
            Field(_t(lang, "form.statement.pending"), _yuan(pending)),
        ),
        anchor=_anchor(lang, audit_head),
        signatures=(
            Signature(_t(lang, "form.statement.confirm")),
            Signature(_t(lang, "form.label.director")),
        ),
        date=Field(_t(lang, "form.label.sign_date"), _t(lang, "form.blank_date")),
        footer=_footer(lang, doc.policy),
    )


def _statement_header(doc: StatementDoc, lang: str) -> tuple[Field, ...]:
    return (
        Field(_t(lang, "form.label.name"), doc.name or doc.staff),
        Field(_t(lang, "form.label.staff"), doc.staff),
        Field(
            _t(lang, "form.label.year"),
            str(doc.year) if doc.year else _t(lang, "form.all_years"),
        ),
    )


def _statement_table(dated: list[tuple[str, PayoutLine]], policy: Any, lang: str) -> ListTable:
    columns = ("payout_quarter", "project_code", "project_name", "track", "role", "amount", "paid")
    return ListTable(
        "statement-lines",
        _t(lang, "form.statement.lines"),
        tuple(_t(lang, f"form.label.{c}") for c in columns),
        tuple(
            (
                quarter,
                line.project,
                line.project_name,
                _track_label(line.track or "", lang),
                _role_label(line, policy, lang),
                _yuan(line.amount_fen),
                _paid_text(line, lang),
            )
            for quarter, line in dated
        ),
        numeric=(5,),
        empty=_t(lang, "form.statement.no_lines"),
    )
