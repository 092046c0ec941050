"""Bring a ledger's schema to this code's head, safely: refuse a newer ledger, back up an
SQLite ledger first, run every migration in one transaction under the write lock, then check
foreign keys."""

from __future__ import annotations

import datetime as dt
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
    """Copy a live SQLite ledger consistently through the backup API; the copy is 0600."""
    target.touch(mode=0o600, exist_ok=False)
    src = sqlite3.connect(str(source))
    dst = sqlite3.connect(str(target))
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()


def ensure_schema(ledger: Ledger) -> None:
    """Check the schema version cheaply; migrate only when it differs from the head."""
    with ledger.engine.connect() as conn:
        if current_revisions(conn) == schema_heads():
            return
    upgrade(ledger)


def upgrade(ledger: Ledger) -> str | None:
    """Upgrade to head under the write lock. Returns the backup path made, if any."""
    from alembic import command

    engine = ledger.engine.execution_options(sqlite_begin="IMMEDIATE")
    backup: Path | None = None
    with engine.connect() as conn, conn.begin():
        if ledger.dialect == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(7355608)"))
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
            backup = ledger.path.with_name(f"{ledger.path.name}.{label}-{stamp}.bak")
            backup_sqlite(ledger.path, backup)
        command.upgrade(alembic_config(conn), "heads")
        if ledger.dialect == "sqlite":
            bad = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            if bad:
                raise LedgerUnavailable("LedgerForeignKeys", count=len(bad))
    return str(backup) if backup else None
