"""A project's life: stage transitions through the gates, deliverables and their review
chains, the acceptance sequence and the internal-acceptance facts the assessment uses."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlmodel import Session, col, select

from techdept import clock
from techdept.errors import Invalid, NotFound, Phrase, Refused, RoleRequired, Term
from techdept.ledger import audit
from techdept.ledger.engine import Ledger
from techdept.ledger.models import (
    AcceptanceEvent,
    AuditEntry,
    DeliverableReview,
    Project,
    Staff,
    StageTransition,
)
from techdept.ledger.models import Deliverable as FiledDeliverable
from techdept.rules import lifecycle as rules
from techdept.rules.domain import Deliverable, domain
from techdept.services import actors, archive, cover, permissions
from techdept.services.projects import find as find_project

INTERNAL = "internal"
FINAL = "final"


# --- views ------------------------------------------------------------------------------------


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


# --- reading the ledger -------------------------------------------------------------------------


def _project(session: Session, project: Project | str) -> Project:
    return project if isinstance(project, Project) else find_project(session, project)


def _latest_filed(session: Session, project_id: int) -> dict[str, FiledDeliverable]:
    latest: dict[str, FiledDeliverable] = {}
    rows = session.exec(
        select(FiledDeliverable)
        .where(FiledDeliverable.project_id == project_id)
        .order_by(FiledDeliverable.doc, FiledDeliverable.version)
    )
    for row in rows:
        latest[row.doc] = row
    return latest


def _reviews(session: Session, ids: list[int]) -> dict[int, list[DeliverableReview]]:
    out: dict[int, list[DeliverableReview]] = {i: [] for i in ids}
    if ids:
        rows = session.exec(
            select(DeliverableReview)
            .where(col(DeliverableReview.deliverable_id).in_(ids))
            .order_by(DeliverableReview.deliverable_id, DeliverableReview.step)
        )
        for row in rows:
            out[row.deliverable_id].append(row)
    return out


def doc_states(
    session: Session, project_id: int, *, until: dt.date | None = None
) -> dict[str, rules.DocState]:
    """Each deliverable's latest version and the decisions on it (up to ``until``, inclusive)."""
    latest: dict[str, FiledDeliverable] = {}
    rows = session.exec(
        select(FiledDeliverable)
        .where(FiledDeliverable.project_id == project_id)
        .order_by(FiledDeliverable.doc, FiledDeliverable.version)
    )
    for row in rows:
        if until is None or row.filed_at.date() <= until:
            latest[row.doc] = row
    reviews = _reviews(session, [r.id for r in latest.values() if r.id is not None])
    states = {
        doc: rules.DocState(
            row.version,
            tuple(
                r.approved for r in reviews[row.id or 0] if until is None or r.at.date() <= until
            ),
        )
        for doc, row in latest.items()
    }
    # training records are a training with sign-in and feedback, not a file alone (issue 18)
    from techdept.services import training

    states.pop(training.DELIVERABLE, None)
    if training.records_done(session, project_id, until):
        version = latest[training.DELIVERABLE].version if training.DELIVERABLE in latest else 0
        states[training.DELIVERABLE] = rules.DocState(version)
    return states


def _events(session: Session, project_id: int) -> list[AcceptanceEvent]:
    return list(
        session.exec(
            select(AcceptanceEvent)
            .where(AcceptanceEvent.project_id == project_id)
            .order_by(AcceptanceEvent.id)
        )
    )


def _latest_events(session: Session, project_id: int) -> dict[str, AcceptanceEvent]:
    latest: dict[str, AcceptanceEvent] = {}
    for event in _events(session, project_id):
        latest[event.kind] = event
    return latest


def project_facts(session: Session, project: Project) -> rules.ProjectFacts:
    events = _latest_events(session, project.id or 0)
    return rules.ProjectFacts(
        contract=project.contract_fen is not None,
        signed=project.signed_on is not None,
        service_start=project.service_start is not None,
        service_months=project.service_months is not None,
        acceptance=frozenset(k for k, e in events.items() if e.passed is not False),
    )


def _sales_code(session: Session, project: Project) -> str | None:
    if project.sales_id is None:
        return None
    person = session.get(Staff, project.sales_id)
    return person.code if person else None


def _deliverable(code: str, doc: str) -> Deliverable:
    item = domain().deliverable(doc)
    if item is None:
        raise NotFound("DeliverableUnknown", doc=doc, code=code)
    return item


# --- the assessment's facts ------------------------------------------------------------------


def internal_acceptance_facts(
    session: Session, project: Project | str, *, due_days: int | None = None
) -> tuple[Decimal, int] | None:
    """(points deducted, days late) of the recorded company internal acceptance — the latest
    that passed, else the latest recorded — or None when none is recorded. Days late are those
    computed when it was recorded, or recomputed with ``due_days`` (a policy's) when given."""
    p = _project(session, project)
    events = _events(session, p.id or 0)
    internal = [e for e in events if e.kind == INTERNAL]
    if not internal:
        return None
    passed = [e for e in internal if e.passed]
    chosen = (passed or internal)[-1]
    late = chosen.days_late or 0
    if due_days is not None and chosen.submitted is not None:
        finals = [e for e in events if e.kind == FINAL]
        if finals:
            late = rules.days_late(finals[-1].held_on, chosen.submitted, due_days)
    return Decimal(chosen.deducted or "0"), late


def internal_acceptance_passed(session: Session, project: Project | str) -> bool:
    """Whether the latest recorded company internal acceptance passed."""
    p = _project(session, project)
    latest = _latest_events(session, p.id or 0).get(INTERNAL)
    return bool(latest and latest.passed)


def presales_handed_over(session: Session, project: Project | str) -> bool:
    """Whether the pre-sales → implementation hand-off is behind the project (it has left the
    pre-sales phase; a project entered later than pre-sales counts as handed over)."""
    p = _project(session, project)
    return not p.stage.startswith("presales.")


def handoff_date(session: Session, project: Project | str, to_phase: str) -> dt.date | None:
    """The date the project first entered ``to_phase`` through ``project advance`` (None when it
    was entered there with ``--stage`` or has not got there)."""
    p = _project(session, project)
    rows = session.exec(
        select(StageTransition)
        .where(StageTransition.project_id == p.id)
        .where(col(StageTransition.to_stage).startswith(f"{to_phase}."))
        .order_by(StageTransition.id)
    )
    first = rows.first()
    return first.at.date() if first else None


# --- advance ---------------------------------------------------------------------------------


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
    d = domain()
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
        if to is None:
            target = rules.next_stage(d, current)
            if target is None:
                raise Refused("StageFinal", stage=current)
        else:
            target = rules.resolve_stage(d, current, to)
        _left, entered = rules.passage(d, current, target)
        if target == rules.LOST and not reason:
            raise Invalid("AdvanceReasonRequired", option="--to presales.lost")
        if service_start is not None or service_months is not None:
            if "aftersales.handover" not in entered:
                raise Refused("ServiceOnlyAtHandover", target=target)
            if service_start is not None:
                project.service_start = service_start
            if service_months is not None:
                project.service_months = service_months
            if project.service_start and project.aftersales_slices is None:
                project.aftersales_slices = slice_mode
        missing = rules.missing_for_advance(
            d,
            current,
            target,
            doc_states(session, project.id or 0),
            project_facts(session, project),
            reason=reason,
        )
        sales = _sales_code(session, project)
        if missing and not force:
            raise Refused(
                "AdvanceBlocked",
                code=code,
                target=Term("stage", target),
                count=len(missing),
                missing=Term("missing", tuple(missing), sales),
                hint=Phrase("lifecycle.hint_checklist", code=code),
            )
        before = {"stage": current}
        project.stage = target
        session.add(project)
        session.add(
            StageTransition(
                project_id=project.id or 0,
                from_stage=current,
                to_stage=target,
                at=clock.now(),
                by=actor.code,
                forced=bool(force),
                reason=reason,
            )
        )
        session.flush()
        after: dict[str, Any] = {"stage": target, "forced": bool(force), "reason": reason}
        if missing:
            # what the gates were missing, as data: the audit reads the same in every language
            after["overridden"] = [_missing_data(m) for m in missing]
        if service_start is not None or service_months is not None:
            after["service_start"] = project.service_start
            after["service_months"] = project.service_months
        audit.record(
            session,
            actor.code,
            "project.advance",
            "project",
            code,
            before=before,
            after=after,
            project=code,
        )
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


# --- deliverables and reviews ----------------------------------------------------------------


def deliver(
    ledger: Ledger,
    actor_code: str | None,
    code: str,
    doc: str,
    *,
    file: str | None = None,
    keep_copy: bool = False,
    note: str | None = None,
    demo_system: str | None = None,
) -> FiledView:
    """File a deliverable (a new version if filed before): the file's name, size and SHA-256,
    and with ``keep_copy`` a copy in the archive folder. Reviews start again on a new version."""
    d = domain()
    item = _deliverable(code, doc)
    if keep_copy and not file:
        raise Invalid("ArchiveNeedsFile")
    with ledger.write() as session:
        actor = actors.resolve(session, actor_code)
        project = find_project(session, code)
        if rules.stage_index(d, item.stage) > rules.stage_index(d, project.stage):
            raise Refused(
                "DeliverableNotYet",
                doc=doc,
                stage=Term("stage", item.stage),
                current=Term("stage", project.stage),
            )
        if item.needs:
            states = doc_states(session, project.id or 0)
            waiting = [
                n
                for n in item.needs
                if not rules.doc_status(d.deliverable(n), states.get(n)).done  # type: ignore[arg-type]
            ]
            if waiting:
                raise Refused("DeliverableNeeds", doc=doc, needs=", ".join(waiting))
        if doc == "training-records":
            from techdept.services import training

            if not training.records_done(session, project.id or 0):
                raise Refused("TrainingRecordsNeedTraining", code=code)
        facts = None
        if file:
            facts = (
                archive.copy_in(ledger, file, project.code) if keep_copy else archive.inspect(file)
            )
        previous = _latest_filed(session, project.id or 0).get(doc)
        row = FiledDeliverable(
            project_id=project.id or 0,
            doc=doc,
            stage=item.stage,
            version=(previous.version + 1) if previous else 1,
            file_name=facts.name if facts else None,
            size=facts.size if facts else None,
            sha256=facts.sha256 if facts else None,
            archived=facts.archived if facts else None,
            note=note,
            filed_at=clock.now(),
            filed_by=actor.code,
        )
        session.add(row)
        session.flush()
        from techdept.services import demo_systems

        demo_systems.link(session, row.id or 0, doc, demo_system)
        status = rules.doc_status(item, rules.DocState(row.version))
        view = FiledView(
            code,
            doc,
            item.stage,
            row.version,
            row.file_name,
            row.size,
            row.sha256,
            row.archived,
            row.filed_at,
            row.filed_by,
            item.review,
            status.status,
            status.waiting_for,
            _sales_code(session, project),
            demo_system,
        )
        audit.record(
            session,
            actor.code,
            "deliverable.file",
            "deliverable",
            f"{code}/{doc}/{row.version}",
            after={
                "doc": doc,
                "version": row.version,
                "file": row.file_name,
                "size": row.size,
                "sha256": row.sha256,
                "archived": row.archived,
                "note": note,
                **({"demo_system": demo_system} if demo_system else {}),
            },
            project=code,
        )
        return view


def review(
    ledger: Ledger,
    actor_code: str | None,
    code: str,
    doc: str,
    *,
    approve: bool,
    note: str | None = None,
) -> ReviewView:
    """The next role of the deliverable's chain approves or rejects its latest version."""
    item = _deliverable(code, doc)
    note = note.strip() if note else None
    if not item.review:
        raise Refused("NoReviewNeeded", doc=doc)
    if not approve and not note:
        raise Invalid("ReviewNoteRequired")
    with ledger.write() as session:
        actor = actors.resolve(session, actor_code)
        project = find_project(session, code)
        filed = _latest_filed(session, project.id or 0).get(doc)
        if filed is None:
            raise Refused("NothingToReview", doc=doc, code=code)
        done = _reviews(session, [filed.id or 0])[filed.id or 0]
        status = rules.doc_status(
            item, rules.DocState(filed.version, tuple(r.approved for r in done))
        )
        if status.status == "rejected":
            raise Refused("ReviewRejected", doc=doc, version=filed.version)
        if status.status == "approved":
            raise Refused("ReviewComplete", doc=doc, version=filed.version)
        role = status.waiting_for or ""
        sales = _sales_code(session, project)
        behalf = _authorize_step(session, actor, role, sales, doc)
        taken = next((r for r in done if actor.code in (r.by, r.on_behalf_of)), None)
        if taken is not None:
            raise Refused(
                "ReviewSamePerson",
                doc=doc,
                actor=actor.code,
                step=Term("role", taken.role, sales),
                role=Term("role", role, sales),
            )
        row = DeliverableReview(
            deliverable_id=filed.id or 0,
            step=status.step or 0,
            role=role,
            approved=approve,
            note=note,
            at=clock.now(),
            by=actor.code,
            on_behalf_of=behalf,
        )
        session.add(row)
        session.flush()
        after = rules.doc_status(
            item,
            rules.DocState(filed.version, (*(r.approved for r in done), approve)),
        )
        audit.record(
            session,
            actor.code,
            "deliverable.review",
            "deliverable",
            f"{code}/{doc}/{filed.version}",
            after={
                "step": row.step,
                "role": role,
                "decision": "approved" if approve else "rejected",
                "note": note,
            },
            project=code,
            on_behalf_of=behalf,
        )
        return ReviewView(
            code,
            doc,
            filed.version,
            row.step,
            role,
            approve,
            note,
            actor.code,
            behalf,
            after.status,
            after.waiting_for,
            sales,
        )


def _authorize_step(
    session: Session, actor: actors.Actor, role: str, sales: str | None, doc: str
) -> str | None:
    """Whether ``actor`` may take the review step of ``role``; returns for whom B acts."""
    if role == "sales":
        if sales is None:
            raise Refused("SalesRepMissing", doc=doc)
        if actor.code != sales:
            raise RoleRequired(
                "ReviewRoleRequired", doc=doc, role=Term("role", role, sales), actor=actor.code
            )
        return None
    if actor.has(role):
        return None
    if role == cover.A_ROLE and actor.has(cover.B_ROLE):
        return cover.authorize(session, actor, role)
    raise RoleRequired("ReviewRoleRequired", doc=doc, role=Term("role", role), actor=actor.code)


def checklist(ledger: Ledger, code: str) -> ChecklistView:
    """What the current stage and the next one still need: deliverables and conditions."""
    d = domain()
    with ledger.read() as session:
        project = find_project(session, code)
        states = doc_states(session, project.id or 0)
        facts = project_facts(session, project)
        sales = _sales_code(session, project)
        current = project.stage
        nxt = rules.next_stage(d, current)
        shown = [current] if nxt is None else [current, nxt]
        if current == d.sequence[-1]:
            shown = [current]
        stages = tuple(
            ChecklistStage(
                stage=s,
                current=s == current,
                items=tuple(
                    ChecklistItem(i, rules.doc_status(i, states.get(i.key)))
                    for i in d.deliverables_of(s)
                ),
                conditions=tuple(rules.conditions_of(d, s, facts)),
            )
            for s in shown
        )
        return ChecklistView(code, current, nxt, sales, stages)


# --- the acceptance sequence -----------------------------------------------------------------


def accept(
    ledger: Ledger,
    actor_code: str | None,
    policy: Any,
    code: str,
    event: str,
    held_on: dt.date,
    *,
    passed: bool | None = None,
    deducted: Decimal | None = None,
    submitted: dt.date | None = None,
    note: str | None = None,
) -> AcceptanceView:
    """Record an event of the acceptance sequence. The company's internal acceptance (director)
    takes the result, the points deducted and the materials' submission date; its days late
    are computed against final acceptance + the policy's due days."""
    d = domain()
    kind = d.acceptance_kind(event)
    if kind is None:
        raise Invalid(
            "ChoiceInvalid",
            field="--event",
            value=event,
            allowed=", ".join(a.key for a in d.acceptance),
        )
    today = clock.today()
    for name, value in (("--date", held_on), ("--submitted", submitted)):
        if value is not None and value > today:
            raise Invalid("DateInFuture", field=name, value=value.isoformat())
    if event != INTERNAL and (deducted is not None or submitted is not None):
        raise Invalid("InternalAcceptanceOnly")
    if event == INTERNAL:
        if passed is None:
            raise Invalid("PassedRequired")
        if submitted is None:
            raise Invalid("SubmittedRequired")
        if submitted > held_on:
            raise Invalid(
                "SubmittedAfterAcceptance",
                submitted=submitted.isoformat(),
                date=held_on.isoformat(),
            )
        deducted = deducted if deducted is not None else Decimal(0)
    with ledger.write() as session:
        actor = actors.resolve(session, actor_code)
        if event == INTERNAL:
            permissions.check(actor, "project.accept", "director")
        project = find_project(session, code)
        if project.stage == rules.LOST or rules.stage_index(d, project.stage) < rules.stage_index(
            d, "implementation.acceptance"
        ):
            raise Refused("AcceptanceTooEarly", code=code, stage=Term("stage", project.stage))
        latest = _latest_events(session, project.id or 0)
        order = tuple(a.key for a in d.acceptance)
        kinds = tuple((a.key, a.required) for a in d.acceptance)
        passed_so_far = {k: e.passed for k, e in latest.items()}
        if rules.acceptance_repeat(kinds, passed_so_far, event):
            raise Refused(
                "AcceptanceTwice", event=event, date=latest[event].held_on.isoformat(), code=code
            )
        # a project entered after its acceptance (``--stage aftersales.…``) has the events
        # before techdept behind it: only the order of what is recorded is checked
        adopted_after = rules.stage_index(d, project.adopted_stage) > rules.stage_index(
            d, "implementation.acceptance"
        )
        before = rules.acceptance_prerequisite(kinds, passed_so_far, event)
        if before is not None and event != INTERNAL and not adopted_after:
            raise Refused("AcceptanceBefore", event=event, needed=before, code=code)
        clash = rules.acceptance_order_problem(
            order, {k: e.held_on for k, e in latest.items()}, event, held_on
        )
        if clash is not None:
            other = latest[clash]
            raise Refused(
                "AcceptanceOrder",
                event=event,
                date=held_on.isoformat(),
                other=clash,
                other_date=other.held_on.isoformat(),
            )
        due = late = None
        if event == INTERNAL:
            final = latest.get(FINAL)
            if final is None:
                raise Refused("FinalAcceptanceFirst", code=code)
            due_days = policy.internal_acceptance.due_days
            due = rules.due_date(final.held_on, due_days)
            late = rules.days_late(final.held_on, submitted, due_days)  # type: ignore[arg-type]
        row = AcceptanceEvent(
            project_id=project.id or 0,
            kind=event,
            held_on=held_on,
            passed=passed,
            deducted=format(deducted, "f") if deducted is not None else None,
            submitted=submitted,
            due=due,
            days_late=late,
            note=note,
            recorded_at=clock.now(),
            recorded_by=actor.code,
        )
        session.add(row)
        session.flush()
        view = _acceptance_view(code, row)
        audit.record(
            session,
            actor.code,
            "project.accept",
            "project",
            code,
            after={
                "event": event,
                "date": held_on,
                "passed": passed,
                "deducted": row.deducted,
                "submitted": submitted,
                "due": due,
                "days_late": late,
                "note": note,
            },
            project=code,
        )
        return view


def _missing_data(missing: rules.Missing) -> dict[str, str]:
    """A missing thing as the audit stores it: its kind, stage and keys, never words."""
    out = {"kind": missing.kind, "stage": missing.stage}
    if missing.key:
        out["key"] = missing.key
    if missing.role:
        out["role"] = missing.role
    return out


def _acceptance_view(code: str, row: AcceptanceEvent) -> AcceptanceView:
    return AcceptanceView(
        code,
        row.kind,
        row.held_on,
        row.passed,
        Decimal(row.deducted) if row.deducted is not None else None,
        row.submitted,
        row.due,
        row.days_late,
        row.note,
        row.recorded_at,
        row.recorded_by,
    )


def acceptance(ledger: Ledger, code: str) -> list[AcceptanceView]:
    """Every recorded acceptance event of a project, in the order recorded."""
    with ledger.read() as session:
        project = find_project(session, code)
        return [_acceptance_view(code, e) for e in _events(session, project.id or 0)]


__all__ = [
    "accept",
    "acceptance",
    "advance",
    "checklist",
    "deliver",
    "doc_states",
    "handoff_date",
    "history",
    "internal_acceptance_facts",
    "internal_acceptance_passed",
    "presales_handed_over",
    "review",
]
