"""The audit trail is written in no language: the same day of the office run under ``--lang zh``
and under ``--lang en`` leaves byte-identical audit rows (payloads, and so the hash chain).
Only what is shown is translated; what is recorded is keys and values."""

import datetime as dt
import shutil

import pytest
from _meeting import IMPL, approve, implementation, new_project
from sqlmodel import select

from techdept.ledger import location
from techdept.ledger.engine import Ledger
from techdept.ledger.models import AuditEntry

pytestmark = pytest.mark.sqlite_only  # two ledger files side by side

FROZEN = dt.datetime(2026, 11, 27, 9, 30, tzinfo=dt.UTC)


def office_day(td):
    """Lifecycle (a forced advance over missing gates, a deliverable and its review, a refused
    advance), a payment, a fault ticket, a scored and approved assessment."""
    td("init", "--demo")
    code = implementation(td)  # project, team, facts, three scores
    approve(td, code)
    td("score", code, *IMPL, "--scorer", "self", "quality=27", expect=1)  # approved: refused
    early = new_project(td, "南湖数字法庭", stage="presales.contact")
    td("project", "advance", early, expect=1)  # blocked: the refusal lists what is missing
    td("--as", "wangjg", "project", "advance", early, "--to", "presales.tracking", "--force",
       "--reason", "客户已口头确认")  # fmt: skip
    td("--as", "hemin", "project", "deliver", early, "technical-solution", "--note", "初稿")
    td("--as", "wangjg", "project", "review", early, "technical-solution", "--approve")
    td("--as", "lijun", "project", "review", early, "technical-solution", "--approve", expect=1)
    td("--as", "qianli", "project", "review", early, "technical-solution", "--reject",
       "--note", "缺少现场照片")  # fmt: skip
    td("--as", "huangqin", "payment", code, "--kind", "progress", "--amount", "600",
       "--date", "2026-02-01")  # fmt: skip
    td("project", "set", code, "--service-start", "2026-10-01", "--service-months", "12")
    tid = td("--as", "qianli", "ticket", "new", code, "--symptom", "第三法庭录音系统无声音",
             "--contact", "王法官", "--phone", "13800000000", "--reported-at",
             "2026-11-20 08:30", "--channel", "hotline", "--json").json()["id"]  # fmt: skip
    td("--as", "sunhui", "ticket", "assign", tid, "--engineer", "lijun", "--at", "2026-11-20 09:15")
    td("--as", "lijun", "ticket", "call", tid, "--solved", "--note", "指导重启录音服务后恢复",
       "--at", "2026-11-20 10:00")  # fmt: skip
    td("--as", "sunhui", "ticket", "archive", tid, "--date", "2026-11-23")


def audit_rows():
    url, path = location.resolve(None)
    ledger = Ledger.open(url, path)
    try:
        with ledger.read() as session:
            rows = session.exec(select(AuditEntry).order_by(AuditEntry.id)).all()
            return [
                (r.id, r.action, r.actor, r.entity, r.entity_key, r.before, r.after, r.hash)
                for r in rows
            ]
    finally:
        ledger.dispose()


def test_the_audit_is_the_same_in_every_language(td, ledger_env, tmp_path, monkeypatch):
    from techdept import clock

    monkeypatch.setattr(clock, "now", lambda: FROZEN)
    monkeypatch.setattr(clock, "real_now", lambda: FROZEN)
    fresh = tmp_path / "fresh.db"
    shutil.copy2(ledger_env, fresh)
    trails = {}
    for lang in ("zh", "en"):
        db = tmp_path / f"{lang}.db"
        shutil.copy2(fresh, db)
        monkeypatch.setenv("TECHDEPT_DB", str(db))
        monkeypatch.setenv("TECHDEPT_LANG", lang)
        office_day(td)
        trails[lang] = audit_rows()
    zh, en = trails["zh"], trails["en"]
    actions = {row[1] for row in zh}
    for action in ("project.advance", "deliverable.file", "deliverable.review", "payment.record",
                   "score", "assessment.approve"):  # fmt: skip
        assert any(a.startswith(action) for a in actions), (action, sorted(actions))
    assert any(a.startswith("ticket") for a in actions), sorted(actions)
    forced = next(r for r in zh if r[1] == "project.advance")
    assert '"overridden"' in forced[6] and '"kind"' in forced[6]
    assert len(zh) == len(en)
    for mine, theirs in zip(zh, en, strict=True):
        assert mine == theirs  # payloads byte for byte, and so every hash of the chain
