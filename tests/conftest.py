"""Every test gets its own ledger, language and clock; ``td`` drives the CLI as a user would."""

from __future__ import annotations

import json as jsonlib
import os
import uuid
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from typer.testing import CliRunner

PG_URL = os.environ.get("TECHDEPT_TEST_PG_URL")


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
    """On the PostgreSQL pass, skip what only makes sense for an SQLite file."""
    if not PG_URL:
        return
    skip = pytest.mark.skip(reason="SQLite-specific (file, pragmas, sqlite3 module)")
    for item in items:
        if "sqlite_only" in item.keywords:
            item.add_marker(skip)


@pytest.fixture
def pg_schema():
    """A fresh schema per test on the PostgreSQL pass; the URL selects it by search_path."""
    import psycopg

    name = f"t_{uuid.uuid4().hex[:12]}"
    conninfo = PG_URL.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {name}")
    yield f"{PG_URL}?options=-csearch_path%3D{name}"
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(f"DROP SCHEMA {name} CASCADE")


def _initialised(url: str, path=None) -> None:  # type: ignore[no-untyped-def]
    """What ``techdept init`` leaves: a ledger at the schema head (no data)."""
    from techdept.ledger.engine import Ledger

    Ledger.open(url, path, create=True).dispose()


@pytest.fixture(scope="session")
def template_ledger(tmp_path_factory):
    """One freshly initialised SQLite ledger per session, copied into each test (a command
    other than ``init`` refuses a missing ledger, as a user's would)."""
    path = tmp_path_factory.mktemp("template") / "ledger.db"
    _initialised(f"sqlite:///{path}", path)
    return path


@pytest.fixture(autouse=True)
def ledger_env(request, tmp_path, monkeypatch):
    if PG_URL and "sqlite_only" not in request.keywords:
        url = request.getfixturevalue("pg_schema")
        if "no_ledger" not in request.keywords:
            _initialised(url)
        monkeypatch.setenv("TECHDEPT_DB", url)
    else:
        if "no_ledger" not in request.keywords:
            import shutil

            shutil.copy2(request.getfixturevalue("template_ledger"), tmp_path / "ledger.db")
        monkeypatch.setenv("TECHDEPT_DB", str(tmp_path / "ledger.db"))
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
