"""Payout runs and their lines, extra awards. Joins the review meeting (0002) and the
payments (0004) branches: a payout needs both an approved entitlement and a final payment.

Revision ID: 0005
Revises: 0002, 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = ("0002", "0004")
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "extra_award",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("project_id", sa.Integer(), sa.ForeignKey("project.id"), nullable=False),
        sa.Column("staff_id", sa.Integer(), sa.ForeignKey("staff.id"), nullable=False),
        sa.Column("amount_fen", sa.BigInteger(), nullable=False),
        sa.Column("reason", sa.String(500), nullable=False),
        sa.Column("awarded_on", sa.Date(), nullable=False),
        sa.Column("awarded_by", sa.String(80), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "payout_run",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("quarter", sa.String(6), nullable=False),
        sa.Column("run_on", sa.Date(), nullable=False),
        sa.Column("run_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("run_by", sa.String(80), nullable=False),
        sa.Column("window_first", sa.Date(), nullable=False),
        sa.Column("window_last", sa.Date(), nullable=False),
    )
    op.create_index("ix_payout_run_quarter", "payout_run", ["quarter"])
    op.create_table(
        "payout_line",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("run_id", sa.Integer(), sa.ForeignKey("payout_run.id"), nullable=False),
        sa.Column("entitlement_id", sa.Integer(), sa.ForeignKey("entitlement.id"), nullable=True),
        sa.Column("award_id", sa.Integer(), sa.ForeignKey("extra_award.id"), nullable=True),
        sa.Column("reverses_id", sa.Integer(), sa.ForeignKey("payout_line.id"), nullable=True),
        sa.Column("assessment_id", sa.Integer(), sa.ForeignKey("assessment.id"), nullable=True),
        sa.Column("project_id", sa.Integer(), sa.ForeignKey("project.id"), nullable=False),
        sa.Column("track", sa.String(20), nullable=True),
        sa.Column("slice_quarter", sa.String(6), nullable=True),
        sa.Column("staff_id", sa.Integer(), sa.ForeignKey("staff.id"), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("amount_fen", sa.BigInteger(), nullable=False),
        sa.Column("approved_on", sa.Date(), nullable=True),
        sa.Column("final_paid_on", sa.Date(), nullable=True),
        sa.Column("reason", sa.String(500), nullable=True),
        sa.UniqueConstraint("entitlement_id", name="uq_payout_line_entitlement"),
        sa.UniqueConstraint("award_id", name="uq_payout_line_award"),
        sa.UniqueConstraint("reverses_id", name="uq_payout_line_reverses"),
    )
    op.create_index("ix_payout_line_run_id", "payout_line", ["run_id"])
    op.create_index("ix_payout_line_staff_id", "payout_line", ["staff_id"])
    op.create_index("ix_payout_line_assessment_id", "payout_line", ["assessment_id"])


def downgrade() -> None:
    op.drop_table("payout_line")
    op.drop_table("payout_run")
    op.drop_table("extra_award")
