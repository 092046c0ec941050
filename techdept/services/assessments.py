"""The review meeting: open an assessment with the sheet's facts, record scores, approve
(director, then GM), reopen, show the sheet, list, history, and recheck approved results.

An assessment is bound when it is opened to the policy then active (its id, its hash and the
file's exact text in ``policy_snapshot``) and uses that policy to the end. At the GM's approval
the inputs, every result and the explanation are stored, so a later change of the policy or of
the project never alters an approved assessment; ``sheet`` rebuilds its document from them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, fields
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlmodel import Session, col, delete, func, select, update

from techdept import clock
from techdept.errors import Invalid, NotFound, Refused, TechdeptError
from techdept.ledger import audit
from techdept.ledger.engine import Ledger
from techdept.ledger.models import (
    Assessment,
    AssessmentVersion,
    Entitlement,
    PayoutLine,
    PolicySnapshot,
    Project,
    Score,
    Staff,
    Team,
    TeamMember,
)
from techdept.rules import (
    FACTS_BY_KIND,
    Evaluation,
    Facts,
    FlagNotAllowed,
    Policy,
    ScorerNotRequired,
    Step,
    TeamSpec,
    aftersales_slices,
    decimal_str,
    evaluate,
    fen_str,
    load_policy_bytes,
    objective_points,
    parse_quarter,
    require_facts,
    validate_points,
)
from techdept.rules.domain import domain
from techdept.services import actors, permissions
from techdept.services.projects import find as find_project
from techdept.services.sanctions import moment
from techdept.services.teams import TeamView, exact, team_of

TRACKS = ("presales", "implementation", "aftersales")
SLICED = "aftersales"
OPEN, DIRECTOR_APPROVED, APPROVED = "open", "director-approved", "approved"
# The stage a project must have reached before a track can be assessed.
FIRST_STAGE = {
    "presales": "implementation.preparation",
    "implementation": "implementation.acceptance",
    "aftersales": "aftersales.handover",
}
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


# ---------------------------------------------------------------- small helpers


def _fen(value: int | None) -> str | None:
    return None if value is None else fen_str(value)


def _num(value: Decimal | None) -> str | None:
    return None if value is None else decimal_str(value)


def _points(tenths: int) -> Decimal:
    return Decimal(tenths) / Decimal(10)


def _tenths(points: Decimal) -> int:
    scaled = points * 10
    if scaled != scaled.to_integral_value():
        raise Invalid("PointsTenths", value=str(points))
    return int(scaled)


def period_of(track: str, quarter: str | None) -> str:
    """The assessment's period: the quarter for after-sales, "" for the other tracks."""
    if track not in TRACKS:
        raise Invalid("ChoiceInvalid", field="--track", value=track, allowed=", ".join(TRACKS))
    if track == SLICED:
        if not quarter:
            raise Invalid("AftersalesQuarterRequired", track=track)
        return parse_quarter(quarter)
    if quarter:
        raise Invalid("QuarterNotForTrack", track=track)
    return ""


def _key(code: str, track: str, period: str) -> str:
    return f"{code}/{track}" + (f"/{period}" if period else "")


def _label(code: str, track: str, period: str) -> str:
    return f"{code} {track}" + (f" {period}" if period else "")


@lru_cache(maxsize=32)
def _policy_from(content: str, digest: str) -> Policy:
    return load_policy_bytes(content.encode("utf-8"), origin=f"<stored policy {digest[:12]}>")


def policy_of(session: Session, assessment: Assessment) -> Policy:
    """The policy an assessment was opened with, from its stored snapshot."""
    snap = session.get(PolicySnapshot, assessment.policy_hash)
    if snap is None:  # the foreign key makes this impossible in a sound ledger
        raise NotFound("PolicySnapshotMissing", hash=assessment.policy_hash)
    return _policy_from(snap.content, snap.hash)


def _snapshot(session: Session, policy: Policy) -> Policy:
    """Store the active policy file's exact text (once per hash); return it as loaded."""
    data = Path(policy.path).read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    bound = policy if digest == policy.hash else load_policy_bytes(data, policy.path)
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


def _find(session: Session, code: str, track: str, period: str) -> tuple[Assessment, Project]:
    project = find_project(session, code)
    assessment = session.exec(
        select(Assessment).where(
            Assessment.project_id == project.id,
            Assessment.track == track,
            Assessment.period == period,
        )
    ).first()
    if assessment is None:
        raise NotFound("AssessmentNotFound", what=_label(code, track, period))
    return assessment, project


def _reached(stage: str, minimum: str) -> bool:
    order = [k for k in domain().stage_keys if k != "presales.lost"]
    if stage not in order or minimum not in order:
        return False
    return order.index(stage) >= order.index(minimum)


def _staff_names(session: Session, codes: set[str]) -> dict[str, str]:
    """Code → the name people read: with the code beside it when two people share the name
    (``staff add --same-name-ok``)."""
    if not codes:
        return {}
    rows = session.exec(select(Staff.code, Staff.name).where(col(Staff.code).in_(codes))).all()
    shared = set(
        session.exec(
            select(Staff.name)
            .where(col(Staff.name).in_({name for _, name in rows}))
            .group_by(Staff.name)
            .having(func.count() > 1)
        )
    )
    return {code: f"{name}（{code}）" if name in shared else name for code, name in rows}


# ---------------------------------------------------------------- facts


def _applicable(policy: Policy, track: str) -> set[str]:
    """The sheet facts a track uses: those of its objective items, and its veto flags."""
    tp = policy.track(track)
    names: set[str] = set()
    for item in tp.items:
        if item.is_objective and item.kind != "archiving":
            names.update(FACTS_BY_KIND.get(item.kind, ()))
    return names | set(tp.flags)


def _check_given(policy: Policy, track: str, given: FactsGiven) -> None:
    tp = policy.track(track)
    allowed = _applicable(policy, track)
    for name, value in given.given().items():
        if name in ("complaint", "poor_evaluation"):
            if value and name not in tp.flags:
                raise FlagNotAllowed(name, track, tp.flags)
            continue
        if name not in allowed:
            raise Refused("FactNotApplicable", option=FACT_OPTIONS[name], track=track)


def _typed(given: FactsGiven) -> frozenset[str]:
    return frozenset(given.given())


def _stored_facts(given: FactsGiven, earlier: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The facts as stored (JSON): ints, fen, exact decimal text, booleans."""
    out: dict[str, Any] = dict(earlier or {})
    for name, value in given.given().items():
        out[name] = exact(value) if isinstance(value, Decimal) else value
    out.setdefault("complaint", False)
    out.setdefault("poor_evaluation", False)
    return out


def _refresh_records(
    session: Session,
    actor: str,
    a: Assessment,
    project: Project,
    typed: frozenset[str] = frozenset(),
    *,
    opening: bool = False,
) -> None:
    """While an after-sales assessment is open, take the quarter's recorded budget and actual
    (where none were typed) and its ticket figures and archiving points from the records."""
    if a.track != SLICED or a.status != OPEN:
        return
    from techdept.services import aftersales

    stored = json.loads(a.facts)
    fresh = aftersales.assessment_records(
        session, policy_of(session, a), project, a.period, stored, set(typed)
    )
    if fresh == stored:
        return
    a.facts = json.dumps(fresh, sort_keys=True)
    session.add(a)
    session.flush()
    if not opening:
        audit.record(
            session,
            actor,
            "assessment.records",
            "assessment",
            _key(project.code, a.track, a.period),
            before=stored,
            after=fresh,
            project=project.code,
        )


def internal_acceptance_facts(
    session: Session, policy: Policy, project: Project, given: FactsGiven
) -> tuple[Decimal, int, str]:
    """Rule I's facts (points deducted, days late) and where they come from — the one place
    that supplies them.

    A project entered at or beyond ``aftersales.handover`` has its internal acceptance behind
    it, before techdept: the facts come from the command line. Otherwise they come from the
    company's internal acceptance recorded with ``project accept --event internal``, which must
    have passed."""
    typed = given.ia_deducted is not None or given.ia_late_days is not None
    if _reached(project.adopted_stage, "aftersales.handover"):
        if given.ia_deducted is None or given.ia_late_days is None:
            raise Refused("InternalAcceptanceFacts", code=project.code)
        return given.ia_deducted, given.ia_late_days, "command-line"
    recorded = passed = None
    try:
        from techdept.services import lifecycle

        recorded = lifecycle.internal_acceptance_facts(
            session, project, due_days=policy.internal_acceptance.due_days
        )
        passed = lifecycle.internal_acceptance_passed(session, project)
    except (ImportError, AttributeError):  # pragma: no cover - without the lifecycle records
        pass
    if recorded is None or not passed:
        raise Refused("InternalAcceptanceNotPassed", code=project.code)
    if typed:
        raise Refused("InternalAcceptanceRecorded", code=project.code)
    return recorded[0], recorded[1], "records"


def _slice(
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


def _project_facts(policy: Policy, project: Project, assessment: Assessment) -> dict[str, Any]:
    """The project's facts the sheet uses, frozen into the facts at the director's approval."""
    slice_fen = None
    if assessment.track == SLICED:
        slice_fen = _slice(
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


def _facts(policy: Policy, project: Project, assessment: Assessment) -> tuple[Facts, dict]:
    """The rules' Facts of an assessment, and the project facts they came from."""
    stored = json.loads(assessment.facts)
    proj = stored.get("project") or _project_facts(policy, project, assessment)
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
        slice_amount=proj["slice_fen"] if assessment.track == SLICED else None,
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


# ---------------------------------------------------------------- evaluation and the sheet


@dataclass
class _Context:
    assessment: Assessment
    project: Project
    policy: Policy
    facts: Facts
    project_facts: dict[str, Any]
    team: TeamView | None
    rows: list[Score]
    scores: dict[str, dict[str, Decimal]]
    evaluation: Evaluation


def _score_rows(session: Session, assessment: Assessment) -> list[Score]:
    return list(
        session.exec(
            select(Score)
            .where(Score.assessment_id == assessment.id)
            .order_by(col(Score.scorer), col(Score.item))
        )
    )


def _scores(rows: list[Score], objective: Mapping[str, Decimal]) -> dict[str, dict[str, Decimal]]:
    """Scores as the rules take them. An objective item entered without a reason means
    "the computed value" and follows the facts, so it is left for the rules to fill in."""
    out: dict[str, dict[str, Decimal]] = {}
    for row in rows:
        sheet = out.setdefault(row.scorer, {})
        if row.item in objective and not row.reason:
            continue
        sheet[row.item] = _points(row.points_tenths)
    return out


def _context(session: Session, assessment: Assessment, project: Project) -> _Context:
    policy = policy_of(session, assessment)
    facts, proj = _facts(policy, project, assessment)
    team = team_of(session, project, assessment.track)
    rows = _score_rows(session, assessment)
    objective = {k: v.value for k, v in objective_points(policy, assessment.track, facts).items()}
    scores = _scores(rows, objective)
    spec = team.spec() if team else None
    ev = evaluate(policy, assessment.track, facts, scores, spec)
    return _Context(assessment, project, policy, facts, proj, team, rows, scores, ev)


def _approval(by: str | None, on: dt.date | None, names: Mapping[str, str]) -> dict | None:
    if by is None:
        return None
    return {"by": by, "name": names.get(by, by), "on": on.isoformat() if on else None}


def _doc(session: Session, ctx: _Context) -> dict[str, Any]:
    """The assessment sheet as the JSON document of ``assess show --json``."""
    a, p, policy, ev = ctx.assessment, ctx.project, ctx.policy, ctx.evaluation
    tp = policy.track(a.track)
    stored = json.loads(a.facts)
    proj = ctx.project_facts
    facts: dict[str, Any] = {
        "contract": _fen(proj["contract_fen"]),
        "complexity": proj["complexity"],
        "difficulty": proj["difficulty"],
        "risk": proj["risk"],
        "planned_days": stored.get("planned_days"),
        "actual_days": stored.get("actual_days"),
        "budget": _fen(stored.get("budget")),
        "actual_cost": _fen(stored.get("actual_cost")),
        "ia_deducted": stored.get("ia_deducted"),
        "ia_late_days": stored.get("ia_late_days"),
        "complaint": bool(stored.get("complaint")),
        "poor_evaluation": bool(stored.get("poor_evaluation")),
        "source": a.facts_source,
    }
    if a.track == SLICED:
        facts |= {
            "archiving_points": stored.get("archiving_points"),
            "tickets": stored.get("tickets"),
            "sources": stored.get("sources") or {},
        }
        facts |= {
            "service_start": proj["service_start"],
            "service_months": proj["service_months"],
            "slice": _fen(proj["slice_fen"]),
        }
    items = [
        {
            "key": item.key,
            "label": dict(item.label),
            "max": decimal_str(item.max),
            "objective": item.objective == "always" or item.key in ev.objective,
            "computed": _num(ev.objective.get(item.key)),
            "inferred": item.inferred,
            "bands": [{"points": b.points, **b.text} for b in item.bands],
        }
        for item in tp.items
    ]
    scorers: dict[str, dict[str, str | None]] = {}
    for scorer in tp.scorers:
        sheet = ev.sheets.get(scorer, {})
        row: dict[str, str | None] = {item: _num(sheet.get(item)) for item in tp.item_keys}
        full = scorer in ev.sheets and scorer not in ev.missing_scores
        row["total"] = _num(ev.totals.get(scorer)) if full else None
        scorers[scorer] = row
    reasons = [
        {
            "scorer": r.scorer,
            "item": r.item,
            "points": decimal_str(_points(r.points_tenths)),
            "reason": r.reason,
        }
        for r in ctx.rows
        if r.reason
    ]
    entered = {r.scorer: r.entered_by for r in ctx.rows}  # who entered each scorer's sheet
    people = {x for x in (a.director_approved_by, a.gm_approved_by) if x} | set(entered.values())
    if ctx.team:
        people |= {ctx.team.lead, *(m.staff for m in ctx.team.engineers)}
    names = _staff_names(session, people)
    director = a.director_approved_by
    return {
        "project": p.code,
        "project_name": p.name,
        "customer": p.customer,
        "track": a.track,
        "quarter": a.period or None,
        "sheet": dict(tp.sheet),
        "inferred": tp.inferred,
        "policy": {"id": a.policy_id, "hash": a.policy_hash},
        "positions": {"lead": tp.lead_role, "engineer": tp.engineer_role},
        "status": a.status,
        "version": a.version,
        "facts": facts,
        "team": ctx.team.to_dict() if ctx.team else None,
        "items": items,
        "required_scorers": list(tp.scorers),
        "scorers": scorers,
        "reasons": reasons,
        "entered_by": {
            scorer: {"staff": entered[scorer], "name": names.get(entered[scorer], entered[scorer])}
            for scorer in tp.scorers
            if scorer in entered
        },
        "missing_scores": {s: list(v) for s, v in ev.missing_scores.items()},
        "composite": _num(ev.composite),
        "grade": ev.grade,
        "share": _num(ev.share),
        "base": None if ev.base is None else format(ev.base, "f"),
        "aftersales_total": _fen(ev.aftersales_total),
        "reserved": _fen(ev.reserved),
        "final": _fen(ev.final),
        "vetoed": ev.vetoed,
        "veto_reasons": list(ev.veto_reasons),
        "pool": _fen(ev.pool),
        "director_award": _fen(ev.director_award),
        "director": director,
        "allocations": [
            {
                "staff": x.staff,
                "name": names.get(x.staff, x.staff),
                "role": x.role,
                "amount": fen_str(x.amount),
            }
            for x in ev.allocations
        ],
        "approvals": {
            "director": _approval(director, a.director_approved_on, names),
            "gm": _approval(a.gm_approved_by, a.gm_approved_on, names),
        },
        "tickets": _ticket_evidence(stored.get("tickets")),
    }


TICKET_EVIDENCE = (
    "opened",
    "closed",
    "on_site",
    "median_hours_to_assign",
    "median_hours_to_close",
    "archived_late",
    "archiving_points",
)


def _ticket_evidence(figures: Mapping[str, Any] | None) -> dict[str, str] | None:
    """The quarter's ticket figures as the sheet prints them (the evidence for timeliness)."""
    if not figures:
        return None
    return {k: "—" if figures.get(k) is None else str(figures[k]) for k in TICKET_EVIDENCE}


def _stored_steps(result: Mapping[str, Any]) -> list[Step]:
    return [Step(s["key"], dict(s["inputs"]), s["formula"], s["output"]) for s in result["steps"]]


def _with_explain(doc: dict[str, Any], steps: list[Step] | tuple[Step, ...]) -> dict[str, Any]:
    from techdept.output import steps_doc

    return doc | {"explain": steps_doc(steps)}


def _sheet(session: Session, a: Assessment, project: Project, explain: bool) -> dict[str, Any]:
    if a.status == APPROVED and a.result:
        result = json.loads(a.result)
        doc = dict(result["doc"])
        return _with_explain(doc, _stored_steps(result)) if explain else doc
    ctx = _context(session, a, project)
    doc = _doc(session, ctx)
    return _with_explain(doc, ctx.evaluation.steps) if explain else doc


def sheet(
    ledger: Ledger, code: str, track: str, quarter: str | None, *, explain: bool = False
) -> dict[str, Any]:
    """The assessment sheet (the ``assess show --json`` document); for an approved assessment,
    rebuilt from what was stored at the GM's approval, never recomputed."""
    period = period_of(track, quarter)
    with ledger.read() as session:
        a, project = _find(session, code, track, period)
        return _sheet(session, a, project, explain)


def bound_policy(ledger: Ledger, code: str, track: str, quarter: str | None) -> Policy:
    """The policy an assessment is bound to (the one it was opened with), e.g. for its form."""
    period = period_of(track, quarter)
    with ledger.read() as session:
        a, _ = _find(session, code, track, period)
        return policy_of(session, a)


# ---------------------------------------------------------------- open and set


def _check_preconditions(
    session: Session, policy: Policy, project: Project, track: str, period: str
) -> None:
    tp = policy.track(track)
    if bool(tp.sliced) != (track == SLICED):
        raise Refused("TrackNotSliced", track=track)
    if project.contract_fen is None:
        raise Refused("ContractMissing", code=project.code)
    given = {"complexity": project.complexity, "difficulty": project.difficulty}
    given["risk"] = project.risk
    missing = [f"--{name}" for name in tp.coefficients if not given[name]]
    if missing:
        raise Refused(
            "CoefficientsMissing", code=project.code, track=track, missing=", ".join(missing)
        )
    if not _reached(project.stage, FIRST_STAGE[track]):
        raise Refused(
            "StageNotReached",
            code=project.code,
            track=track,
            stage=project.stage,
            needed=FIRST_STAGE[track],
        )
    if team_of(session, project, track) is None:
        raise Refused("TeamRequired", code=project.code, track=track)
    if tp.sliced:
        if not project.service_start or not project.service_months:
            raise Refused("ServicePeriodMissing", code=project.code)
        if (
            _slice(
                policy,
                project.contract_fen,
                project.service_start,
                project.service_months,
                period,
                project.aftersales_slices,
            )
            is None
        ):
            slices = aftersales_slices(
                policy,
                project.contract_fen,
                project.service_start,
                project.service_months,
                project.aftersales_slices,
            ).value
            raise Refused(
                "QuarterHasNoSlice",
                code=project.code,
                quarter=period,
                first=slices[0].quarter,
                last=slices[-1].quarter,
            )


def open_assessment(
    ledger: Ledger,
    actor_code: str | None,
    policy: Policy,
    code: str,
    track: str,
    quarter: str | None,
    given: FactsGiven,
) -> dict[str, Any]:
    """Open a project's assessment for a track (and quarter), bound to the active policy."""
    period = period_of(track, quarter)
    policy.track(track)
    _check_given(policy, track, given)
    with ledger.write() as session:
        actor = actors.resolve(session, actor_code)
        project = find_project(session, code)
        exists = session.exec(
            select(Assessment.id).where(
                Assessment.project_id == project.id,
                Assessment.track == track,
                Assessment.period == period,
            )
        ).first()
        if exists is not None:
            raise Refused("AssessmentExists", what=_label(code, track, period))
        _check_preconditions(session, policy, project, track, period)
        source = "command-line"
        if track == "implementation":
            deducted, late, source = internal_acceptance_facts(session, policy, project, given)
            given = FactsGiven(**{**given.given(), "ia_deducted": deducted, "ia_late_days": late})
        bound = _snapshot(session, policy)
        a = Assessment(
            project_id=project.id,  # type: ignore[arg-type]
            track=track,
            period=period,
            policy_id=bound.id,
            policy_hash=bound.hash,
            status=OPEN,
            facts=json.dumps(_stored_facts(given), sort_keys=True),
            facts_source=source,
            version=1,
            opened_at=clock.now(),
            opened_by=actor.code,
        )
        session.add(a)
        session.flush()
        _refresh_records(session, actor.code, a, project, _typed(given), opening=True)
        ctx = _context(session, a, project)  # the rules check the facts (FactInvalid …)
        audit.record(
            session,
            actor.code,
            "assessment.open",
            "assessment",
            _key(code, track, period),
            after={"policy": {"id": bound.id, "hash": bound.hash}, "facts": json.loads(a.facts)},
            project=code,
        )
        return _doc(session, ctx)


def _editable(a: Assessment, code: str, track: str) -> None:
    if a.status == APPROVED:
        raise Refused("AssessmentLocked", what=_label(code, track, a.period))
    if a.status == DIRECTOR_APPROVED:
        raise Refused("AssessmentFrozen", what=_label(code, track, a.period))


def set_facts(
    ledger: Ledger,
    actor_code: str | None,
    code: str,
    track: str,
    quarter: str | None,
    given: FactsGiven,
) -> dict[str, Any]:
    """Correct the sheet's facts until the director approves."""
    period = period_of(track, quarter)
    if not given.given():
        raise Invalid("NothingToChange")
    with ledger.write() as session:
        actor = actors.resolve(session, actor_code)
        a, project = _find(session, code, track, period)
        _editable(a, code, track)
        policy = policy_of(session, a)
        _check_given(policy, track, given)
        before = json.loads(a.facts)
        a.facts = json.dumps(_stored_facts(given, before), sort_keys=True)
        session.add(a)
        session.flush()
        _refresh_records(session, actor.code, a, project, _typed(given), opening=True)
        ctx = _context(session, a, project)
        after = json.loads(a.facts)
        if after != before:
            audit.record(
                session,
                actor.code,
                "assessment.set",
                "assessment",
                _key(code, track, period),
                before=before,
                after=after,
                project=code,
            )
        return _doc(session, ctx)


# ---------------------------------------------------------------- scores


@dataclass(frozen=True)
class ScoreForm:
    """What a scorer is asked: the items with their bands, computed values, current points."""

    project: str
    track: str
    quarter: str | None
    scorer: str
    items: tuple[dict[str, Any], ...]
    policy: Policy

    def check(self, item: str, text: str) -> Decimal:
        """The points ``text`` for ``item`` as the rules accept them (or their refusal)."""
        return validate_points(self.policy, self.track, self.scorer, item, text)

    def computed(self, item: str) -> Decimal | None:
        found = next((i["computed"] for i in self.items if i["key"] == item), None)
        return None if found is None else Decimal(found)


def _check_scorer(policy: Policy, track: str, scorer: str) -> None:
    tp = policy.track(track)
    if scorer not in tp.scorers:
        raise ScorerNotRequired(scorer, track, tp.scorers)


def score_form(
    ledger: Ledger, code: str, track: str, quarter: str | None, scorer: str
) -> ScoreForm:
    """The items a scorer fills in (for asking item by item on a terminal)."""
    period = period_of(track, quarter)
    with ledger.read() as session:
        a, project = _find(session, code, track, period)
        _editable(a, code, track)
        ctx = _context(session, a, project)
        _check_scorer(ctx.policy, track, scorer)
        require_facts(ctx.policy, track, ctx.facts)
        doc = _doc(session, ctx)
        current = doc["scorers"].get(scorer, {})
        items = tuple(item | {"current": current.get(item["key"])} for item in doc["items"])
        return ScoreForm(code, track, period or None, scorer, items, ctx.policy)


def _validate_sheet(
    ctx: _Context, scorer: str, entries: list[tuple[str, str]], reason: str | None
) -> list[tuple[str, Decimal, str | None]]:
    """Check one scorer's entries against the sheet; returns (item, points, reason) rows.
    A reason obeys the rules of every free text (no control or bidi characters, at most 200
    characters), whether it came from the command line or a CSV import."""
    from techdept.values import parse_name

    if reason:
        reason = parse_name("--reason", reason)
    policy, track = ctx.policy, ctx.assessment.track
    _check_scorer(policy, track, scorer)
    require_facts(policy, track, ctx.facts)
    computed = {k: v.value for k, v in objective_points(policy, track, ctx.facts).items()}
    rows: list[tuple[str, Decimal, str | None]] = []
    seen: set[str] = set()
    for item, text in entries:
        points = validate_points(policy, track, scorer, item, text)
        if item in seen:
            raise Invalid("ItemTwice", item=item, scorer=scorer)
        seen.add(item)
        _tenths(points)
        if item in computed:
            if points != computed[item]:
                if not reason:
                    raise Refused(
                        "ReasonRequired",
                        item=item,
                        scorer=scorer,
                        value=decimal_str(points),
                        computed=decimal_str(computed[item]),
                    )
                rows.append((item, points, reason))
            else:
                rows.append((item, points, None))
        else:
            rows.append((item, points, reason or None))
    if any(item in computed and why for item, _, why in rows):
        # the reason explains the changed computed points, not the judged items
        rows = [(i, p, why if i in computed else None) for i, p, why in rows]
    return rows


def _sheet_of(rows: list[Score], scorer: str) -> dict[str, str]:
    return {
        r.item: decimal_str(_points(r.points_tenths)) + (f" ({r.reason})" if r.reason else "")
        for r in rows
        if r.scorer == scorer
    }


def _replace_sheet(
    session: Session,
    actor: str,
    ctx: _Context,
    scorer: str,
    rows: list[tuple[str, Decimal, str | None]],
    *,
    merged: bool = False,
) -> None:
    a = ctx.assessment
    before = _sheet_of(ctx.rows, scorer)
    session.exec(delete(Score).where(Score.assessment_id == a.id, Score.scorer == scorer))  # type: ignore[call-overload]
    now = clock.now()
    for item, points, reason in rows:
        session.add(
            Score(
                assessment_id=a.id,  # type: ignore[arg-type]
                scorer=scorer,
                item=item,
                points_tenths=_tenths(points),
                reason=reason,
                entered_by=actor,
                entered_at=now,
            )
        )
    session.flush()
    after = {
        item: decimal_str(points) + (f" ({reason})" if reason else "")
        for item, points, reason in rows
    }
    audit.record(
        session,
        actor,
        "score.record" if not before else ("score.update" if merged else "score.replace"),
        "score",
        _key(ctx.project.code, a.track, a.period) + f"/{scorer}",
        before=before or None,
        after=after,
        project=ctx.project.code,
    )


def record_scores(
    ledger: Ledger,
    actor_code: str | None,
    code: str,
    track: str,
    quarter: str | None,
    scorer: str,
    entries: list[tuple[str, str]],
    reason: str | None = None,
    *,
    replace: bool = False,
) -> dict[str, Any]:
    """Record one scorer's points. The items given change; that scorer's other points stay
    (``replace`` replaces the whole sheet). Objective items left out take the computed value;
    a different value needs a reason. The document carries ``before``: the scorer's points
    before this change."""
    period = period_of(track, quarter)
    reason = reason.strip() if reason else None
    with ledger.write() as session:
        actor = actors.resolve(session, actor_code)
        a, project = _find(session, code, track, period)
        _editable(a, code, track)
        _refresh_records(session, actor.code, a, project)
        ctx = _context(session, a, project)
        rows = _validate_sheet(ctx, scorer, entries, reason)
        _own_sheet_only(actor, ctx, scorer)
        mine = [r for r in ctx.rows if r.scorer == scorer]
        before = {r.item: decimal_str(_points(r.points_tenths)) for r in mine}
        if not replace:
            given = {item for item, _, _ in rows}
            kept = [
                (r.item, _points(r.points_tenths), r.reason) for r in mine if r.item not in given
            ]
            rows = kept + rows
        _replace_sheet(session, actor.code, ctx, scorer, rows, merged=bool(mine) and not replace)
        return _doc(session, _context(session, a, project)) | {"before": before}


@dataclass(frozen=True)
class ImportResult:
    rows: int
    sheets: int
    assessments: int


def _members(team: TeamView | None) -> list[str]:
    if team is None:
        return []
    return [team.lead, *(m.staff for m in team.engineers)]


def _own_sheet_only(actor: actors.Actor, ctx: _Context, scorer: str) -> None:
    """Separation of duties (policy ``duties.own_sheet_only``): a member of the assessed team
    enters or changes only the team's own ``self`` sheet."""
    members = _members(ctx.team)
    if scorer != "self" and ctx.policy.duties["own_sheet_only"] and actor.code in members:
        raise permissions.refuse(
            actor, "score.record", code=ctx.project.code, team=", ".join(members)
        )


def import_score_rows(
    ledger: Ledger,
    actor_code: str | None,
    rows: list[tuple[int, dict[str, str]]],
    *,
    dry_run: bool = False,
    progress: Any = None,
) -> tuple[ImportResult, list[tuple[int, TechdeptError]]]:
    """Check every row (project, track, quarter, scorer, item, points, reason) against its
    sheet exactly as ``score`` would; unless ``dry_run`` or a row is refused, replace each
    named scorer's sheet with the rows given for it, all in one transaction."""
    with ledger.write() as session:
        actor = actors.resolve(session, actor_code)
        contexts: dict[tuple[str, str, str], _Context] = {}
        sheets: dict[tuple[tuple[str, str, str], str], list[tuple[int, str, str, str]]] = {}
        problems: list[tuple[int, TechdeptError]] = []
        for n, (line, row) in enumerate(rows, 1):
            try:
                track = row["track"]
                period = period_of(track, row.get("quarter") or None)
                key = (row["project"], track, period)
                if key not in contexts:
                    a, project = _find(session, row["project"], track, period)
                    _editable(a, row["project"], track)
                    contexts[key] = _context(session, a, project)
                ctx = contexts[key]
                scorer = row["scorer"]
                _check_scorer(ctx.policy, track, scorer)
                _own_sheet_only(actor, ctx, scorer)
                entries = sheets.setdefault((key, scorer), [])
                for first, item, _, _ in entries:
                    if item == row["item"]:
                        raise Invalid("ImportDuplicate", item=item, scorer=scorer, first=first)
                reason = row.get("reason") or ""
                _validate_sheet(ctx, scorer, [(row["item"], row["points"])], reason or None)
                entries.append((line, row["item"], row["points"], reason))
            except TechdeptError as exc:
                problems.append((line, exc))
            if progress is not None:
                progress(n)
        result = ImportResult(len(rows), len(sheets), len(contexts))
        if problems or dry_run:
            session.rollback()
            return result, problems
        for (key, scorer), entries in sheets.items():
            ctx = contexts[key]
            checked: list[tuple[str, Decimal, str | None]] = []
            for _, item, points, reason in entries:
                checked += _validate_sheet(ctx, scorer, [(item, points)], reason or None)
            _replace_sheet(session, actor.code, ctx, scorer, checked)
        return result, problems


# ---------------------------------------------------------------- approval and reopening


def _ready(ctx: _Context) -> None:
    a, ev = ctx.assessment, ctx.evaluation
    if ctx.team is None:
        raise Refused("TeamRequired", code=ctx.project.code, track=a.track)
    if not ev.complete:
        missing = "; ".join(
            f"{s}: {', '.join(items)}" if s in ev.sheets else s
            for s, items in ev.missing_scores.items()
        )
        raise Refused(
            "NotFullyScored", what=_label(ctx.project.code, a.track, a.period), missing=missing
        )
    if ev.reserved is None or ev.final is None:
        raise Refused(
            "BonusNotComputable",
            what=_label(ctx.project.code, a.track, a.period),
            missing=", ".join(ev.missing_money) or "-",
        )


def _result(ctx: _Context, doc: dict[str, Any]) -> dict[str, Any]:
    """What the GM's approval stores: the document, the explanation and every input."""
    team = ctx.team
    return {
        "doc": doc,
        "steps": [s.to_dict() for s in ctx.evaluation.steps],
        "inputs": {
            "track": ctx.assessment.track,
            "policy": {"id": ctx.policy.id, "hash": ctx.policy.hash},
            "facts": facts_to_dict(ctx.facts),
            "scores": {s: {i: decimal_str(p) for i, p in v.items()} for s, v in ctx.scores.items()},
            "team": None
            if team is None
            else {
                "lead": team.lead,
                "lead_share": exact(team.lead_share),
                "engineers": [[m.staff, exact(m.weight)] for m in team.engineers],
            },
        },
    }


def _entitlements(session: Session, ctx: _Context, on: dt.date) -> None:
    a, ev = ctx.assessment, ctx.evaluation
    ids = dict(session.exec(select(Staff.code, Staff.id)).all())
    lines: list[tuple[str | None, str, int]] = [
        (x.staff, x.role, int(x.amount)) for x in ev.allocations
    ]
    lines.append((a.director_approved_by, "director", int(ev.director_award or 0)))
    lines.append((None, "pool", int(ev.pool or 0)))
    # Everyone this assessment ever entitled or paid and no longer named gets a zero row, so
    # what was paid to them is clawed back (payable = entitlement − already paid).
    codes = {v: k for k, v in ids.items()}
    named = {(staff, role) for staff, role, _ in lines}
    earlier = session.exec(
        select(Entitlement.staff_id, Entitlement.role).where(Entitlement.assessment_id == a.id)
    ).all()
    paid = session.exec(
        select(PayoutLine.staff_id, PayoutLine.role).where(PayoutLine.assessment_id == a.id)
    ).all()
    for staff_id, role in sorted({*earlier, *paid}, key=str):
        key = (codes.get(staff_id) if staff_id else None, role)
        if key not in named:
            named.add(key)
            lines.append((key[0], role, 0))
    for staff, role, amount in lines:
        session.add(
            Entitlement(
                assessment_id=a.id,  # type: ignore[arg-type]
                version=a.version,
                project_id=ctx.project.id,  # type: ignore[arg-type]
                track=a.track,
                slice_quarter=a.period or None,
                staff_id=ids.get(staff) if staff else None,
                role=role,
                amount_fen=amount,
                approved_on=on,
            )
        )


def _not_before(a: Assessment, label: str) -> None:
    """An approval cannot be dated before the assessment was opened, nor the GM's before the
    director's."""
    today = clock.today()
    opened = a.opened_at.date()
    if today < opened:
        raise Refused("ApprovalBeforeDate", what=label, today=today.isoformat(), on=str(opened))
    if a.director_approved_on is not None and today < a.director_approved_on:
        raise Refused(
            "ApprovalBeforeDate",
            what=label,
            today=today.isoformat(),
            on=str(a.director_approved_on),
        )


def _not_on_team(actor: actors.Actor, ctx: _Context) -> None:
    """Separation of duties (policy ``duties.no_self_approval``): nobody approves an
    assessment of a team they are on."""
    if ctx.policy.duties["no_self_approval"] and actor.code in _members(ctx.team):
        raise permissions.refuse(actor, "duty.own_team", code=ctx.project.code)


def approve(
    ledger: Ledger, actor_code: str | None, code: str, track: str, quarter: str | None
) -> dict[str, Any]:
    """Approve: first the technical director (freezes facts and scores), then the general
    manager (locks the assessment and stores its inputs and every result)."""
    period = period_of(track, quarter)
    with ledger.write() as session:
        actor = actors.resolve(session, actor_code)
        a, project = _find(session, code, track, period)
        label = _label(code, track, period)
        if a.status == APPROVED:
            raise Refused("AssessmentLocked", what=label)
        _not_before(a, label)
        if a.status == OPEN:
            if not actor.has("director") and actor.has("gm"):
                raise Refused("DirectorApprovesFirst", what=label)
            permissions.check(actor, "assess.approve.director")
            _refresh_records(session, actor.code, a, project)
            ctx = _context(session, a, project)
            _not_on_team(actor, ctx)
            _ready(ctx)
            stored = json.loads(a.facts)
            stored["project"] = ctx.project_facts
            a.facts = json.dumps(stored, sort_keys=True)
            a.status = DIRECTOR_APPROVED
            a.director_approved_at = clock.now()
            a.director_approved_by = actor.code
            a.director_approved_on = clock.today()
            session.add(a)
            session.flush()
            doc = _doc(session, _context(session, a, project))
            audit.record(
                session,
                actor.code,
                "assessment.approve.director",
                "assessment",
                _key(code, track, period),
                after={"status": a.status, "final": doc["final"], "grade": doc["grade"]},
                project=code,
            )
            return doc
        permissions.check(actor, "assess.approve.gm")
        _not_on_team(actor, _context(session, a, project))
        if policy_of(session, a).duties["two_approvers"] and a.director_approved_by == actor.code:
            raise permissions.refuse(actor, "duty.two_approvers", first=actor.code)
        a.status = APPROVED
        a.gm_approved_at = moment()
        a.gm_approved_by = actor.code
        a.gm_approved_on = clock.today()
        ctx = _context(session, a, project)
        _ready(ctx)
        doc = _doc(session, ctx)
        result = _result(ctx, doc)
        a.result = json.dumps(result, ensure_ascii=False)
        session.add(a)
        session.add(
            AssessmentVersion(
                assessment_id=a.id,  # type: ignore[arg-type]
                version=a.version,
                approved_at=a.gm_approved_at,
                gm_approved_on=a.gm_approved_on,
                snapshot=a.result,
            )
        )
        _entitlements(session, ctx, a.gm_approved_on)
        session.flush()
        audit.record(
            session,
            actor.code,
            "assessment.approve.gm",
            "assessment",
            _key(code, track, period),
            after={
                "status": a.status,
                "version": a.version,
                "composite": doc["composite"],
                "grade": doc["grade"],
                "final": doc["final"],
                "policy": doc["policy"],
            },
            project=code,
        )
        return doc


def reopen(
    ledger: Ledger,
    actor_code: str | None,
    code: str,
    track: str,
    quarter: str | None,
    reason: str,
) -> dict[str, Any]:
    """The director reopens an approved assessment with a reason: both approvals are cleared,
    the approved version stays in the history, its entitlements are superseded."""
    period = period_of(track, quarter)
    if not reason or not reason.strip():
        raise Invalid("ReasonEmpty", field="--reason")
    reason = reason.strip()
    with ledger.write() as session:
        actor = actors.resolve(session, actor_code)
        permissions.check(actor, "assess.reopen")
        a, project = _find(session, code, track, period)
        if a.status == OPEN:
            raise Refused("AssessmentNotApproved", what=_label(code, track, period))
        before = {"status": a.status, "version": a.version}
        now = moment()
        if a.status == APPROVED:
            session.exec(
                update(AssessmentVersion)  # type: ignore[call-overload]
                .where(
                    col(AssessmentVersion.assessment_id) == a.id,
                    col(AssessmentVersion.version) == a.version,
                )
                .values(superseded_at=now, reopen_reason=reason)
            )
            session.exec(
                update(Entitlement)  # type: ignore[call-overload]
                .where(
                    col(Entitlement.assessment_id) == a.id,
                    col(Entitlement.superseded_at).is_(None),
                )
                .values(superseded_at=now)
            )
            a.version += 1
        stored = json.loads(a.facts)
        stored.pop("project", None)
        a.facts = json.dumps(stored, sort_keys=True)
        a.status = OPEN
        a.director_approved_at = a.director_approved_by = a.director_approved_on = None
        a.gm_approved_at = a.gm_approved_by = a.gm_approved_on = None
        a.result = None
        session.add(a)
        session.flush()
        audit.record(
            session,
            actor.code,
            "assessment.reopen",
            "assessment",
            _key(code, track, period),
            before=before,
            after={"status": a.status, "version": a.version, "reason": reason},
            project=code,
        )
        return _doc(session, _context(session, a, project))


# ---------------------------------------------------------------- lists and history


@dataclass(frozen=True)
class VersionView:
    version: int
    approved_at: dt.datetime
    gm_approved_on: dt.date
    superseded_at: dt.datetime | None
    reopen_reason: str | None
    doc: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        d = self.doc
        return {
            "version": self.version,
            "gm_approved_on": self.gm_approved_on.isoformat(),
            "director": (d.get("approvals") or {}).get("director"),
            "gm": (d.get("approvals") or {}).get("gm"),
            "composite": d.get("composite"),
            "grade": d.get("grade"),
            "final": d.get("final"),
            "pool": d.get("pool"),
            "director_award": d.get("director_award"),
            "allocations": d.get("allocations"),
            "superseded": self.superseded_at is not None,
            "reopen_reason": self.reopen_reason,
        }


def history(ledger: Ledger, code: str, track: str, quarter: str | None) -> list[VersionView]:
    """The approved versions of an assessment, oldest first."""
    period = period_of(track, quarter)
    with ledger.read() as session:
        a, _ = _find(session, code, track, period)
        rows = session.exec(
            select(AssessmentVersion)
            .where(AssessmentVersion.assessment_id == a.id)
            .order_by(col(AssessmentVersion.version))
        )
        return [
            VersionView(
                v.version,
                v.approved_at,
                v.gm_approved_on,
                v.superseded_at,
                v.reopen_reason,
                json.loads(v.snapshot)["doc"],
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
    with ledger.read() as session:
        query = (
            select(Assessment, Project)
            .join(Project, col(Project.id) == col(Assessment.project_id))
            .order_by(col(Project.code), col(Assessment.track), col(Assessment.period))
        )
        if status:
            query = query.where(Assessment.status == status)
        if track:
            query = query.where(Assessment.track == track)
        pairs = session.exec(query).all()
        pending = [(a, p) for a, p in pairs if not (a.status == APPROVED and a.result)]
        figures = _figures(session, pending)
        out: list[AssessmentRow] = []
        for a, project in pairs:
            if a.status == APPROVED and a.result:
                doc = json.loads(a.result)["doc"]
                shown = (doc["composite"], doc["grade"], doc["final"])
            else:
                shown = figures[a.id]  # type: ignore[index]
            out.append(
                AssessmentRow(
                    project.code, project.name, a.track, a.period or None, a.status, a.version,
                    *shown,
                )
            )  # fmt: skip
        return out


def _chunks(ids: list[int], size: int = 500) -> list[list[int]]:
    return [ids[i : i + size] for i in range(0, len(ids), size)]


def _figures(
    session: Session, pending: list[tuple[Assessment, Project]]
) -> dict[int, tuple[str | None, str | None, str | None]]:
    """Composite, grade and final of assessments not yet GM-approved: their scores, teams and
    policies in a few queries (chunked), then the rules for each, as ``assess show`` does."""
    if not pending:
        return {}
    ids = [a.id for a, _ in pending if a.id is not None]
    rows: dict[int, list[Score]] = {}
    for chunk in _chunks(ids):
        for row in session.exec(
            select(Score)
            .where(col(Score.assessment_id).in_(chunk))
            .order_by(col(Score.scorer), col(Score.item))
        ):
            rows.setdefault(row.assessment_id, []).append(row)
    project_ids = sorted({p.id for _, p in pending if p.id is not None})
    teams: dict[tuple[int, str], Team] = {}
    for chunk in _chunks(project_ids):
        for team in session.exec(select(Team).where(col(Team.project_id).in_(chunk))):
            teams[(team.project_id, team.track)] = team
    members: dict[int, list[tuple[str, Decimal]]] = {}
    for chunk in _chunks([t.id for t in teams.values() if t.id is not None]):
        for member, code in session.exec(
            select(TeamMember, Staff.code)
            .join(Staff, col(Staff.id) == col(TeamMember.staff_id))
            .where(col(TeamMember.team_id).in_(chunk))
            .order_by(col(TeamMember.team_id), col(TeamMember.position))
        ):
            members.setdefault(member.team_id, []).append((code, Decimal(member.weight)))
    leads: dict[int, str] = {}
    for chunk in _chunks(sorted({t.lead_id for t in teams.values()})):
        found = session.exec(select(Staff.id, Staff.code).where(col(Staff.id).in_(chunk)))
        leads.update({staff_id: code for staff_id, code in found})
    hashes = sorted({a.policy_hash for a, _ in pending})
    snapshots = {
        snap.hash: snap
        for snap in session.exec(select(PolicySnapshot).where(col(PolicySnapshot.hash).in_(hashes)))
    }
    out: dict[int, tuple[str | None, str | None, str | None]] = {}
    for a, project in pending:
        snap = snapshots.get(a.policy_hash)
        if snap is None:  # the foreign key makes this impossible in a sound ledger
            raise NotFound("PolicySnapshotMissing", hash=a.policy_hash)
        policy = _policy_from(snap.content, snap.hash)
        facts, _ = _facts(policy, project, a)
        objective = {k: v.value for k, v in objective_points(policy, a.track, facts).items()}
        team = teams.get((project.id, a.track))  # type: ignore[arg-type]
        spec = None
        if team is not None:
            spec = TeamSpec(
                leads.get(team.lead_id, "?"),
                Decimal(team.lead_share),
                tuple(members.get(team.id or 0, ())),
            )
        ev = evaluate(policy, a.track, facts, _scores(rows.get(a.id or 0, []), objective), spec)
        out[a.id] = (_num(ev.composite), ev.grade, _fen(ev.final))  # type: ignore[index]
    return out


# ---------------------------------------------------------------- recheck (db check)

_COMPARED = (
    "composite", "grade", "share", "reserved", "final", "vetoed", "veto_reasons", "pool",
    "director_award",
)  # fmt: skip


def recheck(session: Session) -> list[str]:
    """Recompute every GM-approved assessment from its stored inputs with its stored policy;
    one finding per difference from the stored results (none in a sound ledger)."""
    from techdept.i18n import t

    findings: list[str] = []
    query = (
        select(Assessment, Project.code)
        .join(Project, col(Project.id) == col(Assessment.project_id))
        .where(Assessment.status == APPROVED)
        .order_by(col(Assessment.id))
    )
    for a, code in session.exec(query).all():
        what = _label(code, a.track, a.period)
        snap = session.get(PolicySnapshot, a.policy_hash)
        if (
            snap is None
            or hashlib.sha256(snap.content.encode("utf-8")).hexdigest() != a.policy_hash
        ):
            findings.append(t("meeting.recheck.policy", what=what, hash=a.policy_hash[:12]))
            continue
        try:
            result = json.loads(a.result or "")
            inputs, doc = result["inputs"], result["doc"]
            policy = _policy_from(snap.content, snap.hash)
            team = inputs["team"]
            spec = None
            if team:
                spec = TeamSpec(
                    team["lead"],
                    Decimal(team["lead_share"]),
                    tuple((s, Decimal(w)) for s, w in team["engineers"]),
                )
            scores = {
                s: {i: Decimal(p) for i, p in items.items()}
                for s, items in inputs["scores"].items()
            }
            ev = evaluate(policy, a.track, facts_from_dict(inputs["facts"]), scores, spec)
        except (ValueError, KeyError, TypeError, TechdeptError) as exc:
            findings.append(t("meeting.recheck.unreadable", what=what, reason=type(exc).__name__))
            continue
        findings.extend(_recheck_scores(session, a, what, policy, inputs))
        now = {
            "composite": _num(ev.composite),
            "grade": ev.grade,
            "share": _num(ev.share),
            "reserved": _fen(ev.reserved),
            "final": _fen(ev.final),
            "vetoed": ev.vetoed,
            "veto_reasons": list(ev.veto_reasons),
            "pool": _fen(ev.pool),
            "director_award": _fen(ev.director_award),
        }
        for key in _COMPARED:
            if doc.get(key) != now[key]:
                findings.append(
                    t(
                        "meeting.recheck.differs",
                        what=what,
                        key=key,
                        stored=doc.get(key),
                        now=now[key],
                    )
                )
        stored_split = [(x["staff"], x["role"], x["amount"]) for x in doc.get("allocations", [])]
        now_split = [(x.staff, x.role, fen_str(x.amount)) for x in ev.allocations]
        if stored_split != now_split:
            findings.append(
                t(
                    "meeting.recheck.differs",
                    what=what,
                    key="allocations",
                    stored=stored_split,
                    now=now_split,
                )
            )
    return findings


def _recheck_scores(
    session: Session, a: Assessment, what: str, policy: Any, inputs: Mapping[str, Any]
) -> list[str]:
    """The score table of an approved assessment against the scores stored with its result:
    a point changed afterwards (by hand, outside techdept) is a finding."""
    from techdept.i18n import t

    facts = facts_from_dict(inputs["facts"])
    objective = {k: v.value for k, v in objective_points(policy, a.track, facts).items()}
    rows = _score_rows(session, a)
    now = {
        s: {i: decimal_str(p) for i, p in v.items()} for s, v in _scores(rows, objective).items()
    }
    stored = inputs["scores"]
    findings = []
    for scorer in sorted(set(now) | set(stored)):
        for item in sorted(set(now.get(scorer, {})) | set(stored.get(scorer, {}))):
            was, is_ = stored.get(scorer, {}).get(item), now.get(scorer, {}).get(item)
            if was != is_:
                findings.append(
                    t(
                        "meeting.recheck.score",
                        what=what,
                        scorer=scorer,
                        item=item,
                        stored=was or "—",
                        now=is_ or "—",
                    )
                )
    for row in rows:
        points = _points(row.points_tenths)
        if row.item in objective and not row.reason and points != objective[row.item]:
            findings.append(
                t(
                    "meeting.recheck.score",
                    what=what,
                    scorer=row.scorer,
                    item=row.item,
                    stored=decimal_str(objective[row.item]),
                    now=decimal_str(points),
                )
            )
    return findings


__all__ = [
    "FACT_OPTIONS",
    "TRACKS",
    "AssessmentRow",
    "FactsGiven",
    "ImportResult",
    "ScoreForm",
    "VersionView",
    "approve",
    "bound_policy",
    "history",
    "import_score_rows",
    "internal_acceptance_facts",
    "list_assessments",
    "open_assessment",
    "period_of",
    "recheck",
    "record_scores",
    "reopen",
    "score_form",
    "set_facts",
    "sheet",
]
