"""What the live meeting console works from: one read of an assessment — its bound policy,
facts, team and the points recorded so far — after which every keystroke is recomputed by the
pure rules engine in memory. Saving goes through ``assessment.record_scores``, the service of
``techdept score`` (same rules, roles and audit); nothing here writes."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session

from techdept.ledger.engine import Ledger
from techdept.ledger.models import Assessment, Project
from techdept.rules import Facts, Policy, TeamSpec, decimal_str, require_facts
from techdept.services.assessment.base import (
    OPEN,
    find_assessment,
    period_of,
    points_of,
    policy_of,
    quarterly,
)
from techdept.services.assessment.document import context, doc_of


@dataclass(frozen=True)
class Recorded:
    """One recorded point of a scorer's sheet, as entered (objective items entered without a
    reason follow the facts and are not listed)."""

    points: str
    reason: str | None


@dataclass(frozen=True)
class MeetingSheet:
    """An assessment as the console shows it: a snapshot, never re-read per keystroke."""

    code: str
    track: str
    quarter: str | None
    status: str
    policy: Policy
    facts: Facts
    team: TeamSpec | None
    names: dict[str, str]
    doc: dict[str, Any]
    recorded: dict[str, dict[str, Recorded]]

    @property
    def editable(self) -> bool:
        return self.status == OPEN

    @property
    def scorers(self) -> tuple[str, ...]:
        return tuple(self.doc["required_scorers"])

    @property
    def items(self) -> list[dict[str, Any]]:
        return list(self.doc["items"])


def _with_records(session: Session, a: Assessment, project: Project) -> Assessment:
    """An open after-sales assessment as ``score`` will see it when it saves: its facts
    refreshed from the records (the quarter's recorded budget and actual where none were typed,
    the ticket figures, the archiving points). Read only: a detached copy, nothing written."""
    if not quarterly(a) or a.status != OPEN:
        return a
    from techdept.services import aftersales

    stored = json.loads(a.facts)
    fresh = aftersales.assessment_records(
        session, policy_of(session, a), project, a.period, stored, set()
    )
    if fresh == stored:
        return a
    return Assessment.model_validate(a.model_dump() | {"facts": json.dumps(fresh, sort_keys=True)})


def meeting_sheet(ledger: Ledger, code: str, track: str, quarter: str | None) -> MeetingSheet:
    """Read an assessment once for the meeting console. An open assessment must have the facts
    of its objective items (as for ``score``, after the same refresh from the records); an
    approved one is shown read-only."""
    period = period_of(track, quarter)
    with ledger.read() as session:
        a, project = find_assessment(session, code, track, period)
        a = _with_records(session, a, project)
        ctx = context(session, a, project)
        if a.status == OPEN:
            require_facts(ctx.policy, track, ctx.facts)
        doc = doc_of(session, ctx).to_json()  # the console reads the JSON shape
        objective = set(ctx.evaluation.objective)
        recorded: dict[str, dict[str, Recorded]] = {}
        for row in ctx.rows:
            if row.item in objective and not row.reason:
                continue
            recorded.setdefault(row.scorer, {})[row.item] = Recorded(
                decimal_str(points_of(row.points_tenths)), row.reason
            )
        names: dict[str, str] = {}
        if ctx.team:
            names[ctx.team.lead] = ctx.team.lead_name
            names.update({m.staff: m.name for m in ctx.team.engineers})
        return MeetingSheet(
            code=project.code,
            track=track,
            quarter=period or None,
            status=a.status,
            policy=ctx.policy,
            facts=ctx.facts,
            team=ctx.team.spec() if ctx.team else None,
            names=names,
            doc=doc,
            recorded=recorded,
        )


__all__ = ["MeetingSheet", "Recorded", "meeting_sheet"]
