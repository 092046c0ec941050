"""Large read queries in plain SQL through SQLAlchemy Core: no ORM objects and no SQLModel
import, so a payout list over a big ledger streams rows instead of building objects.

The SQL is standard (joins, GROUP BY, NOT EXISTS, COALESCE) and runs the same on SQLite and
PostgreSQL; dates are bound and read through SQLAlchemy's Date type on both."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator
from typing import Any

from sqlalchemy import Date, DateTime, bindparam, text
from sqlalchemy.engine import Connection

PAID_ROLES = ("lead", "engineer", "director")

_FINAL = (
    "SELECT project_id, MIN(paid_on) AS paid_on FROM payment "
    "WHERE kind = 'final' AND voided_at IS NULL GROUP BY project_id"
)

_OPEN_ENTITLEMENTS = (
    text(
        f"""
SELECT e.id, e.assessment_id, p.code, p.name, e.track, e.slice_quarter, s.code, s.name,
       e.role, e.amount_fen - COALESCE(n.net, 0) AS due, e.approved_on, f.paid_on AS final_paid_on,
       e.amount_fen AS entitled
FROM entitlement e
JOIN project p ON p.id = e.project_id
JOIN staff s ON s.id = e.staff_id
LEFT JOIN ({_FINAL}) f ON f.project_id = e.project_id
LEFT JOIN (SELECT assessment_id, staff_id, role, CAST(SUM(amount_fen) AS BIGINT) AS net
           FROM payout_line
           WHERE assessment_id IS NOT NULL GROUP BY assessment_id, staff_id, role) n
  ON n.assessment_id = e.assessment_id AND n.staff_id = e.staff_id AND n.role = e.role
WHERE e.superseded_at IS NULL AND e.role IN ('lead', 'engineer', 'director')
  AND e.approved_on <= :last
  AND NOT EXISTS (SELECT 1 FROM payout_line l WHERE l.entitlement_id = e.id)
ORDER BY p.code, e.track, e.slice_quarter, e.id
"""
    )
    .bindparams(bindparam("last", type_=Date))
    .columns(approved_on=Date, final_paid_on=Date)
)

_OPEN_AWARDS = (
    text(
        f"""
SELECT a.id, p.code, p.name, s.code, s.name, a.amount_fen, a.awarded_on,
       f.paid_on AS final_paid_on, a.reason
FROM extra_award a
JOIN project p ON p.id = a.project_id
JOIN staff s ON s.id = a.staff_id
LEFT JOIN ({_FINAL}) f ON f.project_id = a.project_id
WHERE a.awarded_on <= :last
  AND NOT EXISTS (SELECT 1 FROM payout_line l WHERE l.award_id = a.id)
ORDER BY p.code, a.id
"""
    )
    .bindparams(bindparam("last", type_=Date))
    .columns(awarded_on=Date, final_paid_on=Date)
)

_PAID_IN = text(
    """
SELECT l.id, l.entitlement_id, l.award_id, l.reverses_id, l.assessment_id, p.code, p.name,
       l.track, l.slice_quarter, s.code, s.name, l.role, l.amount_fen, l.approved_on,
       l.final_paid_on, l.reason, r.run_on, e.amount_fen AS entitled
FROM payout_line l
JOIN payout_run r ON r.id = l.run_id
LEFT JOIN entitlement e ON e.id = l.entitlement_id AND l.reverses_id IS NULL
JOIN project p ON p.id = l.project_id
JOIN staff s ON s.id = l.staff_id
WHERE r.quarter = :quarter
ORDER BY l.id
"""
).columns(approved_on=Date, final_paid_on=Date, run_on=Date)

_POOL = (
    text(
        """
SELECT p.code, e.track, e.slice_quarter, e.approved_on, e.amount_fen, e.superseded_at
FROM entitlement e
JOIN project p ON p.id = e.project_id
WHERE e.role = 'pool'
  AND ((e.approved_on >= :first AND e.approved_on <= :last) OR e.superseded_at IS NOT NULL)
ORDER BY e.approved_on, e.id
"""
    )
    .bindparams(bindparam("first", type_=Date), bindparam("last", type_=Date))
    .columns(approved_on=Date, superseded_at=DateTime(timezone=True))
)

_POOL_ADDED = text(
    "SELECT COALESCE(SUM(amount_fen), 0) FROM entitlement "
    "WHERE role = 'pool' AND approved_on <= :on"
).bindparams(bindparam("on", type_=Date))

_POOL_REMOVED = text(
    "SELECT amount_fen, superseded_at FROM entitlement "
    "WHERE role = 'pool' AND superseded_at IS NOT NULL"
).columns(superseded_at=DateTime(timezone=True))


def _stream(conn: Connection, query: Any, **params: Any) -> Iterator[Any]:
    result = conn.execute(query, params)
    return itertools.chain.from_iterable(result.partitions(2000))


def open_entitlements(conn: Connection, last: dt.date) -> Iterator[Any]:
    """Current, unsettled entitlements approved by ``last`` with what is still due on each:
    the amount less what was already paid (net of reversals) for the same person and role of
    the same assessment, so a re-approved assessment pays only the difference, and a share
    that shrank (or a person no longer named: a zero row) gives a negative line, a clawback.
    An entitlement settled by a line (paid, clawed back, or consumed by a reversal) is not
    due again until the assessment is reopened and re-approved."""
    return _stream(conn, _OPEN_ENTITLEMENTS, last=last)


def open_awards(conn: Connection, last: dt.date) -> Iterator[Any]:
    """Unpaid extra awards given by ``last``, with their project's final payment date."""
    return _stream(conn, _OPEN_AWARDS, last=last)


def paid_in(conn: Connection, quarter: str) -> Iterator[Any]:
    """Every line recorded in the payout runs of ``quarter`` (reversals included)."""
    return _stream(conn, _PAID_IN, quarter=quarter)


def pool_entries(conn: Connection, first: dt.date, last: dt.date) -> Iterator[Any]:
    """Pool entitlements approved in [first, last] and all superseded pool entitlements."""
    return _stream(conn, _POOL, first=first, last=last)


def pool_balance(conn: Connection, on: dt.date) -> int:
    """The department pool's balance at the end of ``on``."""
    added = int(conn.execute(_POOL_ADDED, {"on": on}).scalar_one())
    removed = sum(amount for amount, at in conn.execute(_POOL_REMOVED) if day_of(at) <= on)
    return added - removed


def day_of(value: dt.datetime) -> dt.date:
    """The UTC date of a stored timestamp."""
    if value.tzinfo is not None:
        value = value.astimezone(dt.UTC)
    return value.date()
