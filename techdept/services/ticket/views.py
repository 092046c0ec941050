"""What the ticket services return, and the office's local time they speak in."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, ClassVar

from techdept import clock
from techdept.errors import Refused
from techdept.rules import tickets as rules
from techdept.rules.money import fen_str

AFTERSALES_STAGES = ("aftersales.handover", "aftersales.operation", "aftersales.closing")


ENGINEER_ROLES = ("engineer", "onsite-engineer")


class TicketRefused(Refused):
    """A ticket step refused: the key's message names the ticket's state and what it needs
    next; both are keys, worded where the message is shown."""

    worded: ClassVar[dict[str, str]] = {
        "state": "ticket.status",
        "next": "ticket.next",
        "action": "ticket.action",
    }


@dataclass(frozen=True)
class EventView:
    at: dt.datetime
    actor: str
    on_behalf_of: str | None
    action: str
    status: str
    data: dict[str, Any]

    def to_json(self) -> dict[str, Any]:
        return {
            "at": local_text(self.at),
            "actor": self.actor,
            "on_behalf_of": self.on_behalf_of,
            "action": self.action,
            "status": self.status,
            "data": self.data,
        }


@dataclass(frozen=True)
class ExpenseView:
    amount: int
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


@dataclass(frozen=True)
class RepairView:
    part: str
    action: str
    in_warranty: bool
    quote: int | None
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


@dataclass(frozen=True)
class TicketView:
    """A ticket with everything its sheets and ``ticket show`` need."""

    id: str
    project: str
    project_name: str
    customer: str
    sales: str | None
    status: str
    channel: str
    symptom: str
    contact: str
    phone: str
    reported_at: dt.datetime
    out_of_warranty: bool
    warranty_end: dt.date | None
    engineer: str | None
    engineer_name: str | None
    assigned_at: dt.datetime | None
    solved_by: str | None
    service_date: dt.date | None
    service_report: str | None
    trip_from: dt.date | None
    trip_to: dt.date | None
    trip_purpose: str | None
    trip_sales_by: str | None
    trip_manager_by: str | None
    customer_signer: str | None
    customer_signed_on: dt.date | None
    manager_signed_by: str | None
    closed_at: dt.datetime | None
    archived_on: dt.date | None
    next: rules.NextStep
    expenses: tuple[ExpenseView, ...] = ()
    repairs: tuple[RepairView, ...] = ()
    history: tuple[EventView, ...] = field(default_factory=tuple)

    @property
    def open(self) -> bool:
        return self.status in rules.OPEN_STATUSES

    @property
    def expenses_total(self) -> int:
        return sum(e.amount for e in self.expenses)

    def to_json(self, *, history: bool = True) -> dict[str, Any]:
        def iso(value: dt.date | None) -> str | None:
            return value.isoformat() if value else None

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
            "warranty_end": iso(self.warranty_end),
            "engineer": self.engineer,
            "engineer_name": self.engineer_name,
            "assigned_at": local_text(self.assigned_at),
            "solved_by": self.solved_by,
            "service_date": iso(self.service_date),
            "service_report": self.service_report,
            "trip": (
                None
                if self.trip_from is None
                else {
                    "from": iso(self.trip_from),
                    "to": iso(self.trip_to),
                    "purpose": self.trip_purpose,
                    "approved_by_sales": self.trip_sales_by,
                    "approved_by_manager": self.trip_manager_by,
                }
            ),
            "customer_signature": (
                None
                if self.customer_signer is None
                else {"name": self.customer_signer, "date": iso(self.customer_signed_on)}
            ),
            "manager_signature": self.manager_signed_by,
            "closed_at": local_text(self.closed_at),
            "archived_on": iso(self.archived_on),
            "next": {"step": self.next.key, "role": self.next.role},
            "expenses": [e.to_json() for e in self.expenses],
            "expenses_total": fen_str(self.expenses_total),
            "repairs": [r.to_json() for r in self.repairs],
        }
        if history:
            doc["history"] = [e.to_json() for e in self.history]
        return doc


def local(value: dt.datetime) -> dt.datetime:
    """A stored (aware) time in the office's local time zone."""
    return value.astimezone()


def local_text(value: dt.datetime | None) -> str | None:
    """An office-local time as typed and shown: ``YYYY-MM-DD HH:MM``."""
    return local(value).strftime("%Y-%m-%d %H:%M") if value is not None else None


def local_now() -> dt.datetime:
    """The office's local time now (aware, to the minute), on the date ``clock.today()``
    gives."""
    return (
        dt.datetime.combine(clock.today(), dt.datetime.now().time())
        .replace(second=0, microsecond=0)
        .astimezone()
    )
