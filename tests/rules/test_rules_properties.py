"""Properties that hold for every input, not just the worked examples."""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal as D
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from techdept.rules import (
    aftersales_slices,
    allocate_largest_remainder,
    composite,
    cost_points,
    grade,
    load_policy,
    quarter_of,
    reserved_bonus,
    schedule_points,
    split,
)

POLICY = load_policy()
GRADE_ORDER = {"E": 0, "D": 1, "C": 2, "B": 3, "A": 4}

fen = st.integers(min_value=0, max_value=10**11)
lead_share = st.integers(min_value=3000, max_value=6000).map(lambda n: D(n).scaleb(-2))
weight = st.integers(min_value=1, max_value=10_000).map(lambda n: D(n).scaleb(-1))
one_decimal = st.integers(min_value=0, max_value=1000).map(lambda n: D(n).scaleb(-1))


@given(final=fen, share=lead_share, weights=st.lists(weight, min_size=1, max_size=8))
def test_split_sums_exactly_and_stays_within_a_fen(final, share, weights):
    engineers = [(f"e{i}", w) for i, w in enumerate(weights)]
    allocations = split(POLICY, final, "lead", share, engineers).value
    assert sum(a.amount for a in allocations) == final
    total_weight = sum(Fraction(w) for w in weights)
    exact = [Fraction(final) * Fraction(share) / 100] + [
        Fraction(final) * (100 - Fraction(share)) / 100 * Fraction(w) / total_weight
        for w in weights
    ]
    for a, e in zip(allocations, exact, strict=True):
        assert abs(a.amount - e) < 1


@given(final=fen, share=lead_share)
def test_split_without_engineers_rounds_the_lead_share(final, share):
    (lead,) = split(POLICY, final, "lead", share).value
    exact = Fraction(final) * Fraction(share) / 100
    assert abs(lead.amount - exact) <= Fraction(1, 2)
    assert lead.amount <= final


@given(
    total=fen, weights=st.lists(st.integers(min_value=0, max_value=10**6), min_size=1, max_size=10)
)
def test_largest_remainder_sums_and_stays_within_a_fen(total, weights):
    if sum(weights) == 0:
        weights = [1] * len(weights)
    shares = [Fraction(total * w, sum(weights)) for w in weights]
    parts = allocate_largest_remainder(total, shares)
    assert sum(parts) == total
    assert all(abs(p - s) < 1 for p, s in zip(parts, shares, strict=True))


@given(planned=st.integers(1, 2000), actual=st.integers(0, 6000))
def test_rule_s_bounds_and_never_rises_with_actual_days(planned, actual):
    points = schedule_points(planned, actual, POLICY).value
    later = schedule_points(planned, actual + 1, POLICY).value
    assert 0 <= later <= points <= 40
    # the table: 30 ± one point per full 10 %
    pct = Fraction(abs(planned - actual) * 100, planned)
    expected = 30 + math.floor(pct / 10) * (1 if actual < planned else -1)
    assert points == max(0, min(40, expected))


def _rule_c_oracle(d: Fraction) -> int:
    if abs(d) < 5:
        return 20
    if d < 0:
        return max(0, 19 if -d <= 20 else 19 - math.ceil((-d - 20) / 10))
    return max(0, 18 if d <= 20 else 18 - 2 * math.ceil((d - 20) / 10))


@given(budget=st.integers(1, 10**10), delta_ppm=st.integers(0, 10**6))
def test_rule_c_bounds_and_saving_beats_overspend(budget, delta_ppm):
    delta = budget * delta_ppm // 10**6
    saving = cost_points(budget, budget - delta, POLICY).value
    overspend = cost_points(budget, budget + delta, POLICY).value
    assert 0 <= overspend <= saving <= 20
    assert saving == _rule_c_oracle(Fraction(-delta * 100, budget))
    assert overspend == _rule_c_oracle(Fraction(delta * 100, budget))
    if delta * 100 < 5 * budget:
        assert saving == overspend == 20
    else:
        assert saving > overspend or saving == overspend == 0


@given(totals=st.lists(one_decimal, min_size=3, max_size=3))
def test_composite_between_lowest_and_highest(totals):
    value = composite(
        POLICY, "implementation", dict(zip(("self", "sales", "superior"), totals, strict=True))
    ).value
    assert min(totals) <= value <= max(totals)
    assert value == value.quantize(D("0.01"))


@given(a=st.integers(0, 10000), b=st.integers(0, 10000))
def test_grade_never_falls_as_the_composite_rises(a, b):
    low, high = sorted((D(a).scaleb(-2), D(b).scaleb(-2)))
    (g1, s1), (g2, s2) = grade(POLICY, low).value, grade(POLICY, high).value
    assert GRADE_ORDER[g1] <= GRADE_ORDER[g2]
    assert s1 <= s2


@settings(max_examples=settings.default.max_examples * 2)  # 200; more when thorough
@given(
    contract=fen,
    months=st.integers(1, 120),
    start=st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2090, 12, 31)),
)
def test_slices_sum_to_the_total(contract, months, start):
    total = reserved_bonus(POLICY, "aftersales", contract).value
    slices = aftersales_slices(POLICY, contract, start, months, "calendar").value
    assert len(slices) == math.ceil(months / 3)
    assert sum(s.amount for s in slices) == total
    assert slices[0].quarter == quarter_of(start)
    quarters = [s.quarter for s in slices]
    assert quarters == sorted(set(quarters))
    each = slices[0].amount
    assert all(s.amount == each for s in slices[:-1])
    assert abs(each - Fraction(total, len(slices))) <= Fraction(1, 2)


@settings(max_examples=settings.default.max_examples * 2)  # 200; more when thorough
@given(
    contract=fen,
    months=st.integers(1, 120),
    start=st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2090, 12, 31)),
)
def test_service_quarter_slices_sum_to_the_total(contract, months, start):
    """A14: the same slices as A6, each assessed in the quarter its service quarter ends in;
    two ending in one quarter are summed, so nothing is lost or paid twice."""
    total = reserved_bonus(POLICY, "aftersales", contract).value
    calendar = aftersales_slices(POLICY, contract, start, months, "calendar").value
    service = aftersales_slices(POLICY, contract, start, months, "service").value
    assert sum(s.amount for s in service) == total
    quarters = [s.quarter for s in service]
    assert quarters == sorted(set(quarters))
    assert len(service) <= len(calendar)
    if start.day == 1 and start.month in (1, 4, 7, 10):
        assert service == calendar
