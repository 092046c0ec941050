"""A business trip for an on-site visit and its two approvals (sales, then the after-sales
manager)."""

from __future__ import annotations

import datetime as dt

from techdept.documents.ticket import TicketDoc
from techdept.errors import Invalid, Refused, RoleRequired
from techdept.ledger.engine import Ledger
from techdept.ledger.models import Staff
from techdept.rules import tickets as rules
from techdept.services import cover
from techdept.services.ticket.reading import state_of, view_of
from techdept.services.ticket.steps import opened, record_step, refuse_state, require_engineer
from techdept.services.ticket.views import TicketRefused, local


def trip(
    ledger: Ledger,
    actor_code: str | None,
    code: str,
    first: dt.date,
    last: dt.date,
    purpose: str,
) -> TicketDoc:
    """The assigned engineer files a trip request 出差申请单 after an unsolved call."""
    if last < first:
        raise Invalid("TripBackwards", first=first.isoformat(), last=last.isoformat())
    with opened(ledger, actor_code, code) as (session, actor, ticket, project):
        require_engineer(actor, ticket, session, "trip")
        refuse_state(session, ticket, "trip")
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
        record_step(
            session,
            ticket,
            project,
            actor.code,
            "trip",
            before,
            {"from": first.isoformat(), "to": last.isoformat(), "purpose": purpose},
        )
        return view_of(session, ticket)


def approve_trip(ledger: Ledger, actor_code: str | None, code: str) -> TicketDoc:
    """The project's sales representative and the after-sales manager (or B while A is away)
    each approve; the trip is approved when both have."""
    with opened(ledger, actor_code, code) as (session, actor, ticket, project):
        refuse_state(session, ticket, "approve-trip")
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
                next=rules.next_step(state_of(session, ticket)).key,
            )
        if side == "sales":
            ticket.trip_sales_by = actor.code
        else:
            ticket.trip_manager_by = actor.code
        before = ticket.status
        ticket.status = rules.after_approval(
            ticket.trip_sales_by is not None, ticket.trip_manager_by is not None
        )
        record_step(
            session,
            ticket,
            project,
            actor.code,
            "approve-trip",
            before,
            {"as": side},
            behalf=behalf,
        )
        return view_of(session, ticket)
