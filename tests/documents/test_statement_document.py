"""A person's statement as a typed document: one to_json (``bonus statement --json``), one
from_json, a version field."""

import datetime as dt
import json

import pytest

from techdept.documents.payout import PayoutLine
from techdept.documents.statement import DOC_VERSION, StatementDoc, StatementLine
from techdept.errors import DocumentTooNew

D = dt.date
PAID = PayoutLine("P-1", "甲院数字法庭", "implementation", None, "lijun", "李军", "engineer",
                  116160, True, D(2026, 11, 27), D(2026, 12, 1), line_id=7,
                  run_on=D(2026, 12, 20))  # fmt: skip
PAYABLE = PayoutLine("P-2", "乙院", None, None, "lijun", "李军", "award", 50000, False,
                     D(2027, 1, 5), D(2027, 1, 6), source="award",
                     reason="加班")  # fmt: skip
PENDING = PayoutLine("P-3", "丙院", "presales", None, "lijun", "李军", "engineer", 36720, False,
                     D(2027, 1, 5), None,
                     pending=True)  # fmt: skip
DOC = StatementDoc("lijun", "李军", 2026, (StatementLine(PAID, "2026Q4", "B", 580800),),
                   (PAYABLE, PENDING))  # fmt: skip


def words(line):
    return f"why {line.project}", None


@pytest.mark.parametrize("with_words", [None, words])
def test_round_trip_is_exact(with_words):
    data = DOC.to_json(with_words)
    assert data["doc_version"] == DOC_VERSION
    assert data["total"] == "1161.60" and data["year"] == 2026
    assert data["totals"] == {"paid": "1161.60", "payable": "500.00", "pending": "367.20"}
    line = data["lines"][0]
    assert (line["quarter"], line["grade"], line["final"]) == ("2026Q4", "B", "5808.00")
    assert list(line)[-1] == "run_on" and line["run_on"] == "2026-12-20"
    assert [x["status"] for x in data["open"]] == ["payable", "pending"]
    assert StatementDoc.from_json(json.loads(json.dumps(data))) == DOC


def test_the_form_document_written_before_the_version_field_reads():
    """The statement the signed sheet was drawn from: no open part, unpaid lines among the
    paid ones, no status."""
    old = {"staff": "lijun", "name": "李军", "year": 2026, "lines": [
        {"quarter": "2026Q4", "project": "P-1", "project_name": "甲院", "track": "implementation",
         "slice_quarter": None, "role": "engineer", "amount": "1161.60", "paid": True},
        {"quarter": "2026Q4", "project": "P-9", "project_name": "西山", "track": "aftersales",
         "slice_quarter": "2026Q4", "role": "engineer", "amount": "120.00", "paid": False},
    ]}  # fmt: skip
    doc = StatementDoc.from_json(old)
    assert doc.open == () and doc.total_fen == 116160 + 12000
    assert doc.lines[1].line.slice_quarter == "2026Q4" and doc.lines[1].line.pending is None
    assert doc.lines[0].grade is None and doc.lines[0].final_fen is None


def test_a_newer_version_is_refused():
    with pytest.raises(DocumentTooNew):
        StatementDoc.from_json(DOC.to_json() | {"doc_version": DOC_VERSION + 1})
