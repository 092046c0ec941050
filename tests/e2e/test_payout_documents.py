"""What ``bonus --quarter Q --json`` and ``bonus statement --json`` print is their typed
document (issue 16): it reads back through ``from_json`` to the same document, and the list
written line by line for a large quarter is the one held in memory."""

import pytest
from _meeting import add_department, payable_e1

from techdept.documents.payout import PayoutDoc
from techdept.documents.statement import StatementDoc

PAY = ("--as", "huangqin", "bonus", "--quarter")


@pytest.fixture(autouse=True)
def department(td):
    add_department(td)


def _unworded(line):
    """A line's JSON without what the command line words (``why``, a difference's reason)."""
    line = {k: v for k, v in line.items() if k != "why"}
    return line | ({"reason": None} if line["source"] == "entitlement" else {})


def _unworded_doc(data, *keys):
    return data | {k: [_unworded(x) for x in data[k]] for k in keys}


def test_the_payout_list_reads_back_and_streams_as_it_is_held(td, monkeypatch):
    payable_e1(td, monkeypatch)
    before = td("bonus", "--quarter", "2026Q4", "--json").json()  # streamed
    assert before["doc_version"] == 1 and [x["status"] for x in before["lines"]] == ["payable"] * 4
    assert PayoutDoc.from_json(before).to_json() == _unworded_doc(before, "lines")
    paid = td(*PAY, "2026Q4", "--pay", "--json").json()  # held in memory
    assert paid["newly_paid"] == 4 and all(x["run_on"] for x in paid["lines"])
    again = td(*PAY, "2026Q4", "--pay", "--json").json()  # nothing due: the list as it is
    streamed = td("bonus", "--quarter", "2026Q4", "--json").json()
    assert streamed == again == paid | {"newly_paid": 0, "already_paid": 4}
    assert PayoutDoc.from_json(streamed).to_json() == _unworded_doc(streamed, "lines")


def test_the_waiting_lines_read_back(td, monkeypatch):
    payable_e1(td, monkeypatch)
    monkeypatch.setenv("TECHDEPT_TODAY", "2026-10-10")  # the final payment is not in yet
    data = td("bonus", "--quarter", "2026Q4", "--pending", "--json").json()
    assert data["pending"] == data["lines"]
    doc = PayoutDoc.from_json(data)
    assert doc.only_pending and doc.to_json() == _unworded_doc(data, "lines", "pending")


def test_the_statement_reads_back(td, monkeypatch):
    payable_e1(td, monkeypatch)
    td(*PAY, "2026Q4", "--pay")
    data = td("bonus", "statement", "lijun", "--json").json()
    assert data["doc_version"] == 1 and data["total"] == "1161.60"
    assert data["lines"][0]["quarter"] == "2026Q4" and data["lines"][0]["why"]
    doc = StatementDoc.from_json(data)
    assert doc.total_fen == 116160 and doc.lines[0].line.run_on is not None
    assert doc.to_json() == _unworded_doc(data, "lines", "open")
