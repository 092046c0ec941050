"""The assessment sheet: the rules' evaluation of an assessment (its context) and the document of
``assess show --json``; an approved one is rebuilt from what was stored.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from techdept.documents.assessment import (
    AftersalesFacts,
    Allocation,
    Approval,
    Approvals,
    AssessmentDoc,
    Band,
    Engineer,
    Item,
    Lead,
    Person,
    PolicyRef,
    Positions,
    Reason,
    ScorerSheet,
    SheetFacts,
    TeamDoc,
)
from techdept.ledger import tables
from techdept.rules import (
    Evaluation,
    Facts,
    Policy,
    Step,
    decimal_str,
    evaluate,
    fen_str,
    objective_points,
)
from techdept.services.assessment.base import (
    APPROVED,
    fen_or_none,
    find_assessment_row,
    num_or_none,
    period_of,
    points_of,
    policy_of,
    staff_names,
)
from techdept.services.assessment.facts import facts_of
from techdept.services.teams import TeamView, exact, team_of

if TYPE_CHECKING:
    from sqlmodel import Session

    from techdept.ledger.engine import Ledger
    from techdept.ledger.models import Assessment, Project, Score

# The sheet is read through the Core tables: ``assessment``/``project`` are rows or ORM objects
# (both have the columns as attributes) and the score rows are Core rows.


@dataclass
class Context:
    assessment: Assessment
    project: Project
    policy: Policy
    facts: Facts
    project_facts: dict[str, Any]
    team: TeamView | None
    rows: list[Score]
    scores: dict[str, dict[str, Decimal]]
    evaluation: Evaluation


def score_rows(db: Any, assessment: Any) -> list[Any]:
    score = tables.score
    return list(
        db.execute(
            select(score)
            .where(score.c.assessment_id == assessment.id)
            .order_by(score.c.scorer, score.c.item)
        )
    )


def scores_of(rows: list[Score], objective: Mapping[str, Decimal]) -> dict[str, dict[str, Decimal]]:
    """Scores as the rules take them. An objective item entered without a reason means
    "the computed value" and follows the facts, so it is left for the rules to fill in."""
    out: dict[str, dict[str, Decimal]] = {}
    for row in rows:
        sheet = out.setdefault(row.scorer, {})
        if row.item in objective and not row.reason:
            continue
        sheet[row.item] = points_of(row.points_tenths)
    return out


def context(session: Session, assessment: Assessment, project: Project) -> Context:
    policy = policy_of(session, assessment)
    facts, proj = facts_of(policy, project, assessment)
    team = team_of(session, project, assessment.track)
    rows = score_rows(session, assessment)
    objective = {k: v.value for k, v in objective_points(policy, assessment.track, facts).items()}
    scores = scores_of(rows, objective)
    spec = team.spec() if team else None
    ev = evaluate(policy, assessment.track, facts, scores, spec)
    return Context(assessment, project, policy, facts, proj, team, rows, scores, ev)


def _approval(by: str | None, on: dt.date | None, names: Mapping[str, str]) -> Approval | None:
    if by is None:
        return None
    return Approval(by, names.get(by, by), on.isoformat() if on else None)


def _sheet_facts(ctx: Context) -> SheetFacts:
    a, proj = ctx.assessment, ctx.project_facts
    stored = json.loads(a.facts)
    aftersales = None
    if ctx.policy.track(a.track).sliced:
        aftersales = AftersalesFacts(
            archiving_points=stored.get("archiving_points"),
            tickets=stored.get("tickets"),
            sources=stored.get("sources") or {},
            service_start=proj["service_start"],
            service_months=proj["service_months"],
            slice=fen_or_none(proj["slice_fen"]),
        )
    return SheetFacts(
        contract=fen_or_none(proj["contract_fen"]),
        complexity=proj["complexity"],
        difficulty=proj["difficulty"],
        risk=proj["risk"],
        planned_days=stored.get("planned_days"),
        actual_days=stored.get("actual_days"),
        budget=fen_or_none(stored.get("budget")),
        actual_cost=fen_or_none(stored.get("actual_cost")),
        ia_deducted=stored.get("ia_deducted"),
        ia_late_days=stored.get("ia_late_days"),
        complaint=bool(stored.get("complaint")),
        poor_evaluation=bool(stored.get("poor_evaluation")),
        source=a.facts_source,
        schedule_reason=a.schedule_reason,
        cost_reason=a.cost_reason,
        aftersales=aftersales,
    )


def _items(ctx: Context) -> tuple[Item, ...]:
    ev = ctx.evaluation
    return tuple(
        Item(
            key=item.key,
            label=dict(item.label),
            max=decimal_str(item.max),
            objective=item.objective == "always" or item.key in ev.objective,
            computed=num_or_none(ev.objective.get(item.key)),
            inferred=item.inferred,
            bands=tuple(Band(str(b.points), dict(b.text)) for b in item.bands),
        )
        for item in ctx.policy.track(ctx.assessment.track).items
    )


def _scorers(ctx: Context) -> dict[str, ScorerSheet]:
    ev, tp = ctx.evaluation, ctx.policy.track(ctx.assessment.track)
    out: dict[str, ScorerSheet] = {}
    for scorer in tp.scorers:
        sheet = ev.sheets.get(scorer, {})
        full = scorer in ev.sheets and scorer not in ev.missing_scores
        out[scorer] = ScorerSheet(
            {item: num_or_none(sheet.get(item)) for item in tp.item_keys},
            num_or_none(ev.totals.get(scorer)) if full else None,
        )
    return out


def _team(team: TeamView | None) -> TeamDoc | None:
    if team is None:
        return None
    return TeamDoc(
        Lead(team.lead, team.lead_name, exact(team.lead_share)),
        tuple(Engineer(m.staff, m.name, exact(m.weight)) for m in team.engineers),
    )


def _names(session: Session, ctx: Context, entered: Mapping[str, str]) -> dict[str, str]:
    a = ctx.assessment
    people = {x for x in (a.director_approved_by, a.gm_approved_by) if x} | set(entered.values())
    if ctx.team:
        people |= {ctx.team.lead, *(m.staff for m in ctx.team.engineers)}
    return staff_names(session, people)


def doc_of(session: Session, ctx: Context) -> AssessmentDoc:
    """The assessment sheet as a document (``assess show --json``)."""
    a, p, ev = ctx.assessment, ctx.project, ctx.evaluation
    tp = ctx.policy.track(a.track)
    entered = {r.scorer: r.entered_by for r in ctx.rows}  # who entered each scorer's sheet
    names = _names(session, ctx, entered)
    director = a.director_approved_by
    return AssessmentDoc(
        project=p.code,
        project_name=p.name,
        customer=p.customer,
        track=a.track,
        quarter=a.period or None,
        sheet=dict(tp.sheet),
        inferred=tp.inferred,
        policy=PolicyRef(a.policy_id, a.policy_hash),
        positions=Positions(tp.lead_role, tp.engineer_role),
        status=a.status,
        version=a.version,
        facts=_sheet_facts(ctx),
        team=_team(ctx.team),
        items=_items(ctx),
        required_scorers=tuple(tp.scorers),
        scorers=_scorers(ctx),
        reasons=tuple(
            Reason(r.scorer, r.item, decimal_str(points_of(r.points_tenths)), r.reason)
            for r in ctx.rows
            if r.reason
        ),
        entered_by={
            s: Person(entered[s], names.get(entered[s], entered[s]))
            for s in tp.scorers
            if s in entered
        },
        missing_scores={s: tuple(v) for s, v in ev.missing_scores.items()},
        composite=num_or_none(ev.composite),
        grade=ev.grade,
        share=num_or_none(ev.share),
        base=None if ev.base is None else format(ev.base, "f"),
        aftersales_total=fen_or_none(ev.aftersales_total),
        reserved=fen_or_none(ev.reserved),
        final=fen_or_none(ev.final),
        vetoed=ev.vetoed,
        veto_reasons=tuple(ev.veto_reasons),
        pool=fen_or_none(ev.pool),
        director_award=fen_or_none(ev.director_award),
        director=director,
        allocations=tuple(
            Allocation(x.staff, names.get(x.staff, x.staff), x.role, fen_str(x.amount))
            for x in ev.allocations
        ),
        approvals=Approvals(
            _approval(director, a.director_approved_on, names),
            _approval(a.gm_approved_by, a.gm_approved_on, names),
        ),
        tickets=_ticket_evidence(json.loads(a.facts).get("tickets")),
        overview=a.overview,
        review_opinion=a.review_opinion,
    )


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


def stored_doc(result: str) -> AssessmentDoc:
    """The document stored with a GM's approval (``Assessment.result`` or a version's
    snapshot), read back through the document's ``from_json``."""
    return AssessmentDoc.from_json(json.loads(result)["doc"])


def _stored_steps(result: Mapping[str, Any]) -> tuple[Step, ...]:
    return tuple(
        Step(s["key"], dict(s["inputs"]), s["formula"], s["output"]) for s in result["steps"]
    )


def _sheet(session: Session, a: Assessment, project: Project, explain: bool) -> AssessmentDoc:
    if a.status == APPROVED and a.result:
        result = json.loads(a.result)
        doc = AssessmentDoc.from_json(result["doc"])
        return replace(doc, explain=_stored_steps(result)) if explain else doc
    ctx = context(session, a, project)
    doc = doc_of(session, ctx)
    return replace(doc, explain=tuple(ctx.evaluation.steps)) if explain else doc


def sheet(
    ledger: Ledger, code: str, track: str, quarter: str | None, *, explain: bool = False
) -> AssessmentDoc:
    """The assessment sheet (the ``assess show --json`` document); for an approved assessment,
    rebuilt from what was stored at the GM's approval, never recomputed."""
    period = period_of(track, quarter)
    with ledger.connect() as conn:
        a, project = find_assessment_row(conn, code, track, period)
        return _sheet(conn, a, project, explain)


def bound_policy(ledger: Ledger, code: str, track: str, quarter: str | None) -> Policy:
    """The policy an assessment is bound to (the one it was opened with), e.g. for its form."""
    period = period_of(track, quarter)
    with ledger.connect() as conn:
        a, _ = find_assessment_row(conn, code, track, period)
        return policy_of(conn, a)
