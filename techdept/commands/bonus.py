"""``techdept bonus``: the quarter's payout list, paying it, reversals, extra awards,
statements (``bonus_statement``) and the department pool. The list is a document
(``documents.payout.PayoutDoc``); ``bonus_words`` words its lines, ``bonus_xlsx`` draws its
workbook."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from techdept.commands import _xlsx
from techdept.commands import bonus_words as w
from techdept.commands._common import CsvOpt, JsonOpt, default_command_group, state
from techdept.commands._xlsx import ForceOpt, XlsxOpt
from techdept.commands.bonus_statement import statement
from techdept.i18n import t
from techdept.output import fen_str, money

# ``bonus --quarter Q`` is ``bonus list --quarter Q``; reverse, award, statement and pool are
# sub-commands
app = typer.Typer(
    cls=default_command_group("list"),
    no_args_is_help=False,
    subcommand_metavar=t("help.bonus.metavar"),
)
Opt = typer.Option
app.command("statement", help=t("help.bonus.statement"))(statement)


@app.command("list", help=t("help.bonus.list"))
def bonus(
    ctx: typer.Context,
    quarter: Annotated[str | None, Opt("--quarter", help=t("help.bonus_opt.quarter"))] = None,
    pay: Annotated[bool, Opt("--pay", help=t("help.bonus_opt.pay"))] = False,
    pending: Annotated[bool, Opt("--pending", help=t("help.bonus_opt.pending"))] = False,
    json: JsonOpt = False,
    csv: CsvOpt = False,
    xlsx: XlsxOpt = None,
    force: ForceOpt = False,
) -> None:
    if quarter is None:
        from techdept.errors import UsageError

        raise UsageError("QuarterRequired")
    from techdept.services import payout_list
    from techdept.values import parse_quarter

    st = state(ctx)
    _xlsx.check(xlsx, force)
    out = st.out(json=json, csv=csv)
    ledger = st.ledger  # opened first: a missing ledger says so before a bad quarter
    q = parse_quarter(quarter)
    if out.mode == "json" and not pay:
        import sys

        with payout_list.stream(ledger, st.policy, q, pending=pending) as (head, lines):
            _write(sys.stdout, head.stream_json(lines, w.words))
        return
    if pay:
        from techdept.services import payouts

        doc = payouts.pay(ledger, st.actor, st.policy, q, pending=pending)
    else:
        doc = payout_list.payout(ledger, st.policy, q, pending=pending)
    _show(st, out, doc, xlsx, force)
    if pay:
        out.line(t("bonus.paid_now", count=doc.newly_paid, already=doc.already_paid))


def _write(stream: Any, pieces: Any) -> None:
    """Write the pieces as they come (each a batch of lines): nothing piles up in memory."""
    for piece in pieces:
        stream.write(piece)


def _show(st: Any, out: Any, doc: Any, xlsx: str | None, force: bool) -> None:
    """The list as JSON, as a workbook, as CSV or as the tables for people."""
    if out.mode == "json":
        out.json(doc.to_json(w.words))
    elif xlsx:
        from techdept.commands.bonus_xlsx import payout_workbook

        payout_workbook(st, doc, _title(doc), xlsx, force)
    elif out.mode == "csv":
        rows = [x.to_json(w.words) for x in doc.lines]
        out.table([(k, k) for k in rows[0]] if rows else [("project", "")], rows)
    else:
        _payout_tables(out, doc, st.policy)


def _title(doc: Any) -> str:
    first, last = doc.window
    key = "bonus.pending_title" if doc.only_pending else "bonus.title"
    return t(key, quarter=doc.quarter, first=first.isoformat(), last=last.isoformat())


def _payout_tables(out: Any, doc: Any, policy: Any) -> None:
    """The payout list for people: its lines, then (not for --pending) each person's total,
    the pool's movements of the quarter and the summary."""
    columns = [(k, t(label)) for k, label in w.LINE_COLUMNS]
    out.table(columns, w.line_rows(list(doc.lines), policy), title=_title(doc))
    if doc.only_pending:
        return
    out.table(
        [("person", t("bonus.col.person")), ("amount", t("bonus.col.amount"))],
        [{"person": f"{p.name} ({p.staff})", "amount": money(p.amount_fen)} for p in doc.totals],
        title=t("bonus.totals_title"),
    )
    if doc.pool_movements:
        pool_table(out, list(doc.pool_movements), title=t("bonus.pool_quarter_title"))
    out.line(
        t(
            "bonus.summary",
            total=money(doc.total_fen),
            pool=money(doc.pool_fen),
            balance=money(doc.pool_balance_fen),
        )
    )


@app.command("reverse", help=t("help.bonus.reverse"))
def reverse(
    ctx: typer.Context,
    line: Annotated[int, typer.Argument(help=t("help.bonus_opt.line"))],
    reason: Annotated[str, Opt("--reason", help=t("help.bonus_opt.reason"))],
    json: JsonOpt = False,
) -> None:
    from techdept import values
    from techdept.output import money
    from techdept.services import payouts

    st = state(ctx)
    result = payouts.reverse(
        st.ledger, st.actor, st.policy, line, values.parse_name("--reason", reason)
    )
    out = st.out(json=json)
    if out.human:
        out.line(
            t(
                "bonus.reversed",
                line=line,
                new=result.line_id,
                amount=money(result.amount_fen),
                name=result.name,
            )
        )
    else:
        out.json(result.to_json(w.words))


@app.command("award", help=t("help.bonus.award"))
def award(
    ctx: typer.Context,
    code: Annotated[str, typer.Argument(help=t("help.arg.project_code"))],
    staff: Annotated[str, Opt("--staff", help=t("help.bonus_opt.staff"))],
    amount: Annotated[str, Opt("--amount", help=t("help.bonus_opt.amount"))],
    reason: Annotated[str, Opt("--reason", help=t("help.bonus_opt.award_reason"))],
    json: JsonOpt = False,
) -> None:
    from techdept import values
    from techdept.output import money
    from techdept.services import payouts

    st = state(ctx)
    result = payouts.award(
        st.ledger,
        st.actor,
        st.policy,
        code,
        staff,
        values.parse_amount("--amount", amount),
        values.parse_name("--reason", reason),
    )
    out = st.out(json=json)
    if out.human:
        out.line(
            t(
                "bonus.awarded",
                name=result.name,
                amount=money(result.amount_fen),
                code=result.project,
            )
        )
    else:
        out.json(result.to_json(w.words))


@app.command("pool", help=t("help.bonus.pool"))
def pool(ctx: typer.Context, json: JsonOpt = False, csv: CsvOpt = False) -> None:
    from techdept.services import payouts

    st = state(ctx)
    movements, balance = payouts.pool(st.ledger)
    out = st.out(json=json, csv=csv)
    if out.mode == "json":
        out.json({"movements": [m.to_json() for m in movements], "balance": fen_str(balance)})
        return
    pool_table(out, movements, title=t("bonus.pool_title"))
    out.line(t("bonus.pool_balance", balance=money(balance)))


def pool_table(out: Any, movements: list[Any], *, title: str) -> None:
    """The pool's movements: date, project, track, slice, what moved it, amount."""

    docs = [m.to_json() for m in movements]
    out.table(
        [
            ("on", t("bonus.col.date")),
            ("project", t("bonus.col.project")),
            ("track", t("bonus.col.track")),
            ("slice_quarter", t("bonus.col.slice")),
            ("kind", t("bonus.col.kind")),
            ("amount", t("bonus.col.amount")),
        ],
        [
            d
            | {
                "track": w.track(d["track"]),
                "kind": t(f"bonus.pool_kind.{d['kind']}"),
                "amount": money(m.amount_fen),
                "slice_quarter": d["slice_quarter"] or "",
            }
            for d, m in zip(docs, movements, strict=True)
        ],
        title=title,
        csv_rows=docs,
    )
