"""What every step of a ticket shares: the write transaction, the state and role checks,
the time it happened, and the record in the ticket's history and the audit trail."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

from sqlmodel import Session, col, select

from techdept import clock
from techdept.documents.ticket import local_text
from techdept.errors import Invalid, RoleRequired
from techdept.ledger import audit
from techdept.ledger.engine import Ledger
from techdept.ledger.models import Project, Staff, Ticket, TicketEvent
from techdept.rules import tickets as rules
from techdept.services import actors
from techdept.services.ticket.reading import find, state_of
from techdept.services.ticket.views import TicketRefused, local, local_now

_CODE = re.compile(r"^T(\d{4})-(\d{4,})$")


def next_code(session: Session, year: int) -> str:
    prefix = f"T{year}-"
    highest = 0
    for code in session.exec(select(Ticket.code).where(col(Ticket.code).startswith(prefix))):
        match = _CODE.match(code)
        if match:
            highest = max(highest, int(match[2]))
    return f"{prefix}{highest + 1:04d}"


def record_step(
    session: Session,
    ticket: Ticket,
    project: Project,
    actor: str,
    action: str,
    before: str,
    data: dict[str, Any],
    *,
    behalf: str | None = None,
    at: dt.datetime | None = None,
) -> None:
    """The step in the ticket's history and in the audit trail (keys and values only)."""
    session.add(ticket)
    session.flush()
    session.add(
        TicketEvent(
            ticket_id=ticket.id or 0,
            at=at or local_now(),
            actor=actor,
            on_behalf_of=behalf,
            action=action,
            status=ticket.status,
            data=json.dumps(data, ensure_ascii=False, sort_keys=True, default=str),
        )
    )
    audit.record(
        session,
        actor,
        f"ticket.{action}",
        "ticket",
        ticket.code,
        before={"status": before},
        after={"status": ticket.status, **data},
        project=project.code,
        on_behalf_of=behalf,
    )


def refuse_state(session: Session, ticket: Ticket, action: str) -> None:
    blocked = rules.check(action, state_of(session, ticket))
    if blocked is None:
        return
    key = {
        "state": "TicketState",
        "no-call": "TicketNeedsCall",
        "no-manager-signature": "TicketNeedsManagerSignature",
    }[blocked.reason]
    raise TicketRefused(
        key, id=ticket.code, action=action, state=blocked.status, next=blocked.needs.key
    )


def require_engineer(actor: actors.Actor, ticket: Ticket, session: Session, action: str) -> None:
    engineer = session.get(Staff, ticket.engineer_id) if ticket.engineer_id else None
    if engineer is None or actor.code != engineer.code:
        raise TicketRefused(
            "TicketNotEngineer",
            id=ticket.code,
            action=action,
            actor=actor.code,
            engineer=engineer.code if engineer else "—",
        )


def require_known(actor: actors.Actor) -> None:
    if not actor.known:
        raise RoleRequired("StaffRequired", actor=actor.code)


def step_time(at: dt.datetime | None, ticket: Ticket, field_name: str) -> dt.datetime:
    """The time a step happened: now, or a typed time not in the future and not before the
    report."""
    now = local_now()
    if at is None:
        return max(now, ticket.reported_at)
    if at > now:
        raise Invalid("TimeInFuture", field=field_name, value=local_text(at), now=local_text(now))
    if at < ticket.reported_at:
        raise Invalid(
            "TicketTimeBeforeReport",
            field=field_name,
            value=local_text(at),
            reported=local_text(ticket.reported_at),
        )
    return at


def check_day(
    day: dt.date, ticket: Ticket, field_name: str, *, after: dt.date | None = None
) -> None:
    if day > clock.today():
        raise Invalid("DateInFuture", field=field_name, value=day.isoformat())
    floor = after or local(ticket.reported_at).date()
    if day < floor:
        raise Invalid("TicketDateTooEarly", field=field_name, value=day.isoformat(), floor=floor)


def opened(ledger: Ledger, actor_code: str | None, code: str):  # type: ignore[no-untyped-def]
    """Open a write transaction on a ticket: (session, actor, ticket, project)."""
    from contextlib import contextmanager

    @contextmanager
    def opened():  # type: ignore[no-untyped-def]
        with ledger.write() as session:
            actor = actors.resolve(session, actor_code)
            require_known(actor)
            ticket = find(session, code)
            project = session.get(Project, ticket.project_id)
            assert project is not None
            yield session, actor, ticket, project

    return opened()
