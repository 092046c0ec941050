"""The ledger file, its connections, its schema and its audit trail."""

import json
import sqlite3
import stat

import pytest

from techdept.ledger import location, schema_heads
from techdept.ledger.engine import Ledger


def open_ledger(path):
    url, file = location.resolve(str(path))
    return Ledger.open(url, file)


@pytest.mark.sqlite_only
@pytest.mark.no_ledger
def test_file_mode_and_pragmas(ledger_env):
    ledger = open_ledger(ledger_env)
    assert stat.S_IMODE(ledger_env.stat().st_mode) == 0o600
    with ledger.engine.connect() as conn:
        pragma = lambda name: conn.exec_driver_sql(f"PRAGMA {name}").scalar()  # noqa: E731
        assert pragma("journal_mode") == "wal"
        assert pragma("synchronous") == 2  # FULL
        assert pragma("foreign_keys") == 1
        assert pragma("busy_timeout") > 0
    ledger.dispose()


@pytest.mark.sqlite_only
def test_write_takes_the_lock_up_front(ledger_env):
    ledger = open_ledger(ledger_env)
    with ledger.write():
        other = sqlite3.connect(ledger_env, timeout=0)
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            other.execute("BEGIN IMMEDIATE")
        other.close()
    ledger.dispose()


def test_schema_head_is_alembics_head():
    from alembic.script import ScriptDirectory

    from techdept.ledger.migrate import alembic_config

    assert set(ScriptDirectory.from_config(alembic_config()).get_heads()) == schema_heads()


def test_migrations_match_the_models(ledger_env):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlmodel import SQLModel

    ledger = open_ledger(ledger_env)
    with ledger.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), SQLModel.metadata)
    assert diff == []
    ledger.dispose()


@pytest.mark.sqlite_only
def test_newer_ledger_refused(td, ledger_env):
    td("init")
    con = sqlite3.connect(ledger_env)
    con.execute("DELETE FROM alembic_version")
    con.execute("INSERT INTO alembic_version VALUES ('9999')")
    con.commit()
    con.close()
    td("staff", "list", expect=3, stderr="newer than this techdept knows")


@pytest.mark.sqlite_only
def test_damaged_file_is_exit_3(td, ledger_env):
    ledger_env.write_bytes(b"this is not a database" * 100)
    td("staff", "list", expect=3, stderr="cannot be opened")


@pytest.mark.sqlite_only
def test_every_change_is_audited_and_chained(td, ledger_env):
    from techdept.ledger.audit import GENESIS, canonical  # noqa: F401

    td("staff", "add", "钱丽", "--code", "qianli", "--role", "sales")
    td("--as", "qianli", "project", "new", "甲", "--customer", "甲院", "--sales", "qianli")
    td("--as", "qianli", "project", "set", "P2026-001", "--contract", "100")
    con = sqlite3.connect(ledger_env)
    rows = con.execute(
        "SELECT actor, action, entity_key, before, after, prev_hash, hash FROM audit ORDER BY id"
    ).fetchall()
    assert [r[1] for r in rows] == ["staff.add", "project.new", "project.set"]
    assert rows[1][0] == "qianli"
    assert rows[0][0].startswith("os:")
    assert json.loads(rows[2][3])["contract_fen"] is None
    assert json.loads(rows[2][4])["contract_fen"] == 10_000
    assert rows[0][5] == GENESIS
    assert [r[5] for r in rows[1:]] == [r[6] for r in rows[:-1]]
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        con.execute("UPDATE audit SET actor = 'x'")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        con.execute("DELETE FROM audit")
    con.close()


@pytest.mark.sqlite_only
def test_refused_change_writes_nothing(td, ledger_env):
    td("init")
    td("project", "new", "甲", "--customer", "甲院", "--sales", "nobody", expect=1)
    con = sqlite3.connect(ledger_env)
    assert con.execute("SELECT count(*) FROM audit").fetchone()[0] == 0
    assert con.execute("SELECT count(*) FROM project").fetchone()[0] == 0
    con.close()


@pytest.mark.sqlite_only
def test_upgrade_backs_up_first(ledger_env, monkeypatch):
    """An older ledger is copied through the backup API before the migration runs."""
    from techdept.ledger import migrate

    open_ledger(ledger_env).dispose()
    con = sqlite3.connect(ledger_env)
    con.execute("INSERT INTO staff (code, name, created_at) VALUES ('a', 'A', '2026-01-01')")
    con.commit()
    con.close()
    monkeypatch.setattr(migrate, "schema_heads", lambda: frozenset({"newer"}))
    monkeypatch.setattr(migrate, "known_revisions", lambda: {*schema_heads(), "newer"})
    ran = []
    monkeypatch.setattr("alembic.command.upgrade", lambda cfg, rev: ran.append(rev))
    ledger = open_ledger(ledger_env)
    backups = list(ledger_env.parent.glob("ledger.db.*.bak"))
    assert ran == ["heads"] and len(backups) == 1
    assert stat.S_IMODE(backups[0].stat().st_mode) == 0o600
    copy = sqlite3.connect(backups[0])
    assert copy.execute("SELECT code FROM staff").fetchall() == [("a",)]
    copy.close()
    ledger.dispose()
