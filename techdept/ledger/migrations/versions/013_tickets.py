"""After-sales operations: fault tickets and their history, trip expenses, repairs,
consultations, the quarter's budget and actual cost, and each project's after-sales slicing
mode (policy A14), fixed when its service period is set. Projects that already have a service
period keep today's calendar slices.

Revision ID: 013_tickets
Revises: 012_staff
"""

import sqlalchemy as sa
from alembic import op

revision = "013_tickets"
down_revision = "012_staff"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("project") as batch:
        batch.add_column(sa.Column("aftersales_slices", sa.String(10), nullable=True))
    op.execute("UPDATE project SET aftersales_slices = 'calendar' WHERE service_start IS NOT NULL")
    op.create_table(
        "ticket",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("code", sa.String(20), nullable=False),
        sa.Column("project_id", sa.Integer(), sa.ForeignKey("project.id"), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("channel", sa.String(20), nullable=False),
        sa.Column("symptom", sa.Text(), nullable=False),
        sa.Column("contact", sa.String(200), nullable=False),
        sa.Column("phone", sa.String(60), nullable=False),
        sa.Column("reported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("out_of_warranty", sa.Boolean(), nullable=False),
        sa.Column("engineer_id", sa.Integer(), sa.ForeignKey("staff.id"), nullable=True),
        sa.Column("assigned_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("solved_by", sa.String(10), nullable=True),
        sa.Column("service_date", sa.Date(), nullable=True),
        sa.Column("service_note", sa.Text(), nullable=True),
        sa.Column("trip_from", sa.Date(), nullable=True),
        sa.Column("trip_to", sa.Date(), nullable=True),
        sa.Column("trip_purpose", sa.Text(), nullable=True),
        sa.Column("trip_sales_by", sa.String(80), nullable=True),
        sa.Column("trip_manager_by", sa.String(80), nullable=True),
        sa.Column("customer_signer", sa.String(200), nullable=True),
        sa.Column("customer_signed_on", sa.Date(), nullable=True),
        sa.Column("manager_signed_by", sa.String(80), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("archived_on", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(80), nullable=False),
    )
    op.create_index("ix_ticket_code", "ticket", ["code"], unique=True)
    op.create_index("ix_ticket_project_id", "ticket", ["project_id"])
    op.create_index("ix_ticket_status", "ticket", ["status"])
    op.create_table(
        "ticket_event",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("ticket_id", sa.Integer(), sa.ForeignKey("ticket.id"), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(80), nullable=False),
        sa.Column("on_behalf_of", sa.String(80), nullable=True),
        sa.Column("action", sa.String(30), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("data", sa.Text(), nullable=True),
    )
    op.create_index("ix_ticket_event_ticket_id", "ticket_event", ["ticket_id"])
    op.create_table(
        "ticket_expense",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("ticket_id", sa.Integer(), sa.ForeignKey("ticket.id"), nullable=False),
        sa.Column("amount_fen", sa.BigInteger(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sa.String(80), nullable=False),
    )
    op.create_index("ix_ticket_expense_ticket_id", "ticket_expense", ["ticket_id"])
    op.create_table(
        "ticket_repair",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("ticket_id", sa.Integer(), sa.ForeignKey("ticket.id"), nullable=False),
        sa.Column("part", sa.String(200), nullable=False),
        sa.Column("action", sa.String(10), nullable=False),
        sa.Column("in_warranty", sa.Boolean(), nullable=False),
        sa.Column("quote_fen", sa.BigInteger(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sa.String(80), nullable=False),
    )
    op.create_index("ix_ticket_repair_ticket_id", "ticket_repair", ["ticket_id"])
    op.create_table(
        "consultation",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("code", sa.String(20), nullable=False),
        sa.Column("project_id", sa.Integer(), sa.ForeignKey("project.id"), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.Column("new_requirement", sa.Boolean(), nullable=False),
        sa.Column("presales_project_id", sa.Integer(), sa.ForeignKey("project.id"), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sa.String(80), nullable=False),
    )
    op.create_index("ix_consultation_code", "consultation", ["code"], unique=True)
    op.create_index("ix_consultation_project_id", "consultation", ["project_id"])
    op.create_table(
        "aftersales_cost",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("project_id", sa.Integer(), sa.ForeignKey("project.id"), nullable=False),
        sa.Column("quarter", sa.String(6), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("amount_fen", sa.BigInteger(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sa.String(80), nullable=False),
        sa.UniqueConstraint("project_id", "quarter", "kind", name="uq_aftersales_cost"),
    )
    op.create_index("ix_aftersales_cost_project_id", "aftersales_cost", ["project_id"])


def downgrade() -> None:
    for table in (
        "aftersales_cost",
        "consultation",
        "ticket_repair",
        "ticket_expense",
        "ticket_event",
        "ticket",
    ):
        op.drop_table(table)
    with op.batch_alter_table("project") as batch:
        batch.drop_column("aftersales_slices")
