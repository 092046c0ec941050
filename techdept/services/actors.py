"""Who is acting (``--as``) and what roles they hold."""

from __future__ import annotations

import getpass
from dataclasses import dataclass

from sqlmodel import Session, select

from techdept.errors import NotFound, RoleRequired
from techdept.ledger.models import Staff, StaffRole


@dataclass(frozen=True)
class Actor:
    code: str
    roles: frozenset[str]
    known: bool

    def has(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))


def resolve(session: Session, code: str | None) -> Actor:
    """The acting person: a staff code given with ``--as``, else the OS user (no roles)."""
    if not code:
        try:
            user = getpass.getuser()
        except Exception:
            user = "unknown"
        return Actor(code=f"os:{user}", roles=frozenset(), known=False)
    staff = session.exec(select(Staff).where(Staff.code == code)).first()
    if staff is None:
        raise NotFound("ActorUnknown", code=code)
    roles = session.exec(select(StaffRole.role).where(StaffRole.staff_id == staff.id)).all()
    return Actor(code=staff.code, roles=frozenset(roles), known=True)


def require(actor: Actor, *roles: str) -> None:
    """Refuse unless the actor holds one of ``roles``."""
    if not actor.has(*roles):
        from techdept.i18n import t

        names = " / ".join(t(f"role.{r}") for r in roles)
        raise RoleRequired(role=names, actor=actor.code)
