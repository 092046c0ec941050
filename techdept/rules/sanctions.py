"""Sanctions: three consecutive grades of D or below on one track (A9)."""

from __future__ import annotations

from collections.abc import Sequence

from techdept.rules.policy import Policy


def sanction(
    policy: Policy, track: str, history: Sequence[tuple[str, str]]
) -> tuple[str, ...] | None:
    """The refs of the last three assessments when all are D or below, else None.

    ``history`` is (assessment ref, grade) in approval order, already limited to what counts
    (after the person's latest lifted sanction on this track).
    """
    policy.track(track)
    count = policy.sanction_count
    if len(history) < count:
        return None
    last = list(history)[-count:]
    if all(grade in policy.sanction_grades for _, grade in last):
        return tuple(ref for ref, _ in last)
    return None


def sanction_effect(policy: Policy, track: str) -> str | None:
    """The effect key of a sanction on ``track`` (i18n ``sanction.effect.<key>``)."""
    policy.track(track)
    return policy.sanction_effects.get(track)
