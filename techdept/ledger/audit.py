"""The audit trail: one row per change, written in the change's own transaction, each row's
hash covering the previous row's hash and its own content."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from sqlmodel import Session, col, select

from techdept import clock
from techdept.ledger.models import AuditEntry

GENESIS = "0" * 64


def canonical(value: Any) -> str | None:
    if value is None:
        return None
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)


def entry_hash(prev_hash: str, entry: AuditEntry) -> str:
    """sha256 over the previous hash and this row's content (not its id)."""
    real = getattr(entry, "recorded_at", None)
    content = canonical(
        [
            clock.stamp(entry.at),
            entry.actor,
            entry.on_behalf_of,
            entry.action,
            entry.entity,
            entry.entity_key,
            entry.project,
            entry.before,
            entry.after,
        ]
        # the real clock time, when kept (rows written before it was kept hash as they did)
        + ([clock.stamp(real)] if real is not None else [])
    )
    return hashlib.sha256(f"{prev_hash}\n{content}".encode()).hexdigest()


def head(session: Session) -> str:
    last = session.exec(
        select(AuditEntry.hash).order_by(col(AuditEntry.id).desc()).limit(1)
    ).first()
    return last or GENESIS


def record(
    session: Session,
    actor: str,
    action: str,
    entity: str,
    key: str,
    *,
    before: Any = None,
    after: Any = None,
    project: str | None = None,
    on_behalf_of: str | None = None,
) -> AuditEntry:
    """Append one audit row in the caller's (write) transaction."""
    prev = head(session)
    entry = AuditEntry(
        at=clock.now(),
        recorded_at=clock.real_now(),
        actor=actor,
        on_behalf_of=on_behalf_of,
        action=action,
        entity=entity,
        entity_key=key,
        project=project,
        before=canonical(before),
        after=canonical(after),
        prev_hash=prev,
        hash="",
    )
    entry.hash = entry_hash(prev, entry)
    session.add(entry)
    session.flush()
    return entry
