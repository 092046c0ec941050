"""The fault ticket's typed document: one to_json, one from_json, a version field; its forms
read it by attribute, and the JSON of an older techdept still reads."""

import datetime as dt

import pytest

from techdept.documents.ticket import (
    DOC_VERSION,
    Event,
    Expense,
    Repair,
    Signature,
    TicketDoc,
    Trip,
    local_text,
)
from techdept.errors import DocumentTooNew
from techdept.forms.context.ticket import ticket_context
from techdept.rules.tickets import NextStep


def _at(text: str) -> dt.datetime:
    return dt.datetime.strptime(text, "%Y-%m-%d %H:%M").astimezone()


DOC = TicketDoc(
    id="T2026-0001",
    project="P2026-001",
    project_name="甲院数字法庭",
    customer="甲院",
    status="archived",
    channel="hotline",
    symptom="庭审主机无法开机",
    contact="王法官",
    phone="13800000000",
    reported_at=_at("2026-11-18 09:30"),
    out_of_warranty=False,
    warranty_end=dt.date(2027, 6, 30),
    next=NextStep("done", None),
    engineer="lijun",
    engineer_name="李军",
    assigned_at=_at("2026-11-18 10:00"),
    solved_by="visit",
    service_date=dt.date(2026, 11, 20),
    service_report="更换电源",
    trip=Trip(dt.date(2026, 11, 19), dt.date(2026, 11, 20), "现场维修", "fengtao", "sunhui"),
    customer_signature=Signature("王法官", dt.date(2026, 11, 21)),
    manager_signature="sunhui",
    closed_at=_at("2026-11-21 17:00"),
    archived_on=dt.date(2026, 11, 25),
    expenses=(Expense(12050, "车费", dt.date(2026, 11, 20), "lijun"),),
    repairs=(Repair("电源", "replace", False, 45000, dt.date(2026, 11, 20), "huangqin"),),
    history=(
        Event(_at("2026-11-18 09:30"), "zhangli", None, "new", "reported", {}),
        Event(_at("2026-11-18 10:00"), "zhaolei", "sunhui", "assign", "assigned", {"x": 1}),
        Event(_at("2026-11-19 08:00"), "sunhui", None, "approve-trip", "trip", {"as": "manager"}),
    ),
)


def test_round_trip_is_exact_and_writes_what_users_read():
    data = DOC.to_json()
    assert data["doc_version"] == DOC_VERSION
    assert data["reported_at"] == "2026-11-18 09:30"
    assert data["trip"] == {
        "from": "2026-11-19",
        "to": "2026-11-20",
        "purpose": "现场维修",
        "approved_by_sales": "fengtao",
        "approved_by_manager": "sunhui",
    }
    assert data["customer_signature"] == {"name": "王法官", "date": "2026-11-21"}
    assert data["next"] == {"step": "done", "role": None}
    assert data["expenses"][0]["amount"] == "120.50" and data["expenses_total"] == "120.50"
    assert data["repairs"][0]["quote"] == "450.00"
    assert data["history"][1]["on_behalf_of"] == "sunhui"
    assert TicketDoc.from_json(data) == DOC


def test_the_list_shape_leaves_the_history_out_and_still_reads():
    data = DOC.to_json(history=False)
    assert "history" not in data and data["doc_version"] == DOC_VERSION
    assert TicketDoc.from_json(data) == TicketDoc(**{**vars(DOC), "history": ()})


def test_a_ticket_from_before_the_version_field_reads_with_its_parts_left_out():
    """An unversioned ``ticket show --json`` of an older techdept, just reported."""
    old = {
        "id": "T2026-0002",
        "project": "P2026-001",
        "project_name": "甲院数字法庭",
        "customer": "甲院",
        "status": "reported",
        "channel": "customer",
        "symptom": "投影不亮",
        "contact": "李书记员",
        "phone": "010-1234",
        "reported_at": "2026-11-18 09:30",
        "out_of_warranty": True,
        "warranty_end": None,
        "trip": None,
        "customer_signature": None,
        "next": {"step": "assign", "role": "manager"},
        "expenses_total": "0.00",
    }
    doc = TicketDoc.from_json(old)
    assert doc.reported_at == _at("2026-11-18 09:30") and doc.next.key == "assign"
    assert doc.trip is None and doc.customer_signature is None and doc.engineer is None
    assert doc.expenses == () and doc.repairs == () and doc.history == ()
    assert doc.expenses_total == 0 and doc.open
    assert {k: v for k, v in doc.to_json().items() if k in old} == old


def test_a_newer_version_is_refused():
    with pytest.raises(DocumentTooNew):
        TicketDoc.from_json(DOC.to_json() | {"doc_version": DOC_VERSION + 1})


def test_a_ticket_without_its_report_time_is_refused():
    with pytest.raises(ValueError, match="reported_at"):
        TicketDoc.from_json({k: v for k, v in DOC.to_json().items() if k != "reported_at"})


@pytest.mark.parametrize("kind", ["ticket", "service-report", "trip"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_forms_read_the_document_and_its_json_alike(kind, lang):
    assert ticket_context(DOC, kind, lang) == ticket_context(DOC.to_json(), kind, lang)


def test_the_forms_sign_with_who_took_each_step():
    ticket = ticket_context(DOC, "ticket", "zh")
    registrar, manager = ticket.signatures
    assert "zhangli" in registrar.record and "2026-11-18" in registrar.record
    assert "zhaolei" in manager.record and "sunhui" in manager.record
    assert ticket.history[0][0] == local_text(DOC.history[0].at) == "2026-11-18 09:30"
    trip = ticket_context(DOC, "trip", "zh")
    applicant, sales, approver = trip.signatures
    assert applicant.record == "" and sales.record == ""  # no trip step, no sales approval
    assert "sunhui" in approver.record and "2026-11-19" in approver.record
    assert any("¥120.50" in f.value for pair in trip.pairs for f in pair if f)
