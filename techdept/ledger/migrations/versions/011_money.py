"""Audit rows keep the real clock time they were written at (``recorded_at``, UTC) beside the
business time ``at`` (whose date ``TECHDEPT_TODAY`` may set): a back-dated write shows.

Revision ID: 011_money
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "011_money"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("audit", sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("audit") as batch:
        batch.drop_column("recorded_at")
