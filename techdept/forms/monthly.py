"""The month's assessment sheets (月度考核表) as a printable list: one table per group of
engineers (their points per item, total, note), who is missing, which managers are late, and
the managers' and director's signatures. Pure: built from ``monthly list --json`` and the
policy's labels; drawn by ``forms.render.draw_list``."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from techdept.forms.context import Field, ListSheet, ListTable, Signature, _footer, _t


def _label(value: Mapping[str, str], lang: str) -> str:
    return value.get(lang) or value.get("zh") or ""


def _points(value: Any) -> str:
    if value in (None, ""):
        return ""
    return format(Decimal(str(value)).normalize(), "f")


def _item_head(label: str, maximum: str, lang: str) -> str:
    return f"{label}（{maximum}）" if lang == "zh" else f"{label} ({maximum})"


def _tables(doc: Mapping[str, Any], lang: str, monthly: Any) -> tuple[ListTable, ...]:
    """One table per group: engineer, status, each item's points, total, who scored, note."""
    items = monthly.items
    tables = []
    for group in monthly.groups:
        sheets = [s for s in doc.get("sheets", ()) if s.get("group") == group.key]
        rows = tuple(
            (
                f"{s['name']} ({s['staff']})",
                _t(lang, f"monthly.status.{s['status']}"),
                *[_points((s.get("items") or {}).get(i.key)) for i in items],
                _points(s.get("total")),
                str(s.get("scored_by") or ""),
                str(s.get("note") or ""),
            )
            for s in sheets
        )
        tables.append(
            ListTable(
                "monthly",
                _label(group.label, lang),
                (
                    _t(lang, "monthly.col.engineer"),
                    _t(lang, "monthly.col.status"),
                    *[_item_head(_label(i.label, lang), _points(i.max), lang) for i in items],
                    _t(lang, "monthly.col.total"),
                    _t(lang, "monthly.col.scored_by"),
                    _t(lang, "monthly.col.note"),
                ),
                rows,
                numeric=tuple(range(2, 3 + len(items))),
                empty=_t(lang, "monthly.form.no_engineers"),
            )
        )
    return tuple(tables)


def monthly_context(doc: Mapping[str, Any], lang: str, policy: Any) -> ListSheet:
    """The month's sheets: the groups' tables, who is done, missing and late, signatures."""
    monthly = policy.monthly
    tables = _tables(doc, lang, monthly)
    late = [m for m in doc.get("managers", ()) if m.get("late")]
    summary = (
        Field(_t(lang, "monthly.form.done"), str(doc.get("done", 0))),
        Field(_t(lang, "monthly.form.missing"), str(doc.get("missing", 0))),
        Field(
            _t(lang, "monthly.form.late"),
            "、".join(f"{m['name']} ({m['staff']})" for m in late) or _t(lang, "monthly.no"),
        ),
    )
    header = (
        Field(_t(lang, "monthly.form.month"), str(doc.get("month", ""))),
        Field(_t(lang, "monthly.form.due"), str(doc.get("due", ""))),
        Field(_t(lang, "monthly.form.max"), _points(doc.get("max_total"))),
    )
    submitters = dict.fromkeys(g.submitter for g in monthly.groups)
    signatures = (
        *(Signature(_t(lang, f"role.{role}")) for role in submitters),
        Signature(_t(lang, "role.director")),
    )
    return ListSheet(
        lang=lang,
        kind="monthly",
        title=_t(lang, "monthly.form.title"),
        draft=_t(lang, "monthly.policy.example") if monthly.example else None,
        header=header,
        tables=tables,
        summary=summary,
        anchor=None,
        signatures=signatures,
        date=Field(_t(lang, "form.label.sign_date"), _t(lang, "form.blank_date")),
        footer=_footer(lang, doc.get("policy")),
    )
