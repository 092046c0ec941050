"""``db backup``, ``db restore`` and ``db check`` as a user runs them."""

import os
import sqlite3
import stat
import subprocess
import sys
import time

import pytest
from sqlalchemy import create_engine, text

from techdept.ledger import location
from techdept.services import checks


@pytest.fixture
def people(td):
    td("staff", "add", "王建国", "--code", "wangjg", "--role", "director")
    td("staff", "add", "钱丽", "--code", "qianli", "--role", "sales")
    td("project", "new", "甲", "--customer", "甲院", "--sales", "qianli")
    return td


def codes(td, *db: str) -> list[str]:
    return [p["code"] for p in td(*db, "staff", "list", "--json").json()]


# ---------------------------------------------------------------------------------- check


def test_check_clean_ledger(people):
    got = people("db", "check")
    assert "ledger OK: file integrity, foreign keys, audit hash chain" in got.stdout or (
        "ledger OK: foreign keys, audit hash chain" in got.stdout  # PostgreSQL: no integrity
    )
    assert "audit trail: 3 rows, head hash " in got.stdout
    doc = people("db", "check", "--json").json()
    assert doc["ok"] is True and doc["findings"] == []
    by_name = {c["name"]: c for c in doc["checks"]}
    assert by_name["audit"]["status"] == "ok" and by_name["audit"]["rows"] == 3
    assert by_name["foreign_keys"]["status"] == "ok"
    assert set(by_name) >= {"integrity", "foreign_keys", "audit", "assessment.recheck"}


def test_check_runs_registered_recompute_checks(people, monkeypatch):
    """A stored result that no longer matches its inputs is one line; exit 1."""

    def stored_scores(session):
        return ["assessment P2026-001/implementation: stored composite 84.00, recomputed 83.00"]

    monkeypatch.setattr(checks, "CHECKS", [stored_scores])
    got = people("db", "check", expect=1, stderr="found 1 problem")
    assert "stored composite 84.00, recomputed 83.00" in got.stdout
    doc = people("db", "check", "--json", expect=1).json()
    assert doc["ok"] is False
    assert {"name": "test_db.stored_scores", "status": "failed"}.items() <= next(
        c for c in doc["checks"] if c["name"] == "test_db.stored_scores"
    ).items()


def test_every_area_check_runs_and_none_is_skipped(people):
    """The areas' recompute checks are imported by name: each runs (none is silently skipped
    as the lazily loaded ones were while their module or function was missing)."""
    doc = people("db", "check", "--json").json()
    status = {c["name"]: c["status"] for c in doc["checks"]}
    for name in ("assessment.recheck", "payouts.recheck", "trail.recheck", "trail.triggers"):
        assert status[name] == "ok", (name, status)


def test_a_renamed_area_check_fails_loudly(people, monkeypatch):
    """A check whose function is gone is an error of techdept, not a skipped line."""
    from techdept.services import trail

    monkeypatch.delattr(trail, "triggers")
    got = people("db", "check", expect=1)
    assert "internal error" in got.stderr or "ImportError" in got.stderr


def test_check_that_crashes_is_a_finding(people, monkeypatch):
    def broken(session):
        raise ZeroDivisionError

    monkeypatch.setattr(checks, "CHECKS", [broken])
    got = people("db", "check", expect=1)
    assert "check test_db.broken could not run (ZeroDivisionError)" in got.stdout


def test_check_finds_a_dangling_foreign_key(people):
    url, _ = location.resolve(os.environ["TECHDEPT_DB"])
    engine = create_engine(url)
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":  # what a restore with triggers off could leave
            conn.execute(text("SET LOCAL session_replication_role = replica"))
        # (SQLite: a plain connection has foreign keys off)
        conn.execute(text("INSERT INTO staff_role (staff_id, role) VALUES (999, 'engineer')"))
    engine.dispose()
    got = people("db", "check", expect=1, stderr="found 2 problem")
    assert "foreign key: " in got.stdout and "staff_role" in got.stdout
    # the same row, granted with SQL, has no audit row either (issue 11)
    assert "staff_role, row (999, engineer): no audit row grants this role" in got.stdout


@pytest.mark.sqlite_only
def test_check_runs_sqlite_integrity_check(people, ledger_env):
    con = sqlite3.connect(ledger_env)
    con.execute("PRAGMA writable_schema = ON")  # the index now claims another column
    con.execute(
        "UPDATE sqlite_master SET sql = replace(sql, '(code)', '(name)') "
        "WHERE name = 'ix_staff_code'"
    )
    con.commit()
    con.close()
    got = people("db", "check", expect=1)
    assert "integrity: " in got.stdout and "ix_staff_code" in got.stdout


# --------------------------------------------------------------------------------- backup


@pytest.mark.sqlite_only
def test_backup_is_a_private_new_file_with_the_same_history(people, tmp_path):
    target = tmp_path / "backups" / "monday.db"
    target.parent.mkdir()
    doc = people("db", "backup", str(target), "--json").json()
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    head = people("audit", "verify", "--json").json()["head"]
    assert doc == {
        "path": str(target),
        "bytes": target.stat().st_size,
        "audit_rows": 3,
        "head": head,
    }
    assert codes(people, "--db", str(target)) == ["qianli", "wangjg"]
    people("db", "backup", str(target), expect=1, stderr="exists already")
    people("db", "backup", str(tmp_path / "nope" / "x.db"), expect=1, stderr="does not exist")
    human = people("db", "backup", str(tmp_path / "two.db")).stdout
    assert "backup written: " in human and f"audit head hash: {head}" in human


@pytest.mark.sqlite_only
def test_backup_of_a_missing_ledger_is_refused(td, tmp_path):
    td(
        "--db",
        str(tmp_path / "none.db"),
        "db",
        "backup",
        str(tmp_path / "b.db"),
        expect=1,
        stderr="there is no ledger at",
    )
    assert not (tmp_path / "none.db").exists() and not (tmp_path / "b.db").exists()


def test_postgresql_backup_and_restore_give_the_commands(td, tmp_path):
    url = "postgresql+psycopg://clerk:secret@db.example:5433/techdept?options=-csearch_path%3Dacme"
    got = td("--db", url, "db", "backup", "/srv/b.dump", expect=1)
    assert got.stderr.strip() == (
        "error: a PostgreSQL ledger is backed up with pg_dump, not by techdept: pg_dump "
        "--format=custom --file=/srv/b.dump --schema=acme postgresql://clerk@db.example:5433/techdept"
    )
    assert "secret" not in got.stderr
    got = td("--db", url, "db", "restore", "/srv/b.dump", expect=1)
    assert "pg_restore --clean --if-exists --single-transaction" in got.stderr
    assert "--dbname=postgresql://clerk@db.example:5433/techdept --schema=acme /srv/b.dump" in (
        got.stderr
    )


# -------------------------------------------------------------------------------- restore


@pytest.mark.sqlite_only
def test_restore_puts_the_backup_back_and_keeps_the_current_ledger(people, ledger_env, tmp_path):
    backup = tmp_path / "b.db"
    people("db", "backup", str(backup))
    people("staff", "add", "后来", "--code", "later", "--role", "engineer")
    got = people("db", "restore", str(backup))
    assert "restored from" in got.stdout and "kept as" in got.stdout
    assert codes(people) == ["qianli", "wangjg"]
    kept = list(tmp_path.glob("ledger.db.before-restore-*.bak"))
    assert len(kept) == 1 and stat.S_IMODE(kept[0].stat().st_mode) == 0o600
    assert "later" in codes(people, "--db", str(kept[0]))
    log = people("audit", "log", "--json").json()
    assert log[-1]["action"] == "db.restore" and log[-1]["key"] == "b.db"
    people("db", "check")


@pytest.mark.sqlite_only
def test_restore_into_a_new_place(people, tmp_path):
    backup = tmp_path / "b.db"
    people("db", "backup", str(backup))
    fresh = tmp_path / "elsewhere.db"
    doc = people("--db", str(fresh), "db", "restore", str(backup), "--json").json()
    assert doc["kept"] is None and doc["audit_rows"] == 4  # with its db.restore row
    assert codes(people, "--db", str(fresh)) == ["qianli", "wangjg"]
    people("--db", str(fresh), "db", "check")


@pytest.mark.sqlite_only
def test_restore_refuses_unsound_files(people, ledger_env, tmp_path):
    backup = tmp_path / "b.db"
    people("db", "backup", str(backup))
    before = ledger_env.read_bytes()
    truncated = tmp_path / "truncated.db"
    truncated.write_bytes(backup.read_bytes()[: 3 * 4096])
    people("db", "restore", str(truncated), expect=1, stderr="is damaged")
    text_file = tmp_path / "notes.db"
    text_file.write_text("not a database at all\n" * 200)
    people("db", "restore", str(text_file), expect=1, stderr="is damaged (file is not a database)")
    other = tmp_path / "other.db"
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE notes (x)")
    con.close()
    people("db", "restore", str(other), expect=1, stderr="is not a techdept ledger")
    newer = tmp_path / "newer.db"
    newer.write_bytes(backup.read_bytes())
    con = sqlite3.connect(newer)
    con.execute("DELETE FROM alembic_version")
    con.execute("INSERT INTO alembic_version VALUES ('9999')")
    con.commit()
    con.close()
    people("db", "restore", str(newer), expect=1, stderr="has schema 9999, newer than this")
    people("db", "restore", str(ledger_env), expect=1, stderr="is the ledger itself")
    people("db", "restore", str(tmp_path / "missing.db"), expect=1, stderr="no backup file")
    assert ledger_env.read_bytes() == before
    assert list(tmp_path.glob("*.bak")) == []
    assert list(tmp_path.glob("*.restoring*")) == []


@pytest.mark.sqlite_only
def test_restore_replaces_a_damaged_ledger(people, ledger_env, tmp_path):
    backup = tmp_path / "b.db"
    people("db", "backup", str(backup))
    people("db", "path")  # the CLI has closed the ledger
    for suffix in ("-wal", "-shm"):
        (tmp_path / f"ledger.db{suffix}").unlink(missing_ok=True)
    ledger_env.write_bytes(b"\x00garbage" * 1000)
    people("staff", "list", expect=3)
    people("db", "restore", str(backup))
    assert codes(people) == ["qianli", "wangjg"]
    people("db", "check")


# ------------------------------------------------------------- backup while others write

WRITER = """
import pathlib, sys
from techdept.ledger import location
from techdept.ledger.engine import Ledger
from techdept.services.staff import add_staff
url, path = location.resolve(sys.argv[1])
ledger = Ledger.open(url, path)
stop = pathlib.Path(sys.argv[2])
i = 0
while not stop.exists() and i < 3000:
    add_staff(ledger, None, f"W{i}", f"w{i}", ["engineer"])
    i += 1
print(i)
"""


@pytest.mark.sqlite_only
@pytest.mark.slow
@pytest.mark.serial
def test_backup_taken_while_another_process_writes_restores_clean(td, ledger_env, tmp_path):
    td("init")
    stop = tmp_path / "stop"
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(ledger_env), str(stop)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            con = sqlite3.connect(ledger_env, timeout=10)
            n = con.execute("SELECT count(*) FROM staff").fetchone()[0]
            con.close()
            if n >= 5:
                break
            time.sleep(0.05)
        backups = []
        for k in range(3):
            backups.append(tmp_path / f"b{k}.db")
            td("db", "backup", str(backups[-1]))
            time.sleep(0.1)
    finally:
        stop.touch()
        out, err = writer.communicate(timeout=60)
    assert writer.returncode == 0, err
    written = int(out)
    seen = []
    for k, backup in enumerate(backups):
        restored = tmp_path / f"restored{k}.db"
        td("--db", str(restored), "db", "restore", str(backup))
        td("--db", str(restored), "db", "check")
        con = sqlite3.connect(restored)
        staff = con.execute("SELECT count(*) FROM staff").fetchone()[0]
        adds = con.execute("SELECT count(*) FROM audit WHERE action = 'staff.add'").fetchone()[0]
        roles = con.execute("SELECT count(*) FROM staff_role").fetchone()[0]
        con.close()
        assert staff == adds == roles  # one snapshot: every change with its audit row
        seen.append(staff)
    assert 5 <= seen[0] <= seen[1] <= seen[2] <= written
