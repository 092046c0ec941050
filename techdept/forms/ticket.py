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


class _Words:
    """The words of one form: catalogue lookups in the form's language."""

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def __call__(self, key: str, **params: Any) -> str:
        return t_in(self.lang, key, **params)

    def field(self, label_key: str, value: Any) -> Field:
        text = "—" if value in (None, "") else str(value)
        return Field(self(f"ticket.label.{label_key}"), text)


Pairs = list[tuple[Field, Field | None]]


def _solved_by(doc: Mapping[str, Any], tr: _Words) -> str | None:
    return tr(f"ticket.solved.{doc['solved_by']}") if doc.get("solved_by") else None


def _ticket_form(doc: Mapping[str, Any], tr: _Words, ctx: Mapping[str, str]) -> tuple[Pairs, list]:
    f = tr.field
    pairs: Pairs = [
        (
            f("channel", tr(f"ticket.channel.{doc['channel']}")),
            f("reported_at", doc["reported_at"]),
        ),
        (f("contact", f"{doc['contact']} {doc['phone']}"), f("warranty", ctx["warranty"])),
        (f("symptom", doc["symptom"]), None),
        (f("engineer", ctx["engineer"]), f("assigned_at", doc.get("assigned_at"))),
        (f("status", ctx["status"]), f("solved_by", _solved_by(doc, tr))),
        (f("service_date", doc.get("service_date")), f("archived_on", doc.get("archived_on"))),
    ]
    signatures = [
        Signature(tr("ticket.form.sign.registrar"), _by(doc, "new", tr.lang)),
        Signature(tr("ticket.form.sign.manager"), _by(doc, "assign", tr.lang)),
    ]
    return pairs, signatures


def _report_form(doc: Mapping[str, Any], tr: _Words, ctx: Mapping[str, str]) -> tuple[Pairs, list]:
    f = tr.field
    pairs: Pairs = [
        (f("contact", f"{doc['contact']} {doc['phone']}"), f("reported_at", doc["reported_at"])),
        (f("symptom", doc["symptom"]), None),
        (f("engineer", ctx["engineer"]), f("solved_by", _solved_by(doc, tr))),
        (f("service_date", doc.get("service_date")), f("warranty", ctx["warranty"])),
        (f("service_report", doc.get("service_report")), None),
    ]
    for repair in doc.get("repairs") or []:
        cost = tr("ticket.free") if repair["in_warranty"] else _money(repair["quote"])
        line = tr(f"ticket.repair_line.{repair['action']}", part=repair["part"], cost=cost)
        pairs.append((f("repair", line), None))
    customer_sig = doc.get("customer_signature") or {}
    customer_record = (
        tr("ticket.form.signed", who=customer_sig["name"], date=customer_sig["date"])
        if customer_sig
        else ""
    )
    signatures = [
        Signature(tr("ticket.form.sign.customer"), customer_record),
        Signature(tr("ticket.form.sign.manager"), _by(doc, "manager-sign", tr.lang)),
    ]
    if doc.get("solved_by") == "phone":
        signatures = [Signature(tr("ticket.form.sign.engineer"), _by(doc, "call", tr.lang))]
    pairs.append((f("archived_on", doc.get("archived_on")), None))
    return pairs, signatures


def _trip_form(doc: Mapping[str, Any], tr: _Words, ctx: Mapping[str, str]) -> tuple[Pairs, list]:
    f = tr.field
    trip = doc.get("trip") or {}
    first, last = trip.get("from"), trip.get("to")
    days = (dt.date.fromisoformat(last) - dt.date.fromisoformat(first)).days + 1
    dates = tr("ticket.form.days", first=first, last=last, days=days)
    pairs: Pairs = [
        (f("engineer", ctx["engineer"]), f("status", ctx["status"])),
        (Field(tr("ticket.form.trip_dates"), dates), None),
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
        Signature(tr("ticket.form.sign.applicant"), _by(doc, "trip", tr.lang)),
        Signature(tr("ticket.form.sign.sales"), _approval(doc, "sales", tr.lang)),
        Signature(tr("ticket.form.sign.manager"), _approval(doc, "manager", tr.lang)),
    ]
    return pairs, signatures


_FORMS = {"ticket": _ticket_form, "service-report": _report_form, "trip": _trip_form}


def _history(doc: Mapping[str, Any], tr: _Words) -> tuple[tuple[str, str, str, str], ...]:
    return tuple(
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


def ticket_context(doc: Mapping[str, Any], kind: str, lang: str) -> TicketSheet:
    """A ticket (``ticket show --json``) as one of its three forms."""
    tr = _Words(lang)
    status = tr(f"ticket.status.{doc['status']}")
    warranty = (
        tr("ticket.out_of_warranty")
        if doc["out_of_warranty"]
        else tr("ticket.warranty_until", end=doc.get("warranty_end") or "—")
    )
    engineer = doc.get("engineer_name") or doc.get("engineer")
    ctx = {"status": status, "warranty": warranty, "engineer": engineer}
    pairs, signatures = _FORMS[kind](doc, tr, ctx)
    return TicketSheet(
        lang=lang,
        kind=kind,
        title=tr(f"ticket.form.title.{kind}"),
        header=(
            Field(tr("ticket.label.id"), doc["id"]),
            Field(tr("ticket.label.project"), f"{doc['project_name']}（{doc['project']}）"),
            Field(tr("label.customer"), doc["customer"]),
        ),
        pairs=tuple(pairs),
        history=_history(doc, tr) if kind == "ticket" else (),
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


def draw_ticket(ctx: TicketSheet, company: str | None = None) -> Any:
    """The document of a ticket's form (drawn by ``forms.sheets.ticket``)."""
    from techdept.forms.sheets.ticket import draw_ticket as draw

    return draw(ctx, company)
