"""Deliverables: filing a version, its review chain step by step, and the checklist of
what the current and next stage still need."""

from __future__ import annotations

from sqlmodel import Session

from techdept import clock
from techdept.errors import Invalid, Refused, RoleRequired, Term
from techdept.ledger import audit
from techdept.ledger.engine import Ledger
from techdept.ledger.models import Deliverable as FiledDeliverable
from techdept.ledger.models import DeliverableReview, Project
from techdept.rules import lifecycle as rules
from techdept.rules.domain import Deliverable, domain
from techdept.services import actors, archive, cover
from techdept.services.lifecycle.state import (
    deliverable_item,
    doc_states,
    latest_filed,
    project_facts,
    reviews_of,
    sales_code,
)
from techdept.services.lifecycle.views import (
    ChecklistItem,
    ChecklistStage,
    ChecklistView,
    FiledView,
    ReviewView,
)
from techdept.services.projects import find as find_project


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
    item = deliverable_item(code, doc)
    if keep_copy and not file:
        raise Invalid("ArchiveNeedsFile")
    with ledger.write() as session:
        actor = actors.resolve(session, actor_code)
        project = find_project(session, code)
        _may_file(session, project, item)
        facts = None
        if file:
            facts = (
                archive.copy_in(ledger, file, project.code) if keep_copy else archive.inspect(file)
            )
        row = _file_version(session, project, item, facts, note, actor.code)
        from techdept.services import demo_systems

        demo_systems.link(session, row.id or 0, doc, demo_system)
        status = rules.doc_status(item, rules.DocState(row.version))
        sales = sales_code(session, project)
        view = FiledView(code, doc, item.stage, row.version, row.file_name, row.size, row.sha256,
                         row.archived, row.filed_at, row.filed_by, item.review, status.status,
                         status.waiting_for, sales, demo_system)  # fmt: skip
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


def _file_version(
    session: Session,
    project: Project,
    item: Deliverable,
    facts: archive.FiledFile | None,
    note: str | None,
    by: str,
) -> FiledDeliverable:
    """The deliverable's next version (1 when first filed), stored with the file's facts."""
    previous = latest_filed(session, project.id or 0).get(item.key)
    row = FiledDeliverable(
        project_id=project.id or 0,
        doc=item.key,
        stage=item.stage,
        version=(previous.version + 1) if previous else 1,
        file_name=facts.name if facts else None,
        size=facts.size if facts else None,
        sha256=facts.sha256 if facts else None,
        archived=facts.archived if facts else None,
        note=note,
        filed_at=clock.now(),
        filed_by=by,
    )
    session.add(row)
    session.flush()
    return row


def _may_file(session: Session, project: Project, item: Deliverable) -> None:
    """Refuse a deliverable of a later stage, one whose prerequisites are not done, and
    training records without the training they record."""
    d = domain()
    doc = item.key
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
            raise Refused("TrainingRecordsNeedTraining", code=project.code)


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
    item = deliverable_item(code, doc)
    note = note.strip() if note else None
    if not item.review:
        raise Refused("NoReviewNeeded", doc=doc)
    if not approve and not note:
        raise Invalid("ReviewNoteRequired")
    with ledger.write() as session:
        actor = actors.resolve(session, actor_code)
        project = find_project(session, code)
        filed = latest_filed(session, project.id or 0).get(doc)
        if filed is None:
            raise Refused("NothingToReview", doc=doc, code=code)
        done = reviews_of(session, [filed.id or 0])[filed.id or 0]
        status = _open_step(item, filed.version, done)
        role = status.waiting_for or ""
        sales = sales_code(session, project)
        behalf = _authorize_step(session, actor, role, sales, doc)
        _refuse_a_second_step(done, actor.code, doc, role, sales)
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
        decision = "approved" if approve else "rejected"
        audit.record(
            session, actor.code, "deliverable.review", "deliverable",
            f"{code}/{doc}/{filed.version}",
            after={"step": row.step, "role": role, "decision": decision, "note": note},
            project=code, on_behalf_of=behalf,
        )  # fmt: skip
        return ReviewView(code, doc, filed.version, row.step, role, approve, note, actor.code,
                          behalf, after.status, after.waiting_for, sales)  # fmt: skip


def _open_step(item: Deliverable, version: int, done: list[DeliverableReview]) -> rules.DocStatus:
    """Where the chain of the latest version stands; refused when it has nothing left to do."""
    status = rules.doc_status(item, rules.DocState(version, tuple(r.approved for r in done)))
    if status.status == "rejected":
        raise Refused("ReviewRejected", doc=item.key, version=version)
    if status.status == "approved":
        raise Refused("ReviewComplete", doc=item.key, version=version)
    return status


def _refuse_a_second_step(
    done: list[DeliverableReview], actor: str, doc: str, role: str, sales: str | None
) -> None:
    """One person takes one step of a version's chain, for themself or on someone's behalf."""
    taken = next((r for r in done if actor in (r.by, r.on_behalf_of)), None)
    if taken is not None:
        raise Refused(
            "ReviewSamePerson",
            doc=doc,
            actor=actor,
            step=Term("role", taken.role, sales),
            role=Term("role", role, sales),
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
        sales = sales_code(session, project)
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
