"""The active policy: show it, lint it, and compute a what-if sheet without the ledger."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from techdept.errors import Invalid
from techdept.rules import (
    Evaluation,
    Facts,
    Finding,
    Policy,
    TeamSpec,
    aftersales_slices,
    evaluate,
    lint_policy,
    validate_points,
)


def lint(path: str | Path | None) -> list[Finding]:
    """Findings for a policy file (the active one when ``path`` is None)."""
    return lint_policy(path)


def what_if(
    policy: Policy,
    track: str,
    facts: Facts,
    scores: dict[str, dict[str, str]],
    team: TeamSpec | None,
    *,
    service_months: int | None = None,
    slice_number: int = 1,
) -> Evaluation:
    """Evaluate a sheet from values typed on the command line; nothing is read or written."""
    policy.track(track)
    checked = {
        scorer: {
            item: validate_points(policy, track, scorer, item, points)
            for item, points in items.items()
        }
        for scorer, items in scores.items()
    }
    if policy.tracks[track].sliced:
        if not service_months or facts.contract is None:
            raise Invalid("WhatIfNeedsServicePeriod")
        import datetime as dt

        start = dt.date(2000, 1, 1)  # a what-if needs only the slice amounts, not quarters
        slices = aftersales_slices(policy, facts.contract, start, service_months).value
        if not 1 <= slice_number <= len(slices):
            raise Invalid("SliceNumberInvalid", value=slice_number, count=len(slices))
        facts = Facts(**{**facts.__dict__, "slice_amount": slices[slice_number - 1].amount})
    return evaluate(policy, track, facts, checked, team)


def parse_scores(specs: list[str]) -> dict[str, dict[str, str]]:
    """``SCORER:ITEM=POINTS,ITEM=POINTS`` (repeatable) → {scorer: {item: points}}."""
    scores: dict[str, dict[str, str]] = {}
    for spec in specs:
        scorer, sep, rest = spec.partition(":")
        if not sep or not scorer.strip() or not rest.strip():
            raise Invalid("ScoresSpecInvalid", value=spec)
        for pair in rest.split(","):
            item, eq, points = pair.partition("=")
            if not eq or not item.strip() or not points.strip():
                raise Invalid("ScoresSpecInvalid", value=spec)
            scores.setdefault(scorer.strip(), {})[item.strip()] = points.strip()
    return scores


def parse_engineers(specs: list[str]) -> tuple[tuple[str, Decimal], ...]:
    """``NAME[:WEIGHT]`` → (name, weight); weights default to 1."""
    from techdept.values import parse_weight

    out = []
    for spec in specs:
        name, _, weight = spec.partition(":")
        if not name.strip():
            raise Invalid("ScoresSpecInvalid", value=spec)
        out.append((name.strip(), parse_weight("--engineer", weight) if weight else Decimal(1)))
    return tuple(out)
