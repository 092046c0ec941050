"""Demo systems (演示系统, seed 1.3.6–1.3.7): pre-sales keeps them as virtual machines that are
deployed, tested and backed up; a case demo or a bid demo names the demo system it used,
which must have passed its latest test."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, select

from techdept import clock
from techdept.errors import Invalid, NotFound, Refused
from techdept.ledger import audit
from techdept.ledger.engine import Ledger
from techdept.ledger.models import DeliverableDemo, DemoCheck, DemoSystem
from techdept.services import actors

# who keeps demo systems: pre-sales, with after-sales helping to build the environments
# (seed 4.5.1, 4.5.2), and the director
ROLES = ("presales-manager", "presales-engineer", "aftersales-manager", "engineer", "director")
DEMO_DELIVERABLES = ("case-demo", "bid-demo")
RESULTS = ("pass", "fail")


@dataclass(frozen=True)
class CheckView:
    kind: str
    result: str | None
    location: str | None
    note: str | None
    at: dt.datetime
    by: str


@dataclass(frozen=True)
class DemoSystemView:
    name: str
    scenario: str
    vm_image: str
    added_at: dt.datetime
    added_by: str
    last_test: CheckView | None
    last_backup: CheckView | None
    used: int  # demo deliverables that named it

    def to_json(self) -> dict[str, Any]:
        def check(c: CheckView | None) -> dict[str, Any] | None:
            if c is None:
                return None
            return {
                "result": c.result,
                "location": c.location,
                "note": c.note,
                "at": clock.stamp(c.at),
                "by": c.by,
            }

        return {
            "name": self.name,
            "scenario": self.scenario,
            "vm_image": self.vm_image,
            "added_at": clock.stamp(self.added_at),
            "added_by": self.added_by,
            "last_test": check(self.last_test),
            "last_backup": check(self.last_backup),
            "used": self.used,
        }


def find(session: Session, name: str) -> DemoSystem:
    row = session.exec(select(DemoSystem).where(DemoSystem.name == name)).first()
    if row is None:
        raise NotFound("DemoSystemNotFound", name=name)
    return row


def _last(session: Session, system_id: int, kind: str) -> CheckView | None:
    row = session.exec(
        select(DemoCheck)
        .where(DemoCheck.demo_system_id == system_id)
        .where(DemoCheck.kind == kind)
        .order_by(DemoCheck.id.desc())  # type: ignore[union-attr]
    ).first()
    if row is None:
        return None
    return CheckView(row.kind, row.result, row.location, row.note, row.at, row.by)


def _view(session: Session, row: DemoSystem) -> DemoSystemView:
    used = len(
        session.exec(
            select(DeliverableDemo.deliverable_id).where(DeliverableDemo.demo_system_id == row.id)
        ).all()
    )
    return DemoSystemView(
        row.name,
        row.scenario,
        row.vm_image,
        row.added_at,
        row.added_by,
        _last(session, row.id or 0, "test"),
        _last(session, row.id or 0, "backup"),
        used,
    )


def add(
    ledger: Ledger, actor_code: str | None, name: str, scenario: str, vm_image: str
) -> DemoSystemView:
    with ledger.write() as session:
        actor = actors.resolve(session, actor_code)
        actors.require(actor, *ROLES)
        if session.exec(select(DemoSystem.id).where(DemoSystem.name == name)).first():
            raise Refused("DemoSystemExists", name=name)
        row = DemoSystem(
            name=name,
            scenario=scenario,
            vm_image=vm_image,
            added_at=clock.now(),
            added_by=actor.code,
        )
        session.add(row)
        session.flush()
        audit.record(
            session,
            actor.code,
            "demo_system.add",
            "demo_system",
            name,
            after={"scenario": scenario, "vm_image": vm_image},
        )
        return _view(session, row)


def check(
    ledger: Ledger,
    actor_code: str | None,
    name: str,
    kind: str,
    *,
    result: str | None = None,
    location: str | None = None,
    note: str | None = None,
) -> DemoSystemView:
    """Record a test (``result`` pass or fail; a failed test needs a note) or a backup
    (``location``) of a demo system."""
    if kind == "test":
        if result not in RESULTS:
            raise Invalid("ChoiceInvalid", field="--result", value=result, allowed="pass, fail")
        if result == "fail" and not note:
            raise Invalid("DemoFailNeedsNote")
    with ledger.write() as session:
        actor = actors.resolve(session, actor_code)
        actors.require(actor, *ROLES)
        row = find(session, name)
        session.add(
            DemoCheck(
                demo_system_id=row.id or 0,
                kind=kind,
                result=result,
                location=location,
                note=note,
                at=clock.now(),
                by=actor.code,
            )
        )
        session.flush()
        audit.record(
            session,
            actor.code,
            f"demo_system.{kind}",
            "demo_system",
            name,
            after={"result": result, "location": location, "note": note},
        )
        return _view(session, row)


def systems(ledger: Ledger) -> list[DemoSystemView]:
    with ledger.read() as session:
        rows = session.exec(select(DemoSystem).order_by(DemoSystem.name))
        return [_view(session, r) for r in rows]


def link(session: Session, deliverable_id: int, doc: str, name: str | None) -> None:
    """Tie a filed case-demo or bid-demo to the demo system it used (must have passed its
    latest test); other deliverables take no demo system."""
    if doc not in DEMO_DELIVERABLES:
        if name is not None:
            raise Invalid("DemoSystemOnlyDemos", doc=doc, docs=", ".join(DEMO_DELIVERABLES))
        return
    if name is None:
        raise Invalid("DemoSystemRequired", doc=doc)
    row = find(session, name)
    last = _last(session, row.id or 0, "test")
    if last is None or last.result != "pass":
        raise Refused("DemoSystemUntested", name=name, doc=doc)
    session.add(DeliverableDemo(deliverable_id=deliverable_id, demo_system_id=row.id or 0))


def used_by(session: Session, deliverable_id: int) -> str | None:
    row = session.get(DeliverableDemo, deliverable_id)
    if row is None:
        return None
    system = session.get(DemoSystem, row.demo_system_id)
    return system.name if system else None


__all__ = ["DemoSystemView", "add", "check", "link", "systems", "used_by"]
