"""Consultations 咨询 during after-sales operation: the question answered and recorded by the
after-sales manager; a new requirement is passed to the pre-sales manager, and may open a
pre-sales project at ``contact`` for the same customer, linked to the consultation."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, col, select

from techdept import clock
from techdept.errors import Invalid, Refused
from techdept.ledger import audit
from techdept.ledger.engine import Ledger
from techdept.ledger.models import Consultation, Project, Staff, StaffRole
from techdept.services import actors, cover
from techdept.services.projects import find as find_project
from techdept.services.projects import next_code

_CODE = re.compile(r"^C(\d{4})-(\d{4,})$")
PRESALES_STAGE = "presales.contact"
PRESALES_MANAGER = "presales-manager"


@dataclass(frozen=True)
class ConsultationView:
    id: str
    project: str
    customer: str
    question: str
    answer: str
    new_requirement: bool
    presales_project: str | None
    presales_managers: tuple[str, ...]
    recorded_on: dt.date
    recorded_by: str

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "project": self.project,
            "customer": self.customer,
            "question": self.question,
            "answer": self.answer,
            "new_requirement": self.new_requirement,
            "presales_project": self.presales_project,
            "passed_to": list(self.presales_managers) if self.new_requirement else [],
            "recorded_on": self.recorded_on.isoformat(),
            "recorded_by": self.recorded_by,
        }


def _managers(session: Session) -> tuple[str, ...]:
    rows = session.exec(
        select(Staff.code)
        .where(Staff.id == StaffRole.staff_id)
        .where(StaffRole.role == PRESALES_MANAGER)
        .order_by(Staff.code)
    )
    return tuple(rows)


def _view(session: Session, row: Consultation) -> ConsultationView:
    project = session.get(Project, row.project_id)
    linked = session.get(Project, row.presales_project_id) if row.presales_project_id else None
    assert project is not None
    return ConsultationView(
        id=row.code,
        project=project.code,
        customer=project.customer,
        question=row.question,
        answer=row.answer,
        new_requirement=row.new_requirement,
        presales_project=linked.code if linked else None,
        presales_managers=_managers(session),
        recorded_on=row.recorded_at.date(),
        recorded_by=row.recorded_by,
    )


def _next_code(session: Session, year: int) -> str:
    prefix = f"C{year}-"
    highest = 0
    for code in session.exec(
        select(Consultation.code).where(col(Consultation.code).startswith(prefix))
    ):
        match = _CODE.match(code)
        if match:
            highest = max(highest, int(match[2]))
    return f"{prefix}{highest + 1:04d}"


def consult(
    ledger: Ledger,
    actor_code: str | None,
    code: str,
    question: str,
    answer: str,
    *,
    new_requirement: bool = False,
    open_project: bool = False,
    name: str | None = None,
) -> ConsultationView:
    """Record a consultation (after-sales manager, or B while A is away)."""
    if open_project and not new_requirement:
        raise Invalid("OpenProjectNeedsRequirement")
    with ledger.write() as session:
        actor = actors.resolve(session, actor_code)
        behalf = cover.authorize(session, actor, cover.A_ROLE)
        project = find_project(session, code)
        if not project.stage.startswith("aftersales."):
            raise Refused("TicketProjectStage", code=project.code, stage=project.stage)
        if new_requirement and not _managers(session):
            raise Refused("NoPresalesManager")
        linked = (
            _presales_project(session, project, name or question[:200]) if open_project else None
        )
        row = Consultation(
            code=_next_code(session, clock.today().year),
            project_id=project.id or 0,
            question=question,
            answer=answer,
            new_requirement=new_requirement,
            presales_project_id=linked.id if linked else None,
            recorded_at=clock.now(),
            recorded_by=actor.code,
        )
        session.add(row)
        session.flush()
        if linked is not None:
            _audit_presales_project(session, actor.code, linked, row.code, project, behalf)
        view = _view(session, row)
        audit.record(
            session,
            actor.code,
            "consultation.new",
            "consultation",
            row.code,
            after=view.to_json(),
            project=project.code,
            on_behalf_of=behalf,
        )
        return view


def _presales_project(session: Session, project: Project, name: str) -> Project:
    """A new pre-sales project at ``contact`` for the same customer and sales."""
    linked = Project(
        code=next_code(session, clock.today().year),
        name=name,
        customer=project.customer,
        sales_id=project.sales_id,
        stage=PRESALES_STAGE,
        adopted_stage=PRESALES_STAGE,
        created_at=clock.now(),
    )
    session.add(linked)
    session.flush()
    return linked


def _audit_presales_project(
    session: Session,
    actor: str,
    linked: Project,
    consultation: str,
    project: Project,
    behalf: str | None,
) -> None:
    """The ``project.new`` row of a project opened from a consultation."""
    audit.record(
        session,
        actor,
        "project.new",
        "project",
        linked.code,
        after={
            "code": linked.code,
            "name": linked.name,
            "customer": linked.customer,
            "stage": linked.stage,
            "from_consultation": consultation,
            "from_project": project.code,
        },
        project=linked.code,
        on_behalf_of=behalf,
    )


def list_consultations(
    ledger: Ledger, project: str | None = None, new_requirement: bool = False
) -> list[ConsultationView]:
    with ledger.read() as session:
        query = select(Consultation).order_by(col(Consultation.code))
        if project:
            query = query.where(Consultation.project_id == find_project(session, project).id)
        if new_requirement:
            query = query.where(col(Consultation.new_requirement).is_(True))
        return [_view(session, r) for r in session.exec(query)]
