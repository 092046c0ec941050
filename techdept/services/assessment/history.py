"""Lists of assessments and the approved versions of one."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from techdept.documents.assessment import AssessmentDoc
from techdept.errors import NotFound
from techdept.ledger import tables
from techdept.rules import (
    TeamSpec,
    evaluate,
    objective_points,
)
from techdept.services.assessment.base import (
    APPROVED,
    fen_or_none,
    find_assessment_row,
    num_or_none,
    period_of,
    policy_from,
)
from techdept.services.assessment.document import scores_of, stored_doc
from techdept.services.assessment.facts import facts_of

if TYPE_CHECKING:
    from techdept.ledger.engine import Ledger

# Read through the Core tables (``assess list`` over a large ledger builds no ORM object).


@dataclass(frozen=True)
class VersionView:
    version: int
    approved_at: dt.datetime
    gm_approved_on: dt.date
    superseded_at: dt.datetime | None
    reopen_reason: str | None
    doc: AssessmentDoc

    def to_dict(self) -> dict[str, Any]:
        shown = self.doc.to_json()
        return {
            "version": self.version,
            "gm_approved_on": self.gm_approved_on.isoformat(),
            "director": shown["approvals"]["director"],
            "gm": shown["approvals"]["gm"],
            "composite": self.doc.composite,
            "grade": self.doc.grade,
            "final": self.doc.final,
            "pool": self.doc.pool,
            "director_award": self.doc.director_award,
            "allocations": shown["allocations"],
            "superseded": self.superseded_at is not None,
            "reopen_reason": self.reopen_reason,
        }


def history(ledger: Ledger, code: str, track: str, quarter: str | None) -> list[VersionView]:
    """The approved versions of an assessment, oldest first."""
    period = period_of(track, quarter)
    versions = tables.assessment_version
    with ledger.connect() as session:
        a, _ = find_assessment_row(session, code, track, period)
        rows = session.execute(
            select(versions).where(versions.c.assessment_id == a.id).order_by(versions.c.version)
        )
        return [
            VersionView(
                v.version,
                v.approved_at,
                v.gm_approved_on,
                v.superseded_at,
                v.reopen_reason,
                stored_doc(v.snapshot),
            )
            for v in rows
        ]


@dataclass(frozen=True)
class AssessmentRow:
    project: str
    project_name: str
    track: str
    quarter: str | None
    status: str
    version: int
    composite: str | None
    grade: str | None
    final: str | None

    def to_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


def list_assessments(
    ledger: Ledger, *, status: str | None = None, track: str | None = None
) -> list[AssessmentRow]:
    """Every assessment by project, track and quarter. Approved ones show what was stored at
    the GM's approval; the others are evaluated from scores, teams and policies read in a few
    batched queries (never a query per row)."""
    a_t, p_t = tables.assessment, tables.project
    with ledger.connect() as session:
        query = (
            select(a_t, *(c.label(f"p_{c.name}") for c in p_t.c))
            .join(p_t, p_t.c.id == a_t.c.project_id)
            .order_by(p_t.c.code, a_t.c.track, a_t.c.period)
        )
        if status:
            query = query.where(a_t.c.status == status)
        if track:
            query = query.where(a_t.c.track == track)
        pairs = [(row, _Project(row)) for row in session.execute(query)]
        pending = [(a, p) for a, p in pairs if not (a.status == APPROVED and a.result)]
        figures = _figures(session, pending)
        out: list[AssessmentRow] = []
        for a, project in pairs:
            if a.status == APPROVED and a.result:
                doc = stored_doc(a.result)
                shown = (doc.composite, doc.grade, doc.final)
            else:
                shown = figures[a.id]  # type: ignore[index]
            out.append(
                AssessmentRow(
                    project.code, project.name, a.track, a.period or None, a.status, a.version,
                    *shown,
                )
            )  # fmt: skip
        return out


class _Project:
    """The project columns of a listed assessment row (``p_*``), as attributes."""

    def __init__(self, row: Any) -> None:
        for key, value in row._mapping.items():
            if isinstance(key, str) and key.startswith("p_"):
                setattr(self, key[2:], value)


def _chunks(ids: list[int], size: int = 500) -> list[list[int]]:
    return [ids[i : i + size] for i in range(0, len(ids), size)]


def _figures(
    session: Any, pending: list[tuple[Any, Any]]
) -> dict[int, tuple[str | None, str | None, str | None]]:
    """Composite, grade and final of assessments not yet GM-approved: their scores, teams and
    policies in a few queries (chunked), then the rules for each, as ``assess show`` does."""
    if not pending:
        return {}
    rows = _scores(session, [a.id for a, _ in pending if a.id is not None])
    specs = _team_specs(session, sorted({p.id for _, p in pending if p.id is not None}))
    hashes = sorted({a.policy_hash for a, _ in pending})
    snapshots = {
        snap.hash: snap
        for snap in session.execute(
            select(tables.policy_snapshot).where(tables.policy_snapshot.c.hash.in_(hashes))
        )
    }
    out: dict[int, tuple[str | None, str | None, str | None]] = {}
    for a, project in pending:
        snap = snapshots.get(a.policy_hash)
        if snap is None:  # the foreign key makes this impossible in a sound ledger
            raise NotFound("PolicySnapshotMissing", hash=a.policy_hash)
        policy = policy_from(snap.content, snap.hash)
        facts, _ = facts_of(policy, project, a)
        objective = {k: v.value for k, v in objective_points(policy, a.track, facts).items()}
        spec = specs.get((project.id, a.track))
        ev = evaluate(policy, a.track, facts, scores_of(rows.get(a.id or 0, []), objective), spec)
        out[a.id] = (num_or_none(ev.composite), ev.grade, fen_or_none(ev.final))  # type: ignore[index]
    return out


def _scores(session: Any, ids: list[int]) -> dict[int, list[Any]]:
    """The score rows of each assessment, by scorer and item."""
    rows: dict[int, list[Any]] = {}
    for chunk in _chunks(ids):
        for row in session.execute(
            select(tables.score)
            .where(tables.score.c.assessment_id.in_(chunk))
            .order_by(tables.score.c.scorer, tables.score.c.item)
        ):
            rows.setdefault(row.assessment_id, []).append(row)
    return rows


def _team_specs(session: Any, project_ids: list[int]) -> dict[tuple[Any, str], TeamSpec]:
    """The team of each (project id, track): lead with L %, engineers by position."""
    teams: dict[tuple[int, str], Any] = {}
    for chunk in _chunks(project_ids):
        for team in session.execute(select(tables.team).where(tables.team.c.project_id.in_(chunk))):
            teams[(team.project_id, team.track)] = team
    members: dict[int, list[tuple[str, Decimal]]] = {}
    for chunk in _chunks([t.id for t in teams.values() if t.id is not None]):
        for member in session.execute(
            select(tables.team_member, tables.staff.c.code)
            .join(tables.staff, tables.staff.c.id == tables.team_member.c.staff_id)
            .where(tables.team_member.c.team_id.in_(chunk))
            .order_by(tables.team_member.c.team_id, tables.team_member.c.position)
        ):
            members.setdefault(member.team_id, []).append((member.code, Decimal(member.weight)))
    leads: dict[int, str] = {}
    for chunk in _chunks(sorted({t.lead_id for t in teams.values()})):
        found = session.execute(
            select(tables.staff.c.id, tables.staff.c.code).where(tables.staff.c.id.in_(chunk))
        )
        leads.update({staff_id: code for staff_id, code in found})
    return {
        key: TeamSpec(
            leads.get(team.lead_id, "?"),
            Decimal(team.lead_share),
            tuple(members.get(team.id or 0, ())),
        )
        for key, team in teams.items()
    }
