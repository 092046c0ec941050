"""The audit trail refuses TRUNCATE on PostgreSQL too (row triggers do not see it); joins the
lifecycle (0003) and payouts (0005) branches into one head.

Revision ID: 0006
Revises: 0003, 0005
"""

from alembic import op

revision = "0006"
down_revision = ("0003", "0005")
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit "
            "FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only()"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER audit_no_truncate ON audit")
