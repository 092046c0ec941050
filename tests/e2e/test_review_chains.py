"""Review chains: the acceptance applications and the trial-run report are events in their
place (initial → trial run → final; one final; dates never go backwards), and one person
cannot take two steps of the same deliverable's review chain."""

import pytest

from tests.e2e._lifecycle import add_department

P = "P2026-060"


@pytest.fixture
def project(td):
    add_department(td)
    td(
        "project", "new", "临江县人民法院科技法庭", "--customer", "临江县人民法院", "--code", P,
        "--contract", "1200000", "--sales", "qianli", "--stage", "implementation.acceptance",
    )  # fmt: skip
    return P


def accept(td, event, date, **kw):
    return td("--as", "zhaolei", "project", "accept", P, "--event", event, "--date", date, **kw)


def events(td):
    return [(e["event"], e["date"]) for e in td("project", "acceptance", P, "--json").json()]


def test_the_whole_sequence_in_its_place(td, project):
    sequence = [
        ("initial-application", "2026-07-28"),
        ("initial", "2026-08-03"),
        ("trial-run", "2026-08-10"),
        ("trial-run-report", "2026-08-31"),
        ("final-application", "2026-08-31"),
        ("final", "2026-09-01"),
        ("handover", "2026-09-03"),
    ]
    for event, date in sequence:
        accept(td, event, date)
    assert events(td) == sequence
    zh = td("--lang", "zh", "project", "acceptance", P).stdout
    for name in ("初验报审", "试运行报告", "终验报审"):
        assert name in zh


def test_applications_are_not_gates(td, project):
    for event, date in [("initial", "2026-08-03"), ("trial-run", "2026-08-10")]:
        accept(td, event, date)
    accept(td, "final", "2026-09-01")  # without the paper applications recorded


@pytest.mark.parametrize(
    "before, event, date, message",
    [
        ([], "trial-run", "2026-08-10", "record initial of P2026-060 before trial-run"),
        ([], "final", "2026-09-01", "record initial of P2026-060 before final"),
        ([("initial", "2026-08-03")], "final", "2026-09-01", "record trial-run"),
        ([("initial", "2026-08-03")], "trial-run-report", "2026-08-20", "record trial-run"),
        ([("initial", "2026-08-03")], "final-application", "2026-08-20", "record trial-run"),
        (
            [("initial", "2026-08-03"), ("trial-run", "2026-08-10")],
            "handover",
            "2026-09-03",
            "record final",
        ),
        # dates never go backwards along the order
        ([("initial", "2026-08-03")], "trial-run", "2026-08-01", "out of order"),
        ([("initial", "2026-08-03")], "initial-application", "2026-08-05", "out of order"),
        (
            [("initial", "2026-08-03"), ("trial-run", "2026-08-10")],
            "trial-run-report",
            "2026-08-09",
            "out of order",
        ),
    ],
)
def test_out_of_order_is_refused(td, project, before, event, date, message):
    for e, d in before:
        accept(td, e, d)
    accept(td, event, date, expect=1, stderr=message)
    assert events(td) == before


def test_one_final(td, project):
    for event, date in [
        ("initial", "2026-08-03"),
        ("trial-run", "2026-08-10"),
        ("final", "2026-09-01"),
    ]:
        accept(td, event, date)
    accept(td, "final", "2026-09-02", expect=1, stderr="final of P2026-060 is already recorded")
    accept(td, "initial", "2026-08-04", expect=1, stderr="initial of P2026-060 is already")
    assert len(events(td)) == 3


def test_a_failed_initial_acceptance_is_held_again(td, project):
    td("--as", "zhaolei", "project", "accept", P, "--event", "initial", "--date", "2026-08-03",
       "--failed")  # fmt: skip
    accept(td, "trial-run", "2026-08-10", expect=1, stderr="record initial")
    accept(td, "initial", "2026-08-06")
    accept(td, "trial-run", "2026-08-10")


def test_two_steps_of_one_chain_by_one_person(td):
    add_department(td)
    td("staff", "add", "马总", "--code", "mazong", "--role", "director", "--role", "gm")
    code = "P2026-061"
    td(
        "project", "new", "某院", "--customer", "某院", "--code", code, "--sales", "qianli",
        "--stage", "presales.tracking",
    )  # fmt: skip
    td("--as", "hemin", "project", "deliver", code, "technical-solution")
    td("--as", "mazong", "project", "review", code, "technical-solution", "--approve")
    td("--as", "qianli", "project", "review", code, "technical-solution", "--approve")
    td(
        "--as", "mazong", "project", "review", code, "technical-solution", "--approve",
        expect=1,
        stderr="'mazong' already took the technical director step of this review chain",
    )  # fmt: skip
    doc = td("project", "checklist", code, "--json").json()
    item = next(i for i in doc["stages"][0]["deliverables"] if i["doc"] == "technical-solution")
    assert item["status"] == "pending" and item["waiting_for"] == "gm"
    td("--as", "liuzm", "project", "review", code, "technical-solution", "--approve")
    # a new version starts a new chain: the same person may take one step of it again
    td("--as", "hemin", "project", "deliver", code, "technical-solution")
    td("--as", "mazong", "project", "review", code, "technical-solution", "--approve")


def test_a_project_entered_after_acceptance_records_final_alone(td, project):
    td(
        "project", "new", "北岸市中院", "--customer", "北岸市中院", "--code", "P2026-062",
        "--contract", "1200000", "--stage", "aftersales.handover",
    )  # fmt: skip
    td("project", "accept", "P2026-062", "--event", "final", "--date", "2026-09-01")
    td("project", "accept", "P2026-062", "--event", "final", "--date", "2026-09-02",
       expect=1, stderr="already recorded")  # fmt: skip
