"""Many people at once on one SQLite ledger."""

import json
import os
import subprocess
import sys

import pytest


@pytest.mark.slow
@pytest.mark.serial
def test_twenty_processes_create_projects(ledger_env):
    """On the ledger of the pass: the SQLite copy, or the PostgreSQL schema."""
    env = os.environ | {"TECHDEPT_LANG": "en"}
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "techdept",
                "project",
                "new",
                f"项目{i}",
                "--customer",
                f"客户{i}",
                "--json",
            ],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(20)
    ]
    results = [(p.wait(timeout=120), *p.communicate()) for p in procs]
    for code, _out, err in results:
        assert code == 0, err
        assert "locked" not in err.lower() and "Traceback" not in err
    codes = [json.loads(out)["code"] for _, out, _ in results]
    assert len(set(codes)) == 20
    listed = subprocess.run(
        [sys.executable, "-m", "techdept", "project", "list", "--json"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert sorted(p["code"] for p in json.loads(listed.stdout)) == sorted(codes)
    assert sorted(codes) == [f"P2026-{n:03d}" for n in range(1, 21)]


SCORER = r"""
import sys
from typer.testing import CliRunner
from techdept.cli import app

code, n = sys.argv[1], int(sys.argv[2])
runner = CliRunner()
for i in range(n):
    points = str(20 + (i % 11))
    result = runner.invoke(app, ["score", code, "--track", "implementation", "--scorer", "self",
                                 f"quality={points}"])
    if result.exit_code != 0 or "locked" in result.stderr.lower():
        print(f"FAILED {i}: {result.exit_code} {result.stderr}", file=sys.stderr)
        sys.exit(1)
print(points)
"""


@pytest.mark.slow
@pytest.mark.serial
@pytest.mark.sqlite_only
def test_twenty_processes_score_twenty_five_times(td, ledger_env):
    """20 processes × 25 `score` commands on one ledger: all 500 recorded, none lost, no lock
    error reaches a user. Each process scores its own assessment, so the last value of each is
    known; every command writes one audit row in its own transaction."""
    td("init", "--demo")
    codes = []
    for i in range(20):
        code = f"C{i:02d}"
        td("project", "new", f"并发{i}", "--code", code, "--customer", "某院", "--contract",
           "1200000", "--complexity", "technical", "--risk", "medium",
           "--stage", "aftersales.handover")  # fmt: skip
        td("--as", "wangjg", "team", code, "--track", "implementation", "--lead", "zhaolei")
        td("assess", "open", code, "--track", "implementation", "--planned-days", "60",
           "--actual-days", "51", "--budget", "80000", "--actual-cost", "86000",
           "--ia-deducted", "0", "--ia-late-days", "2")  # fmt: skip
        codes.append(code)
    env = os.environ | {"TECHDEPT_DB": os.environ["TECHDEPT_DB"], "TECHDEPT_LANG": "en"}
    procs = [
        subprocess.Popen([sys.executable, "-c", SCORER, code, "25"], env=env,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for code in codes
    ]  # fmt: skip
    results = [(p.wait(timeout=600), *p.communicate()) for p in procs]
    for rc, _out, err in results:
        assert rc == 0, err
        assert "locked" not in err.lower() and "Traceback" not in err
    for code, (_, out, _) in zip(codes, results, strict=True):
        doc = td("assess", "show", code, "--track", "implementation", "--json").json()
        assert doc["scorers"]["self"]["quality"] == out.strip()
    log = td("audit", "log", "--action", "score", "--json").json()
    assert len(log) == 500
