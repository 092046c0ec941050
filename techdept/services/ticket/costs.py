"""What a ticket costs: expenses and parts repaired or replaced."""

from __future__ import annotations

from techdept import clock
from techdept.documents.ticket import TicketDoc
from techdept.errors import Invalid, Refused
from techdept.ledger.engine import Ledger
from techdept.ledger.models import TicketExpense, TicketRepair
from techdept.rules import tickets as rules
from techdept.services import actors
from techdept.services.ticket.reading import view_of
from techdept.services.ticket.steps import opened, record_step, refuse_state, require_engineer


def expense(
    ledger: Ledger, actor_code: str | None, code: str, amount_fen: int, note: str
) -> TicketDoc:
    """A trip expense, reimbursed against the service report signed by the manager."""
    if amount_fen <= 0:
        raise Invalid("TicketAmountZero", field="--amount")
    with opened(ledger, actor_code, code) as (session, actor, ticket, project):
        require_engineer(actor, ticket, session, "expense")
        refuse_state(session, ticket, "expense")
        session.add(
            TicketExpense(
                ticket_id=ticket.id or 0,
                amount_fen=amount_fen,
                note=note,
                recorded_at=clock.now(),
                recorded_by=actor.code,
            )
        )
        record_step(
            session,
            ticket,
            project,
            actor.code,
            "expense",
            ticket.status,
            {"amount_fen": amount_fen, "note": note},
        )
        return view_of(session, ticket)


def repair(
    ledger: Ledger,
    actor_code: str | None,
    code: str,
    part: str,
    action: str,
    quote_fen: int | None,
) -> TicketDoc:
    """A repair or replacement: free inside the warranty (by the assigned engineer); outside
    it only against a commerce quote, entered by a commerce representative, before work."""
    if action not in rules.REPAIR_ACTIONS:
        raise Invalid(
            "ChoiceInvalid", field="--action", value=action, allowed=", ".join(rules.REPAIR_ACTIONS)
        )
    with opened(ledger, actor_code, code) as (session, actor, ticket, project):
        refuse_state(session, ticket, "repair")
        if ticket.out_of_warranty:
            if quote_fen is None:
                raise Refused("RepairNeedsQuote", id=ticket.code)
            actors.require(actor, "commerce")
        else:
            if quote_fen is not None:
                raise Refused("RepairInWarranty", id=ticket.code)
            require_engineer(actor, ticket, session, "repair")
        session.add(
            TicketRepair(
                ticket_id=ticket.id or 0,
                part=part,
                action=action,
                in_warranty=not ticket.out_of_warranty,
                quote_fen=quote_fen,
                recorded_at=clock.now(),
                recorded_by=actor.code,
            )
        )
        record_step(
            session,
            ticket,
            project,
            actor.code,
            "repair",
            ticket.status,
            {
                "part": part,
                "action": action,
                "in_warranty": not ticket.out_of_warranty,
                "quote_fen": quote_fen,
            },
        )
        return view_of(session, ticket)
