"""Department settings: the company's name printed on every sheet's title line
(``techdept config set company …``), one row per key.

Revision ID: 020_config
Revises: 018_work
"""

import sqlalchemy as sa
from alembic import op

revision = "020_config"
down_revision = "019_texts"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "config",
        sa.Column("key", sa.String(40), primary_key=True),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("set_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("set_by", sa.String(80), nullable=False),
        sa.Column("audit_id", sa.Integer(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("config")
