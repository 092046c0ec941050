"""Paying a quarter (all its payable lines or none), reversals, extra awards, a person's
statement and the department pool. The list itself is read by ``payout_list``."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

from sqlmodel import Session, col, select

from techdept import clock
from techdept.documents.payout import PayoutDoc, PayoutLine, PoolMovement
from techdept.documents.statement import StatementDoc, StatementLine
from techdept.errors import Invalid, NotFound, Phrase, Refused, Term
from techdept.ledger import audit, queries, tables
from techdept.ledger.engine import Ledger
from techdept.ledger.models import (
    Assessment,
    Entitlement,
    ExtraAward,
    PayoutRun,
    Project,
    Staff,
)
from techdept.ledger.models import PayoutLine as PayoutLineRow
from techdept.rules import (
    Policy,
    payout_window,
    quarter_of,
)
from techdept.rules.money import fen_str, yuan_to_fen
from techdept.services import actors, permissions
from techdept.services.payout_list import Settling, build, iter_lines, paid_lines, payable
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


def pay(
    ledger: Ledger,
    actor_code: str | None,
    policy: Policy,
    quarter: Quarter,
    *,
    pending: bool = False,
) -> PayoutDoc:
    """Record a payout run for ``quarter``: every line payable now, all or none. A second run
    pays only what became payable since. Returns the list after the run (with ``pending``:
    the lines still waiting for their final payment), with how many lines it paid."""
    with ledger.write() as session:
        actor = actors.resolve(session, actor_code)
        permissions.check(actor, "bonus.pay")
        from techdept.services.trail import payout_findings

        tampered = payout_findings(session)
        if tampered:
            raise Refused("PayoutsTampered", count=len(tampered), first=tampered[0])
        # lines the quarter's earlier runs paid (reversals aside), as the list counts them
        already = sum(
            1 for x in paid_lines(session.connection(), quarter) if x.source != "reversal"
        )
        settling = payable(session.connection(), quarter.last_day)
        due = [x.line for x in settling]
        _check_due(actor, policy, quarter, due)
        if due:
            run = _run(session, policy, quarter, actor.code)
            _record_lines(session, run, settling)
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
        after = build(session.connection(), policy, quarter, pending=pending)
        return replace(after, newly_paid=len(due), already_paid=already)


def _check_due(actor: Any, policy: Policy, quarter: Quarter, due: list[PayoutLine]) -> None:
    """Refuse a run before the quarter begins, before a line's own dates, or one that pays
    the payer (when the policy keeps the duties apart)."""
    today = clock.today()
    if quarter.first_day > today:
        raise Refused("QuarterNotBegun", quarter=quarter, today=today.isoformat())
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


def _record_lines(session: Session, run: PayoutRun, due: list[Settling]) -> None:
    ids = _ids(session, [x.line for x in due])
    for line, entitlement_id, award_id, assessment_id in due:
        project_id, staff_id = ids[(line.project, line.staff)]
        session.add(
            PayoutLineRow(
                run_id=run.id or 0,
                entitlement_id=entitlement_id,
                award_id=award_id,
                assessment_id=assessment_id,
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


def _ids(session: Session, lines: list[PayoutLine]) -> dict[tuple[str, str], tuple[int, int]]:
    projects = {x.project for x in lines}
    people = {x.staff for x in lines}
    pid = dict(
        session.exec(select(Project.code, Project.id).where(col(Project.code).in_(projects))).all()
    )
    sid = dict(session.exec(select(Staff.code, Staff.id).where(col(Staff.code).in_(people))).all())
    return {(x.project, x.staff): (pid[x.project], sid[x.staff]) for x in lines}


def reverse(
    ledger: Ledger, actor_code: str | None, policy: Policy, line_id: int, reason: str
) -> PayoutLine:
    """A negative line in the current quarter's run; the pool is untouched and the entitlement
    is payable again only through a reopened and re-approved assessment."""
    with ledger.write() as session:
        actor = actors.resolve(session, actor_code)
        permissions.check(actor, "bonus.pay")
        original = session.get(PayoutLineRow, line_id)
        if original is None:
            raise NotFound("PayoutLineNotFound", line=line_id)
        if original.reverses_id is not None or original.amount_fen <= 0:
            raise Refused("ReverseAReversal", id=line_id)
        if session.exec(
            select(PayoutLineRow.id).where(PayoutLineRow.reverses_id == line_id)
        ).first():
            raise Refused("AlreadyReversed", id=line_id)
        quarter = quarter_of(clock.today())
        run = session.exec(
            select(PayoutRun).where(PayoutRun.quarter == quarter).order_by(col(PayoutRun.id).desc())
        ).first() or _run(session, policy, quarter, actor.code)
        negative = PayoutLineRow(
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


def _unsettled(session: Session, original: PayoutLineRow) -> int | None:
    """The current entitlement of the reversed line's share when no line settles it yet: the
    reversal settles it, so the reversed money is payable again only after a reopened and
    re-approved assessment writes a new entitlement."""
    if original.assessment_id is None:
        return None
    settled = (
        select(PayoutLineRow.id).where(PayoutLineRow.entitlement_id == Entitlement.id).exists()
    )
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
) -> PayoutLine:
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
        return _award_line(project, person, row)


def _award_line(project: Project, person: Staff, row: ExtraAward) -> PayoutLine:
    """The award as the line it adds (payable once the project's final payment is in)."""
    return PayoutLine(
        project.code,
        project.name,
        None,
        None,
        person.code,
        person.name,
        "award",
        row.amount_fen,
        False,
        row.awarded_on,
        None,
        source="award",
        reason=row.reason,
    )


def statement(ledger: Ledger, staff_code: str, year: int | None) -> StatementDoc:
    """One person's paid lines (reversals included; of ``year``, or all), each with the grade
    and final bonus of the assessment it came from, and the lines not paid yet as of today
    (payable now, or pending: approved, waiting for the final payment)."""
    with ledger.read() as session:
        person = find_staff(session, staff_code)
        paid = tuple(_paid_of(session, person, year))
        return StatementDoc(person.code, person.name, year, paid, _owed(session, person.code))


def _paid_of(session: Session, person: Staff, year: int | None) -> Iterator[StatementLine]:
    query = (
        select(
            PayoutLineRow,
            PayoutRun.run_on,
            PayoutRun.quarter,
            Project.code,
            Project.name,
            Assessment.result,
        )
        .join(PayoutRun, col(PayoutRun.id) == PayoutLineRow.run_id)
        .join(Project, col(Project.id) == PayoutLineRow.project_id)
        .outerjoin(Assessment, col(Assessment.id) == PayoutLineRow.assessment_id)
        .where(PayoutLineRow.staff_id == person.id)
        .order_by(PayoutRun.run_on, PayoutLineRow.id)
    )
    if year is not None:
        query = query.where(
            PayoutRun.run_on >= dt.date(year, 1, 1), PayoutRun.run_on <= dt.date(year, 12, 31)
        )
    for pl, run_on, quarter, code, pname, result in session.exec(query):  # type: ignore[call-overload]
        doc = json.loads(result).get("doc", {}) if result else {}
        source = "reversal" if pl.reverses_id else ("award" if pl.award_id else "entitlement")
        line = PayoutLine(
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
            reason=pl.reason,
            run_on=run_on,
        )
        yield StatementLine(line, quarter, doc.get("grade"), yuan_to_fen(doc.get("final")))


def _owed(session: Session, staff_code: str) -> tuple[PayoutLine, ...]:
    """One person's lines not paid yet, as of today: payable now, then pending; with the paid
    lines they add up to the entitlements."""
    today = clock.today()
    conn = session.connection()
    quarter = quarter_of(today)
    return tuple(
        x
        for pending in (False, True)
        for x in iter_lines(conn, quarter, today, pending=pending)
        if not x.paid and x.staff == staff_code
    )


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
    codes = dict(session.execute(select(tables.staff.c.id, tables.staff.c.code)).all())
    # Read each table once: a check over a large ledger must not query row by row.
    e = tables.entitlement.c
    entitlements: dict[int, tuple[Any, ...]] = {
        eid: rest
        for eid, *rest in session.execute(
            select(e.id, e.assessment_id, e.staff_id, e.role, e.amount_fen, e.superseded_at)
        )
    }
    findings, whats = _entitlement_findings(session, codes, entitlements)
    paid_before: dict[tuple[int | None, int, str], int] = {}
    findings += _line_findings(session, entitlements, paid_before)
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


def _entitlement_findings(
    session: Session, codes: dict[int, str], entitlements: dict[int, tuple[Any, ...]]
) -> tuple[list[Phrase], dict[int, str]]:
    """Each approved assessment's current entitlements against its stored result; and what
    each assessment is, in words of data (``P2026-001 implementation 2026Q3``)."""
    current: dict[int, dict[tuple[str | None, str], int]] = {}
    for aid, staff_id, role, amount, superseded in entitlements.values():
        if superseded is None:
            key = (codes.get(staff_id) if staff_id else None, role)
            current.setdefault(aid, {})[key] = amount
    a = tables.assessment.c
    approved = session.execute(
        select(a.id, a.track, a.period, a.result, tables.project.c.code)
        .join(tables.project, tables.project.c.id == a.project_id)
        .where(a.status == "approved")
    ).all()
    findings: list[Phrase] = []
    whats: dict[int, str] = {}
    for row in approved:
        what = f"{row.code} {row.track} {row.period}".strip()
        whats[row.id or 0] = what
        stored = current.pop(row.id or 0, {})
        findings += _share_findings(what, _expected_shares(row.result), stored)
    for aid in sorted(current):
        findings.append(Phrase("bonus.recheck.not_approved", assessment=aid))
    return findings, whats


def _expected_shares(result: str | None) -> dict[tuple[str | None, str], int | None]:
    """What an approved assessment's stored result entitles, by (staff, role)."""
    doc = json.loads(result).get("doc", {}) if result else {}
    expected: dict[tuple[str | None, str], int | None] = {
        (x["staff"], x["role"]): yuan_to_fen(x["amount"]) for x in doc.get("allocations", [])
    }
    if doc.get("director"):
        expected[(doc["director"], "director")] = yuan_to_fen(doc.get("director_award"))
    expected[(None, "pool")] = yuan_to_fen(doc.get("pool"))
    return expected


def _share_findings(
    what: str,
    expected: dict[tuple[str | None, str], int | None],
    stored: dict[tuple[str | None, str], int],
) -> Iterator[Phrase]:
    for key in sorted(set(expected) | set(stored), key=str):
        want, have = expected.get(key), stored.get(key)
        if key not in expected and have == 0:
            continue  # a person no longer named: the zero row that claws back
        if want == 0 and have is None:
            continue  # a zero share of a ledger written before zero rows were kept
        if want != have:
            yield Phrase(
                "bonus.recheck.entitlement",
                what=what,
                staff=key[0] or "-",
                role=key[1],
                stored=_yuan(have),
                expected=_yuan(want),
            )


def _line_findings(
    session: Session,
    entitlements: dict[int, tuple[Any, ...]],
    paid_before: dict[tuple[int | None, int, str], int],
) -> list[Phrase]:
    """Every paid line against what it should have paid; adds up ``paid_before`` per share."""
    awards = dict(
        session.execute(select(tables.extra_award.c.id, tables.extra_award.c.amount_fen)).all()
    )
    lines = session.execute(select(tables.payout_line).order_by(tables.payout_line.c.id)).all()
    by_id = {x.id: x for x in lines}
    findings = []
    for line in lines:
        key = (line.assessment_id, line.staff_id, line.role)
        expected: int | None = None
        if line.reverses_id is not None:
            original = by_id.get(line.reverses_id)
            expected = -original.amount_fen if original else None
        elif line.entitlement_id is not None:
            ent = entitlements.get(line.entitlement_id)
            if ent is not None and tuple(ent[:3]) == key:
                expected = ent[3] - paid_before.get(key, 0)
        elif line.award_id is not None:
            expected = awards.get(line.award_id)
        if expected != line.amount_fen:
            findings.append(
                Phrase(
                    "bonus.recheck.line",
                    line=line.id,
                    stored=_yuan(line.amount_fen),
                    expected=_yuan(expected),
                )
            )
        if line.assessment_id is not None:
            paid_before[key] = paid_before.get(key, 0) + line.amount_fen
    return findings


def _yuan(fen: int | None) -> Term:
    """An amount as data, worded where it is shown (``¥1,234.56``, or — when unknown)."""
    return Term("money", fen if isinstance(fen, int) else None)
