"""Many people at once on one SQLite ledger."""

import json
import os
import subprocess
import sys

import pytest


@pytest.mark.slow
def test_twenty_processes_create_projects(ledger_env, tmp_path):
    env = os.environ | {"TECHDEPT_DB": str(ledger_env), "TECHDEPT_LANG": "en"}
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
