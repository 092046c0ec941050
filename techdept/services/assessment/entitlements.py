"""What the GM's approval entitles each person to (and the zero rows that claw back what is no
longer owed).
"""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session, select

from techdept.ledger.models import (
    Entitlement,
    PayoutLine,
    Staff,
)
from techdept.services.assessment.document import Context


def write_entitlements(session: Session, ctx: Context, on: dt.date) -> None:
    a, ev = ctx.assessment, ctx.evaluation
    ids = dict(session.exec(select(Staff.code, Staff.id)).all())
    lines: list[tuple[str | None, str, int]] = [
        (x.staff, x.role, int(x.amount)) for x in ev.allocations
    ]
    lines.append((a.director_approved_by, "director", int(ev.director_award or 0)))
    lines.append((None, "pool", int(ev.pool or 0)))
    # Everyone this assessment ever entitled or paid and no longer named gets a zero row, so
    # what was paid to them is clawed back (payable = entitlement − already paid).
    codes = {v: k for k, v in ids.items()}
    named = {(staff, role) for staff, role, _ in lines}
    earlier = session.exec(
        select(Entitlement.staff_id, Entitlement.role).where(Entitlement.assessment_id == a.id)
    ).all()
    paid = session.exec(
        select(PayoutLine.staff_id, PayoutLine.role).where(PayoutLine.assessment_id == a.id)
    ).all()
    for staff_id, role in sorted({*earlier, *paid}, key=str):
        key = (codes.get(staff_id) if staff_id else None, role)
        if key not in named:
            named.add(key)
            lines.append((key[0], role, 0))
    for staff, role, amount in lines:
        session.add(
            Entitlement(
                assessment_id=a.id,  # type: ignore[arg-type]
                version=a.version,
                project_id=ctx.project.id,  # type: ignore[arg-type]
                track=a.track,
                slice_quarter=a.period or None,
                staff_id=ids.get(staff) if staff else None,
                role=role,
                amount_fen=amount,
                approved_on=on,
            )
        )
