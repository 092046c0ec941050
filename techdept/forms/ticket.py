"""The after-sales paper forms of one ticket, in the style of the assessment sheets: the fault
ticket 故障单, the customer service report 客户服务报告 and the trip request 出差申请单, each
with its signature lines (and who signed in the ledger, when anyone has)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from techdept.forms.context import Field, Signature
from techdept.i18n import t_in

KINDS = ("ticket", "service-report", "trip")
WIDTHS = (3.0, 5.5, 3.0, 5.5)


@dataclass(frozen=True)
class TicketSheet:
    lang: str
    kind: str
    title: str
    header: tuple[Field, ...]
    pairs: tuple[tuple[Field, Field | None], ...]  # two fields a row, or one full-width
    history: tuple[tuple[str, str, str, str], ...]
    history_columns: tuple[str, str, str, str]
    signatures: tuple[Signature, ...]
    date: Field
    footer: str


def _money(text: str | None) -> str:
    if text is None:
        return "—"
    value = Decimal(text)
    return f"¥{value:,.2f}"


def ticket_context(doc: Mapping[str, Any], kind: str, lang: str) -> TicketSheet:
    """A ticket (``ticket show --json``) as one of its three forms."""

    def tr(key: str, **params: Any) -> str:
        return t_in(lang, key, **params)

    def f(label_key: str, value: Any) -> Field:
        return Field(tr(f"ticket.label.{label_key}"), "—" if value in (None, "") else str(value))

    trip = doc.get("trip") or {}
    customer_sig = doc.get("customer_signature") or {}
    status = tr(f"ticket.status.{doc['status']}")
    header = (
        Field(tr("ticket.label.id"), doc["id"]),
        Field(tr("ticket.label.project"), f"{doc['project_name']}（{doc['project']}）"),
        Field(tr("label.customer"), doc["customer"]),
    )
    warranty = (
        tr("ticket.out_of_warranty")
        if doc["out_of_warranty"]
        else tr("ticket.warranty_until", end=doc.get("warranty_end") or "—")
    )
    engineer = doc.get("engineer_name") or doc.get("engineer")
    pairs: list[tuple[Field, Field | None]] = []
    signatures: list[Signature] = []
    if kind == "ticket":
        pairs += [
            (
                f("channel", tr(f"ticket.channel.{doc['channel']}")),
                f("reported_at", doc["reported_at"]),
            ),
            (f("contact", f"{doc['contact']} {doc['phone']}"), f("warranty", warranty)),
            (f("symptom", doc["symptom"]), None),
            (f("engineer", engineer), f("assigned_at", doc.get("assigned_at"))),
            (
                f("status", status),
                f(
                    "solved_by",
                    tr(f"ticket.solved.{doc['solved_by']}") if doc.get("solved_by") else None,
                ),
            ),
            (f("service_date", doc.get("service_date")), f("archived_on", doc.get("archived_on"))),
        ]
        signatures = [
            Signature(tr("ticket.form.sign.registrar"), _by(doc, "new", lang)),
            Signature(tr("ticket.form.sign.manager"), _by(doc, "assign", lang)),
        ]
    elif kind == "service-report":
        pairs += [
            (
                f("contact", f"{doc['contact']} {doc['phone']}"),
                f("reported_at", doc["reported_at"]),
            ),
            (f("symptom", doc["symptom"]), None),
            (
                f("engineer", engineer),
                f(
                    "solved_by",
                    tr(f"ticket.solved.{doc['solved_by']}") if doc.get("solved_by") else None,
                ),
            ),
            (f("service_date", doc.get("service_date")), f("warranty", warranty)),
            (f("service_report", doc.get("service_report")), None),
        ]
        for repair in doc.get("repairs") or []:
            cost = tr("ticket.free") if repair["in_warranty"] else _money(repair["quote"])
            line = tr(f"ticket.repair_line.{repair['action']}", part=repair["part"], cost=cost)
            pairs.append((f("repair", line), None))
        customer_record = (
            tr("ticket.form.signed", who=customer_sig["name"], date=customer_sig["date"])
            if customer_sig
            else ""
        )
        signatures = [
            Signature(tr("ticket.form.sign.customer"), customer_record),
            Signature(tr("ticket.form.sign.manager"), _by(doc, "manager-sign", lang)),
        ]
        if doc.get("solved_by") == "phone":
            signatures = [Signature(tr("ticket.form.sign.engineer"), _by(doc, "call", lang))]
        pairs.append((f("archived_on", doc.get("archived_on")), None))
    else:  # trip
        first, last = trip.get("from"), trip.get("to")
        days = (dt.date.fromisoformat(last) - dt.date.fromisoformat(first)).days + 1
        pairs += [
            (f("engineer", engineer), f("status", status)),
            (
                Field(
                    tr("ticket.form.trip_dates"),
                    tr("ticket.form.days", first=first, last=last, days=days),
                ),
                None,
            ),
            (Field(tr("ticket.form.purpose"), trip.get("purpose") or "—"), None),
            (f("symptom", doc["symptom"]), None),
        ]
        for expense in doc.get("expenses") or []:
            pairs.append(
                (
                    Field(tr("ticket.label.expenses"), _money(expense["amount"])),
                    Field(tr("ticket.form.note"), expense["note"]),
                )
            )
        if doc.get("expenses"):
            pairs.append((Field(tr("ticket.form.total"), _money(doc.get("expenses_total"))), None))
        signatures = [
            Signature(tr("ticket.form.sign.applicant"), _by(doc, "trip", lang)),
            Signature(tr("ticket.form.sign.sales"), _approval(doc, "sales", lang)),
            Signature(tr("ticket.form.sign.manager"), _approval(doc, "manager", lang)),
        ]
    history: tuple[tuple[str, str, str, str], ...] = ()
    if kind == "ticket":
        history = tuple(
            (
                h["at"],
                tr(f"ticket.action.{h['action']}"),
                tr("ticket.on_behalf", actor=h["actor"], behalf=h["on_behalf_of"])
                if h.get("on_behalf_of")
                else h["actor"],
                tr(f"ticket.status.{h['status']}"),
            )
            for h in doc.get("history") or []
        )
    return TicketSheet(
        lang=lang,
        kind=kind,
        title=tr(f"ticket.form.title.{kind}"),
        header=header,
        pairs=tuple(pairs),
        history=history,
        history_columns=(
            tr("ticket.label.at"),
            tr("ticket.label.action"),
            tr("ticket.label.by"),
            tr("ticket.label.status"),
        ),
        signatures=tuple(signatures),
        date=Field(tr("ticket.form.date"), "　　年　　月　　日" if lang == "zh" else "________"),
        footer=tr("ticket.form.footer", id=doc["id"], status=status),
    )


def _events(doc: Mapping[str, Any], action: str) -> Sequence[Mapping[str, Any]]:
    return [h for h in doc.get("history") or [] if h["action"] == action]


def _by(doc: Mapping[str, Any], action: str, lang: str) -> str:
    events = _events(doc, action)
    if not events:
        return ""
    last = events[-1]
    who = last["actor"]
    if last.get("on_behalf_of"):
        who = t_in(lang, "ticket.on_behalf", actor=who, behalf=last["on_behalf_of"])
    return t_in(lang, "ticket.form.signed", who=who, date=last["at"][:10])


def _approval(doc: Mapping[str, Any], side: str, lang: str) -> str:
    for h in reversed(_events(doc, "approve-trip")):
        if (h.get("data") or {}).get("as") == side:
            return t_in(lang, "ticket.form.signed", who=h["actor"], date=h["at"][:10])
    return ""


def draw_ticket(ctx: TicketSheet) -> Any:
    """The document of a ticket's form (A4 portrait)."""
    from techdept.forms.render import (
        LABEL,
        LABEL_LEFT,
        TEXT,
        Cell,
        Sheet,
        Style,
        _signature_lines,
    )

    sheet = Sheet(ctx.title, ctx.lang)
    sheet.title(ctx.title)
    sheet.fields_line([(f.label, f.value) for f in ctx.header])
    grid = sheet.table(WIDTHS)
    for left, right in ctx.pairs:
        if right is None:
            grid.row([Cell(left.label, style=LABEL_LEFT), Cell(left.value, span=3, style=TEXT)])
        else:
            grid.row(
                [
                    Cell(left.label, style=LABEL_LEFT),
                    Cell(left.value, style=TEXT),
                    Cell(right.label, style=LABEL_LEFT),
                    Cell(right.value, style=TEXT),
                ]
            )
    if ctx.history:
        sheet.gap()
        hist = sheet.table((3.6, 4.0, 4.4, 5.0))
        hist.row([Cell(c, style=LABEL) for c in ctx.history_columns], header=True)
        for row in ctx.history:
            hist.row([Cell(c, style=TEXT) for c in row])
    sheet.para("", Style(after=240))
    _signature_lines(sheet, ctx.signatures, ctx.date)
    from techdept.forms.render import GRAY, SMALL

    sheet.para(ctx.footer, Style(size=SMALL, color=GRAY, before=120))
    return sheet
