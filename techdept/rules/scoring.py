"""Points: the objective rules S, C, I (and after-sales archiving), checks, composite, grade."""

from __future__ import annotations

import math
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from fractions import Fraction

from techdept.rules.errors import (
    FactInvalid,
    GradeUndefined,
    PointsBelowMinimum,
    PointsInvalid,
    PointsOutOfRange,
    PointsPrecision,
    ScorerNotRequired,
    ScoresIncomplete,
)
from techdept.rules.explain import Explained, Step
from techdept.rules.money import Fen, decimal_str, fen_str, round_fraction
from techdept.rules.policy import GradeBand, Policy


def _n(value: Decimal | Fraction | int) -> str:
    return decimal_str(value)


def _int(name: str, value: object, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise FactInvalid(name, value, f">= {minimum}")
    return value


def _times(factor: Decimal, expr: str) -> str:
    return expr if factor == 1 else f"{_n(factor)} × {expr}"


def _points(value: Fraction | Decimal | int) -> Decimal:
    """Points from an exact value, without trailing noise (31 → ``31``, 9.5 → ``9.5``)."""
    fr = Fraction(value)
    if fr.denominator == 1:
        return Decimal(fr.numerator)
    return round_fraction(fr, 1) if (fr * 10).denominator == 1 else round_fraction(fr, 2)


def schedule_points(planned: int, actual: int, policy: Policy) -> Explained[Decimal]:
    """Rule S: on time 30; ±1 per full 10 % early/late; clamped to the rule's min..max (A11)."""
    p = _int("planned_days", planned, 1)
    a = _int("actual_days", actual, 0)
    rule = policy.schedule
    inputs = {"planned": str(p), "actual": str(a)}
    step = Fraction(rule.step_pct)
    if a == p:
        return Explained(
            rule.on_time, (Step("step.schedule.on_time", inputs, "a = p", _n(rule.on_time)),)
        )
    if a < p:
        pct = Fraction(p - a, p) * 100
        n = math.floor(pct / step)
        points = min(
            Fraction(rule.max), Fraction(rule.on_time) + Fraction(rule.early_points_per_step) * n
        )
        pct_step = Step("step.schedule.early_pct", inputs, "e = (p − a) / p × 100", _n(pct))
        formula = (
            f"min({_n(rule.max)}, {_n(rule.on_time)} + "
            f"{_times(rule.early_points_per_step, f'floor(e / {_n(rule.step_pct)})')})"
        )
        var = "e"
    else:
        pct = Fraction(a - p, p) * 100
        n = math.floor(pct / step)
        points = max(
            Fraction(rule.min), Fraction(rule.on_time) - Fraction(rule.late_points_per_step) * n
        )
        pct_step = Step("step.schedule.late_pct", inputs, "l = (a − p) / p × 100", _n(pct))
        formula = (
            f"max({_n(rule.min)}, {_n(rule.on_time)} − "
            f"{_times(rule.late_points_per_step, f'floor(l / {_n(rule.step_pct)})')})"
        )
        var = "l"
    value = _points(points)
    return Explained(
        value, (pct_step, Step("step.schedule.points", {var: _n(pct)}, formula, _n(value)))
    )


def cost_points(budget: Fen, actual: Fen, policy: Policy) -> Explained[Decimal]:
    """Rule C: 20 within 5 %; 19 saved / 18 overspent to 20 %; beyond, per started 10 % (A2, A3)."""
    b = _int("budget", budget, 1)
    x = _int("actual_cost", actual, 0)
    rule = policy.cost
    d = Fraction(x - b, b) * 100
    dev = Step(
        "step.cost.deviation",
        {"budget": fen_str(b), "actual": fen_str(x)},
        "d = (x − b) / b × 100",
        _n(d),
    )
    within, band, step = Fraction(rule.within_pct), Fraction(rule.band_pct), Fraction(rule.step_pct)
    if abs(d) < within:
        points = Fraction(rule.within_points)
        key, formula = "step.cost.within", f"|d| < {_n(rule.within_pct)} → {_n(rule.within_points)}"
    elif d < 0:
        s = -d
        key = "step.cost.saving"
        if s <= band:
            points = Fraction(rule.saving_points)
            formula = f"s = −d ≤ {_n(rule.band_pct)} → {_n(rule.saving_points)}"
        else:
            n = math.ceil((s - band) / step)
            points = Fraction(rule.saving_points) - Fraction(rule.saving_points_per_step) * n
            formula = f"{_n(rule.saving_points)} − " + _times(
                rule.saving_points_per_step,
                f"ceil((s − {_n(rule.band_pct)}) / {_n(rule.step_pct)})",
            )
    else:
        key = "step.cost.overspend"
        if d <= band:
            points = Fraction(rule.overspend_points)
            formula = f"d ≤ {_n(rule.band_pct)} → {_n(rule.overspend_points)}"
        else:
            n = math.ceil((d - band) / step)
            points = Fraction(rule.overspend_points) - Fraction(rule.overspend_points_per_step) * n
            formula = f"{_n(rule.overspend_points)} − " + _times(
                rule.overspend_points_per_step,
                f"ceil((d − {_n(rule.band_pct)}) / {_n(rule.step_pct)})",
            )
    points = min(Fraction(rule.max), max(Fraction(rule.min), points))
    value = _points(points)
    if "ceil" in formula:
        formula = f"max({_n(rule.min)}, {formula})"
    return Explained(value, (dev, Step(key, {"d": _n(d)}, formula, _n(value))))


def _decimal_fact(name: str, value: object, places: int) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | Decimal | str):
        raise FactInvalid(name, value, ">= 0")
    try:
        d = Decimal(value)
    except InvalidOperation:
        raise FactInvalid(name, value, ">= 0") from None
    if not d.is_finite() or d < 0:
        raise FactInvalid(name, value, ">= 0")
    if d.adjusted() > 12:
        raise FactInvalid(name, value, "< 10^12")
    if d != d.quantize(Decimal(1).scaleb(-places)):
        raise FactInvalid(name, value, f"<= {places} decimal(s)")
    return d


def internal_acceptance_points(
    deducted: Decimal, days_late: int, policy: Policy
) -> Explained[Decimal]:
    """Rule I: 10 − points deducted − days late (after customer acceptance + 7 days), >= 0."""
    ded = _decimal_fact("ia_deducted", deducted, policy.points_places)
    late = _int("ia_late_days", days_late, 0)
    rule = policy.internal_acceptance
    raw = (
        Fraction(rule.full)
        - Fraction(rule.points_per_deducted_point) * Fraction(ded)
        - Fraction(rule.points_per_day_late) * late
    )
    value = _points(max(Fraction(rule.min), raw))
    formula = (
        f"max({_n(rule.min)}, {_n(rule.full)} − "
        f"{_times(rule.points_per_deducted_point, 'deducted')} − "
        f"{_times(rule.points_per_day_late, 'days_late')})"
    )
    step = Step(
        "step.internal_acceptance.points",
        {"deducted": _n(ded), "days_late": str(late), "due_days": str(rule.due_days)},
        formula,
        _n(value),
    )
    return Explained(value, (step,))


def archiving_points(late_reports: int, policy: Policy) -> Explained[Decimal]:
    """After-sales archiving (inferred): 10, −1 per service report archived late, >= 0."""
    n = _int("late_reports", late_reports, 0)
    rule = policy.archiving
    raw = Fraction(rule.full) - Fraction(rule.points_per_late_report) * n
    value = _points(max(Fraction(rule.min), raw))
    formula = f"max({_n(rule.min)}, {_n(rule.full)} − {_times(rule.points_per_late_report, 'n')})"
    step = Step(
        "step.archiving.points",
        {"late_reports": str(n), "within_days": str(rule.within_days)},
        formula,
        _n(value),
    )
    return Explained(value, (step,))


def parse_points(item: str, scorer: str, points: object, places: int = 1) -> Decimal:
    """Points as a Decimal with at most ``places`` decimals; raises PointsInvalid/Precision."""
    if isinstance(points, bool) or not isinstance(points, int | str | Decimal):
        raise PointsInvalid(item, scorer, points)
    try:
        value = Decimal(points.strip() if isinstance(points, str) else points)
    except InvalidOperation:
        raise PointsInvalid(item, scorer, points) from None
    if not value.is_finite():
        raise PointsInvalid(item, scorer, points)
    quantum = Decimal(1).scaleb(-places)
    if value.as_tuple().exponent < -places:  # type: ignore[operator]
        if value != value.quantize(quantum):
            raise PointsPrecision(item, scorer, points, places)
        value = value.quantize(quantum)
    return value


def validate_points(policy: Policy, track: str, scorer: str, item: str, points: object) -> Decimal:
    """Check one score against the sheet: scorer, item, 0 <= points <= max, one decimal."""
    tp = policy.track(track)
    if scorer not in tp.scorers:
        raise ScorerNotRequired(scorer, track, tp.scorers)
    it = tp.item(item)
    value = parse_points(item, scorer, points, policy.points_places)
    if value < 0:
        raise PointsBelowMinimum(item, scorer, points, 0)
    if value > it.max:
        raise PointsOutOfRange(item, scorer, points, _n(it.max))
    return value


def composite(policy: Policy, track: str, totals: Mapping[str, Decimal]) -> Explained[Decimal]:
    """Sum of the required scorers' totals ÷ the policy's divisor, half-up to 2 decimals (A1)."""
    tp = policy.track(track)
    for scorer in totals:
        if scorer not in tp.scorers:
            raise ScorerNotRequired(scorer, track, tp.scorers)
    missing = [s for s in tp.scorers if s not in totals]
    if missing:
        raise ScoresIncomplete(track, missing)
    total = sum((Fraction(Decimal(totals[s])) for s in tp.scorers), Fraction(0))
    value = round_fraction(total / tp.composite_divisor, policy.composite_places)
    inputs = {s: _n(Decimal(totals[s])) for s in tp.scorers}
    inputs["sum"] = _n(total)
    inputs["divisor"] = str(tp.composite_divisor)
    formula = (
        f"round(({' + '.join(tp.scorers)}) / {tp.composite_divisor}, {policy.composite_places})"
    )
    return Explained(value, (Step("step.composite", inputs, formula, _n(value)),))


def grade_band(policy: Policy, value: Decimal) -> GradeBand:
    """The band with ``low <= value < high``; the top band also takes its ``high`` and above."""
    bands = sorted(policy.grades, key=lambda b: (b.low, b.high))
    top = max(policy.grades, key=lambda b: (b.high, b.low))
    if value >= top.high:
        return top
    for band in reversed(bands):
        if band.low <= value < band.high:
            return band
    raise GradeUndefined(value)


def grade(policy: Policy, composite: Decimal) -> Explained[tuple[str, Decimal]]:
    """The grade letter and its share (percent of the reserved bonus) for a composite."""
    value = Decimal(composite)
    band = grade_band(policy, value)
    step = Step(
        "step.grade",
        {
            "composite": _n(value),
            "low": _n(band.low),
            "high": _n(band.high),
            "share": _n(band.share),
        },
        f"{_n(band.low)} ≤ composite < {_n(band.high)} → {band.grade} ({_n(band.share)} %)",
        band.grade,
    )
    return Explained((band.grade, band.share), (step,))
