"""``db check``: every GM-approved assessment recomputed from its stored inputs with its stored
policy.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from sqlmodel import Session, col, select

from techdept.errors import TechdeptError
from techdept.ledger.models import (
    Assessment,
    PolicySnapshot,
    Project,
)
from techdept.rules import (
    TeamSpec,
    decimal_str,
    evaluate,
    fen_str,
    objective_points,
)
from techdept.services.assessment.base import (
    APPROVED,
    fen_or_none,
    label_of,
    num_or_none,
    points_of,
    policy_from,
)
from techdept.services.assessment.document import score_rows, scores_of
from techdept.services.assessment.facts import facts_from_dict

_COMPARED = (
    "composite", "grade", "share", "reserved", "final", "vetoed", "veto_reasons", "pool",
    "director_award",
)  # fmt: skip


def recheck(session: Session) -> list[str]:
    """Recompute every GM-approved assessment from its stored inputs with its stored policy;
    one finding per difference from the stored results (none in a sound ledger)."""
    from techdept.i18n import t

    findings: list[str] = []
    query = (
        select(Assessment, Project.code)
        .join(Project, col(Project.id) == col(Assessment.project_id))
        .where(Assessment.status == APPROVED)
        .order_by(col(Assessment.id))
    )
    for a, code in session.exec(query).all():
        what = label_of(code, a.track, a.period)
        snap = session.get(PolicySnapshot, a.policy_hash)
        if (
            snap is None
            or hashlib.sha256(snap.content.encode("utf-8")).hexdigest() != a.policy_hash
        ):
            findings.append(t("meeting.recheck.policy", what=what, hash=a.policy_hash[:12]))
            continue
        try:
            result = json.loads(a.result or "")
            inputs, doc = result["inputs"], result["doc"]
            policy = policy_from(snap.content, snap.hash)
            team = inputs["team"]
            spec = None
            if team:
                spec = TeamSpec(
                    team["lead"],
                    Decimal(team["lead_share"]),
                    tuple((s, Decimal(w)) for s, w in team["engineers"]),
                )
            scores = {
                s: {i: Decimal(p) for i, p in items.items()}
                for s, items in inputs["scores"].items()
            }
            ev = evaluate(policy, a.track, facts_from_dict(inputs["facts"]), scores, spec)
        except (ValueError, KeyError, TypeError, TechdeptError) as exc:
            findings.append(t("meeting.recheck.unreadable", what=what, reason=type(exc).__name__))
            continue
        findings.extend(_recheck_scores(session, a, what, policy, inputs))
        now = {
            "composite": num_or_none(ev.composite),
            "grade": ev.grade,
            "share": num_or_none(ev.share),
            "reserved": fen_or_none(ev.reserved),
            "final": fen_or_none(ev.final),
            "vetoed": ev.vetoed,
            "veto_reasons": list(ev.veto_reasons),
            "pool": fen_or_none(ev.pool),
            "director_award": fen_or_none(ev.director_award),
        }
        for key in _COMPARED:
            if doc.get(key) != now[key]:
                findings.append(
                    t(
                        "meeting.recheck.differs",
                        what=what,
                        key=key,
                        stored=doc.get(key),
                        now=now[key],
                    )
                )
        stored_split = [(x["staff"], x["role"], x["amount"]) for x in doc.get("allocations", [])]
        now_split = [(x.staff, x.role, fen_str(x.amount)) for x in ev.allocations]
        if stored_split != now_split:
            findings.append(
                t(
                    "meeting.recheck.differs",
                    what=what,
                    key="allocations",
                    stored=stored_split,
                    now=now_split,
                )
            )
    return findings


def _recheck_scores(
    session: Session, a: Assessment, what: str, policy: Any, inputs: Mapping[str, Any]
) -> list[str]:
    """The score table of an approved assessment against the scores stored with its result:
    a point changed afterwards (by hand, outside techdept) is a finding."""
    from techdept.i18n import t

    facts = facts_from_dict(inputs["facts"])
    objective = {k: v.value for k, v in objective_points(policy, a.track, facts).items()}
    rows = score_rows(session, a)
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
                    t(
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
                t(
                    "meeting.recheck.score",
                    what=what,
                    scorer=row.scorer,
                    item=row.item,
                    stored=decimal_str(objective[row.item]),
                    now=decimal_str(points),
                )
            )
    return findings
