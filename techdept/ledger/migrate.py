"""Bring a ledger's schema to this code's head, safely: refuse a newer ledger, back up an
SQLite ledger first, run every migration in one transaction under the write lock, then check
foreign keys."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import inspect, text

from techdept.errors import LedgerUnavailable
from techdept.ledger import schema_heads, schema_label

if TYPE_CHECKING:
    from techdept.ledger.engine import Ledger

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(connection=None):  # type: ignore[no-untyped-def]
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config())
    return {rev.revision for rev in script.walk_revisions()}


def current_revisions(conn) -> frozenset[str]:  # type: ignore[no-untyped-def]
    """The revisions a ledger is at (one per branch head); empty for a new ledger."""
    if not inspect(conn).has_table("alembic_version"):
        return frozenset()
    return frozenset(conn.execute(text("SELECT version_num FROM alembic_version")).scalars())


def backup_sqlite(source: Path, target: Path) -> None:
    """Copy a live SQLite ledger consistently through the backup API (one step, so the copy is
    one snapshot even while others write); the copy is created 0600 and never overwrites."""
    fd = os.open(target, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.fchmod(fd, 0o600)
    os.close(fd)
    try:
        src = sqlite3.connect(str(source), timeout=60)
        dst = sqlite3.connect(str(target))
        try:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode = DELETE")
        finally:
            dst.close()
            src.close()
        with open(target, "rb+") as fh:
            os.fsync(fh.fileno())
    except BaseException:
        target.unlink(missing_ok=True)
        raise


def free_name(path: Path) -> Path:
    """``path``, or ``path`` with ``-2``, ``-3``… before its last suffix if it exists."""
    candidate, n = path, 1
    while candidate.exists():
        n += 1
        candidate = path.with_name(f"{path.stem}-{n}{path.suffix}")
    return candidate


def ensure_schema(ledger: Ledger, *, create: bool = True) -> None:
    """Check the schema version cheaply; migrate only when it differs from the head. A database
    without techdept's schema is made a ledger only with ``create`` (``techdept init``), and
    only when it holds no other tables."""
    with ledger.engine.connect() as conn:
        current = current_revisions(conn)
        if current == schema_heads():
            return
        if not current:
            tables = set(inspect(conn).get_table_names())
            if tables:
                raise LedgerUnavailable("LedgerForeign", path=_shown(ledger))
            if not create:
                raise LedgerUnavailable("LedgerMissing", path=_shown(ledger))
    upgrade(ledger)


def _shown(ledger: Ledger) -> str:
    from techdept.ledger.location import display

    return str(ledger.path) if ledger.path is not None else display(ledger.url)


def upgrade(ledger: Ledger) -> str | None:
    """Upgrade to head under the write lock, in one transaction. Returns the backup made, if any.

    SQLite: Alembic's batch mode rebuilds a table by copy, drop and rename, which only works
    with foreign keys off, and ``PRAGMA foreign_keys`` is ignored inside a transaction: so the
    pragma is switched off before the transaction begins, ``PRAGMA foreign_key_check`` runs
    before the commit (a violation rolls everything back), and the pragma is switched on again
    whatever happens. PostgreSQL keeps enforcing foreign keys; its DDL is transactional too.
    """
    from alembic import command

    from techdept.ledger.engine import pg_write_lock

    engine = ledger.engine.execution_options(sqlite_begin="IMMEDIATE")
    backup: Path | None = None
    with engine.connect() as conn:
        sqlite = ledger.dialect == "sqlite"
        if sqlite:
            _foreign_keys(conn, on=False)
        try:
            with conn.begin():
                if ledger.dialect == "postgresql":
                    pg_write_lock(conn)
                current = current_revisions(conn)
                if current == schema_heads():
                    return None
                unknown = current - known_revisions()
                if unknown:
                    raise LedgerUnavailable(
                        "LedgerTooNew", revision="+".join(sorted(unknown)), head=schema_label()
                    )
                if current and ledger.path is not None:
                    stamp = dt.datetime.now().strftime("%Y%m%dT%H%M%S")
                    label = "+".join(sorted(current))
                    backup = free_name(
                        ledger.path.with_name(f"{ledger.path.name}.{label}-{stamp}.bak")
                    )
                    backup_sqlite(ledger.path, backup)
                command.upgrade(alembic_config(conn), "heads")
                if sqlite:
                    bad = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if bad:
                        raise LedgerUnavailable("LedgerForeignKeys", count=len(bad))
        finally:
            if sqlite:
                _foreign_keys(conn, on=True)
    return str(backup) if backup else None


def _foreign_keys(conn, *, on: bool) -> None:  # type: ignore[no-untyped-def]
    """Switch SQLite's foreign-key enforcement outside any transaction (on the driver
    connection, so SQLAlchemy does not begin one)."""
    raw = conn.connection.driver_connection
    raw.execute(f"PRAGMA foreign_keys = {'ON' if on else 'OFF'}")
