"""The assessment's identity and small helpers: its tracks and statuses, its period, key and
label, the policy it is bound to, finding it, and whether it may still change.
"""

from __future__ import annotations

import hashlib
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select

from techdept import clock
from techdept.errors import Invalid, NotFound, Refused
from techdept.ledger import tables
from techdept.rules import (
    Policy,
    decimal_str,
    fen_str,
    load_policy,
    load_policy_bytes,
    parse_quarter,
)
from techdept.rules.domain import domain
from techdept.services.projects import find as find_project
from techdept.services.projects import find_row as find_project_row

if TYPE_CHECKING:
    from sqlmodel import Session

    from techdept.ledger.models import Assessment, Project

# Reads go through the Core tables (on a Connection or a Session), so ``score`` and
# ``assess show`` never import the ORM; the ORM objects are loaded where they are changed.

OPEN, DIRECTOR_APPROVED, APPROVED = "open", "director-approved", "approved"


@lru_cache(maxsize=1)
def shipped_policy() -> Policy:
    """The shipped policy: its tracks say which are assessed per quarter where no other
    policy is at hand (finding an assessment by its track and quarter)."""
    return load_policy()


def quarterly(assessment: Any) -> bool:
    """True for an assessment of the sliced track: only those have a period (the quarter)."""
    return bool(assessment.period)


def fen_or_none(value: int | None) -> str | None:
    return None if value is None else fen_str(value)


def num_or_none(value: Decimal | None) -> str | None:
    return None if value is None else decimal_str(value)


def points_of(tenths: int) -> Decimal:
    return Decimal(tenths) / Decimal(10)


def tenths_of(points: Decimal) -> int:
    scaled = points * 10
    if scaled != scaled.to_integral_value():
        raise Invalid("PointsTenths", value=str(points))
    return int(scaled)


def period_of(track: str, quarter: str | None, policy: Policy | None = None) -> str:
    """The assessment's period: the quarter for the policy's sliced track (after-sales), ""
    for the other tracks. ``policy``: the one the assessment is opened with (the shipped one
    by default)."""
    policy = policy or shipped_policy()
    if track not in policy.tracks:
        allowed = ", ".join(policy.tracks)
        raise Invalid("ChoiceInvalid", field="--track", value=track, allowed=allowed)
    if policy.tracks[track].sliced:
        if not quarter:
            raise Invalid("AftersalesQuarterRequired", track=track)
        return parse_quarter(quarter)
    if quarter:
        raise Invalid("QuarterNotForTrack", track=track)
    return ""


def key_of(code: str, track: str, period: str) -> str:
    return f"{code}/{track}" + (f"/{period}" if period else "")


def label_of(code: str, track: str, period: str) -> str:
    return f"{code} {track}" + (f" {period}" if period else "")


@lru_cache(maxsize=32)
def policy_from(content: str, digest: str) -> Policy:
    return load_policy_bytes(content.encode("utf-8"), origin=f"<stored policy {digest[:12]}>")


def policy_of(db: Any, assessment: Any) -> Policy:
    """The policy an assessment was opened with, from its stored snapshot."""
    snapshot = tables.policy_snapshot
    snap = db.execute(
        select(snapshot.c.hash, snapshot.c.content).where(snapshot.c.hash == assessment.policy_hash)
    ).first()
    if snap is None:  # the foreign key makes this impossible in a sound ledger
        raise NotFound("PolicySnapshotMissing", hash=assessment.policy_hash)
    return policy_from(snap.content, snap.hash)


def bind_snapshot(session: Session, policy: Policy) -> Policy:
    """Store the active policy file's exact text (once per hash); return it as loaded."""
    data = Path(policy.path).read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    bound = policy if digest == policy.hash else load_policy_bytes(data, policy.path)
    from techdept.ledger.models import PolicySnapshot

    if session.get(PolicySnapshot, digest) is None:
        session.add(
            PolicySnapshot(
                hash=digest,
                policy_id=bound.id,
                content=data.decode("utf-8"),
                stored_at=clock.now(),
            )
        )
        session.flush()
    return bound


def find_assessment(
    session: Session, code: str, track: str, period: str
) -> tuple[Assessment, Project]:
    """The assessment and its project as ORM objects (for a change to them)."""
    from sqlmodel import select

    from techdept.ledger.models import Assessment

    project = find_project(session, code)
    assessment = session.exec(
        select(Assessment).where(
            Assessment.project_id == project.id,
            Assessment.track == track,
            Assessment.period == period,
        )
    ).first()
    if assessment is None:
        raise NotFound("AssessmentNotFound", what=label_of(code, track, period))
    return assessment, project


def find_assessment_row(db: Any, code: str, track: str, period: str) -> tuple[Any, Any]:
    """``find_assessment`` through Core: the assessment and project rows (no ORM)."""
    project = find_project_row(db, code)
    a = tables.assessment
    assessment = db.execute(
        select(a).where(a.c.project_id == project.id, a.c.track == track, a.c.period == period)
    ).first()
    if assessment is None:
        raise NotFound("AssessmentNotFound", what=label_of(code, track, period))
    return assessment, project


def reached(stage: str, minimum: str) -> bool:
    order = [k for k in domain().stage_keys if k != "presales.lost"]
    if stage not in order or minimum not in order:
        return False
    return order.index(stage) >= order.index(minimum)


def staff_names(db: Any, codes: set[str]) -> dict[str, str]:
    """Code → the name people read: with the code beside it when two people share the name
    (``staff add --same-name-ok``)."""
    if not codes:
        return {}
    staff = tables.staff
    rows = db.execute(
        select(staff.c.code, staff.c.name).where(staff.c.code.in_(sorted(codes)))
    ).all()
    shared = set(
        db.execute(
            select(staff.c.name)
            .where(staff.c.name.in_(sorted({name for _, name in rows})))
            .group_by(staff.c.name)
            .having(func.count() > 1)
        ).scalars()
    )
    return {code: f"{name}（{code}）" if name in shared else name for code, name in rows}


def editable(a: Any, code: str, track: str) -> None:
    if a.status == APPROVED:
        raise Refused("AssessmentLocked", what=label_of(code, track, a.period))
    if a.status == DIRECTOR_APPROVED:
        raise Refused("AssessmentFrozen", what=label_of(code, track, a.period))
