"""Identity on PostgreSQL (issue 12, build 4): per-person logins made by ``db roles --apply``.
As ``li_jun`` (an engineer) ``--as wangjg`` is refused and plain SQL cannot delete, update,
disable triggers or truncate; ``wang_jg`` (the director) approves normally.

Runs against TECHDEPT_TEST_PG_URL (scripts/test.sh's PostgreSQL pass) in a schema of its own,
or starts a throwaway cluster (scripts/pg.sh) on TECHDEPT_PG_ROLES_PORT (54312); skipped when
no PostgreSQL server is installed."""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
import uuid
from pathlib import Path

import pytest

from tests.e2e._meeting import E1_FACTS, IMPL, new_project

# every test here starts a process or a server
pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]


def _pg_bin(name: str) -> str | None:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return found[-1] if found else shutil.which(name)


@pytest.fixture(scope="module")
def server():
    url = os.environ.get("TECHDEPT_TEST_PG_URL")
    if url:
        yield url
        return
    if _pg_bin("initdb") is None:
        pytest.skip("no PostgreSQL server binaries")
    pgdir = tempfile.mkdtemp(prefix="techdept-pg-")  # under /tmp: the postgres user reaches it
    port = os.environ.get("TECHDEPT_PG_ROLES_PORT", "54312")
    started = subprocess.run(["bash", str(ROOT / "scripts/pg.sh"), "start", str(pgdir), port],
                             capture_output=True, text=True)  # fmt: skip
    if started.returncode != 0:
        pytest.skip(f"could not start PostgreSQL: {started.stderr.strip()}")
    try:
        yield started.stdout.strip()
    finally:
        subprocess.run(["bash", str(ROOT / "scripts/pg.sh"), "stop", str(pgdir)], check=False)


@pytest.fixture
def ledger(server, monkeypatch):
    """A fresh schema on the server; returns a function giving the URL as a given login."""
    import psycopg
    from sqlalchemy.engine import make_url

    schema = f"r_{uuid.uuid4().hex[:10]}"
    base = make_url(server)
    conninfo = server.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")

    def url(user: str | None = None) -> str:
        u = base.set(username=user) if user else base
        return u.render_as_string(hide_password=False) + f"?options=-csearch_path%3D{schema}"

    monkeypatch.setenv("TECHDEPT_DB", url())
    yield url
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(f"DROP SCHEMA {schema} CASCADE")


def _psql(url_as: str, schema_sql: str) -> subprocess.CompletedProcess:
    from sqlalchemy.engine import make_url

    u = make_url(url_as)
    env = os.environ | {"PGOPTIONS": u.query["options"]}
    return subprocess.run(
        [_pg_bin("psql") or "psql", "-h", u.host, "-p", str(u.port), "-U", u.username,
         "-d", u.database, "-v", "ON_ERROR_STOP=1", "-c", schema_sql],
        capture_output=True, text=True, env=env,
    )  # fmt: skip


def test_logins_decide_who_acts(td, ledger):
    td("init", "--demo")
    td("--as", "zhangli", "staff", "set", "lijun", "--login", "li_jun")
    td("--as", "zhangli", "staff", "set", "wangjg", "--login", "wang_jg")
    printed = td("db", "roles").stdout
    assert 'CREATE ROLE "techdept_user" NOLOGIN' in printed and "TRUNCATE" not in printed
    td("--as", "lijun", "db", "roles", "--apply", expect=1, stderr="only an administrator")
    applied = td("--as", "zhangli", "db", "roles", "--apply").stdout
    assert "login li_jun → lijun" in applied and "login wang_jg → wangjg" in applied

    code = new_project(td, "身份项目", signed="2026-03-02")
    td("--as", "zhaolei", "team", code, *IMPL, "--lead", "zhaolei", "--engineer", "zhoupeng")
    td("assess", "open", code, *IMPL, *E1_FACTS)
    for scorer in ("self", "sales", "superior"):
        td("score", code, *IMPL, "--scorer", scorer, "quality=27")
    rows = td("audit", "verify", "--json").json()["rows"]

    li_jun, wang_jg = ledger("li_jun"), ledger("wang_jg")
    td("--db", li_jun, "--as", "wangjg", "assess", "approve", code, *IMPL, expect=1,
       stderr="you are connected as the database login li_jun, that is lijun")  # fmt: skip
    td("--db", li_jun, "assess", "approve", code, *IMPL, expect=1,
       stderr="only the technical director takes the first approval (you are technical "
       "engineer 李军)")  # fmt: skip
    assert td("audit", "verify", "--json").json()["rows"] == rows  # refusals write nothing
    assert td("assess", "show", code, *IMPL, "--json").json()["status"] == "open"

    for sql, error in (
        ("DELETE FROM payout_line", "permission denied for table payout_line"),
        ("UPDATE audit SET actor = 'x'", "permission denied for table audit"),
        ("ALTER TABLE audit DISABLE TRIGGER ALL", "must be owner of table audit"),
        ("TRUNCATE entitlement", "permission denied for table entitlement"),
        ("DELETE FROM payment", "permission denied for table payment"),
    ):
        got = _psql(li_jun, sql)
        assert got.returncode != 0 and error in got.stderr, (sql, got.stderr)

    done = td("--db", wang_jg, "assess", "approve", code, *IMPL, "--json").json()
    assert done["status"] == "director-approved"
    assert done["approvals"]["director"]["by"] == "wangjg"
    # li_jun still works as himself: a sheet he may enter
    td("--db", li_jun, "score", code, *IMPL, "--scorer", "self", "quality=27", expect=1,
       stderr="frozen")  # fmt: skip


def test_b_covers_an_away_a_from_their_own_login(td, ledger):
    td("init", "--demo")
    td("--as", "zhangli", "staff", "set", "zhaolei", "--login", "zhao_lei")
    td("--as", "zhangli", "db", "roles", "--apply")
    zhao_lei = ledger("zhao_lei")
    code = new_project(td, "售后项目", stage="aftersales.operation")
    td("project", "set", code, "--service-start", "2026-10-01", "--service-months", "12")
    team = ("team", code, "--track", "aftersales", "--lead", "sunhui", "--engineer", "wuhao")
    td("--db", zhao_lei, "--as", "sunhui", *team, expect=1, stderr="that is zhaolei")
    td("--as", "wangjg", "staff", "away", "sunhui", "--from", "2026-11-20", "--to", "2026-11-30")
    td("--db", zhao_lei, "--as", "sunhui", *team)  # B for the away A, as himself
    assert td("audit", "log", "--json").json()[-1]["actor"] == "zhaolei"


def test_a_login_nobody_has_is_refused(td, ledger):
    td("init", "--admin", "zhangli", "--name", "张丽")
    td("--as", "zhangli", "staff", "add", "李军", "--code", "lijun", "--role", "engineer")
    td("--as", "zhangli", "staff", "set", "lijun", "--login", "li_jun")
    td("--as", "zhangli", "db", "roles", "--apply")
    td("--as", "zhangli", "staff", "set", "lijun", "--no-login")
    td("--db", ledger("li_jun"), "project", "new", "甲", "--customer", "乙", expect=1,
       stderr="the database login li_jun belongs to nobody")  # fmt: skip


def test_db_roles_is_for_postgresql(td, monkeypatch, tmp_path):
    monkeypatch.setenv("TECHDEPT_DB", str(tmp_path / "l.db"))
    td("init")
    td("db", "roles", expect=1, stderr="db roles is for a PostgreSQL ledger")
