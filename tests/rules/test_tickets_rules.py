"""The fault-ticket state machine and a quarter's figures, as tables (rules/tickets.py)."""

import datetime as dt
import itertools
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from techdept.rules import tickets as r


@pytest.mark.parametrize(
    "action, status, allowed",
    [
        ("assign", "reported", True),
        ("assign", "assigned", True),
        ("assign", "closed", False),
        ("call", "reported", False),
        ("call", "assigned", True),
        ("approve-trip", "trip-requested", True),
        ("approve-trip", "assigned", False),
        ("visit", "trip-requested", False),
        ("visit", "trip-approved", True),
        ("customer-sign", "visited", True),
        ("manager-sign", "visited", False),
        ("manager-sign", "customer-signed", True),
        ("archive", "customer-signed", False),
        ("archive", "closed", True),
        ("archive", "archived", False),
        ("repair", "closed", False),
        ("repair", "visited", True),
    ],
)
def test_steps_from_states(action, status, allowed):
    assert (r.check(action, r.TicketState(status)) is None) is allowed


def test_trip_needs_an_unsolved_call_and_expense_the_manager():
    blocked = r.check("trip", r.TicketState("assigned"))
    assert blocked and blocked.reason == "no-call" and blocked.needs.key == "call"
    assert r.check("trip", r.TicketState("assigned", called_unsolved=True)) is None
    blocked = r.check("expense", r.TicketState("closed"))
    assert blocked and blocked.reason == "no-manager-signature"
    assert r.check("expense", r.TicketState("archived", manager_signed=True)) is None


@pytest.mark.parametrize(
    "sales, manager, status, needs",
    [
        (False, False, "trip-requested", "approve-both"),
        (True, False, "trip-requested", "approve-manager"),
        (False, True, "trip-requested", "approve-sales"),
        (True, True, "trip-approved", "visit"),
    ],
)
def test_both_approvals(sales, manager, status, needs):
    assert r.after_approval(sales, manager) == status
    state = r.TicketState(status, sales_approved=sales, manager_approved=manager)
    assert r.next_step(state).key == needs


@pytest.mark.parametrize(
    "start, months, end",
    [
        (dt.date(2026, 10, 1), 12, dt.date(2027, 9, 30)),
        (dt.date(2026, 3, 20), 12, dt.date(2027, 3, 19)),
        (dt.date(2026, 8, 31), 6, dt.date(2027, 2, 27)),
    ],
)
def test_warranty_end(start, months, end):
    assert r.warranty_end(start, months) == end


def T(reported, assigned=None, closed=None, by=None, served=None, archived=None):
    def at(text):
        return dt.datetime.fromisoformat(text) if text else None

    return r.TicketFacts(
        at(reported),
        at(assigned),
        at(closed),
        by,
        dt.date.fromisoformat(served) if served else None,
        dt.date.fromisoformat(archived) if archived else None,
    )


def test_quarter_figures_by_hand():
    tickets = [
        # phone, 1 h to assign, 2.5 h to close, archived 3 days after: on time
        T(
            "2026-10-05 08:00",
            "2026-10-05 09:00",
            "2026-10-05 10:30",
            "phone",
            "2026-10-05",
            "2026-10-08",
        ),
        # on site, 3 h to assign, 2 days to close, archived 9 days after the visit: late
        T(
            "2026-11-02 09:00",
            "2026-11-02 12:00",
            "2026-11-04 09:00",
            "site",
            "2026-11-03",
            "2026-11-12",
        ),
        # on site, 0.5 h to assign, still open (visited, not archived) 8 days on: late
        T("2026-12-10 14:00", "2026-12-10 14:30", None, "site", "2026-12-15"),
        # reported in Q3: not opened this quarter, closed in Q4
        T(
            "2026-09-30 20:00",
            "2026-10-01 08:00",
            "2026-10-01 20:00",
            "phone",
            "2026-10-01",
            "2026-10-02",
        ),
    ]
    f = r.quarter_figures(
        tickets, dt.date(2026, 10, 1), dt.date(2026, 12, 31), 7, dt.date(2026, 12, 28)
    )
    assert (f.opened, f.closed, f.on_site, f.archived_late, f.reports) == (3, 3, 2, 2, 4)
    assert f.median_hours_to_assign == Decimal("1.0")  # 1, 3, 0.5
    assert f.median_hours_to_close == Decimal("24.0")  # 2.5, 48, 24


def test_median_rounds_half_up_and_empty():
    assert r.median_hours([Decimal("1"), Decimal("1.25")]) == Decimal("1.1")
    assert r.median_hours([]) is None


ACTIONS = (
    *(a for a in r.FROM if a not in ("call", "approve-trip")),
    "call-solved",
    "call-unsolved",
    "approve-sales",
    "approve-manager",
)


def _apply(state, action):
    """One step as the service takes it, through the rules' check; None when refused."""
    base = {"call-solved": "call", "call-unsolved": "call"}.get(action, action)
    base = "approve-trip" if action.startswith("approve-") else base
    if r.check(base, state) is not None:
        return None
    s = state
    if action == "call-solved":
        return r.TicketState(r.CLOSED)
    if action == "call-unsolved":
        return r.TicketState(r.ASSIGNED, called_unsolved=True)
    if action in ("approve-sales", "approve-manager"):
        sales = s.sales_approved or action == "approve-sales"
        manager = s.manager_approved or action == "approve-manager"
        return r.TicketState(
            r.after_approval(sales, manager), sales_approved=sales, manager_approved=manager
        )
    if action == "manager-sign":
        return r.TicketState(r.CLOSED, manager_signed=True)
    if action == "archive":
        return r.TicketState(r.ARCHIVED, manager_signed=s.manager_signed)
    if action in ("expense", "repair"):
        return s
    if action == "trip":
        return r.TicketState(r.TRIP_REQUESTED)
    return r.TicketState(r.TO[action], manager_signed=s.manager_signed)


@given(st.lists(st.sampled_from(ACTIONS), max_size=40))
def test_no_sequence_skips_a_step(actions):
    """Whatever is tried in whatever order: a trip is approved only with both approvals, a
    visit only after an approved trip, the manager signs only after the customer, expenses
    only after the manager's signature, and an archived ticket stays archived."""
    state = r.TicketState(r.REPORTED)
    seen = [state.status]
    for action in actions:
        before = state
        after = _apply(state, action)
        if after is None:
            continue
        if after.status == r.TRIP_APPROVED:
            assert after.sales_approved and after.manager_approved
        if action == "visit":
            assert before.status == r.TRIP_APPROVED
        if action == "manager-sign":
            assert before.status == r.CUSTOMER_SIGNED
        if action == "expense":
            assert before.manager_signed and before.status in (r.CLOSED, r.ARCHIVED)
        if before.status == r.ARCHIVED:
            assert after.status == r.ARCHIVED
        state = after
        seen.append(state.status)
    order = {s: i for i, s in enumerate(r.STATUSES)}
    assert all(order[a] <= order[b] for a, b in itertools.pairwise(seen))
