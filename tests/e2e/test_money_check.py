"""``db check`` neither cries wolf nor misses (issue 11): each tampering done with plain SQL
behind techdept's back is found and named with its table and row; a sound ledger holding
vetoed, grade-E and zero-pool approvals passes."""

import os

import pytest
from _meeting import IMPL, add_department, approve, implementation, payable_e1, record_payment
from sqlalchemy import create_engine, text

from techdept.ledger import location

PAY = ("--as", "huangqin", "bonus", "--quarter", "2026Q4", "--pay")


def sql(*statements: str):
    """Plain SQL on the test's ledger (SQLite file or PostgreSQL schema), as an intruder would."""
    url, _ = location.resolve(os.environ["TECHDEPT_DB"])
    engine = create_engine(url)
    rows = []
    with engine.begin() as conn:
        for statement in statements:
            result = conn.execute(text(statement))
            rows = result.all() if result.returns_rows else rows
    engine.dispose()
    return rows


def lift_append_only() -> None:
    url, _ = location.resolve(os.environ["TECHDEPT_DB"])
    if url.startswith("sqlite"):
        sql("DROP TRIGGER audit_no_update", "DROP TRIGGER audit_no_delete")
    else:
        sql("DROP TRIGGER audit_append_only ON audit")


@pytest.fixture
def paid(td, monkeypatch):
    """E1 approved, its final payment in, 2026Q4 paid (4 lines, 7,550.40)."""
    add_department(td)
    code = payable_e1(td, monkeypatch)
    td(*PAY)
    td("db", "check")
    return code


def findings(td):
    got = td("db", "check", expect=1)
    assert "the ledger check found" in got.stderr
    return got.stdout


def test_no_false_alarm_on_veto_grade_e_and_zero_pool(td, monkeypatch):
    add_department(td)
    vetoed = implementation(td, quality=(10, 10, 10))  # mean quality < 20: final 0
    grade_e = implementation(td, actual_cost="200,000.00", quality=(12, 12, 12))
    perfect = implementation(td, actual_cost="60,000.00", quality=(30, 30, 30))
    td("assess", "set", perfect, *IMPL, "--actual-days", "10")  # grade A: nothing to the pool
    for code in (vetoed, grade_e, perfect):
        td("--as", "wangjg", "project", "set", code, "--signed", "2026-03-02")
        approve(td, code)
        record_payment(td, code)
    shows = [td("assess", "show", c, *IMPL, "--json").json() for c in (vetoed, grade_e, perfect)]
    assert shows[0]["final"] == "0.00" and shows[1]["grade"] == "E" and shows[2]["pool"] == "0.00"
    td("db", "check")
    monkeypatch.setenv("TECHDEPT_TODAY", "2026-12-28")
    td(*PAY)
    td("db", "check")


def test_deleted_paid_line_is_found_and_not_paid_again(td, paid):
    sql("DELETE FROM payout_line WHERE role = 'lead'")
    out = findings(td)
    assert "table payout_run, row 1: 3 lines totalling ¥5,227.20" in out
    assert "says 4 lines totalling ¥7,550.40" in out
    td(*PAY, expect=1, stderr="not paid: the recorded payouts differ from their audit trail")
    assert sql("SELECT count(*) FROM payout_line")[0][0] == 3


def test_deleted_tail_of_the_audit_is_found(td, paid):
    anchor = td("audit", "head", "--json").json()["anchor"]
    lift_append_only()
    last = sql("SELECT max(id) FROM audit")[0][0]
    sql(f"DELETE FROM audit WHERE id = {last}")  # the bonus.pay row
    td("audit", "verify")  # the rest of the chain still links...
    out = findings(td)  # ...but the run it recorded has lost its audit row
    assert "table payout_run, row 1: no audit row records it" in out
    got = td("audit", "verify", "--expect", anchor, expect=1)
    assert f"audit row {last} of the anchor is gone" in got.stdout


def test_dropped_audit_triggers_are_found(td, paid):
    lift_append_only()
    out = findings(td)
    assert "trigger audit_no_update is missing" in out or "audit_append_only is missing" in out


def test_role_granted_in_the_table_is_found(td, paid):
    sql("INSERT INTO staff_role (staff_id, role) SELECT id, 'gm' FROM staff WHERE code = 'lijun'")
    out = findings(td)
    assert "table staff_role, row (lijun, gm): no audit row grants this role" in out


def test_payment_edited_with_sql_is_found(td, paid):
    sql("UPDATE payment SET amount_fen = 1 WHERE kind = 'final'")
    assert "table payment, row 1: amount is ¥0.01, its audit row" in findings(td)


def test_payment_voided_with_sql_is_found(td, paid):
    sql("UPDATE payment SET voided_at = recorded_at, voided_by = 'x', void_reason = 'y'")
    assert "table payment, row 1 (voided): no audit row records it" in findings(td)


def test_payment_deleted_with_sql_is_found(td, paid):
    sql("DELETE FROM payment")
    assert "records table payment, row 1, which is gone" in findings(td)


def test_approval_edited_with_sql_is_found(td, paid):
    sql("UPDATE assessment SET version = 7")
    out = findings(td)
    assert f"table assessment, row {paid}/implementation v7: no audit row records it" in out


def test_rewritten_chain_is_caught_by_the_anchor(td, paid):
    """An intruder edits a row and recomputes every hash after it: the chain verifies, but
    the anchor a signed sheet carries does not."""
    from sqlmodel import Session, select

    from techdept.ledger.audit import GENESIS, entry_hash
    from techdept.ledger.models import AuditEntry

    anchor = td("audit", "head", "--json").json()["anchor"]
    lift_append_only()
    url, _ = location.resolve(os.environ["TECHDEPT_DB"])
    engine = create_engine(url)
    with Session(engine) as session:
        prev = GENESIS
        for entry in session.exec(select(AuditEntry).order_by(AuditEntry.id)):
            if entry.action == "bonus.pay":
                entry.actor = "mallory"
            entry.prev_hash = prev
            entry.hash = entry_hash(prev, entry)
            prev = entry.hash
            session.add(entry)
            session.flush()
        session.commit()
    engine.dispose()
    td("audit", "verify")
    got = td("audit", "verify", "--expect", anchor, expect=1)
    assert "not the anchor's: the chain was rewritten" in got.stdout
