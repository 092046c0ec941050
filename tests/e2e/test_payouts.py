"""Quarterly payouts through the CLI, as finance would run them (policy §4, "Payout")."""

import json
import os
import subprocess
import sys

import pytest
from _meeting import (
    IMPL,
    add_department,
    approve,
    approved_e1,
    new_project,
    payable_e1,
    record_payment,
)

E1_LINES = [
    ("zhaolei", "lead", "2323.20"),
    ("lijun", "engineer", "1161.60"),
    ("zhoupeng", "engineer", "2323.20"),
    ("wangjg", "director", "1742.40"),
]


@pytest.fixture(autouse=True)
def department(td):
    add_department(td)


def lines_of(doc):
    return [(x["staff"], x["role"], x["amount"]) for x in doc["lines"]]


def bonus(td, quarter, *extra, expect=0):
    return td("bonus", "--quarter", quarter, *extra, "--json", expect=expect).json()


def test_no_final_payment_means_pending(td, monkeypatch):
    code = approved_e1(td, monkeypatch)
    assert bonus(td, "2026Q4")["lines"] == []
    pending = bonus(td, "2026Q4", "--pending")["pending"]
    assert [(x["staff"], x["role"], x["amount"]) for x in pending] == E1_LINES
    assert "final payment not received" in pending[0]["why"]
    record_payment(td, code)
    doc = bonus(td, "2026Q4")
    assert lines_of(doc) == E1_LINES
    assert doc["quarter"] == "2026Q4" and doc["window"] == ["2026-12-25", "2026-12-31"]
    assert (doc["total"], doc["pool"]) == ("7550.40", "1452.00")
    line = doc["lines"][0]
    assert {k: line[k] for k in ("project", "track", "slice_quarter", "paid")} == {
        "project": code,
        "track": "implementation",
        "slice_quarter": None,
        "paid": False,
    }
    assert line["why"] == "GM approved 2026-11-27; final payment 2026-11-20"
    assert bonus(td, "2026Q4", "--pending")["pending"] == []


def test_payable_in_the_quarter_where_both_hold(td, monkeypatch):
    code = approved_e1(td, monkeypatch, approved_on="2026-12-15")
    monkeypatch.setenv("TECHDEPT_TODAY", "2027-01-10")
    record_payment(td, code, on="2027-01-05")
    assert bonus(td, "2026Q4")["lines"] == []
    assert len(bonus(td, "2026Q4", "--pending")["pending"]) == 4
    assert lines_of(bonus(td, "2027Q1")) == E1_LINES


def test_pay_twice_pays_once(td, monkeypatch):
    payable_e1(td, monkeypatch)
    td("--as", "lijun", "bonus", "--quarter", "2026Q4", "--pay", expect=1, stderr="finance")
    first = td("--as", "huangqin", "bonus", "--quarter", "2026Q4", "--pay", "--json").json()
    assert (first["newly_paid"], first["already_paid"]) == (4, 0)
    assert all(x["paid"] and x["line"] for x in first["lines"])
    text = td("--as", "huangqin", "bonus", "--quarter", "2026Q4", "--pay").stdout
    assert "paid 0 lines now; 4 were already paid" in text
    again = bonus(td, "2026Q4")
    assert lines_of(again) == E1_LINES and again["total"] == "7550.40"
    assert bonus(td, "2027Q1")["lines"] == []


def test_reversal_in_statement_and_next_quarter(td, monkeypatch):
    code = payable_e1(td, monkeypatch)
    paid = td("--as", "huangqin", "bonus", "--quarter", "2026Q4", "--pay", "--json").json()
    lead_line = paid["lines"][0]["line"]
    monkeypatch.setenv("TECHDEPT_TODAY", "2027-01-15")
    td("--as", "lijun", "bonus", "reverse", str(lead_line), "--reason", "x", expect=1)
    rev = td(
        "--as", "huangqin", "bonus", "reverse", str(lead_line), "--reason", "算错了", "--json"
    ).json()
    assert (rev["amount"], rev["role"], rev["source"]) == ("-2323.20", "lead", "reversal")
    td(
        "--as",
        "huangqin",
        "bonus",
        "reverse",
        str(lead_line),
        "--reason",
        "again",
        expect=1,
        stderr="reversed already",
    )
    q1 = bonus(td, "2027Q1")
    assert lines_of(q1) == [("zhaolei", "lead", "-2323.20")]
    assert q1["total"] == "-2323.20" and q1["pool"] == "0.00"
    assert bonus(td, "2026Q4")["total"] == "7550.40"
    statement = td("bonus", "statement", "zhaolei", "--json").json()
    assert [x["amount"] for x in statement["lines"]] == ["2323.20", "-2323.20"]
    assert statement["total"] == "0.00" and statement["lines"][0]["grade"] == "B"
    # Payable again only through a reopened and re-approved assessment:
    td("--as", "wangjg", "assess", "reopen", code, *IMPL, "--reason", "重新评审")
    approve(td, code)
    assert lines_of(bonus(td, "2027Q1")) == [
        ("zhaolei", "lead", "-2323.20"),
        ("zhaolei", "lead", "2323.20"),
    ]


def test_reapproval_without_reversal_pays_nothing_twice(td, monkeypatch):
    code = payable_e1(td, monkeypatch)
    td("--as", "huangqin", "bonus", "--quarter", "2026Q4", "--pay")
    td("--as", "wangjg", "assess", "reopen", code, *IMPL, "--reason", "补充材料")
    approve(td, code)
    doc = bonus(td, "2026Q4")
    assert [x["paid"] for x in doc["lines"]] == [True] * 4
    assert doc["total"] == "7550.40"


def test_extra_award(td, monkeypatch):
    code = approved_e1(td, monkeypatch)
    td(
        "--as",
        "wangjg",
        "bonus",
        "award",
        code,
        "--staff",
        "lijun",
        "--amount",
        "500",
        "--reason",
        "x",
        expect=1,
        stderr="general manager",
    )
    td(
        "--as",
        "liuzm",
        "bonus",
        "award",
        code,
        "--staff",
        "lijun",
        "--amount",
        "500",
        "--reason",
        "客户表扬信",
    )
    assert bonus(td, "2026Q4")["lines"] == []
    record_payment(td, code)
    award = [x for x in bonus(td, "2026Q4")["lines"] if x["role"] == "award"]
    assert [(x["staff"], x["amount"], x["reason"]) for x in award] == [
        ("lijun", "500.00", "客户表扬信")
    ]


def test_e4_aftersales_slice(td, monkeypatch):
    code = new_project(td, "东湖市庭审系统运维", contract="2,000,000.00", signed="2026-01-05")
    td("project", "set", code, "--service-start", "2026-10-01", "--service-months", "36")
    quarter = ("--track", "aftersales", "--quarter", "2026Q4")
    td("--as", "wangjg", "team", code, "--track", "aftersales", "--lead", "sunhui",
       "--engineer", "lijun", "--lead-share", "60")  # fmt: skip
    td("assess", "open", code, *quarter, "--budget", "5000", "--actual-cost", "5000")
    for scorer in ("self", "sales", "superior"):
        td("score", code, *quarter, "--scorer", scorer, "timeliness=40", "quality=30",
           "archiving=1")  # fmt: skip
    td("--as", "wangjg", "assess", "approve", code, *quarter)
    td("--as", "liuzm", "assess", "approve", code, *quarter)
    record_payment(td, code, amount="10000", on="2026-11-01")
    doc = bonus(td, "2026Q4")
    assert [(x["staff"], x["role"], x["amount"], x["slice_quarter"]) for x in doc["lines"]] == [
        ("sunhui", "lead", "500.00", "2026Q4"),
        ("lijun", "engineer", "333.33", "2026Q4"),
        ("wangjg", "director", "250.00", "2026Q4"),
    ]
    # composite 91.00 → A → the whole slice 833.33 is paid to the team (500.00 + 333.33);
    # the director award is round(833.33 × 30 %) = 250.00 on top; nothing goes to the pool
    assert (doc["pool"], doc["total"]) == ("0.00", "1083.33")
    assert bonus(td, "2027Q1")["lines"] == doc["lines"]  # unpaid lines carry forward


def test_csv_and_people_output(td, monkeypatch):
    code = approved_e1(td, monkeypatch)
    record_payment(td, code)
    csv = td("bonus", "--quarter", "2026Q4", "--csv").stdout.splitlines()
    assert csv[0].startswith("\ufeffline,project,project_name,track,slice_quarter,staff,name,role")
    assert len(csv) == 5
    monkeypatch.setenv("TECHDEPT_LANG", "zh")
    text = td("bonus", "--quarter", "2026Q4").stdout
    for word in ("奖金发放", "¥2,323.20", "技术总监奖励", "¥7,550.40", "可发放", "本季度变动",
                 "考核审批转入", "¥1,452.00"):  # fmt: skip
        assert word in text, word
    pool = td("bonus", "pool", "--json").json()
    assert pool["balance"] == "1452.00" and pool["movements"][0]["amount"] == "1452.00"


@pytest.mark.slow
@pytest.mark.sqlite_only
def test_killed_pay_records_nothing(td, monkeypatch, ledger_env):
    code = approved_e1(td, monkeypatch)
    record_payment(td, code)
    script = (
        "import os, signal\n"
        "import techdept.services.payouts as p\n"
        "def die(*a, **k):\n"
        "    os.kill(os.getpid(), signal.SIGKILL)\n"
        "p.audit.record = die\n"  # after every line is written, before the commit
        "from techdept.cli import main\n"
        "main()\n"
    )
    env = os.environ | {"TECHDEPT_TODAY": "2026-12-28"}
    killed = subprocess.run(
        [sys.executable, "-c", script, "--as", "huangqin", "bonus", "--quarter", "2026Q4", "--pay"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert killed.returncode == -9
    assert [x["paid"] for x in bonus(td, "2026Q4")["lines"]] == [False] * 4
    monkeypatch.setenv("TECHDEPT_TODAY", "2026-12-28")
    done = td("--as", "huangqin", "bonus", "--quarter", "2026Q4", "--pay", "--json").json()
    assert done["newly_paid"] == 4
    assert json.loads(td("audit", "verify", "--json").stdout)


@pytest.mark.sqlite_only
def test_db_check_recomputes_paid_lines(td, monkeypatch, ledger_env):
    import sqlite3

    payable_e1(td, monkeypatch)
    td("--as", "huangqin", "bonus", "--quarter", "2026Q4", "--pay")
    td("db", "check")
    con = sqlite3.connect(ledger_env)
    con.execute("UPDATE payout_line SET amount_fen = amount_fen + 1 WHERE role = 'lead'")
    con.execute("UPDATE entitlement SET amount_fen = 1 WHERE role = 'pool'")
    con.commit()
    con.close()
    result = td("db", "check", expect=1)
    assert "paid ¥2,323.21, its source says ¥2,323.20" in result.stdout + result.stderr
    assert "pool" in result.stdout + result.stderr
