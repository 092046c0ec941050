"""A hostile ``--db``: each value has its exact exit code and its one line, in both languages.

Exit 2: the value cannot name a ledger at all (empty, a character a terminal cannot show,
another database's URL). Exit 3: it names a place, but there is no ledger there to open.
Nothing is ever created: only ``init`` makes a ledger."""

from __future__ import annotations

import os
import sqlite3

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from techdept.cli import app

MISSING = "error: there is no ledger at {} yet (create it with 'techdept init')"
NOT_A_FILE = "error: {} is a folder or a device, not a ledger file; give the path of a file"
EMPTY = (
    "error: --db is empty: give the path of a ledger file or a postgresql:// URL "
    "(without --db the default ledger is used)"
)
CHARACTERS = (
    "error: --db {} contains {}, a character a terminal cannot show; give the path of a "
    "ledger file or a postgresql:// URL"
)
UNSUPPORTED = (
    "error: --db {}: techdept runs on an SQLite ledger file (a path or sqlite:///PATH) or on "
    "PostgreSQL (postgresql://…)"
)
CANNOT_OPEN = "error: the ledger {} cannot be opened: "
FOREIGN = (
    "error: {} is a database but not a techdept ledger; it was left untouched "
    "(check --db or TECHDEPT_DB)"
)
HIDDEN = "postgresql://u:***@127.0.0.1:1/x"  # the password is never shown

# (value, exit code, the whole line on stderr — or its start, for a driver's own words)
HOSTILE = [
    ("-", 3, MISSING.format("-")),
    ("--", 3, MISSING.format("--")),
    ("1e6", 3, MISSING.format("1e6")),
    ("NaN", 3, MISSING.format("NaN")),
    ("-5", 3, MISSING.format("-5")),
    ("１２", 3, MISSING.format("１２")),
    ("P2026-001", 3, MISSING.format("P2026-001")),
    ("presales.contact", 3, MISSING.format("presales.contact")),
    ("9" * 40, 3, MISSING.format("9" * 40)),
    ("'; DROP TABLE staff;--", 3, MISSING.format("'; DROP TABLE staff;--")),
    ("%s{0}", 3, MISSING.format("%s{0}")),
    ("{code}", 3, MISSING.format("{code}")),
    ("2026-02-30", 3, MISSING.format("2026-02-30")),
    ("::", 3, MISSING.format("::")),
    ("mysql.db", 3, MISSING.format("mysql.db")),  # a file name, not a MySQL URL
    ("/nonexistent/dir/x.db", 3, MISSING.format("/nonexistent/dir/x.db")),
    ("sqlite:////nonexistent/x.db", 3, MISSING.format("/nonexistent/x.db")),
    ("sqlite:///", 3, MISSING.format("sqlite:///")),
    ("empty.db", 3, MISSING.format("empty.db")),  # zero bytes: not a ledger yet
    ("..", 3, NOT_A_FILE.format("..")),
    ("/", 3, NOT_A_FILE.format("/")),
    ("/dev/null", 3, NOT_A_FILE.format("/dev/null")),
    ("pipe", 3, NOT_A_FILE.format("pipe")),  # a named pipe: opening it would hang
    ("other.db", 3, FOREIGN.format("other.db")),
    ("notes.txt", 3, CANNOT_OPEN.format("notes.txt") + "file is not a database"),
    ("postgresql://u@127.0.0.1:1/x", 3, CANNOT_OPEN.format("postgresql://u@127.0.0.1:1/x")),
    ("postgresql://u:s3cret@127.0.0.1:1/x", 3, CANNOT_OPEN.format(HIDDEN)),
    ("", 2, EMPTY),
    (" ", 2, EMPTY),
    ("\u202e", 2, CHARACTERS.format("\\u202e", "U+202E")),
    ("a\nb", 2, CHARACTERS.format("a\\nb", "U+000A")),
    ("\x1b[31mred", 2, CHARACTERS.format("\\x1b[31mred", "U+001B")),
    ("\x00x", 2, CHARACTERS.format("\\x00x", "U+0000")),
    ("台账\u200b.db", 2, CHARACTERS.format("台账\\u200b.db", "U+200B")),
    ("mysql://x", 2, UNSUPPORTED.format("mysql://x")),
    ("http://x", 2, UNSUPPORTED.format("http://x")),
    ("postgres://u@h/x", 2, UNSUPPORTED.format("postgres://u@h/x")),
    ("oracle://u:pw@h/x", 2, UNSUPPORTED.format("oracle://u:***@h/x")),
]


@pytest.fixture
def hostile_dir(tmp_path, monkeypatch):
    """A folder to run in (a relative hostile path lands here) with the files some rows name."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "empty.db").touch()
    os.mkfifo(tmp_path / "pipe")
    other = sqlite3.connect(tmp_path / "other.db")
    other.execute("CREATE TABLE contacts (name TEXT)")
    other.commit()
    other.close()
    (tmp_path / "notes.txt").write_text("not a database\n" * 100)
    return tmp_path


def _listing(folder):  # type: ignore[no-untyped-def]
    return {p.name: p.stat().st_size for p in folder.iterdir()}


@pytest.mark.parametrize(("db", "code", "line"), HOSTILE, ids=[ascii(h[0]) for h in HOSTILE])
def test_hostile_db_has_its_code_and_line(hostile_dir, db, code, line):
    before = _listing(hostile_dir)
    result = CliRunner().invoke(app, ["--db", db, "staff", "list"])
    assert (result.exit_code, result.stdout) == (code, ""), (db, result.output)
    assert result.stderr.count("\n") == 1, result.stderr  # one line
    if line.endswith(": "):  # the driver's own reason follows
        assert result.stderr.startswith(line), result.stderr
        assert "s3cret" not in result.stderr
    else:
        assert result.stderr == line + "\n"
    assert _listing(hostile_dir) == before  # nothing created, nothing changed


ZH_DEFAULT = "（不给 --db 则用默认台账）"
ZH_GIVE = "请给出台账文件的路径，或 postgresql:// 地址"
ZH_SUPPORTED = "SQLite 台账文件（路径或 sqlite:///路径）和 PostgreSQL（postgresql://…）"


@pytest.mark.parametrize(
    ("db", "code", "line"),
    [
        ("", 2, "错误：--db 不能为空：请给出台账文件的路径，或 postgresql:// 地址" + ZH_DEFAULT),
        ("a\u202eb", 2, "错误：--db a\\u202eb 含有不可显示的字符 U+202E；" + ZH_GIVE),
        ("mysql://x", 2, "错误：--db mysql://x：techdept 只支持 " + ZH_SUPPORTED),
        ("/", 3, "错误：/ 是文件夹或设备，不是台账文件；请给出一个文件的路径"),
        ("x.db", 3, "错误：x.db 处还没有台账（请先用 'techdept init' 创建）"),
    ],
)
def test_hostile_db_in_chinese(hostile_dir, db, code, line):
    result = CliRunner().invoke(app, ["--lang", "zh", "--db", db, "staff", "list"])
    assert (result.exit_code, result.stderr) == (code, line + "\n"), (db, result.output)


def test_an_empty_db_never_falls_back_to_another_ledger(hostile_dir, monkeypatch):
    """``--db "$LEDGER"`` with the variable unset must not open TECHDEPT_DB or the default."""
    monkeypatch.setenv("TECHDEPT_DB", str(hostile_dir / "other.db"))
    result = CliRunner().invoke(app, ["--db", "", "init"])
    assert (result.exit_code, result.stderr) == (2, EMPTY + "\n")


@settings(
    max_examples=settings.default.max_examples * 3 // 5,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
@given(st.text(max_size=30).filter(lambda s: "/" not in s))
@example("~0")  # the home of a user "0", who does not exist: a path as written, no crash
def test_any_text_is_refused_in_one_line_and_creates_nothing(tmp_path_factory, db):
    """Any text without a folder in it: 2 or 3 with one line that shows it escaped, and no file
    where the command ran (a text that happens to name a file made by a row above is absent
    here: this folder is empty)."""
    folder = tmp_path_factory.mktemp("any")
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(folder)
        result = CliRunner().invoke(app, ["--db", db, "staff", "list"])
    assert result.exit_code in (2, 3), (db, result.output)
    assert result.stdout == "" and result.stderr.count("\n") == 1, (db, result.stderr)
    assert result.stderr.startswith("error: ") and "internal error" not in result.stderr
    assert all(c.isprintable() for c in result.stderr[:-1]), result.stderr
    expected = 2 if not db.strip() or not db.isprintable() else 3
    assert result.exit_code == expected, (db, result.stderr)
    assert list(folder.iterdir()) == []


@pytest.mark.sqlite_only  # backup and restore copy a SQLite file; PostgreSQL refuses both
@pytest.mark.parametrize(
    ("argv", "line"),
    [
        (("db", "backup", "~0/b.db"), "error: folder ~0 does not exist\n"),
        (("db", "restore", "~0/b.db"), "error: there is no backup file ~0/b.db\n"),
    ],
)
def test_a_home_of_no_user_is_a_path_as_written(td, argv, line):
    """``~0`` names the home of a user "0", who does not exist: a shell keeps the text as
    written, and so does techdept (it was an internal error)."""
    assert td(*argv, expect=1).stderr == line
