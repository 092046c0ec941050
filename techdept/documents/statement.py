"""A person's payout statement (``bonus statement STAFF``) as a typed, frozen document: what
``services.payouts.statement`` returns, what ``bonus statement --json`` prints, and what the
terminal tables, the .xlsx sheet and the signed .docx statement read (by attribute).

Its ``lines`` are the person's paid lines (reversals included, of a year or of all years),
each with the payout quarter and the grade and final bonus of the assessment it came from;
``open`` are the lines not paid yet (payable now, or pending the final payment). ``to_json``
writes it with ``doc_version``; ``from_json`` reads it back, including the JSON written before
the version field and hand-written statements that leave parts out.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from techdept.documents._version import read_version
from techdept.documents.payout import PayoutLine, Words
from techdept.rules.money import fen_str, yuan_to_fen

DOC_VERSION = 1


@dataclass(frozen=True, slots=True)
class StatementLine:
    """A paid line with the quarter it was paid in and its assessment's grade and final."""

    line: PayoutLine
    quarter: str
    grade: str | None = None
    final_fen: int | None = None

    def to_json(self, words: Words | None = None) -> dict[str, Any]:
        out = self.line.to_json(words)
        run_on = out.pop("run_on")  # last, where the statement's JSON had it
        return out | {
            "quarter": self.quarter,
            "grade": self.grade,
            "final": fen_str(self.final_fen),
            "run_on": run_on,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> StatementLine:
        return cls(
            PayoutLine.from_json(data),
            str(data.get("quarter") or ""),
            data.get("grade"),
            yuan_to_fen(data.get("final")),
        )


@dataclass(frozen=True)
class StatementDoc:
    staff: str
    name: str
    year: int | None
    lines: tuple[StatementLine, ...]
    open: tuple[PayoutLine, ...] = ()
    policy: Mapping[str, str] | None = None

    @property
    def total_fen(self) -> int:
        """What the statement's lines paid."""
        return sum(s.line.amount_fen for s in self.lines)

    def open_fen(self, status: str) -> int:
        """What the lines not paid yet owe: ``payable`` now or ``pending`` the final payment."""
        return sum(x.amount_fen for x in self.open if x.status == status)

    def to_json(self, words: Words | None = None) -> dict[str, Any]:
        """The JSON of ``bonus statement``."""
        out: dict[str, Any] = {
            "staff": self.staff,
            "name": self.name,
            "year": self.year,
            "lines": [s.to_json(words) for s in self.lines],
            "total": fen_str(self.total_fen),
            "open": [x.to_json(words) for x in self.open],
            "totals": {
                "paid": fen_str(self.total_fen),
                "payable": fen_str(self.open_fen("payable")),
                "pending": fen_str(self.open_fen("pending")),
            },
        }
        if self.policy is not None:
            out["policy"] = dict(self.policy)
        out["doc_version"] = DOC_VERSION
        return out

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> StatementDoc:
        read_version(data, DOC_VERSION, "statement")
        year = data.get("year")
        return cls(
            staff=str(data.get("staff") or ""),
            name=str(data.get("name") or data.get("staff") or ""),
            year=None if year in (None, "") else int(year),
            lines=tuple(StatementLine.from_json(x) for x in data.get("lines") or ()),
            open=tuple(PayoutLine.from_json(x) for x in data.get("open") or ()),
            policy=data.get("policy"),
        )
