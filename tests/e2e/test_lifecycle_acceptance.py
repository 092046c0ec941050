"""The acceptance sequence and the company's internal acceptance: the facts the implementation
assessment takes (days late computed from the recorded dates; E1's internal_acceptance = 8)."""

from decimal import Decimal

import pytest
from _lifecycle import add_department, hold_training

from techdept.ledger import location
from techdept.ledger.engine import Ledger
from techdept.rules import internal_acceptance_points, load_policy
from techdept.services.lifecycle import internal_acceptance_passed, recorded_internal_acceptance


@pytest.fixture
def project(td):
    add_department(td)
    return td(
        "project",
        "new",
        "临江县人民法院科技法庭",
        "--customer",
        "临江县人民法院",
        "--contract",
        "1,200,000.00",
        "--complexity",
        "technical",
        "--risk",
        "medium",
        "--sales",
        "qianli",
        "--stage",
        "implementation.acceptance",
        "--json",
    ).json()["code"]


def facts(code):
    url, path = location.resolve(None)
    ledger = Ledger.open(url, path)
    try:
        with ledger.read() as session:
            return recorded_internal_acceptance(session, code), internal_acceptance_passed(
                session, code
            )
    finally:
        ledger.dispose()


def accept(td, code, event, date, *more, **kw):
    return td(
        "--as", "wangjg", "project", "accept", code, "--event", event, "--date", date, *more, **kw
    )


def test_e1_internal_acceptance_comes_out_of_the_dates(td, project):
    for event, date in [
        ("initial", "2026-08-03"),
        ("trial-run", "2026-08-10"),
        ("final", "2026-09-01"),
        ("handover", "2026-09-03"),
    ]:
        accept(td, project, event, date)
    assert facts(project) == (None, False)
    doc = accept(
        td,
        project,
        "internal",
        "2026-09-12",
        "--passed",
        "--deducted",
        "0",
        "--submitted",
        "2026-09-10",
        "--json",
    ).json()
    assert doc["due"] == "2026-09-08"
    assert doc["days_late"] == 2
    assert (doc["passed"], doc["deducted"]) == (True, "0")
    (deducted, late), passed = facts(project)
    assert (deducted, late, passed) == (Decimal(0), 2, True)
    assert str(internal_acceptance_points(deducted, late, load_policy()).value) == "8"
    human = td("project", "acceptance", project).stdout
    assert "Company internal acceptance" in human and "2026-09-08" in human


def before_final(td, code):
    accept(td, code, "initial", "2026-08-03")
    accept(td, code, "trial-run", "2026-08-10")


def test_a_failed_internal_acceptance_and_the_retry(td, project):
    before_final(td, project)
    accept(td, project, "final", "2026-09-01")
    accept(
        td,
        project,
        "internal",
        "2026-09-05",
        "--failed",
        "--deducted",
        "3.5",
        "--submitted",
        "2026-09-04",
    )
    (deducted, late), passed = facts(project)
    assert (deducted, late, passed) == (Decimal("3.5"), 0, False)
    accept(
        td,
        project,
        "internal",
        "2026-09-20",
        "--passed",
        "--deducted",
        "1",
        "--submitted",
        "2026-09-18",
    )
    (deducted, late), passed = facts(project)
    assert (deducted, late, passed) == (Decimal(1), 10, True)
    history = td("project", "acceptance", project, "--json").json()
    assert [(h["event"], h["passed"]) for h in history] == [
        ("initial", None),
        ("trial-run", None),
        ("final", None),
        ("internal", False),
        ("internal", True),
    ]


@pytest.mark.parametrize(
    "args, message",
    [
        (
            ["internal", "2026-09-12", "--passed", "--submitted", "2026-09-10"],
            "record the customer's final acceptance",
        ),
        (["final", "2026-12-01"], "--date: 2026-12-01 is after today"),
        (["final", "2026-09-01", "--deducted", "2"], "belong to the internal acceptance"),
        (["fianl", "2026-09-01"], "--event: 'fianl' is not allowed"),
        (["final", "2026-13-01"], "not a date"),
    ],
)
def test_refusals(td, project, args, message):
    accept(td, project, *args, expect=1, stderr=message)
    assert td("project", "acceptance", project, "--json").json() == []


def test_internal_acceptance_facts_need_what_they_need(td, project):
    before_final(td, project)
    accept(td, project, "final", "2026-09-01")
    base = ["internal", "2026-09-12"]
    accept(td, project, *base, "--submitted", "2026-09-10", expect=1, stderr="--passed or --failed")
    accept(td, project, *base, "--passed", expect=1, stderr="--submitted DATE")
    accept(
        td,
        project,
        *base,
        "--passed",
        "--submitted",
        "2026-09-13",
        expect=1,
        stderr="after the internal acceptance date",
    )
    accept(
        td,
        project,
        *base,
        "--passed",
        "--submitted",
        "2026-09-10",
        "--deducted",
        "1.25",
        expect=1,
        stderr="at most one decimal",
    )
    td(
        "--as",
        "zhaolei",
        "project",
        "accept",
        project,
        "--event",
        "internal",
        "--date",
        "2026-09-12",
        "--passed",
        "--submitted",
        "2026-09-10",
        expect=1,
        stderr="technical director",
    )
    accept(
        td,
        project,
        "internal",
        "2026-08-30",
        "--passed",
        "--submitted",
        "2026-08-30",
        expect=1,
        stderr="out of order",
    )


def test_sequence_is_ordered(td, project):
    accept(td, project, "initial", "2026-08-03")
    accept(
        td,
        project,
        "trial-run",
        "2026-08-01",
        expect=1,
        stderr="trial-run on 2026-08-01 is out of order: initial is recorded on 2026-08-03",
    )


def test_too_early_and_the_gate_out_of_acceptance(td, project):
    early = td("project", "new", "早期项目", "--customer", "某院", "--json").json()["code"]
    accept(td, early, "final", "2026-09-01", expect=1, stderr="acceptance events are recorded")
    for doc in [
        "self-inspection",
        "test-plan",
        "test-report",
        "initial-acceptance-report",
        "trial-run-report",
        "final-acceptance-report",
        "customer-evaluation",
        "acceptance-archive",
    ]:
        td("project", "deliver", project, doc)
    hold_training(td, project)
    result = td("project", "advance", project, expect=1)
    for name in ("Initial acceptance", "Trial run", "Final acceptance", "Hand-over of equipment"):
        assert name in result.stderr
    accept(td, project, "initial", "2026-08-03")
    accept(td, project, "trial-run", "2026-08-10")
    accept(td, project, "final", "2026-09-01")
    accept(td, project, "handover", "2026-09-03")
    td(
        "project",
        "advance",
        project,
        "--service-start",
        "2026-13-01",
        expect=1,
        stderr="not a date",
    )
    doc = td(
        "project",
        "advance",
        project,
        "--service-start",
        "2026-10-01",
        "--service-months",
        "36",
        "--json",
    ).json()
    assert (doc["to"], doc["service_start"], doc["service_months"]) == (
        "aftersales.handover",
        "2026-10-01",
        36,
    )


def test_service_period_only_when_entering_after_sales(td):
    add_department(td)
    code = td("project", "new", "某项目", "--customer", "某院", "--json").json()["code"]
    td(
        "project",
        "advance",
        code,
        "--service-months",
        "12",
        expect=1,
        stderr="when the project enters aftersales.handover",
    )


def test_adopted_after_acceptance_has_no_records_of_it(td):
    """Entered at aftersales.handover: nothing recorded, so the assessment takes its facts
    from the command line (--ia-deducted/--ia-late-days)."""
    add_department(td)
    code = td(
        "project",
        "new",
        "北岸",
        "--customer",
        "北岸院",
        "--contract",
        "1200000",
        "--stage",
        "aftersales.handover",
        "--json",
    ).json()["code"]
    assert facts(code) == (None, False)
