"""The weekly pre-sales tracking sheet: every pre-sales project, its stage, days in stage, the
next deliverable and who owes it — as the week ended."""

import csv
import io

import pytest
from _lifecycle import add_department


@pytest.fixture
def department(td, monkeypatch):
    add_department(td)
    monkeypatch.setenv("TECHDEPT_TODAY", "2026-11-02")
    first = td(
        "project", "new", "甲院数字法庭", "--customer", "甲院", "--sales", "qianli", "--json"
    ).json()["code"]
    td(
        "project",
        "new",
        "乙院审讯室",
        "--customer",
        "乙院",
        "--contract",
        "800000",
        "--stage",
        "implementation.preparation",
    )
    lost = td("project", "new", "丙院", "--customer", "丙院", "--json").json()["code"]
    td("project", "advance", lost, "--to", "lost", "--reason", "预算取消")
    monkeypatch.setenv("TECHDEPT_TODAY", "2026-11-10")
    td("--as", "hemin", "project", "deliver", first, "requirements")
    td("--as", "hemin", "project", "deliver", first, "site-survey")
    td("project", "advance", first)
    td("--as", "hemin", "project", "deliver", first, "presentation-record")
    monkeypatch.setenv("TECHDEPT_TODAY", "2026-11-16")
    late = td(
        "project",
        "new",
        "丁院",
        "--customer",
        "丁院",
        "--sales",
        "fengtao",
        "--stage",
        "presales.tracking",
        "--json",
    ).json()["code"]
    td("--as", "hemin", "project", "deliver", late, "technical-solution")
    td("--as", "wangjg", "project", "review", late, "technical-solution", "--approve")
    monkeypatch.setenv("TECHDEPT_TODAY", "2026-11-27")
    return first, late


def test_this_week(td, department):
    first, late = department
    doc = td("report", "tracking", "--json").json()
    assert (doc["week"], doc["first_day"], doc["last_day"], doc["as_of"]) == (
        "2026-W48",
        "2026-11-23",
        "2026-11-29",
        "2026-11-27",
    )
    rows = {p["code"]: p for p in doc["projects"]}
    assert sorted(rows) == [first, late]  # not the implementation project, not the lost one
    assert rows[first] | {} == {
        "code": first,
        "name": "甲院数字法庭",
        "customer": "甲院",
        "stage": "presales.consultation",
        "since": "2026-11-10",
        "days_in_stage": 17,
        "next": {
            "kind": "deliverable",
            "doc": "configuration-list",
            "status": "missing",
            "owner": "presales-engineer",
        },
        "sales": "qianli",
        "sales_name": "钱丽",
    }
    assert rows[late]["next"] == {
        "kind": "review",
        "doc": "technical-solution",
        "status": "pending",
        "owner": "sales",
    }
    human = td("report", "tracking").stdout
    assert "review: Technical solution" in human and "冯涛" in human
    assert "file: Configuration list" in human and "pre-sales engineer" in human


def test_an_earlier_week_as_it_stood(td, department):
    first, _late = department
    doc = td("report", "tracking", "--week", "2026-W45", "--json").json()
    assert doc["as_of"] == "2026-11-08"
    (row,) = doc["projects"]
    assert (row["code"], row["stage"], row["since"], row["days_in_stage"]) == (
        first,
        "presales.contact",
        "2026-11-02",
        6,
    )
    assert row["next"]["doc"] == "requirements"


def test_csv_and_refusals(td, department):
    out = td("report", "tracking", "--csv").stdout
    rows = list(csv.DictReader(io.StringIO(out.lstrip("\ufeff"))))
    assert [r["stage"] for r in rows] == ["presales.consultation", "presales.tracking"]
    assert rows[0]["next"] == "configuration-list" and rows[0]["days"] == "17"
    td("report", "tracking", "--week", "2026-W49", expect=1, stderr="has not begun yet")
    td("report", "tracking", "--week", "48", expect=1, stderr="not an ISO week")
    zh = td("--lang", "zh", "report", "tracking").stdout
    assert "售前项目跟踪表" in zh and "提交：配单" in zh
