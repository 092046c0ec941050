"""A fault ticket 故障单 as a typed, frozen document: what every ``services.ticket`` step
returns, what ``ticket show|list --json`` print, and what the terminal view and the three
.docx forms (the fault ticket, the customer service report 客户服务报告 and the trip request
出差申请单 — views of this one document) read by attribute.

Times are aware datetimes, written as office-local text ``YYYY-MM-DD HH:MM``; dates ISO text;
money is integer fen, written as exact yuan text (``"120.00"``). ``to_json`` writes it (with
``doc_version``); ``from_json`` reads it back, including JSON written before the version field
(version 0) and hand-written documents that leave optional parts out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from techdept.documents._version import read_version
from techdept.rules.money import fen_str, yuan_to_fen
from techdept.rules.tickets import OPEN_STATUSES, NextStep

DOC_VERSION = 1


def local_text(value: dt.datetime | None) -> str | None:
    """A stored (aware) time as office-local text, as typed and shown: ``YYYY-MM-DD HH:MM``."""
    return value.astimezone().strftime("%Y-%m-%d %H:%M") if value is not None else None


def _time(text: Any) -> dt.datetime | None:
    return dt.datetime.strptime(str(text), "%Y-%m-%d %H:%M").astimezone() if text else None


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _date(text: Any) -> dt.date | None:
    return dt.date.fromisoformat(str(text)) if text else None


@dataclass(frozen=True)
class Event:
    """One step in the ticket's history: when, by whom (for whom), the state after."""

    at: dt.datetime
    actor: str
    on_behalf_of: str | None
    action: str
    status: str
    data: Mapping[str, Any]

    def to_json(self) -> dict[str, Any]:
        return {
            "at": local_text(self.at),
            "actor": self.actor,
            "on_behalf_of": self.on_behalf_of,
            "action": self.action,
            "status": self.status,
            "data": dict(self.data),
        }

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> Event:
        at = _time(d.get("at"))
        if at is None:
            raise ValueError("a ticket's history step has no time")
        return cls(
            at=at,
            actor=str(d.get("actor") or ""),
            on_behalf_of=d.get("on_behalf_of"),
            action=str(d.get("action") or ""),
            status=str(d.get("status") or ""),
            data=dict(d.get("data") or {}),
        )


@dataclass(frozen=True)
class Expense:
    amount: int  # fen
    note: str
    recorded_on: dt.date
    recorded_by: str

    def to_json(self) -> dict[str, Any]:
        return {
            "amount": fen_str(self.amount),
            "note": self.note,
            "recorded_on": self.recorded_on.isoformat(),
            "recorded_by": self.recorded_by,
        }

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> Expense:
        return cls(
            amount=yuan_to_fen(d.get("amount") or 0) or 0,
            note=str(d.get("note") or ""),
            recorded_on=dt.date.fromisoformat(str(d["recorded_on"])),
            recorded_by=str(d.get("recorded_by") or ""),
        )


@dataclass(frozen=True)
class Repair:
    part: str
    action: str  # repair_action: repair | replace
    in_warranty: bool
    quote: int | None  # fen; None when in warranty (free)
    recorded_on: dt.date
    recorded_by: str

    def to_json(self) -> dict[str, Any]:
        return {
            "part": self.part,
            "action": self.action,
            "in_warranty": self.in_warranty,
            "quote": fen_str(self.quote),
            "recorded_on": self.recorded_on.isoformat(),
            "recorded_by": self.recorded_by,
        }

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> Repair:
        return cls(
            part=str(d.get("part") or ""),
            action=str(d.get("action") or ""),
            in_warranty=bool(d.get("in_warranty")),
            quote=yuan_to_fen(d.get("quote")),
            recorded_on=dt.date.fromisoformat(str(d["recorded_on"])),
            recorded_by=str(d.get("recorded_by") or ""),
        )


@dataclass(frozen=True)
class Trip:
    """The business trip 出差 and who approved it (the sales, the after-sales manager)."""

    first: dt.date
    last: dt.date
    purpose: str | None
    approved_by_sales: str | None = None
    approved_by_manager: str | None = None

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def to_json(self) -> dict[str, Any]:
        return {
            "from": self.first.isoformat(),
            "to": self.last.isoformat(),
            "purpose": self.purpose,
            "approved_by_sales": self.approved_by_sales,
            "approved_by_manager": self.approved_by_manager,
        }

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> Trip:
        first = dt.date.fromisoformat(str(d["from"]))
        return cls(
            first=first,
            last=_date(d.get("to")) or first,
            purpose=d.get("purpose"),
            approved_by_sales=d.get("approved_by_sales"),
            approved_by_manager=d.get("approved_by_manager"),
        )


@dataclass(frozen=True)
class Signature:
    """The customer's signature on the service report: who signed, on which day."""

    name: str
    date: dt.date | None


@dataclass(frozen=True)
class TicketDoc:
    """A ticket with everything its forms and ``ticket show`` need."""

    id: str
    project: str
    project_name: str
    customer: str
    status: str
    channel: str
    symptom: str
    contact: str
    phone: str
    reported_at: dt.datetime
    out_of_warranty: bool
    warranty_end: dt.date | None
    next: NextStep
    engineer: str | None = None
    engineer_name: str | None = None
    assigned_at: dt.datetime | None = None
    solved_by: str | None = None  # phone | visit
    service_date: dt.date | None = None
    service_report: str | None = None
    trip: Trip | None = None
    customer_signature: Signature | None = None
    manager_signature: str | None = None
    closed_at: dt.datetime | None = None
    archived_on: dt.date | None = None
    expenses: tuple[Expense, ...] = ()
    repairs: tuple[Repair, ...] = ()
    history: tuple[Event, ...] = ()

    @property
    def open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def expenses_total(self) -> int:
        return sum(e.amount for e in self.expenses)

    def by(self, action: str) -> Event | None:
        """The last step of this kind in the history (who registered, assigned, signed)."""
        return next((e for e in reversed(self.history) if e.action == action), None)

    def to_json(self, *, history: bool = True) -> dict[str, Any]:
        """The JSON of ``ticket show`` (``ticket list``: without the history)."""
        sig = self.customer_signature
        doc: dict[str, Any] = {
            "id": self.id,
            "project": self.project,
            "project_name": self.project_name,
            "customer": self.customer,
            "status": self.status,
            "channel": self.channel,
            "symptom": self.symptom,
            "contact": self.contact,
            "phone": self.phone,
            "reported_at": local_text(self.reported_at),
            "out_of_warranty": self.out_of_warranty,
            "warranty_end": _iso(self.warranty_end),
            "engineer": self.engineer,
            "engineer_name": self.engineer_name,
            "assigned_at": local_text(self.assigned_at),
            "solved_by": self.solved_by,
            "service_date": _iso(self.service_date),
            "service_report": self.service_report,
            "trip": None if self.trip is None else self.trip.to_json(),
            "customer_signature": None
            if sig is None
            else {"name": sig.name, "date": _iso(sig.date)},
            "manager_signature": self.manager_signature,
            "closed_at": local_text(self.closed_at),
            "archived_on": _iso(self.archived_on),
            "next": {"step": self.next.key, "role": self.next.role},
            "expenses": [e.to_json() for e in self.expenses],
            "expenses_total": fen_str(self.expenses_total),
            "repairs": [r.to_json() for r in self.repairs],
        }
        if history:
            doc["history"] = [e.to_json() for e in self.history]
        doc["doc_version"] = DOC_VERSION
        return doc

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> TicketDoc:
        read_version(data, DOC_VERSION, "ticket")
        reported = _time(data.get("reported_at"))
        if reported is None:
            raise ValueError("a ticket document has no reported_at")
        trip, sig, step = data.get("trip"), data.get("customer_signature"), data.get("next") or {}
        return cls(
            id=str(data.get("id") or ""),
            project=str(data.get("project") or ""),
            project_name=str(data.get("project_name") or ""),
            customer=str(data.get("customer") or ""),
            status=str(data.get("status") or ""),
            channel=str(data.get("channel") or ""),
            symptom=str(data.get("symptom") or ""),
            contact=str(data.get("contact") or ""),
            phone=str(data.get("phone") or ""),
            reported_at=reported,
            out_of_warranty=bool(data.get("out_of_warranty")),
            warranty_end=_date(data.get("warranty_end")),
            next=NextStep(str(step.get("step") or "done"), step.get("role")),
            engineer=data.get("engineer"),
            engineer_name=data.get("engineer_name"),
            assigned_at=_time(data.get("assigned_at")),
            solved_by=data.get("solved_by"),
            service_date=_date(data.get("service_date")),
            service_report=data.get("service_report"),
            trip=Trip.from_json(trip) if trip else None,
            customer_signature=Signature(str(sig["name"]), _date(sig.get("date"))) if sig else None,
            manager_signature=data.get("manager_signature"),
            closed_at=_time(data.get("closed_at")),
            archived_on=_date(data.get("archived_on")),
            expenses=tuple(Expense.from_json(e) for e in data.get("expenses") or ()),
            repairs=tuple(Repair.from_json(r) for r in data.get("repairs") or ()),
            history=tuple(Event.from_json(e) for e in data.get("history") or ()),
        )
