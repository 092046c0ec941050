"""``db check``: every GM-approved assessment recomputed from its stored inputs with its stored
policy.

Set-based: one query for the approved assessments, one for the policy snapshots (each hashed
once), one for every score row; then the rules for each assessment (an identical set of
inputs under the same policy is evaluated once: the rules are pure).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from techdept.documents.assessment import AssessmentDoc
from techdept.errors import Phrase, TechdeptError
from techdept.ledger import tables
from techdept.rules import (
    Evaluation,
    TeamSpec,
    decimal_str,
    evaluate,
    fen_str,
)
from techdept.services.assessment.base import (
    APPROVED,
    fen_or_none,
    label_of,
    num_or_none,
    points_of,
    policy_from,
)
from techdept.services.assessment.document import scores_of
from techdept.services.assessment.facts import facts_from_dict

_COMPARED = (
    "composite", "grade", "share", "reserved", "final", "vetoed", "veto_reasons", "pool",
    "director_award",
)  # fmt: skip


def recheck(session: Any) -> list[Phrase]:
    """Recompute every GM-approved assessment from its stored inputs with its stored policy;
    one finding per difference from the stored results (none in a sound ledger)."""
    a_t, p_t, snap_t, score_t = (
        tables.assessment,
        tables.project,
        tables.policy_snapshot,
        tables.score,
    )
    findings: list[Phrase] = []
    approved = session.execute(
        select(a_t.c.id, a_t.c.track, a_t.c.period, a_t.c.policy_hash, a_t.c.result, p_t.c.code)
        .join(p_t, p_t.c.id == a_t.c.project_id)
        .where(a_t.c.status == APPROVED)
        .order_by(a_t.c.id)
    ).all()
    if not approved:
        return findings
    snapshots: dict[str, str | None] = {}  # hash -> content, None when it does not match
    for digest, content in session.execute(select(snap_t.c.hash, snap_t.c.content)):
        ok = hashlib.sha256(content.encode("utf-8")).hexdigest() == digest
        snapshots[digest] = content if ok else None
    rows: dict[int, list[Any]] = {}
    for row in session.execute(
        select(score_t)
        .join(a_t, a_t.c.id == score_t.c.assessment_id)
        .where(a_t.c.status == APPROVED)
        .order_by(score_t.c.assessment_id, score_t.c.scorer, score_t.c.item)
    ):
        rows.setdefault(row.assessment_id, []).append(row)
    evaluated: dict[tuple[str, str, str], Any] = {}
    for a in approved:
        what = label_of(a.code, a.track, a.period)
        content = snapshots.get(a.policy_hash)
        if content is None:
            findings.append(Phrase("meeting.recheck.policy", what=what, hash=a.policy_hash[:12]))
            continue
        try:
            result = json.loads(a.result or "")
            inputs, doc = result["inputs"], AssessmentDoc.from_json(result["doc"])
            policy = policy_from(content, a.policy_hash)
            memo = (a.policy_hash, a.track, json.dumps(inputs, sort_keys=True))
            ev = evaluated.get(memo)
            if ev is None:
                ev = evaluated[memo] = _evaluate(policy, a.track, inputs)
        except (ValueError, KeyError, TypeError, TechdeptError) as exc:
            # a refusal (a newer document) is worded as it would be on its own; else the kind
            why = Phrase(exc.key, **exc.params) if isinstance(exc, TechdeptError) else None
            reason = why or type(exc).__name__
            findings.append(Phrase("meeting.recheck.unreadable", what=what, reason=reason))
            continue
        findings.extend(_recheck_scores(rows.get(a.id, []), what, ev.objective, inputs))
        findings.extend(_differences(what, doc, ev))
    return findings


def _evaluate(policy: Any, track: str, inputs: Mapping[str, Any]) -> Evaluation:
    """The rules run again on the inputs the GM's approval stored."""
    team = inputs["team"]
    spec = None
    if team:
        spec = TeamSpec(
            team["lead"],
            Decimal(team["lead_share"]),
            tuple((s, Decimal(w)) for s, w in team["engineers"]),
        )
    scores = {s: {i: Decimal(p) for i, p in items.items()} for s, items in inputs["scores"].items()}
    return evaluate(policy, track, facts_from_dict(inputs["facts"]), scores, spec)


def _differences(what: str, doc: AssessmentDoc, ev: Evaluation) -> list[Phrase]:
    """The stored document's results against the results computed again."""
    now: dict[str, Any] = {
        "composite": num_or_none(ev.composite),
        "grade": ev.grade,
        "share": num_or_none(ev.share),
        "reserved": fen_or_none(ev.reserved),
        "final": fen_or_none(ev.final),
        "vetoed": ev.vetoed,
        "veto_reasons": list(ev.veto_reasons),
        "pool": fen_or_none(ev.pool),
        "director_award": fen_or_none(ev.director_award),
        "allocations": [(x.staff, x.role, fen_str(x.amount)) for x in ev.allocations],
    }
    stored: dict[str, Any] = {key: getattr(doc, key) for key in _COMPARED}
    stored["veto_reasons"] = list(doc.veto_reasons)
    stored["allocations"] = [(x.staff, x.role, x.amount) for x in doc.allocations]
    return [
        Phrase("meeting.recheck.differs", what=what, key=key, stored=stored[key], now=now[key])
        for key in (*_COMPARED, "allocations")
        if stored[key] != now[key]
    ]


def _recheck_scores(
    rows: list[Any], what: str, objective: Mapping[str, Decimal], inputs: Mapping[str, Any]
) -> list[Phrase]:
    """The score table of an approved assessment (its rows) against the scores stored with its
    result: a point changed afterwards (by hand, outside techdept) is a finding."""
    now = {
        s: {i: decimal_str(p) for i, p in v.items()} for s, v in scores_of(rows, objective).items()
    }
    stored = inputs["scores"]
    findings = []
    for scorer in sorted(set(now) | set(stored)):
        for item in sorted(set(now.get(scorer, {})) | set(stored.get(scorer, {}))):
            was, is_ = stored.get(scorer, {}).get(item), now.get(scorer, {}).get(item)
            if was != is_:
                findings.append(
                    Phrase(
                        "meeting.recheck.score",
                        what=what,
                        scorer=scorer,
                        item=item,
                        stored=was or "—",
                        now=is_ or "—",
                    )
                )
    for row in rows:
        points = points_of(row.points_tenths)
        if row.item in objective and not row.reason and points != objective[row.item]:
            findings.append(
                Phrase(
                    "meeting.recheck.score",
                    what=what,
                    scorer=row.scorer,
                    item=row.item,
                    stored=decimal_str(objective[row.item]),
                    now=decimal_str(points),
                )
            )
    return findings
