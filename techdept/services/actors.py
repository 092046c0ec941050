"""Who is acting (``--as``) and what roles they hold."""

from __future__ import annotations

import getpass
from dataclasses import dataclass

from sqlmodel import Session, func, select

from techdept import clock
from techdept.errors import NotFound, Refused, RoleRequired, Term
from techdept.ledger.models import Staff, StaffRole


@dataclass(frozen=True)
class Actor:
    code: str
    roles: frozenset[str]
    known: bool
    name: str = ""
    staff_id: int | None = None

    def has(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))


def lookup(session: Session, code: str) -> Staff | None:
    """The staff member with ``code``, without regard to case (codes are unique that way)."""
    return session.exec(select(Staff).where(func.lower(Staff.code) == code.lower())).first()


def display_name(session: Session, person: Staff) -> str:
    """The name people read; the code beside it when someone else has the same name."""
    twins = session.exec(
        select(func.count()).where(Staff.name == person.name, Staff.id != person.id)
    ).one()
    return f"{person.name}（{person.code}）" if twins else person.name


def database_login(session: Session) -> str | None:
    """On PostgreSQL, the login of a connection that does not own the tables (a person's own
    login, see ``db roles``); None on SQLite and for the owner (and its members), who act as
    ``--as`` says."""
    bind = session.get_bind()
    if bind.dialect.name != "postgresql":
        return None
    from sqlalchemy import text

    row = (
        session.connection()
        .execute(
            text(
                "SELECT session_user, pg_has_role(session_user, tableowner, 'MEMBER') "
                "FROM pg_tables WHERE tablename = 'staff' AND schemaname = current_schema()"
            )
        )
        .first()
    )
    if row is None or row[1]:
        return None
    return str(row[0])


def _covers(session: Session, person: Staff, code: str) -> bool:
    """Whether ``person`` (the implementation manager, B) covers ``code`` (an after-sales
    manager, A, recorded away today): then ``--as A`` is accepted from B's login, and B acts
    as themself, the cover rules saying for whom (see ``services.cover``)."""
    from techdept.services.cover import A_ROLE, acting_for

    named = lookup(session, code)
    return (
        named is not None and acting_for(session, as_actor(session, person), A_ROLE) == named.code
    )


def resolve(session: Session, code: str | None) -> Actor:
    """The acting person: a staff code given with ``--as``, else the OS user (no roles).
    Someone who has left (``staff leave``) acts no more from their leaving day. On PostgreSQL
    a person's own login decides who acts: ``--as`` may only name that same person."""
    login = database_login(session)
    if login is not None:
        person = session.exec(select(Staff).where(Staff.login == login)).first()
        if person is None:
            raise Refused("LoginUnknown", login=login)
        if code and code.lower() != person.code.lower() and not _covers(session, person, code):
            raise Refused("LoginIsSomeoneElse", login=login, code=code, person=person.code)
        code = person.code
    if not code:
        try:
            user = getpass.getuser()
        except Exception:
            user = "unknown"
        return Actor(code=f"os:{user}", roles=frozenset(), known=False)
    staff = lookup(session, code)
    if staff is None:
        raise NotFound("ActorUnknown", code=code)
    if staff.left_on is not None and clock.today() >= staff.left_on:
        raise Refused("ActorLeft", code=staff.code, date=staff.left_on.isoformat())
    return as_actor(session, staff)


def as_actor(session: Session, staff: Staff) -> Actor:
    roles = session.exec(select(StaffRole.role).where(StaffRole.staff_id == staff.id)).all()
    return Actor(
        code=staff.code,
        roles=frozenset(roles),
        known=True,
        name=display_name(session, staff),
        staff_id=staff.id,
    )


def require(actor: Actor, *roles: str) -> None:
    """Refuse unless the actor holds one of ``roles``."""
    if not actor.has(*roles):
        raise RoleRequired(role=Term("roles", roles), actor=actor.code)
