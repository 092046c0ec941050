"""Payments from customers and the after-sales slices of a service period."""

import pytest
from _meeting import record_payment


@pytest.fixture
def project(td):
    td("staff", "add", "黄琴", "--code", "huangqin", "--role", "finance")
    td(
        "project",
        "new",
        "数字法庭",
        "--customer",
        "某法院",
        "--contract",
        "1000",
        "--signed",
        "2026-01-10",
        "--stage",
        "aftersales.handover",
    )
    return "P2026-001"


def test_record_list_void(td, project):
    record_payment(td, project, kind="progress", amount="600", on="2026-02-01")
    final = td(
        "--as",
        "huangqin",
        "payment",
        project,
        "--kind",
        "final",
        "--amount",
        "300.50",
        "--date",
        "2026-03-01",
        "--json",
    ).json()
    assert (final["kind"], final["amount"], final["date"]) == ("final", "300.50", "2026-03-01")
    td("--as", "huangqin", "payment", "void", str(final["id"]), "--reason", "录错金额")
    record_payment(td, project, amount="400", on="2026-03-02")
    listed = td("--as", "huangqin", "payment", "list", project, "--json").json()
    assert [(p["kind"], p["amount"], p["voided"]) for p in listed] == [
        ("progress", "600.00", False),
        ("final", "300.50", True),
        ("final", "400.00", False),
    ]
    assert listed[1]["void_reason"] == "录错金额"
    csv = td("--as", "huangqin", "payment", "list", project, "--csv").stdout.splitlines()
    assert csv[0] == "\ufeffid,kind,amount,date,recorded_by,voided"
    assert csv[2].startswith("2,final,300.50,2026-03-01,")


@pytest.mark.parametrize(
    "args, message",
    [
        (["--kind", "final", "--amount", "10", "--date", "2026-01-09"], "before the contract"),
        (
            ["--kind", "progress", "--amount", "1000.01", "--date", "2026-02-01"],
            "would exceed the contract ¥1,000.00",
        ),
        (["--kind", "progress", "--amount", "10", "--date", "2026-11-28"], "after today"),
        (["--kind", "bonus", "--amount", "10", "--date", "2026-02-01"], "--kind: 'bonus'"),
        (["--kind", "progress", "--amount", "0", "--date", "2026-02-01"], "more than 0"),
        (["--kind", "progress", "--amount", "1e3", "--date", "2026-02-01"], "--amount"),
    ],
)
def test_refusals(td, project, args, message):
    td("--as", "huangqin", "payment", project, *args, expect=1, stderr=message)
    assert td("--as", "huangqin", "payment", "list", project, "--json").json() == []


def test_second_final_refused_until_void(td, project):
    first = td(
        "--as",
        "huangqin",
        "payment",
        project,
        "--kind",
        "final",
        "--amount",
        "10",
        "--date",
        "2026-02-01",
        "--json",
    ).json()
    td(
        "--as",
        "huangqin",
        "payment",
        project,
        "--kind",
        "final",
        "--amount",
        "10",
        "--date",
        "2026-02-02",
        expect=1,
        stderr=f"payment void {first['id']}",
    )
    td("--as", "huangqin", "payment", "void", str(first["id"]), "--reason", "wrong", "--json")
    td(
        "--as",
        "huangqin",
        "payment",
        "void",
        str(first["id"]),
        "--reason",
        "again",
        expect=1,
        stderr="void already",
    )
    record_payment(td, project, amount="10", on="2026-02-02")


def test_final_needs_signed_contract(td):
    td("staff", "add", "黄琴", "--code", "huangqin", "--role", "finance")
    td(
        "project",
        "new",
        "甲",
        "--customer",
        "乙",
        "--contract",
        "100",
        "--stage",
        "implementation.preparation",
    )
    td(
        "--as",
        "huangqin",
        "payment",
        "P2026-001",
        "--kind",
        "final",
        "--amount",
        "10",
        "--date",
        "2026-02-01",
        expect=1,
        stderr="signed: —",
    )


def test_payment_refusals_in_chinese(td, project, monkeypatch):
    monkeypatch.setenv("TECHDEPT_LANG", "zh")
    td(
        "--as",
        "huangqin",
        "payment",
        project,
        "--kind",
        "progress",
        "--amount",
        "2000",
        "--date",
        "2026-02-01",
        expect=1,
        stderr="回款将超过合同金额 ¥1,000.00",
    )


def test_e4_slices_in_project_show(td):
    td(
        "project",
        "new",
        "运维项目",
        "--customer",
        "某院",
        "--contract",
        "2,000,000.00",
        "--stage",
        "aftersales.handover",
    )
    td("project", "set", "P2026-001", "--service-start", "2026-10-01", "--service-months", "36")
    slices = td("project", "show", "P2026-001", "--json").json()["slices"]
    assert [s["amount"] for s in slices] == ["833.33"] * 11 + ["833.37"]
    assert (slices[0]["quarter"], slices[-1]["quarter"]) == ("2026Q4", "2029Q3")
    assert "2029Q3" in td("project", "show", "P2026-001").stdout
