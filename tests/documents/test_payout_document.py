"""The payout list's typed document: one to_json (the JSON of ``bonus --quarter Q``, also
written piece by piece for a large quarter), one from_json, a version field."""

import datetime as dt
import json

import pytest

from techdept.documents.payout import (
    DOC_VERSION,
    PayoutDoc,
    PayoutLine,
    PersonTotal,
    PoolMovement,
)
from techdept.errors import DocumentTooNew

D = dt.date
PAID = PayoutLine("P-1", "甲院数字法庭", "implementation", None, "zhaolei", "赵磊", "lead",
                  232320, True, D(2026, 11, 27), D(2026, 12, 1), line_id=7,
                  run_on=D(2026, 12, 20))  # fmt: skip
CLAWBACK = PayoutLine("P-1", "甲院数字法庭", "implementation", None, "zhoupeng", "周鹏",
                      "engineer", -232320, False, D(2027, 1, 10), D(2026, 12, 1),
                      entitled_fen=0)  # fmt: skip
AWARD = PayoutLine("P-2", "乙院", None, None, "lijun", "李军", "award", 50000, False,
                   D(2027, 1, 5), None, source="award", reason="加班",
                   pending=True)  # fmt: skip
REVERSAL = PayoutLine("P-1", "甲院数字法庭", "implementation", "2026Q4", "zhaolei", "赵磊", "lead",
                      -232320, True, D(2026, 11, 27), D(2026, 12, 1), line_id=8,
                      source="reversal", reason="错发",
                      run_on=D(2027, 1, 10))  # fmt: skip
MOVE = PoolMovement("P-1", "implementation", None, D(2026, 11, 27), 145200, "approved")
WINDOW = (D(2026, 10, 1), D(2026, 12, 31))


def doc(*lines, **facts):
    return PayoutDoc.of("2026Q4", WINDOW, lines, pool_movements=[MOVE],
                        pool_balance_fen=145200, **facts)  # fmt: skip


def words(line):
    return f"why {line.line_id}", "a difference" if line.entitled_fen is not None else None


@pytest.mark.parametrize("with_words", [None, words])
def test_round_trip_is_exact(with_words):
    x = doc(PAID, CLAWBACK, AWARD, REVERSAL, already_paid=1, newly_paid=2)
    data = x.to_json(with_words)
    assert data["doc_version"] == DOC_VERSION
    assert data["total"] == "-1823.20"
    assert data["totals"][0] == {"staff": "lijun", "name": "李军", "amount": "500.00"}
    assert data["pool"] == "1452.00" and data["window"] == ["2026-10-01", "2026-12-31"]
    claw = data["lines"][1]
    assert (claw["entitled"], claw["paid_before"], claw["clawback"]) == ("0.00", "2323.20", True)
    assert [x["status"] for x in data["lines"]] == ["paid", "payable", "pending", "paid"]
    assert "pending" not in data
    assert PayoutDoc.from_json(json.loads(json.dumps(data))) == x


def test_the_words_are_added_but_never_read_back():
    data = doc(PAID, CLAWBACK).to_json(words)
    assert data["lines"][0]["why"] == "why 7" and data["lines"][0]["reason"] is None
    assert data["lines"][1]["reason"] == "a difference"  # worded: not the line's own
    assert PayoutDoc.from_json(data).lines[1].reason is None


def test_the_waiting_lines_alone_are_under_both_keys():
    x = doc(AWARD, only_pending=True)
    data = x.to_json(words)
    assert data["pending"] == data["lines"] and data["total"] == "500.00"
    assert PayoutDoc.from_json(data) == x


@pytest.mark.parametrize("only_pending", [False, True])
def test_the_streamed_json_is_to_json(only_pending):
    lines = (AWARD,) if only_pending else (PAID, CLAWBACK, REVERSAL)
    full = doc(*lines, already_paid=0 if only_pending else 1, only_pending=only_pending)
    head = doc(only_pending=only_pending)
    text = "".join(head.stream_json(lambda: iter(lines), words))
    assert json.loads(text) == full.to_json(words)


def test_the_json_written_before_the_version_field_reads():
    """``bonus --quarter Q --json`` before doc_version: no run_on, the why and a worded
    reason on each line; a hand-written list leaves the sums out and they are added up."""
    old = {
        "quarter": "2026Q4",
        "window": ["2026-10-01", "2026-12-31"],
        "lines": [
            {"line": 7, "project": "P-1", "project_name": "甲院数字法庭",
             "track": "implementation", "slice_quarter": None, "staff": "zhaolei",
             "name": "赵磊", "role": "lead", "amount": "2323.20", "paid": True,
             "status": "paid", "source": "entitlement", "approved_on": "2026-11-27",
             "final_paid_on": "2026-12-01", "reason": "应得 ¥0.00，已发 ¥2,323.20",
             "clawback": False, "entitled": None, "paid_before": None,
             "why": "已于 2026-12-20 发放"},
        ],
        "pool": "1452.00",
    }  # fmt: skip
    x = PayoutDoc.from_json(old)
    (line,) = x.lines
    assert line.paid and line.run_on is None and line.reason is None and line.line_id == 7
    assert x.totals == (PersonTotal("zhaolei", "赵磊", 232320),) and x.total_fen == 232320
    assert x.pool_fen == 145200 and x.pool_balance_fen is None and x.pool_movements == ()


def test_a_hand_written_line_without_a_status_keeps_it_unknown():
    line = PayoutLine.from_json({"project": "P-1", "staff": "lijun", "amount": "1.00"})
    assert line.pending is None and not line.paid and line.name == "lijun"
    assert PayoutLine.from_json({"amount": "1.00", "status": "pending"}).pending is True


def test_a_newer_version_is_refused():
    with pytest.raises(DocumentTooNew):
        PayoutDoc.from_json(doc(PAID).to_json() | {"doc_version": DOC_VERSION + 1})
