"""The rest of the department's work: monthly assessment sheets, construction crews' quotes
and the crew chosen, knowledge-base proposals under review, trainings (sign-in, feedback),
demo systems (tests, backups, the demo deliverables that used them).

Revision ID: 018_work
Revises: 013_tickets
"""

import sqlalchemy as sa
from alembic import op

revision = "018_work"
down_revision = "013_tickets"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "monthly_sheet",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("staff_id", sa.Integer(), sa.ForeignKey("staff.id"), nullable=False),
        sa.Column("month", sa.String(7), nullable=False),
        sa.Column("group", sa.String(40), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("items", sa.Text(), nullable=False),
        sa.Column("total", sa.String(20), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("policy_id", sa.String(40), nullable=False),
        sa.Column("policy_hash", sa.String(64), nullable=False),
        sa.Column("scored_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("scored_by", sa.String(80), nullable=False),
        sa.UniqueConstraint("staff_id", "month", "version", name="uq_monthly_sheet_version"),
    )
    op.create_index("ix_monthly_sheet_staff_id", "monthly_sheet", ["staff_id"])
    op.create_index("ix_monthly_sheet_month", "monthly_sheet", ["month"])

    op.create_table(
        "crew_quote",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("project_id", sa.Integer(), sa.ForeignKey("project.id"), nullable=False),
        sa.Column("crew", sa.String(200), nullable=False),
        sa.Column("amount_fen", sa.BigInteger(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sa.String(80), nullable=False),
    )
    op.create_index("ix_crew_quote_project_id", "crew_quote", ["project_id"])
    op.create_table(
        "crew_choice",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "project_id", sa.Integer(), sa.ForeignKey("project.id"), nullable=False, unique=True
        ),
        sa.Column("quote_id", sa.Integer(), sa.ForeignKey("crew_quote.id"), nullable=False),
        sa.Column("quotes", sa.Integer(), nullable=False),
        sa.Column("contract_file", sa.String(255), nullable=True),
        sa.Column("contract_size", sa.BigInteger(), nullable=True),
        sa.Column("contract_sha256", sa.String(64), nullable=True),
        sa.Column("contract_archived", sa.Text(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("chosen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("chosen_by", sa.String(80), nullable=False),
    )

    op.create_table(
        "kb_proposal",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("library", sa.String(20), nullable=False),
        sa.Column("business", sa.String(100), nullable=True),
        sa.Column("level", sa.String(20), nullable=True),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("tags", sa.Text(), nullable=False),
        sa.Column("plan", sa.Text(), nullable=False),
        sa.Column("file_name", sa.String(255), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("archived", sa.Text(), nullable=True),
        sa.Column("proposed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("proposed_by", sa.String(80), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reviewed_by", sa.String(80), nullable=True),
        sa.Column("review_note", sa.Text(), nullable=True),
        sa.Column("document_id", sa.Integer(), sa.ForeignKey("kb_document.id"), nullable=True),
    )
    op.create_index("ix_kb_proposal_library", "kb_proposal", ["library"])

    op.create_table(
        "training",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("project_id", sa.Integer(), sa.ForeignKey("project.id"), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("topic", sa.String(200), nullable=False),
        sa.Column("trainer_id", sa.Integer(), sa.ForeignKey("staff.id"), nullable=False),
        sa.Column("place", sa.String(200), nullable=True),
        sa.Column("planned_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("planned_by", sa.String(80), nullable=False),
    )
    op.create_index("ix_training_project_id", "training", ["project_id"])
    op.create_table(
        "training_attendee",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("training_id", sa.Integer(), sa.ForeignKey("training.id"), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("signed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sa.String(80), nullable=False),
        sa.UniqueConstraint("training_id", "name", name="uq_training_attendee"),
    )
    op.create_index("ix_training_attendee_training_id", "training_attendee", ["training_id"])
    op.create_table(
        "training_feedback",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("training_id", sa.Integer(), sa.ForeignKey("training.id"), nullable=False),
        sa.Column("rating", sa.Integer(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sa.String(80), nullable=False),
    )
    op.create_index("ix_training_feedback_training_id", "training_feedback", ["training_id"])

    op.create_table(
        "demo_system",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(100), nullable=False, unique=True),
        sa.Column("scenario", sa.String(200), nullable=False),
        sa.Column("vm_image", sa.Text(), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("added_by", sa.String(80), nullable=False),
    )
    op.create_table(
        "demo_check",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("demo_system_id", sa.Integer(), sa.ForeignKey("demo_system.id"), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("result", sa.String(10), nullable=True),
        sa.Column("location", sa.Text(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("by", sa.String(80), nullable=False),
    )
    op.create_index("ix_demo_check_demo_system_id", "demo_check", ["demo_system_id"])
    op.create_table(
        "deliverable_demo",
        sa.Column(
            "deliverable_id", sa.Integer(), sa.ForeignKey("deliverable.id"), primary_key=True
        ),
        sa.Column("demo_system_id", sa.Integer(), sa.ForeignKey("demo_system.id"), nullable=False),
    )
    op.create_index("ix_deliverable_demo_demo_system_id", "deliverable_demo", ["demo_system_id"])


def downgrade() -> None:
    op.drop_index("ix_deliverable_demo_demo_system_id", "deliverable_demo")
    op.drop_table("deliverable_demo")
    op.drop_index("ix_demo_check_demo_system_id", "demo_check")
    op.drop_table("demo_check")
    op.drop_table("demo_system")
    for table in ("training_feedback", "training_attendee"):
        op.drop_index(f"ix_{table}_training_id", table)
        op.drop_table(table)
    op.drop_index("ix_training_project_id", "training")
    op.drop_table("training")
    op.drop_index("ix_kb_proposal_library", "kb_proposal")
    op.drop_table("kb_proposal")
    op.drop_table("crew_choice")
    op.drop_index("ix_crew_quote_project_id", "crew_quote")
    op.drop_table("crew_quote")
    op.drop_index("ix_monthly_sheet_month", "monthly_sheet")
    op.drop_index("ix_monthly_sheet_staff_id", "monthly_sheet")
    op.drop_table("monthly_sheet")
