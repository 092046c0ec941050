"""Fault tickets 故障单 both ways (phone; on site with a trip approved by both, visit, both
signatures, archive, expense), and the refusals that guard each step."""

import pytest
from _lifecycle import ticket
from _meeting import add_department, suspended_aftersales
from _tickets import after_sales_project, new_ticket, report
from sqlmodel import select

from techdept.ledger import location
from techdept.ledger.engine import Ledger
from techdept.ledger.models import AuditEntry

project = after_sales_project  # the fixture


def audit_actions(key):
    url, path = location.resolve(None)
    ledger = Ledger.open(url, path)
    try:
        with ledger.read() as session:
            rows = session.exec(select(AuditEntry).where(AuditEntry.entity_key == key))
            return [(r.action, r.actor, r.on_behalf_of) for r in rows]
    finally:
        ledger.dispose()


def refused(td, who, *args, stderr):
    """A ticket step ``who`` may not take now: exit 1, the reason in ``stderr``."""
    return ticket(td, who, *args, expect=1, stderr=stderr)


TRIP = ("--from", "2026-11-21", "--to", "2026-11-22", "--purpose")


def test_phone_path(td, project):
    doc = new_ticket(td, project, "2026-11-20 08:30", "--channel", "hotline")
    tid = doc["id"]
    assert tid == "T2026-0001"
    assert doc["status"] == "reported" and doc["channel"] == "hotline"
    ticket(td, "sunhui", "assign", tid, "--engineer", "lijun", "--at", "2026-11-20 09:15")
    done = ticket(
        td,
        "lijun",
        "call",
        tid,
        "--solved",
        "--note",
        "指导重启录音服务后恢复",
        "--at",
        "2026-11-20 10:00",
        "--json",
    ).json()
    assert done["status"] == "closed" and done["solved_by"] == "phone"
    assert done["service_date"] == "2026-11-20"
    assert done["service_report"] == "指导重启录音服务后恢复"
    ticket(td, "sunhui", "archive", tid, "--date", "2026-11-23")
    shown = td("ticket", "show", tid, "--json").json()
    for key in (
        "id",
        "project",
        "status",
        "channel",
        "engineer",
        "reported_at",
        "assigned_at",
        "solved_by",
        "service_date",
        "archived_on",
        "history",
    ):
        assert key in shown
    assert shown["status"] == "archived" and shown["archived_on"] == "2026-11-23"
    assert shown["reported_at"] == "2026-11-20 08:30"
    assert shown["assigned_at"] == "2026-11-20 09:15"
    assert [(h["action"], h["status"], h["actor"]) for h in shown["history"]] == [
        ("new", "reported", "qianli"),
        ("assign", "assigned", "sunhui"),
        ("call", "closed", "lijun"),
        ("archive", "archived", "sunhui"),
    ]
    # a phone ticket has no manager's signature: no trip expense against it
    expense = ("expense", tid, "--amount", "100", "--note", "话费")
    refused(td, "lijun", *expense, stderr="no after-sales manager's signature")
    assert [a for a, _, _ in audit_actions(tid)] == [
        "ticket.new",
        "ticket.assign",
        "ticket.call",
        "ticket.archive",
    ]


def test_on_site_path_and_its_refusals(td, project):
    tid = new_ticket(td, project)["id"]
    # the engineer cannot assign; nor can anybody act before assignment
    refused(td, "lijun", "assign", tid, "--engineer", "lijun", stderr="after-sales manager")
    unsolved = ("call", tid, "--not-solved", "--note", "x")
    refused(td, "lijun", *unsolved, stderr="only the assigned engineer")
    ticket(td, "sunhui", "assign", tid, "--engineer", "lijun", "--at", "2026-11-20 09:00")
    # an engineer other than the assigned one records the call
    message = "only the assigned engineer lijun may call on ticket T2026-0001"
    refused(td, "zhaolei", *unsolved, stderr=message)
    # a trip before the unsolved call
    refused(td, "lijun", "trip", tid, *TRIP, "上门", stderr="ticket T2026-0001 is assigned")
    ticket(td, "lijun", "call", tid, "--not-solved", "--note", "需要上门检查功放")
    ticket(td, "lijun", "trip", tid, *TRIP, "上门更换功放")
    # one approval alone leaves the trip pending
    half = ticket(td, "fengtao", "approve-trip", tid, "--json").json()
    assert half["status"] == "trip-requested"
    assert half["trip"]["approved_by_sales"] == "fengtao"
    assert half["next"]["step"] == "approve-manager"
    refused(td, "fengtao", "approve-trip", tid, stderr="has already approved")
    refused(td, "qianli", "approve-trip", tid, stderr="'qianli' is neither")
    visit = ("visit", tid, "--date", "2026-11-21", "--work-done")
    refused(td, "lijun", *visit, "x", stderr="ticket T2026-0001 is trip requested: cannot visit")
    both = ticket(td, "sunhui", "approve-trip", tid, "--json").json()
    assert both["status"] == "trip-approved"
    ticket(td, "lijun", *visit, "更换第三法庭功放一台，测试录音正常")
    # a manager signature before the customer's
    message = "ticket T2026-0001 is visited: cannot sign as manager; it needs next: "
    refused(
        td, "sunhui", "manager-sign", tid, stderr=message + "the customer signs the service report"
    )
    # an expense before the manager's signature
    ticket(td, "lijun", "customer-sign", tid, "--name", "王法官", "--date", "2026-11-21")
    message = "cannot claim a trip expense; it needs next: the after-sales manager signs"
    refused(td, "lijun", "expense", tid, "--amount", "320", "--note", "往返车费", stderr=message)
    ticket(td, "sunhui", "manager-sign", tid, "--at", "2026-11-21 18:00")
    ticket(td, "lijun", "expense", tid, "--amount", "320.50", "--note", "往返车费")
    ticket(td, "sunhui", "archive", tid, "--date", "2026-11-24")
    shown = td("ticket", "show", tid, "--json").json()
    assert shown["status"] == "archived"
    assert shown["solved_by"] == "site" and shown["service_date"] == "2026-11-21"
    assert shown["customer_signature"] == {"name": "王法官", "date": "2026-11-21"}
    assert shown["manager_signature"] == "sunhui"
    assert shown["closed_at"] == "2026-11-21 18:00"
    assert shown["expenses_total"] == "320.50"
    assert [h["action"] for h in shown["history"]] == [
        "new",
        "assign",
        "call",
        "trip",
        "approve-trip",
        "approve-trip",
        "visit",
        "customer-sign",
        "manager-sign",
        "expense",
        "archive",
    ]
    assert [h["status"] for h in shown["history"]][3:7] == [
        "trip-requested",
        "trip-requested",
        "trip-approved",
        "visited",
    ]
    # the record is language-independent: the same history under zh
    zh = td("--lang", "zh", "ticket", "show", tid)
    assert "已归档" in zh.stdout and "经理签字" in zh.stdout
    assert td("ticket", "list", "--open", "--json").json() == []
    listed = td("ticket", "list", "--engineer", "lijun", "--quarter", "2026Q4", "--csv")
    assert listed.stdout.splitlines()[1].startswith("T2026-0001,")


def test_b_acts_for_a_while_away(td, project):
    tid = new_ticket(td, project)["id"]
    assign = ("assign", tid, "--engineer", "lijun")
    refused(td, "zhaolei", *assign, stderr="only while they are recorded away")
    td("--as", "wangjg", "staff", "away", "sunhui", "--from", "2026-11-26", "--to", "2026-11-30")
    ticket(td, "zhaolei", *assign)
    assert ("ticket.assign", "zhaolei", "sunhui") in audit_actions(tid)


def test_outside_the_service_period(td, project):
    report(
        td,
        project,
        "--reported-at",
        "2026-09-30 10:00",
        expect=1,
        stderr="service period runs from 2026-10-01 to 2027-09-30; 2026-09-30 is outside it",
    )
    doc = new_ticket(td, project, "2026-09-30 10:00", "--out-of-warranty")
    assert doc["out_of_warranty"] is True
    # inside the period the flag is refused
    report(td, project, "--out-of-warranty", expect=1, stderr="inside its service period")


@pytest.mark.parametrize(
    "args, message",
    [
        (["--reported-at", "2026-11-20"], "is not a time 'YYYY-MM-DD HH:MM'"),
        (["--reported-at", "2026-11-28 09:00"], "is later than now"),
        (["--channel", "fax"], "choose one of: customer, sales, hotline"),
    ],
)
def test_bad_values_change_nothing(td, project, args, message):
    report(td, project, *args, expect=1, stderr=message)
    assert td("ticket", "list", "--json").json() == []


def test_staff_only_and_after_sales_only(td, project):
    report(td, project, who=None, expect=1, stderr="needs a member of the staff")
    other = td("project", "new", "西港", "--customer", "西港法院", "--json").json()["code"]
    report(td, other, expect=1, stderr="tickets are for projects in after-sales")
    td("ticket", "show", "T2026-0099", expect=1, stderr="there is no ticket T2026-0099")


def test_an_engineer_suspended_from_after_sales_is_not_assigned(td):
    """Three after-sales quarters graded D suspend the team (policy §5): such an engineer is
    refused a ticket, naming the assessments; another engineer may take it."""
    add_department(td)
    code = suspended_aftersales(td)
    tid = new_ticket(td, code)["id"]
    message = "Suspended from after-sales work"
    result = refused(td, "sunhui", "assign", tid, "--engineer", "lijun", stderr=message)
    assert f"{code} aftersales 2026Q1" in result.stderr
    ticket(td, "sunhui", "assign", tid, "--engineer", "wuhao")
