"""Fault tickets 故障单, one noun per module: ``opening`` (registration), ``handling`` (assign,
call, visit, signatures, archive), ``trip`` (the business trip and its two approvals),
``costs`` (expenses and repairs), ``reading`` (find, show, list), ``steps`` (what every step
shares: state and role checks, times, the history and audit record) and ``views``. Every
step checks the state (rules/tickets.py) and the role, writes the ticket's history and an
audit row, and returns the ticket as its typed document (``documents.ticket.TicketDoc``).
Speaks data: keys and values, no translation."""

from techdept.services.ticket.costs import expense, repair
from techdept.services.ticket.handling import (
    archive,
    assign,
    call,
    customer_sign,
    manager_sign,
    visit,
)
from techdept.services.ticket.opening import NewTicket, new_ticket
from techdept.services.ticket.reading import find, list_tickets, show
from techdept.services.ticket.trip import approve_trip, trip
from techdept.services.ticket.views import (
    AFTERSALES_STAGES,
    ENGINEER_ROLES,
    TicketRefused,
    local,
    local_now,
)

__all__ = [
    "AFTERSALES_STAGES",
    "ENGINEER_ROLES",
    "NewTicket",
    "TicketRefused",
    "approve_trip",
    "archive",
    "assign",
    "call",
    "customer_sign",
    "expense",
    "find",
    "list_tickets",
    "local",
    "local_now",
    "manager_sign",
    "new_ticket",
    "repair",
    "show",
    "trip",
    "visit",
]
