"""Who is acting (``--as``) and what roles they hold."""

from __future__ import annotations

import getpass
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select

from techdept import clock
from techdept.errors import NotFound, Refused, RoleRequired, Term
from techdept.ledger.tables import staff as staff_t
from techdept.ledger.tables import staff_role

if TYPE_CHECKING:
    from sqlmodel import Session

    from techdept.ledger.models import Staff


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
    from sqlmodel import select as orm_select

    from techdept.ledger.models import Staff

    return session.exec(orm_select(Staff).where(func.lower(Staff.code) == code.lower())).first()


def lookup_row(db: Any, code: str) -> Any:
    """``lookup`` through Core on a Connection or Session: the staff row (id, code, name,
    left_on, login as attributes) or None, no ORM object."""
    return db.execute(select(staff_t).where(func.lower(staff_t.c.code) == code.lower())).first()


def display_name(db: Any, person: Any) -> str:
    """The name people read; the code beside it when someone else has the same name."""
    twins = db.execute(
        select(func.count())
        .select_from(staff_t)
        .where(staff_t.c.name == person.name, staff_t.c.id != person.id)
    ).scalar_one()
    return f"{person.name}（{person.code}）" if twins else person.name


def database_login(db: Any) -> str | None:
    """On PostgreSQL, the login of a connection that does not own the tables (a person's own
    login, see ``db roles``); None on SQLite and for the owner (and its members), who act as
    ``--as`` says. ``db`` is a Session or a Core Connection."""
    conn = db.connection() if hasattr(db, "get_bind") else db
    if conn.dialect.name != "postgresql":
        return None
    from sqlalchemy import text

    row = conn.execute(
        text(
            "SELECT session_user, pg_has_role(session_user, tableowner, 'MEMBER') "
            "FROM pg_tables WHERE tablename = 'staff' AND schemaname = current_schema()"
        )
    ).first()
    if row is None or row[1]:
        return None
    return str(row[0])


def _covers(session: Any, person: Any, code: str) -> bool:
    """Whether ``person`` (the implementation manager, B) covers ``code`` (an after-sales
    manager, A, recorded away today): then ``--as A`` is accepted from B's login, and B acts
    as themself, the cover rules saying for whom (see ``services.cover``)."""
    from techdept.services.cover import A_ROLE, acting_for

    if not hasattr(session, "exec"):  # a Core connection: the cover rules read through the ORM
        from sqlmodel import Session as OrmSession

        session = OrmSession(bind=session)
    named = lookup_row(session, code)
    return (
        named is not None and acting_for(session, as_actor(session, person), A_ROLE) == named.code
    )


def resolve(session: Any, code: str | None) -> Actor:
    """The acting person: a staff code given with ``--as``, else the OS user (no roles).
    Someone who has left (``staff leave``) acts no more from their leaving day. On PostgreSQL
    a person's own login decides who acts: ``--as`` may only name that same person.
    ``session`` is an ORM Session or a Core Connection (both are read through Core)."""
    login = database_login(session)
    if login is not None:
        person = session.execute(select(staff_t).where(staff_t.c.login == login)).first()
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
    staff = lookup_row(session, code)
    if staff is None:
        raise NotFound("ActorUnknown", code=code)
    if staff.left_on is not None and clock.today() >= staff.left_on:
        raise Refused("ActorLeft", code=staff.code, date=staff.left_on.isoformat())
    return as_actor(session, staff)


def as_actor(session: Any, staff: Any) -> Actor:
    """The actor for a staff row or ORM object (on a Session or a Connection)."""
    roles = session.execute(
        select(staff_role.c.role).where(staff_role.c.staff_id == staff.id)
    ).scalars()
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
