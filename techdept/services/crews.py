"""Construction crews (施工队, seed 2.3.4): crews quote for a project's construction, and one
of at least ``implementation.min_crew_quotes`` (2) quoting crews is chosen under a subcontract
(外包施工合同). By the implementation manager or the technical director."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from techdept import clock
from techdept.errors import Refused
from techdept.ledger import audit
from techdept.ledger.tables import crew_choice, crew_quote
from techdept.rules.money import fen_str
from techdept.services import actors, archive
from techdept.services.projects import find as find_project
from techdept.services.projects import find_row as find_project_row

if TYPE_CHECKING:
    from techdept.ledger.engine import Ledger

# Read through the Core tables (``project show`` lists the crews without the ORM); quoting
# and choosing load the models.

ROLES = ("impl-manager", "director")
OPEN_STAGES = ("implementation.preparation", "implementation.construction")


@dataclass(frozen=True)
class QuoteView:
    crew: str
    amount_fen: int
    note: str | None
    at: dt.datetime
    by: str


@dataclass(frozen=True)
class ChoiceView:
    crew: str
    amount_fen: int
    quotes: int
    contract_file: str | None
    contract_sha256: str | None
    contract_archived: str | None
    note: str | None
    at: dt.datetime
    by: str


@dataclass(frozen=True)
class CrewsView:
    project: str
    quotes: tuple[QuoteView, ...]  # the latest quote of each crew, in the order they came
    chosen: ChoiceView | None

    def to_json(self) -> dict[str, Any]:
        return {
            "project": self.project,
            "quotes": [
                {
                    "crew": q.crew,
                    "amount": fen_str(q.amount_fen),
                    "note": q.note,
                    "at": clock.stamp(q.at),
                    "by": q.by,
                }
                for q in self.quotes
            ],
            "chosen": None
            if self.chosen is None
            else {
                "crew": self.chosen.crew,
                "amount": fen_str(self.chosen.amount_fen),
                "quotes": self.chosen.quotes,
                "contract": self.chosen.contract_file,
                "contract_sha256": self.chosen.contract_sha256,
                "contract_archived": self.chosen.contract_archived,
                "note": self.chosen.note,
                "at": clock.stamp(self.chosen.at),
                "by": self.chosen.by,
            },
        }


def _check_stage(project: Any) -> None:
    if project.stage not in OPEN_STAGES:
        raise Refused(
            "CrewStage",
            code=project.code,
            stage=project.stage,
            allowed=", ".join(OPEN_STAGES),
        )


def _latest_quotes(db: Any, project_id: int) -> dict[str, Any]:
    latest: dict[str, Any] = {}
    for row in db.execute(
        select(crew_quote).where(crew_quote.c.project_id == project_id).order_by(crew_quote.c.id)
    ):
        latest.pop(row.crew, None)
        latest[row.crew] = row
    return latest


def _choice(db: Any, project_id: int) -> Any:
    return db.execute(select(crew_choice).where(crew_choice.c.project_id == project_id)).first()


def quote(
    ledger: Ledger,
    actor_code: str | None,
    code: str,
    crew: str,
    amount_fen: int,
    *,
    note: str | None = None,
) -> QuoteView:
    """Record a crew's quote; a crew quoting again replaces its earlier quote (both kept in
    the audit trail). Refused once a crew has been chosen."""
    if amount_fen <= 0:
        raise Refused("CrewAmountZero")
    from techdept.ledger.models import CrewQuote

    with ledger.write() as session:
        actor = actors.resolve(session, actor_code)
        actors.require(actor, *ROLES)
        project = find_project(session, code)
        _check_stage(project)
        if _choice(session, project.id or 0) is not None:
            raise Refused("CrewAlreadyChosen", code=code)
        previous = _latest_quotes(session, project.id or 0).get(crew)
        row = CrewQuote(
            project_id=project.id or 0,
            crew=crew,
            amount_fen=amount_fen,
            note=note,
            recorded_at=clock.now(),
            recorded_by=actor.code,
        )
        session.add(row)
        session.flush()
        audit.record(
            session,
            actor.code,
            "crew.quote",
            "crew_quote",
            f"{code}/{crew}",
            before={"amount_fen": previous.amount_fen} if previous else None,
            after={"crew": crew, "amount_fen": amount_fen, "note": note},
            project=code,
        )
        return QuoteView(crew, amount_fen, note, row.recorded_at, actor.code)


def choose(
    ledger: Ledger,
    actor_code: str | None,
    policy: Any,
    code: str,
    crew: str,
    *,
    contract: str | None = None,
    note: str | None = None,
) -> ChoiceView:
    """Give the construction to ``crew``: it must have quoted, and at least the policy's
    ``min_crew_quotes`` crews must have. The subcontract is hashed and archived when given."""
    from techdept.ledger.models import CrewChoice

    with ledger.write() as session:
        actor = actors.resolve(session, actor_code)
        actors.require(actor, *ROLES)
        project = find_project(session, code)
        _check_stage(project)
        quotes, chosen = _choosable(session, policy, project.id or 0, code, crew)
        facts = archive.copy_in(ledger, contract, code, "--contract") if contract else None
        row = CrewChoice(
            project_id=project.id or 0,
            quote_id=chosen.id or 0,
            quotes=len(quotes),
            contract_file=facts.name if facts else None,
            contract_size=facts.size if facts else None,
            contract_sha256=facts.sha256 if facts else None,
            contract_archived=facts.archived if facts else None,
            note=note,
            chosen_at=clock.now(),
            chosen_by=actor.code,
        )
        session.add(row)
        session.flush()
        audit.record(
            session,
            actor.code,
            "crew.choose",
            "crew_choice",
            f"{code}/{crew}",
            after={
                "crew": crew,
                "amount_fen": chosen.amount_fen,
                "quotes": {q.crew: q.amount_fen for q in quotes.values()},
                "contract": row.contract_file,
                "contract_sha256": row.contract_sha256,
                "note": note,
            },
            project=code,
        )
        return _choice_view(row, chosen)


def _choosable(
    session: Any, policy: Any, project_id: int, code: str, crew: str
) -> tuple[dict[str, Any], Any]:
    """The latest quotes and ``crew``'s, refused when a crew is chosen already, when fewer
    crews than the policy's ``min_crew_quotes`` have quoted, or when ``crew`` has not."""
    if _choice(session, project_id) is not None:
        raise Refused("CrewAlreadyChosen", code=code)
    quotes = _latest_quotes(session, project_id)
    if len(quotes) < policy.min_crew_quotes:
        raise Refused(
            "CrewTooFewQuotes", code=code, count=len(quotes), needed=policy.min_crew_quotes
        )
    chosen = quotes.get(crew)
    if chosen is None:
        raise Refused("CrewNoQuote", crew=crew, code=code, crews=", ".join(quotes))
    return quotes, chosen


def _choice_view(row: Any, quote_row: Any) -> ChoiceView:
    return ChoiceView(
        quote_row.crew,
        quote_row.amount_fen,
        row.quotes,
        row.contract_file,
        row.contract_sha256,
        row.contract_archived,
        row.note,
        row.chosen_at,
        row.chosen_by,
    )


def crews(ledger: Ledger, code: str) -> CrewsView:
    """A project's quotes and the crew chosen, if any."""
    with ledger.connect() as conn:
        project = find_project_row(conn, code)
        quotes = _latest_quotes(conn, project.id or 0)
        choice = _choice(conn, project.id or 0)
        chosen = None
        if choice is not None:
            quoted = conn.execute(
                select(crew_quote).where(crew_quote.c.id == choice.quote_id)
            ).one()
            chosen = _choice_view(choice, quoted)
        return CrewsView(
            code,
            tuple(
                QuoteView(q.crew, q.amount_fen, q.note, q.recorded_at, q.recorded_by)
                for q in quotes.values()
            ),
            chosen,
        )


__all__ = ["ChoiceView", "CrewsView", "QuoteView", "choose", "crews", "quote"]
