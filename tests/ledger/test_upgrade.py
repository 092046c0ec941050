"""Ledgers saved by an earlier release open with this code: upgraded through every migration,
with their data, their audit chain and a backup taken first."""

import importlib.util
import os
import shutil
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import create_engine

from techdept.ledger import location, schema_heads

DATA = Path(__file__).parent.parent / "data"


def fixtures():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("make_fixtures", DATA / "make_fixtures.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def assert_release_0001_data(td, *db: str) -> None:
    staff = {s["code"]: s for s in td(*db, "staff", "list", "--json").json()}
    assert sorted(staff) == ["lijun", "qianli", "wangjg", "zhaolei"]
    assert staff["wangjg"]["name"] == "王建国"
    assert sorted(staff["zhaolei"]["roles"]) == ["engineer", "impl-manager"]
    project = td(*db, "project", "show", "P2026-001", "--json").json()
    assert project["contract"] == "1200000.00" and project["sales"] == "qianli"
    assert project["stage"] == "implementation.preparation"
    assert project["signed"] == "2026-02-16"
    chain = td(*db, "audit", "verify", "--json").json()
    assert chain["ok"] is True and chain["rows"] == 7
    td(*db, "db", "check")


@pytest.mark.sqlite_only
def test_fixture_is_what_the_script_makes(tmp_path, monkeypatch):
    module = fixtures()
    monkeypatch.setattr(module, "FIXTURE", tmp_path / "again.db")
    module.main()
    assert (tmp_path / "again.db").read_bytes() == (DATA / "ledger-0001.db").read_bytes()


@pytest.mark.sqlite_only
def test_upgrade_from_release_0001_sqlite(td, tmp_path):
    old = tmp_path / "old.db"
    shutil.copy(DATA / "ledger-0001.db", old)
    assert_release_0001_data(td, "--db", str(old))
    con = sqlite3.connect(old)
    assert {r[0] for r in con.execute("SELECT version_num FROM alembic_version")} == schema_heads()
    con.close()
    backups = list(tmp_path.glob("old.db.0001-*.bak"))
    if schema_heads() != {"0001"}:
        assert len(backups) == 1  # taken before the first migration ran
        copy = sqlite3.connect(backups[0])
        assert copy.execute("SELECT version_num FROM alembic_version").fetchall() == [("0001",)]
        assert copy.execute("SELECT count(*) FROM audit").fetchone()[0] == 7
        copy.close()
    # a new change continues the old chain
    td("--db", str(old), "staff", "add", "新人", "--code", "xinren", "--role", "engineer")
    assert td("--db", str(old), "audit", "verify", "--json").json()["rows"] == 8


def test_upgrade_from_0001_stamped(td):
    """The same rows written into a database brought to revision 0001 only (on the
    PostgreSQL pass: a real server), then opened with the current code."""
    module = fixtures()
    url, _ = location.resolve(os.environ["TECHDEPT_DB"])
    engine = create_engine(url)
    with engine.begin() as conn:
        module.upgrade_to_0001(conn)
        assert module.populate(conn) == 7
    engine.dispose()
    assert_release_0001_data(td)
    td("staff", "add", "新人", "--code", "xinren", "--role", "engineer")
    assert td("audit", "verify", "--json").json()["rows"] == 8
