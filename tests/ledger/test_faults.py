"""Faults: a migration killed half-way, a migration that rebuilds a referenced table, a writer
that has to wait for another, and one that waits too long."""

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, text

from techdept.ledger import location, schema_heads

PROBE_MIGRATION = '''"""Test-only: rebuild the staff table (referenced by others) and add a table.

Revision ID: 9999
"""

import sqlalchemy as sa
from alembic import op

revision = "9999"
down_revision = {heads!r}
branch_labels = None
depends_on = None


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"  # copy, drop, rename: foreign keys off
    with op.batch_alter_table("staff", recreate="always" if sqlite else "auto") as batch:
        batch.add_column(sa.Column("nickname", sa.String(40), nullable=True))
    op.execute("UPDATE staff SET nickname = code")
    op.create_table("fault_probe", sa.Column("id", sa.Integer(), primary_key=True))


def downgrade() -> None:
    pass
'''

# Runs ``techdept db upgrade`` against the migrations in argv[1] (the shipped ones plus the
# probe). With "kill", the real upgrade runs inside the upgrade transaction and then the
# process kills itself with SIGKILL before anything is committed.
RUNNER = """
import os, signal, sys
from pathlib import Path
import techdept.ledger as ledger_pkg
from techdept.ledger import migrate
folder = Path(sys.argv[1])
ledger_pkg.VERSIONS = folder / "versions"
ledger_pkg.schema_heads.cache_clear()
migrate.MIGRATIONS = folder
if sys.argv[2] == "kill":
    from alembic import command
    real = command.upgrade
    def upgrade(cfg, revision):
        real(cfg, revision)
        os.kill(os.getpid(), signal.SIGKILL)
    command.upgrade = upgrade
from techdept.cli import main
sys.argv = ["techdept", "db", "upgrade"]
main()
"""


def probe_migrations(tmp_path: Path) -> Path:
    """A copy of the shipped migrations with the probe revision on top of every head."""
    from techdept.ledger.migrate import MIGRATIONS

    folder = tmp_path / "migrations"
    shutil.copytree(MIGRATIONS, folder, ignore=shutil.ignore_patterns("__pycache__"))
    heads = tuple(sorted(schema_heads()))
    (folder / "versions" / "9999_probe.py").write_text(
        PROBE_MIGRATION.format(heads=heads if len(heads) > 1 else heads[0])
    )
    return folder


def run_upgrade(folder: Path, mode: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", RUNNER, str(folder), mode],
        capture_output=True,
        text=True,
        timeout=120,
        env=os.environ | {"TECHDEPT_LANG": "en"},
    )


def raw(query: str) -> list[tuple]:
    url, _ = location.resolve(os.environ["TECHDEPT_DB"])
    engine = create_engine(url)
    with engine.connect() as conn:
        rows = [tuple(r) for r in conn.execute(text(query))]
    engine.dispose()
    return rows


def tables() -> set[str]:
    url, _ = location.resolve(os.environ["TECHDEPT_DB"])
    engine = create_engine(url)
    with engine.connect() as conn:
        names = set(inspect(conn).get_table_names())
        columns = {c["name"] for c in inspect(conn).get_columns("staff")}
    engine.dispose()
    return names | {f"staff.{c}" for c in columns}


@pytest.mark.slow
def test_migration_killed_midway_leaves_the_old_ledger(td, tmp_path, ledger_env):
    td("staff", "add", "王建国", "--code", "wangjg", "--role", "director")
    td("staff", "add", "赵磊", "--code", "zhaolei", "--role", "engineer", "--role", "impl-manager")
    td("project", "new", "甲", "--customer", "甲院")
    before = td("staff", "list", "--json").json()
    head = td("audit", "verify", "--json").json()["head"]
    folder = probe_migrations(tmp_path)

    killed = run_upgrade(folder, "kill")
    assert killed.returncode == -signal.SIGKILL, killed.stderr

    # the old code opens it as it was: same revision, same rows, no trace of the migration
    assert td("staff", "list", "--json").json() == before
    assert td("audit", "verify", "--json").json()["head"] == head
    td("db", "check")
    assert "fault_probe" not in tables() and "staff.nickname" not in tables()
    assert {r[0] for r in raw("SELECT version_num FROM alembic_version")} == schema_heads()
    if not os.environ["TECHDEPT_DB"].startswith("postgres"):
        assert len(list(tmp_path.glob("ledger.db.*.bak"))) == 1  # taken before it began

    # the same migration, not interrupted: done, data kept, foreign keys intact
    done = run_upgrade(folder, "run")
    assert done.returncode == 0, done.stderr
    assert {"fault_probe", "staff.nickname"} <= tables()
    assert sorted(raw("SELECT code, nickname FROM staff")) == [
        ("wangjg", "wangjg"),
        ("zhaolei", "zhaolei"),
    ]
    assert len(raw("SELECT staff_id, role FROM staff_role")) == 3
    if not os.environ["TECHDEPT_DB"].startswith("postgres"):
        con = sqlite3.connect(ledger_env)
        assert con.execute("PRAGMA foreign_key_check").fetchall() == []
        con.close()
    # and this code, which does not know revision 9999, refuses the newer ledger
    td("staff", "list", expect=3, stderr="has schema 9999, newer than this techdept knows")


@pytest.mark.sqlite_only
def test_upgrade_rolls_back_on_a_foreign_key_violation(ledger_env, monkeypatch):
    """Foreign keys are off during the migration (batch mode needs it) and checked before the
    commit: a violation undoes the whole upgrade."""
    from techdept.errors import LedgerUnavailable
    from techdept.ledger import migrate
    from techdept.ledger.engine import Ledger

    url, path = location.resolve(str(ledger_env))
    Ledger.open(url, path).dispose()

    def bad_upgrade(cfg, revision):
        conn = cfg.attributes["connection"]
        conn.exec_driver_sql("INSERT INTO staff_role (staff_id, role) VALUES (42, 'x')")
        conn.exec_driver_sql("DELETE FROM alembic_version")
        conn.exec_driver_sql("INSERT INTO alembic_version VALUES ('newer')")

    monkeypatch.setattr(migrate, "schema_heads", lambda: frozenset({"newer"}))
    monkeypatch.setattr(migrate, "known_revisions", lambda: {*schema_heads(), "newer"})
    monkeypatch.setattr("alembic.command.upgrade", bad_upgrade)
    ledger = Ledger(url, path)
    from techdept.ledger.engine import _sqlite_engine

    ledger.engine = _sqlite_engine(url)
    with pytest.raises(LedgerUnavailable) as caught:
        migrate.upgrade(ledger)
    assert caught.value.key == "error.LedgerForeignKeys"
    with ledger.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM staff_role").scalar() == 0
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1  # back on
        assert set(conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalars()) == (
            schema_heads()
        )
    ledger.dispose()


def hold_write_lock(seconds: float) -> threading.Event:
    """Hold the ledger's write lock from another connection for ``seconds``; returns an event
    set once the lock is held."""
    url, path = location.resolve(os.environ["TECHDEPT_DB"])
    held = threading.Event()

    def sqlite_holder() -> None:
        con = sqlite3.connect(path, timeout=10, isolation_level=None, check_same_thread=False)
        con.execute("BEGIN IMMEDIATE")
        held.set()
        threading.Event().wait(seconds)
        con.execute("ROLLBACK")
        con.close()

    def pg_holder() -> None:
        from techdept.ledger.engine import PG_WRITE_LOCK

        engine = create_engine(url)
        with engine.connect() as conn, conn.begin():
            conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": PG_WRITE_LOCK})
            held.set()
            threading.Event().wait(seconds)
        engine.dispose()

    threading.Thread(target=sqlite_holder if path else pg_holder, daemon=True).start()
    assert held.wait(10)
    return held


@pytest.mark.slow
@pytest.mark.serial
def test_a_waiting_writer_says_so_and_succeeds(td):
    td("init")
    hold_write_lock(3.0)
    got = td("staff", "add", "等待", "--code", "waiter", "--role", "engineer")
    assert "the ledger is busy with another command; waiting up to 60 s" in got.stderr
    assert "added waiter" in got.stdout
    assert [s["code"] for s in td("staff", "list", "--json").json()] == ["waiter"]


@pytest.mark.slow
@pytest.mark.serial
def test_a_writer_that_waits_too_long_gives_up_cleanly(td, monkeypatch):
    from techdept.ledger import engine

    td("init")
    monkeypatch.setattr(engine, "FIRST_WAIT_MS", 300)
    monkeypatch.setattr(engine, "BUSY_TIMEOUT_MS", 1300)
    hold_write_lock(3.0)
    got = td("staff", "add", "等待", "--code", "waiter", "--role", "engineer", expect=3)
    assert "waiting up to 1 s" in got.stderr
    assert "stayed busy with another command for 1 s; nothing was changed" in got.stderr
    assert "Traceback" not in got.stderr and "locked" not in got.stderr
