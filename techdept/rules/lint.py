"""`policy lint`: consistency checks on a policy file; never raises for a broken file."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from itertools import pairwise
from pathlib import Path
from typing import Any

from techdept.rules.errors import PolicyInvalid
from techdept.rules.money import decimal_str
from techdept.rules.policy import COEFFICIENT_TABLES, Policy, load_policy


@dataclass(frozen=True)
class Finding:
    """One finding: a code (``A1``, ``grade-gap`` …), the key path, an i18n key and params."""

    code: str
    path: str
    key: str
    params: dict[str, Any] = field(default_factory=dict)


def _n(value: Decimal) -> str:
    return decimal_str(value)


def _finding(code: str, path: str, **params: Any) -> Finding:
    return Finding(code=code, path=path, key=f"lint.{code}", params={"path": path, **params})


def _divisor(policy: Policy) -> list[Finding]:
    out = []
    for key, tp in policy.tracks.items():
        if tp.composite_divisor != len(tp.scorers):
            out.append(
                _finding(
                    "A1",
                    f"tracks.{key}.composite_divisor",
                    track=key,
                    divisor=tp.composite_divisor,
                    scorers=len(tp.scorers),
                )
            )
    return out


def _grades(policy: Policy) -> list[Finding]:
    out = []
    low_end, high_end = Decimal(0), policy.scale
    bands = sorted(policy.grades, key=lambda b: (b.low, b.high))
    reach = low_end
    for band in bands:
        if band.low > reach:
            out.append(_finding("grade-gap", "grades", low=_n(reach), high=_n(band.low)))
        elif band.low < reach:
            out.append(
                _finding(
                    "grade-overlap", "grades", grade=band.grade, low=_n(band.low), high=_n(reach)
                )
            )
        reach = max(reach, band.high)
    if reach < high_end:
        out.append(_finding("grade-gap", "grades", low=_n(reach), high=_n(high_end)))
    by_low = sorted(policy.grades, key=lambda b: b.low)
    for lower, upper in pairwise(by_low):
        if upper.share < lower.share:
            out.append(_finding("grade-share", "grades", grade=upper.grade, below=lower.grade))
    return out


def _rubrics(policy: Policy) -> list[Finding]:
    out = []
    for key, tp in policy.tracks.items():
        total = sum((i.max for i in tp.items), Decimal(0))
        if total != policy.scale:
            out.append(
                _finding(
                    "rubric-sum",
                    f"tracks.{key}.items",
                    track=key,
                    total=_n(total),
                    scale=_n(policy.scale),
                )
            )
        for i, item in enumerate(tp.items):
            rule_max = {"schedule": policy.schedule.max, "cost": policy.cost.max}.get(item.kind)
            if item.kind == "internal_acceptance":
                rule_max = policy.internal_acceptance.full
            elif item.kind == "archiving":
                rule_max = policy.archiving.full
            if rule_max is not None and rule_max != item.max:
                out.append(
                    _finding(
                        "rule-max",
                        f"tracks.{key}.items[{i}].max",
                        item=item.key,
                        max=_n(item.max),
                        rule=_n(rule_max),
                    )
                )
    return out


def _shares(policy: Policy) -> list[Finding]:
    lo, hi = policy.lead_share_min, policy.lead_share_max
    elo, ehi = policy.engineer_share_min, policy.engineer_share_max
    ok = (
        Decimal(0) <= lo <= hi <= Decimal(100)
        and lo + ehi == Decimal(100)
        and hi + elo == Decimal(100)
        and lo <= policy.lead_share_default <= hi
    )
    if ok:
        return []
    return [
        _finding(
            "share-range",
            "bonus.lead_share",
            lead_min=_n(lo),
            lead_max=_n(hi),
            engineer_min=_n(elo),
            engineer_max=_n(ehi),
        )
    ]


def _coefficients(policy: Policy) -> list[Finding]:
    """Level tables used by tracks share their levels; sheet boxes exist; used tables filled."""
    out = []
    used = [
        n
        for n in ("difficulty", "risk")
        if any(n in t.coefficients for t in policy.tracks.values())
    ]
    levels = set().union(*(policy.coefficient_table(n) for n in used)) if used else set()
    for name in used:
        for level in sorted(levels - set(policy.coefficient_table(name))):
            out.append(
                _finding("missing-coefficient", f"coefficients.{name}", table=name, key=level)
            )
    for key, tp in policy.tracks.items():
        for box in tp.sheet_complexity:
            if box not in policy.complexity:
                out.append(
                    _finding(
                        "missing-coefficient",
                        f"tracks.{key}.sheet_complexity",
                        table="complexity",
                        key=box,
                    )
                )
        for name in tp.coefficients:
            if name in COEFFICIENT_TABLES and not policy.coefficient_table(name):
                out.append(
                    _finding("missing-coefficient", f"coefficients.{name}", table=name, key="*")
                )
    return out


def _payout(policy: Policy) -> list[Finding]:
    out = []
    for i, month in enumerate(policy.payout_months):
        if not 1 <= month <= 12:
            out.append(_finding("payout-month", f"payout.months[{i}]", month=month))
    return out


def check_policy(policy: Policy) -> list[Finding]:
    """All consistency findings of a loaded policy (empty when it is sound)."""
    return [
        *_divisor(policy),
        *_grades(policy),
        *_rubrics(policy),
        *_shares(policy),
        *_coefficients(policy),
        *_payout(policy),
    ]


def lint_policy(path: str | Path | None = None) -> list[Finding]:
    """Lint a policy file (default: the shipped one); load problems become findings."""
    try:
        policy = load_policy(path)
    except PolicyInvalid as exc:
        return [
            Finding(
                code="invalid", path=p.split(":", 1)[0], key="lint.invalid", params={"problem": p}
            )
            for p in exc.problems
        ]
    return check_policy(policy)
