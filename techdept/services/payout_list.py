"""The quarter's payout list, read without the ORM: paid lines, lines payable now, pending
lines and the pool. A line is payable in quarter Q when its assessment's GM approval and the
project's final payment are both dated on or before Q's last day and it has not been paid
(policy §4, "Payout"). Lines stream from the database one at a time."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any, NamedTuple

from sqlalchemy.engine import Connection

from techdept.documents.payout import PayoutDoc, PayoutLine, PoolMovement
from techdept.ledger import queries
from techdept.ledger.engine import Ledger
from techdept.rules import Policy, payout_window
from techdept.values import Quarter


def _open_entitlements(
    conn: Connection, last_day: dt.date, pending: bool, settles: bool = False
) -> Iterator[Any]:
    for row in queries.open_entitlements(conn, last_day):
        eid, aid, code, pname, track, sq, staff, name, role, due, approved, paid_on, entitled = row
        due = int(due)  # SUM over BIGINT is NUMERIC on PostgreSQL
        if due and (paid_on is None or paid_on > last_day) == pending:
            line = PayoutLine(
                code,
                pname,
                track,
                sq,
                staff,
                name,
                role,
                due,
                False,
                approved,
                paid_on,
                source="entitlement",
                entitled_fen=None if due == entitled else int(entitled),
                pending=pending,
            )
            yield Settling(line, eid, None, aid) if settles else line


def _open_awards(
    conn: Connection, last_day: dt.date, pending: bool, settles: bool = False
) -> Iterator[Any]:
    for aid, code, pname, staff, name, amount, awarded, paid_on, reason in queries.open_awards(
        conn, last_day
    ):
        if (paid_on is None or paid_on > last_day) != pending:
            continue
        line = PayoutLine(
            code,
            pname,
            None,
            None,
            staff,
            name,
            "award",
            amount,
            False,
            awarded,
            paid_on,
            source="award",
            reason=reason,
            pending=pending,
        )
        yield Settling(line, None, aid, None) if settles else line


def paid_lines(conn: Connection, quarter: str) -> Iterator[PayoutLine]:
    """The lines recorded in the quarter's payout runs."""
    for row in queries.paid_in(conn, quarter):
        (
            lid,
            _entitlement,
            award,
            rev,
            _assessment,
            code,
            pname,
            track,
            sq,
            staff,
            name,
            role,
            amount,
            approved,
            final,
            reason,
            run_on,
            entitled,
        ) = row
        source = "reversal" if rev else ("award" if award else "entitlement")
        yield PayoutLine(
            code,
            pname,
            track,
            sq,
            staff,
            name,
            role,
            amount,
            True,
            approved,
            final,
            line_id=lid,
            source=source,
            reason=reason,
            run_on=run_on,
            entitled_fen=None if entitled is None or entitled == amount else int(entitled),
        )


class Settling(NamedTuple):
    """A line payable now with the ledger rows a payout line for it records: the entitlement
    or the extra award it settles and the assessment it came from (not part of the list)."""

    line: PayoutLine
    entitlement_id: int | None
    award_id: int | None
    assessment_id: int | None


def payable(conn: Connection, last_day: dt.date) -> list[Settling]:
    """Every line payable on ``last_day`` and not paid yet, with what paying it settles."""
    return [
        *_open_entitlements(conn, last_day, False, settles=True),
        *_open_awards(conn, last_day, False, settles=True),
    ]


def iter_lines(
    conn: Connection, quarter: str, last_day: dt.date, *, pending: bool = False
) -> Iterator[PayoutLine]:
    """The quarter's lines one at a time: paid in its runs, then payable now (or, with
    ``pending``, the approved lines still waiting for the final payment)."""
    if not pending:
        yield from paid_lines(conn, quarter)
    yield from _open_entitlements(conn, last_day, pending)
    yield from _open_awards(conn, last_day, pending)


def pool(conn: Connection, first: dt.date, last: dt.date) -> tuple[list[PoolMovement], int]:
    """The pool's movements in [first, last] and its balance at ``last``."""
    movements = []
    for code, track, sq, approved, amount, superseded in queries.pool_entries(conn, first, last):
        if first <= approved <= last:
            movements.append(PoolMovement(code, track, sq, approved, amount, "approved"))
        if superseded is not None and first <= queries.day_of(superseded) <= last:
            day = queries.day_of(superseded)
            movements.append(PoolMovement(code, track, sq, day, -amount, "superseded"))
    movements.sort(key=lambda m: m.on)
    return movements, queries.pool_balance(conn, last)


def build(
    conn: Connection,
    policy: Policy,
    quarter: Quarter,
    *,
    pending: bool = False,
    lines: Iterable[PayoutLine] | None = None,
) -> PayoutDoc:
    """The list of ``quarter`` in memory, read on ``conn``: every line (paid in its runs and
    payable now), or with ``pending`` the approved lines waiting for the final payment."""
    first, last = quarter.bounds()
    if lines is None:
        lines = tuple(iter_lines(conn, quarter, last, pending=pending))
    movements, balance = pool(conn, first, last)
    window = payout_window(policy, quarter)
    return PayoutDoc.of(
        quarter,
        (window[0], window[1]),
        lines,
        pool_balance_fen=balance,
        pool_movements=movements,
        already_paid=sum(1 for x in lines if x.paid and x.source != "reversal"),
        only_pending=pending,
    )


def payout(ledger: Ledger, policy: Policy, quarter: Quarter, *, pending: bool = False) -> PayoutDoc:
    """The quarter's list: lines paid in its runs and every line payable now (with
    ``pending``: the lines approved and waiting for the project's final payment)."""
    with ledger.connect() as conn:
        return build(conn, policy, quarter, pending=pending)


@contextmanager
def stream(
    ledger: Ledger, policy: Policy, quarter: Quarter, *, pending: bool = False
) -> Iterator[tuple[PayoutDoc, Callable[[], Iterator[PayoutLine]]]]:
    """The quarter's list without holding its lines in memory (large ledgers): a document of
    its small facts (quarter, window, the pool) and a function that reads its lines one at a
    time — ``PayoutDoc.stream_json`` writes both as ``to_json`` would."""
    last = quarter.last_day
    with ledger.connect() as conn:
        head = build(conn, policy, quarter, pending=pending, lines=())
        yield head, lambda: iter_lines(conn, quarter, last, pending=pending)
