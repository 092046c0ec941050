"""Projects: creation (with a generated code), corrections, listing."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from techdept import clock
from techdept.errors import Invalid, NotFound, Refused
from techdept.ledger import audit
from techdept.ledger.tables import project as project_t
from techdept.ledger.tables import staff as staff_t
from techdept.rules.domain import domain
from techdept.services import actors
from techdept.services.staff import find_row as find_staff
from techdept.services.staff import roles_of

if TYPE_CHECKING:
    from sqlmodel import Session

    from techdept.ledger.engine import Ledger
    from techdept.ledger.models import Project

# Reads (``project show``, ``project list``) go through the Core tables on a Connection and
# never import the ORM; creating and changing a project loads the models.

DEFAULT_STAGE = "presales.contact"
_GENERATED = re.compile(r"^P(\d{4})-(\d{3,})$")


@dataclass(frozen=True)
class ProjectFields:
    """What a user may give at creation (and change with ``project set``, but the stage)."""

    name: str | None = None
    customer: str | None = None
    contract_fen: int | None = None
    complexity: str | None = None
    difficulty: str | None = None
    risk: str | None = None
    sales: str | None = None
    signed_on: dt.date | None = None
    service_start: dt.date | None = None
    service_months: int | None = None


@dataclass(frozen=True)
class ProjectView:
    code: str
    name: str
    customer: str
    contract_fen: int | None
    complexity: str | None
    difficulty: str | None
    risk: str | None
    sales: str | None
    sales_name: str | None
    signed_on: dt.date | None
    stage: str
    adopted_stage: str
    service_start: dt.date | None
    service_months: int | None
    aftersales_slices: str | None = None  # "service" | "calendar", fixed with the period

    @property
    def phase(self) -> str:
        return self.stage.split(".", 1)[0]

    def audit_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name != "sales_name"}


def _check_levels(policy: Any, data: ProjectFields) -> None:
    if data.complexity is not None and data.complexity not in policy.complexity:
        raise Invalid(
            "ChoiceInvalid",
            field="--complexity",
            value=data.complexity,
            allowed=", ".join(policy.complexity),
        )
    if data.difficulty is not None and data.difficulty not in policy.difficulty:
        raise Invalid(
            "ChoiceInvalid",
            field="--difficulty",
            value=data.difficulty,
            allowed=", ".join(policy.difficulty),
        )
    if data.risk is not None and data.risk not in policy.risk:
        raise Invalid(
            "ChoiceInvalid", field="--risk", value=data.risk, allowed=", ".join(policy.risk)
        )
    today = clock.today()
    if data.signed_on is not None and data.signed_on > today:
        raise Invalid("DateInFuture", field="--signed", value=data.signed_on.isoformat())
    if data.service_months is not None and not 1 <= data.service_months <= 240:
        raise Invalid("ServiceMonthsInvalid", value=data.service_months)


def check_stage(stage: str) -> None:
    known = domain().stage(stage)
    if known is None or stage == "presales.lost":
        allowed = ", ".join(k for k in domain().stage_keys if k != "presales.lost")
        raise Invalid("ChoiceInvalid", field="--stage", value=stage, allowed=allowed)


def _sales(session: Session, code: str | None) -> int | None:
    if code is None:
        return None
    person = find_staff(session, code)
    if "sales" not in roles_of(session, person.id or 0):
        raise Refused("NotSales", code=code)
    return person.id


def next_code(session: Session, year: int) -> str:
    """``P<year>-<nnn>``: one more than the highest number used this year."""
    prefix = f"P{year}-"
    highest = 0
    query = select(project_t.c.code).where(project_t.c.code.startswith(prefix))
    for code in session.execute(query).scalars():
        match = _GENERATED.match(code)
        if match:
            highest = max(highest, int(match[2]))
    return f"{prefix}{highest + 1:03d}"


def new_project(
    ledger: Ledger,
    actor_code: str | None,
    policy: Any,
    data: ProjectFields,
    *,
    code: str | None = None,
    stage: str = DEFAULT_STAGE,
) -> ProjectView:
    """Create a project, possibly already under way at ``stage`` (phase-qualified key)."""
    check_stage(stage)
    _check_levels(policy, data)
    if not data.name or not data.customer:
        raise Invalid("FieldRequired", field="--customer" if data.name else "NAME")
    if data.contract_fen is None and domain().stage(stage).needs_contract:  # type: ignore[union-attr]
        raise Invalid("ContractRequired", stage=stage)
    from techdept.ledger.models import Project

    with ledger.write() as session:
        actor = actors.resolve(session, actor_code)
        if code is None:
            code = next_code(session, clock.today().year)
        elif session.execute(select(project_t.c.id).where(project_t.c.code == code)).first():
            raise Refused("ProjectExists", code=code)
        project = Project(
            code=code,
            name=data.name,
            customer=data.customer,
            contract_fen=data.contract_fen,
            complexity=data.complexity,
            difficulty=data.difficulty,
            risk=data.risk,
            sales_id=_sales(session, data.sales),
            signed_on=data.signed_on,
            stage=stage,
            adopted_stage=stage,
            service_start=data.service_start,
            service_months=data.service_months,
            aftersales_slices=slice_mode(policy) if data.service_start else None,
            created_at=clock.now(),
        )
        session.add(project)
        session.flush()
        view = _view(session, project)
        audit.record(
            session,
            actor.code,
            "project.new",
            "project",
            code,
            after=view.audit_dict(),
            project=code,
        )
        return view


# The contract terms the bonus is computed from: changed only by the project's sales
# representative or the director, and after a payment only with --amend --reason.
TERMS = ("contract_fen", "complexity", "difficulty", "risk", "signed_on", "sales")


def _may_change_terms(
    session: Session, actor: actors.Actor, project: Project, amend_reason: str | None
) -> None:
    from sqlmodel import col

    from techdept.ledger.models import Payment, Staff
    from techdept.services import permissions

    own_rep = actor.has("sales") and project.sales_id is not None
    own_rep = own_rep and project.sales_id == actor.staff_id
    if not (own_rep or actor.has("director")):
        rep = session.get(Staff, project.sales_id) if project.sales_id is not None else None
        raise permissions.refuse(actor, "project.terms", sales=rep.name if rep else "—")
    payments = (
        session.execute(
            select(Payment.id).where(
                Payment.project_id == project.id, col(Payment.voided_at).is_(None)
            )
        )
        .scalars()
        .all()
    )
    if payments and amend_reason is None:
        raise Refused("TermsReferenced", code=project.code, payments=", ".join(map(str, payments)))


def set_project(
    ledger: Ledger,
    actor_code: str | None,
    policy: Any,
    code: str,
    changes: ProjectFields,
    *,
    amend_reason: str | None = None,
) -> ProjectView:
    """Change any field but the stage; refused if it would leave a needed contract empty.
    The contract terms (``TERMS``) belong to the project's sales representative or the
    director, and once a payment was made under them change only with an amend reason."""
    _check_levels(policy, changes)
    given = {f.name: getattr(changes, f.name) for f in fields(changes)}
    given = {k: v for k, v in given.items() if v is not None}
    if not given:
        raise Invalid("NothingToChange")
    with ledger.write() as session:
        actor = actors.resolve(session, actor_code)
        project = find(session, code)
        before = _view(session, project)
        current = {**vars(before), "contract_fen": project.contract_fen, "sales": before.sales}
        if any(k in TERMS and current.get(k) != v for k, v in given.items()):
            _may_change_terms(session, actor, project, amend_reason)
        for name, value in given.items():
            if name == "sales":
                project.sales_id = _sales(session, value)
            else:
                setattr(project, name, value)
        if project.service_start and project.aftersales_slices is None:
            project.aftersales_slices = slice_mode(policy)
        session.add(project)
        session.flush()
        after = _view(session, project)
        if before == after:
            return after
        audit.record(
            session,
            actor.code,
            "project.set",
            "project",
            code,
            before=before.audit_dict(),
            after=after.audit_dict() | ({"amend_reason": amend_reason} if amend_reason else {}),
            project=code,
        )
        return after


def slice_mode(policy: Any) -> str:
    """The policy's ``aftersales.slices`` (A14), fixed on a project with its service period
    so that a later policy change does not move its slices."""
    return getattr(policy, "aftersales_slices", None) or "calendar"


def find(session: Session, code: str) -> Project:
    """The ORM object of project ``code`` (for a change to it)."""
    from sqlmodel import select as orm_select

    from techdept.ledger.models import Project

    project = session.exec(orm_select(Project).where(Project.code == code)).first()
    if project is None:
        raise NotFound("ProjectNotFound", code=code)
    return project


def find_row(db: Any, code: str) -> Any:
    """The project row of ``code`` through Core, on a Connection or a Session."""
    project = db.execute(select(project_t).where(project_t.c.code == code)).first()
    if project is None:
        raise NotFound("ProjectNotFound", code=code)
    return project


def _view(db: Any, project: Any, people: dict[int, Any] | None = None) -> ProjectView:
    """The view of a project row or ORM object; its sales person from ``people`` (id → row)
    or read."""
    sales = None
    if project.sales_id is not None:
        if people is not None:
            sales = people.get(project.sales_id)
        else:
            sales = db.execute(
                select(staff_t.c.code, staff_t.c.name).where(staff_t.c.id == project.sales_id)
            ).first()
    return ProjectView(
        code=project.code,
        name=project.name,
        customer=project.customer,
        contract_fen=project.contract_fen,
        complexity=project.complexity,
        difficulty=project.difficulty,
        risk=project.risk,
        sales=sales.code if sales else None,
        sales_name=sales.name if sales else None,
        signed_on=project.signed_on,
        stage=project.stage,
        adopted_stage=project.adopted_stage,
        service_start=project.service_start,
        service_months=project.service_months,
        aftersales_slices=project.aftersales_slices,
    )


def get_project(ledger: Ledger, code: str) -> ProjectView:
    with ledger.connect() as conn:
        return _view(conn, find_row(conn, code))


@dataclass(frozen=True)
class ProjectRecord:
    """``project show``: a project, the after-sales slices (quarter, fen) of its service
    period, and its construction crews' quotes and choice (a ``crews.CrewsView``)."""

    project: ProjectView
    slices: list[tuple[str, int]]
    crews: Any


def project_record(ledger: Ledger, policy: Any, code: str) -> ProjectRecord:
    """A project with what follows from it: its slices under ``policy`` and its crews."""
    from techdept.services.crews import crews

    view = get_project(ledger, code)
    return ProjectRecord(view, project_slices(policy, view), crews(ledger, view.code))


def project_slices(policy: Any, p: ProjectView) -> list[tuple[str, int]]:
    """The after-sales slices (quarter, fen) of a project's service period (A6, or A14 by
    service quarter when the project's slicing mode says so)."""
    if p.service_start is None or not p.service_months or p.contract_fen is None:
        return []
    from techdept.rules import aftersales_slices

    result = aftersales_slices(
        policy, p.contract_fen, p.service_start, p.service_months, p.aftersales_slices
    )
    return [(s.quarter, s.amount) for s in result.value]


def list_projects(ledger: Ledger, phase: str | None = None) -> list[ProjectView]:
    """Every project by code; with ``phase``, those in that phase."""
    with ledger.connect() as conn:
        shown = [c for c in project_t.c if c.name not in ("id", "created_at")]
        query = select(*shown).order_by(project_t.c.code)
        if phase:
            query = query.where(project_t.c.stage.startswith(f"{phase}."))
        projects = conn.execute(query).all()
        people = (
            {r.id: r for r in conn.execute(select(staff_t.c.id, staff_t.c.code, staff_t.c.name))}
            if projects
            else {}
        )
        return [_view(conn, p, people) for p in projects]


__all__ = [
    "ProjectFields",
    "ProjectView",
    "get_project",
    "list_projects",
    "new_project",
    "set_project",
]
