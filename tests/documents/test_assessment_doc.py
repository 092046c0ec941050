"""The typed assessment document: one ``to_json``, one ``from_json``; what it reads back is
what it wrote, and a snapshot stored before the document had a version still reads."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from techdept.documents import DOC_VERSION, AssessmentDoc
from techdept.errors import DocumentTooNew

TESTS = Path(__file__).resolve().parents[1]
FIXTURES = sorted((TESTS / "forms" / "fixtures").glob("*.json"))
ASSESSMENTS = [p for p in FIXTURES if p.stem.startswith(("aftersales", "e"))]
# The result the GM's approval stored on main at a734488 (E1 with a sales reason), before
# the document carried ``doc_version`` and the typed texts.
SNAPSHOT = TESTS / "data" / "snapshots" / "e1-implementation-a734488.json"
ADDED = {"doc_version", "overview", "review_opinion"}
ADDED_FACTS = {"schedule_reason", "cost_reason"}


def without_added(doc: dict) -> dict:
    out = {k: v for k, v in doc.items() if k not in ADDED}
    out["facts"] = {k: v for k, v in doc["facts"].items() if k not in ADDED_FACTS}
    return out


def test_a_snapshot_stored_without_a_version_reads_back_unchanged():
    stored = json.loads(SNAPSHOT.read_text("utf-8"))["doc"]
    assert "doc_version" not in stored
    doc = AssessmentDoc.from_json(stored)
    assert (doc.final, doc.grade, doc.composite) == ("5808.00", "B", "83.33")
    assert [(r.scorer, r.item, r.points, r.reason) for r in doc.reasons] == [
        ("sales", "schedule", "29", "客户认可进度")
    ]
    assert doc.approvals.gm is not None and doc.approvals.gm.by == "liuzm"
    assert doc.team is not None and doc.team.lead is not None
    assert doc.team.lead.name == "赵磊"
    assert doc.overview is None and doc.review_opinion is None
    written = doc.to_json()
    assert written["doc_version"] == DOC_VERSION
    # the same keys in the same order, the same values: only the new fields are added
    assert without_added(written) == stored
    assert list(without_added(written)) == list(stored)


@pytest.mark.parametrize("path", ASSESSMENTS, ids=lambda p: p.stem)
def test_what_to_json_writes_from_json_reads_back(path):
    doc = AssessmentDoc.from_json(json.loads(path.read_text("utf-8")))
    again = AssessmentDoc.from_json(doc.to_json())
    assert again == doc
    assert json.loads(json.dumps(doc.to_json())) == doc.to_json()


def test_a_document_from_a_newer_techdept_is_refused():
    stored = json.loads(SNAPSHOT.read_text("utf-8"))["doc"] | {"doc_version": DOC_VERSION + 1}
    with pytest.raises(DocumentTooNew):
        AssessmentDoc.from_json(stored)


def test_the_document_is_frozen():
    doc = AssessmentDoc.from_json(json.loads(SNAPSHOT.read_text("utf-8"))["doc"])
    with pytest.raises(AttributeError):
        doc.final = "1.00"  # type: ignore[misc]
