"""The free text the paper assessment sheets ask for: the reason for the schedule
(工期提前或滞后原因) and for the cost (费用超支或节约原因), the project overview (工程概况) and
the review opinion (审核意见). Each is NULL until given; the sheet then writes its own text.

Revision ID: 019_texts
Revises: 018_work
"""

import sqlalchemy as sa
from alembic import op

revision = "019_texts"
down_revision = "018_work"
branch_labels = None
depends_on = None

TEXTS = ("schedule_reason", "cost_reason", "overview", "review_opinion")


def upgrade() -> None:
    with op.batch_alter_table("assessment") as batch:
        for name in TEXTS:
            batch.add_column(sa.Column(name, sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("assessment") as batch:
        for name in reversed(TEXTS):
            batch.drop_column(name)
