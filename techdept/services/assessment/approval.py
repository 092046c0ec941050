"""Approval (the technical director, then the general manager) and reopening."""

from __future__ import annotations

import json
from typing import Any

from sqlmodel import Session, col, update

from techdept import clock
from techdept.documents.assessment import AssessmentDoc
from techdept.errors import Invalid, Refused
from techdept.ledger import audit
from techdept.ledger.engine import Ledger
from techdept.ledger.models import (
    Assessment,
    AssessmentVersion,
    Entitlement,
    Project,
)
from techdept.rules import (
    decimal_str,
)
from techdept.services import actors, permissions
from techdept.services.assessment.base import (
    APPROVED,
    DIRECTOR_APPROVED,
    OPEN,
    find_assessment,
    key_of,
    label_of,
    period_of,
    policy_of,
)
from techdept.services.assessment.document import Context, context, doc_of
from techdept.services.assessment.entitlements import write_entitlements
from techdept.services.assessment.facts import facts_to_dict, refresh_records
from techdept.services.assessment.scoring import team_members
from techdept.services.assessment.texts import TextsGiven, apply_texts
from techdept.services.sanctions import moment
from techdept.services.teams import exact


def _ready(ctx: Context) -> None:
    a, ev = ctx.assessment, ctx.evaluation
    if ctx.team is None:
        raise Refused("TeamRequired", code=ctx.project.code, track=a.track)
    if not ev.complete:
        missing = "; ".join(
            f"{s}: {', '.join(items)}" if s in ev.sheets else s
            for s, items in ev.missing_scores.items()
        )
        raise Refused(
            "NotFullyScored", what=label_of(ctx.project.code, a.track, a.period), missing=missing
        )
    if ev.reserved is None or ev.final is None:
        raise Refused(
            "BonusNotComputable",
            what=label_of(ctx.project.code, a.track, a.period),
            missing=", ".join(ev.missing_money) or "-",
        )


def _result(ctx: Context, doc: AssessmentDoc) -> dict[str, Any]:
    """What the GM's approval stores: the document, the explanation and every input."""
    team = ctx.team
    return {
        "doc": doc.to_json(),
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


def _not_on_team(actor: actors.Actor, ctx: Context) -> None:
    """Separation of duties (policy ``duties.no_self_approval``): nobody approves an
    assessment of a team they are on."""
    if ctx.policy.duties["no_self_approval"] and actor.code in team_members(ctx.team):
        raise permissions.refuse(actor, "duty.own_team", code=ctx.project.code)


def approve(
    ledger: Ledger,
    actor_code: str | None,
    code: str,
    track: str,
    quarter: str | None,
    opinion: str | None = None,
) -> AssessmentDoc:
    """Approve: first the technical director (freezes facts and scores), then the general
    manager (locks the assessment and stores its inputs and every result). ``opinion`` is
    the review opinion (审核意见) the approver writes on the sheet ("" takes it back)."""
    period = period_of(track, quarter)
    with ledger.write() as session:
        actor = actors.resolve(session, actor_code)
        a, project = find_assessment(session, code, track, period)
        label = label_of(code, track, period)
        if a.status == APPROVED:
            raise Refused("AssessmentLocked", what=label)
        _not_before(a, label)
        if a.status == OPEN:
            if not actor.has("director") and actor.has("gm"):
                raise Refused("DirectorApprovesFirst", what=label)
            permissions.check(actor, "assess.approve.director")
            doc = _director_approves(session, actor, a, project, opinion)
        else:
            permissions.check(actor, "assess.approve.gm")
            doc = _gm_approves(session, actor, a, project, opinion)
        after: dict[str, Any] = {"status": a.status, "final": doc.final, "grade": doc.grade}
        if a.status == APPROVED:
            after |= {"version": a.version, "composite": doc.composite}
            after["policy"] = {"id": a.policy_id, "hash": a.policy_hash}
        if opinion is not None:
            after["review_opinion"] = a.review_opinion
        action = "assessment.approve.gm" if a.status == APPROVED else "assessment.approve.director"
        audit.record(
            session,
            actor.code,
            action,
            "assessment",
            key_of(code, track, period),
            after=after,
            project=code,
        )
        return doc


def _opinion(a: Assessment, opinion: str | None) -> None:
    if opinion is not None:
        apply_texts(a, TextsGiven(review_opinion=opinion))


def _director_approves(
    session: Session, actor: actors.Actor, a: Assessment, project: Project, opinion: str | None
) -> AssessmentDoc:
    """The director's approval freezes the facts (the project's too) and the scores."""
    refresh_records(session, actor.code, a, project)
    ctx = context(session, a, project)
    _not_on_team(actor, ctx)
    _ready(ctx)
    stored = json.loads(a.facts)
    stored["project"] = ctx.project_facts
    a.facts = json.dumps(stored, sort_keys=True)
    a.status = DIRECTOR_APPROVED
    a.director_approved_at = clock.now()
    a.director_approved_by = actor.code
    a.director_approved_on = clock.today()
    _opinion(a, opinion)
    session.add(a)
    session.flush()
    return doc_of(session, context(session, a, project))


def _gm_approves(
    session: Session, actor: actors.Actor, a: Assessment, project: Project, opinion: str | None
) -> AssessmentDoc:
    """The GM's approval locks the assessment and stores its document, inputs and steps as
    the approved version, and what it entitles each person to."""
    _not_on_team(actor, context(session, a, project))
    if policy_of(session, a).duties["two_approvers"] and a.director_approved_by == actor.code:
        raise permissions.refuse(actor, "duty.two_approvers", first=actor.code)
    a.status = APPROVED
    a.gm_approved_at = moment()
    a.gm_approved_by = actor.code
    a.gm_approved_on = clock.today()
    _opinion(a, opinion)
    ctx = context(session, a, project)
    _ready(ctx)
    doc = doc_of(session, ctx)
    a.result = json.dumps(_result(ctx, doc), ensure_ascii=False)
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
    write_entitlements(session, ctx, a.gm_approved_on)
    session.flush()
    return doc


def reopen(
    ledger: Ledger,
    actor_code: str | None,
    code: str,
    track: str,
    quarter: str | None,
    reason: str,
) -> AssessmentDoc:
    """The director reopens an approved assessment with a reason: both approvals are cleared,
    the approved version stays in the history, its entitlements are superseded."""
    period = period_of(track, quarter)
    if not reason or not reason.strip():
        raise Invalid("ReasonEmpty", field="--reason")
    reason = reason.strip()
    with ledger.write() as session:
        actor = actors.resolve(session, actor_code)
        permissions.check(actor, "assess.reopen")
        a, project = find_assessment(session, code, track, period)
        if a.status == OPEN:
            raise Refused("AssessmentNotApproved", what=label_of(code, track, period))
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
            key_of(code, track, period),
            before=before,
            after={"status": a.status, "version": a.version, "reason": reason},
            project=code,
        )
        return doc_of(session, context(session, a, project))
