"""Hostile argv for the lifecycle, tracking and knowledge-base commands: exit 0/1/2, never a
traceback or an internal error."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from techdept.cli import app

COMMANDS = [
    ["project", "advance", "P2026-001"],
    ["project", "deliver", "P2026-001"],
    ["project", "review", "P2026-001"],
    ["project", "checklist"],
    ["project", "history"],
    ["project", "accept", "P2026-001"],
    ["project", "acceptance"],
    ["staff", "away", "sunhui"],
    ["report", "tracking"],
    ["kb", "add"],
    ["kb", "search"],
    ["kb", "show"],
    ["kb", "list"],
]
OPTIONS = [
    "--to",
    "--force",
    "--reason",
    "--file",
    "--archive",
    "--note",
    "--approve",
    "--reject",
    "--event",
    "--date",
    "--passed",
    "--failed",
    "--deducted",
    "--submitted",
    "--from",
    "--week",
    "--library",
    "--business",
    "--level",
    "--title",
    "--tags",
    "--json",
    "--csv",
    "--service-start",
    "--service-months",
]
HOSTILE = st.one_of(
    st.text(max_size=20),
    st.sampled_from(
        [
            "",
            "-",
            "P2026-001",
            "presales.lost",
            "lost",
            "requirements",
            "technical-solution",
            "internal",
            "final",
            "2026-02-30",
            "2026-11-01",
            "2026-W48",
            "2026-W99",
            "KB-1",
            "%",
            "_",
            "数字法庭",
            "solutions",
            "simple",
            "/dev/null",
            "/",
            "~nobody/x",
            "1.25",
            "\u202e",
            "NaN",
            "-5",
            "9" * 30,
        ]
    ),
)


@pytest.fixture(scope="module")
def ledger(tmp_path_factory):
    db = tmp_path_factory.mktemp("fuzz-lifecycle") / "ledger.db"
    runner = CliRunner()
    env = {"TECHDEPT_DB": str(db), "TECHDEPT_TODAY": "2026-11-27"}
    assert runner.invoke(app, ["init", "--demo"], env=env).exit_code == 0
    return env


@pytest.mark.ledger  # its module fixture makes and opens its own SQLite ledger
@pytest.mark.sqlite_only
@settings(
    max_examples=settings.default.max_examples * 3 // 5,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
@given(
    st.sampled_from(COMMANDS),
    st.lists(st.one_of(st.sampled_from(OPTIONS), HOSTILE), max_size=5),
    st.sampled_from([[], ["--as", "wangjg"], ["--as", "zhaolei"], ["--lang", "zh"]]),
)
def test_lifecycle_commands_never_crash(ledger, tmp_path_factory, command, rest, globals_):
    argv = [*globals_, *command, *rest]
    if any("\x00" in a for a in argv):
        return
    env = ledger | {"TECHDEPT_ARCHIVE": str(tmp_path_factory.mktemp("arch"))}
    result = CliRunner().invoke(app, argv, env=env)
    assert result.exit_code in (0, 1, 2), (argv, result.exit_code, result.output)
    for stream in (result.stdout, result.stderr):
        assert "Traceback" not in stream, argv
        assert "internal error" not in stream and "内部错误" not in stream, (argv, stream)
