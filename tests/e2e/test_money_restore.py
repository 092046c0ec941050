"""A restore can never lose a payment (issue 11): refused while the ledger holds payout runs,
payments or approvals its backup lacks; the restore and its audit row are one step, whatever
moment it is killed at; a damaged ledger is never backed up."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from _meeting import add_department, payable_e1, record_payment

pytestmark = pytest.mark.sqlite_only
PAY = ("--as", "huangqin", "bonus", "--quarter", "2026Q4", "--pay")


@pytest.fixture
def approved(td, monkeypatch):
    add_department(td)
    code = payable_e1(td, monkeypatch)
    return code


def test_backup_pay_restore_is_refused(td, approved, tmp_path):
    backup = tmp_path / "before-pay.db"
    td("db", "backup", str(backup))
    td(*PAY)
    got = td("--as", "zhangli", "db", "restore", str(backup), expect=1, stderr="not restored")
    assert "payout_run 1 (2026Q4, 2026-12-28)" in got.stderr and "nothing was changed" in got.stderr
    lines = td("bonus", "--quarter", "2026Q4", "--json").json()["lines"]
    assert [x["paid"] for x in lines] == [True] * 4
    again = td(*PAY).stdout  # and nothing is paid a second time
    assert "paid 0 lines now; 4 were already paid" in again
    td("db", "check")


def test_restore_refused_for_a_later_payment(td, approved, tmp_path):
    backup = tmp_path / "b.db"
    td("db", "backup", str(backup))
    record_payment(td, approved, kind="retention", amount="5000", on="2026-12-01")
    got = td("--as", "zhangli", "db", "restore", str(backup), expect=1)
    assert "payment 2 (retention, 2026-12-01)" in got.stderr


def test_restore_of_a_current_backup_is_allowed(td, approved, tmp_path):
    td(*PAY)
    backup = tmp_path / "after-pay.db"
    td("db", "backup", str(backup))
    doc = td("--as", "zhangli", "db", "restore", str(backup), "--json").json()
    assert doc["lost"] == []
    log = td("audit", "log", "--json").json()
    assert log[-1]["action"] == "db.restore"
    td("db", "check")


def damage(path):
    """Scribble over the middle of the file, as a failing disk would."""
    size = path.stat().st_size
    with open(path, "r+b") as fh:
        fh.seek(size // 2)
        fh.write(b"\xff" * 8192)


def test_backup_refuses_a_damaged_ledger(td, approved, ledger_env, tmp_path):
    damage(ledger_env)
    target = tmp_path / "b.db"
    td("db", "backup", str(target), expect=1, stderr="is damaged")
    assert not target.exists()


def test_a_damaged_ledger_is_restored_over(td, approved, ledger_env, tmp_path):
    backup = tmp_path / "b.db"
    td("db", "backup", str(backup))
    td(*PAY)
    damage(ledger_env)
    got = td("--as", "zhangli", "db", "restore", str(backup))
    assert "restored" in got.stdout
    td("db", "check")


@pytest.mark.slow
def test_killed_restore_leaves_old_or_restored_with_its_audit_row(
    td, approved, ledger_env, tmp_path
):
    """30 kills at moments spread over a whole ``db restore``: every time, ``db check`` passes
    and the ledger is either the old one or the backup with its ``db.restore`` row."""
    td(*PAY)
    backup = tmp_path / "b.db"
    td("db", "backup", str(backup))
    backup_rows = len(td("audit", "log", "--json").json())
    argv = [str(Path(sys.executable).with_name("techdept")), "--as", "zhangli", "db", "restore"]
    argv.append(str(backup))
    env = os.environ | {"TECHDEPT_DB": str(ledger_env)}
    start = time.monotonic()
    subprocess.run(argv, env=env, check=True, capture_output=True)
    whole = time.monotonic() - start
    assert td("audit", "log", "--json").json()[-1]["action"] == "db.restore"
    outcomes = set()
    for i in range(30):
        before = td("audit", "log", "--json").json()
        proc = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(whole * (0.2 + 0.9 * i / 30))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        td("db", "check")
        after = td("audit", "log", "--json").json()
        if after == before:
            outcomes.add("old")
        else:
            assert len(after) == backup_rows + 1, i
            assert after[-1]["action"] == "db.restore", i
            assert after[:-1] == before[:backup_rows], i
            outcomes.add("restored")
    assert outcomes  # (how many of each depends on the machine's speed)
