"""The tracking sheet's typed document: one to_json, one from_json, a version field."""

import datetime as dt

import pytest

from techdept.documents.tracking import DOC_VERSION, NextStep, TrackingDoc, TrackingRow
from techdept.errors import DocumentTooNew

ROW = TrackingRow(
    code="P-1",
    name="甲院数字法庭",
    customer="甲院",
    stage="presales.consultation",
    since=dt.date(2026, 11, 20),
    days_in_stage=7,
    next=NextStep("deliverable", "technical-solution", "missing", "presales"),
    sales="fengtao",
    sales_name="冯涛",
)
DOC = TrackingDoc(
    "2026-W48", dt.date(2026, 11, 23), dt.date(2026, 11, 29), dt.date(2026, 11, 27), (ROW,)
)


def test_round_trip_is_exact():
    data = DOC.to_json()
    assert data["doc_version"] == DOC_VERSION
    assert data["projects"][0]["since"] == "2026-11-20"
    assert data["projects"][0]["next"] == {
        "kind": "deliverable",
        "doc": "technical-solution",
        "status": "missing",
        "owner": "presales",
    }
    assert "manager" not in data
    assert TrackingDoc.from_json(data) == DOC


def test_an_unversioned_hand_written_document_reads_with_empty_parts():
    doc = TrackingDoc.from_json(
        {"week": "2026-W48", "projects": [{"code": "P-2", "stage": "presales.bid", "next": None}]}
    )
    assert doc.first_day is None and doc.rows[0].next is None and doc.rows[0].since is None
    assert doc.rows[0].days_in_stage is None and doc.manager is None


def test_a_newer_version_is_refused():
    with pytest.raises(DocumentTooNew):
        TrackingDoc.from_json(DOC.to_json() | {"doc_version": DOC_VERSION + 1})
