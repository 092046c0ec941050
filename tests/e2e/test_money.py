"""Entitlements are the truth and payouts settle them (issue 11): after a re-approval each
person is paid the new entitlement less what was paid, so a share that shrinks or a person
removed from the team is clawed back by a negative line, and nothing is paid twice."""

from collections import defaultdict

import pytest
from _meeting import IMPL, add_department, approve, implementation, payable_e1, record_payment

PAY = ("--as", "huangqin", "bonus", "--quarter")


@pytest.fixture(autouse=True)
def department(td):
    add_department(td)


def paid_e1(td, monkeypatch):
    """E1 approved 2026-11-27, final payment in, paid in 2026Q4's run."""
    code = payable_e1(td, monkeypatch)
    td(*PAY, "2026Q4", "--pay")
    return code


def net_paid(td, *quarters):
    """Σ paid per (person, role) over the runs of ``quarters``."""
    sums = defaultdict(int)
    for q in quarters:
        for x in td("bonus", "--quarter", q, "--json").json()["lines"]:
            if x["paid"]:
                sums[(x["staff"], x["role"])] += round(float(x["amount"]) * 100)
    return {k: v for k, v in sums.items() if v}


def test_removed_person_is_clawed_back_and_newcomer_paid(td, monkeypatch):
    code = paid_e1(td, monkeypatch)
    monkeypatch.setenv("TECHDEPT_TODAY", "2027-01-10")
    td("--as", "wangjg", "assess", "reopen", code, *IMPL, "--reason", "换人")
    td("--as", "wangjg", "team", code, *IMPL, "--lead", "zhaolei", "--engineer", "lijun:1",
       "--engineer", "wuhao:2", "--lead-share", "40")  # fmt: skip
    approve(td, code)
    doc = td("bonus", "--quarter", "2027Q1", "--json").json()
    lines = [(x["staff"], x["role"], x["amount"], x["clawback"]) for x in doc["lines"]]
    assert lines == [
        ("wuhao", "engineer", "2323.20", False),
        ("zhoupeng", "engineer", "-2323.20", True),
    ]
    claw = doc["lines"][1]
    assert (claw["entitled"], claw["paid_before"]) == ("0.00", "2323.20")
    assert "¥2,323.20" in claw["why"] and claw["reason"]  # money in a message as in tables
    monkeypatch.setenv("TECHDEPT_TODAY", "2027-03-28")
    td(*PAY, "2027Q1", "--pay")
    assert net_paid(td, "2026Q4", "2027Q1") == {
        ("zhaolei", "lead"): 232320,
        ("lijun", "engineer"): 116160,
        ("wuhao", "engineer"): 232320,
        ("wangjg", "director"): 174240,
    }
    assert sum(net_paid(td, "2026Q4", "2027Q1").values()) == 755040  # not 8,712.00
    td("db", "check")
    statement = td("bonus", "statement", "zhoupeng", "--json").json()
    assert [x["amount"] for x in statement["lines"]] == ["2323.20", "-2323.20"]


def test_veto_after_payout_claws_back_everything(td, monkeypatch):
    code = paid_e1(td, monkeypatch)
    monkeypatch.setenv("TECHDEPT_TODAY", "2027-01-10")
    td("--as", "wangjg", "assess", "reopen", code, *IMPL, "--reason", "质量问题")
    for scorer in ("self", "sales", "superior"):
        td("score", code, *IMPL, "--scorer", scorer, "quality=10")
    approve(td, code)
    doc = td("bonus", "--quarter", "2027Q1", "--json").json()
    assert sorted((x["staff"], x["amount"]) for x in doc["lines"]) == [
        ("lijun", "-1161.60"),
        ("wangjg", "-1742.40"),
        ("zhaolei", "-2323.20"),
        ("zhoupeng", "-2323.20"),
    ]
    assert all(x["clawback"] for x in doc["lines"])
    td("db", "check")  # a vetoed approval is sound: no false alarm
    monkeypatch.setenv("TECHDEPT_TODAY", "2027-03-28")
    td(*PAY, "2027Q1", "--pay")
    assert net_paid(td, "2026Q4", "2027Q1") == {}
    assert td("bonus", "--quarter", "2027Q2", "--json").json()["lines"] == []
    td("db", "check")


def test_reversal_then_same_reapproval_pays_once(td, monkeypatch):
    code = paid_e1(td, monkeypatch)
    monkeypatch.setenv("TECHDEPT_TODAY", "2027-01-10")
    td("--as", "wangjg", "assess", "reopen", code, *IMPL, "--reason", "复核")
    approve(td, code)
    assert td("bonus", "--quarter", "2027Q1", "--json").json()["lines"] == []
    lead = td("bonus", "--quarter", "2026Q4", "--json").json()["lines"][0]
    td("--as", "huangqin", "bonus", "reverse", str(lead["line"]), "--reason", "算错")
    # the reversed share waits for a reopened and re-approved assessment
    doc = td("bonus", "--quarter", "2027Q1", "--json").json()
    assert [(x["staff"], x["amount"]) for x in doc["lines"]] == [("zhaolei", "-2323.20")]
    td("--as", "wangjg", "assess", "reopen", code, *IMPL, "--reason", "重发")
    approve(td, code)
    doc = td("bonus", "--quarter", "2027Q1", "--json").json()
    assert [(x["staff"], x["amount"], x["paid"]) for x in doc["lines"]] == [
        ("zhaolei", "-2323.20", True),
        ("zhaolei", "2323.20", False),
    ]
    td("db", "check")


def test_pending_shows_only_waiting_lines_in_every_format(td, monkeypatch):
    monkeypatch.setenv("TECHDEPT_TODAY", "2026-11-27")
    code = implementation(td)
    td("--as", "wangjg", "project", "set", code, "--signed", "2026-03-02")
    approve(td, code)  # no final payment yet: every line waits
    doc = td("bonus", "--quarter", "2026Q4", "--pending", "--json").json()
    assert [x["status"] for x in doc["lines"]] == ["pending"] * 4
    assert doc["pending"] == doc["lines"] and doc["total"] == "7550.40"
    assert all("final payment not received" in x["why"] for x in doc["lines"])
    csv = td("bonus", "--quarter", "2026Q4", "--pending", "--csv").stdout.splitlines()
    assert len(csv) == 5 and all(",pending," in row for row in csv[1:])
    text = td("--lang", "zh", "bonus", "--quarter", "2026Q4", "--pending").stdout
    assert "待尾款" in text and "可发放" not in text
    assert td("bonus", "--quarter", "2026Q4", "--json").json()["lines"] == []


def test_statement_shows_paid_payable_and_pending_adding_up(td, monkeypatch):
    code = paid_e1(td, monkeypatch)
    monkeypatch.setenv("TECHDEPT_TODAY", "2027-01-10")
    second = implementation(td)  # another project of zhaolei's, approved, final not in
    td("--as", "wangjg", "project", "set", second, "--signed", "2026-03-02")
    approve(td, second)
    third = implementation(td)  # and one whose final payment is in: payable now
    td("--as", "wangjg", "project", "set", third, "--signed", "2026-03-02")
    approve(td, third)
    record_payment(td, third, amount="1000", on="2027-01-08")
    doc = td("bonus", "statement", "zhaolei", "--json").json()
    assert doc["totals"] == {"paid": "2323.20", "payable": "2323.20", "pending": "2323.20"}
    assert [(x["project"], x["status"]) for x in doc["open"]] == [
        (third, "payable"),
        (second, "pending"),
    ]
    text = td("bonus", "statement", "zhaolei").stdout
    assert "Paid ¥2,323.20; payable now ¥2,323.20; pending ¥2,323.20" in text
    assert code != second


def test_csv_neutralises_formulas_and_keeps_amounts_numbers(td, monkeypatch):
    import csv
    import io

    code = paid_e1(td, monkeypatch)
    monkeypatch.setenv("TECHDEPT_TODAY", "2027-01-10")
    lead = td("bonus", "--quarter", "2026Q4", "--json").json()["lines"][0]["line"]
    td("--as", "huangqin", "bonus", "reverse", str(lead), "--reason", '=HYPERLINK("x")')
    out = td("bonus", "--quarter", "2027Q1", "--csv").stdout
    assert out.startswith("\ufeff")  # UTF-8 with BOM: Excel on Chinese Windows reads it
    (row,) = csv.DictReader(io.StringIO(out.lstrip("\ufeff")))
    assert row["reason"] == '\'=HYPERLINK("x")' and row["amount"] == "-2323.20"
    assert row["project"] == code


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+86 138", "'+86 138"),
        ("-cmd", "'-cmd"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("-2323.20", "-2323.20"),
        ("+5", "+5"),
        ("赵磊", "赵磊"),
        (None, ""),
        (7, 7),
    ],
)
def test_csv_cell(cell, written):
    from techdept.output import csv_cell

    assert csv_cell(cell) == written
