"""The quarter at a glance (``report quarter Q``): per track the assessments approved in the
quarter, their grades and final bonus; per person what was paid, what is payable, what waits
for the final payment and what was clawed back; the pool's movements and balance; the
sanctions in force; the assessments still open. Data only: the edges put it into words."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any

from sqlmodel import col, select

from techdept.ledger.engine import Ledger
from techdept.ledger.models import Assessment, Project
from techdept.rules import Policy, fen_str
from techdept.services import payout_list
from techdept.services.sanctions import SanctionView, list_sanctions
from techdept.values import Quarter


@dataclass(frozen=True)
class TrackSummary:
    track: str
    approved: int
    open: int
    grades: tuple[tuple[str, int], ...]  # in the policy's order, every grade
    final_fen: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "track": self.track,
            "approved": self.approved,
            "open": self.open,
            "grades": dict(self.grades),
            "final": fen_str(self.final_fen),
        }


@dataclass(frozen=True)
class PersonSummary:
    staff: str
    name: str
    paid_fen: int
    payable_fen: int
    pending_fen: int
    clawed_back_fen: int  # reversals: zero or negative

    @property
    def total_fen(self) -> int:
        """What the quarter gives the person: paid and payable, less what was clawed back."""
        return self.paid_fen + self.payable_fen + self.clawed_back_fen

    def to_dict(self) -> dict[str, Any]:
        return {
            "staff": self.staff,
            "name": self.name,
            "paid": fen_str(self.paid_fen),
            "payable": fen_str(self.payable_fen),
            "pending": fen_str(self.pending_fen),
            "clawed_back": fen_str(self.clawed_back_fen),
            "total": fen_str(self.total_fen),
        }


@dataclass(frozen=True)
class OpenAssessment:
    project: str
    project_name: str
    track: str
    quarter: str | None
    status: str
    opened_on: dt.date

    def to_dict(self) -> dict[str, Any]:
        return {
            "project": self.project,
            "project_name": self.project_name,
            "track": self.track,
            "quarter": self.quarter,
            "status": self.status,
            "opened_on": self.opened_on.isoformat(),
        }


@dataclass(frozen=True)
class QuarterReport:
    quarter: str
    first_day: dt.date
    last_day: dt.date
    policy: tuple[str, str]
    tracks: tuple[TrackSummary, ...]
    people: tuple[PersonSummary, ...]
    pool_movements: tuple[payout_list.PoolMovement, ...]
    pool_balance_fen: int
    sanctions: tuple[SanctionView, ...]
    open: tuple[OpenAssessment, ...]

    @property
    def grade_names(self) -> tuple[str, ...]:
        return tuple(g for g, _ in self.tracks[0].grades) if self.tracks else ()

    def to_dict(self) -> dict[str, Any]:
        """The JSON of ``report quarter Q --json``."""
        return {
            "quarter": self.quarter,
            "first_day": self.first_day.isoformat(),
            "last_day": self.last_day.isoformat(),
            "policy": {"id": self.policy[0], "hash": self.policy[1]},
            "tracks": [t.to_dict() for t in self.tracks],
            "final": fen_str(sum(t.final_fen for t in self.tracks)),
            "people": [p.to_dict() for p in self.people],
            "paid": fen_str(sum(p.paid_fen for p in self.people)),
            "payable": fen_str(sum(p.payable_fen for p in self.people)),
            "pending": fen_str(sum(p.pending_fen for p in self.people)),
            "clawed_back": fen_str(sum(p.clawed_back_fen for p in self.people)),
            "pool": fen_str(sum(m.amount_fen for m in self.pool_movements)),
            "pool_balance": fen_str(self.pool_balance_fen),
            "pool_movements": [m.to_json() for m in self.pool_movements],
            "sanctions": [s.to_dict() for s in self.sanctions],
            "open": [a.to_dict() for a in self.open],
        }


def _approved_in(a: Assessment, first: dt.date, last: dt.date) -> bool:
    return (
        a.status == "approved"
        and a.gm_approved_on is not None
        and first <= a.gm_approved_on <= last
    )


def quarter_report(ledger: Ledger, policy: Policy, quarter: Quarter) -> QuarterReport:
    """Everything the GM reads about ``quarter``, from one ledger snapshot per part."""
    first, last = quarter.bounds()
    tracks, open_rows = _assessments(ledger, policy, first, last)
    with ledger.connect() as conn:  # the list and its waiting lines from one snapshot
        payout = payout_list.build(conn, policy, quarter)
        waiting = tuple(payout_list.iter_lines(conn, quarter, last, pending=True))
    return QuarterReport(
        quarter,
        first,
        last,
        (policy.id, policy.hash),
        tracks,
        _people(payout, waiting),
        tuple(payout.pool_movements),
        payout.pool_balance_fen,
        tuple(list_sanctions(ledger, policy)),
        open_rows,
    )


def _assessments(
    ledger: Ledger, policy: Policy, first: dt.date, last: dt.date
) -> tuple[tuple[TrackSummary, ...], tuple[OpenAssessment, ...]]:
    """Per track the assessments GM-approved between ``first`` and ``last`` (grades, final
    bonus) and how many are open; and every open assessment."""
    import json
    from decimal import Decimal

    grade_names = [g.grade for g in policy.grades]
    counts: dict[str, Counter[str]] = {tr: Counter() for tr in policy.tracks}
    finals: dict[str, int] = defaultdict(int)
    approved: Counter[str] = Counter()
    still_open: Counter[str] = Counter()
    open_rows: list[OpenAssessment] = []
    with ledger.read() as session:
        rows = session.exec(
            select(Assessment, Project)
            .join(Project, col(Project.id) == col(Assessment.project_id))
            .order_by(col(Project.code), col(Assessment.track), col(Assessment.period))
        ).all()
        for a, project in rows:
            if a.status != "approved":
                still_open[a.track] += 1
                open_rows.append(
                    OpenAssessment(
                        project.code,
                        project.name,
                        a.track,
                        a.period or None,
                        a.status,
                        a.opened_at.date(),
                    )
                )
                continue
            if not _approved_in(a, first, last):
                continue
            doc = json.loads(a.result or "{}").get("doc", {})
            approved[a.track] += 1
            if doc.get("grade"):
                counts.setdefault(a.track, Counter())[doc["grade"]] += 1
            if doc.get("final") is not None:
                finals[a.track] += int(Decimal(doc["final"]).scaleb(2))
    tracks = tuple(
        TrackSummary(
            tr,
            approved[tr],
            still_open[tr],
            tuple((g, counts.get(tr, Counter())[g]) for g in grade_names),
            finals[tr],
        )
        for tr in policy.tracks
    )
    return tracks, tuple(open_rows)


def _people(payout: Any, waiting: Any) -> tuple[PersonSummary, ...]:
    """Per person of the payout list: paid, payable, waiting for the final payment, and
    clawed back (reversals and negative lines)."""
    sums: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for line in payout.lines:
        entry = sums[(line.staff, line.name)]
        if line.source == "reversal" or line.amount_fen < 0:
            entry[3] += line.amount_fen
        elif line.paid:
            entry[0] += line.amount_fen
        else:
            entry[1] += line.amount_fen
    for line in waiting:
        sums[(line.staff, line.name)][2] += line.amount_fen
    return tuple(
        PersonSummary(code, name, *amounts) for (code, name), amounts in sorted(sums.items())
    )
