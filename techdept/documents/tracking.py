"""The weekly pre-sales project tracking sheet (售前项目跟踪表) as a typed, frozen document:
what ``services.tracking.tracking`` returns, what ``report tracking --json`` prints, and what
the terminal table, the .xlsx sheet and the .docx sheet read (by attribute).

``to_json`` writes it (dates ISO text, with ``doc_version``); ``from_json`` reads it back,
including documents written before the version field (version 0) and hand-written ones that
leave optional parts out (``sales_name``, ``manager``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from techdept.documents._version import read_version

DOC_VERSION = 1


@dataclass(frozen=True)
class NextStep:
    """What the project needs next: a deliverable (``doc``) to file or to review, or a
    condition (``kind``: contract, signed...); ``owner`` is the role who owes it."""

    kind: str
    doc: str | None
    status: str
    owner: str | None


@dataclass(frozen=True)
class TrackingRow:
    code: str
    name: str
    customer: str
    stage: str
    since: dt.date | None
    days_in_stage: int | None
    next: NextStep | None
    sales: str | None
    sales_name: str | None

    def to_json(self) -> dict[str, Any]:
        step = self.next
        return {
            "code": self.code,
            "name": self.name,
            "customer": self.customer,
            "stage": self.stage,
            "since": self.since.isoformat() if self.since else None,
            "days_in_stage": self.days_in_stage,
            "next": None if step is None else vars(step).copy(),
            "sales": self.sales,
            "sales_name": self.sales_name,
        }


@dataclass(frozen=True)
class TrackingDoc:
    week: str
    first_day: dt.date | None
    last_day: dt.date | None
    as_of: dt.date | None
    rows: tuple[TrackingRow, ...]
    manager: str | None = None  # the pre-sales manager's name (the .docx sheet signs it)

    def to_json(self) -> dict[str, Any]:
        """The JSON of ``report tracking`` (and the document of ``form tracking``)."""
        out: dict[str, Any] = {
            "week": self.week,
            "first_day": _iso(self.first_day),
            "last_day": _iso(self.last_day),
            "as_of": _iso(self.as_of),
            "projects": [r.to_json() for r in self.rows],
        }
        if self.manager is not None:
            out["manager"] = self.manager
        out["doc_version"] = DOC_VERSION
        return out

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> TrackingDoc:
        read_version(data, DOC_VERSION, "tracking")
        return cls(
            week=str(data.get("week") or ""),
            first_day=_date(data.get("first_day")),
            last_day=_date(data.get("last_day")),
            as_of=_date(data.get("as_of")),
            rows=tuple(_row(p) for p in data.get("projects") or ()),
            manager=data.get("manager"),
        )


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _date(text: Any) -> dt.date | None:
    return dt.date.fromisoformat(str(text)) if text else None


def _row(p: Mapping[str, Any]) -> TrackingRow:
    step = p.get("next")
    days = p.get("days_in_stage")
    return TrackingRow(
        code=str(p.get("code") or ""),
        name=str(p.get("name") or ""),
        customer=str(p.get("customer") or ""),
        stage=str(p.get("stage") or ""),
        since=_date(p.get("since")),
        days_in_stage=None if days in (None, "") else int(days),
        next=None
        if not step
        else NextStep(
            kind=str(step.get("kind") or ""),
            doc=step.get("doc"),
            status=str(step.get("status") or ""),
            owner=step.get("owner"),
        ),
        sales=p.get("sales"),
        sales_name=p.get("sales_name"),
    )
