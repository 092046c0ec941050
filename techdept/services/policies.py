"""The active policy: show it, lint it, and compute a what-if sheet without the ledger."""

from __future__ import annotations

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
