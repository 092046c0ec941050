"""The review meeting: policy snapshots, teams, assessments, scores, approved versions,
sanction lifts and the entitlements written at the GM's approval.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "policy_snapshot",
        sa.Column("hash", sa.String(64), primary_key=True),
        sa.Column("policy_id", sa.String(80), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("stored_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "team",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("project_id", sa.Integer(), sa.ForeignKey("project.id"), nullable=False),
        sa.Column("track", sa.String(20), nullable=False),
        sa.Column("lead_id", sa.Integer(), sa.ForeignKey("staff.id"), nullable=False),
        sa.Column("lead_share", sa.String(10), nullable=False),
        sa.Column("set_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("set_by", sa.String(80), nullable=False),
        sa.UniqueConstraint("project_id", "track", name="uq_team_project_track"),
    )
    op.create_table(
        "team_member",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("team_id", sa.Integer(), sa.ForeignKey("team.id"), nullable=False),
        sa.Column("staff_id", sa.Integer(), sa.ForeignKey("staff.id"), nullable=False),
        sa.Column("weight", sa.String(20), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.UniqueConstraint("team_id", "staff_id", name="uq_team_member"),
    )
    op.create_index("ix_team_member_team_id", "team_member", ["team_id"])
    op.create_table(
        "assessment",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("project_id", sa.Integer(), sa.ForeignKey("project.id"), nullable=False),
        sa.Column("track", sa.String(20), nullable=False),
        sa.Column("period", sa.String(6), nullable=False),
        sa.Column("policy_id", sa.String(80), nullable=False),
        sa.Column(
            "policy_hash",
            sa.String(64),
            sa.ForeignKey("policy_snapshot.hash"),
            nullable=False,
        ),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("facts", sa.Text(), nullable=False),
        sa.Column("facts_source", sa.String(20), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("opened_by", sa.String(80), nullable=False),
        sa.Column("director_approved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("director_approved_by", sa.String(80), nullable=True),
        sa.Column("director_approved_on", sa.Date(), nullable=True),
        sa.Column("gm_approved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("gm_approved_by", sa.String(80), nullable=True),
        sa.Column("gm_approved_on", sa.Date(), nullable=True),
        sa.Column("result", sa.Text(), nullable=True),
        sa.UniqueConstraint("project_id", "track", "period", name="uq_assessment_period"),
    )
    op.create_index("ix_assessment_project_id", "assessment", ["project_id"])
    op.create_index("ix_assessment_status", "assessment", ["status"])
    op.create_table(
        "score",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("assessment_id", sa.Integer(), sa.ForeignKey("assessment.id"), nullable=False),
        sa.Column("scorer", sa.String(20), nullable=False),
        sa.Column("item", sa.String(40), nullable=False),
        sa.Column("points_tenths", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("entered_by", sa.String(80), nullable=False),
        sa.Column("entered_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("assessment_id", "scorer", "item", name="uq_score_item"),
    )
    op.create_index("ix_score_assessment_id", "score", ["assessment_id"])
    op.create_table(
        "assessment_version",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("assessment_id", sa.Integer(), sa.ForeignKey("assessment.id"), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("approved_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("gm_approved_on", sa.Date(), nullable=False),
        sa.Column("snapshot", sa.Text(), nullable=False),
        sa.Column("superseded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reopen_reason", sa.Text(), nullable=True),
        sa.UniqueConstraint("assessment_id", "version", name="uq_assessment_version"),
    )
    op.create_index("ix_assessment_version_assessment_id", "assessment_version", ["assessment_id"])
    op.create_table(
        "sanction_lift",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("staff_id", sa.Integer(), sa.ForeignKey("staff.id"), nullable=False),
        sa.Column("track", sa.String(20), nullable=False),
        sa.Column("lifted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("lifted_by", sa.String(80), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
    )
    op.create_index("ix_sanction_lift_staff_id", "sanction_lift", ["staff_id"])
    op.create_table(
        "entitlement",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("assessment_id", sa.Integer(), sa.ForeignKey("assessment.id"), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), sa.ForeignKey("project.id"), nullable=False),
        sa.Column("track", sa.String(20), nullable=False),
        sa.Column("slice_quarter", sa.String(6), nullable=True),
        sa.Column("staff_id", sa.Integer(), sa.ForeignKey("staff.id"), nullable=True),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("amount_fen", sa.BigInteger(), nullable=False),
        sa.Column("approved_on", sa.Date(), nullable=False),
        sa.Column("superseded_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_entitlement_assessment_id", "entitlement", ["assessment_id"])
    op.create_index("ix_entitlement_project_id", "entitlement", ["project_id"])


def downgrade() -> None:
    op.drop_index("ix_entitlement_project_id", "entitlement")
    op.drop_index("ix_entitlement_assessment_id", "entitlement")
    op.drop_table("entitlement")
    op.drop_index("ix_sanction_lift_staff_id", "sanction_lift")
    op.drop_table("sanction_lift")
    op.drop_index("ix_assessment_version_assessment_id", "assessment_version")
    op.drop_table("assessment_version")
    op.drop_index("ix_score_assessment_id", "score")
    op.drop_table("score")
    op.drop_index("ix_assessment_status", "assessment")
    op.drop_index("ix_assessment_project_id", "assessment")
    op.drop_table("assessment")
    op.drop_index("ix_team_member_team_id", "team_member")
    op.drop_table("team_member")
    op.drop_table("team")
    op.drop_table("policy_snapshot")
