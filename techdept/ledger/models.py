"""The ledger's tables (SQLModel). Money is integer fen; dates are dates; JSON is text."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, Column, Index, Text, UniqueConstraint, func, text
from sqlmodel import Field, SQLModel


class Staff(SQLModel, table=True):
    __tablename__ = "staff"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=40, unique=True, index=True)
    name: str = Field(max_length=200)
    created_at: dt.datetime
    left_on: dt.date | None = None  # acts no more from this day; stays in history
    login: str | None = Field(default=None, max_length=63, unique=True, index=True)

    # codes are unique without regard to case (WANGJG is wangjg)
    __table_args__ = (Index("ix_staff_code_folded", func.lower(text("code")), unique=True),)


class StaffRole(SQLModel, table=True):
    __tablename__ = "staff_role"

    staff_id: int = Field(foreign_key="staff.id", primary_key=True)
    role: str = Field(max_length=40, primary_key=True)


class Project(SQLModel, table=True):
    __tablename__ = "project"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=40, unique=True, index=True)
    name: str = Field(max_length=200)
    customer: str = Field(max_length=200)
    contract_fen: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))
    complexity: str | None = Field(default=None, max_length=40)
    difficulty: str | None = Field(default=None, max_length=10)
    risk: str | None = Field(default=None, max_length=10)
    sales_id: int | None = Field(default=None, foreign_key="staff.id")
    signed_on: dt.date | None = None
    stage: str = Field(max_length=60)
    adopted_stage: str = Field(max_length=60)
    service_start: dt.date | None = None
    service_months: int | None = None
    # after-sales slices "service" | "calendar" (policy A14), fixed with the service period
    aftersales_slices: str | None = Field(default=None, max_length=10)
    created_at: dt.datetime


class AuditEntry(SQLModel, table=True):
    """One change: who, when, what, before/after; hash-chained and append-only."""

    __tablename__ = "audit"
    __table_args__ = (UniqueConstraint("hash", name="uq_audit_hash"),)

    id: int | None = Field(default=None, primary_key=True)
    at: dt.datetime
    actor: str = Field(max_length=80)
    on_behalf_of: str | None = Field(default=None, max_length=80)
    action: str = Field(max_length=60, index=True)
    entity: str = Field(max_length=40)
    entity_key: str = Field(max_length=120, index=True)
    project: str | None = Field(default=None, max_length=40, index=True)
    before: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    after: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    prev_hash: str = Field(max_length=64)
    hash: str = Field(max_length=64)
    recorded_at: dt.datetime | None = None  # the real clock time (``at`` is business time)


class Payment(SQLModel, table=True):
    """Money received from the customer: progress, final (尾款) or retention (质保金).

    A wrong entry is voided with a reason, never deleted."""

    __tablename__ = "payment"

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True)
    kind: str = Field(max_length=20)
    amount_fen: int = Field(sa_column=Column(BigInteger, nullable=False))
    paid_on: dt.date
    recorded_at: dt.datetime
    recorded_by: str = Field(max_length=80)
    voided_at: dt.datetime | None = None
    voided_by: str | None = Field(default=None, max_length=80)
    void_reason: str | None = Field(default=None, max_length=500)


# ---------------------------------------------------------------- the review meeting (0002)


class PolicySnapshot(SQLModel, table=True):
    """The exact text of a policy file an assessment was opened with (by its sha256)."""

    __tablename__ = "policy_snapshot"

    hash: str = Field(primary_key=True, max_length=64)
    policy_id: str = Field(max_length=80)
    content: str = Field(sa_column=Column(Text, nullable=False))
    stored_at: dt.datetime


class Team(SQLModel, table=True):
    """A project's team for one track: the lead and the lead's share (exact decimal text)."""

    __tablename__ = "team"
    __table_args__ = (UniqueConstraint("project_id", "track", name="uq_team_project_track"),)

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id")
    track: str = Field(max_length=20)
    lead_id: int = Field(foreign_key="staff.id")
    lead_share: str = Field(max_length=10)
    set_at: dt.datetime
    set_by: str = Field(max_length=80)


class TeamMember(SQLModel, table=True):
    """An engineer of a team with a contribution weight (exact decimal text), in order."""

    __tablename__ = "team_member"
    __table_args__ = (UniqueConstraint("team_id", "staff_id", name="uq_team_member"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: int = Field(foreign_key="team.id", index=True)
    staff_id: int = Field(foreign_key="staff.id")
    weight: str = Field(max_length=20)
    position: int


class Assessment(SQLModel, table=True):
    """One assessment: a project's track (and quarter for after-sales), bound to a policy.

    ``facts`` is JSON of the sheet's facts (money in fen); ``result`` is JSON stored at the
    GM's approval (inputs, every result, the team and the explanation)."""

    __tablename__ = "assessment"
    __table_args__ = (
        UniqueConstraint("project_id", "track", "period", name="uq_assessment_period"),
    )

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True)
    track: str = Field(max_length=20)
    period: str = Field(default="", max_length=6)
    policy_id: str = Field(max_length=80)
    policy_hash: str = Field(foreign_key="policy_snapshot.hash", max_length=64)
    status: str = Field(max_length=20, index=True)
    facts: str = Field(sa_column=Column(Text, nullable=False))
    facts_source: str = Field(max_length=20)
    version: int = 1
    opened_at: dt.datetime
    opened_by: str = Field(max_length=80)
    director_approved_at: dt.datetime | None = None
    director_approved_by: str | None = Field(default=None, max_length=80)
    director_approved_on: dt.date | None = None
    gm_approved_at: dt.datetime | None = None
    gm_approved_by: str | None = Field(default=None, max_length=80)
    gm_approved_on: dt.date | None = None
    result: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    # the sheet's free text, as typed (NULL: the sheet writes its own)
    schedule_reason: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    cost_reason: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    overview: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    review_opinion: str | None = Field(default=None, sa_column=Column(Text, nullable=True))


class Score(SQLModel, table=True):
    """One scorer's points for one item, in tenths of a point."""

    __tablename__ = "score"
    __table_args__ = (UniqueConstraint("assessment_id", "scorer", "item", name="uq_score_item"),)

    id: int | None = Field(default=None, primary_key=True)
    assessment_id: int = Field(foreign_key="assessment.id", index=True)
    scorer: str = Field(max_length=20)
    item: str = Field(max_length=40)
    points_tenths: int
    reason: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    entered_by: str = Field(max_length=80)
    entered_at: dt.datetime


class AssessmentVersion(SQLModel, table=True):
    """An approved version of an assessment, kept when it is reopened."""

    __tablename__ = "assessment_version"
    __table_args__ = (UniqueConstraint("assessment_id", "version", name="uq_assessment_version"),)

    id: int | None = Field(default=None, primary_key=True)
    assessment_id: int = Field(foreign_key="assessment.id", index=True)
    version: int
    approved_at: dt.datetime
    gm_approved_on: dt.date
    snapshot: str = Field(sa_column=Column(Text, nullable=False))
    superseded_at: dt.datetime | None = None
    reopen_reason: str | None = Field(default=None, sa_column=Column(Text, nullable=True))


class SanctionLift(SQLModel, table=True):
    """The technical director's recorded decision lifting a person's sanction on a track."""

    __tablename__ = "sanction_lift"

    id: int | None = Field(default=None, primary_key=True)
    staff_id: int = Field(foreign_key="staff.id", index=True)
    track: str = Field(max_length=20)
    lifted_at: dt.datetime
    lifted_by: str = Field(max_length=80)
    reason: str = Field(sa_column=Column(Text, nullable=False))


class Entitlement(SQLModel, table=True):
    """One money line of an approved assessment version (a person's part, the director's
    award or the pool's), written at the GM's approval and superseded, never deleted."""

    __tablename__ = "entitlement"

    id: int | None = Field(default=None, primary_key=True)
    assessment_id: int = Field(foreign_key="assessment.id", index=True)
    version: int
    project_id: int = Field(foreign_key="project.id", index=True)
    track: str = Field(max_length=20)
    slice_quarter: str | None = Field(default=None, max_length=6)
    staff_id: int | None = Field(default=None, foreign_key="staff.id")
    role: str = Field(max_length=20)
    amount_fen: int = Field(sa_column=Column(BigInteger, nullable=False))
    approved_on: dt.date
    superseded_at: dt.datetime | None = None


# --- Project lifecycle and knowledge bases (migration 0003) ---------------------------------


class StageTransition(SQLModel, table=True):
    """A project moved from one stage to another: who, when, for whom, forced and why."""

    __tablename__ = "stage_transition"

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True)
    from_stage: str = Field(max_length=60)
    to_stage: str = Field(max_length=60)
    at: dt.datetime
    by: str = Field(max_length=80)
    on_behalf_of: str | None = Field(default=None, max_length=80)
    forced: bool = False
    reason: str | None = Field(default=None, sa_column=Column(Text, nullable=True))


class Deliverable(SQLModel, table=True):
    """One filed version of a stage deliverable (file name, size, SHA-256, archive copy)."""

    __tablename__ = "deliverable"

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True)
    doc: str = Field(max_length=60)
    stage: str = Field(max_length=60)
    version: int
    file_name: str | None = Field(default=None, max_length=255)
    size: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))
    sha256: str | None = Field(default=None, max_length=64)
    archived: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    note: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    filed_at: dt.datetime
    filed_by: str = Field(max_length=80)


class DeliverableReview(SQLModel, table=True):
    """One step of a deliverable's review chain: approved or rejected, by whom (for whom)."""

    __tablename__ = "deliverable_review"

    id: int | None = Field(default=None, primary_key=True)
    deliverable_id: int = Field(foreign_key="deliverable.id", index=True)
    step: int
    role: str = Field(max_length=40)
    approved: bool
    note: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    at: dt.datetime
    by: str = Field(max_length=80)
    on_behalf_of: str | None = Field(default=None, max_length=80)


class AcceptanceEvent(SQLModel, table=True):
    """An event of the acceptance sequence; for the internal acceptance also its result,
    points deducted (exact decimal text), materials submitted, due date and days late."""

    __tablename__ = "acceptance_event"

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True)
    kind: str = Field(max_length=20)
    held_on: dt.date
    passed: bool | None = None
    deducted: str | None = Field(default=None, max_length=20)
    submitted: dt.date | None = None
    due: dt.date | None = None
    days_late: int | None = None
    note: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    recorded_at: dt.datetime
    recorded_by: str = Field(max_length=80)


class StaffAway(SQLModel, table=True):
    """An after-sales manager (A) away from ``first_day`` to ``last_day``: B acts for A."""

    __tablename__ = "staff_away"

    id: int | None = Field(default=None, primary_key=True)
    staff_id: int = Field(foreign_key="staff.id", index=True)
    first_day: dt.date
    last_day: dt.date
    recorded_at: dt.datetime
    recorded_by: str = Field(max_length=80)


class KbDocument(SQLModel, table=True):
    """A document filed in a knowledge base; ``search`` is its folded (NFKC, casefold) text."""

    __tablename__ = "kb_document"

    id: int | None = Field(default=None, primary_key=True)
    library: str = Field(max_length=20, index=True)
    business: str | None = Field(default=None, max_length=100)
    level: str | None = Field(default=None, max_length=20)
    title: str = Field(max_length=200)
    tags: str = Field(default="", sa_column=Column(Text, nullable=False))
    file_name: str = Field(max_length=255)
    size: int = Field(sa_column=Column(BigInteger, nullable=False))
    sha256: str = Field(max_length=64)
    archived: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    search: str = Field(sa_column=Column(Text, nullable=False))
    filed_at: dt.datetime
    filed_by: str = Field(max_length=80)


# --- Payouts (migration 0005) ------------------------------------------------------------


class ExtraAward(SQLModel, table=True):
    """An extra award 其他额外奖励 to one person on a project, approved by the GM."""

    __tablename__ = "extra_award"

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id")
    staff_id: int = Field(foreign_key="staff.id")
    amount_fen: int = Field(sa_column=Column(BigInteger, nullable=False))
    reason: str = Field(max_length=500)
    awarded_on: dt.date
    awarded_by: str = Field(max_length=80)
    recorded_at: dt.datetime


class PayoutRun(SQLModel, table=True):
    """One recorded payout (``bonus --pay``) for a quarter; its lines are paid together."""

    __tablename__ = "payout_run"

    id: int | None = Field(default=None, primary_key=True)
    quarter: str = Field(max_length=6, index=True)
    run_on: dt.date
    run_at: dt.datetime
    run_by: str = Field(max_length=80)
    window_first: dt.date
    window_last: dt.date


class PayoutLine(SQLModel, table=True):
    """A paid line: an entitlement, an extra award, or a negative reversal of a paid line.

    Each entitlement, award and reversed line can appear once (unique), so nothing is paid
    twice."""

    __tablename__ = "payout_line"
    __table_args__ = (
        UniqueConstraint("entitlement_id", name="uq_payout_line_entitlement"),
        UniqueConstraint("award_id", name="uq_payout_line_award"),
        UniqueConstraint("reverses_id", name="uq_payout_line_reverses"),
    )

    id: int | None = Field(default=None, primary_key=True)
    run_id: int = Field(foreign_key="payout_run.id", index=True)
    entitlement_id: int | None = Field(default=None, foreign_key="entitlement.id")
    award_id: int | None = Field(default=None, foreign_key="extra_award.id")
    reverses_id: int | None = Field(default=None, foreign_key="payout_line.id")
    assessment_id: int | None = Field(default=None, foreign_key="assessment.id", index=True)
    project_id: int = Field(foreign_key="project.id")
    track: str | None = Field(default=None, max_length=20)
    slice_quarter: str | None = Field(default=None, max_length=6)
    staff_id: int = Field(foreign_key="staff.id", index=True)
    role: str = Field(max_length=20)
    amount_fen: int = Field(sa_column=Column(BigInteger, nullable=False))
    approved_on: dt.date | None = None
    final_paid_on: dt.date | None = None
    reason: str | None = Field(default=None, max_length=500)


# --- After-sales operations: fault tickets (migration 013_tickets) ----------------------------


class Ticket(SQLModel, table=True):
    """A fault ticket 故障单 (``T<year>-<nnnn>``). Its times (reported, assigned, closed) are
    the office's local time, as the customer and the engineer speak of them."""

    __tablename__ = "ticket"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=20, unique=True, index=True)
    project_id: int = Field(foreign_key="project.id", index=True)
    status: str = Field(max_length=20, index=True)
    channel: str = Field(max_length=20)
    symptom: str = Field(sa_column=Column(Text, nullable=False))
    contact: str = Field(max_length=200)
    phone: str = Field(max_length=60)
    reported_at: dt.datetime
    out_of_warranty: bool = False
    engineer_id: int | None = Field(default=None, foreign_key="staff.id")
    assigned_at: dt.datetime | None = None
    solved_by: str | None = Field(default=None, max_length=10)
    service_date: dt.date | None = None
    service_note: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    trip_from: dt.date | None = None
    trip_to: dt.date | None = None
    trip_purpose: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    trip_sales_by: str | None = Field(default=None, max_length=80)
    trip_manager_by: str | None = Field(default=None, max_length=80)
    customer_signer: str | None = Field(default=None, max_length=200)
    customer_signed_on: dt.date | None = None
    manager_signed_by: str | None = Field(default=None, max_length=80)
    closed_at: dt.datetime | None = None
    archived_on: dt.date | None = None
    created_at: dt.datetime
    created_by: str = Field(max_length=80)


class TicketEvent(SQLModel, table=True):
    """One step of a ticket's history: what, by whom (for whom), the state it left it in, and
    the step's values (JSON, language-independent)."""

    __tablename__ = "ticket_event"

    id: int | None = Field(default=None, primary_key=True)
    ticket_id: int = Field(foreign_key="ticket.id", index=True)
    at: dt.datetime
    actor: str = Field(max_length=80)
    on_behalf_of: str | None = Field(default=None, max_length=80)
    action: str = Field(max_length=30)
    status: str = Field(max_length=20)
    data: str | None = Field(default=None, sa_column=Column(Text, nullable=True))


class TicketExpense(SQLModel, table=True):
    """A trip expense claimed against a service report signed by the manager."""

    __tablename__ = "ticket_expense"

    id: int | None = Field(default=None, primary_key=True)
    ticket_id: int = Field(foreign_key="ticket.id", index=True)
    amount_fen: int = Field(sa_column=Column(BigInteger, nullable=False))
    note: str = Field(sa_column=Column(Text, nullable=False))
    recorded_at: dt.datetime
    recorded_by: str = Field(max_length=80)


class TicketRepair(SQLModel, table=True):
    """A repair or replacement of a part: free inside the warranty, else against a commerce
    quote (fen)."""

    __tablename__ = "ticket_repair"

    id: int | None = Field(default=None, primary_key=True)
    ticket_id: int = Field(foreign_key="ticket.id", index=True)
    part: str = Field(max_length=200)
    action: str = Field(max_length=10)
    in_warranty: bool
    quote_fen: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))
    recorded_at: dt.datetime
    recorded_by: str = Field(max_length=80)


class Consultation(SQLModel, table=True):
    """A consultation 咨询 answered by the after-sales manager; a new requirement goes to the
    pre-sales manager, and may open a linked pre-sales project."""

    __tablename__ = "consultation"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=20, unique=True, index=True)
    project_id: int = Field(foreign_key="project.id", index=True)
    question: str = Field(sa_column=Column(Text, nullable=False))
    answer: str = Field(sa_column=Column(Text, nullable=False))
    new_requirement: bool = False
    presales_project_id: int | None = Field(default=None, foreign_key="project.id")
    recorded_at: dt.datetime
    recorded_by: str = Field(max_length=80)


class AftersalesCost(SQLModel, table=True):
    """A project's after-sales budget (start of a quarter) or actual cost (finance, at its
    end), used by the quarter's assessment when ``assess open`` gives none."""

    __tablename__ = "aftersales_cost"
    __table_args__ = (UniqueConstraint("project_id", "quarter", "kind", name="uq_aftersales_cost"),)

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True)
    quarter: str = Field(max_length=6)
    kind: str = Field(max_length=10)
    amount_fen: int = Field(sa_column=Column(BigInteger, nullable=False))
    recorded_at: dt.datetime
    recorded_by: str = Field(max_length=80)


# --- The rest of the department's work (migration 018_work) --------------------------------


class MonthlySheet(SQLModel, table=True):
    """One engineer's monthly assessment sheet (月度考核表), by their manager. A corrected
    sheet is a new version; the latest counts. Never feeds a project bonus."""

    __tablename__ = "monthly_sheet"
    __table_args__ = (
        UniqueConstraint("staff_id", "month", "version", name="uq_monthly_sheet_version"),
    )

    id: int | None = Field(default=None, primary_key=True)
    staff_id: int = Field(foreign_key="staff.id", index=True)
    month: str = Field(max_length=7, index=True)
    group: str = Field(max_length=40)
    version: int
    items: str = Field(sa_column=Column(Text, nullable=False))
    total: str = Field(max_length=20)
    note: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    policy_id: str = Field(max_length=40)
    policy_hash: str = Field(max_length=64)
    scored_at: dt.datetime
    scored_by: str = Field(max_length=80)


class CrewQuote(SQLModel, table=True):
    """A construction crew's quote for a project (seed 2.3.4: at least two crews quote)."""

    __tablename__ = "crew_quote"

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True)
    crew: str = Field(max_length=200)
    amount_fen: int = Field(sa_column=Column(BigInteger, nullable=False))
    note: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    recorded_at: dt.datetime
    recorded_by: str = Field(max_length=80)


class CrewChoice(SQLModel, table=True):
    """The crew given the construction of a project, on its quote, with the subcontract
    (外包施工合同) when filed. One per project."""

    __tablename__ = "crew_choice"

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", unique=True)
    quote_id: int = Field(foreign_key="crew_quote.id")
    quotes: int
    contract_file: str | None = Field(default=None, max_length=255)
    contract_size: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))
    contract_sha256: str | None = Field(default=None, max_length=64)
    contract_archived: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    note: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    chosen_at: dt.datetime
    chosen_by: str = Field(max_length=80)


class KbProposal(SQLModel, table=True):
    """A knowledge-base update proposed (plan and content, seed 1.3.9) and awaiting the
    library owner's review; once approved it is filed as ``document_id``."""

    __tablename__ = "kb_proposal"

    id: int | None = Field(default=None, primary_key=True)
    library: str = Field(max_length=20, index=True)
    business: str | None = Field(default=None, max_length=100)
    level: str | None = Field(default=None, max_length=20)
    title: str = Field(max_length=200)
    tags: str = Field(default="", sa_column=Column(Text, nullable=False))
    plan: str = Field(sa_column=Column(Text, nullable=False))
    file_name: str = Field(max_length=255)
    size: int = Field(sa_column=Column(BigInteger, nullable=False))
    sha256: str = Field(max_length=64)
    archived: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    proposed_at: dt.datetime
    proposed_by: str = Field(max_length=80)
    status: str = Field(max_length=20)  # pending | approved | rejected
    reviewed_at: dt.datetime | None = None
    reviewed_by: str | None = Field(default=None, max_length=80)
    review_note: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    document_id: int | None = Field(default=None, foreign_key="kb_document.id")


class Training(SQLModel, table=True):
    """A training of the customer's staff (seed 2.3.6: plan, sign-in, training, feedback)."""

    __tablename__ = "training"

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True)
    held_on: dt.date
    topic: str = Field(max_length=200)
    trainer_id: int = Field(foreign_key="staff.id")
    place: str | None = Field(default=None, max_length=200)
    planned_at: dt.datetime
    planned_by: str = Field(max_length=80)


class TrainingAttendee(SQLModel, table=True):
    """One customer attendee's sign-in (培训签到表)."""

    __tablename__ = "training_attendee"
    __table_args__ = (UniqueConstraint("training_id", "name", name="uq_training_attendee"),)

    id: int | None = Field(default=None, primary_key=True)
    training_id: int = Field(foreign_key="training.id", index=True)
    name: str = Field(max_length=200)
    signed_at: dt.datetime
    recorded_by: str = Field(max_length=80)


class TrainingFeedback(SQLModel, table=True):
    """One feedback form (培训反馈表): a rating 1–5 and a note."""

    __tablename__ = "training_feedback"

    id: int | None = Field(default=None, primary_key=True)
    training_id: int = Field(foreign_key="training.id", index=True)
    rating: int
    note: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    recorded_at: dt.datetime
    recorded_by: str = Field(max_length=80)


class DemoSystem(SQLModel, table=True):
    """A demo system kept by pre-sales as a virtual machine (seed 1.3.6–1.3.7)."""

    __tablename__ = "demo_system"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=100, unique=True)
    scenario: str = Field(max_length=200)
    vm_image: str = Field(sa_column=Column(Text, nullable=False))
    added_at: dt.datetime
    added_by: str = Field(max_length=80)


class DemoCheck(SQLModel, table=True):
    """A test (result pass/fail) or a backup (where it went) of a demo system."""

    __tablename__ = "demo_check"

    id: int | None = Field(default=None, primary_key=True)
    demo_system_id: int = Field(foreign_key="demo_system.id", index=True)
    kind: str = Field(max_length=10)  # test | backup
    result: str | None = Field(default=None, max_length=10)  # pass | fail (tests)
    location: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    note: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    at: dt.datetime
    by: str = Field(max_length=80)


class DeliverableDemo(SQLModel, table=True):
    """The demo system a case-demo or bid-demo deliverable (one filed version) used."""

    __tablename__ = "deliverable_demo"

    deliverable_id: int = Field(foreign_key="deliverable.id", primary_key=True)
    demo_system_id: int = Field(foreign_key="demo_system.id", index=True)


# --- Department settings (migration 020_config) -------------------------------------------


class Config(SQLModel, table=True):
    """One department setting (``techdept config set KEY VALUE``): the company's name printed
    on every sheet's title line. Changes are audited (``config.set`` / ``config.unset``)."""

    __tablename__ = "config"

    key: str = Field(primary_key=True, max_length=40)
    value: str = Field(sa_column=Column(Text, nullable=False))
    set_at: dt.datetime
    set_by: str = Field(max_length=80)
    audit_id: int  # the audit row that set it (checked before a sheet prints the value)
