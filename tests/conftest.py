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
LEDGER_FIXTURES = frozenset({"td", "ledger_env", "sqlite_template", "pg_schema", "fresh_ledger"})
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
    """This test's schema on the PostgreSQL pass; the URL selects it by search_path.

    A ledger test gets its worker's schema, built once from the template and emptied after
    each test (``_PgWorker``); a ``no_ledger`` test gets a new empty schema of its own."""
    import psycopg

    if "no_ledger" not in request.keywords:
        worker = request.getfixturevalue("pg_worker")
        yield worker.url()
        worker.reset()
        return
    name = f"t_{uuid.uuid4().hex[:12]}"
    conninfo = _pg_conninfo()
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {name}")
    yield f"{PG_URL}?options=-csearch_path%3D{name}"
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(f"DROP SCHEMA {name} CASCADE")


@pytest.fixture(scope="session")
def pg_worker(pg_template):
    worker = _PgWorker(pg_template)
    yield worker
    worker.close()


# What a schema is made of: tables, columns and defaults, constraints, indexes, triggers,
# functions, sequences. A test that changed any of it leaves its schema behind (see reset).
_PG_SHAPE = """
SELECT md5(string_agg(x, E'\\n' ORDER BY x)) FROM (
  SELECT 'c ' || relname || ' ' || relkind::text
    FROM pg_class WHERE relnamespace = %(ns)s::regnamespace
  UNION ALL
  SELECT 'a ' || c.relname || ' ' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
         || ' ' || a.attnotnull || ' ' || coalesce(pg_get_expr(d.adbin, d.adrelid), '')
    FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
    LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
   WHERE c.relnamespace = %(ns)s::regnamespace AND a.attnum > 0 AND NOT a.attisdropped
  UNION ALL
  SELECT 'k ' || conname || ' ' || pg_get_constraintdef(oid)
    FROM pg_constraint WHERE connamespace = %(ns)s::regnamespace
  UNION ALL
  SELECT 'i ' || pg_get_indexdef(i.indexrelid)
    FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid
   WHERE c.relnamespace = %(ns)s::regnamespace
  UNION ALL
  SELECT 't ' || t.tgname || ' ' || t.tgenabled::text || ' ' || pg_get_triggerdef(t.oid)
    FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
   WHERE c.relnamespace = %(ns)s::regnamespace
  UNION ALL
  SELECT 'f ' || proname || ' ' || md5(prosrc)
    FROM pg_proc WHERE pronamespace = %(ns)s::regnamespace
  UNION ALL
  SELECT 's ' || c.relname || ' ' || s.seqstart || ' ' || s.seqincrement || ' ' || s.seqmax
    FROM pg_sequence s JOIN pg_class c ON c.oid = s.seqrelid
   WHERE c.relnamespace = %(ns)s::regnamespace
) shape(x)
"""


class _PgWorker:
    """One schema per pytest worker, migrated once (from the dumped template) and put back to
    the template's exact state after each test: every table truncated, the template's rows (the
    schema version) and sequence positions restored, in one transaction with the triggers
    off (the audit's append-only trigger refuses a TRUNCATE, as it should for anyone else).

    Replaying the whole schema for every test cost about 0.16 s of DDL and a DROP ... CASCADE;
    emptying it costs a few tens. A test that changed the schema itself (a hostile
    ALTER, a downgrade), or left a lock that the reset cannot get within 10 s, gets its
    schema set aside (dropped at the end) and the next test a freshly built one."""

    def __init__(self, template) -> None:  # type: ignore[no-untyped-def]
        self.template = template
        self.name: str | None = None
        self.retired: list[str] = []

    def url(self) -> str:
        import psycopg

        if self.name is None:
            name = f"w_{uuid.uuid4().hex[:12]}"
            with psycopg.connect(_pg_conninfo(), autocommit=True) as conn:
                if self.template is None:
                    conn.execute(f"CREATE SCHEMA {name}")
                else:
                    source, sql = self.template
                    conn.execute(sql.replace(source, name))
            if self.template is None:  # no pg_dump here: migrate this schema itself
                _initialised(f"{PG_URL}?options=-csearch_path%3D{name}")
            with psycopg.connect(_pg_conninfo(), autocommit=True) as conn:
                self.shape = conn.execute(_PG_SHAPE, {"ns": name}).fetchone()[0]
                tables = [
                    row[0]
                    for row in conn.execute(
                        "SELECT tablename FROM pg_tables WHERE schemaname = %s", (name,)
                    )
                ]
                rows = self._template_rows(conn, name)
            # TRUNCATE, not DELETE: fresh empty heaps, so rows come back in the order they
            # were written, as in a new schema (a DELETE's free space reorders them)
            self.reset_sql = "TRUNCATE " + ", ".join(f"{name}.{table}" for table in tables)
            self.reset_sql += ";\n"
            self.reset_sql += rows
            self.name = name
        return f"{PG_URL}?options=-csearch_path%3D{self.name}"

    def _template_rows(self, conn, name: str) -> str:  # type: ignore[no-untyped-def]
        """The rows and sequence positions of the freshly built schema, as SQL."""
        from psycopg import sql

        out = []
        for (table,) in conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = %s", (name,)
        ).fetchall():
            target = sql.Identifier(name, table)
            cur = conn.execute(sql.SQL("SELECT * FROM {}").format(target))
            columns = [sql.Identifier(col.name) for col in cur.description]
            for row in cur.fetchall():
                out.append(
                    sql.SQL("INSERT INTO {} ({}) VALUES ({});\n")
                    .format(
                        target,
                        sql.SQL(", ").join(columns),
                        sql.SQL(", ").join(map(sql.Literal, row)),
                    )
                    .as_string(conn)
                )
        for seq, last, called in conn.execute(
            "SELECT format('%%I.%%I', schemaname, sequencename), "
            "coalesce(last_value, start_value), last_value IS NOT NULL "
            "FROM pg_sequences WHERE schemaname = %s",
            (name,),
        ).fetchall():
            out.append(f"SELECT setval('{seq}', {last}, {'true' if called else 'false'});\n")
        return "".join(out)

    def reset(self) -> None:
        import psycopg

        if self.name is None:
            return
        try:
            with psycopg.connect(_pg_conninfo(), autocommit=True) as conn:
                conn.execute("SET lock_timeout = '10s'")
                if conn.execute(_PG_SHAPE, {"ns": self.name}).fetchone()[0] == self.shape:
                    with conn.transaction():
                        conn.execute("SET LOCAL session_replication_role = replica")
                        conn.execute(self.reset_sql)
                    return
        except psycopg.Error:
            pass
        self.retired.append(self.name)
        self.name = None

    def close(self) -> None:
        import psycopg

        with psycopg.connect(_pg_conninfo(), autocommit=True) as conn:
            for name in [*self.retired, *([self.name] if self.name else [])]:
                conn.execute(f"DROP SCHEMA IF EXISTS {name} CASCADE")


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


@pytest.fixture
def fresh_ledger(request, tmp_path, monkeypatch):
    """Call it for another fresh ledger within one test (a Hypothesis example each): the next
    copy of the migrated template (SQLite), or the worker's schema put back to the template
    (PostgreSQL); TECHDEPT_DB then names it."""
    import itertools

    counter = itertools.count(1)

    def make() -> str:
        if PG_URL and "sqlite_only" not in request.keywords:
            worker = request.getfixturevalue("pg_worker")
            worker.reset()
            url = worker.url()
        else:
            url = str(tmp_path / f"ledger-{next(counter)}.db")
            shutil.copy2(request.getfixturevalue("sqlite_template"), url)
        monkeypatch.setenv("TECHDEPT_DB", url)
        return url

    return make


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


@pytest.fixture(scope="session")
def techdept_bin(tmp_path_factory):
    """A folder holding a ``techdept`` executable for the long shell walks (the READMEs, the
    demo): each command a real process with its own descriptors, environment and directory,
    forked from a server that has the libraries imported already (tests/cli_server.py)."""
    import subprocess
    import sys

    where = tmp_path_factory.mktemp("cli")
    server = subprocess.Popen(
        [
            sys.executable,
            str(Path(__file__).with_name("cli_server.py")),
            str(where / "s"),
            str(where),
        ],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout.readline().strip() == "ready", "the test CLI server did not start"
        yield where
    finally:
        server.terminate()
        server.wait(timeout=30)
