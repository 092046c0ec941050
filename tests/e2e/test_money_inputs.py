"""Input edges of issue 11: imports obey exactly the command line's rules for free text, and
files are read only when regular and small enough."""

import csv
import io
import os

import pytest
from _meeting import IMPL, add_department, implementation

HOSTILE_REASONS = [
    ("nul", "a\x00b", "U+0000"),
    ("newline", "a\nb", "U+000A"),
    ("escape", "a\x1b[31mb", "U+001B"),
    ("bidi override", "a\u202eb", "U+202E"),
    ("too long", "理" * 201, "longer than 200 characters"),
]


@pytest.fixture
def opened(td):
    add_department(td)
    return implementation(td)


def import_file(path, code, reason):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["project", "track", "quarter", "scorer", "item", "points", "reason"])
    writer.writerow([code, "implementation", "", "self", "schedule", "20", reason])
    path.write_text(buffer.getvalue(), "utf-8")
    return str(path)


@pytest.mark.parametrize(
    ("what", "reason", "said"), HOSTILE_REASONS, ids=[h[0] for h in HOSTILE_REASONS]
)
def test_import_and_command_line_refuse_the_same_reasons(td, opened, tmp_path, what, reason, said):
    """The same hostile reason is refused by `score` and by `score import`, nothing stored."""
    cli = td("score", opened, *IMPL, "--scorer", "self", "schedule=20", "--reason", reason,
             expect=1)  # fmt: skip
    assert said in cli.stderr
    imported = td("score", "import", import_file(tmp_path / "s.csv", opened, reason), expect=1)
    # the importer's problems table (stdout) names the row with the command line's message
    assert said in imported.stdout and "nothing was imported" in imported.stderr
    # ...and shows the hostile value escaped: it cannot recolour the terminal or turn it around
    assert not set("\x00\x1b\u202e") & set(imported.stdout + imported.stderr)
    sheet = td("assess", "show", opened, *IMPL, "--json").json()
    assert "\x00" not in str(sheet) and "\x1b" not in str(sheet)


def test_a_plain_reason_is_accepted_by_both(td, opened, tmp_path):
    td("score", opened, *IMPL, "--scorer", "self", "schedule=20", "--reason", "提前交付但返工")
    td("score", "import", import_file(tmp_path / "s.csv", opened, "提前交付但返工"))


def test_import_refuses_devices_pipes_and_huge_files(td, opened, tmp_path):
    td("score", "import", "/dev/zero", expect=1, stderr="is not a regular file")
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    td("score", "import", str(fifo), expect=1, stderr="is not a regular file")
    huge = tmp_path / "huge.csv"
    with open(huge, "wb") as fh:
        fh.truncate(11 * 1024 * 1024)
    td("score", "import", str(huge), expect=1, stderr="is larger than 10 MiB")


def test_import_with_a_field_beyond_the_csv_limit_is_one_line(td, opened, tmp_path):
    path = tmp_path / "wide.csv"
    path.write_text(
        "project,track,quarter,scorer,item,points,reason\n"
        f'{opened},implementation,,self,schedule,20,"{"x" * 200_000}"\n',
        "utf-8",
    )
    got = td("score", "import", str(path), expect=1)
    assert "not readable as CSV" in got.stderr and "internal error" not in got.stderr


def test_policy_from_a_device_is_refused(td):
    got = td("--policy", "/dev/zero", "policy", "show", expect=1)
    assert "not a regular file" in (got.stderr + got.stdout)


def test_sheets_are_private_and_never_follow_a_planted_file(td, tmp_path, monkeypatch):
    import stat

    add_department(td)
    out = tmp_path / "statement.docx"
    td("form", "statement", "lijun", "--out", str(out))
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    # the old predictable temporary name, planted as a symlink: it is not used or followed
    planted = tmp_path / f".again.docx.{os.getpid()}.tmp"
    planted.symlink_to(victim)
    td("form", "statement", "lijun", "--out", str(tmp_path / "again.docx"))
    assert victim.read_text() == "keep me" and planted.is_symlink()
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp") and p != planted]


def test_printed_urls_hide_the_password(td):
    got = td("--db", "postgresql+psycopg://ann:hunter2@127.0.0.1:1/x", "db", "check", expect=3)
    assert "hunter2" not in got.stderr + got.stdout and "ann:***@" in got.stderr
    dump = td("--db", "postgresql+psycopg://ann:hunter2@/ledger?host=/tmp/s&port=54311",
              "db", "backup", "x.dump", expect=1)  # fmt: skip
    assert "hunter2" not in dump.stderr and "host=%2Ftmp%2Fs&port=54311" in dump.stderr
