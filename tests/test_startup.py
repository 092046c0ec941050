"""Startup stays light: help must not import the database, docx or table libraries."""

import json
import os
import subprocess
import sys

import pytest

# every test here starts a process or a server
pytestmark = pytest.mark.slow

HEAVY = ("sqlalchemy", "sqlmodel", "docx", "tabulate", "alembic", "textual", "openpyxl")


@pytest.mark.parametrize(
    "argv",
    [
        ["--help"],
        ["staff", "--help"],
        ["project", "--help"],
        ["meeting", "--help"],
        ["bonus", "--help"],
    ],
)
def test_help_imports_nothing_heavy(argv):
    code = (
        "import sys, json\n"
        "from techdept.cli import app\n"
        f"try:\n    app({argv!r}, prog_name='techdept')\n"
        "except SystemExit:\n    pass\n"
        f"print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in {HEAVY!r})))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    loaded = json.loads(out.strip().splitlines()[-1])
    assert loaded == [], loaded


def test_python_dash_m_runs():
    result = subprocess.run(
        [sys.executable, "-m", "techdept", "--help"], capture_output=True, text=True
    )
    assert result.returncode == 0
    assert "staff" in result.stdout


def test_a_closed_pipe_ends_quietly(tmp_path):
    """`techdept staff list | head -1` must not report an internal error: the reader here
    (`true`) exits before techdept writes, so every write meets a closed pipe."""

    env = os.environ | {"TECHDEPT_DB": str(tmp_path / "l.db"), "TECHDEPT_LANG": "en"}
    subprocess.run([sys.executable, "-m", "techdept", "init", "--demo"], env=env, check=True,
                   capture_output=True)  # fmt: skip
    result = subprocess.run(
        f"'{sys.executable}' -m techdept --plain staff list | true; echo ${{PIPESTATUS[0]}}",
        shell=True, executable="/bin/bash", env=env, capture_output=True, text=True,
    )  # fmt: skip
    assert result.stdout.strip() == "0"
    assert "internal error" not in result.stderr and "Traceback" not in result.stderr


# What a scorer's one line must never pay for: migrations (the schema is current), the
# .docx, table, TUI, Markdown and syntax-highlighting libraries, the PostgreSQL driver.
NOT_FOR_SCORE = (
    "alembic", "mako", "docx", "tabulate", "textual", "markdown_it", "pygments", "psycopg",
    "openpyxl", "rich",
)  # fmt: skip


def _loaded_by(argv: list[str]) -> tuple[int, list[str]]:
    code = (
        "import sys, json\n"
        "from techdept.cli import app\n"
        f"try:\n    app({argv!r}, prog_name='techdept')\n"
        "except SystemExit as exc:\n    status = exc.code\n"
        "print(json.dumps([status, sorted(sys.modules)]))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    status, modules = json.loads(out.strip().splitlines()[-1])
    return status, modules


def _command_modules(modules: list[str]) -> set[str]:
    return {
        m.rsplit(".", 1)[1]
        for m in modules
        if m.startswith("techdept.commands.") and not m.rsplit(".", 1)[1].startswith("_")
    }


def test_root_help_imports_no_command_module():
    """The root's --help lists the commands from cli.LAZY: no command module is imported."""
    status, modules = _loaded_by(["--help"])
    assert status == 0
    assert _command_modules(modules) == set()


@pytest.mark.parametrize(
    "argv",
    [
        ["score", "P2026-005", "--track", "implementation", "--scorer", "self", "quality=28"],
        ["assess", "show", "P2026-005", "--track", "implementation", "--json"],
    ],
)
def test_score_and_assess_show_import_only_what_they_need(td, argv):
    """The import boundary of the review meeting's commonest commands (not timed)."""
    td("init", "--demo")
    td("project", "new", "北岸市中级人民法院数字法庭", "--customer", "北岸", "--contract",
       "1,200,000.00", "--stage", "aftersales.handover", "--complexity", "technical",
       "--risk", "medium")  # fmt: skip
    td("--as", "wangjg", "team", "P2026-005", "--track", "implementation", "--lead", "zhaolei")
    td("assess", "open", "P2026-005", "--track", "implementation", "--planned-days", "60",
       "--actual-days", "51", "--budget", "80000", "--actual-cost", "86000",
       "--ia-deducted", "0", "--ia-late-days", "2")  # fmt: skip
    status, modules = _loaded_by(argv)
    assert status in (0, None)
    driver = {"psycopg"} if os.environ.get("TECHDEPT_TEST_PG_URL") else set()
    assert sorted(set(modules) & (set(NOT_FOR_SCORE) - driver)) == []
    assert "sqlalchemy" in modules  # it did reach the ledger


# What the commonest commands must not pay for at start: the ORM. They read (and ``score``
# writes) through the Core tables of techdept.ledger.tables; SQLModel stays the schema's
# definition for migrations and for the commands that change ORM objects.
ORM = ("sqlmodel", "pydantic", "pydantic_core", "techdept.ledger.models", "sqlalchemy.orm")


def _orm_loaded(modules: list[str]) -> list[str]:
    return sorted(m for m in modules if m in ORM)


def _e1_project(td) -> None:  # type: ignore[no-untyped-def]
    td("init", "--demo")
    td("project", "new", "北岸市中级人民法院数字法庭", "--customer", "北岸", "--contract",
       "1,200,000.00", "--stage", "aftersales.handover", "--complexity", "technical",
       "--risk", "medium")  # fmt: skip
    td("--as", "wangjg", "team", "P2026-005", "--track", "implementation", "--lead", "zhaolei")
    td("assess", "open", "P2026-005", "--track", "implementation", "--planned-days", "60",
       "--actual-days", "51", "--budget", "80000", "--actual-cost", "86000",
       "--ia-deducted", "0", "--ia-late-days", "2")  # fmt: skip


@pytest.mark.parametrize(
    "argv",
    [
        ["--help"],
        ["assess", "--help"],
        ["staff", "list"],
        ["--plain", "staff", "list"],
        ["staff", "list", "--json"],
        ["project", "show", "P2026-005"],
        ["project", "show", "P2026-005", "--json"],
        ["project", "list", "--json"],
        ["assess", "list", "--json"],
        ["assess", "list"],
        ["score", "P2026-005", "--track", "implementation", "--scorer", "self", "quality=28"],
        ["score", "P2026-005", "--track", "implementation", "--scorer", "self", "quality=31"],
        ["assess", "show", "P2026-005", "--track", "implementation"],
        ["assess", "show", "P2026-005", "--track", "implementation", "--json"],
    ],
)
def test_common_commands_do_not_import_the_orm(td, argv):
    """The import boundary (not timed): no SQLModel, pydantic, ORM or models module."""
    _e1_project(td)
    status, modules = _loaded_by(argv)
    assert status in ((0, None) if "quality=31" not in argv else (1,))  # 31: refused
    assert _orm_loaded(modules) == []
    if argv[-1] != "--help":
        assert "sqlalchemy" in modules  # it did reach the ledger


# What a start with the kept files (the help texts, the parsed policy: see
# tests/test_startup_cache.py) no longer pays for: the vocabularies and the rules for any
# --help, the policy file's schema and checks for score.
NOT_FOR_A_KEPT_HELP = ("techdept.terms", "techdept.rules.policy", "techdept.rules.domain")
NOT_FOR_A_KEPT_POLICY = ("techdept.rules.policy.fields", "techdept.rules.policy.schema")


def _loaded_twice(argv: list[str], env: dict[str, str]) -> list[str]:
    code = (
        "import sys, json\n"
        "from techdept.cli import app\n"
        f"try:\n    app({argv!r}, prog_name='techdept')\n"
        "except SystemExit:\n    pass\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    for _ in range(2):  # the first run keeps what the second reads
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
        ).stdout
    return json.loads(out.strip().splitlines()[-1])


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("argv", [["--help"], ["score", "record", "--help"],
                                  ["project", "new", "--help"], ["policy", "--help"]])  # fmt: skip
def test_a_kept_help_loads_no_vocabulary_and_no_rules(tmp_path, argv, lang):
    env = os.environ | {"TECHDEPT_CACHE_DIR": str(tmp_path), "TECHDEPT_LANG": lang}
    loaded = _loaded_twice(argv, env)
    assert sorted(set(loaded) & set(NOT_FOR_A_KEPT_HELP)) == []


def test_score_with_a_kept_policy_does_not_check_the_policy_file_again(td, tmp_path):
    _e1_project(td)
    env = os.environ | {"TECHDEPT_CACHE_DIR": str(tmp_path)}
    argv = ["score", "P2026-005", "--track", "implementation", "--scorer", "self", "quality=28"]
    loaded = _loaded_twice(argv, env)
    assert sorted(set(loaded) & set(NOT_FOR_A_KEPT_POLICY)) == []
    assert "techdept.rules.policy.model" in loaded  # it did use the policy
