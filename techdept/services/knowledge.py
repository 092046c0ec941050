"""Knowledge bases (知识库 and 资料库): documents filed per library with their hash, size, who
and when, copied into the archive folder; searched by title, tags, library and business
(NFKC + casefold, substring, so Chinese text matches as typed); standard solutions kept per
business at three levels of detail."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from sqlmodel import Session, col, select

from techdept import clock
from techdept.errors import Invalid, NotFound, Refused, RoleRequired, Term
from techdept.ledger import audit
from techdept.ledger.engine import Ledger
from techdept.ledger.models import KbDocument
from techdept.rules.domain import domain
from techdept.services import actors, archive

SOLUTIONS = "solutions"
MAX_TAGS = 20
MAX_TAG = 40
_TAG_SPLIT = re.compile(r"[,，、;；]")
_ID = re.compile(r"^(?:KB-?)?(\d{1,9})$", re.I)


@dataclass(frozen=True)
class KbView:
    id: int
    library: str
    business: str | None
    level: str | None
    title: str
    tags: tuple[str, ...]
    file_name: str
    size: int
    sha256: str
    archived: str | None
    filed_at: dt.datetime
    filed_by: str

    @property
    def ref(self) -> str:
        return f"KB-{self.id}"


@dataclass(frozen=True)
class Gap:
    business: str
    have: tuple[str, ...]
    missing: tuple[str, ...]


def fold(text: str) -> str:
    """The form documents are searched in: NFKC (full-width → half-width) and casefolded."""
    return unicodedata.normalize("NFKC", text).casefold()


def parse_tags(values: list[str]) -> tuple[str, ...]:
    """Tags given as repeated options and/or separated by , ， 、 ; ；"""
    tags: list[str] = []
    for value in values:
        for part in _TAG_SPLIT.split(value):
            tag = unicodedata.normalize("NFC", part).strip()
            if not tag:
                continue
            if len(tag) > MAX_TAG or any(unicodedata.category(c) == "Cc" for c in tag):
                raise Invalid("KbTagInvalid", value=tag, max=MAX_TAG)
            if tag not in tags:
                tags.append(tag)
    if len(tags) > MAX_TAGS:
        raise Invalid("KbTooManyTags", max=MAX_TAGS)
    return tuple(tags)


def _search_text(library: str, business: str | None, level: str | None, title: str, tags) -> str:  # type: ignore[no-untyped-def]
    lib = domain().library(library)
    parts = [title, *tags, library, lib.zh if lib else "", lib.en if lib else ""]
    if business:
        parts.append(business)
    if level:
        parts.append(level)
    return fold("\n".join(parts))


def _check_library(library: str) -> None:
    d = domain()
    if d.library(library) is None:
        raise Invalid(
            "ChoiceInvalid",
            field="--library",
            value=library,
            allowed=", ".join(lib.key for lib in d.libraries),
        )


def check(library: str, business: str | None, level: str | None) -> None:
    d = domain()
    _check_library(library)
    if level is not None and level not in d.levels:
        raise Invalid("ChoiceInvalid", field="--level", value=level, allowed=", ".join(d.levels))
    if library == SOLUTIONS and (business is None or level is None):
        raise Invalid("KbSolutionNeedsLevel")
    if library != SOLUTIONS and level is not None:
        raise Invalid("KbLevelOnlySolutions")


def add_document(
    ledger: Ledger,
    actor_code: str | None,
    path: str,
    *,
    library: str,
    title: str,
    tags: tuple[str, ...] = (),
    business: str | None = None,
    level: str | None = None,
) -> KbView:
    """File a document in ``library``: hashed, copied into ``<archive>/kb/<library>/``."""
    check(library, business, level)
    with ledger.write() as session:
        actor = actors.resolve(session, actor_code)
        facts = archive.inspect(path, "FILE")
        require_owner(actor, library)
        refuse_duplicate(session, library, facts.sha256)
        facts = archive.copy_in(ledger, path, f"kb-{library}", "FILE")
        row = insert_document(session, actor.code, library, business, level, title, tags, facts)
        view = _view(row)
        audit.record(
            session,
            actor.code,
            "kb.add",
            "kb_document",
            view.ref,
            after={
                "library": library,
                "business": business,
                "level": level,
                "title": title,
                "tags": list(tags),
                "file": facts.name,
                "size": facts.size,
                "sha256": facts.sha256,
                "archived": facts.archived,
            },
        )
        return view


def require_owner(actor: actors.Actor, library: str) -> None:
    """Only the library's owners file into it directly; others propose (``kb propose``)."""
    lib = domain().library(library)
    owners = lib.owners if lib else ()
    if owners and not actor.has(*owners):
        raise RoleRequired(
            "KbOwnerOnly",
            library=library,
            role=Term("roles", owners),
            actor=actor.code,
        )


def refuse_duplicate(session: Session, library: str, sha256: str) -> None:
    same = session.exec(
        select(KbDocument.id)
        .where(KbDocument.library == library)
        .where(KbDocument.sha256 == sha256)
    ).first()
    if same is not None:
        raise Refused("KbDuplicate", ref=f"KB-{same}", library=library)


def insert_document(
    session: Session,
    actor_code: str,
    library: str,
    business: str | None,
    level: str | None,
    title: str,
    tags: tuple[str, ...],
    facts: archive.FiledFile,
) -> KbDocument:
    """The filed document's row (the caller checks the owner and duplicates, and audits)."""
    row = KbDocument(
        library=library,
        business=business,
        level=level,
        title=title,
        tags="\n".join(tags),
        file_name=facts.name,
        size=facts.size,
        sha256=facts.sha256,
        archived=facts.archived,
        search=_search_text(library, business, level, title, tags),
        filed_at=clock.now(),
        filed_by=actor_code,
    )
    session.add(row)
    session.flush()
    return row


def _view(row: KbDocument) -> KbView:
    return KbView(
        id=row.id or 0,
        library=row.library,
        business=row.business,
        level=row.level,
        title=row.title,
        tags=tuple(t for t in row.tags.split("\n") if t),
        file_name=row.file_name,
        size=row.size,
        sha256=row.sha256,
        archived=row.archived,
        filed_at=row.filed_at,
        filed_by=row.filed_by,
    )


def _like(term: str) -> str:
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def list_documents(
    ledger: Ledger,
    *,
    library: str | None = None,
    business: str | None = None,
    text: str | None = None,
) -> list[KbView]:
    """Documents by number; narrowed by library, business and search text (every word of
    ``text`` must occur in the title, tags, library or business)."""
    terms: list[str] = []
    if text is not None:
        terms = fold(text).split()
        if not terms:
            raise Invalid("KbSearchEmpty")
    if library is not None:
        _check_library(library)
    with ledger.read() as session:
        query = select(KbDocument).order_by(KbDocument.id)
        if library:
            query = query.where(KbDocument.library == library)
        if business:
            query = query.where(KbDocument.business == business)
        for term in terms:
            query = query.where(col(KbDocument.search).like(_like(term), escape="\\"))
        return [_view(r) for r in session.exec(query)]


def get_document(ledger: Ledger, ref: str) -> KbView:
    match = _ID.match(unicodedata.normalize("NFKC", ref).strip())
    if not match:
        raise NotFound("KbNotFound", ref=ref)
    with ledger.read() as session:
        row = session.get(KbDocument, int(match[1]))
        if row is None:
            raise NotFound("KbNotFound", ref=ref)
        return _view(row)


def gaps(ledger: Ledger) -> list[Gap]:
    """Businesses (the department's own, and any a document names) whose standard solutions
    miss a level of detail."""
    d = domain()
    with ledger.read() as session:
        named = session.exec(
            select(KbDocument.business).where(col(KbDocument.business).is_not(None))
        )
        have: dict[str, set[str]] = {b: set() for b in d.businesses}
        for business in named:
            have.setdefault(business, set())
        for business, level in session.exec(
            select(KbDocument.business, KbDocument.level).where(KbDocument.library == SOLUTIONS)
        ):
            if business and level:
                have.setdefault(business, set()).add(level)
    out = []
    for business in [*d.businesses, *sorted(set(have) - set(d.businesses))]:
        levels = have[business]
        missing = tuple(lv for lv in d.levels if lv not in levels)
        if missing:
            out.append(Gap(business, tuple(lv for lv in d.levels if lv in levels), missing))
    return out
