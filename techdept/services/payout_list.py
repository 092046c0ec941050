"""The quarter's payout list, read without the ORM: paid lines, lines payable now, pending
lines and the pool. A line is payable in quarter Q when its assessment's GM approval and the
project's final payment are both dated on or before Q's last day and it has not been paid
(policy §4, "Payout"). Lines stream from the database one at a time."""

from __future__ import annotations

import datetime as dt
import itertools
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.engine import Connection

from techdept.ledger import queries
from techdept.ledger.engine import Ledger
from techdept.rules import Policy, fen_str, payout_window
from techdept.values import Quarter


@dataclass(slots=True)
class Line:
    """One payout line: paid (in a run of the quarter), payable now, or pending."""

    project: str
    project_name: str
    track: str | None
    slice_quarter: str | None
    staff: str
    name: str
    role: str
    amount_fen: int
    paid: bool
    approved_on: dt.date | None
    final_paid_on: dt.date | None
    line_id: int | None = None
    source: str = "entitlement"  # entitlement | award | reversal
    source_id: int | None = None
    assessment_id: int | None = None
    reason: str | None = None
    run_on: dt.date | None = None
    entitled_fen: int | None = None  # a difference line: the current entitlement it settles
    pending: bool = False  # approved, waiting for the project's final payment

    @property
    def status(self) -> str:
        """paid, payable (now) or pending (waiting for the final payment)."""
        return "paid" if self.paid else ("pending" if self.pending else "payable")

    @property
    def paid_before_fen(self) -> int | None:
        """What was paid on the same share before this line (a re-approved assessment)."""
        if self.entitled_fen is None or self.source != "entitlement":
            return None
        return self.entitled_fen - self.amount_fen

    @property
    def clawback(self) -> bool:
        """A negative entitlement line: a share cut by a re-approval, paid back."""
        return self.source == "entitlement" and self.amount_fen < 0

    def to_dict(self) -> dict[str, Any]:
        """The line as JSON (money as an exact string, dates ISO)."""
        return {
            "line": self.line_id,
            "project": self.project,
            "project_name": self.project_name,
            "track": self.track,
            "slice_quarter": self.slice_quarter,
            "staff": self.staff,
            "name": self.name,
            "role": self.role,
            "amount": fen_str(self.amount_fen),
            "paid": self.paid,
            "status": self.status,
            "source": self.source,
            "approved_on": str(self.approved_on) if self.approved_on else None,
            "final_paid_on": str(self.final_paid_on) if self.final_paid_on else None,
            "reason": self.reason,
            "clawback": self.clawback,
            "entitled": None if self.entitled_fen is None else fen_str(self.entitled_fen),
            "paid_before": None if self.paid_before_fen is None else fen_str(self.paid_before_fen),
        }


@dataclass(frozen=True)
class PoolMovement:
    project: str
    track: str
    slice_quarter: str | None
    on: dt.date
    amount_fen: int
    kind: str  # approved | superseded

    def to_dict(self) -> dict[str, Any]:
        return {
            "project": self.project,
            "track": self.track,
            "slice_quarter": self.slice_quarter,
            "on": self.on.isoformat(),
            "amount": fen_str(self.amount_fen),
            "kind": self.kind,
        }


def _open_entitlements(conn: Connection, last_day: dt.date) -> Iterator[Line]:
    for row in queries.open_entitlements(conn, last_day):
        eid, aid, code, pname, track, sq, staff, name, role, due, approved, paid_on, entitled = row
        due = int(due)  # SUM over BIGINT is NUMERIC on PostgreSQL
        if due:
            yield Line(
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
                source_id=eid,
                assessment_id=aid,
                entitled_fen=None if due == entitled else int(entitled),
            )


def _open_awards(conn: Connection, last_day: dt.date) -> Iterator[Line]:
    for aid, code, pname, staff, name, amount, awarded, paid_on, reason in queries.open_awards(
        conn, last_day
    ):
        yield Line(
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
            source_id=aid,
            reason=reason,
        )


def paid_lines(conn: Connection, quarter: str) -> Iterator[Line]:
    """The lines recorded in the quarter's payout runs."""
    for row in queries.paid_in(conn, quarter):
        (
            lid,
            ent,
            award,
            rev,
            aid,
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
        yield Line(
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
            source_id=rev or award or ent,
            assessment_id=aid,
            reason=reason,
            run_on=run_on,
            entitled_fen=None if entitled is None or entitled == amount else int(entitled),
        )


def iter_lines(
    conn: Connection, quarter: str, last_day: dt.date, *, pending: bool = False
) -> Iterator[Line]:
    """The quarter's lines one at a time: paid in its runs, then payable now (or, with
    ``pending``, the approved lines still waiting for the final payment)."""
    if not pending:
        yield from paid_lines(conn, quarter)
    for line in itertools.chain(_open_entitlements(conn, last_day), _open_awards(conn, last_day)):
        payable = line.final_paid_on is not None and line.final_paid_on <= last_day
        if payable != pending:
            line.pending = pending
            yield line


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


@dataclass(frozen=True)
class QuarterView:
    """A quarter opened for reading: the small facts now, the lines as a stream."""

    quarter: str
    window: tuple[dt.date, dt.date]
    pool_movements: list[PoolMovement]
    pool_balance: int
    conn: Connection
    last_day: dt.date

    @property
    def pool(self) -> int:
        return sum(m.amount_fen for m in self.pool_movements)

    def lines(self, *, pending: bool = False) -> Iterator[Line]:
        return iter_lines(self.conn, self.quarter, self.last_day, pending=pending)


@contextmanager
def open_quarter(ledger: Ledger, policy: Policy, quarter: Quarter) -> Iterator[QuarterView]:
    """Read a quarter's payout without holding every line in memory (large ledgers)."""
    first, last = quarter.bounds()
    window = payout_window(policy, quarter)
    with ledger.connect() as conn:
        movements, balance = pool(conn, first, last)
        yield QuarterView(quarter, (window[0], window[1]), movements, balance, conn, last)


@dataclass
class Payout:
    """A quarter's list held in memory (for people's tables and for paying)."""

    quarter: str
    window: tuple[dt.date, dt.date]
    lines: list[Line]
    pending: list[Line] = field(default_factory=list)
    pool_movements: list[PoolMovement] = field(default_factory=list)
    pool_balance: int = 0
    newly_paid: int = 0
    already_paid: int = 0

    @property
    def total(self) -> int:
        return sum(line.amount_fen for line in self.lines)

    @property
    def pool(self) -> int:
        return sum(m.amount_fen for m in self.pool_movements)

    def totals_by_person(self) -> list[tuple[str, str, int]]:
        return _totals(self.lines)

    def to_dict(self, *, pending: bool = False) -> dict[str, Any]:
        """The JSON of ``bonus --quarter Q`` (the keys of cli.md and more)."""
        doc: dict[str, Any] = {
            "quarter": self.quarter,
            "window": [self.window[0].isoformat(), self.window[1].isoformat()],
            "lines": [x.to_dict() for x in self.lines],
            "totals": totals_doc(self.totals_by_person()),
            "total": fen_str(self.total),
            "pool": fen_str(self.pool),
            "pool_balance": fen_str(self.pool_balance),
            "pool_movements": [m.to_dict() for m in self.pool_movements],
            "newly_paid": self.newly_paid,
            "already_paid": self.already_paid,
        }
        if pending:  # only the lines waiting, under both keys
            doc["lines"] = doc["pending"] = [x.to_dict() for x in self.pending]
            doc["totals"] = totals_doc(_totals(self.pending))
            doc["total"] = fen_str(sum(x.amount_fen for x in self.pending))
        return doc


def _totals(lines: list[Line]) -> list[tuple[str, str, int]]:
    sums: dict[tuple[str, str], int] = defaultdict(int)
    for line in lines:
        sums[(line.staff, line.name)] += line.amount_fen
    return [(code, name, amount) for (code, name), amount in sorted(sums.items())]


def totals_doc(totals: list[tuple[str, str, int]]) -> list[dict[str, str]]:
    """Totals per person as JSON."""
    return [
        {"staff": code, "name": name, "amount": fen_str(amount)} for code, name, amount in totals
    ]


def build(conn: Connection, policy: Policy, quarter: Quarter) -> Payout:
    """The whole list of ``quarter`` in memory, read on ``conn``."""
    first, last = quarter.bounds()
    lines = list(iter_lines(conn, quarter, last))
    movements, balance = pool(conn, first, last)
    window = payout_window(policy, quarter)
    return Payout(
        quarter=quarter,
        window=(window[0], window[1]),
        lines=lines,
        pending=list(iter_lines(conn, quarter, last, pending=True)),
        pool_movements=movements,
        pool_balance=balance,
        already_paid=sum(1 for x in lines if x.paid and x.source != "reversal"),
    )


def payout(ledger: Ledger, policy: Policy, quarter: Quarter) -> Payout:
    """The quarter's list: lines paid in its runs, every line payable now, and pending."""
    with ledger.connect() as conn:
        return build(conn, policy, quarter)
