"""The audit trail: one row per change, written in the change's own transaction, each row's
hash covering the previous row's hash and its own content.

Written through SQLAlchemy Core on the audit table (``tables.audit``), so a command that
changes the ledger through a Core connection (``score``) appends its row without the ORM; an
ORM session works as well (its pending objects are flushed first, as before)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Sequence
from json.encoder import encode_basestring as _quote
from typing import Any

from techdept import clock

GENESIS = "0" * 64

# json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str),
# with the encoder made once (``audit verify`` hashes a million rows).
_ENCODER = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)
_UTC = dt.UTC

Finding = tuple[int, str, str, str]  # (row id, "link" | "content", expected, found)


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
    """``entry_hash`` of the columns themselves."""
    return _digest(
        prev_hash,
        _stamp(at),
        actor,
        on_behalf_of,
        action,
        entity,
        entity_key,
        project,
        before,
        after,
        None if recorded_at is None else _stamp(recorded_at),
    )


def _digest(prev_hash: str, *content: Any) -> str:
    """sha256 over ``prev_hash``, a newline and the canonical JSON list of the content (the
    stamps as text; a trailing ``None`` — no real clock time kept — left out, so rows written
    before it was kept hash as they did)."""
    if content[-1] is None:
        content = content[:-1]
    return hashlib.sha256(f"{prev_hash}\n{_ENCODER.encode(list(content))}".encode()).hexdigest()


# ---------------------------------------------------------------- walking the chain quickly
#
# ``audit verify`` hashes every row. The text hashed is the canonical JSON of a list of
# strings and nulls, so it is built here directly: each string quoted by the very function
# the json encoder quotes strings with (``encode_basestring``, ensure_ascii off), ``null``
# for None, the separators ``,`` — the same bytes as ``_ENCODER.encode``, without building
# the encoder's state per row. A value of another type (only a hand-edited row can hold
# one) takes ``_digest``, the encoder itself.

_FROM_ISO = dt.datetime.fromisoformat  # how SQLAlchemy's SQLite DateTime reads stored text


def stamp_of(value: Any) -> str:
    """``_stamp`` of a time as the database returns it when read raw: a ``datetime``
    (PostgreSQL) or SQLite's stored text, read as SQLAlchemy reads it (``fromisoformat``).
    The text SQLAlchemy stores (``2026-12-01 08:30:00.000000``, naive UTC) is already the
    stamp but for its separator and fraction, so it is cut, not formatted; anything else
    (another layout, an offset) goes through the datetime."""
    if type(value) is not str:
        return _stamp(value if isinstance(value, dt.datetime) else _FROM_ISO(value))
    parsed = _FROM_ISO(value)  # also refuses an impossible date, as the datetime path does
    if (
        len(value) == 26
        and value[10] == " "
        and value[19] == "."
        and value[5] != "W"  # an ISO week date is ten characters too
        and parsed.tzinfo is None
    ):
        return f"{value[:10]}T{value[11:19]}"
    return _stamp(parsed)


def walk_rows(rows: Iterable[Sequence[Any]], prev: str) -> tuple[int, str, list[Finding]]:
    """Walk rows ``(id, at, actor, on_behalf_of, action, entity, entity_key, project, before,
    after, prev_hash, hash, recorded_at)`` in id order from ``prev`` (the hash of the row
    before the first): each must link to the row before it and hash to its own hash.
    Returns the rows walked, the last row's hash and the breaks, as
    ``(id, "link" | "content", expected, found)``."""
    sha = hashlib.sha256
    quote = _quote
    stamp = stamp_of
    findings: list[Finding] = []
    count = 0
    for row in rows:
        id_, at, actor, behalf, action, entity, key, project, before, after, link, hash_, real = row
        count += 1
        if link != prev:
            findings.append((id_ or 0, "link", prev, link))
        try:
            text = (
                f'{link}\n["{stamp(at)}",{quote(actor)},'
                f"{'null' if behalf is None else quote(behalf)},{quote(action)},"
                f"{quote(entity)},{quote(key)},{'null' if project is None else quote(project)},"
                f"{'null' if before is None else quote(before)},"
                f"{'null' if after is None else quote(after)}"
                + ("]" if real is None else f',"{stamp(real)}"]')
            )
            computed = sha(text.encode()).hexdigest()
        except TypeError:  # a value that is not text: the encoder itself
            computed = _digest(
                link, stamp(at), actor, behalf, action, entity, key, project, before, after,
                None if real is None else stamp(real),
            )  # fmt: skip
        if computed != hash_:
            findings.append((id_ or 0, "content", computed, hash_))
        prev = hash_
    return count, prev, findings


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


# ---------------------------------------------------------------- a SQLite file, in ranges

_ROW_SQL = (
    'SELECT id, at, actor, on_behalf_of, action, entity, entity_key, project, "before",'
    ' "after", prev_hash, hash, recorded_at FROM audit WHERE id BETWEEN ? AND ? ORDER BY id'
)
RANGE_ROWS = 100_000  # the fewest rows worth a worker process of their own


def _read_only(path: str) -> Any:
    import sqlite3
    from urllib.parse import quote

    return sqlite3.connect(f"file:{quote(path)}?mode=ro", uri=True)


def walk_range(path: str, first: int, last: int) -> tuple[int, str, list[Finding]]:
    """``walk_rows`` over the rows with ids ``first``…``last`` of the SQLite ledger at
    ``path``, from the hash of the row before ``first`` (genesis when there is none): a
    range checks its first row's link exactly as a walk from the start would."""
    con = _read_only(path)
    try:
        before = con.execute(
            "SELECT hash FROM audit WHERE id < ? ORDER BY id DESC LIMIT 1", (first,)
        ).fetchone()
        return walk_rows(con.execute(_ROW_SQL, (first, last)), before[0] if before else GENESIS)
    finally:
        con.close()


def ranges(first: int, last: int, parts: int) -> list[tuple[int, int]]:
    """``first``…``last`` cut into ``parts`` consecutive ranges of ids, end to end."""
    size = -(-(last - first + 1) // parts)
    return [(lo, min(lo + size - 1, last)) for lo in range(first, last + 1, size)]


def walk_file(
    path: str, *, workers: int, range_rows: int = RANGE_ROWS
) -> tuple[int, str, list[Finding]]:
    """The whole chain of the SQLite ledger at ``path``, walked in consecutive id ranges by
    up to ``workers`` processes (this one walks the first range; a range has at least
    ``range_rows`` ids). Each range starts from the stored hash of the row before it, so the
    findings, the count and the head are exactly those of one walk from genesis, in order.
    The ids walked are those present when it starts (rows appended meanwhile wait for the
    next verify)."""
    con = _read_only(path)
    try:
        first, last = con.execute("SELECT min(id), max(id) FROM audit").fetchone()
    finally:
        con.close()
    if first is None:
        return 0, GENESIS, []
    parts = max(1, min(workers, (last - first + 1) // max(1, range_rows)))
    cuts = ranges(first, last, parts)
    if len(cuts) == 1:
        return walk_range(path, first, last)
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    with ProcessPoolExecutor(max_workers=len(cuts) - 1, mp_context=context) as pool:
        later = [pool.submit(walk_range, path, lo, hi) for lo, hi in cuts[1:]]
        results = [walk_range(path, *cuts[0]), *(f.result() for f in later)]
    findings = [finding for _, _, found in results for finding in found]
    return sum(n for n, _, _ in results), results[-1][1], findings
