"""Staff, roles, projects and the append-only, hash-chained audit trail.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "staff",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("code", sa.String(40), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_staff_code", "staff", ["code"], unique=True)
    op.create_table(
        "staff_role",
        sa.Column("staff_id", sa.Integer(), sa.ForeignKey("staff.id"), primary_key=True),
        sa.Column("role", sa.String(40), primary_key=True),
    )
    op.create_table(
        "project",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("code", sa.String(40), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("customer", sa.String(200), nullable=False),
        sa.Column("contract_fen", sa.BigInteger(), nullable=True),
        sa.Column("complexity", sa.String(40), nullable=True),
        sa.Column("difficulty", sa.String(10), nullable=True),
        sa.Column("risk", sa.String(10), nullable=True),
        sa.Column("sales_id", sa.Integer(), sa.ForeignKey("staff.id"), nullable=True),
        sa.Column("signed_on", sa.Date(), nullable=True),
        sa.Column("stage", sa.String(60), nullable=False),
        sa.Column("adopted_stage", sa.String(60), nullable=False),
        sa.Column("service_start", sa.Date(), nullable=True),
        sa.Column("service_months", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_project_code", "project", ["code"], unique=True)
    op.create_table(
        "audit",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(80), nullable=False),
        sa.Column("on_behalf_of", sa.String(80), nullable=True),
        sa.Column("action", sa.String(60), nullable=False),
        sa.Column("entity", sa.String(40), nullable=False),
        sa.Column("entity_key", sa.String(120), nullable=False),
        sa.Column("project", sa.String(40), nullable=True),
        sa.Column("before", sa.Text(), nullable=True),
        sa.Column("after", sa.Text(), nullable=True),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.UniqueConstraint("hash", name="uq_audit_hash"),
    )
    op.create_index("ix_audit_action", "audit", ["action"])
    op.create_index("ix_audit_entity_key", "audit", ["entity_key"])
    op.create_index("ix_audit_project", "audit", ["project"])
    _append_only("audit")


def _append_only(table: str) -> None:
    """Refuse UPDATE and DELETE on ``table`` at the database itself."""
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for verb in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER {table}_no_{verb.lower()} BEFORE {verb} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"
            )
    elif dialect == "postgresql":
        op.execute(
            f"CREATE FUNCTION {table}_append_only() RETURNS trigger AS $$ BEGIN "
            f"RAISE EXCEPTION '{table} is append-only'; END $$ LANGUAGE plpgsql"
        )
        op.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION {table}_append_only()"
        )


def downgrade() -> None:
    op.drop_table("audit")
    op.drop_index("ix_project_code", "project")
    op.drop_table("project")
    op.drop_table("staff_role")
    op.drop_index("ix_staff_code", "staff")
    op.drop_table("staff")
