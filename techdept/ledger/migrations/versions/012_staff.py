"""Staff administration (issue 12): the day a person leaves, their database login, and codes
unique without regard to case.

Revision ID: 012_staff
Revises: 011_money
"""

import sqlalchemy as sa
from alembic import op

revision = "012_staff"
down_revision = "011_money"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("staff") as batch:
        batch.add_column(sa.Column("left_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("login", sa.String(63), nullable=True))
        batch.create_index("ix_staff_login", ["login"], unique=True)
    op.create_index("ix_staff_code_folded", "staff", [sa.text("lower(code)")], unique=True)


def downgrade() -> None:
    op.drop_index("ix_staff_code_folded", table_name="staff")
    with op.batch_alter_table("staff") as batch:
        batch.drop_index("ix_staff_login")
        batch.drop_column("login")
        batch.drop_column("left_on")
