"""The weekly pre-sales project tracking sheet (售前项目跟踪表): every pre-sales project as it
stood at the end of a week — stage, days in that stage, the next deliverable and who owes it."""

from __future__ import annotations

from sqlmodel import select

from techdept import clock
from techdept.documents.tracking import NextStep, TrackingDoc, TrackingRow
from techdept.errors import Refused
from techdept.ledger.engine import Ledger
from techdept.ledger.models import Project, Staff, StageTransition
from techdept.rules import lifecycle as rules
from techdept.rules.domain import domain
from techdept.services.lifecycle import doc_states, project_facts


def tracking(ledger: Ledger, week: str | None = None) -> TrackingDoc:
    """The sheet for ISO ``week`` (default: this week), as of its Sunday or today if earlier."""
    d = domain()
    today = clock.today()
    label, first, last = rules.parse_week(week or rules.week_of(today))
    if first > today:
        raise Refused("TrackingWeekFuture", week=label)
    as_of = min(last, today)
    rows: list[TrackingRow] = []
    with ledger.read() as session:
        people = {s.id: s for s in session.exec(select(Staff))}
        moves: dict[int, list[StageTransition]] = {}
        for move in session.exec(select(StageTransition).order_by(StageTransition.id)):
            moves.setdefault(move.project_id, []).append(move)
        for project in session.exec(select(Project).order_by(Project.code)):
            if project.created_at.date() > as_of:
                continue
            stage, since = project.adopted_stage, project.created_at.date()
            for move in moves.get(project.id or 0, []):
                if move.at.date() <= as_of:
                    stage, since = move.to_stage, move.at.date()
            if not stage.startswith("presales.") or stage == rules.LOST:
                continue
            states = doc_states(session, project.id or 0, until=as_of)
            sales = people.get(project.sales_id) if project.sales_id else None
            rows.append(
                TrackingRow(
                    code=project.code,
                    name=project.name,
                    customer=project.customer,
                    stage=stage,
                    since=since,
                    days_in_stage=(as_of - since).days,
                    next=_next_step(d, stage, states, project_facts(session, project)),
                    sales=sales.code if sales else None,
                    sales_name=sales.name if sales else None,
                )
            )
    return TrackingDoc(label, first, last, as_of, tuple(rows))


def _next_step(d, stage, states, facts) -> NextStep | None:  # type: ignore[no-untyped-def]
    for item in d.deliverables_of(stage):
        if not item.required:
            continue
        status = rules.doc_status(item, states.get(item.key))
        if status.status == "pending":
            return NextStep("review", item.key, status.status, status.waiting_for)
        if not status.done:
            return NextStep("deliverable", item.key, status.status, item.role)
    for missing in rules.conditions_of(d, stage, facts):
        owner = "sales" if missing.kind in ("contract", "signed") else None
        return NextStep(missing.kind, missing.key or None, "missing", owner)
    return None
