"""Paying a quarter (all its payable lines or none), reversals, extra awards, a person's
statement and the department pool. The list itself is read by ``payout_list``."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from sqlmodel import Session, col, select

from techdept import clock
from techdept.errors import Invalid, NotFound, Phrase, Refused, Term
from techdept.ledger import audit, queries, tables
from techdept.ledger.engine import Ledger
from techdept.ledger.models import (
    Assessment,
    Entitlement,
    ExtraAward,
    PayoutLine,
    PayoutRun,
    Project,
    Staff,
)
from techdept.rules import (
    Policy,
    payout_window,
    quarter_of,
)
from techdept.rules.money import fen_str, yuan_to_fen
from techdept.services import actors, permissions
from techdept.services.payout_list import Line, Payout, PoolMovement, build, paid_lines
from techdept.services.payout_list import pool as pool_of
from techdept.services.projects import find as find_project
from techdept.services.staff import find as find_staff
from techdept.values import Quarter


def _run(session: Session, policy: Policy, quarter: str, by: str) -> PayoutRun:
    window = payout_window(policy, quarter)
    run = PayoutRun(
        quarter=quarter,
        run_on=clock.today(),
        run_at=clock.now(),
        run_by=by,
        window_first=window[0],
        window_last=window[1],
    )
    session.add(run)
    session.flush()
    return run


def pay(ledger: Ledger, actor_code: str | None, policy: Policy, quarter: Quarter) -> Payout:
    """Record a payout run for ``quarter``: every line payable now, all or none. A second run
    pays only what became payable since."""
    with ledger.write() as session:
        actor = actors.resolve(session, actor_code)
        permissions.check(actor, "bonus.pay")
        from techdept.services.trail import payout_findings

        tampered = payout_findings(session)
        if tampered:
            raise Refused("PayoutsTampered", count=len(tampered), first=tampered[0])
        today = clock.today()
        if quarter.first_day > today:
            raise Refused("QuarterNotBegun", quarter=quarter, today=today.isoformat())
        before = build(session.connection(), policy, quarter)
        due = [x for x in before.lines if not x.paid]
        if not due:
            return before
        late = [x for x in due if max(x.approved_on or today, x.final_paid_on or today) > today]
        if late:
            first = late[0]
            raise Refused(
                "PayBeforeItsDates",
                today=today.isoformat(),
                count=len(late),
                project=first.project,
                staff=first.staff,
                approved=str(first.approved_on),
                final=str(first.final_paid_on),
            )
        own = [x for x in due if x.staff == actor.code]
        if own and policy.duties["payer_not_paid"]:
            raise permissions.refuse(actor, "duty.payer_paid", count=len(own))
        run = _run(session, policy, quarter, actor.code)
        ids = _ids(session, due)
        for line in due:
            project_id, staff_id = ids[(line.project, line.staff)]
            session.add(
                PayoutLine(
                    run_id=run.id or 0,
                    entitlement_id=line.source_id if line.source == "entitlement" else None,
                    award_id=line.source_id if line.source == "award" else None,
                    assessment_id=line.assessment_id,
                    project_id=project_id,
                    track=line.track,
                    slice_quarter=line.slice_quarter,
                    staff_id=staff_id,
                    role=line.role,
                    amount_fen=line.amount_fen,
                    approved_on=line.approved_on,
                    final_paid_on=line.final_paid_on,
                    reason=line.reason,
                )
            )
        session.flush()
        audit.record(
            session,
            actor.code,
            "bonus.pay",
            "payout_run",
            str(run.id),
            after={
                "quarter": quarter,
                "lines": len(due),
                "total_fen": sum(x.amount_fen for x in due),
            },
        )
        after = build(session.connection(), policy, quarter)
        after.newly_paid = len(due)
        after.already_paid = before.already_paid
        return after


def _ids(session: Session, lines: list[Line]) -> dict[tuple[str, str], tuple[int, int]]:
    projects = {x.project for x in lines}
    people = {x.staff for x in lines}
    pid = dict(
        session.exec(select(Project.code, Project.id).where(col(Project.code).in_(projects))).all()
    )
    sid = dict(session.exec(select(Staff.code, Staff.id).where(col(Staff.code).in_(people))).all())
    return {(x.project, x.staff): (pid[x.project], sid[x.staff]) for x in lines}


def reverse(
    ledger: Ledger, actor_code: str | None, policy: Policy, line_id: int, reason: str
) -> Line:
    """A negative line in the current quarter's run; the pool is untouched and the entitlement
    is payable again only through a reopened and re-approved assessment."""
    with ledger.write() as session:
        actor = actors.resolve(session, actor_code)
        permissions.check(actor, "bonus.pay")
        original = session.get(PayoutLine, line_id)
        if original is None:
            raise NotFound("PayoutLineNotFound", line=line_id)
        if original.reverses_id is not None or original.amount_fen <= 0:
            raise Refused("ReverseAReversal", id=line_id)
        if session.exec(select(PayoutLine.id).where(PayoutLine.reverses_id == line_id)).first():
            raise Refused("AlreadyReversed", id=line_id)
        quarter = quarter_of(clock.today())
        run = session.exec(
            select(PayoutRun).where(PayoutRun.quarter == quarter).order_by(col(PayoutRun.id).desc())
        ).first() or _run(session, policy, quarter, actor.code)
        negative = PayoutLine(
            run_id=run.id or 0,
            reverses_id=line_id,
            entitlement_id=_unsettled(session, original),
            assessment_id=original.assessment_id,
            project_id=original.project_id,
            track=original.track,
            slice_quarter=original.slice_quarter,
            staff_id=original.staff_id,
            role=original.role,
            amount_fen=-original.amount_fen,
            approved_on=original.approved_on,
            final_paid_on=original.final_paid_on,
            reason=reason,
        )
        session.add(negative)
        session.flush()
        line = next(
            x for x in paid_lines(session.connection(), quarter) if x.line_id == negative.id
        )
        audit.record(
            session,
            actor.code,
            "bonus.reverse",
            "payout_line",
            str(negative.id),
            before={"line": line_id, "amount_fen": original.amount_fen},
            after={"amount_fen": negative.amount_fen, "reason": reason, "quarter": quarter},
            project=line.project,
        )
        return line


def _unsettled(session: Session, original: PayoutLine) -> int | None:
    """The current entitlement of the reversed line's share when no line settles it yet: the
    reversal settles it, so the reversed money is payable again only after a reopened and
    re-approved assessment writes a new entitlement."""
    if original.assessment_id is None:
        return None
    settled = select(PayoutLine.id).where(PayoutLine.entitlement_id == Entitlement.id).exists()
    return session.exec(
        select(Entitlement.id).where(
            Entitlement.assessment_id == original.assessment_id,
            Entitlement.staff_id == original.staff_id,
            Entitlement.role == original.role,
            col(Entitlement.superseded_at).is_(None),
            ~settled,
        )
    ).first()


def award(
    ledger: Ledger,
    actor_code: str | None,
    policy: Policy,
    code: str,
    staff_code: str,
    amount_fen: int,
    reason: str,
) -> Line:
    """An extra award (GM only): paid with the project's lines once its final payment is in."""
    if amount_fen <= 0:
        raise Invalid("AwardNotPositive")
    with ledger.write() as session:
        actor = actors.resolve(session, actor_code)
        permissions.check(actor, "bonus.award")
        project = find_project(session, code)
        person = find_staff(session, staff_code)
        if person.id == actor.staff_id:
            raise permissions.refuse(actor, "duty.self_award")
        if policy.award_max_fen is not None and amount_fen > policy.award_max_fen:
            raise Refused(
                "AwardAboveMax",
                max=fen_str(policy.award_max_fen),
                policy=policy.id,
                amount=fen_str(amount_fen),
            )
        row = ExtraAward(
            project_id=project.id or 0,
            staff_id=person.id or 0,
            amount_fen=amount_fen,
            reason=reason,
            awarded_on=clock.today(),
            awarded_by=actor.code,
            recorded_at=clock.now(),
        )
        session.add(row)
        session.flush()
        audit.record(
            session,
            actor.code,
            "bonus.award",
            "extra_award",
            str(row.id),
            after={"staff": person.code, "amount_fen": amount_fen, "reason": reason},
            project=project.code,
        )
        return Line(
            project.code,
            project.name,
            None,
            None,
            person.code,
            person.name,
            "award",
            amount_fen,
            False,
            row.awarded_on,
            None,
            source="award",
            source_id=row.id,
            reason=reason,
        )


@dataclass(frozen=True)
class StatementLine:
    line: Line
    quarter: str
    grade: str | None
    final_fen: int | None


def statement(
    ledger: Ledger, staff_code: str, year: int | None
) -> tuple[str, str, list[StatementLine]]:
    """One person's paid lines (reversals included), each with the grade and final bonus of
    the assessment it came from."""
    with ledger.read() as session:
        person = find_staff(session, staff_code)
        query = (
            select(
                PayoutLine,
                PayoutRun.run_on,
                PayoutRun.quarter,
                Project.code,
                Project.name,
                Assessment.result,
            )
            .join(PayoutRun, col(PayoutRun.id) == PayoutLine.run_id)
            .join(Project, col(Project.id) == PayoutLine.project_id)
            .outerjoin(Assessment, col(Assessment.id) == PayoutLine.assessment_id)
            .where(PayoutLine.staff_id == person.id)
            .order_by(PayoutRun.run_on, PayoutLine.id)
        )
        if year is not None:
            query = query.where(
                PayoutRun.run_on >= dt.date(year, 1, 1), PayoutRun.run_on <= dt.date(year, 12, 31)
            )
        out = []
        for pl, run_on, quarter, code, pname, result in session.exec(query):  # type: ignore[call-overload]
            doc = json.loads(result).get("doc", {}) if result else {}
            source = "reversal" if pl.reverses_id else ("award" if pl.award_id else "entitlement")
            line = Line(
                code,
                pname,
                pl.track,
                pl.slice_quarter,
                person.code,
                person.name,
                pl.role,
                pl.amount_fen,
                True,
                pl.approved_on,
                pl.final_paid_on,
                line_id=pl.id,
                source=source,
                source_id=pl.reverses_id or pl.award_id or pl.entitlement_id,
                assessment_id=pl.assessment_id,
                reason=pl.reason,
                run_on=run_on,
            )
            out.append(
                StatementLine(line, quarter, doc.get("grade"), yuan_to_fen(doc.get("final")))
            )
        return person.code, person.name, out


def owed(ledger: Ledger, staff_code: str) -> list[Line]:
    """One person's lines not paid yet, as of today: payable now, or pending (approved,
    waiting for the final payment); with the paid lines they add up to the entitlements."""
    from techdept.services.payout_list import iter_lines

    today = clock.today()
    with ledger.read() as session:
        person = find_staff(session, staff_code)
        conn = session.connection()
        quarter = quarter_of(today)
        lines = [
            x
            for pending in (False, True)
            for x in iter_lines(conn, quarter, today, pending=pending)
            if not x.paid and x.staff == person.code
        ]
    return lines


def pool(ledger: Ledger) -> tuple[list[PoolMovement], int]:
    """Every pool movement and the balance today."""
    with ledger.connect() as conn:
        movements, _ = pool_of(conn, dt.date(1900, 1, 1), dt.date(9999, 12, 31))
        return movements, queries.pool_balance(conn, clock.today())


def recheck(session: Session) -> list[Phrase]:
    """``db check``: every current entitlement against its approved assessment's stored
    result, and every paid line against what it paid (an entitlement less what was paid
    before for the same person and role, an award, or the exact opposite of a reversed line).
    One finding per difference. One Core query per table, no ORM object per row."""
    findings: list[Phrase] = []
    codes = dict(session.execute(select(tables.staff.c.id, tables.staff.c.code)).all())
    # Read each table once: a check over a large ledger must not query row by row.
    entitlements = {
        eid: (aid, staff_id, role, amount, superseded)
        for eid, aid, staff_id, role, amount, superseded in session.execute(
            select(
                tables.entitlement.c.id,
                tables.entitlement.c.assessment_id,
                tables.entitlement.c.staff_id,
                tables.entitlement.c.role,
                tables.entitlement.c.amount_fen,
                tables.entitlement.c.superseded_at,
            )
        )
    }
    current: dict[int, dict[tuple[str | None, str], int]] = {}
    for aid, staff_id, role, amount, superseded in entitlements.values():
        if superseded is None:
            key = (codes.get(staff_id) if staff_id else None, role)
            current.setdefault(aid, {})[key] = amount
    awards = dict(
        session.execute(select(tables.extra_award.c.id, tables.extra_award.c.amount_fen)).all()
    )
    whats: dict[int, str] = {}
    approved = session.execute(
        select(
            tables.assessment.c.id,
            tables.assessment.c.track,
            tables.assessment.c.period,
            tables.assessment.c.result,
            tables.project.c.code,
        )
        .join(tables.project, tables.project.c.id == tables.assessment.c.project_id)
        .where(tables.assessment.c.status == "approved")
    ).all()
    for a in approved:
        code = a.code
        doc = json.loads(a.result).get("doc", {}) if a.result else {}
        expected: dict[tuple[str | None, str], int | None] = {
            (x["staff"], x["role"]): yuan_to_fen(x["amount"]) for x in doc.get("allocations", [])
        }
        if doc.get("director"):
            expected[(doc["director"], "director")] = yuan_to_fen(doc.get("director_award"))
        expected[(None, "pool")] = yuan_to_fen(doc.get("pool"))
        stored = current.pop(a.id or 0, {})
        what = f"{code} {a.track} {a.period}".strip()
        whats[a.id or 0] = what
        for key in sorted(set(expected) | set(stored), key=str):
            want, have = expected.get(key), stored.get(key)
            if key not in expected and have == 0:
                continue  # a person no longer named: the zero row that claws back
            if want == 0 and have is None:
                continue  # a zero share of a ledger written before zero rows were kept
            if want != have:
                findings.append(
                    Phrase(
                        "bonus.recheck.entitlement",
                        what=what,
                        staff=key[0] or "-",
                        role=key[1],
                        stored=_yuan(stored.get(key)),
                        expected=_yuan(expected.get(key)),
                    )
                )
    for aid in sorted(current):
        findings.append(Phrase("bonus.recheck.not_approved", assessment=aid))
    lines = session.execute(select(tables.payout_line).order_by(tables.payout_line.c.id)).all()
    by_id = {x.id: x for x in lines}
    paid_before: dict[tuple[int | None, int, str], int] = {}
    for line in lines:
        key = (line.assessment_id, line.staff_id, line.role)
        expected_amount: int | None = None
        if line.reverses_id is not None:
            original = by_id.get(line.reverses_id)
            expected_amount = -original.amount_fen if original else None
        elif line.entitlement_id is not None:
            ent = entitlements.get(line.entitlement_id)
            if (
                ent is not None
                and ent[0] == line.assessment_id
                and ent[1] == line.staff_id
                and ent[2] == line.role
            ):
                expected_amount = ent[3] - paid_before.get(key, 0)
        elif line.award_id is not None:
            expected_amount = awards.get(line.award_id)
        if expected_amount != line.amount_fen:
            findings.append(
                Phrase(
                    "bonus.recheck.line",
                    line=line.id,
                    stored=_yuan(line.amount_fen),
                    expected=_yuan(expected_amount),
                )
            )
        if line.assessment_id is not None:
            paid_before[key] = paid_before.get(key, 0) + line.amount_fen
    # Money paid on a share of an approved assessment must have a current entitlement to be
    # settled against (a zero row for a person no longer named), or it is never clawed back.
    shares = {
        (aid, staff_id, role)
        for aid, staff_id, role, _, superseded in entitlements.values()
        if superseded is None
    }
    for (aid, staff_id, role), net in sorted(paid_before.items(), key=str):
        if net and aid in whats and (aid, staff_id, role) not in shares:
            findings.append(
                Phrase(
                    "bonus.recheck.unsettled",
                    what=whats[aid],
                    staff=codes.get(staff_id, staff_id),
                    role=role,
                    paid=_yuan(net),
                )
            )
    return findings


def _yuan(fen: int | None) -> Term:
    """An amount as data, worded where it is shown (``¥1,234.56``, or — when unknown)."""
    return Term("money", fen if isinstance(fen, int) else None)
