"""Startup stays light: help must not import the database, docx or table libraries."""

import json
import subprocess
import sys

import pytest

HEAVY = ("sqlalchemy", "sqlmodel", "docx", "tabulate", "alembic", "openpyxl")


@pytest.mark.parametrize(
    "argv", [["--help"], ["staff", "--help"], ["project", "--help"], ["bonus", "--help"]]
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
    import os

    env = os.environ | {"TECHDEPT_DB": str(tmp_path / "l.db"), "TECHDEPT_LANG": "en"}
    subprocess.run([sys.executable, "-m", "techdept", "init", "--demo"], env=env, check=True,
                   capture_output=True)  # fmt: skip
    result = subprocess.run(
        f"'{sys.executable}' -m techdept --plain staff list | true; echo ${{PIPESTATUS[0]}}",
        shell=True, executable="/bin/bash", env=env, capture_output=True, text=True,
    )  # fmt: skip
    assert result.stdout.strip() == "0"
    assert "internal error" not in result.stderr and "Traceback" not in result.stderr
