"""Hostile argv lists built from real subcommands: exit 0/1/2, never a traceback, never an
internal error. A hostile --db has its own table: tests/test_hostile_db.py."""

import shutil

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from techdept.cli import app

COMMANDS = [
    ["staff", "add"],
    ["staff", "list"],
    ["staff", "show"],
    ["project", "new"],
    ["project", "set"],
    ["project", "list"],
    ["project", "show"],
    ["init"],
    ["db", "path"],
]
OPTIONS = [
    "--code",
    "--role",
    "--customer",
    "--contract",
    "--complexity",
    "--difficulty",
    "--risk",
    "--sales",
    "--signed",
    "--stage",
    "--json",
    "--csv",
    "--phase",
    "--service-start",
    "--service-months",
    "--name",
]
HOSTILE = st.one_of(
    st.text(max_size=30),
    st.sampled_from(
        [
            "",
            "-",
            "--",
            "\u202e",
            "\x00x",
            "1e6",
            "NaN",
            "-5",
            "１２",
            "P2026-001",
            "presales.contact",
            "director",
            "9" * 40,
            "'; DROP TABLE staff;--",
            "%s{0}",
            "{code}",
            "2026-02-30",
            "..",
            "/dev/null",
        ]
    ),
)


@pytest.mark.sqlite_only
@settings(
    max_examples=settings.default.max_examples * 3,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
@given(
    st.sampled_from(COMMANDS),
    st.lists(st.one_of(st.sampled_from(OPTIONS), HOSTILE), max_size=6),
    st.sampled_from([[], ["--lang", "zh"], ["--as", "nobody"], ["--plain"]]),
)
def test_cli_never_crashes(tmp_path_factory, sqlite_template, command, rest, globals_):
    db = tmp_path_factory.mktemp("fuzz") / "ledger.db"
    shutil.copy2(sqlite_template, db)
    argv = [*globals_, *command, *rest]
    if any("\x00" in a for a in argv):
        return  # argv cannot carry NUL bytes from a real shell
    result = CliRunner().invoke(app, argv, env={"TECHDEPT_DB": str(db)})
    assert result.exit_code in (0, 1, 2), (argv, result.exit_code, result.output)
    for stream in (result.stdout, result.stderr):
        assert "Traceback" not in stream, argv
        assert "internal error" not in stream and "内部错误" not in stream, (argv, stream)
    assert not isinstance(result.exception, Exception) or isinstance(
        result.exception, SystemExit
    ), (argv, repr(result.exception))
