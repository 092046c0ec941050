"""Finding tickets and reading one with its history, expenses and repairs."""

from __future__ import annotations

import datetime as dt
import json

from sqlmodel import Session, col, select

from techdept.documents.ticket import Event, Expense, Repair, Signature, TicketDoc, Trip
from techdept.errors import NotFound
from techdept.ledger.engine import Ledger
from techdept.ledger.models import Project, Staff, Ticket, TicketEvent, TicketExpense, TicketRepair
from techdept.rules import tickets as rules
from techdept.services.projects import find as find_project
from techdept.services.staff import find as find_staff
from techdept.values import Quarter


def find(session: Session, code: str) -> Ticket:
    ticket = session.exec(select(Ticket).where(Ticket.code == code)).first()
    if ticket is None:
        raise NotFound("TicketNotFound", id=code)
    return ticket


def state_of(session: Session, ticket: Ticket) -> rules.TicketState:
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


def view_of(session: Session, ticket: Ticket, *, history: bool = True) -> TicketDoc:
    """The ticket as its typed document (``history=False``: without its steps, as listed)."""
    project = session.get(Project, ticket.project_id)
    assert project is not None
    engineer = session.get(Staff, ticket.engineer_id) if ticket.engineer_id else None
    end = (
        rules.warranty_end(project.service_start, project.service_months)
        if project.service_start and project.service_months
        else None
    )
    return TicketDoc(
        id=ticket.code,
        project=project.code,
        project_name=project.name,
        customer=project.customer,
        status=ticket.status,
        channel=ticket.channel,
        symptom=ticket.symptom,
        contact=ticket.contact,
        phone=ticket.phone,
        reported_at=ticket.reported_at,
        out_of_warranty=ticket.out_of_warranty,
        warranty_end=end,
        next=rules.next_step(state_of(session, ticket)),
        engineer=engineer.code if engineer else None,
        engineer_name=engineer.name if engineer else None,
        assigned_at=ticket.assigned_at,
        solved_by=ticket.solved_by,
        service_date=ticket.service_date,
        service_report=ticket.service_note,
        trip=_trip(ticket),
        customer_signature=(
            Signature(ticket.customer_signer, ticket.customer_signed_on)
            if ticket.customer_signer
            else None
        ),
        manager_signature=ticket.manager_signed_by,
        closed_at=ticket.closed_at,
        archived_on=ticket.archived_on,
        expenses=_expenses(session, ticket.id or 0),
        repairs=_repairs(session, ticket.id or 0),
        history=_history(session, ticket.id or 0) if history else (),
    )


def _trip(ticket: Ticket) -> Trip | None:
    if ticket.trip_from is None:
        return None
    return Trip(
        ticket.trip_from,
        ticket.trip_to or ticket.trip_from,
        ticket.trip_purpose,
        ticket.trip_sales_by,
        ticket.trip_manager_by,
    )


def _history(session: Session, ticket_id: int) -> tuple[Event, ...]:
    rows = session.exec(
        select(TicketEvent).where(TicketEvent.ticket_id == ticket_id).order_by(col(TicketEvent.id))
    )
    return tuple(
        Event(e.at, e.actor, e.on_behalf_of, e.action, e.status, json.loads(e.data or "{}"))
        for e in rows
    )


def _expenses(session: Session, ticket_id: int) -> tuple[Expense, ...]:
    rows = session.exec(
        select(TicketExpense)
        .where(TicketExpense.ticket_id == ticket_id)
        .order_by(col(TicketExpense.id))
    )
    return tuple(Expense(x.amount_fen, x.note, x.recorded_at.date(), x.recorded_by) for x in rows)


def _repairs(session: Session, ticket_id: int) -> tuple[Repair, ...]:
    rows = session.exec(
        select(TicketRepair)
        .where(TicketRepair.ticket_id == ticket_id)
        .order_by(col(TicketRepair.id))
    )
    return tuple(
        Repair(r.part, r.action, r.in_warranty, r.quote_fen, r.recorded_at.date(), r.recorded_by)
        for r in rows
    )


def show(ledger: Ledger, code: str) -> TicketDoc:
    with ledger.read() as session:
        return view_of(session, find(session, code))


def list_tickets(
    ledger: Ledger,
    *,
    open_only: bool = False,
    project: str | None = None,
    engineer: str | None = None,
    quarter: Quarter | None = None,
) -> list[TicketDoc]:
    """Tickets by id; filtered by open, project, engineer and the quarter they were reported
    in."""
    with ledger.read() as session:
        query = select(Ticket).order_by(col(Ticket.code))
        if open_only:
            query = query.where(col(Ticket.status).in_(rules.OPEN_STATUSES))
        if project:
            query = query.where(Ticket.project_id == find_project(session, project).id)
        if engineer:
            query = query.where(Ticket.engineer_id == find_staff(session, engineer).id)
        if quarter:
            first, last = quarter.bounds()
            start = dt.datetime.combine(first, dt.time()).astimezone()
            end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time()).astimezone()
            query = query.where(Ticket.reported_at >= start).where(Ticket.reported_at < end)
        return [view_of(session, t, history=False) for t in session.exec(query)]
