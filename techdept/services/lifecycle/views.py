"""What the lifecycle's services return: frozen views of the ledger's rows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from techdept.rules import lifecycle as rules
from techdept.rules.domain import Deliverable

INTERNAL = "internal"
FINAL = "final"


@dataclass(frozen=True)
class FiledView:
    """One filed version of a deliverable and where its review chain stands."""

    project: str
    doc: str
    stage: str
    version: int
    file_name: str | None
    size: int | None
    sha256: str | None
    archived: str | None
    filed_at: dt.datetime
    filed_by: str
    review: tuple[str, ...]
    status: str
    waiting_for: str | None
    sales: str | None = None
    demo_system: str | None = None


@dataclass(frozen=True)
class ReviewView:
    project: str
    doc: str
    version: int
    step: int
    role: str
    approved: bool
    note: str | None
    by: str
    on_behalf_of: str | None
    status: str
    waiting_for: str | None
    sales: str | None = None


@dataclass(frozen=True)
class TransitionView:
    at: dt.datetime
    from_stage: str | None
    to_stage: str
    by: str | None
    on_behalf_of: str | None = None
    forced: bool = False
    reason: str | None = None


@dataclass(frozen=True)
class AdvanceView:
    project: str
    from_stage: str
    to_stage: str
    forced: bool
    reason: str | None
    overridden: tuple[rules.Missing, ...]
    service_start: dt.date | None
    service_months: int | None
    sales: str | None = None


@dataclass(frozen=True)
class ChecklistItem:
    deliverable: Deliverable
    status: rules.DocStatus


@dataclass(frozen=True)
class ChecklistStage:
    stage: str
    current: bool
    items: tuple[ChecklistItem, ...]
    conditions: tuple[rules.Missing, ...]


@dataclass(frozen=True)
class ChecklistView:
    project: str
    stage: str
    next_stage: str | None
    sales: str | None
    stages: tuple[ChecklistStage, ...] = field(default_factory=tuple)

    @property
    def ready(self) -> bool:
        """Whether the current stage has everything to move on."""
        here = self.stages[0] if self.stages else None
        if here is None or self.next_stage is None:
            return False
        return not here.conditions and all(
            i.status.done for i in here.items if i.deliverable.required
        )


@dataclass(frozen=True)
class AcceptanceView:
    project: str
    event: str
    held_on: dt.date
    passed: bool | None
    deducted: Decimal | None
    submitted: dt.date | None
    due: dt.date | None
    days_late: int | None
    note: str | None
    recorded_at: dt.datetime
    recorded_by: str
