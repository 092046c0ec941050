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
from techdept.ledger import SCHEMA_HEAD

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


def current_revision(conn) -> str | None:  # type: ignore[no-untyped-def]
    if not inspect(conn).has_table("alembic_version"):
        return None
    return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


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
        if current_revision(conn) == SCHEMA_HEAD:
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
        current = current_revision(conn)
        if current == SCHEMA_HEAD:
            return None
        if current is not None and current not in known_revisions():
            raise LedgerUnavailable("LedgerTooNew", revision=current, head=SCHEMA_HEAD)
        if current is not None and ledger.path is not None:
            stamp = dt.datetime.now().strftime("%Y%m%dT%H%M%S")
            backup = ledger.path.with_name(f"{ledger.path.name}.{current}-{stamp}.bak")
            backup_sqlite(ledger.path, backup)
        command.upgrade(alembic_config(conn), "head")
        if ledger.dialect == "sqlite":
            bad = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            if bad:
                raise LedgerUnavailable("LedgerForeignKeys", count=len(bad))
    return str(backup) if backup else None
