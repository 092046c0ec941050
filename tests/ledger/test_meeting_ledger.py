"""What the GM's approval leaves in the ledger: entitlements, the stored result, the policy
snapshot; and the recheck the ledger check runs over them."""

import json
import os
import sys
from pathlib import Path

import pytest
from sqlmodel import col, select

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "e2e"))
from _meeting import IMPL, add_department, approve, implementation


@pytest.fixture
def ledger(td):
    from techdept.ledger import location
    from techdept.ledger.engine import Ledger

    add_department(td)
    url, path = location.resolve(os.environ["TECHDEPT_DB"])
    opened = Ledger.open(url, path)
    yield opened
    opened.dispose()


def entitlements(ledger):
    from techdept.ledger.models import Entitlement, Staff

    with ledger.read() as session:
        rows = session.exec(
            select(Entitlement, Staff.code)
            .outerjoin(Staff, col(Staff.id) == col(Entitlement.staff_id))
            .order_by(col(Entitlement.id))
        ).all()
        return [
            (e.version, code, e.role, e.amount_fen, e.slice_quarter, e.superseded_at is not None)
            for e, code in rows
        ]


def test_gm_approval_writes_the_entitlements(td, ledger):
    code = implementation(td)
    td("--as", "wangjg", "assess", "approve", code, *IMPL)
    assert entitlements(ledger) == []
    td("--as", "liuzm", "assess", "approve", code, *IMPL)
    assert entitlements(ledger) == [
        (1, "zhaolei", "lead", 232_320, None, False),
        (1, "lijun", "engineer", 116_160, None, False),
        (1, "zhoupeng", "engineer", 232_320, None, False),
        (1, "wangjg", "director", 174_240, None, False),
        (1, None, "pool", 145_200, None, False),
    ]
    td("--as", "wangjg", "assess", "reopen", code, *IMPL, "--reason", "recount")
    assert all(row[-1] for row in entitlements(ledger))
    approve(td, code)
    current = [row for row in entitlements(ledger) if not row[-1]]
    assert [(v, role) for v, _, role, *_ in current] == [
        (2, "lead"),
        (2, "engineer"),
        (2, "engineer"),
        (2, "director"),
        (2, "pool"),
    ]


def test_recheck_finds_nothing_in_a_sound_ledger_and_a_tampered_result(td, ledger):
    from techdept.ledger.models import Assessment, PolicySnapshot
    from techdept.services.assessment import recheck

    code = implementation(td)
    approve(td, code)
    with ledger.read() as session:
        assert recheck(session) == []
        snapshot = session.exec(select(PolicySnapshot)).one()
        assert f'id = "{snapshot.policy_id}"' in snapshot.content
    with ledger.write() as session:
        a = session.exec(select(Assessment)).one()
        stored = json.loads(a.result)
        stored["doc"]["final"] = "9999.00"
        a.result = json.dumps(stored)
        session.add(a)
    with ledger.read() as session:
        findings = recheck(session)
    assert len(findings) == 1
    finding = findings[0]
    assert finding.key == "meeting.recheck.differs"
    assert (finding.params["key"], finding.params["stored"], finding.params["now"]) == (
        "final",
        "9999.00",
        "5808.00",
    )


def test_every_step_is_audited(td, ledger):
    from techdept.ledger.models import AuditEntry

    code = implementation(td)
    approve(td, code)
    with ledger.read() as session:
        actions = [
            a
            for a in session.exec(select(AuditEntry.action).order_by(col(AuditEntry.id)))
            if not a.startswith(("staff.", "project."))
        ]
    assert actions == [
        "team.set",
        "assessment.open",
        "score.record",
        "score.record",
        "score.record",
        "assessment.approve.director",
        "assessment.approve.gm",
    ]


def test_db_check_reports_a_score_changed_by_hand(td, ledger):
    """Issue 8: changing a stored score of an approved assessment with plain SQL is a finding
    of `db check`."""
    from sqlalchemy import text

    code = implementation(td)
    approve(td, code)
    td("db", "check")
    with ledger.engine.begin() as conn:
        conn.execute(text("UPDATE score SET points_tenths = 300 WHERE scorer = 'sales' "
                          "AND item = 'quality'"))  # fmt: skip
    result = td("db", "check", expect=1)
    out = result.stdout + result.stderr
    assert "sales's quality is 30 in the score table but 26 in the approved result" in out
    assert len([line for line in out.splitlines() if "score table" in line]) == 1
