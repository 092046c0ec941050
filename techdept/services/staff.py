"""The department's people and their roles."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from techdept import clock
from techdept.errors import Invalid, NotFound, Refused
from techdept.ledger import audit
from techdept.ledger.tables import project as project_t
from techdept.ledger.tables import staff as staff_t
from techdept.ledger.tables import staff_role, team, team_member
from techdept.rules.domain import domain
from techdept.services import actors, permissions

if TYPE_CHECKING:
    from sqlmodel import Session

    from techdept.ledger.engine import Ledger
    from techdept.ledger.models import Staff

# Reads go through the Core tables on a Connection (or a Session: both execute Core), so
# ``staff list`` never imports the ORM; the changes below load the ORM models where they
# change objects.

ADMIN = "admin"


@dataclass(frozen=True)
class StaffView:
    code: str
    name: str
    roles: tuple[str, ...]
    group: str | None = None
    group_projects: tuple[str, ...] = ()
    left_on: dt.date | None = None
    login: str | None = None

    def to_dict(self) -> dict:
        doc: dict = {"code": self.code, "name": self.name, "roles": list(self.roles)}
        if self.left_on is not None:
            doc["left_on"] = self.left_on.isoformat()
        if self.login is not None:
            doc["login"] = self.login
        return doc


def group_of(roles: tuple[str, ...], projects: tuple[str, ...]) -> str | None:
    """Where a person works now (``domain.toml`` ``[[groups]]``, in order): technical engineers
    belong to the after-sales group, except while they are on the team of a project still in
    implementation (until its acceptance, ``projects``); pre-sales engineers to the pre-sales
    group; others to no group."""
    for group in domain().groups:
        if group.while_on_team is not None and projects:
            return group.key
        if set(roles) & set(group.roles):
            return group.key
    return None


def _implementation_projects(db: Any) -> dict[str, tuple[str, ...]]:
    """Staff code → codes of the projects still in the phase of a group's track
    (``while_on_team``: implementation) whose team of that track they are on."""
    d = domain()
    group = next((g for g in d.groups if g.while_on_team is not None), None)
    steps = d.tracks.get(group.while_on_team) if group and group.while_on_team else None
    if steps is None:
        return {}
    in_phase = (team.c.track == steps.key, project_t.c.stage.startswith(f"{steps.phase}."))
    leads = select(staff_t.c.code, project_t.c.code).join(team, team.c.lead_id == staff_t.c.id)
    members = (
        select(staff_t.c.code, project_t.c.code)
        .join(team_member, team_member.c.staff_id == staff_t.c.id)
        .join(team, team.c.id == team_member.c.team_id)
    )
    out: dict[str, set[str]] = {}
    for query in (leads, members):
        joined = query.join(project_t, project_t.c.id == team.c.project_id).where(*in_phase)
        for staff, project in db.execute(joined):
            out.setdefault(staff, set()).add(project)
    return {staff: tuple(sorted(projects)) for staff, projects in out.items()}


def check_roles(roles: list[str]) -> tuple[str, ...]:
    allowed = domain().roles
    if not roles:
        raise Invalid("RoleMissing", allowed=", ".join(allowed))
    for role in roles:
        if role not in allowed:
            raise Invalid("ChoiceInvalid", field="--role", value=role, allowed=", ".join(allowed))
    return tuple(dict.fromkeys(roles))


def admins(db: Any) -> list[str]:
    """Codes of the administrators who have not left (``db`` a Session or Connection)."""
    return list(
        db.execute(
            select(staff_t.c.code)
            .join(staff_role, staff_role.c.staff_id == staff_t.c.id)
            .where(staff_role.c.role == ADMIN, staff_t.c.left_on.is_(None))
            .order_by(staff_t.c.code)
        ).scalars()
    )


def _administer(session: Session, actor_code: str | None) -> actors.Actor:
    """The acting person, who must be an administrator once one exists (until then staff
    administration is open, and ``db check`` says so)."""
    actor = actors.resolve(session, actor_code)
    if admins(session):
        permissions.check(actor, "staff.admin")
    return actor


def _check_new_person(session: Session, name: str, code: str, same_name_ok: bool) -> None:
    clash = actors.lookup(session, code)
    if clash is not None:
        raise Refused("StaffExists", code=code, existing=clash.code)
    if not same_name_ok:
        twin = session.execute(
            select(staff_t.c.code).where(staff_t.c.name == name, staff_t.c.left_on.is_(None))
        ).scalar()
        if twin is not None:
            raise Refused("StaffSameName", name=name, code=twin)


def add_staff(
    ledger: Ledger,
    actor_code: str | None,
    name: str,
    code: str,
    roles: list[str],
    *,
    same_name_ok: bool = False,
) -> StaffView:
    """Add a person with one or more roles; the code must be new (whatever its case), and the
    name too among people still here unless ``same_name_ok``."""
    wanted = check_roles(roles)
    with ledger.write() as session:
        actor = _administer(session, actor_code)
        _check_new_person(session, name, code, same_name_ok)
        return _insert(session, actor.code, name, code, wanted)


def _insert(
    session: Session, actor_code: str, name: str, code: str, roles: tuple[str, ...]
) -> StaffView:
    from techdept.ledger.models import Staff, StaffRole

    person = Staff(code=code, name=name, created_at=clock.now())
    session.add(person)
    session.flush()
    for role in roles:
        session.add(StaffRole(staff_id=person.id, role=role))
    view = StaffView(code, name, roles)
    audit.record(session, actor_code, "staff.add", "staff", code, after=view.to_dict())
    return view


def first_admin(ledger: Ledger, name: str, code: str) -> tuple[StaffView, bool]:
    """``init --admin``: make ``code`` the first administrator (adding the person if new).
    Refused once an administrator exists (they add the others). Returns (person, added)."""
    with ledger.write() as session:
        existing = admins(session)
        if existing:
            person = actors.lookup(session, code)
            if person is not None and person.code in existing:
                return _views(session, [person])[0], False
            raise Refused("AdminExists", admins=", ".join(existing))
        person = actors.lookup(session, code)
        if person is None:
            _check_new_person(session, name, code, same_name_ok=False)
            return _insert(session, code, name, code, (ADMIN,)), True
        if person.name != name:
            raise Refused("AdminNameDiffers", code=person.code, name=person.name, given=name)
        before = _views(session, [person])[0]
        from techdept.ledger.models import StaffRole

        session.add(StaffRole(staff_id=person.id, role=ADMIN))
        session.flush()
        after = _views(session, [person])[0]
        audit.record(
            session,
            person.code,
            "staff.role.grant",
            "staff",
            person.code,
            before=before.to_dict(),
            after=after.to_dict(),
        )
        return after, False


def change_roles(
    ledger: Ledger, actor_code: str | None, code: str, grant: list[str], revoke: list[str]
) -> StaffView:
    """Grant or revoke roles. The last administrator cannot take away their own role (nobody
    would be left to administer)."""
    from techdept.ledger.models import StaffRole

    wanted = check_roles(grant or revoke)
    with ledger.write() as session:
        actor = _administer(session, actor_code)
        person = find(session, code)
        have = roles_of(session, person.id or 0)
        before = _views(session, [person])[0]
        if grant:
            for role in wanted:
                if role not in have:
                    session.add(StaffRole(staff_id=person.id, role=role))
        else:
            if ADMIN in wanted and ADMIN in have and admins(session) == [person.code]:
                raise Refused("LastAdmin", code=person.code)
            for role in wanted:
                row = session.get(StaffRole, (person.id, role))
                if row is not None:
                    session.delete(row)
        session.flush()
        after = _views(session, [person])[0]
        if after == before:
            return after
        audit.record(
            session,
            actor.code,
            "staff.role.grant" if grant else "staff.role.revoke",
            "staff",
            person.code,
            before=before.to_dict(),
            after=after.to_dict(),
        )
        return after


def rename(
    ledger: Ledger, actor_code: str | None, code: str, name: str, *, same_name_ok: bool = False
) -> StaffView:
    """Change a person's display name (the code stays); the history keeps the old name."""
    with ledger.write() as session:
        actor = _administer(session, actor_code)
        person = find(session, code)
        if name == person.name:
            return _views(session, [person])[0]
        if not same_name_ok:
            twin = session.execute(
                select(staff_t.c.code).where(
                    staff_t.c.name == name,
                    staff_t.c.left_on.is_(None),
                    staff_t.c.id != person.id,
                )
            ).scalar()
            if twin is not None:
                raise Refused("StaffSameName", name=name, code=twin)
        before = person.name
        person.name = name
        session.add(person)
        session.flush()
        audit.record(
            session,
            actor.code,
            "staff.rename",
            "staff",
            person.code,
            before={"name": before},
            after={"name": name},
        )
        return _views(session, [person])[0]


def leave(ledger: Ledger, actor_code: str | None, code: str, on: dt.date) -> StaffView:
    """Record that a person leaves on ``on``: they stay in the history, act no more from that
    day, and are refused for new teams. The last administrator cannot leave."""
    with ledger.write() as session:
        actor = _administer(session, actor_code)
        person = find(session, code)
        if person.left_on is not None:
            raise Refused("StaffAlreadyLeft", code=person.code, date=person.left_on.isoformat())
        if admins(session) == [person.code]:
            raise Refused("LastAdmin", code=person.code)
        person.left_on = on
        session.add(person)
        session.flush()
        audit.record(
            session,
            actor.code,
            "staff.leave",
            "staff",
            person.code,
            before={"left_on": None},
            after={"left_on": on.isoformat()},
        )
        return _views(session, [person])[0]


def set_login(ledger: Ledger, actor_code: str | None, code: str, login: str | None) -> StaffView:
    """The database login that identifies this person on PostgreSQL (None clears it)."""
    with ledger.write() as session:
        actor = _administer(session, actor_code)
        person = find(session, code)
        if login is not None:
            other = session.execute(
                select(staff_t.c.code).where(staff_t.c.login == login, staff_t.c.id != person.id)
            ).scalar()
            if other is not None:
                raise Refused("LoginTaken", login=login, code=other)
        before = person.login
        if before == login:
            return _views(session, [person])[0]
        person.login = login
        session.add(person)
        session.flush()
        audit.record(
            session,
            actor.code,
            "staff.set",
            "staff",
            person.code,
            before={"login": before},
            after={"login": login},
        )
        return _views(session, [person])[0]


def _views(db: Any, people: list[Any]) -> list[StaffView]:
    """Views of staff rows or ORM objects; their roles read in one query (all roles when
    ``people`` is everyone, so no list of ids is bound)."""
    ids = [p.id for p in people]
    roles: dict[int, list[str]] = {i: [] for i in ids if i is not None}
    if ids:
        query = select(staff_role.c.staff_id, staff_role.c.role)
        if len(ids) <= 500:
            query = query.where(staff_role.c.staff_id.in_(ids))
        for staff_id, role in db.execute(query):
            if staff_id in roles:
                roles[staff_id].append(role)
    order = {r: i for i, r in enumerate(domain().roles)}
    return [
        StaffView(
            p.code,
            p.name,
            tuple(sorted(roles.get(p.id or 0, []), key=order.get)),
            left_on=p.left_on,
            login=p.login,
        )
        for p in people
    ]


def list_staff(ledger: Ledger, role: str | None = None, *, groups: bool = False) -> list[StaffView]:
    """Everyone, by code; with ``role``, only people holding it; with ``groups``, the group
    each person works in now (see ``group_of``)."""
    with ledger.connect() as conn:
        query = select(staff_t).order_by(staff_t.c.code)
        if role:
            query = query.where(
                staff_t.c.id.in_(select(staff_role.c.staff_id).where(staff_role.c.role == role))
            )
        views = _views(conn, list(conn.execute(query)))
        if not groups:
            return views
        busy = _implementation_projects(conn)
        return [
            replace(
                v,
                group=group_of(v.roles, busy.get(v.code, ())),
                group_projects=busy.get(v.code, ()),
            )
            for v in views
        ]


def codes_by_unique_name(ledger: Ledger) -> dict[str, str]:
    """Name → code of everyone whose name no one else has: a name that stands for one person
    (an imported sheet's sales column may hold names); a shared name is left out."""
    with ledger.connect() as conn:
        rows = list(conn.execute(select(staff_t.c.name, staff_t.c.code)))
    seen: dict[str, list[str]] = {}
    for name, code in rows:
        seen.setdefault(name, []).append(code)
    return {name: codes[0] for name, codes in seen.items() if len(codes) == 1}


def get_staff(ledger: Ledger, code: str) -> StaffView:
    with ledger.connect() as conn:
        return _views(conn, [find_row(conn, code)])[0]


def find(session: Session, code: str) -> Staff:
    """The ORM object of the person with ``code`` (for a change to it)."""
    person = actors.lookup(session, code)
    if person is None:
        raise NotFound("StaffNotFound", code=code)
    return person


def find_row(db: Any, code: str) -> Any:
    """The staff row of ``code`` through Core (id, code, name, left_on, login)."""
    person = actors.lookup_row(db, code)
    if person is None:
        raise NotFound("StaffNotFound", code=code)
    return person


def roles_of(db: Any, staff_id: int) -> set[str]:
    return set(
        db.execute(select(staff_role.c.role).where(staff_role.c.staff_id == staff_id)).scalars()
    )


def administrators(ledger: Ledger) -> list[tuple[str, str]]:
    """(code, name) of each administrator who has not left."""
    with ledger.connect() as conn:
        codes = admins(conn)
        return [(c, find_row(conn, c).name) for c in codes]


def require_admin(ledger: Ledger, actor_code: str | None, rule: str) -> None:
    """Refuse ``rule`` unless the actor is an administrator (open while there is none)."""
    with ledger.connect() as conn:
        if admins(conn):
            permissions.check(actors.resolve(conn, actor_code), rule)
