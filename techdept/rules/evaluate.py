"""One call computes a whole assessment from its facts, scores and team, with its trace."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from fractions import Fraction
from typing import Any

from techdept.rules.bonus import (
    Allocation,
    base_bonus,
    director_award,
    final_bonus,
    pool_amount,
    reserved_bonus,
    split,
    vetoes,
)
from techdept.rules.errors import FlagNotAllowed, MissingFacts, PointsBelowMinimum, PointsOutOfRange
from techdept.rules.explain import Explained, Step
from techdept.rules.money import Fen, decimal_str, fen_str, round_fraction
from techdept.rules.policy import Item, Policy
from techdept.rules.scoring import (
    composite,
    cost_points,
    grade,
    internal_acceptance_points,
    parse_points,
    schedule_points,
    validate_points,
)

# The facts each objective kind is computed from (names of Facts fields).
FACTS_BY_KIND: dict[str, tuple[str, ...]] = {
    "schedule": ("planned_days", "actual_days"),
    "cost": ("budget", "actual_cost"),
    "internal_acceptance": ("ia_deducted", "ia_late_days"),
    "archiving": ("archiving_points",),
}


@dataclass(frozen=True)
class Facts:
    """What is recorded about an assessment besides the scores (money in fen)."""

    contract: Fen | None = None
    complexity: str | None = None
    difficulty: str | None = None
    risk: str | None = None
    planned_days: int | None = None
    actual_days: int | None = None
    budget: Fen | None = None
    actual_cost: Fen | None = None
    ia_deducted: Decimal | None = None
    ia_late_days: int | None = None
    complaint: bool = False
    poor_evaluation: bool = False
    slice_amount: Fen | None = None
    archiving_points: Decimal | None = None


@dataclass(frozen=True)
class TeamSpec:
    """The team of an assessment: lead with L %, engineers with contribution weights."""

    lead: str
    lead_share: Decimal
    engineers: tuple[tuple[str, Decimal], ...] = ()


@dataclass(frozen=True)
class Evaluation:
    """Everything computed for one assessment; money in fen, None where not computable yet.

    For the sliced track (after-sales) ``reserved`` is the quarter's slice and
    ``aftersales_total`` the whole after-sales bonus.
    """

    track: str
    totals: dict[str, Decimal]
    item_means: dict[str, Decimal]
    complete: bool
    composite: Decimal | None
    grade: str | None
    share: Decimal | None
    base: Decimal | None
    reserved: Fen | None
    final: Fen | None
    vetoed: bool
    veto_reasons: tuple[str, ...]
    allocations: tuple[Allocation, ...]
    pool: Fen | None
    director_award: Fen | None
    steps: tuple[Step, ...]
    sheets: dict[str, dict[str, Decimal]] = field(default_factory=dict)
    objective: dict[str, Decimal] = field(default_factory=dict)
    filled: tuple[tuple[str, str], ...] = ()
    overrides: tuple[tuple[str, str], ...] = ()
    missing_scores: dict[str, tuple[str, ...]] = field(default_factory=dict)
    missing_money: tuple[str, ...] = ()
    aftersales_total: Fen | None = None


def _archiving_given(policy: Policy, item: Item, value: object) -> Explained[Decimal]:
    points = parse_points(item.key, "facts", value, policy.points_places)
    if points < 0:
        raise PointsBelowMinimum(item.key, "facts", value, 0)
    if points > item.max:
        raise PointsOutOfRange(item.key, "facts", value, decimal_str(item.max))
    step = Step("step.archiving.given", {"points": str(value)}, "archiving_points", str(points))
    return Explained(points, (step,))


def _has(facts: Facts, names: tuple[str, ...]) -> bool:
    return all(getattr(facts, name) is not None for name in names)


def objective_points(policy: Policy, track: str, facts: Facts) -> dict[str, Explained[Decimal]]:
    """Computed points of the track's objective items whose facts are present."""
    tp = policy.track(track)
    out: dict[str, Explained[Decimal]] = {}
    for item in tp.items:
        if not item.is_objective or not _has(facts, FACTS_BY_KIND.get(item.kind, ("-",))):
            continue
        if item.kind == "schedule":
            out[item.key] = schedule_points(facts.planned_days, facts.actual_days, policy)
        elif item.kind == "cost":
            out[item.key] = cost_points(facts.budget, facts.actual_cost, policy)
        elif item.kind == "internal_acceptance":
            out[item.key] = internal_acceptance_points(
                facts.ia_deducted, facts.ia_late_days, policy
            )
        elif item.kind == "archiving":
            out[item.key] = _archiving_given(policy, item, facts.archiving_points)
    return out


def missing_facts(policy: Policy, track: str, facts: Facts) -> list[str]:
    """Names of the facts that must be recorded before the first score."""
    tp = policy.track(track)
    missing: list[str] = []
    for item in tp.items:
        if item.objective != "always":
            continue
        for name in FACTS_BY_KIND.get(item.kind, ()):
            if getattr(facts, name) is None and name not in missing:
                missing.append(name)
    return missing


def require_facts(policy: Policy, track: str, facts: Facts) -> None:
    """Raise MissingFacts when an objective item's facts are not all recorded."""
    missing = missing_facts(policy, track, facts)
    if missing:
        raise MissingFacts(track, missing)


def _check_flags(policy: Policy, track: str, facts: Facts) -> None:
    tp = policy.track(track)
    for flag in ("complaint", "poor_evaluation"):
        if getattr(facts, flag) and flag not in tp.flags:
            raise FlagNotAllowed(flag, track, tp.flags)


def _money(
    policy: Policy, track: str, facts: Facts
) -> tuple[Decimal | None, Fen | None, Fen | None, tuple[str, ...], list[Step]]:
    """(base, reserved for this assessment, after-sales total, missing, steps)."""
    tp = policy.track(track)
    missing: list[str] = []
    steps: list[Step] = []
    if facts.contract is None:
        missing.append("contract")
    given = {"complexity": facts.complexity, "difficulty": facts.difficulty, "risk": facts.risk}
    missing += [name for name in tp.coefficients if not given[name]]
    base = total = reserved = None
    if facts.contract is not None and not (set(missing) & set(tp.coefficients)):
        base = base_bonus(policy, facts.contract).value
        computed = reserved_bonus(
            policy, track, facts.contract, facts.complexity, facts.difficulty, facts.risk
        )
        steps += computed.steps
        if tp.sliced:
            total = computed.value
        else:
            reserved = computed.value
    if tp.sliced:
        if facts.slice_amount is None:
            missing.append("slice_amount")
        else:
            reserved = facts.slice_amount
            steps.append(
                Step(
                    "step.aftersales.slice_amount",
                    {"slice": fen_str(reserved)},
                    "slice",
                    fen_str(reserved),
                )
            )
        if "contract" in missing and facts.slice_amount is not None:
            missing.remove("contract")
    return base, reserved, total, tuple(missing), steps


def evaluate(
    policy: Policy,
    track: str,
    facts: Facts,
    scores: Mapping[str, Mapping[str, Any]],
    team: TeamSpec | None = None,
) -> Evaluation:
    """Compute an assessment: money, objective items, totals, composite, grade, veto, split."""
    tp = policy.track(track)
    _check_flags(policy, track, facts)
    base, reserved, total, missing_money, steps = _money(policy, track, facts)

    computed = objective_points(policy, track, facts)
    for item in tp.item_keys:
        if item in computed:
            steps += computed[item].steps
    objective = {k: v.value for k, v in computed.items()}

    sheets, filled, overrides = _sheets(policy, track, scores, objective)
    totals = _totals(sheets, steps)
    missing_scores = {
        s: tuple(i for i in tp.item_keys if i not in sheets.get(s, {}))
        for s in tp.scorers
        if s not in sheets or len(sheets[s]) < len(tp.items)
    }
    complete = not missing_scores
    exact_means = _exact_means(policy, track, sheets)
    if complete:
        verdict = _verdict(policy, track, facts, totals, exact_means, reserved, team)
    else:
        verdict = _Verdict(reasons=tuple(f for f in tp.flags if getattr(facts, f)))
    return Evaluation(
        track=track,
        totals=totals,
        item_means={k: round_fraction(v, 2) for k, v in exact_means.items()},
        complete=complete,
        composite=verdict.composite,
        grade=verdict.grade,
        share=verdict.share,
        base=base,
        reserved=reserved,
        final=verdict.final,
        vetoed=bool(verdict.reasons),
        veto_reasons=verdict.reasons,
        allocations=verdict.allocations,
        pool=verdict.pool,
        director_award=verdict.award,
        steps=(*steps, *verdict.steps),
        sheets=sheets,
        objective=objective,
        filled=filled,
        overrides=overrides,
        missing_scores=missing_scores,
        missing_money=missing_money,
        aftersales_total=total,
    )


def _sheets(
    policy: Policy,
    track: str,
    scores: Mapping[str, Mapping[str, Any]],
    objective: Mapping[str, Decimal],
) -> tuple[dict[str, dict[str, Decimal]], tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]]:
    """Each scorer's validated sheet in item order, the track's scorers first; an objective
    item the scorer left blank is filled with its computed points, one given otherwise is an
    override. Returns (sheets, filled, overrides)."""
    tp = policy.track(track)
    sheets: dict[str, dict[str, Decimal]] = {}
    filled: list[tuple[str, str]] = []
    overrides: list[tuple[str, str]] = []
    ordered = [s for s in tp.scorers if s in scores] + [s for s in scores if s not in tp.scorers]
    for scorer in ordered:
        given = {
            item: validate_points(policy, track, scorer, item, points)
            for item, points in scores[scorer].items()
        }
        sheet: dict[str, Decimal] = {}
        for item in tp.item_keys:
            if item in given:
                sheet[item] = given[item]
                if item in objective and given[item] != objective[item]:
                    overrides.append((scorer, item))
            elif item in objective:
                sheet[item] = objective[item]
                filled.append((scorer, item))
        sheets[scorer] = sheet
    return sheets, tuple(filled), tuple(overrides)


def _totals(sheets: Mapping[str, Mapping[str, Decimal]], steps: list[Step]) -> dict[str, Decimal]:
    """Each scorer's total of the points on the sheet; one step each, added to ``steps``."""
    totals: dict[str, Decimal] = {}
    for scorer, sheet in sheets.items():
        totals[scorer] = sum(sheet.values(), Decimal(0))
        steps.append(
            Step(
                "step.total",
                {"scorer": scorer, **{k: decimal_str(v) for k, v in sheet.items()}},
                " + ".join(sheet) or "0",
                decimal_str(totals[scorer]),
            )
        )
    return totals


def _exact_means(
    policy: Policy, track: str, sheets: Mapping[str, Mapping[str, Decimal]]
) -> dict[str, Fraction]:
    """The exact mean of each item every one of the track's scorers has on the sheet."""
    tp = policy.track(track)
    means: dict[str, Fraction] = {}
    for item in tp.item_keys:
        if all(item in sheets.get(s, {}) for s in tp.scorers):
            means[item] = sum((Fraction(sheets[s][item]) for s in tp.scorers), Fraction(0)) / len(
                tp.scorers
            )
    return means


@dataclass(frozen=True)
class _Verdict:
    """What follows from complete scores: composite, grade, veto and, with money, the bonus."""

    composite: Decimal | None = None
    grade: str | None = None
    share: Decimal | None = None
    reasons: tuple[str, ...] = ()
    final: Fen | None = None
    allocations: tuple[Allocation, ...] = ()
    pool: Fen | None = None
    award: Fen | None = None
    steps: tuple[Step, ...] = ()


def _verdict(
    policy: Policy,
    track: str,
    facts: Facts,
    totals: Mapping[str, Decimal],
    exact_means: Mapping[str, Fraction],
    reserved: Fen | None,
    team: TeamSpec | None,
) -> _Verdict:
    c = composite(policy, track, totals)
    g = grade(policy, c.value)
    v = vetoes(policy, track, exact_means, facts.complaint, facts.poor_evaluation)
    (grade_letter, share), reasons = g.value, v.value
    judged = _Verdict(c.value, grade_letter, share, reasons, steps=(*c.steps, *g.steps, *v.steps))
    if reserved is None:
        return judged
    return _bonus(policy, judged, reserved, team)


def _bonus(policy: Policy, judged: _Verdict, reserved: Fen, team: TeamSpec | None) -> _Verdict:
    """The final bonus, its split over the team (or what the pool keeps without one) and the
    director's award."""
    steps = list(judged.steps)
    f = final_bonus(policy, reserved, judged.share, bool(judged.reasons))
    final = f.value
    steps += f.steps
    allocations: tuple[Allocation, ...] = ()
    if team is not None:
        s = split(policy, final, team.lead, team.lead_share, team.engineers)
        allocations = s.value
        steps += s.steps
        p = pool_amount(reserved, allocations)
        pool = p.value
        steps += p.steps
    else:
        pool = Fen(reserved - final)
        steps.append(
            Step(
                "step.pool",
                {"reserved": fen_str(reserved), "final": fen_str(final)},
                "reserved − final",
                fen_str(pool),
            )
        )
    d = director_award(policy, final)
    steps += d.steps
    return replace(
        judged,
        final=final,
        allocations=allocations,
        pool=pool,
        award=d.value,
        steps=tuple(steps),
    )


def evaluation_to_dict(ev: Evaluation) -> dict[str, Any]:
    """JSON-able form: money ``"1234.56"``, composite ``"84.00"``, points as given."""
    return {
        "track": ev.track,
        "complete": ev.complete,
        "scorers": {
            s: {**{k: decimal_str(v) for k, v in sheet.items()}, "total": decimal_str(ev.totals[s])}
            for s, sheet in ev.sheets.items()
        },
        "objective": {k: decimal_str(v) for k, v in ev.objective.items()},
        "filled": [{"scorer": s, "item": i} for s, i in ev.filled],
        "overrides": [{"scorer": s, "item": i} for s, i in ev.overrides],
        "missing_scores": {s: list(items) for s, items in ev.missing_scores.items()},
        "missing_money": list(ev.missing_money),
        "item_means": {k: decimal_str(v) for k, v in ev.item_means.items()},
        "composite": None if ev.composite is None else decimal_str(ev.composite),
        "grade": ev.grade,
        "share": None if ev.share is None else decimal_str(ev.share),
        "base": None if ev.base is None else decimal_str(ev.base),
        "aftersales_total": fen_str(ev.aftersales_total),
        "reserved": fen_str(ev.reserved),
        "final": fen_str(ev.final),
        "vetoed": ev.vetoed,
        "veto_reasons": list(ev.veto_reasons),
        "allocations": [
            {"staff": a.staff, "role": a.role, "amount": fen_str(a.amount)} for a in ev.allocations
        ],
        "pool": fen_str(ev.pool),
        "director_award": fen_str(ev.director_award),
        "steps": [s.to_dict() for s in ev.steps],
    }
