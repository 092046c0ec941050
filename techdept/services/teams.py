"""A project's team per track: the lead with the lead's share, engineers with weights."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from techdept import clock
from techdept.errors import NotFound, Refused
from techdept.ledger import audit, tables
from techdept.rules import Fen, Policy, TeamSpec, split
from techdept.services import actors
from techdept.services.projects import find_row as find_project_row

if TYPE_CHECKING:
    from sqlmodel import Session

    from techdept.ledger.engine import Ledger
    from techdept.ledger.models import Project, Staff, Team

# A team is read through the Core tables (the assessment sheet shows it without the ORM);
# setting one loads the models.


def exact(value: Decimal) -> str:
    """A decimal as exact text without trailing zeros: ``40``, ``1.5``."""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"


@dataclass(frozen=True)
class Member:
    staff: str
    name: str
    weight: Decimal


@dataclass(frozen=True)
class TeamView:
    project: str
    track: str
    lead: str
    lead_name: str
    lead_share: Decimal
    engineers: tuple[Member, ...]

    def spec(self) -> TeamSpec:
        """The team as the rules take it (staff codes, share, weights)."""
        return TeamSpec(
            self.lead, self.lead_share, tuple((m.staff, m.weight) for m in self.engineers)
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "lead": {"staff": self.lead, "name": self.lead_name, "share": exact(self.lead_share)},
            "engineers": [
                {"staff": m.staff, "name": m.name, "weight": exact(m.weight)}
                for m in self.engineers
            ],
        }


def _view(db: Any, project: Any, team: Any) -> TeamView:
    """The view of a team (row or ORM object): its lead and engineers in one query."""
    staff, member = tables.staff, tables.team_member
    lead = db.execute(select(staff.c.code, staff.c.name).where(staff.c.id == team.lead_id)).first()
    rows = db.execute(
        select(staff.c.code, staff.c.name, member.c.weight)
        .join(staff, staff.c.id == member.c.staff_id)
        .where(member.c.team_id == team.id)
        .order_by(member.c.position)
    ).all()
    return TeamView(
        project=project.code,
        track=team.track,
        lead=lead.code if lead else "?",
        lead_name=lead.name if lead else "?",
        lead_share=Decimal(team.lead_share),
        engineers=tuple(Member(code, name, Decimal(weight)) for code, name, weight in rows),
    )


def team_of(db: Any, project: Any, track: str) -> TeamView | None:
    """The team recorded for ``project`` and ``track``, or None (Core, on a Session or a
    Connection)."""
    team = tables.team
    row = db.execute(
        select(team).where(team.c.project_id == project.id, team.c.track == track)
    ).first()
    return _view(db, project, row) if row else None


def get_team(ledger: Ledger, code: str, track: str) -> TeamView:
    with ledger.connect() as conn:
        project = find_project_row(conn, code)
        view = team_of(conn, project, track)
        if view is None:
            raise NotFound("TeamNotSet", code=code, track=track)
        return view


def _frozen(session: Session, project: Project, policy: Policy, track: str) -> str | None:
    """The status that keeps the team from changing, if any: a director-approved assessment
    (and, except for the sliced after-sales track, an approved one)."""
    blocking = ["director-approved"]
    if not policy.track(track).sliced:
        blocking.append("approved")
    a = tables.assessment
    return session.execute(
        select(a.c.status).where(
            a.c.project_id == project.id, a.c.track == track, a.c.status.in_(blocking)
        )
    ).scalar()


def set_team(
    ledger: Ledger,
    actor_code: str | None,
    policy: Policy,
    code: str,
    track: str,
    lead: str,
    lead_share: Decimal | None,
    engineers: list[tuple[str, Decimal]],
) -> TeamView:
    """Record (or replace) a project's team for a track.

    The rules check the lead share against the policy's range, the weights and duplicates; a
    person under a sanction for the track is refused, naming the assessments behind it."""
    policy.track(track)
    share = policy.lead_share_default if lead_share is None else lead_share
    split(policy, Fen(0), lead, share, engineers)  # the rules' checks of share, weights, people
    from sqlmodel import select as orm_select

    from techdept.ledger.models import Team
    from techdept.services import sanctions
    from techdept.services.projects import find as find_project
    from techdept.services.staff import find as find_staff

    with ledger.write() as session:
        actor = actors.resolve(session, actor_code)
        _may_set(session, actor, track)
        project = find_project(session, code)
        status = _frozen(session, project, policy, track)
        if status is not None:
            raise Refused("TeamFrozen", code=code, track=track, status=status)
        lead_person = find_staff(session, lead)
        people = [find_staff(session, staff) for staff, _ in engineers]
        team = session.exec(
            orm_select(Team).where(Team.project_id == project.id, Team.track == track)
        ).first()
        _no_leavers(session, team, [lead_person, *people])
        sanctions.check_team(session, policy, track, lead_person, people)
        before = _view(session, project, team).to_dict() if team else None
        members = [(person, weight) for person, (_, weight) in zip(people, engineers, strict=True)]
        team = _store(session, team, project, track, actor.code, (lead_person, share), members)
        view = _view(session, project, team)
        audit.record(
            session,
            actor.code,
            "team.set",
            "team",
            f"{code}/{track}",
            before=before,
            after=view.to_dict(),
            project=code,
        )
        return view


def _store(
    session: Session,
    team: Team | None,
    project: Project,
    track: str,
    by: str,
    lead: tuple[Staff, Decimal],
    members: list[tuple[Staff, Decimal]],
) -> Team:
    """The team row with its lead and share, new or replaced, and its engineers with their
    weights in order (a replaced team's members are deleted first)."""
    from sqlmodel import select as orm_select

    from techdept.ledger.models import Team, TeamMember

    person, share = lead
    if team is None:
        team = Team(
            project_id=project.id,  # type: ignore[arg-type]
            track=track,
            lead_id=person.id,  # type: ignore[arg-type]
            lead_share=exact(share),
            set_at=clock.now(),
            set_by=by,
        )
    else:
        for member in session.exec(orm_select(TeamMember).where(TeamMember.team_id == team.id)):
            session.delete(member)
        team.lead_id = person.id  # type: ignore[assignment]
        team.lead_share = exact(share)
        team.set_at = clock.now()
        team.set_by = by
    session.add(team)
    session.flush()
    for position, (member, weight) in enumerate(members):
        session.add(
            TeamMember(
                team_id=team.id,  # type: ignore[arg-type]
                staff_id=member.id,  # type: ignore[arg-type]
                weight=exact(weight),
                position=position,
            )
        )
    session.flush()
    return team


def _may_set(session: Session, actor: actors.Actor, track: str) -> None:
    """The manager of the track or the director; for after-sales, the implementation manager
    too while every after-sales manager is away (A/B cover)."""
    from techdept.services import cover, permissions

    key = f"team.{track}"
    roles = permissions.rule(key).roles
    if actor.has(*roles):
        return
    # B covers A (the after-sales manager) where A may set the team
    if cover.A_ROLE in roles and cover.acting_for(session, actor, cover.A_ROLE) is not None:
        return
    raise permissions.refuse(actor, key)


def _no_leavers(session: Session, team: Team | None, people: list[Staff]) -> None:
    """Someone who has left (or is recorded as leaving) joins no new team; a team already
    holding them may be set again as it was."""
    already: set[int] = set()
    if team is not None:
        member = tables.team_member
        already = {team.lead_id} | set(
            session.execute(select(member.c.staff_id).where(member.c.team_id == team.id)).scalars()
        )
    for person in people:
        if person.left_on is not None and person.id not in already:
            raise Refused("StaffLeftTeam", code=person.code, date=person.left_on.isoformat())


__all__ = ["Member", "TeamView", "exact", "get_team", "set_team", "team_of"]
