"""A/B cover: while the after-sales manager (A) is recorded away, the implementation manager
(B) takes A's actions and the audit trail says for whom; outside that window B is refused."""

import pytest
from _lifecycle import add_department, aftersales_project
from sqlmodel import select

from techdept.ledger import location
from techdept.ledger.engine import Ledger
from techdept.ledger.models import AuditEntry


@pytest.fixture
def project(td):
    add_department(td)
    code = aftersales_project(td, start=None)
    td("--as", "zhaolei", "project", "deliver", code, "handover-documents")
    return code


def audit_rows(action):
    url, path = location.resolve(None)
    ledger = Ledger.open(url, path)
    try:
        with ledger.read() as session:
            return list(session.exec(select(AuditEntry).where(AuditEntry.action == action)))
    finally:
        ledger.dispose()


def test_b_acts_for_a_inside_the_window_only(td, project, monkeypatch):
    td(
        "--as",
        "zhaolei",
        "project",
        "review",
        project,
        "handover-documents",
        "--approve",
        expect=1,
        stderr="only while they are recorded away",
    )
    td("--as", "wangjg", "staff", "away", "sunhui", "--from", "2026-11-20", "--to", "2026-11-30")
    # inside the window
    result = td(
        "--as",
        "zhaolei",
        "project",
        "review",
        project,
        "handover-documents",
        "--approve",
        "--note",
        "资料齐全",
    )
    assert "zhaolei on behalf of sunhui" in result.stdout
    rows = audit_rows("deliverable.review")
    assert [(r.actor, r.on_behalf_of) for r in rows] == [("zhaolei", "sunhui")]
    # the next document: the window has passed
    td("--as", "zhaolei", "project", "deliver", project, "handover-documents")
    monkeypatch.setenv("TECHDEPT_TODAY", "2026-12-01")
    td(
        "--as",
        "zhaolei",
        "project",
        "review",
        project,
        "handover-documents",
        "--approve",
        expect=1,
        stderr="on 2026-12-01 they are not",
    )
    monkeypatch.setenv("TECHDEPT_TODAY", "2026-11-19")
    td(
        "--as",
        "zhaolei",
        "project",
        "review",
        project,
        "handover-documents",
        "--approve",
        expect=1,
        stderr="only while they are recorded away",
    )
    # A themself, any day
    done = td(
        "--as", "sunhui", "project", "review", project, "handover-documents", "--approve", "--json"
    ).json()
    assert (done["by"], done["on_behalf_of"], done["status"]) == ("sunhui", None, "approved")


def test_only_b_may_cover(td, project):
    td("--as", "wangjg", "staff", "away", "sunhui", "--from", "2026-11-01", "--to", "2026-11-30")
    td(
        "--as",
        "lijun",
        "project",
        "review",
        project,
        "handover-documents",
        "--approve",
        expect=1,
        stderr="is by after-sales manager; 'lijun' is not that person",
    )


def test_recording_an_absence(td, project):
    td(
        "--as",
        "lijun",
        "staff",
        "away",
        "sunhui",
        "--from",
        "2026-11-01",
        "--to",
        "2026-11-30",
        expect=1,
        stderr="only the technical director, the after-sales manager or the implementation",
    )
    td(
        "--as",
        "wangjg",
        "staff",
        "away",
        "zhaolei",
        "--from",
        "2026-11-01",
        "--to",
        "2026-11-30",
        expect=1,
        stderr="not an after-sales manager",
    )
    td(
        "--as",
        "wangjg",
        "staff",
        "away",
        "sunhui",
        "--from",
        "2026-11-30",
        "--to",
        "2026-11-01",
        expect=1,
        stderr="is before --from",
    )
    td(
        "--as",
        "wangjg",
        "staff",
        "away",
        "sunhui",
        "--from",
        "2026-11-30",
        expect=2,
        stderr="give both --from DATE and --to DATE",
    )
    td(
        "--as",
        "wangjg",
        "staff",
        "away",
        "nobody",
        "--from",
        "2026-11-01",
        "--to",
        "2026-11-02",
        expect=1,
        stderr="no staff member with code nobody",
    )
    doc = td(
        "--as",
        "sunhui",
        "staff",
        "away",
        "sunhui",
        "--from",
        "2026-12-24",
        "--to",
        "2027-01-03",
        "--json",
    ).json()
    assert doc == {
        "staff": "sunhui",
        "name": "孙慧",
        "from": "2026-12-24",
        "to": "2027-01-03",
        "recorded_by": "sunhui",
    }
    listed = td("staff", "away", "sunhui", "--json").json()
    assert [(x["from"], x["to"]) for x in listed] == [("2026-12-24", "2027-01-03")]
    assert [r.actor for r in audit_rows("staff.away")] == ["sunhui"]
