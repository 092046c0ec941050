"""The audit trail for people: a filtered log, and a walk of the hash chain from genesis."""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import or_
from sqlmodel import Session, col, func, select

from techdept.errors import Invalid, Phrase
from techdept.ledger.audit import GENESIS, walk_file, walk_rows
from techdept.ledger.engine import Ledger
from techdept.ledger.models import AuditEntry

_BATCH = 1000


@dataclass(frozen=True)
class AuditRow:
    id: int
    at: dt.datetime
    actor: str
    on_behalf_of: str | None
    action: str
    entity: str
    entity_key: str
    project: str | None
    before: Any
    after: Any
    prev_hash: str
    hash: str
    recorded_at: dt.datetime | None = None

    def to_dict(self) -> dict[str, Any]:
        from techdept.clock import stamp

        return {
            "id": self.id,
            "at": stamp(self.at) + "Z",
            "actor": self.actor,
            "on_behalf_of": self.on_behalf_of,
            "action": self.action,
            "entity": self.entity,
            "key": self.entity_key,
            "project": self.project,
            "before": self.before,
            "after": self.after,
            "prev_hash": self.prev_hash,
            "hash": self.hash,
            "recorded_at": stamp(self.recorded_at) + "Z" if self.recorded_at else None,
        }


@dataclass(frozen=True)
class Finding:
    """One break in the chain: the row and what is wrong with it."""

    row: int
    kind: str  # "content" (hash does not match the row) or "link" (prev_hash is not the last)
    expected: str
    found: str

    def message(self) -> Phrase:
        """What is wrong, as a message worded where it is shown."""
        return Phrase(f"audit.finding.{self.kind}", id=self.row)


@dataclass(frozen=True)
class ChainReport:
    rows: int
    head: str
    findings: tuple[Finding, ...]

    @property
    def ok(self) -> bool:
        return not self.findings


def _json(text: str | None) -> Any:
    if text is None:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return text


def _row(entry: AuditEntry) -> AuditRow:
    return AuditRow(
        id=entry.id or 0,
        at=entry.at,
        actor=entry.actor,
        on_behalf_of=entry.on_behalf_of,
        action=entry.action,
        entity=entry.entity,
        entity_key=entry.entity_key,
        project=entry.project,
        before=_json(entry.before),
        after=_json(entry.after),
        prev_hash=entry.prev_hash,
        hash=entry.hash,
        recorded_at=entry.recorded_at,
    )


def log(
    ledger: Ledger,
    *,
    project: str | None = None,
    staff: str | None = None,
    since: dt.date | None = None,
    action: str | None = None,
    limit: int | None = None,
) -> list[AuditRow]:
    """Audit rows matching every filter given, oldest first; with ``limit``, the newest N.

    ``staff`` matches the person who acted (or was acted for) and the person a change touched:
    a staff record with that code, or that code as a value in a change's before/after."""
    query = select(AuditEntry)
    if project is not None:
        query = query.where(AuditEntry.project == project)
    if staff is not None:
        quoted = json.dumps(staff, ensure_ascii=False)
        query = query.where(
            or_(
                AuditEntry.actor == staff,
                AuditEntry.on_behalf_of == staff,
                (AuditEntry.entity == "staff") & (AuditEntry.entity_key == staff),
                col(AuditEntry.before).contains(quoted, autoescape=True),
                col(AuditEntry.after).contains(quoted, autoescape=True),
            )
        )
    if since is not None:
        start = dt.datetime.combine(since, dt.time(), tzinfo=dt.UTC)
        query = query.where(AuditEntry.at >= start)
    if action is not None:
        query = query.where(col(AuditEntry.action).startswith(action, autoescape=True))
    query = query.order_by(col(AuditEntry.id).desc())
    if limit is not None:
        query = query.limit(limit)
    with ledger.read() as session:
        rows = [_row(e) for e in session.exec(query)]
    rows.reverse()
    return rows


_COLUMNS = (
    "id", "at", "actor", "on_behalf_of", "action", "entity", "entity_key", "project", "before",
    "after", "prev_hash", "hash", "recorded_at",
)  # fmt: skip


def _entries(db: Any) -> Iterator[Any]:
    """Every audit row by id, as Core rows streamed in partitions (a long trail never sits in
    memory at once, and no ORM object is built per row)."""
    from sqlalchemy import String, type_coerce

    from techdept.ledger.tables import audit

    # the times as the database gives them (SQLite's stored text, PostgreSQL's aware
    # datetimes): the hash takes them to UTC text itself (``stamp_of``), without a datetime
    # built per value on SQLite
    raw = {"at", "recorded_at"}
    query = select(
        *(
            type_coerce(audit.c[name], String()).label(name) if name in raw else audit.c[name]
            for name in _COLUMNS
        )
    ).order_by(audit.c.id)
    result = db.execute(query.execution_options(yield_per=_BATCH))
    for partition in result.partitions(_BATCH):
        yield from partition


def _report(walked: tuple[int, str, list[tuple[int, str, str, str]]]) -> ChainReport:
    rows, head, found = walked
    return ChainReport(rows=rows, head=head, findings=tuple(Finding(*f) for f in found))


def walk(session: Any) -> ChainReport:
    """Walk the chain from the genesis hash: each row must link to the row before it
    (``prev_hash``) and its hash must be the hash of that link and its own content."""
    return _report(walk_rows(_entries(session), GENESIS))


def verify(session: Session) -> list[Phrase]:
    """One line per break in the audit chain (empty when it is intact)."""
    return [f.message() for f in walk(session).findings]


def _workers() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def verify_ledger(ledger: Ledger) -> ChainReport:
    """The whole chain walked; a SQLite ledger's long trail in id ranges on every core
    (``ledger.audit.walk_file``: the same findings, in the same order, as one walk)."""
    if ledger.dialect == "sqlite" and ledger.path is not None:
        import sqlite3

        try:
            return _report(walk_file(str(ledger.path), workers=_workers()))
        except sqlite3.Error:
            pass  # the walk below meets the same trouble and words it as every read does
    with ledger.connect() as conn:
        return walk(conn)


def head_hash(ledger: Ledger) -> str:
    """The hash of the newest audit row (the genesis hash for an empty trail)."""
    return head(ledger)[1]


def head(ledger: Ledger) -> tuple[int, str]:
    """The newest audit row's number and hash ((0, genesis) for an empty trail): printed on
    every signed sheet as "audit row N · HASH", so a paper copy anchors the history up to
    it and ``audit verify --expect N:HASH`` finds a deleted tail or a rewritten chain."""
    with ledger.read() as session:
        last = session.exec(
            select(AuditEntry.id, AuditEntry.hash).order_by(col(AuditEntry.id).desc()).limit(1)
        ).first()
    return (last[0] or 0, last[1]) if last else (0, GENESIS)


def parse_anchor(text: str) -> tuple[int, str]:
    """``N:HASH`` (as printed on a signed sheet, ``N · HASH`` accepted too) → (N, hash)."""

    cleaned = text.replace("·", ":").replace(" ", "")
    row, _, digest = cleaned.partition(":")
    digest = digest.lower()
    if not row.isdigit() or len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
        raise Invalid("AnchorInvalid", value=text)
    return int(row), digest


def check_anchor(ledger: Ledger, row: int, digest: str) -> list[Phrase]:
    """What is wrong with the trail against an anchor taken earlier: row N gone (its tail
    deleted), or row N with another hash (the chain rewritten)."""
    if row == 0:
        return [] if digest == GENESIS else [Phrase("audit.anchor.differs", row=row, hash=GENESIS)]
    with ledger.read() as session:
        found = session.exec(select(AuditEntry.hash).where(AuditEntry.id == row)).first()
    if found is None:
        return [Phrase("audit.anchor.gone", row=row)]
    if found != digest:
        return [Phrase("audit.anchor.differs", row=row, hash=found)]
    return []


def count(session: Session) -> int:
    return session.exec(select(func.count()).select_from(AuditEntry)).one()
