"""Fault tickets 故障单: registration, assignment, the call, the trip and its two approvals, the
visit and the service report 客户服务报告, both signatures, archiving, expenses and repairs.
Every step checks the state (rules/tickets.py) and the role, writes the ticket's history and
an audit row. Speaks data: keys and values, no translation."""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from typing import Any, ClassVar

from sqlmodel import Session, col, select

from techdept import clock
from techdept.errors import Invalid, NotFound, Refused, RoleRequired
from techdept.ledger import audit
from techdept.ledger.engine import Ledger
from techdept.ledger.models import Project, Staff, Ticket, TicketEvent, TicketExpense, TicketRepair
from techdept.rules import tickets as rules
from techdept.rules.money import fen_str
from techdept.services import actors, cover
from techdept.services.projects import find as find_project
from techdept.services.staff import find as find_staff
from techdept.services.staff import roles_of

AFTERSALES_STAGES = ("aftersales.handover", "aftersales.operation", "aftersales.closing")
ENGINEER_ROLES = ("engineer", "onsite-engineer")
_CODE = re.compile(r"^T(\d{4})-(\d{4,})$")


class TicketRefused(Refused):
    """A ticket step refused: the key's message names the ticket's state and what it needs
    next; both are keys, worded where the message is shown."""

    worded: ClassVar[dict[str, str]] = {
        "state": "ticket.status",
        "next": "ticket.next",
        "action": "ticket.action",
    }


# ---------------------------------------------------------------- views


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


# ---------------------------------------------------------------- reading


def find(session: Session, code: str) -> Ticket:
    ticket = session.exec(select(Ticket).where(Ticket.code == code)).first()
    if ticket is None:
        raise NotFound("TicketNotFound", id=code)
    return ticket


def _state(session: Session, ticket: Ticket) -> rules.TicketState:
    called_unsolved = False
    if ticket.status == rules.ASSIGNED and ticket.id is not None:
        last_call = session.exec(
            select(TicketEvent)
            .where(TicketEvent.ticket_id == ticket.id)
            .where(col(TicketEvent.action).in_(("call", "assign")))
            .order_by(col(TicketEvent.id).desc())
        ).first()
        called_unsolved = last_call is not None and last_call.action == "call"
    return rules.TicketState(
        status=ticket.status,
        called_unsolved=called_unsolved,
        sales_approved=ticket.trip_sales_by is not None,
        manager_approved=ticket.trip_manager_by is not None,
        manager_signed=ticket.manager_signed_by is not None,
    )


def _view(session: Session, ticket: Ticket, *, history: bool = True) -> TicketView:
    project = session.get(Project, ticket.project_id)
    assert project is not None
    engineer = session.get(Staff, ticket.engineer_id) if ticket.engineer_id else None
    sales = session.get(Staff, project.sales_id) if project.sales_id else None
    end = (
        rules.warranty_end(project.service_start, project.service_months)
        if project.service_start and project.service_months
        else None
    )
    events: tuple[EventView, ...] = ()
    expenses: tuple[ExpenseView, ...] = ()
    repairs: tuple[RepairView, ...] = ()
    if history:
        events = tuple(
            EventView(e.at, e.actor, e.on_behalf_of, e.action, e.status, json.loads(e.data or "{}"))
            for e in session.exec(
                select(TicketEvent)
                .where(TicketEvent.ticket_id == ticket.id)
                .order_by(col(TicketEvent.id))
            )
        )
    expenses = tuple(
        ExpenseView(x.amount_fen, x.note, x.recorded_at.date(), x.recorded_by)
        for x in session.exec(
            select(TicketExpense)
            .where(TicketExpense.ticket_id == ticket.id)
            .order_by(col(TicketExpense.id))
        )
    )
    repairs = tuple(
        RepairView(
            r.part, r.action, r.in_warranty, r.quote_fen, r.recorded_at.date(), r.recorded_by
        )
        for r in session.exec(
            select(TicketRepair)
            .where(TicketRepair.ticket_id == ticket.id)
            .order_by(col(TicketRepair.id))
        )
    )
    return TicketView(
        id=ticket.code,
        project=project.code,
        project_name=project.name,
        customer=project.customer,
        sales=sales.code if sales else None,
        status=ticket.status,
        channel=ticket.channel,
        symptom=ticket.symptom,
        contact=ticket.contact,
        phone=ticket.phone,
        reported_at=ticket.reported_at,
        out_of_warranty=ticket.out_of_warranty,
        warranty_end=end,
        engineer=engineer.code if engineer else None,
        engineer_name=engineer.name if engineer else None,
        assigned_at=ticket.assigned_at,
        solved_by=ticket.solved_by,
        service_date=ticket.service_date,
        service_report=ticket.service_note,
        trip_from=ticket.trip_from,
        trip_to=ticket.trip_to,
        trip_purpose=ticket.trip_purpose,
        trip_sales_by=ticket.trip_sales_by,
        trip_manager_by=ticket.trip_manager_by,
        customer_signer=ticket.customer_signer,
        customer_signed_on=ticket.customer_signed_on,
        manager_signed_by=ticket.manager_signed_by,
        closed_at=ticket.closed_at,
        archived_on=ticket.archived_on,
        next=rules.next_step(_state(session, ticket)),
        expenses=expenses,
        repairs=repairs,
        history=events,
    )


def show(ledger: Ledger, code: str) -> TicketView:
    with ledger.read() as session:
        return _view(session, find(session, code))


def list_tickets(
    ledger: Ledger,
    *,
    open_only: bool = False,
    project: str | None = None,
    engineer: str | None = None,
    quarter: str | None = None,
) -> list[TicketView]:
    """Tickets by id; filtered by open, project, engineer and the quarter they were reported
    in."""
    from techdept.rules.calendar import quarter_bounds

    with ledger.read() as session:
        query = select(Ticket).order_by(col(Ticket.code))
        if open_only:
            query = query.where(col(Ticket.status).in_(rules.OPEN_STATUSES))
        if project:
            query = query.where(Ticket.project_id == find_project(session, project).id)
        if engineer:
            query = query.where(Ticket.engineer_id == find_staff(session, engineer).id)
        if quarter:
            first, last = quarter_bounds(quarter)
            start = dt.datetime.combine(first, dt.time()).astimezone()
            end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time()).astimezone()
            query = query.where(Ticket.reported_at >= start).where(Ticket.reported_at < end)
        return [_view(session, t, history=False) for t in session.exec(query)]


# ---------------------------------------------------------------- writing


def _next_code(session: Session, year: int) -> str:
    prefix = f"T{year}-"
    highest = 0
    for code in session.exec(select(Ticket.code).where(col(Ticket.code).startswith(prefix))):
        match = _CODE.match(code)
        if match:
            highest = max(highest, int(match[2]))
    return f"{prefix}{highest + 1:04d}"


def _record(
    session: Session,
    ticket: Ticket,
    project: Project,
    actor: str,
    action: str,
    before: str,
    data: dict[str, Any],
    *,
    behalf: str | None = None,
    at: dt.datetime | None = None,
) -> None:
    """The step in the ticket's history and in the audit trail (keys and values only)."""
    session.add(ticket)
    session.flush()
    session.add(
        TicketEvent(
            ticket_id=ticket.id or 0,
            at=at or local_now(),
            actor=actor,
            on_behalf_of=behalf,
            action=action,
            status=ticket.status,
            data=json.dumps(data, ensure_ascii=False, sort_keys=True, default=str),
        )
    )
    audit.record(
        session,
        actor,
        f"ticket.{action}",
        "ticket",
        ticket.code,
        before={"status": before},
        after={"status": ticket.status, **data},
        project=project.code,
        on_behalf_of=behalf,
    )


def _refuse_state(session: Session, ticket: Ticket, action: str) -> None:
    blocked = rules.check(action, _state(session, ticket))
    if blocked is None:
        return
    key = {
        "state": "TicketState",
        "no-call": "TicketNeedsCall",
        "no-manager-signature": "TicketNeedsManagerSignature",
    }[blocked.reason]
    raise TicketRefused(
        key, id=ticket.code, action=action, state=blocked.status, next=blocked.needs.key
    )


def _engineer_only(actor: actors.Actor, ticket: Ticket, session: Session, action: str) -> None:
    engineer = session.get(Staff, ticket.engineer_id) if ticket.engineer_id else None
    if engineer is None or actor.code != engineer.code:
        raise TicketRefused(
            "TicketNotEngineer",
            id=ticket.code,
            action=action,
            actor=actor.code,
            engineer=engineer.code if engineer else "—",
        )


def _known(actor: actors.Actor) -> None:
    if not actor.known:
        raise RoleRequired("StaffRequired", actor=actor.code)


def _when(at: dt.datetime | None, ticket: Ticket, field_name: str) -> dt.datetime:
    """The time a step happened: now, or a typed time not in the future and not before the
    report."""
    now = local_now()
    if at is None:
        return max(now, ticket.reported_at)
    if at > now:
        raise Invalid("TimeInFuture", field=field_name, value=local_text(at), now=local_text(now))
    if at < ticket.reported_at:
        raise Invalid(
            "TicketTimeBeforeReport",
            field=field_name,
            value=local_text(at),
            reported=local_text(ticket.reported_at),
        )
    return at


def _day(day: dt.date, ticket: Ticket, field_name: str, *, after: dt.date | None = None) -> None:
    if day > clock.today():
        raise Invalid("DateInFuture", field=field_name, value=day.isoformat())
    floor = after or local(ticket.reported_at).date()
    if day < floor:
        raise Invalid("TicketDateTooEarly", field=field_name, value=day.isoformat(), floor=floor)


@dataclass(frozen=True)
class NewTicket:
    project: str
    symptom: str
    contact: str
    phone: str
    channel: str = "customer"
    reported_at: dt.datetime | None = None
    out_of_warranty: bool = False


def new_ticket(ledger: Ledger, actor_code: str | None, data: NewTicket) -> TicketView:
    """Register a fault on an after-sales project and issue its ticket."""
    if data.channel not in rules.CHANNELS:
        raise Invalid(
            "ChoiceInvalid",
            field="--channel",
            value=data.channel,
            allowed=", ".join(rules.CHANNELS),
        )
    now = local_now()
    reported = data.reported_at or now
    if reported > now:
        raise Invalid(
            "TimeInFuture", field="--reported-at", value=local_text(reported), now=local_text(now)
        )
    with ledger.write() as session:
        actor = actors.resolve(session, actor_code)
        _known(actor)
        project = find_project(session, data.project)
        if project.stage not in AFTERSALES_STAGES:
            raise Refused("TicketProjectStage", code=project.code, stage=project.stage)
        if not project.service_start or not project.service_months:
            raise Refused("TicketNoServicePeriod", code=project.code)
        inside = rules.in_warranty(
            local(reported).date(), project.service_start, project.service_months
        )
        end = rules.warranty_end(project.service_start, project.service_months)
        if not inside and not data.out_of_warranty:
            raise Refused(
                "TicketOutOfWarranty",
                code=project.code,
                start=project.service_start.isoformat(),
                end=end.isoformat(),
                day=local(reported).date().isoformat(),
            )
        if inside and data.out_of_warranty:
            raise Refused("TicketInWarranty", code=project.code, end=end.isoformat())
        ticket = Ticket(
            code=_next_code(session, clock.today().year),
            project_id=project.id or 0,
            status=rules.REPORTED,
            channel=data.channel,
            symptom=data.symptom,
            contact=data.contact,
            phone=data.phone,
            reported_at=reported,
            out_of_warranty=data.out_of_warranty,
            created_at=clock.now(),
            created_by=actor.code,
        )
        _record(
            session,
            ticket,
            project,
            actor.code,
            "new",
            "",
            {
                "channel": data.channel,
                "symptom": data.symptom,
                "contact": data.contact,
                "phone": data.phone,
                "reported_at": local_text(reported),
                "out_of_warranty": data.out_of_warranty,
            },
            at=reported,
        )
        return _view(session, ticket)


def _step(ledger: Ledger, actor_code: str | None, code: str):  # type: ignore[no-untyped-def]
    """Open a write transaction on a ticket: (session, actor, ticket, project)."""
    from contextlib import contextmanager

    @contextmanager
    def opened():  # type: ignore[no-untyped-def]
        with ledger.write() as session:
            actor = actors.resolve(session, actor_code)
            _known(actor)
            ticket = find(session, code)
            project = session.get(Project, ticket.project_id)
            assert project is not None
            yield session, actor, ticket, project

    return opened()


def assign(
    ledger: Ledger,
    actor_code: str | None,
    code: str,
    engineer_code: str,
    at: dt.datetime | None = None,
    policy: Any = None,
) -> TicketView:
    """The after-sales manager (or B while A is away) assigns a technical engineer; one
    suspended from after-sales work (policy §5) is refused."""
    with _step(ledger, actor_code, code) as (session, actor, ticket, project):
        behalf = cover.authorize(session, actor, cover.A_ROLE)
        _refuse_state(session, ticket, "assign")
        person = find_staff(session, engineer_code)
        if not roles_of(session, person.id or 0) & set(ENGINEER_ROLES):
            raise Refused("TicketNotAnEngineer", code=engineer_code)
        if policy is not None:
            from techdept.services.sanctions import check_team

            check_team(session, policy, "aftersales", person, [])
        when = _when(at, ticket, "--at")
        before = ticket.status
        ticket.engineer_id = person.id
        ticket.assigned_at = when
        ticket.status = rules.ASSIGNED
        _record(
            session,
            ticket,
            project,
            actor.code,
            "assign",
            before,
            {"engineer": person.code, "at": local_text(when)},
            behalf=behalf,
            at=when,
        )
        return _view(session, ticket)


def call(
    ledger: Ledger,
    actor_code: str | None,
    code: str,
    solved: bool,
    note: str,
    at: dt.datetime | None = None,
) -> TicketView:
    """The assigned engineer calls the customer. Solved by phone: the note is the service
    report and the service is complete (closed); otherwise a trip is needed next."""
    with _step(ledger, actor_code, code) as (session, actor, ticket, project):
        _engineer_only(actor, ticket, session, "call")
        _refuse_state(session, ticket, "call")
        when = _when(at, ticket, "--at")
        if ticket.assigned_at and when < ticket.assigned_at:
            raise Invalid(
                "TicketTimeBeforeReport",
                field="--at",
                value=local_text(when),
                reported=local_text(ticket.assigned_at),
            )
        before = ticket.status
        if solved:
            ticket.status = rules.CLOSED
            ticket.solved_by = rules.PHONE
            ticket.service_date = local(when).date()
            ticket.service_note = note
            ticket.closed_at = when
        _record(
            session,
            ticket,
            project,
            actor.code,
            "call",
            before,
            {"solved": solved, "note": note, "at": local_text(when)},
            at=when,
        )
        return _view(session, ticket)


def trip(
    ledger: Ledger,
    actor_code: str | None,
    code: str,
    first: dt.date,
    last: dt.date,
    purpose: str,
) -> TicketView:
    """The assigned engineer files a trip request 出差申请单 after an unsolved call."""
    if last < first:
        raise Invalid("TripBackwards", first=first.isoformat(), last=last.isoformat())
    with _step(ledger, actor_code, code) as (session, actor, ticket, project):
        _engineer_only(actor, ticket, session, "trip")
        _refuse_state(session, ticket, "trip")
        if first < local(ticket.reported_at).date():
            raise Invalid(
                "TicketDateTooEarly",
                field="--from",
                value=first.isoformat(),
                floor=local(ticket.reported_at).date(),
            )
        before = ticket.status
        ticket.trip_from, ticket.trip_to, ticket.trip_purpose = first, last, purpose
        ticket.trip_sales_by = ticket.trip_manager_by = None
        ticket.status = rules.TRIP_REQUESTED
        _record(
            session,
            ticket,
            project,
            actor.code,
            "trip",
            before,
            {"from": first.isoformat(), "to": last.isoformat(), "purpose": purpose},
        )
        return _view(session, ticket)


def approve_trip(ledger: Ledger, actor_code: str | None, code: str) -> TicketView:
    """The project's sales representative and the after-sales manager (or B while A is away)
    each approve; the trip is approved when both have."""
    with _step(ledger, actor_code, code) as (session, actor, ticket, project):
        _refuse_state(session, ticket, "approve-trip")
        sales = session.get(Staff, project.sales_id) if project.sales_id else None
        is_sales = sales is not None and sales.code == actor.code
        behalf = None
        side: str | None = None
        if is_sales and ticket.trip_sales_by is None:
            side = "sales"
        else:
            try:
                behalf = cover.authorize(session, actor, cover.A_ROLE)
                side = "manager"
            except (RoleRequired, Refused):
                if not is_sales:
                    raise TicketRefused(
                        "TicketApproverRequired",
                        id=ticket.code,
                        actor=actor.code,
                        sales=sales.code if sales else "—",
                    ) from None
        if side is None or (side == "manager" and ticket.trip_manager_by is not None):
            raise TicketRefused(
                "TicketAlreadyApproved",
                id=ticket.code,
                actor=actor.code,
                state=ticket.status,
                next=rules.next_step(_state(session, ticket)).key,
            )
        if side == "sales":
            ticket.trip_sales_by = actor.code
        else:
            ticket.trip_manager_by = actor.code
        before = ticket.status
        ticket.status = rules.after_approval(
            ticket.trip_sales_by is not None, ticket.trip_manager_by is not None
        )
        _record(
            session,
            ticket,
            project,
            actor.code,
            "approve-trip",
            before,
            {"as": side},
            behalf=behalf,
        )
        return _view(session, ticket)


def visit(
    ledger: Ledger, actor_code: str | None, code: str, day: dt.date, work_done: str
) -> TicketView:
    """The engineer fixes it on site: the service report 客户服务报告 records the work done."""
    with _step(ledger, actor_code, code) as (session, actor, ticket, project):
        _engineer_only(actor, ticket, session, "visit")
        _refuse_state(session, ticket, "visit")
        _day(day, ticket, "--date")
        before = ticket.status
        ticket.status = rules.VISITED
        ticket.solved_by = rules.SITE
        ticket.service_date = day
        ticket.service_note = work_done
        _record(
            session,
            ticket,
            project,
            actor.code,
            "visit",
            before,
            {"date": day.isoformat(), "work_done": work_done},
        )
        return _view(session, ticket)


def customer_sign(
    ledger: Ledger, actor_code: str | None, code: str, name: str, day: dt.date
) -> TicketView:
    """The customer signs the service report (entered by the engineer who carries it)."""
    with _step(ledger, actor_code, code) as (session, actor, ticket, project):
        _engineer_only(actor, ticket, session, "customer-sign")
        _refuse_state(session, ticket, "customer-sign")
        _day(day, ticket, "--date", after=ticket.service_date)
        before = ticket.status
        ticket.status = rules.CUSTOMER_SIGNED
        ticket.customer_signer, ticket.customer_signed_on = name, day
        _record(
            session,
            ticket,
            project,
            actor.code,
            "customer-sign",
            before,
            {"name": name, "date": day.isoformat()},
        )
        return _view(session, ticket)


def manager_sign(
    ledger: Ledger, actor_code: str | None, code: str, at: dt.datetime | None = None
) -> TicketView:
    """The after-sales manager (or B while A is away) signs the service report: service
    complete (closed)."""
    with _step(ledger, actor_code, code) as (session, actor, ticket, project):
        behalf = cover.authorize(session, actor, cover.A_ROLE)
        _refuse_state(session, ticket, "manager-sign")
        when = _when(at, ticket, "--at")
        if ticket.customer_signed_on and local(when).date() < ticket.customer_signed_on:
            raise Invalid(
                "TicketDateTooEarly",
                field="--at",
                value=local_text(when),
                floor=ticket.customer_signed_on,
            )
        before = ticket.status
        ticket.status = rules.CLOSED
        ticket.manager_signed_by = actor.code
        ticket.closed_at = when
        _record(
            session,
            ticket,
            project,
            actor.code,
            "manager-sign",
            before,
            {"at": local_text(when)},
            behalf=behalf,
            at=when,
        )
        return _view(session, ticket)


def archive(
    ledger: Ledger, actor_code: str | None, code: str, day: dt.date | None = None
) -> TicketView:
    """The after-sales manager archives the service report."""
    with _step(ledger, actor_code, code) as (session, actor, ticket, project):
        behalf = cover.authorize(session, actor, cover.A_ROLE)
        _refuse_state(session, ticket, "archive")
        day = day or clock.today()
        _day(day, ticket, "--date", after=ticket.service_date)
        before = ticket.status
        ticket.status = rules.ARCHIVED
        ticket.archived_on = day
        _record(
            session,
            ticket,
            project,
            actor.code,
            "archive",
            before,
            {"date": day.isoformat()},
            behalf=behalf,
        )
        return _view(session, ticket)


def expense(
    ledger: Ledger, actor_code: str | None, code: str, amount_fen: int, note: str
) -> TicketView:
    """A trip expense, reimbursed against the service report signed by the manager."""
    if amount_fen <= 0:
        raise Invalid("TicketAmountZero", field="--amount")
    with _step(ledger, actor_code, code) as (session, actor, ticket, project):
        _engineer_only(actor, ticket, session, "expense")
        _refuse_state(session, ticket, "expense")
        session.add(
            TicketExpense(
                ticket_id=ticket.id or 0,
                amount_fen=amount_fen,
                note=note,
                recorded_at=clock.now(),
                recorded_by=actor.code,
            )
        )
        _record(
            session,
            ticket,
            project,
            actor.code,
            "expense",
            ticket.status,
            {"amount_fen": amount_fen, "note": note},
        )
        return _view(session, ticket)


def repair(
    ledger: Ledger,
    actor_code: str | None,
    code: str,
    part: str,
    action: str,
    quote_fen: int | None,
) -> TicketView:
    """A repair or replacement: free inside the warranty (by the assigned engineer); outside
    it only against a commerce quote, entered by a commerce representative, before work."""
    if action not in rules.REPAIR_ACTIONS:
        raise Invalid(
            "ChoiceInvalid", field="--action", value=action, allowed=", ".join(rules.REPAIR_ACTIONS)
        )
    with _step(ledger, actor_code, code) as (session, actor, ticket, project):
        _refuse_state(session, ticket, "repair")
        if ticket.out_of_warranty:
            if quote_fen is None:
                raise Refused("RepairNeedsQuote", id=ticket.code)
            actors.require(actor, "commerce")
        else:
            if quote_fen is not None:
                raise Refused("RepairInWarranty", id=ticket.code)
            _engineer_only(actor, ticket, session, "repair")
        session.add(
            TicketRepair(
                ticket_id=ticket.id or 0,
                part=part,
                action=action,
                in_warranty=not ticket.out_of_warranty,
                quote_fen=quote_fen,
                recorded_at=clock.now(),
                recorded_by=actor.code,
            )
        )
        _record(
            session,
            ticket,
            project,
            actor.code,
            "repair",
            ticket.status,
            {
                "part": part,
                "action": action,
                "in_warranty": not ticket.out_of_warranty,
                "quote_fen": quote_fen,
            },
        )
        return _view(session, ticket)
