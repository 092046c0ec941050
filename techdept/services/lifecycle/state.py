"""Where a project stands, read from the ledger: its deliverables' latest versions and
decisions, its acceptance events, the facts its gates and its assessment use."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlmodel import Session, col, select

from techdept.errors import NotFound
from techdept.ledger.models import (
    AcceptanceEvent,
    DeliverableReview,
    Project,
    Staff,
)
from techdept.ledger.models import Deliverable as FiledDeliverable
from techdept.rules import lifecycle as rules
from techdept.rules.domain import Deliverable, domain
from techdept.services.lifecycle.views import FINAL, INTERNAL
from techdept.services.projects import find as find_project


def project_of(session: Session, project: Project | str) -> Project:
    return project if isinstance(project, Project) else find_project(session, project)


def latest_filed(
    session: Session, project_id: int, *, until: dt.date | None = None
) -> dict[str, FiledDeliverable]:
    """Each deliverable's latest filed version (filed up to ``until``, inclusive)."""
    latest: dict[str, FiledDeliverable] = {}
    rows = session.exec(
        select(FiledDeliverable)
        .where(FiledDeliverable.project_id == project_id)
        .order_by(FiledDeliverable.doc, FiledDeliverable.version)
    )
    for row in rows:
        if until is None or row.filed_at.date() <= until:
            latest[row.doc] = row
    return latest


def reviews_of(session: Session, ids: list[int]) -> dict[int, list[DeliverableReview]]:
    out: dict[int, list[DeliverableReview]] = {i: [] for i in ids}
    if ids:
        rows = session.exec(
            select(DeliverableReview)
            .where(col(DeliverableReview.deliverable_id).in_(ids))
            .order_by(DeliverableReview.deliverable_id, DeliverableReview.step)
        )
        for row in rows:
            out[row.deliverable_id].append(row)
    return out


def doc_states(
    session: Session, project_id: int, *, until: dt.date | None = None
) -> dict[str, rules.DocState]:
    """Each deliverable's latest version and the decisions on it (up to ``until``, inclusive)."""
    latest = latest_filed(session, project_id, until=until)
    reviews = reviews_of(session, [r.id for r in latest.values() if r.id is not None])
    states = {
        doc: rules.DocState(
            row.version,
            tuple(
                r.approved for r in reviews[row.id or 0] if until is None or r.at.date() <= until
            ),
        )
        for doc, row in latest.items()
    }
    # training records are a training with sign-in and feedback, not a file alone (issue 18)
    from techdept.services import training

    states.pop(training.DELIVERABLE, None)
    if training.records_done(session, project_id, until):
        version = latest[training.DELIVERABLE].version if training.DELIVERABLE in latest else 0
        states[training.DELIVERABLE] = rules.DocState(version)
    return states


def events_of(session: Session, project_id: int) -> list[AcceptanceEvent]:
    return list(
        session.exec(
            select(AcceptanceEvent)
            .where(AcceptanceEvent.project_id == project_id)
            .order_by(AcceptanceEvent.id)
        )
    )


def latest_events(session: Session, project_id: int) -> dict[str, AcceptanceEvent]:
    latest: dict[str, AcceptanceEvent] = {}
    for event in events_of(session, project_id):
        latest[event.kind] = event
    return latest


def project_facts(session: Session, project: Project) -> rules.ProjectFacts:
    events = latest_events(session, project.id or 0)
    return rules.ProjectFacts(
        contract=project.contract_fen is not None,
        signed=project.signed_on is not None,
        service_start=project.service_start is not None,
        service_months=project.service_months is not None,
        acceptance=frozenset(k for k, e in events.items() if e.passed is not False),
    )


def sales_code(session: Session, project: Project) -> str | None:
    if project.sales_id is None:
        return None
    person = session.get(Staff, project.sales_id)
    return person.code if person else None


def deliverable_item(code: str, doc: str) -> Deliverable:
    item = domain().deliverable(doc)
    if item is None:
        raise NotFound("DeliverableUnknown", doc=doc, code=code)
    return item


# --- the assessment's facts ------------------------------------------------------------------


def recorded_internal_acceptance(
    session: Session, project: Project | str, *, due_days: int | None = None
) -> tuple[Decimal, int] | None:
    """(points deducted, days late) of the recorded company internal acceptance — the latest
    that passed, else the latest recorded — or None when none is recorded. Days late are those
    computed when it was recorded, or recomputed with ``due_days`` (a policy's) when given."""
    p = project_of(session, project)
    events = events_of(session, p.id or 0)
    internal = [e for e in events if e.kind == INTERNAL]
    if not internal:
        return None
    passed = [e for e in internal if e.passed]
    chosen = (passed or internal)[-1]
    late = chosen.days_late or 0
    if due_days is not None and chosen.submitted is not None:
        finals = [e for e in events if e.kind == FINAL]
        if finals:
            late = rules.days_late(finals[-1].held_on, chosen.submitted, due_days)
    return Decimal(chosen.deducted or "0"), late


def internal_acceptance_passed(session: Session, project: Project | str) -> bool:
    """Whether the latest recorded company internal acceptance passed."""
    p = project_of(session, project)
    latest = latest_events(session, p.id or 0).get(INTERNAL)
    return bool(latest and latest.passed)
