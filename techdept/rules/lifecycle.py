"""A project's life as pure functions: where ``advance`` may go, what is still missing before it
may, where a deliverable's review chain stands, and the dates of the acceptance sequence.

Pure: values in, values out (stdlib + techdept.errors). The services read the ledger and pass
plain values here.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass

from techdept.errors import Invalid, Refused
from techdept.rules.domain import Deliverable, Domain

LOST = "presales.lost"
WON = "presales.won"
# Conditions besides deliverables (domain.md): entering `won` needs the contract amount and
# the signed date; leaving implementation.acceptance needs the customer acceptance sequence
# recorded; leaving the after-sales hand-over needs the service period.
ENTER_NEEDS: Mapping[str, tuple[str, ...]] = {WON: ("contract", "signed")}
LEAVE_NEEDS: Mapping[str, tuple[str, ...]] = {
    "implementation.acceptance": ("acceptance",),
    "aftersales.handover": ("service_start", "service_months"),
}
_WEEK = re.compile(r"^(\d{4})-?W(\d{2})$")


@dataclass(frozen=True)
class DocState:
    """What the ledger holds for one deliverable: its latest version and, in chain order, the
    decisions on that version (True approved, False rejected)."""

    version: int
    decisions: tuple[bool, ...] = ()


@dataclass(frozen=True)
class DocStatus:
    """Where a deliverable stands: ``missing``, ``filed`` (no review needed), ``pending`` (the
    review of ``waiting_for`` is due, step ``step``), ``rejected`` or ``approved``."""

    status: str
    waiting_for: str | None = None
    step: int | None = None
    version: int | None = None

    @property
    def done(self) -> bool:
        return self.status in ("filed", "approved")


@dataclass(frozen=True)
class ProjectFacts:
    """The project's own fields and records that gates look at."""

    contract: bool = False
    signed: bool = False
    service_start: bool = False
    service_months: bool = False
    acceptance: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Missing:
    """One thing that keeps a project from advancing.

    kind: ``deliverable`` (not filed), ``review`` (``role``'s review pending), ``rejected``
    (file it again), ``contract``, ``signed``, ``acceptance`` (event ``key`` not recorded),
    ``service_start``, ``service_months``, ``reason``."""

    kind: str
    stage: str
    key: str = ""
    role: str | None = None


def doc_status(deliverable: Deliverable, state: DocState | None) -> DocStatus:
    """Where ``deliverable`` stands given the latest filed version and its decisions."""
    if state is None:
        return DocStatus("missing")
    if False in state.decisions:
        return DocStatus("rejected", version=state.version)
    chain = deliverable.review
    if not chain:
        return DocStatus("filed", version=state.version)
    done = len(state.decisions)
    if done >= len(chain):
        return DocStatus("approved", version=state.version)
    return DocStatus("pending", waiting_for=chain[done], step=done, version=state.version)


def stage_index(domain: Domain, key: str) -> int:
    """Position of ``key`` in the main order; ``presales.lost`` sits after ``bidding``."""
    if key == LOST:
        return domain.sequence.index(WON) - 1
    return domain.sequence.index(key)


def next_stage(domain: Domain, current: str) -> str | None:
    """The stage after ``current`` in the main order (None at the end or when lost)."""
    if current == LOST:
        return None
    seq = domain.sequence
    i = seq.index(current)
    return seq[i + 1] if i + 1 < len(seq) else None


def resolve_stage(domain: Domain, current: str, text: str) -> str:
    """``--to``: a phase-qualified key, or a bare stage name of the current phase (or a bare
    name only one stage ahead has)."""
    keys = (*domain.sequence, LOST)
    if text in keys:
        return text
    phase = current.split(".", 1)[0]
    if f"{phase}.{text}" in keys:
        return f"{phase}.{text}"
    matches = [k for k in keys if k.split(".", 1)[1] == text]
    if len(matches) > 1 and current in keys:
        here = stage_index(domain, current)
        matches = [k for k in matches if stage_index(domain, k) > here]
    if len(matches) == 1:
        return matches[0]
    raise Invalid("ChoiceInvalid", field="--to", value=text, allowed=", ".join(keys))


def passage(domain: Domain, current: str, target: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(stages left, stages entered) when moving from ``current`` to ``target``; refused when
    the move is not forward, or ``lost`` is not reachable."""
    if current == LOST or current == domain.sequence[-1]:
        raise Refused("StageFinal", stage=current)
    if target == LOST:
        if stage_index(domain, current) >= domain.sequence.index(WON):
            raise Refused("LostTooLate", stage=current)
        return (current,), (LOST,)
    seq = domain.sequence
    i, j = seq.index(current), seq.index(target)
    if j <= i:
        raise Refused("StageNotForward", stage=current, target=target)
    return seq[i:j], seq[i + 1 : j + 1]


def missing_for_advance(
    domain: Domain,
    current: str,
    target: str,
    docs: Mapping[str, DocState],
    facts: ProjectFacts,
    *,
    reason: str | None = None,
) -> list[Missing]:
    """Everything that keeps the project from moving ``current`` → ``target``, in order.

    Going to ``lost`` needs only a reason. Otherwise, for every stage left: each required
    deliverable filed and its review chain approved, and that stage's own conditions; for
    every stage entered: its entry conditions (contract and signed date for ``won``; the
    contract amount for every stage that needs one). Only stages from the current one on
    are looked at, so a project entered mid-way (``--stage``) is never asked for records of
    stages before it."""
    left, entered = passage(domain, current, target)
    missing: list[Missing] = []
    if target == LOST:
        if not (reason and reason.strip()):
            missing.append(Missing("reason", LOST))
        return missing
    for stage in left:
        for item in domain.deliverables_of(stage):
            if not item.required:
                continue
            status = doc_status(item, docs.get(item.key))
            if status.status == "missing":
                missing.append(Missing("deliverable", stage, item.key))
            elif status.status == "rejected":
                missing.append(Missing("rejected", stage, item.key))
            elif status.status == "pending":
                missing.append(Missing("review", stage, item.key, status.waiting_for))
        missing += _conditions(domain, stage, LEAVE_NEEDS.get(stage, ()), facts)
    for stage in entered:
        needs = list(ENTER_NEEDS.get(stage, ()))
        known = domain.stage(stage)
        if known is not None and known.needs_contract and "contract" not in needs:
            needs.insert(0, "contract")
        missing += _conditions(domain, stage, tuple(needs), facts)
    return _unique(missing)


def _conditions(
    domain: Domain, stage: str, needs: tuple[str, ...], facts: ProjectFacts
) -> list[Missing]:
    out: list[Missing] = []
    for need in needs:
        if need == "acceptance":
            out += [
                Missing("acceptance", stage, kind.key)
                for kind in domain.acceptance
                if kind.required and kind.key not in facts.acceptance
            ]
        elif not getattr(facts, need):
            out.append(Missing(need, stage))
    return out


def _unique(items: list[Missing]) -> list[Missing]:
    seen: set[tuple[str, str]] = set()
    out = []
    for m in items:
        ident = (m.kind, m.key) if m.kind not in ("contract", "signed") else (m.kind, "")
        if ident not in seen:
            seen.add(ident)
            out.append(m)
    return out


def conditions_of(domain: Domain, current: str, facts: ProjectFacts) -> list[Missing]:
    """The non-document conditions still open for leaving ``current`` to the next stage."""
    nxt = next_stage(domain, current)
    if nxt is None:
        return []
    return [
        m
        for m in missing_for_advance(domain, current, nxt, {}, facts)
        if m.kind
        not in (
            "deliverable",
            "review",
            "rejected",
        )
    ]


def due_date(final_acceptance: dt.date, due_days: int) -> dt.date:
    """The day internal-acceptance materials are due: final acceptance + ``due_days``."""
    return final_acceptance + dt.timedelta(days=due_days)


def days_late(final_acceptance: dt.date, submitted: dt.date, due_days: int) -> int:
    """Rule I's days late: days after the due date (final acceptance + ``due_days``), >= 0."""
    return max(0, (submitted - due_date(final_acceptance, due_days)).days)


def acceptance_order_problem(
    sequence: tuple[str, ...], recorded: Mapping[str, dt.date], kind: str, on: dt.date
) -> str | None:
    """The event of the sequence that makes ``kind`` on ``on`` out of order, if any: an earlier
    event recorded after it, or a later one recorded before it."""
    pos = sequence.index(kind)
    for other, when in recorded.items():
        if other == kind or other not in sequence:
            continue
        before = sequence.index(other) < pos
        if (before and when > on) or (not before and when < on):
            return other
    return None


def acceptance_prerequisite(
    kinds: tuple[tuple[str, bool], ...], recorded: Mapping[str, bool | None], kind: str
) -> str | None:
    """The first required event before ``kind`` in the order (``kinds`` = (key, required) in
    order) that is not recorded, or whose latest record failed; None when all are there.
    ``recorded`` maps a key to its latest event's ``passed`` (None when not said)."""
    keys = [k for k, _ in kinds]
    pos = keys.index(kind)
    for key, required in kinds[:pos]:
        if required and (key not in recorded or recorded[key] is False):
            return key
    return None


def acceptance_repeat(
    kinds: tuple[tuple[str, bool], ...], recorded: Mapping[str, bool | None], kind: str
) -> bool:
    """Whether recording ``kind`` again is a repeat: a required event (initial, trial run,
    final, hand-over) is recorded once, unless the one recorded failed."""
    required = dict(kinds).get(kind, False)
    return required and kind in recorded and recorded[kind] is not False


def parse_week(text: str) -> tuple[str, dt.date, dt.date]:
    """``2026-W48`` → (normalised label, Monday, Sunday) of that ISO week."""
    match = _WEEK.match(text.strip())
    if match:
        try:
            monday = dt.date.fromisocalendar(int(match[1]), int(match[2]), 1)
        except ValueError:
            monday = None
        if monday is not None:
            return week_of(monday), monday, monday + dt.timedelta(days=6)
    raise Invalid("TrackingWeekInvalid", value=text)


def week_of(day: dt.date) -> str:
    """The ISO week label of ``day``: ``2026-W48``."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


__all__ = [
    "LOST",
    "WON",
    "DocState",
    "DocStatus",
    "Missing",
    "ProjectFacts",
    "acceptance_order_problem",
    "acceptance_prerequisite",
    "acceptance_repeat",
    "conditions_of",
    "days_late",
    "doc_status",
    "due_date",
    "missing_for_advance",
    "next_stage",
    "parse_week",
    "passage",
    "resolve_stage",
    "stage_index",
    "week_of",
]
