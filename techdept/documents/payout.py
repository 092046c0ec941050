"""The quarter's payout list (``bonus --quarter Q``) as a typed, frozen document: what
``services.payout_list`` and ``services.payouts.pay`` return, what ``bonus --quarter Q --json``
prints, and what the terminal tables, the .xlsx workbook and the signed .docx list read (by
attribute).

Money is integer fen here and exact yuan text in JSON (``"5808.00"``), dates ``datetime.date``
here and ISO text in JSON. ``to_json`` writes it with ``doc_version``; ``from_json`` reads it
back, including the JSON written before the version field (version 0) and hand-written lists
that leave parts out. Why a line is in the list is worded in the user's language by the
command line: ``to_json(words=…)`` adds it (``why``, and a re-approved share's ``reason``).
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from techdept.documents._version import read_version
from techdept.rules.money import fen_str, yuan_to_fen

DOC_VERSION = 1

# Words a line for people: (why it is in the list, why a re-approved share pays a difference
# or is clawed back — None when it is not such a line). Made by commands/, never here.
Words = Callable[["PayoutLine"], tuple[str, str | None]]


@dataclass(frozen=True, slots=True)
class PayoutLine:
    """One payout line: paid (in a run of the quarter, ``run_on``), payable now, or pending
    (approved, waiting for the project's final payment)."""

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
    reason: str | None = None
    run_on: dt.date | None = None
    entitled_fen: int | None = None  # a difference line: the current entitlement it settles
    pending: bool | None = False  # None: a hand-written list left the line's status out

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

    def to_json(self, words: Words | None = None) -> dict[str, Any]:
        """The line as JSON; with ``words``, why it is in the list (``why``) and, for a
        re-approved share, why it pays a difference (``reason``)."""
        entitled = self.entitled_fen
        before = self.paid_before_fen
        out = {
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
            "approved_on": _iso(self.approved_on),
            "final_paid_on": _iso(self.final_paid_on),
            "reason": self.reason,
            "clawback": self.clawback,
            "entitled": None if entitled is None else fen_str(entitled),
            "paid_before": None if before is None else fen_str(before),
        }
        if words is not None:
            why, difference = words(self)
            out["why"] = why
            if self.reason is None:
                out["reason"] = difference
        out["run_on"] = _iso(self.run_on)  # a paid line's run: the JSON before v1 left it out
        return out

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> PayoutLine:
        source = str(data.get("source") or "entitlement")
        status = data.get("status")
        paid = bool(data.get("paid", status == "paid"))
        return cls(
            project=str(data.get("project") or ""),
            project_name=str(data.get("project_name") or ""),
            track=data.get("track") or None,
            slice_quarter=data.get("slice_quarter") or None,
            staff=str(data.get("staff") or ""),
            name=str(data.get("name") or data.get("staff") or ""),
            role=str(data.get("role") or ""),
            amount_fen=yuan_to_fen(data.get("amount")) or 0,
            paid=paid,
            approved_on=_date(data.get("approved_on")),
            final_paid_on=_date(data.get("final_paid_on")),
            line_id=_int(data.get("line")),
            source=source,
            # an entitlement line has no reason of its own: what JSON shows there is worded
            reason=None if source == "entitlement" else data.get("reason"),
            run_on=_date(data.get("run_on")),
            entitled_fen=yuan_to_fen(data.get("entitled")),
            pending=None if status is None and not paid else status == "pending",
        )


@dataclass(frozen=True, slots=True)
class PoolMovement:
    """The department pool moved on ``on``: an approval paid into it, or its superseding
    took the amount back out (``kind``: approved | superseded)."""

    project: str
    track: str
    slice_quarter: str | None
    on: dt.date
    amount_fen: int
    kind: str

    def to_json(self) -> dict[str, Any]:
        return {
            "project": self.project,
            "track": self.track,
            "slice_quarter": self.slice_quarter,
            "on": self.on.isoformat(),
            "amount": fen_str(self.amount_fen),
            "kind": self.kind,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> PoolMovement:
        return cls(
            project=str(data.get("project") or ""),
            track=str(data.get("track") or ""),
            slice_quarter=data.get("slice_quarter") or None,
            on=dt.date.fromisoformat(str(data["on"])),
            amount_fen=yuan_to_fen(data.get("amount")) or 0,
            kind=str(data.get("kind") or "approved"),
        )


@dataclass(frozen=True, slots=True)
class PersonTotal:
    staff: str
    name: str
    amount_fen: int

    def to_json(self) -> dict[str, Any]:
        return {"staff": self.staff, "name": self.name, "amount": fen_str(self.amount_fen)}


@dataclass(frozen=True)
class PayoutDoc:
    """A quarter's payout list: every line of it (``only_pending``: only the approved lines
    waiting for their final payment), each person's total, the pool and its movements."""

    quarter: str
    window: tuple[dt.date | None, dt.date | None]
    lines: tuple[PayoutLine, ...]
    totals: tuple[PersonTotal, ...]
    total_fen: int
    pool_fen: int | None  # None: a hand-written list that leaves the pool out
    pool_balance_fen: int | None = None
    pool_movements: tuple[PoolMovement, ...] = ()
    newly_paid: int = 0
    already_paid: int = 0
    only_pending: bool = False
    policy: Mapping[str, str] | None = None  # {id, hash} of a list drawn to be signed

    @classmethod
    def of(
        cls,
        quarter: str,
        window: tuple[dt.date, dt.date],
        lines: Iterable[PayoutLine],
        **facts: Any,
    ) -> PayoutDoc:
        """The document of these lines: totals per person and the total summed from them."""
        lines = tuple(lines)
        movements = tuple(facts.pop("pool_movements", ()))
        facts.setdefault("pool_fen", sum(m.amount_fen for m in movements))
        return cls(
            quarter,
            window,
            lines,
            person_totals(lines),
            sum(x.amount_fen for x in lines),
            pool_movements=movements,
            **facts,
        )

    def to_json(self, words: Words | None = None) -> dict[str, Any]:
        """The JSON of ``bonus --quarter Q`` (the keys of cli.md and more): with ``only_pending``
        the waiting lines under both ``lines`` and ``pending``."""
        lines = [x.to_json(words) for x in self.lines]
        out = self._head() | {"lines": lines} | self._tail(self.totals, self.total_fen)
        if self.only_pending:
            out["pending"] = lines
        if self.policy is not None:
            out["policy"] = dict(self.policy)
        out["doc_version"] = DOC_VERSION
        return out

    def stream_json(
        self, lines: Callable[[], Iterable[PayoutLine]], words: Words | None = None
    ) -> Iterator[str]:
        """``to_json`` as text, written piece by piece for lines read one at a time (a large
        ledger's quarter never sits in memory): this document gives the head and the pool,
        ``lines()`` the lines (called twice for ``only_pending``)."""
        sums: dict[tuple[str, str], int] = defaultdict(int)
        counts = [0, 0]  # the total, the lines paid before (reversals aside)

        def add_up(line: PayoutLine) -> None:
            sums[(line.staff, line.name)] += line.amount_fen
            counts[0] += line.amount_fen
            counts[1] += line.paid and line.source != "reversal"

        yield _text(self._head())[:-1] + ', "lines": ['
        yield from _json_array(lines(), words, add_up)
        totals = tuple(PersonTotal(code, name, fen) for (code, name), fen in sorted(sums.items()))
        tail = self._tail(totals, counts[0]) | {"already_paid": counts[1]}
        yield "], " + _text(tail)[1:-1]
        if self.only_pending:  # the same waiting lines under the key older readers use
            yield ', "pending": ['
            yield from _json_array(lines(), words, None)
            yield "]"
        yield f', "doc_version": {DOC_VERSION}' + "}\n"

    def _head(self) -> dict[str, Any]:
        return {"quarter": self.quarter, "window": [_iso(day) for day in self.window]}

    def _tail(self, totals: Iterable[PersonTotal], total_fen: int) -> dict[str, Any]:
        return {
            "totals": [p.to_json() for p in totals],
            "total": fen_str(total_fen),
            "pool": fen_str(self.pool_fen),
            "pool_balance": fen_str(self.pool_balance_fen),
            "pool_movements": [m.to_json() for m in self.pool_movements],
            "newly_paid": self.newly_paid,
            "already_paid": self.already_paid,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> PayoutDoc:
        read_version(data, DOC_VERSION, "payout")
        lines = tuple(PayoutLine.from_json(x) for x in data.get("lines") or ())
        window = [*(data.get("window") or ()), None, None]
        total = data.get("total")  # a hand-written list may leave its sums out: added up
        return cls(
            quarter=str(data.get("quarter") or ""),
            window=(_date(window[0]), _date(window[1])),
            lines=lines,
            totals=_totals_of(data.get("totals"), lines),
            total_fen=sum(x.amount_fen for x in lines) if total is None else yuan_to_fen(total),
            pool_fen=yuan_to_fen(data.get("pool")),
            pool_balance_fen=yuan_to_fen(data.get("pool_balance")),
            pool_movements=tuple(
                PoolMovement.from_json(m) for m in data.get("pool_movements") or ()
            ),
            newly_paid=int(data.get("newly_paid") or 0),
            already_paid=int(data.get("already_paid") or 0),
            only_pending="pending" in data,
            policy=data.get("policy"),
        )


def _totals_of(
    totals: Iterable[Mapping[str, Any]] | None, lines: tuple[PayoutLine, ...]
) -> tuple[PersonTotal, ...]:
    if totals is None:
        return person_totals(lines)
    return tuple(
        PersonTotal(
            str(p.get("staff") or ""),
            str(p.get("name") or p.get("staff") or ""),
            yuan_to_fen(p.get("amount")) or 0,
        )
        for p in totals
    )


def person_totals(lines: Iterable[PayoutLine]) -> tuple[PersonTotal, ...]:
    """Each person's total of these lines, by staff code."""
    sums: dict[tuple[str, str], int] = defaultdict(int)
    for line in lines:
        sums[(line.staff, line.name)] += line.amount_fen
    return tuple(PersonTotal(code, name, fen) for (code, name), fen in sorted(sums.items()))


_BATCH = 500  # lines encoded at once: one call of the C encoder instead of one per line


def _json_array(
    lines: Iterable[PayoutLine],
    words: Words | None,
    each: Callable[[PayoutLine], None] | None,
) -> Iterator[str]:
    """The items of a JSON array of lines (without its brackets), a batch at a time."""
    encode = json.JSONEncoder(ensure_ascii=False, default=str).encode
    batch: list[dict[str, Any]] = []
    first = True
    for line in lines:
        batch.append(line.to_json(words))
        if each is not None:
            each(line)
        if len(batch) == _BATCH:
            yield ("" if first else ", ") + encode(batch)[1:-1]
            batch.clear()
            first = False
    if batch:
        yield ("" if first else ", ") + encode(batch)[1:-1]


def _text(data: Mapping[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, default=str)


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _date(text: Any) -> dt.date | None:
    return dt.date.fromisoformat(str(text)) if text else None


def _int(value: Any) -> int | None:
    return None if value in (None, "") else int(value)
