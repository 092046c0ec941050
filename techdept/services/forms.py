"""What the signed sheets are drawn from: assessment documents with the policy each was
bound to, the assessments approved in a quarter, a quarter's after-sales assessments, the
payout list and a person's statement. Read-only; the documents come from the services that
own them (assessments, payouts, audit) and nothing is recomputed here."""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from sqlmodel import col, select

from techdept.documents.assessment import AssessmentDoc
from techdept.documents.payout import PayoutDoc
from techdept.documents.statement import StatementDoc
from techdept.errors import NotFound
from techdept.ledger.engine import Ledger
from techdept.ledger.models import Assessment, PolicySnapshot, Project, Staff, StaffRole
from techdept.rules import Policy, load_policy_bytes, parse_quarter, quarter_bounds

APPROVED = "approved"


@dataclass(frozen=True)
class SheetSource:
    """One assessment's ``assess show --json`` document and the policy it is bound to."""

    doc: AssessmentDoc
    policy: Policy


@dataclass(frozen=True)
class QuarterSheets:
    """Everything ``form assessment --all --quarter Q`` writes."""

    quarter: str
    single: list[SheetSource]  # GM-approved in the quarter (pre-sales, implementation, and
    # after-sales of another quarter)
    aftersales: list[SheetSource]  # the quarter's after-sales assessments, any status
    manager: str | None  # the after-sales manager's name


@lru_cache(maxsize=16)
def _policy(content: str, digest: str) -> Policy:
    return load_policy_bytes(content.encode("utf-8"), origin=f"<stored policy {digest[:12]}>")


def _bound_policy(session: Any, digest: str) -> Policy:
    snap = session.get(PolicySnapshot, digest)
    if snap is None:
        raise NotFound("PolicySnapshotMissing", hash=digest)
    return _policy(snap.content, snap.hash)


def assessment_sheet(ledger: Ledger, code: str, track: str, quarter: str | None) -> SheetSource:
    """One assessment's document (approved ones as stored at the GM's approval) and its
    policy."""
    from techdept.services import assessment

    doc = assessment.sheet(ledger, code, track, quarter)
    with ledger.read() as session:
        return SheetSource(doc, _bound_policy(session, doc.policy.hash if doc.policy else ""))


def _manager(session: Any, role: str = "aftersales-manager") -> str | None:
    row = session.exec(
        select(Staff.name)
        .join(StaffRole, col(StaffRole.staff_id) == col(Staff.id))
        .where(StaffRole.role == role)
        .order_by(col(Staff.code))
    ).first()
    return row


def _assessments(session: Any, *where: Any) -> list[Any]:
    """(code, track, period, status, stored result) of the assessments matching ``where``,
    by project code, track and period."""
    return session.exec(
        select(
            Project.code, Assessment.track, Assessment.period, Assessment.status, Assessment.result
        )
        .join(Project, col(Project.id) == col(Assessment.project_id))
        .where(*where)
        .order_by(col(Project.code), col(Assessment.track), col(Assessment.period))
    ).all()


def _sources(ledger: Ledger, rows: list[tuple[Any, ...]]) -> list[SheetSource]:
    """Each assessment's sheet as ``assessment_sheet`` gives it, read in one go: an approved
    one's document is the one stored at the GM's approval (as ``assess show`` reads it), any
    other is evaluated by the assessment service; the bound policies are read once each."""
    from techdept.services import assessment
    from techdept.services.assessment.base import period_of
    from techdept.services.assessment.document import stored_doc

    docs = []
    for code, track, period, status, result in rows:
        period_of(track, period or None)  # a track the policy no longer has is refused, as ever
        if status == APPROVED and result:
            docs.append(stored_doc(result))
        else:
            docs.append(assessment.sheet(ledger, code, track, period or None))
    digests = dict.fromkeys(doc.policy.hash if doc.policy else "" for doc in docs)
    with ledger.read() as session:
        policies = {digest: _bound_policy(session, digest) for digest in digests}
    return [SheetSource(doc, policies[doc.policy.hash if doc.policy else ""]) for doc in docs]


def quarter_sheets(ledger: Ledger, quarter: str) -> QuarterSheets:
    """The assessments approved by the GM within ``quarter`` and the quarter's after-sales
    assessments, each with its document and bound policy (one read for all of them, not one
    per sheet: ``form assessment --all`` draws a thousand)."""
    q = parse_quarter(quarter)
    first, last = quarter_bounds(q)
    with ledger.read() as session:
        approved = _assessments(
            session,
            Assessment.status == APPROVED,
            col(Assessment.gm_approved_on) >= first,
            col(Assessment.gm_approved_on) <= last,
        )
        of_quarter = _assessments(session, Assessment.period == q)  # only the sliced track's
        manager = _manager(session)
    single = [row for row in approved if row[2] != q]  # the quarter's after-sales sheet has those
    return QuarterSheets(q, _sources(ledger, single), _sources(ledger, of_quarter), manager)


def company(ledger: Ledger) -> str | None:
    """The company's name for the sheets' title line (``config set company``), if set."""
    from techdept.services import config

    return config.get(ledger, "company")


def aftersales_manager(ledger: Ledger) -> str | None:
    """The after-sales manager's name (the header of the after-sales sheet)."""
    with ledger.read() as session:
        return _manager(session)


def payout_document(ledger: Ledger, policy: Policy, quarter: str) -> tuple[PayoutDoc, str]:
    """The quarter's payout list (what ``bonus --quarter Q --json`` shows) with the policy it
    was drawn under, and the audit trail's head hash that the signed statement anchors."""
    from techdept.services import audit, payout_list

    doc = payout_list.payout(ledger, policy, quarter)
    row, digest = audit.head(ledger)
    return replace(doc, policy={"id": policy.id, "hash": policy.hash}), f"{row} · {digest}"


def statement_document(ledger: Ledger, staff: str, year: int | None) -> StatementDoc:
    """One person's paid lines (of a year) and the lines not paid yet, as ``bonus statement``
    lists them."""
    from techdept.services import payouts

    return payouts.statement(ledger, staff, year)


def tracking_document(ledger: Ledger, week: str | None) -> dict[str, Any]:
    """The week's pre-sales tracking sheet (the keys of ``report tracking --json``, each
    project with its sales representative's name) and the pre-sales manager's name."""
    from techdept.services.tracking import tracking

    view = tracking(ledger, week)
    with ledger.read() as session:
        manager = _manager(session, "presales-manager")
    return replace(view, manager=manager).to_json()
