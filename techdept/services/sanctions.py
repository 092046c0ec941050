"""Sanctions (policy §5): three GM-approved assessments in a row graded D or below on a track.

A person's history on a track is the GM-approved assessments they were on, in approval order
(then id), counting only those approved after their latest lifted sanction on that track. Where
the policy's sanction bars the lead only (``[sanctions.covers]``: implementation), only the
assessments where they were the lead (the project manager) count.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, col, false, or_, select

from techdept import clock
from techdept.errors import Invalid, Refused, Term
from techdept.ledger import audit
from techdept.ledger.engine import Ledger
from techdept.ledger.models import Assessment, Project, SanctionLift, Staff
from techdept.rules import Policy, sanction, sanction_effect
from techdept.services import actors, permissions
from techdept.services.staff import find as find_staff


def moment() -> dt.datetime:
    """Now, to the microsecond, so that an approval and a lift never share a timestamp."""
    return clock.now().replace(microsecond=dt.datetime.now(dt.UTC).microsecond)


@dataclass(frozen=True)
class Ref:
    """One assessment behind a sanction."""

    project: str
    track: str
    quarter: str | None
    grade: str
    approved_on: dt.date | None

    @property
    def label(self) -> str:
        parts = [self.project, self.track] + ([self.quarter] if self.quarter else [])
        return " ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        return {
            "project": self.project,
            "track": self.track,
            "quarter": self.quarter,
            "grade": self.grade,
            "approved_on": self.approved_on.isoformat() if self.approved_on else None,
        }


@dataclass(frozen=True)
class SanctionView:
    staff: str
    name: str
    track: str
    effect: str | None
    assessments: tuple[Ref, ...]

    @property
    def labels(self) -> str:
        return ", ".join(r.label for r in self.assessments)

    def to_dict(self) -> dict[str, Any]:
        return {
            "staff": self.staff,
            "name": self.name,
            "track": self.track,
            "effect": self.effect,
            "assessments": [r.to_dict() for r in self.assessments],
        }


@dataclass(frozen=True)
class _Approved:
    at: dt.datetime
    ref: Ref
    lead: str
    engineers: tuple[str, ...]


def _approved(
    session: Session, track: str | None = None, people: list[str] | None = None
) -> list[_Approved]:
    """Every GM-approved assessment (of ``track``), in approval order, with its team; with
    ``people``, only those whose stored result names one of them as a team member, found by
    the database (a sanction counts a person's own assessments only), so that setting a team
    does not parse every approved result of the ledger."""
    query = (
        select(Assessment, Project.code)
        .join(Project, col(Project.id) == col(Assessment.project_id))
        .where(Assessment.status == "approved")
        .order_by(col(Assessment.gm_approved_at), col(Assessment.id))
    )
    if track is not None:
        query = query.where(Assessment.track == track)
    if people is not None:
        # the result is JSON text: a team member appears as "staff": "CODE" (json.dumps's
        # default separators, as approve writes it) or "staff":"CODE" (compact)
        named = [
            col(Assessment.result).contains(f'"staff":{gap}{quoted}', autoescape=True)
            for quoted in (json.dumps(code, ensure_ascii=False) for code in people)
            for gap in (" ", "")
        ]
        query = query.where(or_(*named)) if named else query.where(false())
    out: list[_Approved] = []
    for a, code in session.exec(query):
        doc = json.loads(a.result or "{}").get("doc", {})
        team = doc.get("team") or {}
        lead = (team.get("lead") or {}).get("staff", "")
        engineers = tuple(e["staff"] for e in team.get("engineers", ()))
        ref = Ref(code, a.track, a.period or None, doc.get("grade") or "", a.gm_approved_on)
        out.append(_Approved(a.gm_approved_at, ref, lead, engineers))  # type: ignore[arg-type]
    return out


def _latest_lift(session: Session, staff_id: int, track: str) -> dt.datetime | None:
    return session.exec(
        select(SanctionLift.lifted_at)
        .where(SanctionLift.staff_id == staff_id, SanctionLift.track == track)
        .order_by(col(SanctionLift.lifted_at).desc())
        .limit(1)
    ).first()


def _counts(entry: _Approved, staff: str, lead_only: bool) -> bool:
    if lead_only:
        return entry.lead == staff
    return staff == entry.lead or staff in entry.engineers


def sanction_of(
    session: Session,
    policy: Policy,
    person: Staff,
    track: str,
    approved: list[_Approved] | None = None,
) -> tuple[Ref, ...] | None:
    """The three (policy: ``consecutive``) assessments behind a sanction, or None."""
    entries = approved if approved is not None else _approved(session, track)
    lifted = _latest_lift(session, person.id or 0, track)
    history = [
        (e.ref, e.ref.grade)
        for e in entries
        if e.ref.track == track
        and _counts(e, person.code, policy.sanction_covers_lead_only(track))
        and (lifted is None or e.at > lifted)
    ]
    refs = sanction(policy, track, history)
    return tuple(refs) if refs else None


def check_team(
    session: Session, policy: Policy, track: str, lead: Staff, engineers: list[Staff]
) -> None:
    """Refuse a team with a person under a sanction for ``track`` (where the sanction bars
    the lead only, implementation's, only the lead is checked)."""
    people = [lead] if policy.sanction_covers_lead_only(track) else [lead, *engineers]
    approved = _approved(session, track, [p.code for p in people])
    for person in people:
        refs = sanction_of(session, policy, person, track, approved)
        if refs:
            effect = sanction_effect(policy, track)
            raise Refused(
                "Sanctioned",
                staff=person.code,
                name=person.name,
                track=track,
                effect=Term("word", "sanction.effect", effect) if effect else track,
                assessments=", ".join(r.label for r in refs),
            )


def list_sanctions(ledger: Ledger, policy: Policy) -> list[SanctionView]:
    """Everyone under a sanction now, per track."""
    with ledger.read() as session:
        people = {s.code: s for s in session.exec(select(Staff).order_by(Staff.code))}
        out: list[SanctionView] = []
        for track in policy.tracks:
            approved = _approved(session, track)
            involved = {e.lead for e in approved} | {x for e in approved for x in e.engineers}
            for code in sorted(involved):
                person = people.get(code)
                if person is None:
                    continue
                refs = sanction_of(session, policy, person, track, approved)
                if refs:
                    out.append(
                        SanctionView(
                            person.code,
                            person.name,
                            track,
                            sanction_effect(policy, track),
                            refs,
                        )
                    )
        return sorted(out, key=lambda v: (v.staff, v.track))


def lift_sanction(
    ledger: Ledger, actor_code: str | None, policy: Policy, staff: str, track: str, reason: str
) -> SanctionView:
    """The technical director lifts a person's sanction on a track, with a reason."""
    policy.track(track)
    if not reason.strip():
        raise Invalid("ReasonEmpty", field="--reason")
    with ledger.write() as session:
        actor = actors.resolve(session, actor_code)
        permissions.check(actor, "staff.lift-sanction")
        person = find_staff(session, staff)
        refs = sanction_of(session, policy, person, track)
        if not refs:
            raise Refused("NotSanctioned", staff=staff, track=track)
        session.add(
            SanctionLift(
                staff_id=person.id,  # type: ignore[arg-type]
                track=track,
                lifted_at=moment(),
                lifted_by=actor.code,
                reason=reason.strip(),
            )
        )
        view = SanctionView(person.code, person.name, track, sanction_effect(policy, track), refs)
        audit.record(
            session,
            actor.code,
            "sanction.lift",
            "sanction",
            f"{staff}/{track}",
            before=view.to_dict(),
            after={"lifted": True, "reason": reason.strip()},
        )
        return view


__all__ = ["Ref", "SanctionView", "check_team", "lift_sanction", "list_sanctions", "moment"]
