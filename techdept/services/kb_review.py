"""Knowledge-base updates under review (seed 1.3.9: plan → collect → write → submit → review →
file): anyone proposes a document with its update plan; an owner of the library — never the
proposer — approves it (it is filed) or rejects it with a reason. ``kb add`` stays the owners'."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from sqlmodel import Session, select

from techdept import clock
from techdept.errors import Invalid, NotFound, Refused
from techdept.ledger import audit
from techdept.ledger.engine import Ledger
from techdept.ledger.models import KbProposal
from techdept.services import actors, archive, knowledge

_ID = re.compile(r"^(?:KP-?)?(\d{1,9})$", re.I)


@dataclass(frozen=True)
class ProposalView:
    id: int
    library: str
    business: str | None
    level: str | None
    title: str
    tags: tuple[str, ...]
    plan: str
    file_name: str
    size: int
    sha256: str
    proposed_at: dt.datetime
    proposed_by: str
    status: str
    reviewed_at: dt.datetime | None
    reviewed_by: str | None
    review_note: str | None
    document: str | None  # KB-n once filed

    @property
    def ref(self) -> str:
        return f"KP-{self.id}"


def _view(row: KbProposal) -> ProposalView:
    return ProposalView(
        row.id or 0,
        row.library,
        row.business,
        row.level,
        row.title,
        tuple(t for t in row.tags.split("\n") if t),
        row.plan,
        row.file_name,
        row.size,
        row.sha256,
        row.proposed_at,
        row.proposed_by,
        row.status,
        row.reviewed_at,
        row.reviewed_by,
        row.review_note,
        f"KB-{row.document_id}" if row.document_id else None,
    )


def _refuse_pending(session: Session, library: str, sha256: str) -> None:
    """The same file is proposed to a library once while its review is pending."""
    pending = session.exec(
        select(KbProposal.id)
        .where(KbProposal.library == library)
        .where(KbProposal.sha256 == sha256)
        .where(KbProposal.status == "pending")
    ).first()
    if pending is not None:
        raise Refused("KbProposalPending", ref=f"KP-{pending}", library=library)


def propose(
    ledger: Ledger,
    actor_code: str | None,
    path: str,
    *,
    library: str,
    title: str,
    plan: str,
    tags: tuple[str, ...] = (),
    business: str | None = None,
    level: str | None = None,
) -> ProposalView:
    """Submit a document and its update plan for the library owner's review (the file is
    hashed and copied into the archive now, so what is reviewed is what gets filed)."""
    knowledge.check(library, business, level)
    with ledger.write() as session:
        actor = actors.resolve(session, actor_code)
        if not actor.known:
            raise Refused("KbProposerUnknown")
        facts = archive.inspect(path, "FILE")
        knowledge.refuse_duplicate(session, library, facts.sha256)
        _refuse_pending(session, library, facts.sha256)
        facts = archive.copy_in(ledger, path, f"kb-{library}", "FILE")
        row = KbProposal(
            library=library,
            business=business,
            level=level,
            title=title,
            tags="\n".join(tags),
            plan=plan,
            file_name=facts.name,
            size=facts.size,
            sha256=facts.sha256,
            archived=facts.archived,
            proposed_at=clock.now(),
            proposed_by=actor.code,
            status="pending",
        )
        session.add(row)
        session.flush()
        view = _view(row)
        audit.record(
            session,
            actor.code,
            "kb.propose",
            "kb_proposal",
            view.ref,
            after={
                "library": library,
                "business": business,
                "level": level,
                "title": title,
                "tags": list(tags),
                "plan": plan,
                "file": facts.name,
                "sha256": facts.sha256,
            },
        )
        return view


def _find(session: Session, ref: str) -> KbProposal:
    match = _ID.match(unicodedata.normalize("NFKC", ref).strip())
    row = session.get(KbProposal, int(match[1])) if match else None
    if row is None:
        raise NotFound("KbProposalNotFound", ref=ref)
    return row


def review(
    ledger: Ledger,
    actor_code: str | None,
    ref: str,
    *,
    approve: bool,
    note: str | None = None,
) -> ProposalView:
    """The library owner approves (the document is filed) or rejects (a reason is required)."""
    note = note.strip() if note and note.strip() else None
    if not approve and not note:
        raise Invalid("ReviewNoteRequired")
    with ledger.write() as session:
        actor = actors.resolve(session, actor_code)
        row = _find(session, ref)
        if row.status != "pending":
            raise Refused(
                "KbProposalDone", ref=f"KP-{row.id}", status=row.status, by=row.reviewed_by
            )
        knowledge.require_owner(actor, row.library)
        if actor.code == row.proposed_by:
            raise Refused("KbOwnProposal", ref=f"KP-{row.id}")
        document = None
        if approve:
            knowledge.refuse_duplicate(session, row.library, row.sha256)
            facts = archive.FiledFile(row.file_name, row.size, row.sha256, row.archived)
            tags = tuple(t for t in row.tags.split("\n") if t)
            document = knowledge.insert_document(
                session, actor.code, row.library, row.business, row.level, row.title, tags, facts
            )
            row.document_id = document.id
        row.status = "approved" if approve else "rejected"
        row.reviewed_at = clock.now()
        row.reviewed_by = actor.code
        row.review_note = note
        session.add(row)
        session.flush()
        view = _view(row)
        audit.record(
            session,
            actor.code,
            "kb.review",
            "kb_proposal",
            view.ref,
            before={"status": "pending"},
            after={
                "status": row.status,
                "note": note,
                "document": view.document,
                "proposed_by": row.proposed_by,
            },
        )
        return view


def proposals(ledger: Ledger, *, status: str | None = None) -> list[ProposalView]:
    with ledger.read() as session:
        query = select(KbProposal).order_by(KbProposal.id)
        if status:
            query = query.where(KbProposal.status == status)
        return [_view(r) for r in session.exec(query)]


__all__ = ["ProposalView", "proposals", "propose", "review"]
