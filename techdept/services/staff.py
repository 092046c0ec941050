"""The department's people and their roles."""

from __future__ import annotations

from dataclasses import dataclass, replace

from sqlmodel import Session, col, select

from techdept import clock
from techdept.errors import Invalid, NotFound, Refused
from techdept.ledger import audit
from techdept.ledger.engine import Ledger
from techdept.ledger.models import Project, Staff, StaffRole, Team, TeamMember
from techdept.rules.domain import domain
from techdept.services import actors

TECHNICAL_ROLES = ("engineer", "onsite-engineer")


@dataclass(frozen=True)
class StaffView:
    code: str
    name: str
    roles: tuple[str, ...]
    group: str | None = None
    group_projects: tuple[str, ...] = ()

    def to_dict(self) -> dict:
        return {"code": self.code, "name": self.name, "roles": list(self.roles)}


def group_of(roles: tuple[str, ...], projects: tuple[str, ...]) -> str | None:
    """Where a person works now: technical engineers belong to the after-sales group, except
    while they are on the team of a project still in implementation (until its acceptance);
    pre-sales engineers to the pre-sales group; others to no group."""
    if projects:
        return "implementation"
    if set(roles) & set(TECHNICAL_ROLES):
        return "aftersales"
    if "presales-engineer" in roles:
        return "presales"
    return None


def _implementation_projects(session: Session) -> dict[str, tuple[str, ...]]:
    """Staff code → codes of the projects in implementation whose team they are on."""
    in_implementation = (
        Team.track == "implementation",
        col(Project.stage).startswith("implementation."),
    )
    leads = select(Staff.code, Project.code).join(Team, col(Team.lead_id) == Staff.id)
    members = (
        select(Staff.code, Project.code)
        .join(TeamMember, col(TeamMember.staff_id) == Staff.id)
        .join(Team, col(Team.id) == TeamMember.team_id)
    )
    out: dict[str, set[str]] = {}
    for query in (leads, members):
        joined = query.join(Project, col(Project.id) == Team.project_id).where(*in_implementation)
        for staff, project in session.exec(joined):
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


def add_staff(
    ledger: Ledger, actor_code: str | None, name: str, code: str, roles: list[str]
) -> StaffView:
    """Add a person with one or more roles; the code must be new."""
    wanted = check_roles(roles)
    with ledger.write() as session:
        actor = actors.resolve(session, actor_code)
        if session.exec(select(Staff.id).where(Staff.code == code)).first() is not None:
            raise Refused("StaffExists", code=code)
        person = Staff(code=code, name=name, created_at=clock.now())
        session.add(person)
        session.flush()
        for role in wanted:
            session.add(StaffRole(staff_id=person.id, role=role))
        view = StaffView(code, name, wanted)
        audit.record(session, actor.code, "staff.add", "staff", code, after=view.to_dict())
        return view


def _views(session: Session, people: list[Staff]) -> list[StaffView]:
    ids = [p.id for p in people]
    roles: dict[int, list[str]] = {i: [] for i in ids if i is not None}
    if ids:
        for staff_id, role in session.exec(
            select(StaffRole.staff_id, StaffRole.role).where(col(StaffRole.staff_id).in_(ids))
        ):
            roles[staff_id].append(role)
    order = {r: i for i, r in enumerate(domain().roles)}
    return [
        StaffView(p.code, p.name, tuple(sorted(roles.get(p.id or 0, []), key=order.get)))
        for p in people
    ]


def list_staff(ledger: Ledger, role: str | None = None, *, groups: bool = False) -> list[StaffView]:
    """Everyone, by code; with ``role``, only people holding it; with ``groups``, the group
    each person works in now (see ``group_of``)."""
    with ledger.read() as session:
        query = select(Staff).order_by(Staff.code)
        if role:
            query = query.where(
                col(Staff.id).in_(select(StaffRole.staff_id).where(StaffRole.role == role))
            )
        views = _views(session, list(session.exec(query)))
        if not groups:
            return views
        busy = _implementation_projects(session)
        return [
            replace(
                v,
                group=group_of(v.roles, busy.get(v.code, ())),
                group_projects=busy.get(v.code, ()),
            )
            for v in views
        ]


def get_staff(ledger: Ledger, code: str) -> StaffView:
    with ledger.read() as session:
        return _views(session, [find(session, code)])[0]


def find(session: Session, code: str) -> Staff:
    person = session.exec(select(Staff).where(Staff.code == code)).first()
    if person is None:
        raise NotFound("StaffNotFound", code=code)
    return person


def roles_of(session: Session, staff_id: int) -> set[str]:
    return set(session.exec(select(StaffRole.role).where(StaffRole.staff_id == staff_id)))
