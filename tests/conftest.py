"""Every test gets its own ledger, language and clock; ``td`` drives the CLI as a user would."""

from __future__ import annotations

import json as jsonlib
import os
import shutil
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

PG_URL = os.environ.get("TECHDEPT_TEST_PG_URL")
TESTS = Path(__file__).parent
# Tests that never open a ledger: they run once, on the SQLite pass.
PURE = ("rules/", "forms/test_context.py", "forms/test_render.py", "forms/test_golden.py")
PURE += ("test_architecture.py", "test_i18n.py", "test_values.py")


def _cache_typer_command() -> None:
    """Build the click command tree once per test session instead of once per invocation.

    Typer's CliRunner converts the app on every ``invoke`` (about 60 ms with our ~20
    command modules); a real user's process does it once. The command is stateless between
    invocations, so reusing it changes nothing but the time."""
    import typer.testing

    build = getattr(typer.testing, "_get_command", None)
    if build is None:  # a Typer without this helper: nothing to cache
        return
    built: dict[int, object] = {}

    def cached(app):  # type: ignore[no-untyped-def]
        if id(app) not in built:
            built[id(app)] = build(app)
        return built[id(app)]

    typer.testing._get_command = cached


_cache_typer_command()


def pytest_collection_modifyitems(config, items):
    """On the PostgreSQL pass, skip what only makes sense for an SQLite file, and leave out
    the tests that never open a ledger (``PURE``): they ran on the SQLite pass."""
    if not PG_URL:
        return
    skip = pytest.mark.skip(reason="SQLite-specific (file, pragmas, sqlite3 module)")
    keep, pure = [], []
    for item in items:
        where = item.path.relative_to(TESTS).as_posix()
        (pure if where.startswith(PURE) else keep).append(item)
        if "sqlite_only" in item.keywords:
            item.add_marker(skip)
    if pure:
        config.hook.pytest_deselected(items=pure)
        items[:] = keep


def _pg_conninfo() -> str:
    return PG_URL.replace("postgresql+psycopg://", "postgresql://")


@pytest.fixture(scope="session")
def pg_template():
    """The SQL that recreates a migrated ledger schema, dumped once per session from a
    schema migrated to the head; each test's schema is built from it instead of migrating.

    Falls back to ``None`` (each test migrates) when no pg_dump of the server's version is
    on this machine."""
    import glob
    import subprocess

    import psycopg

    name = f"tmpl_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(_pg_conninfo(), autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {name}")
        major = conn.info.server_version // 10000
    try:
        _initialised(f"{PG_URL}?options=-csearch_path%3D{name}")
        dumps = sorted(glob.glob(f"/usr/lib/postgresql/{major}/bin/pg_dump"))
        if not dumps:
            yield None
            return
        flags = ["--inserts", "--no-owner", "--no-privileges", "--no-comments"]
        done = subprocess.run(
            [dumps[0], "--dbname", _pg_conninfo(), "--schema", name, *flags],
            capture_output=True,
            text=True,
            check=True,
        )
        # psql meta-commands (\restrict in newer dumps) are not SQL: leave them out
        sql = "\n".join(ln for ln in done.stdout.splitlines() if not ln.startswith("\\"))
        yield name, sql
    finally:
        with psycopg.connect(_pg_conninfo(), autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {name} CASCADE")


@pytest.fixture
def pg_schema(request):
    """A fresh schema per test on the PostgreSQL pass; the URL selects it by search_path."""
    import psycopg

    name = f"t_{uuid.uuid4().hex[:12]}"
    conninfo = _pg_conninfo()
    template = None if "no_ledger" in request.keywords else request.getfixturevalue("pg_template")
    with psycopg.connect(conninfo, autocommit=True) as conn:
        if template is None:
            conn.execute(f"CREATE SCHEMA {name}")
        else:
            source, sql = template
            conn.execute(sql.replace(source, name))
    url = f"{PG_URL}?options=-csearch_path%3D{name}"
    if template is None and "no_ledger" not in request.keywords:
        _initialised(url)  # no pg_dump here: migrate this schema itself
    yield url
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(f"DROP SCHEMA {name} CASCADE")


def _initialised(url: str, path=None) -> None:  # type: ignore[no-untyped-def]
    """What ``techdept init`` leaves: a ledger at the schema head (no data)."""
    from techdept.ledger.engine import Ledger

    Ledger.open(url, path, create=True).dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory):
    """One ledger migrated to the head, made once per session; each test gets a copy (a
    command other than ``init`` refuses a missing ledger, as a user's would).

    Migrating a fresh ledger costs a few hundred milliseconds; copying a file costs one."""
    path = tmp_path_factory.mktemp("template") / "ledger.db"
    _initialised(f"sqlite:///{path}", path)
    for suffix in ("-wal", "-shm"):
        assert not Path(f"{path}{suffix}").exists(), "the template must be checkpointed"
    return path


@pytest.fixture(autouse=True)
def ledger_env(request, tmp_path, monkeypatch):
    """Each test's ledger: a copy of the migrated template (SQLite) or a fresh schema
    (PostgreSQL). A test marked ``no_ledger`` starts with no ledger at all."""
    if PG_URL and "sqlite_only" not in request.keywords:
        monkeypatch.setenv("TECHDEPT_DB", request.getfixturevalue("pg_schema"))
    else:
        path = tmp_path / "ledger.db"
        if "no_ledger" not in request.keywords:
            shutil.copy2(request.getfixturevalue("sqlite_template"), path)
        monkeypatch.setenv("TECHDEPT_DB", str(path))
    monkeypatch.setenv("TECHDEPT_LANG", "en")
    monkeypatch.setenv("TECHDEPT_TODAY", "2026-11-27")
    for var in ("TECHDEPT_USER", "TECHDEPT_POLICY", "TECHDEPT_DEBUG"):
        monkeypatch.delenv(var, raising=False)
    return tmp_path / "ledger.db"


@dataclass
class Run:
    exit_code: int
    stdout: str
    stderr: str

    def json(self):  # type: ignore[no-untyped-def]
        return jsonlib.loads(self.stdout)


@pytest.fixture
def td() -> Callable[..., Run]:
    """Run ``techdept ARGS``; check the exit code (``expect``) and a stderr fragment."""
    from techdept.cli import app

    runner = CliRunner()

    def run(
        *args: str, expect: int = 0, stderr: str | None = None, input: str | None = None
    ) -> Run:
        result = runner.invoke(app, list(args), input=input, catch_exceptions=False)
        got = Run(result.exit_code, result.stdout, result.stderr)
        assert got.exit_code == expect, (args, got)
        if stderr is not None:
            assert stderr in got.stderr, (stderr, got.stderr)
        return got

    return run
