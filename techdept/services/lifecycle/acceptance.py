"""The acceptance sequence: recording its events (the company's internal acceptance with
its points deducted and days late) and listing them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from techdept import clock
from techdept.errors import Invalid, Refused, Term
from techdept.ledger import audit
from techdept.ledger.engine import Ledger
from techdept.ledger.models import (
    AcceptanceEvent,
    Project,
)
from techdept.rules import lifecycle as rules
from techdept.rules.domain import domain
from techdept.services import actors, permissions
from techdept.services.lifecycle.state import events_of, latest_events
from techdept.services.lifecycle.views import FINAL, INTERNAL, AcceptanceView
from techdept.services.projects import find as find_project


def accept(
    ledger: Ledger,
    actor_code: str | None,
    policy: Any,
    code: str,
    event: str,
    held_on: dt.date,
    *,
    passed: bool | None = None,
    deducted: Decimal | None = None,
    submitted: dt.date | None = None,
    note: str | None = None,
) -> AcceptanceView:
    """Record an event of the acceptance sequence. The company's internal acceptance (director)
    takes the result, the points deducted and the materials' submission date; its days late
    are computed against final acceptance + the policy's due days."""
    deducted = _checked_values(event, held_on, passed, deducted, submitted)
    with ledger.write() as session:
        actor = actors.resolve(session, actor_code)
        if event == INTERNAL:
            permissions.check(actor, "project.accept", "director")
        project = find_project(session, code)
        latest = latest_events(session, project.id or 0)
        _check_sequence(project, latest, event, held_on)
        due = late = None
        if event == INTERNAL:
            final = latest.get(FINAL)
            if final is None:
                raise Refused("FinalAcceptanceFirst", code=code)
            due_days = policy.internal_acceptance.due_days
            due = rules.due_date(final.held_on, due_days)
            late = rules.days_late(final.held_on, submitted, due_days)  # type: ignore[arg-type]
        row = AcceptanceEvent(
            project_id=project.id or 0,
            kind=event,
            held_on=held_on,
            passed=passed,
            deducted=format(deducted, "f") if deducted is not None else None,
            submitted=submitted,
            due=due,
            days_late=late,
            note=note,
            recorded_at=clock.now(),
            recorded_by=actor.code,
        )
        session.add(row)
        session.flush()
        view = _acceptance_view(code, row)
        after = {"event": event, "date": held_on, "passed": passed, "deducted": row.deducted,
                 "submitted": submitted, "due": due, "days_late": late, "note": note}  # fmt: skip
        audit.record(session, actor.code, "project.accept", "project", code, after=after,
                     project=code)  # fmt: skip
        return view


def _checked_values(
    event: str,
    held_on: dt.date,
    passed: bool | None,
    deducted: Decimal | None,
    submitted: dt.date | None,
) -> Decimal | None:
    """Refuse values that do not fit the event; the points deducted (0 when not given) of an
    internal acceptance."""
    d = domain()
    if d.acceptance_kind(event) is None:
        raise Invalid(
            "ChoiceInvalid",
            field="--event",
            value=event,
            allowed=", ".join(a.key for a in d.acceptance),
        )
    today = clock.today()
    for name, value in (("--date", held_on), ("--submitted", submitted)):
        if value is not None and value > today:
            raise Invalid("DateInFuture", field=name, value=value.isoformat())
    if event != INTERNAL:
        if deducted is not None or submitted is not None:
            raise Invalid("InternalAcceptanceOnly")
        return deducted
    if passed is None:
        raise Invalid("PassedRequired")
    if submitted is None:
        raise Invalid("SubmittedRequired")
    if submitted > held_on:
        raise Invalid(
            "SubmittedAfterAcceptance", submitted=submitted.isoformat(), date=held_on.isoformat()
        )
    return deducted if deducted is not None else Decimal(0)


def _check_sequence(
    project: Project, latest: dict[str, AcceptanceEvent], event: str, held_on: dt.date
) -> None:
    """Refuse an event too early in the project's life, a second one, one before the event it
    needs, or one dated out of the sequence's order."""
    d = domain()
    code = project.code
    gate = rules.stage_index(d, "implementation.acceptance")
    if project.stage == rules.LOST or rules.stage_index(d, project.stage) < gate:
        raise Refused("AcceptanceTooEarly", code=code, stage=Term("stage", project.stage))
    order = tuple(a.key for a in d.acceptance)
    kinds = tuple((a.key, a.required) for a in d.acceptance)
    passed_so_far = {k: e.passed for k, e in latest.items()}
    if rules.acceptance_repeat(kinds, passed_so_far, event):
        raise Refused(
            "AcceptanceTwice", event=event, date=latest[event].held_on.isoformat(), code=code
        )
    # a project entered after its acceptance (``--stage aftersales.…``) has the events
    # before techdept behind it: only the order of what is recorded is checked
    adopted_after = rules.stage_index(d, project.adopted_stage) > gate
    before = rules.acceptance_prerequisite(kinds, passed_so_far, event)
    if before is not None and event != INTERNAL and not adopted_after:
        raise Refused("AcceptanceBefore", event=event, needed=before, code=code)
    clash = rules.acceptance_order_problem(
        order, {k: e.held_on for k, e in latest.items()}, event, held_on
    )
    if clash is not None:
        raise Refused(
            "AcceptanceOrder",
            event=event,
            date=held_on.isoformat(),
            other=clash,
            other_date=latest[clash].held_on.isoformat(),
        )


def _acceptance_view(code: str, row: AcceptanceEvent) -> AcceptanceView:
    return AcceptanceView(
        code,
        row.kind,
        row.held_on,
        row.passed,
        Decimal(row.deducted) if row.deducted is not None else None,
        row.submitted,
        row.due,
        row.days_late,
        row.note,
        row.recorded_at,
        row.recorded_by,
    )


def acceptance(ledger: Ledger, code: str) -> list[AcceptanceView]:
    """Every recorded acceptance event of a project, in the order recorded."""
    with ledger.read() as session:
        project = find_project(session, code)
        return [_acceptance_view(code, e) for e in events_of(session, project.id or 0)]
