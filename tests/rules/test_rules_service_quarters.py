"""Policy A14: service quarters counted from the start of the service period; each slice is
assessed in the calendar quarter its service quarter ends in; periods starting on a quarter's
first day give A6's slices."""

import datetime as dt

import pytest

from techdept.rules import aftersales_slices
from techdept.rules.bonus import service_quarters

CONTRACT = 200_000_000  # fen: 2,000,000.00 → after-sales total 10,000.00


def slices(policy, start, months, mode):
    result = aftersales_slices(policy, CONTRACT, dt.date.fromisoformat(start), months, mode)
    return [(s.quarter, s.amount) for s in result.value]


def test_the_shipped_policy_says_service(policy):
    assert policy.aftersales_slices == "service"


def test_service_quarters_from_2026_03_20(policy):
    assert service_quarters(policy, dt.date(2026, 3, 20), 12) == (
        (dt.date(2026, 3, 20), dt.date(2026, 6, 19)),
        (dt.date(2026, 6, 20), dt.date(2026, 9, 19)),
        (dt.date(2026, 9, 20), dt.date(2026, 12, 19)),
        (dt.date(2026, 12, 20), dt.date(2027, 3, 19)),
    )
    assert slices(policy, "2026-03-20", 12, "service") == [
        ("2026Q2", 250000),
        ("2026Q3", 250000),
        ("2026Q4", 250000),
        ("2027Q1", 250000),
    ]
    # the calendar reading (A6) starts in the quarter the period starts
    assert [q for q, _ in slices(policy, "2026-03-20", 12, "calendar")] == [
        "2026Q1",
        "2026Q2",
        "2026Q3",
        "2026Q4",
    ]


@pytest.mark.parametrize("start", ["2026-01-01", "2026-04-01", "2026-10-01"])
@pytest.mark.parametrize("months", [1, 3, 12, 13, 36])
def test_a_quarter_start_gives_the_same_slices(policy, start, months):
    assert slices(policy, start, months, "service") == slices(policy, start, months, "calendar")


def test_two_service_quarters_ending_in_one_calendar_quarter_are_summed(policy):
    # 2026-02-15 for 4 months: 02-15…05-14 (Q2) and a short 05-15…06-14 (Q2)
    assert slices(policy, "2026-02-15", 4, "service") == [("2026Q2", 1_000_000)]


def test_day_clipped_to_the_months_last_day(policy):
    quarters = service_quarters(policy, dt.date(2026, 11, 30), 6)
    assert quarters == (
        (dt.date(2026, 11, 30), dt.date(2027, 2, 27)),
        (dt.date(2027, 2, 28), dt.date(2027, 5, 29)),
    )


def test_e4_amounts_stay(policy):
    amounts = [a for _, a in slices(policy, "2026-03-20", 36, "service")]
    assert amounts == [83333] * 11 + [83337]
