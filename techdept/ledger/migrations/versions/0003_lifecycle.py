"""Project lifecycle: stage transitions, deliverables and their reviews, the acceptance
sequence, A/B cover (after-sales manager away), knowledge-base documents.

Revision ID: 0003
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "stage_transition",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("project_id", sa.Integer(), sa.ForeignKey("project.id"), nullable=False),
        sa.Column("from_stage", sa.String(60), nullable=False),
        sa.Column("to_stage", sa.String(60), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("by", sa.String(80), nullable=False),
        sa.Column("on_behalf_of", sa.String(80), nullable=True),
        sa.Column("forced", sa.Boolean(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
    )
    op.create_index("ix_stage_transition_project_id", "stage_transition", ["project_id"])
    op.create_table(
        "deliverable",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("project_id", sa.Integer(), sa.ForeignKey("project.id"), nullable=False),
        sa.Column("doc", sa.String(60), nullable=False),
        sa.Column("stage", sa.String(60), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("file_name", sa.String(255), nullable=True),
        sa.Column("size", sa.BigInteger(), nullable=True),
        sa.Column("sha256", sa.String(64), nullable=True),
        sa.Column("archived", sa.Text(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("filed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("filed_by", sa.String(80), nullable=False),
    )
    op.create_index("ix_deliverable_project_id", "deliverable", ["project_id"])
    op.create_table(
        "deliverable_review",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("deliverable_id", sa.Integer(), sa.ForeignKey("deliverable.id"), nullable=False),
        sa.Column("step", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(40), nullable=False),
        sa.Column("approved", sa.Boolean(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("by", sa.String(80), nullable=False),
        sa.Column("on_behalf_of", sa.String(80), nullable=True),
    )
    op.create_index(
        "ix_deliverable_review_deliverable_id", "deliverable_review", ["deliverable_id"]
    )
    op.create_table(
        "acceptance_event",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("project_id", sa.Integer(), sa.ForeignKey("project.id"), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("passed", sa.Boolean(), nullable=True),
        sa.Column("deducted", sa.String(20), nullable=True),
        sa.Column("submitted", sa.Date(), nullable=True),
        sa.Column("due", sa.Date(), nullable=True),
        sa.Column("days_late", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sa.String(80), nullable=False),
    )
    op.create_index("ix_acceptance_event_project_id", "acceptance_event", ["project_id"])
    op.create_table(
        "staff_away",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("staff_id", sa.Integer(), sa.ForeignKey("staff.id"), nullable=False),
        sa.Column("first_day", sa.Date(), nullable=False),
        sa.Column("last_day", sa.Date(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sa.String(80), nullable=False),
    )
    op.create_index("ix_staff_away_staff_id", "staff_away", ["staff_id"])
    op.create_table(
        "kb_document",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("library", sa.String(20), nullable=False),
        sa.Column("business", sa.String(100), nullable=True),
        sa.Column("level", sa.String(20), nullable=True),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("tags", sa.Text(), nullable=False),
        sa.Column("file_name", sa.String(255), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("archived", sa.Text(), nullable=True),
        sa.Column("search", sa.Text(), nullable=False),
        sa.Column("filed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("filed_by", sa.String(80), nullable=False),
    )
    op.create_index("ix_kb_document_library", "kb_document", ["library"])


def downgrade() -> None:
    op.drop_index("ix_kb_document_library", "kb_document")
    op.drop_table("kb_document")
    op.drop_index("ix_staff_away_staff_id", "staff_away")
    op.drop_table("staff_away")
    op.drop_index("ix_acceptance_event_project_id", "acceptance_event")
    op.drop_table("acceptance_event")
    op.drop_index("ix_deliverable_review_deliverable_id", "deliverable_review")
    op.drop_table("deliverable_review")
    op.drop_index("ix_deliverable_project_id", "deliverable")
    op.drop_table("deliverable")
    op.drop_index("ix_stage_transition_project_id", "stage_transition")
    op.drop_table("stage_transition")
