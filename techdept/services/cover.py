"""A/B cover (domain.md): the after-sales manager (A) manages the technical engineers; while A
is recorded away, the implementation manager (B) may take the actions reserved to A, and the
audit trail says for whom. Outside the recorded window B is refused."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlmodel import Session, col, select

from techdept import clock
from techdept.errors import Invalid, Refused, RoleRequired, Term
from techdept.ledger import audit
from techdept.ledger.engine import Ledger
from techdept.ledger.models import Staff, StaffAway, StaffRole
from techdept.services import actors, permissions
from techdept.services.staff import find as find_staff
from techdept.services.staff import roles_of

A_ROLE = "aftersales-manager"
B_ROLE = "impl-manager"
MAY_RECORD = ("director", A_ROLE, B_ROLE)


@dataclass(frozen=True)
class AwayView:
    staff: str
    name: str
    first_day: dt.date
    last_day: dt.date
    recorded_by: str

    def to_dict(self) -> dict:
        return {
            "staff": self.staff,
            "name": self.name,
            "from": self.first_day.isoformat(),
            "to": self.last_day.isoformat(),
            "recorded_by": self.recorded_by,
        }


def record_away(
    ledger: Ledger, actor_code: str | None, staff_code: str, first: dt.date, last: dt.date
) -> AwayView:
    """Record that the after-sales manager ``staff_code`` is away from ``first`` to ``last``."""
    if last < first:
        raise Invalid("AwayBackwards", first=first.isoformat(), last=last.isoformat())
    with ledger.write() as session:
        actor = actors.resolve(session, actor_code)
        permissions.check(actor, "staff.away", *MAY_RECORD)
        person = find_staff(session, staff_code)
        if A_ROLE not in roles_of(session, person.id or 0):
            raise Refused("AwayOnlyA", code=staff_code)
        row = StaffAway(
            staff_id=person.id or 0,
            first_day=first,
            last_day=last,
            recorded_at=clock.now(),
            recorded_by=actor.code,
        )
        session.add(row)
        session.flush()
        view = AwayView(person.code, person.name, first, last, actor.code)
        audit.record(session, actor.code, "staff.away", "staff", person.code, after=view.to_dict())
        return view


def list_away(ledger: Ledger, staff_code: str | None = None) -> list[AwayView]:
    """Recorded absences, newest first; of one person when ``staff_code`` is given."""
    with ledger.read() as session:
        query = select(StaffAway, Staff).where(StaffAway.staff_id == Staff.id)
        if staff_code:
            person = find_staff(session, staff_code)
            query = query.where(StaffAway.staff_id == person.id)
        rows = session.exec(query.order_by(col(StaffAway.first_day).desc(), Staff.code))
        return [AwayView(s.code, s.name, a.first_day, a.last_day, a.recorded_by) for a, s in rows]


def away_on(session: Session, on_date: dt.date) -> list[str]:
    """Codes of the after-sales managers recorded away on ``on_date``."""
    rows = session.exec(
        select(Staff.code)
        .where(StaffAway.staff_id == Staff.id)
        .where(StaffAway.first_day <= on_date)
        .where(StaffAway.last_day >= on_date)
    )
    return sorted(set(rows))


def acting_for(
    session: Session, actor: actors.Actor, role: str, on_date: dt.date | None = None
) -> str | None:
    """The code of the person ``actor`` acts for when taking an action reserved to ``role``:
    an after-sales manager who is away on ``on_date`` (today by default) when the actor is an
    implementation manager and every after-sales manager is away. None otherwise (also when
    the actor holds ``role`` and acts for themself)."""
    if role != A_ROLE or actor.has(role) or not actor.has(B_ROLE):
        return None
    day = on_date or clock.today()
    holders = set(
        session.exec(
            select(Staff.code).where(
                col(Staff.id).in_(select(StaffRole.staff_id).where(StaffRole.role == A_ROLE))
            )
        )
    )
    holders.discard(actor.code)
    away = [c for c in away_on(session, day) if c in holders]
    if not holders or set(away) != holders:
        return None
    return away[0]


def authorize(
    session: Session, actor: actors.Actor, role: str, on_date: dt.date | None = None
) -> str | None:
    """Allow an action reserved to ``role``: None when the actor holds it, the A person's code
    when B acts for an away A; otherwise refused (B outside the window is told why)."""
    if actor.has(role):
        return None
    behalf = acting_for(session, actor, role, on_date)
    if behalf is not None:
        return behalf
    if role == A_ROLE and actor.has(B_ROLE):
        day = on_date or clock.today()
        raise Refused("CoverNotAway", actor=actor.code, role=Term("role", role), date=day)
    raise RoleRequired(role=Term("role", role), actor=actor.code)
