"""The ledger's tables (SQLModel). Money is integer fen; dates are dates; JSON is text."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel


class Staff(SQLModel, table=True):
    __tablename__ = "staff"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=40, unique=True, index=True)
    name: str = Field(max_length=200)
    created_at: dt.datetime


class StaffRole(SQLModel, table=True):
    __tablename__ = "staff_role"

    staff_id: int = Field(foreign_key="staff.id", primary_key=True)
    role: str = Field(max_length=40, primary_key=True)


class Project(SQLModel, table=True):
    __tablename__ = "project"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=40, unique=True, index=True)
    name: str = Field(max_length=200)
    customer: str = Field(max_length=200)
    contract_fen: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))
    complexity: str | None = Field(default=None, max_length=40)
    difficulty: str | None = Field(default=None, max_length=10)
    risk: str | None = Field(default=None, max_length=10)
    sales_id: int | None = Field(default=None, foreign_key="staff.id")
    signed_on: dt.date | None = None
    stage: str = Field(max_length=60)
    adopted_stage: str = Field(max_length=60)
    service_start: dt.date | None = None
    service_months: int | None = None
    created_at: dt.datetime


class AuditEntry(SQLModel, table=True):
    """One change: who, when, what, before/after; hash-chained and append-only."""

    __tablename__ = "audit"
    __table_args__ = (UniqueConstraint("hash", name="uq_audit_hash"),)

    id: int | None = Field(default=None, primary_key=True)
    at: dt.datetime
    actor: str = Field(max_length=80)
    on_behalf_of: str | None = Field(default=None, max_length=80)
    action: str = Field(max_length=60, index=True)
    entity: str = Field(max_length=40)
    entity_key: str = Field(max_length=120, index=True)
    project: str | None = Field(default=None, max_length=40, index=True)
    before: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    after: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    prev_hash: str = Field(max_length=64)
    hash: str = Field(max_length=64)


class Payment(SQLModel, table=True):
    """Money received from the customer: progress, final (尾款) or retention (质保金).

    A wrong entry is voided with a reason, never deleted."""

    __tablename__ = "payment"

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True)
    kind: str = Field(max_length=20)
    amount_fen: int = Field(sa_column=Column(BigInteger, nullable=False))
    paid_on: dt.date
    recorded_at: dt.datetime
    recorded_by: str = Field(max_length=80)
    voided_at: dt.datetime | None = None
    voided_by: str | None = Field(default=None, max_length=80)
    void_reason: str | None = Field(default=None, max_length=500)


