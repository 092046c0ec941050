"""The after-sales paper forms of one ticket, in the style of the assessment sheets: the fault
ticket 故障单, the customer service report 客户服务报告 and the trip request 出差申请单, each
with its signature lines (and who signed in the ledger, when anyone has)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from techdept.documents.ticket import Event, TicketDoc, local_text
from techdept.forms.context.common import Field, Signature
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


def _money(fen: int | None) -> str:
    """An amount in fen as the forms write it: ``¥1,205.50`` (— when unknown)."""
    if fen is None:
        return "—"
    return f"¥{Decimal(fen) / 100:,.2f}"


def _day(value: Any) -> str | None:
    return value.isoformat() if value else None


class _Words:
    """The words of one form: catalogue lookups in the form's language."""

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def __call__(self, key: str, **params: Any) -> str:
        return t_in(self.lang, key, **params)

    def field(self, label_key: str, value: Any) -> Field:
        text = "—" if value in (None, "") else str(value)
        return Field(self(f"ticket.label.{label_key}"), text)

    def who(self, event: Event) -> str:
        """Who took a step (for whom, when covering)."""
        if event.on_behalf_of:
            return self("ticket.on_behalf", actor=event.actor, behalf=event.on_behalf_of)
        return event.actor

    def signed(self, event: Event | None, who: str | None = None) -> str:
        """A signature line's record of the step: who, on which day (empty: not yet)."""
        if event is None:
            return ""
        date = _day(event.at.astimezone().date())
        return self("ticket.form.signed", who=who or self.who(event), date=date)


Pairs = list[tuple[Field, Field | None]]


def _solved_by(doc: TicketDoc, tr: _Words) -> str | None:
    return tr(f"ticket.solved.{doc.solved_by}") if doc.solved_by else None


def _ticket_form(doc: TicketDoc, tr: _Words, ctx: Mapping[str, str]) -> tuple[Pairs, list]:
    f = tr.field
    pairs: Pairs = [
        (
            f("channel", tr(f"ticket.channel.{doc.channel}")),
            f("reported_at", local_text(doc.reported_at)),
        ),
        (f("contact", f"{doc.contact} {doc.phone}"), f("warranty", ctx["warranty"])),
        (f("symptom", doc.symptom), None),
        (f("engineer", ctx["engineer"]), f("assigned_at", local_text(doc.assigned_at))),
        (f("status", ctx["status"]), f("solved_by", _solved_by(doc, tr))),
        (f("service_date", _day(doc.service_date)), f("archived_on", _day(doc.archived_on))),
    ]
    signatures = [
        Signature(tr("ticket.form.sign.registrar"), tr.signed(doc.by("new"))),
        Signature(tr("ticket.form.sign.manager"), tr.signed(doc.by("assign"))),
    ]
    return pairs, signatures


def _report_form(doc: TicketDoc, tr: _Words, ctx: Mapping[str, str]) -> tuple[Pairs, list]:
    f = tr.field
    pairs: Pairs = [
        (f("contact", f"{doc.contact} {doc.phone}"), f("reported_at", local_text(doc.reported_at))),
        (f("symptom", doc.symptom), None),
        (f("engineer", ctx["engineer"]), f("solved_by", _solved_by(doc, tr))),
        (f("service_date", _day(doc.service_date)), f("warranty", ctx["warranty"])),
        (f("service_report", doc.service_report), None),
    ]
    for repair in doc.repairs:
        cost = tr("ticket.free") if repair.in_warranty else _money(repair.quote)
        line = tr(f"ticket.repair_line.{repair.action}", part=repair.part, cost=cost)
        pairs.append((f("repair", line), None))
    sig = doc.customer_signature
    customer_record = (
        tr("ticket.form.signed", who=sig.name, date=_day(sig.date)) if sig is not None else ""
    )
    signatures = [
        Signature(tr("ticket.form.sign.customer"), customer_record),
        Signature(tr("ticket.form.sign.manager"), tr.signed(doc.by("manager-sign"))),
    ]
    if doc.solved_by == "phone":
        signatures = [Signature(tr("ticket.form.sign.engineer"), tr.signed(doc.by("call")))]
    pairs.append((f("archived_on", _day(doc.archived_on)), None))
    return pairs, signatures


def _trip_form(doc: TicketDoc, tr: _Words, ctx: Mapping[str, str]) -> tuple[Pairs, list]:
    f = tr.field
    trip = doc.trip
    assert trip is not None  # the command refuses a trip form for a ticket without a trip
    dates = tr("ticket.form.days", first=_day(trip.first), last=_day(trip.last), days=trip.days)
    pairs: Pairs = [
        (f("engineer", ctx["engineer"]), f("status", ctx["status"])),
        (Field(tr("ticket.form.trip_dates"), dates), None),
        (Field(tr("ticket.form.purpose"), trip.purpose or "—"), None),
        (f("symptom", doc.symptom), None),
    ]
    for expense in doc.expenses:
        pairs.append(
            (
                Field(tr("ticket.label.expenses"), _money(expense.amount)),
                Field(tr("ticket.form.note"), expense.note),
            )
        )
    if doc.expenses:
        pairs.append((Field(tr("ticket.form.total"), _money(doc.expenses_total)), None))
    signatures = [
        Signature(tr("ticket.form.sign.applicant"), tr.signed(doc.by("trip"))),
        Signature(tr("ticket.form.sign.sales"), _approval(doc, "sales", tr)),
        Signature(tr("ticket.form.sign.manager"), _approval(doc, "manager", tr)),
    ]
    return pairs, signatures


_FORMS = {"ticket": _ticket_form, "service-report": _report_form, "trip": _trip_form}


def _history(doc: TicketDoc, tr: _Words) -> tuple[tuple[str, str, str, str], ...]:
    return tuple(
        (
            local_text(e.at) or "",
            tr(f"ticket.action.{e.action}"),
            tr.who(e),
            tr(f"ticket.status.{e.status}"),
        )
        for e in doc.history
    )


def ticket_context(doc: TicketDoc | Mapping[str, Any], kind: str, lang: str) -> TicketSheet:
    """A ticket (its document, or ``ticket show --json``) as one of its three forms."""
    if not isinstance(doc, TicketDoc):
        doc = TicketDoc.from_json(doc)
    tr = _Words(lang)
    status = tr(f"ticket.status.{doc.status}")
    warranty = (
        tr("ticket.out_of_warranty")
        if doc.out_of_warranty
        else tr("ticket.warranty_until", end=_day(doc.warranty_end) or "—")
    )
    engineer = doc.engineer_name or doc.engineer or ""
    ctx = {"status": status, "warranty": warranty, "engineer": engineer}
    pairs, signatures = _FORMS[kind](doc, tr, ctx)
    return TicketSheet(
        lang=lang,
        kind=kind,
        title=tr(f"ticket.form.title.{kind}"),
        header=(
            Field(tr("ticket.label.id"), doc.id),
            Field(tr("ticket.label.project"), f"{doc.project_name}（{doc.project}）"),
            Field(tr("label.customer"), doc.customer),
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
        footer=tr("ticket.form.footer", id=doc.id, status=status),
    )


def _approval(doc: TicketDoc, side: str, tr: _Words) -> str:
    """The trip's approval on one side (sales or manager), signed by the approver himself."""
    for e in reversed(doc.history):
        if e.action == "approve-trip" and e.data.get("as") == side:
            return tr.signed(e, e.actor)
    return ""
