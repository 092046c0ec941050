"""The audit trail: one row per change, written in the change's own transaction, each row's
hash covering the previous row's hash and its own content.

Written through SQLAlchemy Core on the audit table (``tables.audit``), so a command that
changes the ledger through a Core connection (``score``) appends its row without the ORM; an
ORM session works as well (its pending objects are flushed first, as before)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

from techdept import clock

GENESIS = "0" * 64

# json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str),
# with the encoder made once (``audit verify`` hashes a million rows).
_ENCODER = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)
_UTC = dt.UTC


def canonical(value: Any) -> str | None:
    if value is None:
        return None
    return _ENCODER.encode(value)


def _stamp(value: dt.datetime) -> str:
    """``clock.stamp`` in one step: UTC, seconds, no offset."""
    if value.tzinfo is not None:
        value = value.astimezone(_UTC)
    return value.replace(tzinfo=None, microsecond=0).isoformat()


def entry_hash(prev_hash: str, entry: Any) -> str:
    """sha256 over the previous hash and this row's content (not its id). ``entry`` is
    anything with the audit columns as attributes: a row, an ORM object, a namespace."""
    return content_hash(
        prev_hash,
        entry.at,
        entry.actor,
        entry.on_behalf_of,
        entry.action,
        entry.entity,
        entry.entity_key,
        entry.project,
        entry.before,
        entry.after,
        getattr(entry, "recorded_at", None),
    )


def content_hash(
    prev_hash: str,
    at: dt.datetime,
    actor: str,
    on_behalf_of: str | None,
    action: str,
    entity: str,
    entity_key: str,
    project: str | None,
    before: str | None,
    after: str | None,
    recorded_at: dt.datetime | None,
) -> str:
    """``entry_hash`` of the columns themselves (``audit verify`` unpacks a million rows)."""
    content = [
        _stamp(at), actor, on_behalf_of, action, entity, entity_key, project, before, after,
    ]  # fmt: skip
    # the real clock time, when kept (rows written before it was kept hash as they did)
    if recorded_at is not None:
        content.append(_stamp(recorded_at))
    return hashlib.sha256(f"{prev_hash}\n{_ENCODER.encode(content)}".encode()).hexdigest()


def head(db: Any) -> str:
    """The newest row's hash (genesis for an empty trail); ``db`` a Connection or Session."""
    from sqlalchemy import select

    from techdept.ledger.tables import audit

    last = db.execute(select(audit.c.hash).order_by(audit.c.id.desc()).limit(1)).scalar()
    return last or GENESIS


def record(
    db: Any,
    actor: str,
    action: str,
    entity: str,
    key: str,
    *,
    before: Any = None,
    after: Any = None,
    project: str | None = None,
    on_behalf_of: str | None = None,
) -> str:
    """Append one audit row in the caller's write transaction (a Core Connection or an ORM
    Session); returns its hash."""
    from types import SimpleNamespace

    from techdept.ledger.tables import audit

    flush = getattr(db, "flush", None)
    if flush is not None:  # an ORM session: its changes go before the row that records them
        flush()
    prev = head(db)
    entry = SimpleNamespace(
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
    )
    entry.hash = entry_hash(prev, entry)
    db.execute(audit.insert().values(**vars(entry)))
    return entry.hash
