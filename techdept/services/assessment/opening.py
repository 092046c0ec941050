"""Opening an assessment (bound to the active policy) and correcting its facts until the director
approves.
"""

from __future__ import annotations

import json

from sqlmodel import Session, select

from techdept import clock
from techdept.documents.assessment import AssessmentDoc
from techdept.errors import Invalid, Refused
from techdept.ledger import audit
from techdept.ledger.engine import Ledger
from techdept.ledger.models import (
    Assessment,
    Project,
)
from techdept.rules import (
    Policy,
    aftersales_slices,
)
from techdept.services import actors
from techdept.services.assessment.base import (
    OPEN,
    bind_snapshot,
    editable,
    find_assessment,
    key_of,
    label_of,
    period_of,
    policy_of,
    reached,
)
from techdept.services.assessment.document import context, doc_of
from techdept.services.assessment.facts import (
    FactsGiven,
    check_given,
    refresh_records,
    rule_i_facts_and_source,
    slice_of,
    stored_facts,
    typed_names,
)
from techdept.services.assessment.texts import (
    TextsGiven,
    apply_texts,
    check_texts,
    record_texts,
    texts_of,
)
from techdept.services.projects import find as find_project
from techdept.services.teams import team_of


def _check_preconditions(
    session: Session, policy: Policy, project: Project, track: str, period: str
) -> None:
    tp = policy.track(track)
    if project.contract_fen is None:
        raise Refused("ContractMissing", code=project.code)
    given = {"complexity": project.complexity, "difficulty": project.difficulty}
    given["risk"] = project.risk
    missing = [f"--{name}" for name in tp.coefficients if not given[name]]
    if missing:
        raise Refused(
            "CoefficientsMissing", code=project.code, track=track, missing=", ".join(missing)
        )
    if tp.assessed_from is not None and not reached(project.stage, tp.assessed_from):
        raise Refused(
            "StageNotReached",
            code=project.code,
            track=track,
            stage=project.stage,
            needed=tp.assessed_from,
        )
    if team_of(session, project, track) is None:
        raise Refused("TeamRequired", code=project.code, track=track)
    if tp.sliced:
        if not project.service_start or not project.service_months:
            raise Refused("ServicePeriodMissing", code=project.code)
        if (
            slice_of(
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


def _refuse_a_second(
    session: Session, project: Project, code: str, track: str, period: str
) -> None:
    """One assessment per project, track and period (``code`` as the user typed it)."""
    exists = session.exec(
        select(Assessment.id).where(
            Assessment.project_id == project.id,
            Assessment.track == track,
            Assessment.period == period,
        )
    ).first()
    if exists is not None:
        raise Refused("AssessmentExists", what=label_of(code, track, period))


def open_assessment(
    ledger: Ledger,
    actor_code: str | None,
    policy: Policy,
    code: str,
    track: str,
    quarter: str | None,
    given: FactsGiven,
    texts: TextsGiven = TextsGiven(),
) -> AssessmentDoc:
    """Open a project's assessment for a track (and quarter), bound to the active policy."""
    period = period_of(track, quarter, policy)
    check_given(policy, track, given)
    check_texts(policy, track, texts)
    with ledger.write() as session:
        actor = actors.resolve(session, actor_code)
        project = find_project(session, code)
        _refuse_a_second(session, project, code, track, period)
        _check_preconditions(session, policy, project, track, period)
        source = "command-line"
        if policy.track(track).has("internal_acceptance"):
            deducted, late, source = rule_i_facts_and_source(session, policy, project, given)
            given = FactsGiven(**{**given.given(), "ia_deducted": deducted, "ia_late_days": late})
        bound = bind_snapshot(session, policy)
        a = Assessment(
            project_id=project.id,  # type: ignore[arg-type]
            track=track,
            period=period,
            policy_id=bound.id,
            policy_hash=bound.hash,
            status=OPEN,
            facts=json.dumps(stored_facts(given), sort_keys=True),
            facts_source=source,
            version=1,
            opened_at=clock.now(),
            opened_by=actor.code,
        )
        apply_texts(a, texts)
        session.add(a)
        session.flush()
        refresh_records(session, actor.code, a, project, typed_names(given), opening=True)
        ctx = context(session, a, project)  # the rules check the facts (FactInvalid …)
        audit.record(
            session,
            actor.code,
            "assessment.open",
            "assessment",
            key_of(code, track, period),
            after={"policy": {"id": bound.id, "hash": bound.hash}, "facts": json.loads(a.facts)}
            | ({"texts": {k: v for k, v in texts_of(a).items() if v}} if texts.given() else {}),
            project=code,
        )
        return doc_of(session, ctx)


def set_facts(
    ledger: Ledger,
    actor_code: str | None,
    code: str,
    track: str,
    quarter: str | None,
    given: FactsGiven,
    texts: TextsGiven = TextsGiven(),
) -> AssessmentDoc:
    """Correct the sheet's facts and texts until the director approves."""
    period = period_of(track, quarter)
    if not given.given() and not texts.given():
        raise Invalid("NothingToChange")
    with ledger.write() as session:
        actor = actors.resolve(session, actor_code)
        a, project = find_assessment(session, code, track, period)
        editable(a, code, track)
        policy = policy_of(session, a)
        check_given(policy, track, given)
        check_texts(policy, track, texts)
        before = json.loads(a.facts)
        before_texts = texts_of(a)
        a.facts = json.dumps(stored_facts(given, before), sort_keys=True)
        apply_texts(a, texts)
        session.add(a)
        session.flush()
        refresh_records(session, actor.code, a, project, typed_names(given), opening=True)
        ctx = context(session, a, project)
        after = json.loads(a.facts)
        if after != before:
            audit.record(
                session,
                actor.code,
                "assessment.set",
                "assessment",
                key_of(code, track, period),
                before=before,
                after=after,
                project=code,
            )
        record_texts(session, actor.code, a, before_texts, key_of(code, track, period), code)
        return doc_of(session, ctx)
