"""The payout statement of a quarter and a person's statement."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from techdept.forms.context.common import (
    Field,
    ListSheet,
    ListTable,
    Signature,
    _dec,
    _footer,
    _t,
    _track_policy,
    money,
    quarter_text,
)


def _role_label(line: Mapping[str, Any], policy: Any, lang: str) -> str:
    role = line.get("role", "")
    track = line.get("track") or ""
    tp = _track_policy(policy, track) if policy is not None and track else None
    if role == "lead" and tp is not None:
        label = _t(lang, f"position.{tp.lead_role}")
    elif role == "engineer" and tp is not None:
        label = _t(lang, f"position.{tp.engineer_role}")
    else:
        label = _t(lang, f"form.role.{role}")
        label = role if label == f"form.role.{role}" else label
    if line.get("source") == "reversal":
        label = (
            f"{label}（{_t(lang, 'form.role.reversal')}）"
            if lang == "zh"
            else (f"{label} ({_t(lang, 'form.role.reversal')})")
        )
    return label


def _track_label(track: str, lang: str) -> str:
    label = _t(lang, f"track.{track}")
    return track if label == f"track.{track}" else label


def _sum(values: Iterable[Any]) -> Decimal:
    total = Decimal(0)
    for value in values:
        amount = _dec(value)
        if amount is not None:
            total += amount
    return total


def _paid_text(line: Mapping[str, Any], lang: str) -> str:
    status = line.get("status")
    if status in ("payable", "pending"):
        return _t(lang, f"bonus.status.{status}")
    return _t(lang, "form.payout.paid" if line.get("paid") else "form.payout.unpaid")


def _anchor(lang: str, audit_head: str | None) -> str | None:
    """ "audit row N · HASH" for a signed sheet (``audit_head`` is "N · HASH" or a bare hash)."""
    if not audit_head:
        return None
    row, _, digest = audit_head.rpartition(" · ")
    return _t(lang, "form.payout.anchor", row=row or "—", hash=digest)


def _payout_header(doc: Mapping[str, Any], lang: str) -> tuple[Field, ...]:
    quarter = doc.get("quarter", "")
    window = doc.get("window") or [None, None]
    shown = quarter_text(quarter, lang)
    return (
        Field(
            _t(lang, "form.label.payout_quarter"),
            f"{shown}（{quarter}）" if lang == "zh" else f"{shown} ({quarter})",
        ),
        Field(
            _t(lang, "form.label.window"),
            _t(lang, "form.payout.window", first=window[0] or "", last=window[1] or ""),
        ),
    )


def _payout_rows(
    lines: Sequence[Mapping[str, Any]], policy: Any, lang: str
) -> tuple[tuple[str, ...], ...]:
    return tuple(
        (
            str(line.get("project", "")),
            str(line.get("project_name") or ""),
            _track_label(str(line.get("track", "")), lang),
            str(line.get("slice_quarter") or ""),
            str(line.get("name") or line.get("staff", "")),
            _role_label(line, policy, lang),
            money(line.get("amount")),
            _paid_text(line, lang),
        )
        for line in lines
    )


def _person_rows(
    doc: Mapping[str, Any], lines: Sequence[Mapping[str, Any]]
) -> tuple[tuple[str, ...], ...]:
    """Each person's total: the list's own totals, else summed from its lines."""
    if doc.get("totals") is not None:
        return tuple(
            (
                str(p.get("staff", "")),
                str(p.get("name") or p.get("staff", "")),
                money(p.get("amount")),
            )
            for p in doc["totals"]
        )
    persons: dict[str, list[Any]] = {}
    for line in lines:
        key = str(line.get("staff", ""))
        entry = persons.setdefault(key, [line.get("name") or key, Decimal(0)])
        entry[1] += _dec(line.get("amount")) or Decimal(0)
    return tuple(
        (code, str(name), money(amount)) for code, (name, amount) in sorted(persons.items())
    )


def _payout_summary(
    doc: Mapping[str, Any], lines: Sequence[Mapping[str, Any]], lang: str
) -> tuple[Field, ...]:
    director_total = _sum(line.get("amount") for line in lines if line.get("role") == "director")
    total = doc.get("total")
    summary: tuple[Field, ...] = (
        Field(_t(lang, "form.payout.director_awards"), money(director_total)),
        Field(_t(lang, "form.payout.pool"), money(doc.get("pool"))),
    )
    if doc.get("pool_balance") is not None:
        summary += (Field(_t(lang, "form.payout.pool_balance"), money(doc["pool_balance"])),)
    return (
        *summary,
        Field(
            _t(lang, "form.payout.total"),
            money(total if total is not None else _sum(line.get("amount") for line in lines)),
        ),
    )


def _payout_tables(
    doc: Mapping[str, Any], lines: Sequence[Mapping[str, Any]], policy: Any, lang: str
) -> tuple[ListTable, ...]:
    line_columns = ("project_code", "project_name", "track", "slice_quarter", "person", "role",
                    "amount", "paid")  # fmt: skip
    return (
        ListTable(
            "payout-lines",
            _t(lang, "form.payout.lines"),
            tuple(_t(lang, f"form.label.{c}") for c in line_columns),
            _payout_rows(lines, policy, lang),
            numeric=(6,),
            empty=_t(lang, "form.payout.no_lines"),
        ),
        ListTable(
            "payout-persons",
            _t(lang, "form.payout.persons"),
            tuple(_t(lang, f"form.label.{c}") for c in ("staff", "name", "amount")),
            _person_rows(doc, lines),
            numeric=(2,),
            empty="—",
        ),
    )


def payout_context(
    doc: Mapping[str, Any],
    lang: str,
    *,
    policy: Any = None,
    audit_head: str | None = None,
    director: str | None = None,
) -> ListSheet:
    """The quarter's payout list (``bonus --quarter Q --json``) as a statement to sign."""
    lines = list(doc.get("lines") or [])
    unpaid = any(not line.get("paid") for line in lines)
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
        tables=_payout_tables(doc, lines, policy, lang),
        summary=_payout_summary(doc, lines, lang),
        anchor=_anchor(lang, audit_head),
        signatures=signatures,
        date=Field(_t(lang, "form.label.sign_date"), _t(lang, "form.blank_date")),
        footer=_footer(lang, doc.get("policy")),
    )


def statement_context(
    doc: Mapping[str, Any], lang: str, *, policy: Any = None, audit_head: str | None = None
) -> ListSheet:
    """One person's lines of a year: ``{staff, name, year, lines: [{quarter, project,
    project_name, track, slice_quarter, role, amount, paid}]}``."""
    lines = sorted(
        doc.get("lines") or [],
        key=lambda line: (str(line.get("quarter", "")), str(line.get("project", ""))),
    )
    rows = tuple(
        (
            str(line.get("quarter", "")),
            str(line.get("project", "")),
            str(line.get("project_name") or ""),
            _track_label(str(line.get("track", "")), lang),
            _role_label(line, policy, lang),
            money(line.get("amount")),
            _paid_text(line, lang),
        )
        for line in lines
    )
    total = _sum(line.get("amount") for line in lines)
    paid = _sum(line.get("amount") for line in lines if line.get("paid"))
    pending = _sum(line.get("amount") for line in lines if line.get("status") == "pending")
    header = (
        Field(_t(lang, "form.label.name"), str(doc.get("name") or doc.get("staff", ""))),
        Field(_t(lang, "form.label.staff"), str(doc.get("staff", ""))),
        Field(
            _t(lang, "form.label.year"),
            str(doc["year"]) if doc.get("year") else _t(lang, "form.all_years"),
        ),
    )
    table = ListTable(
        "statement-lines",
        _t(lang, "form.statement.lines"),
        (
            _t(lang, "form.label.payout_quarter"),
            _t(lang, "form.label.project_code"),
            _t(lang, "form.label.project_name"),
            _t(lang, "form.label.track"),
            _t(lang, "form.label.role"),
            _t(lang, "form.label.amount"),
            _t(lang, "form.label.paid"),
        ),
        rows,
        numeric=(5,),
        empty=_t(lang, "form.statement.no_lines"),
    )
    summary = (
        Field(_t(lang, "form.statement.total"), money(total)),
        Field(_t(lang, "form.statement.paid"), money(paid)),
        Field(_t(lang, "form.statement.unpaid"), money(total - paid - pending)),
        Field(_t(lang, "form.statement.pending"), money(pending)),
    )
    return ListSheet(
        lang=lang,
        kind="statement",
        title=_t(lang, "form.statement.title"),
        draft=None,
        header=header,
        tables=(table,),
        summary=summary,
        anchor=_anchor(lang, audit_head),
        signatures=(
            Signature(_t(lang, "form.statement.confirm")),
            Signature(_t(lang, "form.label.director")),
        ),
        date=Field(_t(lang, "form.label.sign_date"), _t(lang, "form.blank_date")),
        footer=_footer(lang, doc.get("policy")),
    )
