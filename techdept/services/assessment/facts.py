"""The sheet's facts: those typed at ``assess open``/``assess set``, those taken from the records
(internal acceptance, the after-sales quarter), and the rules' ``Facts`` built from them.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass, fields
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from techdept.errors import Refused
from techdept.ledger import audit
from techdept.rules import (
    FACTS_BY_KIND,
    Facts,
    FlagNotAllowed,
    Policy,
    aftersales_slices,
)
from techdept.services.assessment.base import OPEN, key_of, policy_of, quarterly, reached
from techdept.services.teams import exact

if TYPE_CHECKING:
    from sqlmodel import Session

    from techdept.ledger.models import Assessment, Project

# Facts of the sheet, with the command-line option that gives each.
FACT_OPTIONS = {
    "planned_days": "--planned-days",
    "actual_days": "--actual-days",
    "budget": "--budget",
    "actual_cost": "--actual-cost",
    "ia_deducted": "--ia-deducted",
    "ia_late_days": "--ia-late-days",
    "complaint": "--complaint",
    "poor_evaluation": "--poor-evaluation",
}


@dataclass(frozen=True)
class FactsGiven:
    """The facts typed at ``assess open``/``assess set`` (money in fen); None = not given."""

    planned_days: int | None = None
    actual_days: int | None = None
    budget: int | None = None
    actual_cost: int | None = None
    ia_deducted: Decimal | None = None
    ia_late_days: int | None = None
    complaint: bool | None = None
    poor_evaluation: bool | None = None

    def given(self) -> dict[str, Any]:
        return {
            f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name) is not None
        }


def _applicable(policy: Policy, track: str) -> set[str]:
    """The sheet facts a track uses: those of its objective items, and its veto flags."""
    tp = policy.track(track)
    names: set[str] = set()
    for item in tp.items:
        if item.is_objective and item.kind != "archiving":
            names.update(FACTS_BY_KIND.get(item.kind, ()))
    return names | set(tp.flags)


def check_given(policy: Policy, track: str, given: FactsGiven) -> None:
    tp = policy.track(track)
    allowed = _applicable(policy, track)
    for name, value in given.given().items():
        if name in ("complaint", "poor_evaluation"):
            if value and name not in tp.flags:
                raise FlagNotAllowed(name, track, tp.flags)
            continue
        if name not in allowed:
            raise Refused("FactNotApplicable", option=FACT_OPTIONS[name], track=track)


def typed_names(given: FactsGiven) -> frozenset[str]:
    return frozenset(given.given())


def stored_facts(given: FactsGiven, earlier: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The facts as stored (JSON): ints, fen, exact decimal text, booleans."""
    out: dict[str, Any] = dict(earlier or {})
    for name, value in given.given().items():
        out[name] = exact(value) if isinstance(value, Decimal) else value
    out.setdefault("complaint", False)
    out.setdefault("poor_evaluation", False)
    return out


def refresh_records(
    session: Any,
    actor: str,
    a: Assessment,
    project: Project,
    typed: frozenset[str] = frozenset(),
    *,
    opening: bool = False,
) -> Any:
    """While an after-sales assessment is open, take the quarter's recorded budget and actual
    (where none were typed) and its ticket figures and archiving points from the records.

    ``session`` is an ORM Session (``a`` an ORM object, changed in place) or a Core Connection
    (``a`` a row: the row is updated through Core). Returns the assessment as it now is: ``a``
    itself, or the row read again after the update."""
    if not quarterly(a) or a.status != OPEN:
        return a
    from techdept.services import aftersales

    orm = hasattr(a, "_sa_instance_state")
    if orm:
        reader = session
    else:  # the after-sales records are read through the ORM, on the same connection
        from sqlmodel import Session as OrmSession

        reader = OrmSession(bind=session)
    stored = json.loads(a.facts)
    fresh = aftersales.assessment_records(
        reader, policy_of(session, a), project, a.period, stored, set(typed)
    )
    if fresh == stored:
        return a
    if orm:
        a.facts = json.dumps(fresh, sort_keys=True)
        session.add(a)
        session.flush()
    else:
        from sqlalchemy import select, update

        from techdept.ledger.tables import assessment

        session.execute(
            update(assessment)
            .where(assessment.c.id == a.id)
            .values(facts=json.dumps(fresh, sort_keys=True))
        )
        a = session.execute(select(assessment).where(assessment.c.id == a.id)).one()
    if not opening:
        audit.record(
            session,
            actor,
            "assessment.records",
            "assessment",
            key_of(project.code, a.track, a.period),
            before=stored,
            after=fresh,
            project=project.code,
        )
    return a


def rule_i_facts_and_source(
    session: Session, policy: Policy, project: Project, given: FactsGiven
) -> tuple[Decimal, int, str]:
    """Rule I's facts (points deducted, days late) and where they come from — the one place
    that supplies them.

    A project entered at or beyond ``aftersales.handover`` has its internal acceptance behind
    it, before techdept: the facts come from the command line. Otherwise they come from the
    company's internal acceptance recorded with ``project accept --event internal``, which must
    have passed."""
    from techdept.services import lifecycle

    typed = given.ia_deducted is not None or given.ia_late_days is not None
    if reached(project.adopted_stage, "aftersales.handover"):
        if given.ia_deducted is None or given.ia_late_days is None:
            raise Refused("InternalAcceptanceFacts", code=project.code)
        return given.ia_deducted, given.ia_late_days, "command-line"
    recorded = lifecycle.recorded_internal_acceptance(
        session, project, due_days=policy.internal_acceptance.due_days
    )
    passed = lifecycle.internal_acceptance_passed(session, project)
    if recorded is None or not passed:
        raise Refused("InternalAcceptanceNotPassed", code=project.code)
    if typed:
        raise Refused("InternalAcceptanceRecorded", code=project.code)
    return recorded[0], recorded[1], "records"


def slice_of(
    policy: Policy,
    contract: int | None,
    start: Any,
    months: Any,
    period: str,
    mode: str | None = None,
) -> int | None:
    if contract is None or not start or not months:
        return None
    start_day = start if isinstance(start, dt.date) else dt.date.fromisoformat(start)
    slices = aftersales_slices(policy, contract, start_day, int(months), mode).value
    return next((int(s.amount) for s in slices if s.quarter == period), None)


def project_facts(policy: Policy, project: Project, assessment: Assessment) -> dict[str, Any]:
    """The project's facts the sheet uses, frozen into the facts at the director's approval."""
    slice_fen = None
    if policy.track(assessment.track).sliced:
        slice_fen = slice_of(
            policy,
            project.contract_fen,
            project.service_start,
            project.service_months,
            assessment.period,
            project.aftersales_slices,
        )
    return {
        "contract_fen": project.contract_fen,
        "complexity": project.complexity,
        "difficulty": project.difficulty,
        "risk": project.risk,
        "service_start": project.service_start.isoformat() if project.service_start else None,
        "service_months": project.service_months,
        "slice_fen": slice_fen,
    }


def facts_of(policy: Policy, project: Project, assessment: Assessment) -> tuple[Facts, dict]:
    """The rules' Facts of an assessment, and the project facts they came from."""
    stored = json.loads(assessment.facts)
    proj = stored.get("project") or project_facts(policy, project, assessment)
    deducted = stored.get("ia_deducted")
    facts = Facts(
        contract=proj["contract_fen"],
        complexity=proj["complexity"],
        difficulty=proj["difficulty"],
        risk=proj["risk"],
        planned_days=stored.get("planned_days"),
        actual_days=stored.get("actual_days"),
        budget=stored.get("budget"),
        actual_cost=stored.get("actual_cost"),
        ia_deducted=None if deducted is None else Decimal(deducted),
        ia_late_days=stored.get("ia_late_days"),
        complaint=bool(stored.get("complaint")),
        poor_evaluation=bool(stored.get("poor_evaluation")),
        slice_amount=proj["slice_fen"] if policy.track(assessment.track).sliced else None,
        archiving_points=(
            Decimal(stored["archiving_points"]) if stored.get("archiving_points") else None
        ),
    )
    return facts, proj


def facts_to_dict(facts: Facts) -> dict[str, Any]:
    """Facts as stored with a result (exact, JSON-able)."""
    out: dict[str, Any] = {}
    for f in fields(facts):
        value = getattr(facts, f.name)
        out[f.name] = exact(value) if isinstance(value, Decimal) else value
    return out


def facts_from_dict(data: Mapping[str, Any]) -> Facts:
    decimals = ("ia_deducted", "archiving_points")
    return Facts(
        **{
            k: (Decimal(v) if k in decimals and v is not None else v)
            for k, v in data.items()
            if k in {f.name for f in fields(Facts)}
        }
    )
