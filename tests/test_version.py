"""``techdept --version`` names the installed version and the shipped policy, and loads
nothing heavy to say so."""

import json
import subprocess
import sys
from importlib.metadata import version

import pytest


def test_version_names_package_and_policy(td):
    out = td("--version").stdout
    assert out.strip() == f"techdept {version('techdept')} (policy v2.0-2014)"
    assert "（考核制度 v2.0-2014）" in td("--lang", "zh", "--version").stdout


@pytest.mark.slow
def test_version_is_light():
    code = (
        "import sys, json\nfrom techdept.cli import app\n"
        "try:\n    app(['--version'], prog_name='techdept')\nexcept SystemExit:\n    pass\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('sqlalchemy', 'sqlmodel', 'docx', 'openpyxl', 'alembic'))))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout.strip().splitlines()[-1]) == []
