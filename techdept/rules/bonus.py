"""Money: base, reserved, after-sales slices, vetoes, final, the split, pool, director award.

Rounding (half-up to the fen) happens only where policy.md §4 says: reserved (after-sales
total), each slice, final, director award, and the split (largest remainder).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from fractions import Fraction

from techdept.rules.calendar import add_months, quarter_of, quarters_from
from techdept.rules.errors import (
    CoefficientRequired,
    ContributionWeightInvalid,
    FactInvalid,
    FlagNotAllowed,
    LeadShareOutOfRange,
    LeadSharePrecision,
    ScoresIncomplete,
    TeamMemberDuplicate,
    UnknownCoefficient,
    UnknownTrack,
)
from techdept.rules.explain import Explained, Step
from techdept.rules.money import Fen, decimal_str, fen_str, round_to_int
from techdept.rules.policy import Policy


@dataclass(frozen=True)
class Slice:
    """One after-sales quarter's share of the after-sales total."""

    quarter: str
    amount: Fen


@dataclass(frozen=True)
class Allocation:
    """One person's part of the final bonus (role ``lead`` or ``engineer``)."""

    staff: str
    role: str
    amount: Fen


def _n(value: Decimal | Fraction | int) -> str:
    return decimal_str(value)


def money_exact_str(value: Decimal | Fraction) -> str:
    """An exact yuan amount with at least two decimals (``6000.00``, ``350.0035``, ``≈…``)."""
    text = decimal_str(value)
    if text.startswith("≈"):
        return text
    whole, _, frac = text.partition(".")
    frac = frac.rstrip("0")
    return f"{whole}.{frac.ljust(2, '0')}"


def _fen_fact(name: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise FactInvalid(name, value, ">= 0")
    return value


def base_bonus(policy: Policy, contract: Fen) -> Explained[Decimal]:
    """Base bonus = contract × 0.5 %, exact (never rounded on its own)."""
    c = _fen_fact("contract", contract)
    exact = Fraction(c, 100) * Fraction(policy.base_rate) / 100
    value = Decimal(money_exact_str(exact))
    step = Step(
        "step.base",
        {"contract": fen_str(c), "rate": _n(policy.base_rate)},
        f"contract × {_n(policy.base_rate)} %",
        money_exact_str(exact),
    )
    return Explained(value, (step,))


def coefficient(policy: Policy, track: str, table: str, key: str | None) -> Explained[Decimal]:
    """One coefficient of a track (complexity, difficulty or risk)."""
    if key is None or key == "":
        raise CoefficientRequired(table, track)
    values = policy.coefficient_table(table)
    if key not in values:
        raise UnknownCoefficient(table, key, values)
    value = values[key]
    step = Step(f"step.coefficient.{table}", {table: key}, f"{table}[{key}]", _n(value))
    return Explained(value, (step,))


def reserved_bonus(
    policy: Policy,
    track: str,
    contract: Fen,
    complexity: str | None = None,
    difficulty: str | None = None,
    risk: str | None = None,
) -> Explained[Fen]:
    """Reserved = round(contract × 0.5 % × coefficients) in one step; after-sales: the total."""
    tp = policy.track(track)
    base = base_bonus(policy, contract)
    given = {"complexity": complexity, "difficulty": difficulty, "risk": risk}
    coefs = [coefficient(policy, track, name, given[name]) for name in tp.coefficients]
    exact = Fraction(int(contract), 100) * Fraction(policy.base_rate) / 100
    for c in coefs:
        exact *= Fraction(c.value)
    value = Fen(round_to_int(exact * 100))
    names = " × ".join(["contract", f"{_n(policy.base_rate)} %", *tp.coefficients])
    inputs = {"base": base.steps[0].output}
    inputs.update({name: _n(c.value) for name, c in zip(tp.coefficients, coefs, strict=True)})
    key = "step.aftersales.total" if tp.sliced else "step.reserved"
    step = Step(key, inputs, f"round({names}, 2)", fen_str(value))
    return Explained(value, (*base.steps, *(s for c in coefs for s in c.steps), step))


def slice_count(policy: Policy, months: int) -> int:
    """ceil(months / 3) (A6)."""
    if isinstance(months, bool) or not isinstance(months, int) or months < 1:
        raise FactInvalid("service_months", months, ">= 1")
    return math.ceil(months / policy.months_per_slice)


def service_quarters(
    policy: Policy, service_start: dt.date, months: int
) -> tuple[tuple[dt.date, dt.date], ...]:
    """The service quarters of a period (A14): quarter k runs from 3(k−1) months after the
    start (the day clipped to the month's last day) to the day before the next one; the last
    ends with the period."""
    n = slice_count(policy, months)
    per = policy.months_per_slice
    end = add_months(service_start, months) - dt.timedelta(days=1)
    return tuple(
        (
            add_months(service_start, per * k),
            min(add_months(service_start, per * (k + 1)) - dt.timedelta(days=1), end),
        )
        for k in range(n)
    )


def aftersales_slices(
    policy: Policy,
    contract: Fen,
    service_start: dt.date,
    months: int,
    mode: str | None = None,
) -> Explained[tuple[Slice, ...]]:
    """The after-sales total in ceil(m / 3) equal slices; the last takes the rest. ``mode``
    (the project's, else the policy's ``aftersales.slices``): "calendar" gives consecutive
    calendar quarters from the one the period starts in (A6); "service" assesses slice k in
    the calendar quarter in which service quarter k ends, two ending in one quarter summed
    (A14)."""
    track = policy.sliced_track
    if track is None:
        raise UnknownTrack("aftersales", policy.tracks)
    mode = mode or policy.aftersales_slices
    total = reserved_bonus(policy, track, contract)
    n = slice_count(policy, months)
    each = round_to_int(Fraction(int(total.value), n))
    last = int(total.value) - each * (n - 1)
    quarters = _slice_quarters(policy, service_start, months, mode)
    summed: dict[str, int] = {}
    for i, q in enumerate(quarters):
        summed[q] = summed.get(q, 0) + (each if i < n - 1 else last)
    slices = tuple(Slice(q, Fen(amount)) for q, amount in summed.items())
    steps = _slice_steps(policy, total, service_start, months, each, last)
    if mode == "service" and quarters != quarters_from(quarter_of(service_start), n):
        steps.append(
            Step(
                "step.aftersales.service_quarters",
                {"start": service_start.isoformat(), "months": str(months)},
                "quarter of (start + 3k months − 1 day)",
                ", ".join(quarters),
            )
        )
    return Explained(slices, tuple(steps))


def _slice_quarters(
    policy: Policy, service_start: dt.date, months: int, mode: str
) -> tuple[str, ...]:
    """The calendar quarter each slice is assessed in, one per slice, in order (A6, A14)."""
    if mode == "service":
        return tuple(quarter_of(end) for _, end in service_quarters(policy, service_start, months))
    return quarters_from(quarter_of(service_start), slice_count(policy, months))


def _slice_steps(
    policy: Policy,
    total: Explained[Fen],
    service_start: dt.date,
    months: int,
    each: int,
    last: int,
) -> list[Step]:
    """How the total became the slices: the count, the equal slice and the last one's rest."""
    n = slice_count(policy, months)
    steps = [
        *total.steps,
        Step(
            "step.aftersales.slice_count",
            {"months": str(months), "start": quarter_of(service_start)},
            f"ceil(months / {policy.months_per_slice})",
            str(n),
        ),
        Step(
            "step.aftersales.slice",
            {"total": fen_str(total.value), "slices": str(n)},
            "round(total / slices, 2)",
            fen_str(each),
        ),
    ]
    if n > 1:
        steps.append(
            Step(
                "step.aftersales.last_slice",
                {"total": fen_str(total.value), "slice": fen_str(each), "slices": str(n)},
                "total − (slices − 1) × slice",
                fen_str(last),
            )
        )
    return steps


def vetoes(
    policy: Policy,
    track: str,
    item_means: Mapping[str, Decimal | Fraction],
    complaint: bool = False,
    poor_evaluation: bool = False,
) -> Explained[tuple[str, ...]]:
    """Reasons the final bonus is 0: item means below the track's thresholds, or flags."""
    tp = policy.track(track)
    flags = {"complaint": bool(complaint), "poor_evaluation": bool(poor_evaluation)}
    for flag, on in flags.items():
        if on and flag not in tp.flags:
            raise FlagNotAllowed(flag, track, tp.flags)
    missing = [item for item in tp.veto_below if item not in item_means]
    if missing:
        raise ScoresIncomplete(track, missing)
    reasons: list[str] = []
    steps: list[Step] = []
    for item, threshold in tp.veto_below.items():
        mean = Fraction(item_means[item])
        hit = mean < Fraction(threshold)
        steps.append(
            Step(
                "step.veto.item",
                {"item": item, "mean": _n(mean), "threshold": _n(threshold)},
                f"mean({item}) < {_n(threshold)}",
                "true" if hit else "false",
            )
        )
        if hit:
            reasons.append(item)
    for flag in tp.flags:
        steps.append(
            Step("step.veto.flag", {"flag": flag}, flag, "true" if flags[flag] else "false")
        )
        if flags[flag]:
            reasons.append(flag)
    steps.append(
        Step("step.veto.result", {"track": track}, "any(…)", ", ".join(reasons) if reasons else "—")
    )
    return Explained(tuple(reasons), tuple(steps))


def final_bonus(policy: Policy, reserved: Fen, share: Decimal, vetoed: bool) -> Explained[Fen]:
    """Final = round(reserved × grade share %), or 0 when vetoed."""
    r = _fen_fact("reserved", reserved)
    if vetoed:
        step = Step("step.final.vetoed", {"reserved": fen_str(r)}, "0", fen_str(0))
        return Explained(Fen(0), (step,))
    value = Fen(round_to_int(Fraction(r) * Fraction(Decimal(share)) / 100))
    step = Step(
        "step.final.amount",
        {"reserved": fen_str(r), "share": _n(Decimal(share))},
        f"round(reserved × {_n(Decimal(share))} %, 2)",
        fen_str(value),
    )
    return Explained(value, (step,))


def _largest_remainder(total: int, shares: Sequence[Fraction]) -> tuple[int, ...]:
    if any(s < 0 for s in shares):
        raise ValueError("shares must not be negative")
    floors = [math.floor(s) for s in shares]
    left = total - sum(floors)
    if not 0 <= left <= len(shares):
        raise ValueError("the exact shares do not add up to the total")
    order = sorted(range(len(shares)), key=lambda i: (-(shares[i] - floors[i]), -shares[i], i))
    out = list(floors)
    for i in order[:left]:
        out[i] += 1
    return tuple(out)


def allocate_largest_remainder(
    total: Fen, exact_shares: Sequence[Decimal | Fraction]
) -> tuple[Fen, ...]:
    """Allocate ``total`` fen by largest remainder over exact shares (in fen).

    Each part is the floor of its share; the fen left go to the largest remainders, ties to
    the larger exact share, then to the earlier one. Parts sum to ``total``.
    """
    shares = [Fraction(s) for s in exact_shares]
    return tuple(Fen(v) for v in _largest_remainder(int(total), shares))


def _lead_share(policy: Policy, value: object) -> Decimal:
    try:
        share = Decimal(value) if not isinstance(value, bool | float) else None
    except (InvalidOperation, TypeError, ValueError):
        share = None
    if share is None or not share.is_finite():
        raise LeadShareOutOfRange(value, _n(policy.lead_share_min), _n(policy.lead_share_max))
    if not policy.lead_share_min <= share <= policy.lead_share_max:
        raise LeadShareOutOfRange(value, _n(policy.lead_share_min), _n(policy.lead_share_max))
    if share != share.quantize(Decimal(1).scaleb(-policy.share_places)):
        raise LeadSharePrecision(value, policy.share_places)
    return share


def _weight(staff: str, value: object) -> Fraction:
    try:
        w = Decimal(value) if not isinstance(value, bool | float) else None
    except (InvalidOperation, TypeError, ValueError):
        w = None
    if w is None or not w.is_finite() or w <= 0:
        raise ContributionWeightInvalid(staff, value)
    return Fraction(w)


def split(
    policy: Policy,
    final: Fen,
    lead: str,
    lead_share: Decimal,
    engineers: Sequence[tuple[str, Decimal]] = (),
) -> Explained[tuple[Allocation, ...]]:
    """Split the final bonus: lead L %, engineers (100 − L) % by weight, joint largest remainder.

    With no engineers the lead gets round(final × L %) and the rest stays for the pool (A7).
    """
    f = _fen_fact("final", final)
    share = _lead_share(policy, lead_share)
    _refuse_duplicates(lead, engineers)
    weights = [_weight(staff, w) for staff, w in engineers]
    lead_exact = Fraction(f) * Fraction(share) / 100
    lead_step = Step(
        "step.split.exact",
        {"staff": lead, "role": "lead", "share": _n(share)},
        f"final × {_n(share)} %",
        money_exact_str(lead_exact / 100),
    )
    if not engineers:
        amount = Fen(round_to_int(lead_exact))
        step = Step(
            "step.split.lead_only",
            {"staff": lead, "final": fen_str(f), "share": _n(share)},
            f"round(final × {_n(share)} %, 2)",
            fen_str(amount),
        )
        return Explained((Allocation(lead, "lead", amount),), (lead_step, step))
    eng_total = Fraction(f) * (100 - Fraction(share)) / 100
    total_weight = sum(weights, Fraction(0))
    exact = [lead_exact] + [eng_total * w / total_weight for w in weights]
    steps = [lead_step]
    eng_pct = _n(Decimal(100) - share)
    for (staff, _), w, e in zip(engineers, weights, exact[1:], strict=True):
        steps.append(
            Step(
                "step.split.exact",
                {"staff": staff, "role": "engineer", "weight": _n(w), "weights": _n(total_weight)},
                f"final × {eng_pct} % × {_n(w)} / {_n(total_weight)}",
                money_exact_str(e / 100),
            )
        )
    people = [(lead, "lead")] + [(staff, "engineer") for staff, _ in engineers]
    return _allocate(f, people, exact, steps)


def _refuse_duplicates(lead: str, engineers: Sequence[tuple[str, Decimal]]) -> None:
    """A person is in the team once: the lead or one engineer row."""
    seen = {lead}
    for staff, _ in engineers:
        if staff in seen:
            raise TeamMemberDuplicate(staff)
        seen.add(staff)


def _allocate(
    final: int, people: Sequence[tuple[str, str]], exact: Sequence[Fraction], steps: list[Step]
) -> Explained[tuple[Allocation, ...]]:
    """The exact shares to whole fen by joint largest remainder, each amount explained."""
    amounts = _largest_remainder(final, exact)
    left = final - sum(math.floor(e) for e in exact)
    steps.append(
        Step(
            "step.split.leftover",
            {"final": fen_str(final), "floors": fen_str(final - left)},
            "final − Σ floor(exact)",
            fen_str(left),
        )
    )
    allocations = tuple(
        Allocation(staff, role, Fen(a)) for (staff, role), a in zip(people, amounts, strict=True)
    )
    for a, e in zip(allocations, exact, strict=True):
        steps.append(
            Step(
                "step.split.amount",
                {"staff": a.staff, "role": a.role, "exact": money_exact_str(e / 100)},
                "largest remainder",
                fen_str(a.amount),
            )
        )
    return Explained(allocations, tuple(steps))


def pool_amount(reserved: Fen, allocations: Sequence[Allocation]) -> Explained[Fen]:
    """Pool += reserved − the amounts allocated to people (grade/veto haircut and A7 rest)."""
    allocated = sum(int(a.amount) for a in allocations)
    value = Fen(int(reserved) - allocated)
    step = Step(
        "step.pool",
        {"reserved": fen_str(reserved), "allocated": fen_str(allocated)},
        "reserved − Σ allocations",
        fen_str(value),
    )
    return Explained(value, (step,))


def director_award(policy: Policy, final: Fen) -> Explained[Fen]:
    """The technical director's award: round(final × 30 %), on top of the team's (A8)."""
    f = _fen_fact("final", final)
    rate = policy.director_award_rate
    value = Fen(round_to_int(Fraction(f) * Fraction(rate) / 100))
    step = Step(
        "step.director_award",
        {"final": fen_str(f), "rate": _n(rate)},
        f"round(final × {_n(rate)} %, 2)",
        fen_str(value),
    )
    return Explained(value, (step,))
