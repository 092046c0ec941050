"""Dates are honest (issue 11): no payout into a quarter that has not begun, no write dated
before what it depends on, and no final payment voided under lines it paid."""

import pytest
from _meeting import IMPL, add_department, approve, implementation, record_payment

PAY = ("--as", "huangqin", "bonus", "--quarter")


@pytest.fixture
def approved(td, monkeypatch):
    """E1 approved 2026-11-27 with its final payment of 2026-11-20."""
    add_department(td)
    code = implementation(td)
    td("--as", "wangjg", "project", "set", code, "--signed", "2026-03-02")
    approve(td, code)
    record_payment(td, code)
    return code


def unpaid(td, quarter="2026Q4"):
    return [x for x in td("bonus", "--quarter", quarter, "--json").json()["lines"] if not x["paid"]]


def test_no_payout_into_a_quarter_not_begun(td, approved, monkeypatch):
    monkeypatch.setenv("TECHDEPT_TODAY", "2026-12-28")
    td(*PAY, "9999Q4", "--pay", expect=1, stderr="9999Q4 has not begun (today is 2026-12-28)")
    td(*PAY, "2027Q1", "--pay", expect=1, stderr="has not begun")
    assert len(unpaid(td)) == 4
    td(*PAY, "2026Q4", "--pay")  # the real quarter still pays, and its sheet shows it
    assert (
        unpaid(td) == []
        and td("bonus", "--quarter", "2026Q4", "--json").json()["total"] == "7550.40"
    )


def test_no_payout_run_dated_before_what_it_pays(td, approved, monkeypatch):
    monkeypatch.setenv("TECHDEPT_TODAY", "2026-10-05")
    got = td(*PAY, "2026Q4", "--pay", expect=1, stderr="a payout run dated 2026-10-05")
    assert "GM approval 2026-11-27" in got.stderr
    monkeypatch.setenv("TECHDEPT_TODAY", "2019-01-01")
    td(*PAY, "2026Q4", "--pay", expect=1, stderr="has not begun")
    assert len(unpaid(td)) == 4
    td("db", "check")


def test_no_approval_dated_before_the_assessment_was_opened(td, monkeypatch):
    add_department(td)
    code = implementation(td)  # opened 2026-11-27
    monkeypatch.setenv("TECHDEPT_TODAY", "2026-11-01")
    td("--as", "wangjg", "assess", "approve", code, *IMPL, expect=1,
       stderr="cannot come before 2026-11-27")  # fmt: skip
    monkeypatch.setenv("TECHDEPT_TODAY", "2026-11-28")
    td("--as", "wangjg", "assess", "approve", code, *IMPL)
    monkeypatch.setenv("TECHDEPT_TODAY", "2026-11-27")
    td("--as", "liuzm", "assess", "approve", code, *IMPL, expect=1,
       stderr="cannot come before 2026-11-28")  # fmt: skip
    monkeypatch.setenv("TECHDEPT_TODAY", "2026-11-28")
    td("--as", "liuzm", "assess", "approve", code, *IMPL)


def test_a_final_payment_under_paid_lines_is_not_voided(td, approved, monkeypatch):
    monkeypatch.setenv("TECHDEPT_TODAY", "2026-12-28")
    lines = td(*PAY, "2026Q4", "--pay", "--json").json()["lines"]
    payment = td("payment", "list", approved, "--json").json()
    final = next(p for p in payment if p["kind"] == "final")
    ids = ", ".join(str(x["line"]) for x in lines)
    got = td("--as", "huangqin", "payment", "void", str(final["id"]), "--reason", "录错", expect=1)
    assert f"paid lines {ids} rest on" in got.stderr and "reverse those lines first" in got.stderr
    for line in lines:
        td("--as", "huangqin", "bonus", "reverse", str(line["line"]), "--reason", "尾款录错")
    td("--as", "huangqin", "payment", "void", str(final["id"]), "--reason", "录错")
    td("db", "check")


def test_audit_keeps_the_real_clock_time_beside_the_business_date(td, monkeypatch):
    import datetime as dt

    monkeypatch.setenv("TECHDEPT_TODAY", "2019-01-01")
    td("staff", "add", "王建国", "--code", "wangjg", "--role", "director")
    row = td("audit", "log", "--json").json()[-1]
    assert row["at"].startswith("2019-01-01T")
    real = dt.datetime.fromisoformat(row["recorded_at"].rstrip("Z"))
    assert abs(real - dt.datetime.now(dt.UTC).replace(tzinfo=None)) < dt.timedelta(minutes=10)
    from test_money_check import lift_append_only, sql

    lift_append_only()  # the real time is covered by the row's hash
    sql("UPDATE audit SET recorded_at = at")
    got = td("audit", "verify", expect=1)
    assert f"audit row {row['id']}: content hash mismatch" in got.stdout
