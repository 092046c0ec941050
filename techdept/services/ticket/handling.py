"""A ticket's way from assignment to archive: the call, the visit and its service report,
both signatures, archiving."""

from __future__ import annotations

import datetime as dt
from typing import Any

from techdept import clock
from techdept.documents.ticket import TicketDoc, local_text
from techdept.errors import Invalid, Refused
from techdept.ledger.engine import Ledger
from techdept.rules import tickets as rules
from techdept.services import cover
from techdept.services.staff import find as find_staff
from techdept.services.staff import roles_of
from techdept.services.ticket.reading import view_of
from techdept.services.ticket.steps import (
    check_day,
    opened,
    record_step,
    refuse_state,
    require_engineer,
    step_time,
)
from techdept.services.ticket.views import ENGINEER_ROLES, local


def assign(
    ledger: Ledger,
    actor_code: str | None,
    code: str,
    engineer_code: str,
    at: dt.datetime | None = None,
    policy: Any = None,
) -> TicketDoc:
    """The after-sales manager (or B while A is away) assigns a technical engineer; one
    suspended from after-sales work (policy §5) is refused."""
    with opened(ledger, actor_code, code) as (session, actor, ticket, project):
        behalf = cover.authorize(session, actor, cover.A_ROLE)
        refuse_state(session, ticket, "assign")
        person = find_staff(session, engineer_code)
        if not roles_of(session, person.id or 0) & set(ENGINEER_ROLES):
            raise Refused("TicketNotAnEngineer", code=engineer_code)
        if policy is not None:
            from techdept.services.sanctions import check_team

            track = policy.ticket_track  # after-sales: its rubric takes the tickets
            if track is not None:
                check_team(session, policy, track, person, [])
        when = step_time(at, ticket, "--at")
        before = ticket.status
        ticket.engineer_id = person.id
        ticket.assigned_at = when
        ticket.status = rules.ASSIGNED
        record_step(
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
        return view_of(session, ticket)


def call(
    ledger: Ledger,
    actor_code: str | None,
    code: str,
    solved: bool,
    note: str,
    at: dt.datetime | None = None,
) -> TicketDoc:
    """The assigned engineer calls the customer. Solved by phone: the note is the service
    report and the service is complete (closed); otherwise a trip is needed next."""
    with opened(ledger, actor_code, code) as (session, actor, ticket, project):
        require_engineer(actor, ticket, session, "call")
        refuse_state(session, ticket, "call")
        when = step_time(at, ticket, "--at")
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
        record_step(
            session,
            ticket,
            project,
            actor.code,
            "call",
            before,
            {"solved": solved, "note": note, "at": local_text(when)},
            at=when,
        )
        return view_of(session, ticket)


def visit(
    ledger: Ledger, actor_code: str | None, code: str, day: dt.date, work_done: str
) -> TicketDoc:
    """The engineer fixes it on site: the service report 客户服务报告 records the work done."""
    with opened(ledger, actor_code, code) as (session, actor, ticket, project):
        require_engineer(actor, ticket, session, "visit")
        refuse_state(session, ticket, "visit")
        check_day(day, ticket, "--date")
        before = ticket.status
        ticket.status = rules.VISITED
        ticket.solved_by = rules.SITE
        ticket.service_date = day
        ticket.service_note = work_done
        record_step(
            session,
            ticket,
            project,
            actor.code,
            "visit",
            before,
            {"date": day.isoformat(), "work_done": work_done},
        )
        return view_of(session, ticket)


def customer_sign(
    ledger: Ledger, actor_code: str | None, code: str, name: str, day: dt.date
) -> TicketDoc:
    """The customer signs the service report (entered by the engineer who carries it)."""
    with opened(ledger, actor_code, code) as (session, actor, ticket, project):
        require_engineer(actor, ticket, session, "customer-sign")
        refuse_state(session, ticket, "customer-sign")
        check_day(day, ticket, "--date", after=ticket.service_date)
        before = ticket.status
        ticket.status = rules.CUSTOMER_SIGNED
        ticket.customer_signer, ticket.customer_signed_on = name, day
        record_step(
            session,
            ticket,
            project,
            actor.code,
            "customer-sign",
            before,
            {"name": name, "date": day.isoformat()},
        )
        return view_of(session, ticket)


def manager_sign(
    ledger: Ledger, actor_code: str | None, code: str, at: dt.datetime | None = None
) -> TicketDoc:
    """The after-sales manager (or B while A is away) signs the service report: service
    complete (closed)."""
    with opened(ledger, actor_code, code) as (session, actor, ticket, project):
        behalf = cover.authorize(session, actor, cover.A_ROLE)
        refuse_state(session, ticket, "manager-sign")
        when = step_time(at, ticket, "--at")
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
        record_step(
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
        return view_of(session, ticket)


def archive(
    ledger: Ledger, actor_code: str | None, code: str, day: dt.date | None = None
) -> TicketDoc:
    """The after-sales manager archives the service report."""
    with opened(ledger, actor_code, code) as (session, actor, ticket, project):
        behalf = cover.authorize(session, actor, cover.A_ROLE)
        refuse_state(session, ticket, "archive")
        day = day or clock.today()
        check_day(day, ticket, "--date", after=ticket.service_date)
        before = ticket.status
        ticket.status = rules.ARCHIVED
        ticket.archived_on = day
        record_step(
            session,
            ticket,
            project,
            actor.code,
            "archive",
            before,
            {"date": day.isoformat()},
            behalf=behalf,
        )
        return view_of(session, ticket)
