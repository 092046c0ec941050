"""Registering a fault on an after-sales project and issuing its ticket."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from techdept import clock
from techdept.documents.ticket import TicketDoc, local_text
from techdept.errors import Invalid, Refused
from techdept.ledger.engine import Ledger
from techdept.ledger.models import Project, Ticket
from techdept.rules import tickets as rules
from techdept.services import actors
from techdept.services.projects import find as find_project
from techdept.services.ticket.reading import view_of
from techdept.services.ticket.steps import next_code, record_step, require_known
from techdept.services.ticket.views import (
    AFTERSALES_STAGES,
    local,
    local_now,
)


@dataclass(frozen=True)
class NewTicket:
    project: str
    symptom: str
    contact: str
    phone: str
    channel: str = "customer"
    reported_at: dt.datetime | None = None
    out_of_warranty: bool = False


def new_ticket(ledger: Ledger, actor_code: str | None, data: NewTicket) -> TicketDoc:
    """Register a fault on an after-sales project and issue its ticket."""
    if data.channel not in rules.CHANNELS:
        raise Invalid(
            "ChoiceInvalid",
            field="--channel",
            value=data.channel,
            allowed=", ".join(rules.CHANNELS),
        )
    now = local_now()
    reported = data.reported_at or now
    if reported > now:
        raise Invalid(
            "TimeInFuture", field="--reported-at", value=local_text(reported), now=local_text(now)
        )
    with ledger.write() as session:
        actor = actors.resolve(session, actor_code)
        require_known(actor)
        project = find_project(session, data.project)
        _check_project(project, reported, data.out_of_warranty)
        ticket = Ticket(
            code=next_code(session, clock.today().year),
            project_id=project.id or 0,
            status=rules.REPORTED,
            channel=data.channel,
            symptom=data.symptom,
            contact=data.contact,
            phone=data.phone,
            reported_at=reported,
            out_of_warranty=data.out_of_warranty,
            created_at=clock.now(),
            created_by=actor.code,
        )
        record_step(
            session,
            ticket,
            project,
            actor.code,
            "new",
            "",
            {
                "channel": data.channel,
                "symptom": data.symptom,
                "contact": data.contact,
                "phone": data.phone,
                "reported_at": local_text(reported),
                "out_of_warranty": data.out_of_warranty,
            },
            at=reported,
        )
        return view_of(session, ticket)


def _check_project(project: Project, reported: dt.datetime, out_of_warranty: bool) -> None:
    """A ticket is for an after-sales project with a service period; a fault outside the
    warranty needs ``--out-of-warranty`` (and one inside refuses it)."""
    if project.stage not in AFTERSALES_STAGES:
        raise Refused("TicketProjectStage", code=project.code, stage=project.stage)
    if not project.service_start or not project.service_months:
        raise Refused("TicketNoServicePeriod", code=project.code)
    day = local(reported).date()
    inside = rules.in_warranty(day, project.service_start, project.service_months)
    end = rules.warranty_end(project.service_start, project.service_months)
    if not inside and not out_of_warranty:
        raise Refused(
            "TicketOutOfWarranty",
            code=project.code,
            start=project.service_start.isoformat(),
            end=end.isoformat(),
            day=day.isoformat(),
        )
    if inside and out_of_warranty:
        raise Refused("TicketInWarranty", code=project.code, end=end.isoformat())
