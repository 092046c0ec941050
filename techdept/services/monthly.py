"""Monthly assessments (月度考核): each engineer's sheet of a month, handed in by the manager of
their group (policy ``[monthly]``); who is done, who is missing, which managers are late.

Monthly sheets are kept apart from the project assessments: nothing here is read by the bonus.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlmodel import Session, col, select

from techdept import clock
from techdept.errors import Invalid, Refused, RoleRequired, Term
from techdept.ledger import audit
from techdept.ledger.engine import Ledger
from techdept.ledger.models import MonthlySheet, Staff, StaffRole
from techdept.rules import monthly as rules
from techdept.services import actors
from techdept.services.staff import find as find_staff


@dataclass(frozen=True)
class SheetView:
    """One engineer's sheet of a month (``status`` from ``rules.sheet_status``)."""

    month: str
    staff: str
    name: str
    group: str
    status: str
    items: dict[str, Decimal] | None = None
    total: Decimal | None = None
    note: str | None = None
    version: int | None = None
    scored_on: dt.date | None = None
    scored_by: str | None = None
    policy: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "month": self.month,
            "staff": self.staff,
            "name": self.name,
            "group": self.group,
            "status": self.status,
            "items": {k: format(v, "f") for k, v in (self.items or {}).items()} or None,
            "total": format(self.total, "f") if self.total is not None else None,
            "note": self.note,
            "version": self.version,
            "scored_on": self.scored_on.isoformat() if self.scored_on else None,
            "scored_by": self.scored_by,
            "policy": self.policy,
        }


@dataclass(frozen=True)
class ManagerView:
    staff: str
    name: str
    group: str
    late: bool
    engineers: tuple[str, ...]  # whose sheet is overdue or was handed in late

    def to_json(self) -> dict[str, Any]:
        return {
            "staff": self.staff,
            "name": self.name,
            "group": self.group,
            "late": self.late,
            "engineers": list(self.engineers),
        }


@dataclass(frozen=True)
class MonthView:
    month: str
    due: dt.date
    policy: str
    example: bool
    max_total: Decimal
    items: tuple[str, ...]
    sheets: tuple[SheetView, ...]
    managers: tuple[ManagerView, ...]

    @property
    def late(self) -> tuple[ManagerView, ...]:
        return tuple(m for m in self.managers if m.late)

    def to_json(self) -> dict[str, Any]:
        return {
            "month": self.month,
            "due": self.due.isoformat(),
            "policy": self.policy,
            "example_rubric": self.example,
            "items": list(self.items),
            "max_total": format(self.max_total, "f"),
            "sheets": [s.to_json() for s in self.sheets],
            "done": sum(1 for s in self.sheets if s.status in ("done", "late")),
            "missing": sum(1 for s in self.sheets if s.status in ("missing", "overdue")),
            "managers": [m.to_json() for m in self.managers],
            "late": [m.staff for m in self.late],
        }


def _rubric(policy: Any) -> Any:
    if policy.monthly is None:
        raise Refused("MonthlyNoRubric", policy=policy.id)
    return policy.monthly


def _roles(session: Session) -> dict[int, set[str]]:
    out: dict[int, set[str]] = {}
    for staff_id, role in session.exec(select(StaffRole.staff_id, StaffRole.role)):
        out.setdefault(staff_id, set()).add(role)
    return out


def group_of(monthly: Any, roles: set[str]) -> str | None:
    """The monthly group an engineer's roles put them in (the first that matches)."""
    return next((g.key for g in monthly.groups if roles & set(g.engineers)), None)


def _latest(session: Session, month: str) -> dict[int, MonthlySheet]:
    latest: dict[int, MonthlySheet] = {}
    rows = session.exec(
        select(MonthlySheet).where(MonthlySheet.month == month).order_by(MonthlySheet.version)
    )
    for row in rows:
        latest[row.staff_id] = row
    return latest


def _view(person: Staff, group: str, row: MonthlySheet | None, status: str) -> SheetView:
    if row is None:
        return SheetView("", person.code, person.name, group, status)
    return SheetView(
        row.month,
        person.code,
        person.name,
        group,
        status,
        {k: Decimal(v) for k, v in json.loads(row.items).items()},
        Decimal(row.total),
        row.note,
        row.version,
        row.scored_at.date(),
        row.scored_by,
        row.policy_id,
    )


def score(
    ledger: Ledger,
    actor_code: str | None,
    policy: Any,
    staff_code: str,
    month_text: str,
    pairs: list[str],
    *,
    note: str | None = None,
    replace: bool = False,
) -> SheetView:
    """Record an engineer's monthly sheet; only the manager of the engineer's group (or an
    assistant the policy names) may, never for themselves. A second sheet for the same month
    needs ``replace`` and is kept as a new version. Any month up to the current one may be
    recorded (a department adopting techdept types in its paper sheets); a sheet is only
    *owed* for months the person was in the ledger (see ``month_view``)."""
    monthly = _rubric(policy)
    month = rules.parse_month(month_text)
    if month.first_day > clock.today():
        raise Invalid("MonthlyFuture", month=str(month))
    items = rules.parse_items(pairs, {i.key: i.max for i in monthly.items}, policy.points_places)
    total = sum(items.values(), Decimal(0))
    note = note.strip() if note and note.strip() else None
    with ledger.write() as session:
        actor = actors.resolve(session, actor_code)
        person = find_staff(session, staff_code)
        group_key = _group_scored_by(session, monthly, person, actor)
        previous = _latest(session, str(month)).get(person.id or 0)
        if previous is not None and not replace:
            raise Refused(
                "MonthlyExists", staff=person.code, month=str(month), by=previous.scored_by
            )
        row = MonthlySheet(
            staff_id=person.id or 0,
            month=str(month),
            group=group_key,
            version=(previous.version + 1) if previous else 1,
            items=json.dumps({k: format(v, "f") for k, v in items.items()}),
            total=format(total, "f"),
            note=note,
            policy_id=policy.id,
            policy_hash=policy.hash,
            scored_at=clock.now(),
            scored_by=actor.code,
        )
        session.add(row)
        session.flush()
        due = rules.due_date(month, monthly.due_day)
        status = rules.sheet_status(row.scored_at.date(), due, clock.today())
        _audit_sheet(session, actor.code, f"{person.code}/{month}", previous, row)
        return _view(person, group_key, row, status)


def _group_scored_by(session: Session, monthly: Any, person: Staff, actor: actors.Actor) -> str:
    """The person's group, when ``actor`` may score them: its manager (or an assistant the
    policy names), never for themselves."""
    roles = _roles(session).get(person.id or 0, set())
    group_key = group_of(monthly, roles)
    if group_key is None:
        raise Refused("MonthlyNotEngineer", staff=person.code)
    group = monthly.group(group_key)
    allowed = (group.submitter, *group.assistants)
    if not actor.has(*allowed):
        raise RoleRequired(
            "MonthlyNotManager",
            staff=person.code,
            role=Term("roles", allowed),
            actor=actor.code,
        )
    if actor.code == person.code:
        raise Refused("MonthlyOwnSheet", staff=person.code)
    return group_key


def _audit_sheet(
    session: Session, actor: str, key: str, previous: MonthlySheet | None, row: MonthlySheet
) -> None:
    """The ``monthly.score`` row: the version replaced (if any) and the sheet as stored."""
    audit.record(
        session,
        actor,
        "monthly.score",
        "monthly_sheet",
        key,
        before=(
            {"version": previous.version, "items": json.loads(previous.items)} if previous else None
        ),
        after={
            "version": row.version,
            "group": row.group,
            "items": json.loads(row.items),
            "total": row.total,
            "note": row.note,
            "policy": row.policy_id,
            "policy_hash": row.policy_hash,
        },
    )


def month_view(ledger: Ledger, policy: Any, month_text: str) -> MonthView:
    """Every engineer active in the month with their sheet (or none), and each manager with
    whether they are late (``rules.late_managers``)."""
    monthly = _rubric(policy)
    month = rules.parse_month(month_text)
    due = rules.due_date(month, monthly.due_day)
    today = clock.today()
    with ledger.read() as session:
        roles = _roles(session)
        people = list(session.exec(select(Staff).order_by(Staff.code)))
        latest = _latest(session, str(month))
        sheets: list[SheetView] = []
        managers: dict[str, list[Staff]] = {g.key: [] for g in monthly.groups}
        for person in people:
            held = roles.get(person.id or 0, set())
            for g in monthly.groups:
                if g.submitter in held:
                    managers[g.key].append(person)
            group_key = group_of(monthly, held)
            if group_key is None:
                continue
            row = latest.get(person.id or 0)
            if row is None and person.created_at.date() > month.last_day:
                continue  # not here that month
            status = rules.sheet_status(row.scored_at.date() if row else None, due, today)
            view = _view(person, group_key, row, status)
            sheets.append(view if row else SheetView(str(month), *_blank(view)))
        order = {g.key: i for i, g in enumerate(monthly.groups)}
        sheets.sort(key=lambda s: (order[s.group], s.staff))
        late = rules.late_managers(
            (rules.SheetStatus(s.staff, s.group, s.status) for s in sheets),
            {g: [p.code for p in ps] for g, ps in managers.items()},
        )
        manager_views = tuple(
            ManagerView(p.code, p.name, g.key, p.code in late, late.get(p.code, ()))
            for g in monthly.groups
            for p in managers[g.key]
        )
        return MonthView(
            str(month),
            due,
            policy.id,
            monthly.example,
            monthly.max_total,
            tuple(i.key for i in monthly.items),
            tuple(sheets),
            manager_views,
        )


def _blank(view: SheetView) -> tuple[str, str, str, str]:
    return view.staff, view.name, view.group, view.status


def history(ledger: Ledger, staff_code: str, *, limit: int = 12) -> list[SheetView]:
    """A person's latest sheet of each month, newest month first (for ``staff show``)."""
    with ledger.read() as session:
        person = find_staff(session, staff_code)
        rows = session.exec(
            select(MonthlySheet)
            .where(MonthlySheet.staff_id == person.id)
            .order_by(col(MonthlySheet.month).desc(), col(MonthlySheet.version).desc())
        )
        out: dict[str, SheetView] = {}
        for row in rows:
            if row.month not in out:
                out[row.month] = _view(person, row.group, row, "done")
            if len(out) >= limit:
                break
        return list(out.values())


__all__ = ["ManagerView", "MonthView", "SheetView", "history", "month_view", "score"]
