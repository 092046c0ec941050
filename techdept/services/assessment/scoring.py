"""One scorer's points: the form a scorer fills in, the checks every entry passes, and recording
it (merged into the scorer's sheet, or replacing it).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, insert

from techdept import clock
from techdept.documents.assessment import AssessmentDoc
from techdept.errors import Invalid, Refused
from techdept.ledger import audit, tables
from techdept.rules import (
    Policy,
    ScorerNotRequired,
    decimal_str,
    objective_points,
    require_facts,
    validate_points,
)
from techdept.services import actors, permissions
from techdept.services.assessment.base import (
    editable,
    find_assessment_row,
    key_of,
    period_of,
    points_of,
    tenths_of,
)
from techdept.services.assessment.document import Context, context, doc_of
from techdept.services.assessment.facts import refresh_records
from techdept.services.teams import TeamView

if TYPE_CHECKING:
    from techdept.ledger.engine import Ledger

# A score is recorded through the Core tables on one write connection (``ledger.change()``):
# the commonest command of a review meeting never imports the ORM.


@dataclass(frozen=True)
class ScoreForm:
    """What a scorer is asked: the items with their bands, computed values, current points."""

    project: str
    track: str
    quarter: str | None
    scorer: str
    items: tuple[dict[str, Any], ...]
    policy: Policy

    def check(self, item: str, text: str) -> Decimal:
        """The points ``text`` for ``item`` as the rules accept them (or their refusal)."""
        return validate_points(self.policy, self.track, self.scorer, item, text)

    def computed(self, item: str) -> Decimal | None:
        found = next((i["computed"] for i in self.items if i["key"] == item), None)
        return None if found is None else Decimal(found)


def check_scorer(policy: Policy, track: str, scorer: str) -> None:
    tp = policy.track(track)
    if scorer not in tp.scorers:
        raise ScorerNotRequired(scorer, track, tp.scorers)


def score_form(
    ledger: Ledger, code: str, track: str, quarter: str | None, scorer: str
) -> ScoreForm:
    """The items a scorer fills in (for asking item by item on a terminal)."""
    period = period_of(track, quarter)
    with ledger.connect() as conn:
        a, project = find_assessment_row(conn, code, track, period)
        editable(a, code, track)
        ctx = context(conn, a, project)
        check_scorer(ctx.policy, track, scorer)
        require_facts(ctx.policy, track, ctx.facts)
        doc = doc_of(conn, ctx)
        sheet = doc.scorers.get(scorer)
        current = sheet.points if sheet else {}
        shown = doc.to_json()["items"]  # the form asks item by item, as the sheet shows them
        items = tuple(item | {"current": current.get(item["key"])} for item in shown)
        return ScoreForm(code, track, period or None, scorer, items, ctx.policy)


def validate_sheet(
    ctx: Context, scorer: str, entries: list[tuple[str, str]], reason: str | None
) -> list[tuple[str, Decimal, str | None]]:
    """Check one scorer's entries against the sheet; returns (item, points, reason) rows.
    A reason obeys the rules of every free text (no control or bidi characters, at most 200
    characters), whether it came from the command line or a CSV import."""
    from techdept.values import parse_name

    if reason:
        reason = parse_name("--reason", reason)
    policy, track = ctx.policy, ctx.assessment.track
    check_scorer(policy, track, scorer)
    require_facts(policy, track, ctx.facts)
    computed = {k: v.value for k, v in objective_points(policy, track, ctx.facts).items()}
    rows: list[tuple[str, Decimal, str | None]] = []
    seen: set[str] = set()
    for item, text in entries:
        points = validate_points(policy, track, scorer, item, text)
        if item in seen:
            raise Invalid("ItemTwice", item=item, scorer=scorer)
        seen.add(item)
        tenths_of(points)
        if item in computed:
            if points != computed[item]:
                if not reason:
                    raise Refused(
                        "ReasonRequired",
                        item=item,
                        scorer=scorer,
                        value=decimal_str(points),
                        computed=decimal_str(computed[item]),
                    )
                rows.append((item, points, reason))
            else:
                rows.append((item, points, None))
        else:
            rows.append((item, points, reason or None))
    if any(item in computed and why for item, _, why in rows):
        # the reason explains the changed computed points, not the judged items
        rows = [(i, p, why if i in computed else None) for i, p, why in rows]
    return rows


def _sheet_of(rows: list[Any], scorer: str) -> dict[str, str]:
    return {
        r.item: decimal_str(points_of(r.points_tenths)) + (f" ({r.reason})" if r.reason else "")
        for r in rows
        if r.scorer == scorer
    }


def replace_sheet(
    session: Any,
    actor: str,
    ctx: Context,
    scorer: str,
    rows: list[tuple[str, Decimal, str | None]],
    *,
    merged: bool = False,
) -> None:
    a = ctx.assessment
    before = _sheet_of(ctx.rows, scorer)
    score = tables.score
    session.execute(delete(score).where(score.c.assessment_id == a.id, score.c.scorer == scorer))
    now = clock.now()
    if rows:
        session.execute(
            insert(score),
            [
                {
                    "assessment_id": a.id,
                    "scorer": scorer,
                    "item": item,
                    "points_tenths": tenths_of(points),
                    "reason": reason,
                    "entered_by": actor,
                    "entered_at": now,
                }
                for item, points, reason in rows
            ],
        )
    after = {
        item: decimal_str(points) + (f" ({reason})" if reason else "")
        for item, points, reason in rows
    }
    audit.record(
        session,
        actor,
        "score.record" if not before else ("score.update" if merged else "score.replace"),
        "score",
        key_of(ctx.project.code, a.track, a.period) + f"/{scorer}",
        before=before or None,
        after=after,
        project=ctx.project.code,
    )


def record_scores(
    ledger: Ledger,
    actor_code: str | None,
    code: str,
    track: str,
    quarter: str | None,
    scorer: str,
    entries: list[tuple[str, str]],
    reason: str | None = None,
    *,
    replace: bool = False,
) -> AssessmentDoc:
    """Record one scorer's points. The items given change; that scorer's other points stay
    (``replace`` replaces the whole sheet). Objective items left out take the computed value;
    a different value needs a reason. The document carries ``before``: the scorer's points
    before this change."""
    period = period_of(track, quarter)
    reason = reason.strip() if reason else None
    with ledger.change() as conn:
        actor = actors.resolve(conn, actor_code)
        a, project = find_assessment_row(conn, code, track, period)
        editable(a, code, track)
        a = refresh_records(conn, actor.code, a, project)
        ctx = context(conn, a, project)
        rows = validate_sheet(ctx, scorer, entries, reason)
        own_sheet_only(actor, ctx, scorer)
        mine = [r for r in ctx.rows if r.scorer == scorer]
        before = {r.item: decimal_str(points_of(r.points_tenths)) for r in mine}
        if not replace:
            given = {item for item, _, _ in rows}
            kept = [
                (r.item, points_of(r.points_tenths), r.reason) for r in mine if r.item not in given
            ]
            rows = kept + rows
        replace_sheet(conn, actor.code, ctx, scorer, rows, merged=bool(mine) and not replace)
        doc = doc_of(conn, context(conn, a, project))
        return dataclasses.replace(doc, before=before)


def team_members(team: TeamView | None) -> list[str]:
    if team is None:
        return []
    return [team.lead, *(m.staff for m in team.engineers)]


def own_sheet_only(actor: actors.Actor, ctx: Context, scorer: str) -> None:
    """Separation of duties (policy ``duties.own_sheet_only``): a member of the assessed team
    enters or changes only the team's own ``self`` sheet."""
    members = team_members(ctx.team)
    if scorer != "self" and ctx.policy.duties["own_sheet_only"] and actor.code in members:
        raise permissions.refuse(
            actor, "score.record", code=ctx.project.code, team=", ".join(members)
        )
