"""Stage transitions: ``project advance`` through the gates (or over them, forced and
audited) and a project's history of stages."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlmodel import Session, col, select

from techdept import clock
from techdept.errors import Invalid, Phrase, Refused, Term
from techdept.ledger import audit
from techdept.ledger.engine import Ledger
from techdept.ledger.models import (
    AuditEntry,
    Project,
    StageTransition,
)
from techdept.rules import lifecycle as rules
from techdept.rules.domain import domain
from techdept.services import actors, permissions
from techdept.services.lifecycle.state import doc_states, project_facts, sales_code
from techdept.services.lifecycle.views import AdvanceView, TransitionView
from techdept.services.projects import find as find_project


def advance(
    ledger: Ledger,
    actor_code: str | None,
    code: str,
    to: str | None = None,
    *,
    force: bool = False,
    reason: str | None = None,
    service_start: dt.date | None = None,
    service_months: int | None = None,
    slice_mode: str = "calendar",
) -> AdvanceView:
    """Move a project forward when the gates are met; otherwise list what is missing and change
    nothing. ``force`` (director only, with a reason) overrides the gates and is audited."""
    reason = reason.strip() if reason else None
    if force and not reason:
        raise Invalid("AdvanceReasonRequired", option="--force")
    if service_months is not None and not 1 <= service_months <= 240:
        raise Invalid("ServiceMonthsInvalid", value=service_months)
    with ledger.write() as session:
        actor = actors.resolve(session, actor_code)
        if force:
            permissions.check(actor, "project.advance", "director")
        project = find_project(session, code)
        current = project.stage
        target = _target(current, to)
        if target == rules.LOST and not reason:
            raise Invalid("AdvanceReasonRequired", option="--to presales.lost")
        service = service_start is not None or service_months is not None
        if service:
            _set_service(project, target, service_start, service_months, slice_mode)
        missing = _missing(session, project, target, reason)
        sales = sales_code(session, project)
        if missing and not force:
            raise Refused(
                "AdvanceBlocked",
                code=code,
                target=Term("stage", target),
                count=len(missing),
                missing=Term("missing", tuple(missing), sales),
                hint=Phrase("lifecycle.hint_checklist", code=code),
            )
        _move(session, actor.code, project, target, force=force, reason=reason)
        after = _advanced(project, target, force, reason, missing, service)
        audit.record(
            session, actor.code, "project.advance", "project", code,
            before={"stage": current}, after=after, project=code,
        )  # fmt: skip
        return AdvanceView(
            code,
            current,
            target,
            bool(force),
            reason,
            tuple(missing),
            project.service_start,
            project.service_months,
            sales,
        )


def _missing(
    session: Session, project: Project, target: str, reason: str | None
) -> list[rules.Missing]:
    """What the gates between the project's stage and ``target`` still miss."""
    return rules.missing_for_advance(
        domain(),
        project.stage,
        target,
        doc_states(session, project.id or 0),
        project_facts(session, project),
        reason=reason,
    )


def _advanced(
    project: Project,
    target: str,
    force: bool,
    reason: str | None,
    missing: list[rules.Missing],
    service: bool,
) -> dict[str, Any]:
    """The audit row's ``after`` of an advance (the project already moved)."""
    after: dict[str, Any] = {"stage": target, "forced": bool(force), "reason": reason}
    if missing:
        # what the gates were missing, as data: the audit reads the same in every language
        after["overridden"] = [_missing_data(m) for m in missing]
    if service:
        after["service_start"] = project.service_start
        after["service_months"] = project.service_months
    return after


def _target(current: str, to: str | None) -> str:
    """The stage asked for (``--to``, in any form the office types) or the next one."""
    d = domain()
    if to is not None:
        return rules.resolve_stage(d, current, to)
    target = rules.next_stage(d, current)
    if target is None:
        raise Refused("StageFinal", stage=current)
    return target


def _set_service(
    project: Project,
    target: str,
    start: dt.date | None,
    months: int | None,
    slice_mode: str,
) -> None:
    """The service period, given on the way into after-sales hand-over only."""
    _left, entered = rules.passage(domain(), project.stage, target)
    if "aftersales.handover" not in entered:
        raise Refused("ServiceOnlyAtHandover", target=target)
    if start is not None:
        project.service_start = start
    if months is not None:
        project.service_months = months
    if project.service_start and project.aftersales_slices is None:
        project.aftersales_slices = slice_mode


def _move(
    session: Session, actor: str, project: Project, target: str, *, force: bool, reason: str | None
) -> None:
    """The project at ``target`` and the transition row that says who moved it, and why."""
    session.add(
        StageTransition(
            project_id=project.id or 0,
            from_stage=project.stage,
            to_stage=target,
            at=clock.now(),
            by=actor,
            forced=bool(force),
            reason=reason,
        )
    )
    project.stage = target
    session.add(project)
    session.flush()


def history(ledger: Ledger, code: str) -> list[TransitionView]:
    """The creation (at the stage it was entered) and every transition since."""
    with ledger.read() as session:
        project = find_project(session, code)
        created = session.exec(
            select(AuditEntry)
            .where(AuditEntry.action == "project.new")
            .where(AuditEntry.entity_key == code)
            .order_by(col(AuditEntry.id))
        ).first()
        views = [
            TransitionView(
                at=created.at if created else project.created_at,
                from_stage=None,
                to_stage=project.adopted_stage,
                by=created.actor if created else None,
            )
        ]
        rows = session.exec(
            select(StageTransition)
            .where(StageTransition.project_id == project.id)
            .order_by(StageTransition.id)
        )
        views += [
            TransitionView(r.at, r.from_stage, r.to_stage, r.by, r.on_behalf_of, r.forced, r.reason)
            for r in rows
        ]
        return views


def _missing_data(missing: rules.Missing) -> dict[str, str]:
    """A missing thing as the audit stores it: its kind, stage and keys, never words."""
    out = {"kind": missing.kind, "stage": missing.stage}
    if missing.key:
        out["key"] = missing.key
    if missing.role:
        out["role"] = missing.role
    return out
