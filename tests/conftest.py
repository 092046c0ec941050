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
from hypothesis import settings as hypothesis_settings
from typer.testing import CliRunner

# HYPOTHESIS_PROFILE=thorough runs every property on 2000 examples with no deadline (one that
# sets its own count, as a multiple of the default's, 20 times as many), to find before CI
# does what its draws would find one day; unset, Hypothesis picks its own (default, or ci)
hypothesis_settings.register_profile("thorough", max_examples=2000, deadline=None)
if os.environ.get("HYPOTHESIS_PROFILE"):
    hypothesis_settings.load_profile(os.environ["HYPOTHESIS_PROFILE"])

PG_URL = os.environ.get("TECHDEPT_TEST_PG_URL")
# A test that asks for one of these (directly or through a fixture of its own) opens a ledger:
# it is marked ``ledger`` and runs on the PostgreSQL pass too. Any other test runs once.
LEDGER_FIXTURES = frozenset({"td", "ledger_env", "sqlite_template", "pg_schema"})
SLOW_HINT = (
    "this test starts a process; mark it @pytest.mark.slow (the slow tier of make test, "
    "left out of make test-fast)"
)
LEDGER_HINT = (
    "this test opened a ledger but asks for no ledger fixture; use td or ledger_env (or mark "
    "it @pytest.mark.ledger) so that it also runs on the PostgreSQL pass"
)


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


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """Mark the ledger tests (``LEDGER_FIXTURES`` in their fixture closure, or ``no_ledger``).
    On the PostgreSQL pass keep only them, and skip what only makes sense for an SQLite file.

    Runs before ``-m`` selects, so ``-m ledger`` / ``-m "not ledger"`` work too."""
    for item in items:
        names = set(getattr(item, "fixturenames", ()))
        if names & LEDGER_FIXTURES or item.get_closest_marker("no_ledger"):
            item.add_marker(pytest.mark.ledger)
    if not PG_URL:
        return
    skip = pytest.mark.skip(reason="SQLite-specific (file, pragmas, sqlite3 module)")
    keep, pure = [], []
    for item in items:
        (keep if item.get_closest_marker("ledger") else pure).append(item)
        if item.get_closest_marker("sqlite_only"):
            item.add_marker(skip)
    if pure:
        config.hook.pytest_deselected(items=pure)
        items[:] = keep


_TIMES: dict[str, list] = {}  # test id → [seconds (set-up, call, tear-down), slow?]


def pytest_runtest_logreport(report):
    entry = _TIMES.setdefault(report.nodeid, [0.0, "slow" in report.keywords])
    entry[0] += report.duration


def pytest_terminal_summary(terminalreporter):
    """How long each tier took (summed over workers), and each slow test's time."""
    if not _TIMES:
        return
    fast = [seconds for seconds, slow in _TIMES.values() if not slow]
    slow = sorted(((s, test) for test, (s, is_slow) in _TIMES.items() if is_slow), reverse=True)
    write = terminalreporter.write_line
    terminalreporter.write_sep("-", "tiers (test time, summed over workers)")
    write(f"no process or server: {len(fast)} tests, {sum(fast):.1f} s")
    write(f"slow (starts a process or server): {len(slow)} tests, {sum(s for s, _ in slow):.1f} s")
    for seconds, test in slow:
        write(f"  {seconds:7.1f} s  {test}")


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


@pytest.fixture
def ledger_env(request, tmp_path, monkeypatch):
    """This test's ledger: a copy of the migrated template (SQLite) or a fresh schema
    (PostgreSQL). A test marked ``no_ledger`` starts with no ledger at all."""
    if PG_URL and "sqlite_only" not in request.keywords:
        monkeypatch.setenv("TECHDEPT_DB", request.getfixturevalue("pg_schema"))
    else:
        path = tmp_path / "ledger.db"
        if "no_ledger" not in request.keywords:
            shutil.copy2(request.getfixturevalue("sqlite_template"), path)
        monkeypatch.setenv("TECHDEPT_DB", str(path))
    return tmp_path / "ledger.db"


@pytest.fixture(autouse=True)
def isolated(request, tmp_path, monkeypatch):
    """Every test: its own language, clock and ledger location, never the user's.

    A test that is not a ledger test gets a ledger location with nothing there, and fails if
    it opens a ledger anyway; a test not marked ``slow`` fails if it starts a process. So the
    markers that choose the tiers and the PostgreSQL pass cannot drift from what tests do."""
    monkeypatch.setenv("TECHDEPT_LANG", "en")
    monkeypatch.setenv("TECHDEPT_TODAY", "2026-11-27")
    # COLUMNS/LINES: a terminal's width makes tables wrap; a test (or a library under test,
    # such as the console's) that sets them must not change another test's output
    for var in ("TECHDEPT_USER", "TECHDEPT_POLICY", "TECHDEPT_DEBUG", "COLUMNS", "LINES"):
        monkeypatch.delenv(var, raising=False)
    if "ledger" in request.keywords:
        request.getfixturevalue("ledger_env")
    else:
        monkeypatch.setenv("TECHDEPT_DB", str(tmp_path / "ledger.db"))
        _refuse_ledgers(monkeypatch)
    if "slow" not in request.keywords:
        _refuse_processes(monkeypatch)


def _refuse_ledgers(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from techdept.ledger.engine import Ledger

    opened = Ledger.open.__func__

    def guarded(cls, *args, **kwargs):  # type: ignore[no-untyped-def]
        ledger = opened(cls, *args, **kwargs)  # a refusal (exit 3) is not a ledger opened
        ledger.dispose()
        pytest.fail(LEDGER_HINT, pytrace=False)

    monkeypatch.setattr(Ledger, "open", classmethod(guarded))


def _refuse_processes(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import subprocess

    def refused(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        self._child_created = False  # what Popen.__del__ reads
        pytest.fail(SLOW_HINT, pytrace=False)

    monkeypatch.setattr(subprocess.Popen, "__init__", refused)


@dataclass
class Run:
    exit_code: int
    stdout: str
    stderr: str

    def json(self):  # type: ignore[no-untyped-def]
        return jsonlib.loads(self.stdout)


@pytest.fixture
def td(ledger_env) -> Callable[..., Run]:
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
