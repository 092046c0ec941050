"""The audit trail as a user reads it (``audit log``) and checks it (``audit verify``), and what
happens when someone edits it behind techdept's back."""

import csv
import io
import os

import pytest
from sqlalchemy import create_engine, text

from techdept.ledger import location
from techdept.ledger.audit import GENESIS


def sql(*statements: str) -> None:
    """Plain SQL on the test's ledger (SQLite file or PostgreSQL schema), as an intruder would."""
    url, _ = location.resolve(os.environ["TECHDEPT_DB"])
    engine = create_engine(url)
    with engine.begin() as conn:
        for statement in statements:
            conn.execute(text(statement))
    engine.dispose()


def lift_append_only() -> None:
    """Drop what stops UPDATE/DELETE on the audit table (as a database owner could)."""
    url, _ = location.resolve(os.environ["TECHDEPT_DB"])
    if url.startswith("sqlite"):
        sql("DROP TRIGGER audit_no_update", "DROP TRIGGER audit_no_delete")
    else:
        sql("DROP TRIGGER audit_append_only ON audit")


@pytest.fixture
def history(td):
    td("staff", "add", "王建国", "--code", "wangjg", "--role", "director")
    td("staff", "add", "钱丽", "--code", "qianli", "--role", "sales")
    td("staff", "add", "赵磊", "--code", "zhaolei", "--role", "engineer")
    td("--as", "wangjg", "project", "new", "甲", "--customer", "甲院", "--sales", "qianli")
    td("--as", "zhaolei", "project", "new", "乙", "--customer", "乙院")
    td("--as", "wangjg", "project", "set", "P2026-001", "--contract", "1,000.50")
    return td


def test_log_lists_every_change_oldest_first(history):
    rows = history("audit", "log", "--json").json()
    assert [r["action"] for r in rows] == ["staff.add"] * 3 + ["project.new"] * 2 + ["project.set"]
    assert [r["id"] for r in rows] == sorted(r["id"] for r in rows)
    assert rows[0]["prev_hash"] == GENESIS
    assert [r["prev_hash"] for r in rows[1:]] == [r["hash"] for r in rows[:-1]]
    last = rows[-1]
    assert last["actor"] == "wangjg" and last["key"] == "P2026-001"
    assert last["before"]["contract_fen"] is None and last["after"]["contract_fen"] == 100050
    assert last["at"].startswith("2026-11-27T") and last["at"].endswith("Z")


def test_log_filters(history):
    def keys(*args):
        return [(r["action"], r["key"]) for r in history("audit", "log", *args, "--json").json()]

    assert keys("--project", "P2026-001") == [
        ("project.new", "P2026-001"),
        ("project.set", "P2026-001"),
    ]
    # the actor, the staff record itself, and the changes of a record naming the person
    # (the project whose sales representative she is)
    assert keys("--staff", "qianli") == [
        ("staff.add", "qianli"),
        ("project.new", "P2026-001"),
        ("project.set", "P2026-001"),
    ]
    assert keys("--staff", "zhaolei") == [("staff.add", "zhaolei"), ("project.new", "P2026-002")]
    assert keys("--action", "project.") == [
        ("project.new", "P2026-001"),
        ("project.new", "P2026-002"),
        ("project.set", "P2026-001"),
    ]
    assert keys("--limit", "2") == [("project.new", "P2026-002"), ("project.set", "P2026-001")]
    assert keys("--since", "2026-11-27", "--action", "staff", "--limit", "1") == [
        ("staff.add", "zhaolei")
    ]
    assert keys("--since", "2099-01-01") == []
    # LIKE wildcards in a code are literal: "wang_g" must not match "wangjg"
    assert keys("--staff", "wang_g") == []


def test_log_for_people_and_csv(history):
    shown = history("audit", "log", "--project", "P2026-001").stdout
    assert "Audit trail (2 rows)" in shown
    assert "contract: — → ¥1,000.50" in shown  # the field's name, money as tables write it
    assert "wangjg" in shown
    rows = list(
        csv.DictReader(io.StringIO(history("audit", "log", "--csv").stdout.lstrip("\ufeff")))
    )
    assert len(rows) == 6 and rows[-1]["action"] == "project.set"
    assert '"contract_fen":100050' in rows[-1]["after"]
    zh = history("--lang", "zh", "audit", "log", "--limit", "1").stdout
    assert "审计记录（1 条）" in zh
    assert "修改项目" in zh and "合同金额: — → ¥1,000.50" in zh
    # the rows themselves stay language-free data
    doc = history("--lang", "zh", "audit", "log", "--limit", "1", "--json").json()
    assert doc[0]["action"] == "project.set" and doc[0]["after"]["contract_fen"] == 100050


@pytest.mark.parametrize(
    "args, message",
    [
        (["--since", "2026-13-01"], "--since: '2026-13-01' is not a date"),
        (["--limit", "-1"], "--limit: '-1' is not allowed"),
        (["--project", "a b"], "--project: 'a b' is not a code"),
    ],
)
def test_log_refuses_bad_filters(td, args, message):
    td("audit", "log", *args, expect=1, stderr=message)


def test_verify_intact_prints_head_and_count(history):
    rows = history("audit", "log", "--json").json()
    out = history("audit", "verify").stdout
    assert f"audit trail intact: 6 rows, head hash {rows[-1]['hash']}" in out
    doc = history("audit", "verify", "--json").json()
    assert doc == {"ok": True, "rows": 6, "head": rows[-1]["hash"], "findings": []}


def test_verify_empty_trail(td):
    doc = td("audit", "verify", "--json").json()
    assert doc["rows"] == 0 and doc["head"] == GENESIS and doc["ok"] is True


def test_append_only_in_the_database(history):
    from sqlalchemy.exc import DBAPIError

    for statement in ("UPDATE audit SET actor = 'x'", "DELETE FROM audit"):
        with pytest.raises(DBAPIError, match="append-only"):
            sql(statement)
    assert len(history("audit", "log", "--json").json()) == 6


def test_an_edited_row_is_named_by_verify_and_check(history):
    rows = history("audit", "log", "--json").json()
    target = rows[3]["id"]
    lift_append_only()
    sql(f"UPDATE audit SET actor = 'mallory' WHERE id = {target}")
    got = history("audit", "verify", expect=1, stderr=f"first broken row: audit row {target}:")
    assert f"audit row {target}: content hash mismatch" in got.stdout
    assert got.stdout.count("audit row") == 1  # only the edited row is named
    doc = history("audit", "verify", "--json", expect=1).json()
    assert doc["ok"] is False
    assert [(f["id"], f["problem"]) for f in doc["findings"]] == [(target, "content")]
    check = history("db", "check", expect=1)
    assert f"audit row {target}: content hash mismatch" in check.stdout
    assert "audit_no_update is missing" in check.stdout or "audit_append_only" in check.stdout


def test_a_rechained_or_deleted_row_breaks_the_link(history):
    rows = history("audit", "log", "--json").json()
    lift_append_only()
    # an intruder rewrites row 2 and fixes its own hash: the next row no longer links to it
    second, third = rows[1]["id"], rows[2]["id"]
    sql(f"UPDATE audit SET hash = '{'f' * 64}' WHERE id = {second}")
    doc = history("audit", "verify", "--json", expect=1).json()
    assert [(f["id"], f["problem"]) for f in doc["findings"]] == [
        (second, "content"),
        (third, "link"),
    ]
    history("audit", "verify", expect=1, stderr=f"first broken row: audit row {second}:")


def test_a_deleted_row_is_found(history):
    rows = history("audit", "log", "--json").json()
    lift_append_only()
    sql(f"DELETE FROM audit WHERE id = {rows[2]['id']}")
    got = history("audit", "verify", expect=1)
    assert f"audit row {rows[3]['id']}: broken link" in got.stdout
    check = history("db", "check", expect=1)
    assert f"audit row {rows[3]['id']}: broken link" in check.stdout
    # the row it recorded (issue 11) has no audit row any more
    gone = rows[2]
    assert f"table {gone['entity']}, row {gone['key']}: no audit row records it" in check.stdout


def test_audit_refuses_truncate_on_postgresql(td):
    """Row triggers do not see TRUNCATE; a statement trigger refuses it (PostgreSQL only:
    SQLite has no TRUNCATE, and its DELETE is refused by the row trigger)."""
    import os

    import pytest
    from sqlalchemy import create_engine, text
    from sqlalchemy.exc import DBAPIError

    url = os.environ["TECHDEPT_DB"]
    if not url.startswith("postgresql"):
        pytest.skip("PostgreSQL only")
    td("staff", "add", "钱丽", "--code", "qianli", "--role", "sales")
    engine = create_engine(url)
    with pytest.raises(DBAPIError, match="append-only"), engine.begin() as conn:
        conn.execute(text("TRUNCATE audit"))
    engine.dispose()
    assert td("audit", "verify", "--json").json()["rows"] == 1
