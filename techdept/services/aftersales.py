"""The after-sales quarter's record: the budget (after-sales manager, at the start of a
quarter) and the actual cost (finance, at its end) recorded where they happen; a project's
ticket figures for a calendar quarter and the archiving points they give; and the facts an
after-sales assessment takes from them. Speaks data."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlmodel import Session, col, select

from techdept import clock
from techdept.errors import Invalid, Refused
from techdept.ledger import audit
from techdept.ledger.engine import Ledger
from techdept.ledger.models import AftersalesCost, Project, Ticket
from techdept.rules import Policy, archiving_points, decimal_str, fen_str
from techdept.rules import tickets as ticket_rules
from techdept.rules.calendar import quarter_bounds
from techdept.services import actors, cover
from techdept.services.projects import find as find_project
from techdept.services.ticket import local
from techdept.values import Quarter

KINDS = ("budget", "actual")
PHASE = "aftersales."


@dataclass(frozen=True)
class CostView:
    project: str
    quarter: str
    kind: str
    amount: int
    previous: int | None
    recorded_by: str

    def to_json(self) -> dict[str, Any]:
        return {
            "project": self.project,
            "quarter": self.quarter,
            "kind": self.kind,
            "amount": fen_str(self.amount),
            "previous": None if self.previous is None else fen_str(self.previous),
            "recorded_by": self.recorded_by,
        }


def record_cost(
    ledger: Ledger, actor_code: str | None, code: str, quarter: Quarter, kind: str, amount: int
) -> CostView:
    """Record (or correct, saying so) a project's after-sales budget or actual for a quarter:
    the budget by the after-sales manager (B while A is away), the actual by finance."""
    if kind not in KINDS:
        raise Invalid("ChoiceInvalid", field="kind", value=kind, allowed=", ".join(KINDS))
    if kind == "budget" and amount <= 0:
        raise Invalid("TicketAmountZero", field="--amount")
    with ledger.write() as session:
        actor = actors.resolve(session, actor_code)
        behalf = None
        if kind == "budget":
            behalf = cover.authorize(session, actor, cover.A_ROLE)
        else:
            actors.require(actor, "finance")
        project = find_project(session, code)
        if not project.stage.startswith(PHASE):
            raise Refused("TicketProjectStage", code=project.code, stage=project.stage)
        row = session.exec(
            select(AftersalesCost).where(
                AftersalesCost.project_id == project.id,
                AftersalesCost.quarter == quarter,
                AftersalesCost.kind == kind,
            )
        ).first()
        previous = row.amount_fen if row else None
        if row is None:
            row = AftersalesCost(
                project_id=project.id or 0,
                quarter=quarter,
                kind=kind,
                amount_fen=amount,
                recorded_at=clock.now(),
                recorded_by=actor.code,
            )
        else:
            row.amount_fen, row.recorded_at, row.recorded_by = amount, clock.now(), actor.code
        session.add(row)
        session.flush()
        audit.record(
            session,
            actor.code,
            f"aftersales.{kind}",
            "aftersales_cost",
            f"{project.code}/{quarter}/{kind}",
            before=None if previous is None else {"amount_fen": previous},
            after={"amount_fen": amount},
            project=project.code,
            on_behalf_of=behalf,
        )
        return CostView(project.code, quarter, kind, amount, previous, actor.code)


def recorded_costs(session: Session, project: Project, quarter: str) -> dict[str, int]:
    rows = session.exec(
        select(AftersalesCost).where(
            AftersalesCost.project_id == project.id, AftersalesCost.quarter == quarter
        )
    )
    return {r.kind: r.amount_fen for r in rows}


# ---------------------------------------------------------------- the quarter's figures


@dataclass(frozen=True)
class QuarterReport:
    """One project's ticket figures for a calendar quarter, and its archiving points."""

    project: str
    project_name: str
    quarter: str
    figures: ticket_rules.QuarterFigures
    archiving_points: Decimal | None
    out_of_warranty: int
    as_of: dt.date

    def to_json(self) -> dict[str, Any]:
        f = self.figures

        def hours(value: Decimal | None) -> str | None:
            return None if value is None else decimal_str(value)

        return {
            "project": self.project,
            "project_name": self.project_name,
            "quarter": self.quarter,
            "opened": f.opened,
            "closed": f.closed,
            "on_site": f.on_site,
            "median_hours_to_assign": hours(f.median_hours_to_assign),
            "median_hours_to_close": hours(f.median_hours_to_close),
            "archived_late": f.archived_late,
            "service_reports": f.reports,
            "archiving_points": (
                None if self.archiving_points is None else decimal_str(self.archiving_points)
            ),
            "out_of_warranty": self.out_of_warranty,
            "as_of": self.as_of.isoformat(),
        }


def _facts(ticket: Ticket) -> ticket_rules.TicketFacts:
    def naive(value: dt.datetime | None) -> dt.datetime | None:
        return None if value is None else local(value).replace(tzinfo=None)

    return ticket_rules.TicketFacts(
        reported_at=naive(ticket.reported_at),  # type: ignore[arg-type]
        assigned_at=naive(ticket.assigned_at),
        closed_at=naive(ticket.closed_at),
        solved_by=ticket.solved_by,
        service_date=ticket.service_date,
        archived_on=ticket.archived_on,
    )


def project_quarter(
    session: Session, policy: Policy, project: Project, quarter: str
) -> QuarterReport:
    """The quarter's figures of one project: its in-warranty tickets only (an out-of-warranty
    ticket counts in no quarter's assessment). Archiving points when the quarter has tickets."""
    first, last = quarter_bounds(quarter)
    rows = list(session.exec(select(Ticket).where(Ticket.project_id == project.id)))
    counted = [t for t in rows if not t.out_of_warranty]
    as_of = clock.today()
    figures = ticket_rules.quarter_figures(
        (_facts(t) for t in counted), first, last, policy.archiving.within_days, as_of
    )
    points = archiving_points(figures.archived_late, policy).value if figures.has_tickets else None
    outside = sum(
        1 for t in rows if t.out_of_warranty and first <= local(t.reported_at).date() <= last
    )
    return QuarterReport(project.code, project.name, quarter, figures, points, outside, as_of)


def report(
    ledger: Ledger, policy: Policy, quarter: Quarter, project: str | None = None
) -> list[QuarterReport]:
    """``report tickets``: the quarter's figures per after-sales project (one project with
    ``project``; otherwise every project that has tickets)."""
    with ledger.read() as session:
        if project:
            projects = [find_project(session, project)]
        else:
            ids = select(Ticket.project_id).distinct()
            projects = list(
                session.exec(
                    select(Project).where(col(Project.id).in_(ids)).order_by(col(Project.code))
                )
            )
        return [project_quarter(session, policy, p, quarter) for p in projects]


# ---------------------------------------------------------------- the assessment's facts


def assessment_records(
    session: Session,
    policy: Policy,
    project: Project,
    quarter: str,
    stored: dict[str, Any],
    typed: set[str],
) -> dict[str, Any]:
    """The after-sales assessment's facts refreshed from the records while it is open:
    budget and actual cost recorded for the quarter where none were typed (typed ones take
    precedence and stay), and the archiving points and ticket figures as evidence."""
    out = dict(stored)
    sources = dict(out.get("sources") or {})
    costs = recorded_costs(session, project, quarter)
    for name, kind in (("budget", "budget"), ("actual_cost", "actual")):
        if name in typed:
            sources[name] = "command-line"
        elif sources.get(name) != "command-line":
            if kind in costs:
                out[name] = costs[kind]
                sources[name] = "recorded"
            elif sources.get(name) == "recorded":
                out.pop(name, None)
                sources.pop(name, None)
    qr = project_quarter(session, policy, project, quarter)
    tickets = qr.to_json()
    for key in ("project", "project_name", "quarter"):
        tickets.pop(key)
    out["tickets"] = tickets
    if qr.archiving_points is not None:
        out["archiving_points"] = decimal_str(qr.archiving_points)
    else:
        out.pop("archiving_points", None)
    out["sources"] = sources
    return out
