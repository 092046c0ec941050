"""Payments received from customers; the final payment (尾款) gates every bonus payout."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlmodel import Session, col, select

from techdept import clock
from techdept.errors import Invalid, NotFound, Refused
from techdept.ledger import audit
from techdept.ledger.engine import Ledger
from techdept.ledger.models import Payment, Project
from techdept.rules.money import fen_str
from techdept.services import actors, permissions
from techdept.services.projects import find as find_project

KINDS = ("progress", "final", "retention")


@dataclass(frozen=True)
class PaymentView:
    id: int
    project: str
    kind: str
    amount_fen: int
    paid_on: dt.date
    recorded_by: str
    voided: bool
    void_reason: str | None


def _view(code: str, p: Payment) -> PaymentView:
    return PaymentView(
        id=p.id or 0,
        project=code,
        kind=p.kind,
        amount_fen=p.amount_fen,
        paid_on=p.paid_on,
        recorded_by=p.recorded_by,
        voided=p.voided_at is not None,
        void_reason=p.void_reason,
    )


def _live(session: Session, project_id: int) -> list[Payment]:
    return list(
        session.exec(
            select(Payment)
            .where(Payment.project_id == project_id, col(Payment.voided_at).is_(None))
            .order_by(Payment.paid_on, Payment.id)
        )
    )


def record_payment(
    ledger: Ledger, actor_code: str | None, code: str, kind: str, amount_fen: int, paid_on: dt.date
) -> PaymentView:
    """Record money received; refused beyond the contract, in the future, before signing
    (a final payment), or as a second final payment."""
    if kind not in KINDS:
        raise Invalid("ChoiceInvalid", field="--kind", value=kind, allowed=", ".join(KINDS))
    if amount_fen <= 0:
        raise Invalid("PaymentNotPositive")
    if paid_on > clock.today():
        raise Invalid("DateInFuture", field="--date", value=paid_on.isoformat())
    with ledger.write() as session:
        actor = actors.resolve(session, actor_code)
        permissions.check(actor, "payment.record")
        project = find_project(session, code)
        if project.contract_fen is None:
            raise Refused("PaymentNoContract", code=code)
        if kind == "final" and (project.signed_on is None or paid_on < project.signed_on):
            raise Refused(
                "FinalBeforeSigning",
                code=code,
                signed=project.signed_on.isoformat() if project.signed_on else "—",
            )
        live = _live(session, project.id or 0)
        if kind == "final":
            earlier = next((p for p in live if p.kind == "final"), None)
            if earlier is not None:
                raise Refused("SecondFinalPayment", code=code, id=earlier.id)
        received = sum(p.amount_fen for p in live)
        if received + amount_fen > project.contract_fen:
            raise Refused(
                "PaymentBeyondContract",
                code=code,
                received=fen_str(received),
                contract=fen_str(project.contract_fen),
                left=fen_str(project.contract_fen - received),
            )
        payment = Payment(
            project_id=project.id or 0,
            kind=kind,
            amount_fen=amount_fen,
            paid_on=paid_on,
            recorded_at=clock.now(),
            recorded_by=actor.code,
        )
        session.add(payment)
        session.flush()
        view = _view(code, payment)
        audit.record(
            session,
            actor.code,
            "payment.record",
            "payment",
            str(payment.id),
            after={"kind": kind, "amount_fen": amount_fen, "paid_on": paid_on.isoformat()},
            project=code,
        )
        return view


def void_payment(
    ledger: Ledger, actor_code: str | None, payment_id: int, reason: str
) -> PaymentView:
    """Void a wrong entry (it stays in the ledger, marked void, with the reason)."""
    with ledger.write() as session:
        actor = actors.resolve(session, actor_code)
        permissions.check(actor, "payment.void")
        payment = session.get(Payment, payment_id)
        if payment is None:
            raise NotFound("PaymentNotFound", id=payment_id)
        if payment.voided_at is not None:
            raise Refused("PaymentAlreadyVoid", id=payment_id)
        if payment.kind == "final":
            _refuse_if_lines_rest_on(session, payment)
        payment.voided_at = clock.now()
        payment.voided_by = actor.code
        payment.void_reason = reason
        session.add(payment)
        session.flush()
        project = session.get(Project, payment.project_id)
        code = project.code if project else ""
        audit.record(
            session,
            actor.code,
            "payment.void",
            "payment",
            str(payment_id),
            before={"voided": False},
            after={"voided": True, "reason": reason},
            project=code,
        )
        return _view(code, payment)


def _refuse_if_lines_rest_on(session: Session, payment: Payment) -> None:
    """A final payment whose paid lines depend on it (no other final payment of the project,
    on or before its date, would still open the gate) is not voided: the lines are named, to
    be reversed first."""
    from techdept.ledger.models import PayoutLine

    other = session.exec(
        select(Payment.id).where(
            Payment.project_id == payment.project_id,
            Payment.kind == "final",
            col(Payment.voided_at).is_(None),
            Payment.id != payment.id,
            Payment.paid_on <= payment.paid_on,
        )
    ).first()
    if other is not None:
        return
    reversed_ = select(PayoutLine.reverses_id).where(col(PayoutLine.reverses_id).isnot(None))
    lines = session.exec(
        select(PayoutLine.id)
        .where(
            PayoutLine.project_id == payment.project_id,
            col(PayoutLine.reverses_id).is_(None),
            col(PayoutLine.final_paid_on).isnot(None),
            PayoutLine.final_paid_on >= payment.paid_on,
            col(PayoutLine.id).not_in(reversed_),
        )
        .order_by(PayoutLine.id)
    ).all()
    if lines:
        raise Refused(
            "FinalPaymentHasPaidLines", id=payment.id, lines=", ".join(str(x) for x in lines)
        )


def list_payments(ledger: Ledger, code: str) -> list[PaymentView]:
    """Every payment of a project, voided ones included, by date."""
    with ledger.read() as session:
        project = find_project(session, code)
        rows = session.exec(
            select(Payment)
            .where(Payment.project_id == project.id)
            .order_by(Payment.paid_on, Payment.id)
        )
        return [_view(code, p) for p in rows]
