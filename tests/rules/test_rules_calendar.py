"""Quarters, the payout window, payable quarters, and sanctions."""

from __future__ import annotations

import datetime as dt

import pytest

from techdept.rules import (
    QuarterInvalid,
    next_quarter,
    parse_quarter,
    payable_quarter,
    payout_window,
    quarter_bounds,
    quarter_of,
    sanction,
    sanction_effect,
)


@pytest.mark.parametrize(
    "text, quarter", [("2026Q4", "2026Q4"), ("2026q1", "2026Q1"), (" 2026-Q2 ", "2026Q2")]
)
def test_parse_quarter(text, quarter):
    assert parse_quarter(text) == quarter


@pytest.mark.parametrize("text", ["2026Q5", "2026Q0", "26Q1", "2026", "Q1", "", None, 2026])
def test_parse_quarter_refuses(text):
    with pytest.raises(QuarterInvalid):
        parse_quarter(text)


@pytest.mark.parametrize(
    "day, quarter",
    [
        (dt.date(2026, 1, 1), "2026Q1"),
        (dt.date(2026, 3, 31), "2026Q1"),
        (dt.date(2026, 4, 1), "2026Q2"),
        (dt.date(2026, 12, 31), "2026Q4"),
    ],
)
def test_quarter_of(day, quarter):
    assert quarter_of(day) == quarter


@pytest.mark.parametrize(
    "quarter, first, last, following",
    [
        ("2024Q1", dt.date(2024, 1, 1), dt.date(2024, 3, 31), "2024Q2"),
        ("2026Q2", dt.date(2026, 4, 1), dt.date(2026, 6, 30), "2026Q3"),
        ("2026Q4", dt.date(2026, 10, 1), dt.date(2026, 12, 31), "2027Q1"),
    ],
)
def test_quarter_bounds(quarter, first, last, following):
    assert quarter_bounds(quarter) == (first, last)
    assert next_quarter(quarter) == following


@pytest.mark.parametrize(
    "quarter, first, last",
    [
        ("2026Q1", dt.date(2026, 3, 25), dt.date(2026, 3, 31)),
        ("2026Q2", dt.date(2026, 6, 24), dt.date(2026, 6, 30)),
        ("2026Q3", dt.date(2026, 9, 24), dt.date(2026, 9, 30)),
        ("2026Q4", dt.date(2026, 12, 25), dt.date(2026, 12, 31)),
    ],
)
def test_payout_window_is_the_last_seven_days(policy, quarter, first, last):
    assert payout_window(policy, quarter) == (first, last)


@pytest.mark.parametrize(
    "approved, paid, quarter",
    [
        (dt.date(2026, 2, 10), dt.date(2026, 1, 5), "2026Q1"),
        (dt.date(2026, 2, 10), dt.date(2026, 7, 1), "2026Q3"),  # carried until the final payment
        (dt.date(2026, 12, 31), dt.date(2026, 3, 31), "2026Q4"),
    ],
)
def test_payable_quarter(approved, paid, quarter):
    assert payable_quarter(approved, paid) == quarter


@pytest.mark.parametrize(
    "grades, sanctioned",
    [
        ([], False),
        (["D", "D"], False),
        (["D", "D", "D"], True),
        (["D", "E", "D"], True),  # A9: E is worse than D
        (["E", "E", "E"], True),
        (["D", "C", "D", "D"], False),
        (["D", "D", "C"], False),
        (["A", "D", "E", "D"], True),
    ],
)
def test_sanction_after_three_d_or_below(policy, grades, sanctioned):
    history = [(f"ref{i}", g) for i, g in enumerate(grades)]
    expected = tuple(ref for ref, _ in history[-3:]) if sanctioned else None
    for track in ("presales", "implementation", "aftersales"):
        assert sanction(policy, track, history) == expected


def test_sanction_effects(policy):
    assert sanction_effect(policy, "presales") == "suspended_presales"
    assert sanction_effect(policy, "implementation") == "no_project_manager"
    assert sanction_effect(policy, "aftersales") == "suspended_aftersales"
