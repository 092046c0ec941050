"""Policy A14 through the CLI: the slicing mode is fixed on a project when its service period is
set; a later policy change does not move its slices."""

from pathlib import Path

import pytest
from _lifecycle import add_department, aftersales_project

SHIPPED = Path(__file__).resolve().parents[2] / "techdept" / "rules" / "policies" / "v2.0-2014.toml"


@pytest.fixture
def calendar_policy(tmp_path):
    text = SHIPPED.read_text("utf-8").replace('slices = "service"', 'slices = "calendar"')
    path = tmp_path / "calendar.toml"
    path.write_text(text.replace('id = "', 'id = "calendar-', 1), "utf-8")
    return str(path)


def project(td, start, *policy):
    return aftersales_project(td, *policy, start=start)


def quarters(td, code, *policy):
    doc = td(*policy, "project", "show", code, "--json").json()
    return doc["aftersales_slices"], [(s["quarter"], s["amount"]) for s in doc["slices"]]


def test_2026_03_20_pays_in_q2_q3_q4_and_2027q1(td, calendar_policy):
    add_department(td)
    code = project(td, "2026-03-20")
    mode, slices = quarters(td, code)
    assert mode == "service"
    assert slices == [
        ("2026Q2", "2500.00"),
        ("2026Q3", "2500.00"),
        ("2026Q4", "2500.00"),
        ("2027Q1", "2500.00"),
    ]
    # a later policy that says "calendar" does not move this project's slices
    assert quarters(td, code, "--policy", calendar_policy) == (mode, slices)
    td(
        "--as",
        "wangjg",
        "team",
        code,
        "--track",
        "aftersales",
        "--lead",
        "sunhui",
        "--engineer",
        "lijun",
    )
    td(
        "assess",
        "open",
        code,
        "--track",
        "aftersales",
        "--quarter",
        "2026Q1",
        expect=1,
        stderr="2026Q1",
    )
    doc = td(
        "assess",
        "open",
        code,
        "--track",
        "aftersales",
        "--quarter",
        "2026Q2",
        "--budget",
        "10000",
        "--actual-cost",
        "10000",
        "--json",
    ).json()
    assert doc["facts"]["slice"] == "2500.00"


def test_set_under_a_calendar_policy_stays_calendar(td, calendar_policy):
    add_department(td)
    code = project(td, "2026-03-20", "--policy", calendar_policy)
    mode, slices = quarters(td, code)
    assert mode == "calendar"
    assert [q for q, _ in slices] == ["2026Q1", "2026Q2", "2026Q3", "2026Q4"]


def test_2026_01_01_gives_todays_slices(td, calendar_policy):
    add_department(td)
    code = project(td, "2026-01-01")
    other = project(td, "2026-01-01", "--policy", calendar_policy)
    assert quarters(td, code)[1] == quarters(td, other)[1]
    assert [q for q, _ in quarters(td, code)[1]] == ["2026Q1", "2026Q2", "2026Q3", "2026Q4"]
