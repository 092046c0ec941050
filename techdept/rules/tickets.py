"""Fault tickets 故障单 (domain.md, "Fault ticket"): the states, which step leaves which state
and who takes it, what a ticket needs next, and a quarter's figures. Pure: values in, values
out; the service reads the ledger and the commands translate the keys."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from techdept.rules.calendar import add_months

REPORTED = "reported"
ASSIGNED = "assigned"
TRIP_REQUESTED = "trip-requested"
TRIP_APPROVED = "trip-approved"
VISITED = "visited"
CUSTOMER_SIGNED = "customer-signed"
CLOSED = "closed"
ARCHIVED = "archived"
STATUSES = (
    REPORTED,
    ASSIGNED,
    TRIP_REQUESTED,
    TRIP_APPROVED,
    VISITED,
    CUSTOMER_SIGNED,
    CLOSED,
    ARCHIVED,
)
OPEN_STATUSES = STATUSES[:6]
CHANNELS = ("customer", "sales", "hotline")
PHONE, SITE = "phone", "site"
REPAIR_ACTIONS = ("repair", "replace")

# Who takes each step: "manager" is the after-sales manager (B while A is away), "engineer"
# the ticket's assigned engineer, "approver" the project's sales representative or the
# after-sales manager, "staff" anyone on the staff, "commerce" a commerce representative.
ROLES = {
    "assign": "manager",
    "call": "engineer",
    "trip": "engineer",
    "approve-trip": "approver",
    "visit": "engineer",
    "customer-sign": "engineer",
    "manager-sign": "manager",
    "archive": "manager",
    "expense": "engineer",
    "repair": "engineer",
}

# The states each step may start from.
FROM = {
    "assign": (REPORTED, ASSIGNED),
    "call": (ASSIGNED,),
    "trip": (ASSIGNED,),
    "approve-trip": (TRIP_REQUESTED,),
    "visit": (TRIP_APPROVED,),
    "customer-sign": (VISITED,),
    "manager-sign": (CUSTOMER_SIGNED,),
    "archive": (CLOSED,),
    "expense": (CLOSED, ARCHIVED),
    "repair": (ASSIGNED, TRIP_REQUESTED, TRIP_APPROVED, VISITED),
}

# Where a step leads (call --solved and approve-trip depend on more than the step).
TO = {
    "assign": ASSIGNED,
    "trip": TRIP_REQUESTED,
    "visit": VISITED,
    "customer-sign": CUSTOMER_SIGNED,
    "manager-sign": CLOSED,
    "archive": ARCHIVED,
}


@dataclass(frozen=True)
class TicketState:
    """What the rules need to know of a ticket."""

    status: str
    called_unsolved: bool = False
    sales_approved: bool = False
    manager_approved: bool = False
    manager_signed: bool = False


@dataclass(frozen=True)
class NextStep:
    """What a ticket needs next: a step key (``ticket.next.<key>``) and who takes it."""

    key: str
    role: str | None


def next_step(state: TicketState) -> NextStep:
    """The step a ticket is waiting for."""
    s = state.status
    if s == REPORTED:
        return NextStep("assign", "manager")
    if s == ASSIGNED:
        return NextStep("trip" if state.called_unsolved else "call", "engineer")
    if s == TRIP_REQUESTED:
        if not state.sales_approved and not state.manager_approved:
            return NextStep("approve-both", "approver")
        return NextStep("approve-manager" if state.sales_approved else "approve-sales", "approver")
    if s == TRIP_APPROVED:
        return NextStep("visit", "engineer")
    if s == VISITED:
        return NextStep("customer-sign", "engineer")
    if s == CUSTOMER_SIGNED:
        return NextStep("manager-sign", "manager")
    if s == CLOSED:
        return NextStep("archive", "manager")
    return NextStep("done", None)


@dataclass(frozen=True)
class Blocked:
    """A step refused by the state machine: the state it found and what it needs next."""

    action: str
    status: str
    needs: NextStep
    reason: str = "state"  # "state", "no-call", "no-manager-signature"


def check(action: str, state: TicketState) -> Blocked | None:
    """None when ``action`` may be taken from the ticket's state, else why not."""
    if action not in FROM:
        raise KeyError(action)
    blocked = Blocked(action, state.status, next_step(state))
    if state.status not in FROM[action]:
        return blocked
    if action == "trip" and not state.called_unsolved:
        return Blocked(action, state.status, next_step(state), "no-call")
    if action == "expense" and not state.manager_signed:
        return Blocked(action, state.status, next_step(state), "no-manager-signature")
    return None


def after_approval(sales_approved: bool, manager_approved: bool) -> str:
    """A trip is approved only when the sales representative and the manager both have."""
    return TRIP_APPROVED if sales_approved and manager_approved else TRIP_REQUESTED


# ---------------------------------------------------------------- warranty


def warranty_end(start: dt.date, months: int) -> dt.date:
    """The last day of a service period of ``months`` months from ``start``."""
    return add_months(start, months) - dt.timedelta(days=1)


def in_warranty(day: dt.date, start: dt.date, months: int) -> bool:
    return start <= day <= warranty_end(start, months)


# ---------------------------------------------------------------- a quarter's figures


@dataclass(frozen=True)
class TicketFacts:
    """One ticket as the quarter's figures see it (office local times)."""

    reported_at: dt.datetime
    assigned_at: dt.datetime | None
    closed_at: dt.datetime | None
    solved_by: str | None
    service_date: dt.date | None
    archived_on: dt.date | None


@dataclass(frozen=True)
class QuarterFigures:
    opened: int
    closed: int
    on_site: int
    median_hours_to_assign: Decimal | None
    median_hours_to_close: Decimal | None
    archived_late: int
    reports: int

    @property
    def has_tickets(self) -> bool:
        return bool(self.opened or self.closed or self.reports)


def _hours(start: dt.datetime, end: dt.datetime) -> Decimal:
    return Decimal(int((end - start).total_seconds())) / Decimal(3600)


def median_hours(spans: Sequence[Decimal]) -> Decimal | None:
    """The median of hour spans, to one decimal (half-up); None without any."""
    if not spans:
        return None
    ordered = sorted(spans)
    mid = len(ordered) // 2
    value = ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2
    return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def report_late(ticket: TicketFacts, within_days: int, as_of: dt.date) -> bool:
    """A service report not archived within ``within_days`` of the service (by ``as_of`` if
    it is not archived yet)."""
    if ticket.service_date is None:
        return False
    due = ticket.service_date + dt.timedelta(days=within_days)
    if ticket.archived_on is not None:
        return ticket.archived_on > due
    return as_of > due


def quarter_figures(
    tickets: Iterable[TicketFacts],
    first: dt.date,
    last: dt.date,
    within_days: int,
    as_of: dt.date,
) -> QuarterFigures:
    """Opened, closed, on-site visits, median hours report → assignment (of the tickets
    opened) and report → close (of those closed), and the service reports of the quarter's
    services archived late."""

    def inside(day: dt.date | None) -> bool:
        return day is not None and first <= day <= last

    rows = list(tickets)
    opened = [t for t in rows if inside(t.reported_at.date())]
    closed = [t for t in rows if t.closed_at is not None and inside(t.closed_at.date())]
    served = [t for t in rows if inside(t.service_date)]
    to_assign = [_hours(t.reported_at, t.assigned_at) for t in opened if t.assigned_at]
    to_close = [_hours(t.reported_at, t.closed_at) for t in closed if t.closed_at]
    return QuarterFigures(
        opened=len(opened),
        closed=len(closed),
        on_site=sum(1 for t in served if t.solved_by == SITE),
        median_hours_to_assign=median_hours(to_assign),
        median_hours_to_close=median_hours(to_close),
        archived_late=sum(1 for t in served if report_late(t, within_days, as_of)),
        reports=len(served),
    )
