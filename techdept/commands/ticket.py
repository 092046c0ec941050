"""``techdept ticket``: fault tickets 故障单 from the report to the archive — assign, call, trip
and its two approvals, visit, both signatures, archive, expenses, repairs; list and show."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from techdept.commands._choices import choices
from techdept.commands._common import CsvOpt, JsonOpt, state
from techdept.i18n import t

app = typer.Typer(no_args_is_help=True)
Opt = typer.Option
IdArg = Annotated[str, typer.Argument(help=t("help.ticket.id"))]
AtOpt = Annotated[str | None, Opt("--at", help=t("help.ticket.at"))]


def parse_local_time(field: str, text: str) -> Any:
    """``YYYY-MM-DD HH:MM`` (office local time) → an aware time."""
    import datetime as dt
    import unicodedata

    from techdept.errors import Invalid

    raw = unicodedata.normalize("NFKC", text).strip()
    try:
        return dt.datetime.strptime(raw, "%Y-%m-%d %H:%M").astimezone()
    except ValueError:
        raise Invalid("DateTimeInvalid", field=field, value=text) from None


def _name(field: str, text: str) -> str:
    from techdept import values

    return values.parse_name(field, text)


def _date(field: str, text: str) -> Any:
    from techdept import values

    return values.parse_date(field, text)


def status_label(status: str) -> str:
    return t(f"ticket.status.{status}")


def next_label(view: Any) -> str:
    return t(f"ticket.next.{view.next.key}")


def _done(ctx: typer.Context, view: Any, json: bool, message: str) -> None:
    out = state(ctx).out(json=json)
    if out.human:
        out.line(message)
        if view.next.key != "done":
            out.line(t("ticket.next_line", next=next_label(view)))
    else:
        out.json(view.to_json())


def _short(text: str | None, width: int = 24) -> str:
    if not text:
        return ""
    return text if len(text) <= width else text[: width - 1] + "…"


@app.command("new", help=t("help.ticket.new"))
def new(
    ctx: typer.Context,
    project: Annotated[str, typer.Argument(help=t("help.arg.project_code"))],
    symptom: Annotated[str, Opt("--symptom", help=t("help.ticket.symptom"))],
    contact: Annotated[str, Opt("--contact", help=t("help.ticket.contact"))],
    phone: Annotated[str, Opt("--phone", help=t("help.ticket.phone"))],
    channel: Annotated[
        str,
        Opt("--channel", help=choices("help.ticket.channel", "channel", "--channel", "hotline")),
    ] = "customer",
    reported_at: Annotated[
        str | None, Opt("--reported-at", help=t("help.ticket.reported_at"))
    ] = None,
    out_of_warranty: Annotated[
        bool, Opt("--out-of-warranty", help=t("help.ticket.out_of_warranty"))
    ] = False,
    json: JsonOpt = False,
) -> None:
    from techdept import terms
    from techdept.services.ticket import NewTicket, new_ticket

    st = state(ctx)
    view = new_ticket(
        st.ledger,
        st.actor,
        NewTicket(
            project=project,
            symptom=_name("--symptom", symptom),
            contact=_name("--contact", contact),
            phone=_name("--phone", phone),
            channel=terms.parse("channel", "--channel", channel),
            reported_at=parse_local_time("--reported-at", reported_at) if reported_at else None,
            out_of_warranty=out_of_warranty,
        ),
    )
    key = "ticket.created_out" if view.out_of_warranty else "ticket.created"
    _done(
        ctx,
        view,
        json,
        t(key, id=view.id, project=view.project, end=view.warranty_end or "—"),
    )


@app.command("assign", help=t("help.ticket.assign"))
def assign(
    ctx: typer.Context,
    id: IdArg,
    engineer: Annotated[str, Opt("--engineer", help=t("help.ticket.engineer"))],
    at: AtOpt = None,
    json: JsonOpt = False,
) -> None:
    from techdept.services import ticket as tickets

    st = state(ctx)
    when = parse_local_time("--at", at) if at else None
    view = tickets.assign(st.ledger, st.actor, id, engineer, when, st.policy)
    _done(ctx, view, json, t("ticket.assigned", id=view.id, engineer=view.engineer_name))


@app.command("call", help=t("help.ticket.call"))
def call(
    ctx: typer.Context,
    id: IdArg,
    note: Annotated[str, Opt("--note", help=t("help.ticket.note"))],
    solved: Annotated[
        bool | None, Opt("--solved/--not-solved", help=t("help.ticket.solved"))
    ] = None,
    at: AtOpt = None,
    json: JsonOpt = False,
) -> None:
    from techdept.errors import UsageError
    from techdept.services import ticket as tickets

    if solved is None:
        raise UsageError("TicketSolvedRequired")
    st = state(ctx)
    when = parse_local_time("--at", at) if at else None
    view = tickets.call(st.ledger, st.actor, id, solved, _name("--note", note), when)
    key = "ticket.solved_by_phone" if solved else "ticket.not_solved"
    _done(ctx, view, json, t(key, id=view.id))


@app.command("trip", help=t("help.ticket.trip"))
def trip(
    ctx: typer.Context,
    id: IdArg,
    first: Annotated[str, Opt("--from", help=t("help.ticket.trip_from"))],
    last: Annotated[str, Opt("--to", help=t("help.ticket.trip_to"))],
    purpose: Annotated[str, Opt("--purpose", help=t("help.ticket.purpose"))],
    json: JsonOpt = False,
) -> None:
    from techdept.services import ticket as tickets

    st = state(ctx)
    view = tickets.trip(
        st.ledger,
        st.actor,
        id,
        _date("--from", first),
        _date("--to", last),
        _name("--purpose", purpose),
    )
    _done(ctx, view, json, t("ticket.trip_requested", id=view.id))


@app.command("approve-trip", help=t("help.ticket.approve_trip"))
def approve_trip(ctx: typer.Context, id: IdArg, json: JsonOpt = False) -> None:
    from techdept.services import ticket as tickets

    st = state(ctx)
    view = tickets.approve_trip(st.ledger, st.actor, id)
    key = "ticket.trip_approved" if view.status == "trip-approved" else "ticket.trip_half"
    _done(ctx, view, json, t(key, id=view.id))


@app.command("visit", help=t("help.ticket.visit"))
def visit(
    ctx: typer.Context,
    id: IdArg,
    date: Annotated[str, Opt("--date", help=t("help.ticket.visit_date"))],
    work_done: Annotated[str, Opt("--work-done", help=t("help.ticket.work_done"))],
    json: JsonOpt = False,
) -> None:
    from techdept.services import ticket as tickets

    st = state(ctx)
    view = tickets.visit(
        st.ledger, st.actor, id, _date("--date", date), _name("--work-done", work_done)
    )
    _done(ctx, view, json, t("ticket.visited", id=view.id))


@app.command("customer-sign", help=t("help.ticket.customer_sign"))
def customer_sign(
    ctx: typer.Context,
    id: IdArg,
    name: Annotated[str, Opt("--name", help=t("help.ticket.signer"))],
    date: Annotated[str, Opt("--date", help=t("help.ticket.sign_date"))],
    json: JsonOpt = False,
) -> None:
    from techdept.services import ticket as tickets

    st = state(ctx)
    view = tickets.customer_sign(
        st.ledger, st.actor, id, _name("--name", name), _date("--date", date)
    )
    _done(ctx, view, json, t("ticket.customer_signed", id=view.id, name=view.customer_signer))


@app.command("manager-sign", help=t("help.ticket.manager_sign"))
def manager_sign(ctx: typer.Context, id: IdArg, at: AtOpt = None, json: JsonOpt = False) -> None:
    from techdept.services import ticket as tickets

    st = state(ctx)
    when = parse_local_time("--at", at) if at else None
    view = tickets.manager_sign(st.ledger, st.actor, id, when)
    _done(ctx, view, json, t("ticket.manager_signed", id=view.id))


@app.command("archive", help=t("help.ticket.archive"))
def archive(
    ctx: typer.Context,
    id: IdArg,
    date: Annotated[str | None, Opt("--date", help=t("help.ticket.archive_date"))] = None,
    json: JsonOpt = False,
) -> None:
    from techdept.services import ticket as tickets

    st = state(ctx)
    view = tickets.archive(st.ledger, st.actor, id, _date("--date", date) if date else None)
    _done(ctx, view, json, t("ticket.archived", id=view.id, date=view.archived_on))


@app.command("expense", help=t("help.ticket.expense"))
def expense(
    ctx: typer.Context,
    id: IdArg,
    amount: Annotated[str, Opt("--amount", help=t("help.ticket.amount"))],
    note: Annotated[str, Opt("--note", help=t("help.ticket.expense_note"))],
    json: JsonOpt = False,
) -> None:
    from techdept import values
    from techdept.output import money
    from techdept.services import ticket as tickets

    st = state(ctx)
    fen = values.parse_amount("--amount", amount)
    view = tickets.expense(st.ledger, st.actor, id, fen, _name("--note", note))
    _done(
        ctx,
        view,
        json,
        t(
            "ticket.expense_recorded",
            id=view.id,
            amount=money(fen),
            total=money(view.expenses_total),
        ),
    )


@app.command("repair", help=t("help.ticket.repair"))
def repair(
    ctx: typer.Context,
    id: IdArg,
    part: Annotated[str, Opt("--part", help=t("help.ticket.part"))],
    action: Annotated[
        str,
        Opt(
            "--action",
            help=choices("help.ticket.repair_action", "repair_action", "--action", "replace"),
        ),
    ],
    in_warranty: Annotated[bool, Opt("--in-warranty", help=t("help.ticket.in_warranty"))] = False,
    quote: Annotated[str | None, Opt("--quote", help=t("help.ticket.quote"))] = None,
    json: JsonOpt = False,
) -> None:
    from techdept import terms, values
    from techdept.errors import UsageError
    from techdept.services import ticket as tickets

    if in_warranty and quote is not None:
        raise UsageError("RepairQuoteOrWarranty")
    st = state(ctx)
    fen = values.parse_amount("--quote", quote) if quote is not None else None
    view = tickets.repair(
        st.ledger,
        st.actor,
        id,
        _name("--part", part),
        terms.parse("repair_action", "--action", action),
        fen,
    )
    _done(ctx, view, json, t(f"ticket.repair_recorded.{action}", id=view.id, part=part))


@app.command("list", help=t("help.ticket.list"))
def list_(
    ctx: typer.Context,
    open_only: Annotated[bool, Opt("--open", help=t("help.ticket.open"))] = False,
    project: Annotated[str | None, Opt("--project", help=t("help.ticket.project"))] = None,
    engineer: Annotated[
        str | None, Opt("--engineer", help=t("help.ticket.engineer_filter"))
    ] = None,
    quarter: Annotated[str | None, Opt("--quarter", help=t("help.ticket.quarter"))] = None,
    json: JsonOpt = False,
    csv: CsvOpt = False,
) -> None:
    from techdept.services import ticket as tickets
    from techdept.values import parse_quarter

    st = state(ctx)
    views = tickets.list_tickets(
        st.ledger,
        open_only=open_only,
        project=project,
        engineer=engineer,
        quarter=parse_quarter(quarter) if quarter else None,
    )
    docs = [v.to_json(history=False) for v in views]
    columns = [
        ("id", t("ticket.label.id")),
        ("project", t("label.code")),
        ("reported_at", t("ticket.label.reported_at")),
        ("status", t("ticket.label.status")),
        ("engineer", t("ticket.label.engineer")),
        ("symptom", t("ticket.label.symptom")),
        ("next", t("ticket.label.next")),
    ]
    rows = [
        {
            "id": v.id,
            "project": v.project,
            "reported_at": d["reported_at"],
            "status": status_label(v.status),
            "engineer": v.engineer_name or "",
            "symptom": _short(v.symptom),
            "next": "" if v.next.key == "done" else next_label(v),
        }
        for v, d in zip(views, docs, strict=True)
    ]
    csv_rows = [
        {
            "id": d["id"],
            "project": d["project"],
            "reported_at": d["reported_at"],
            "status": d["status"],
            "engineer": d["engineer"] or "",
            "symptom": d["symptom"],
            "next": d["next"]["step"],
        }
        for d in docs
    ]
    st.out(json=json, csv=csv).table(
        columns,
        rows,
        title=t("ticket.list_title", count=len(views)),
        json_doc=docs,
        csv_rows=csv_rows,
    )


@app.command("show", help=t("help.ticket.show"))
def show(ctx: typer.Context, id: IdArg, json: JsonOpt = False) -> None:
    from techdept.services import ticket as tickets

    st = state(ctx)
    view = tickets.show(st.ledger, id)
    out = st.out(json=json)
    if not out.human:
        out.json(view.to_json())
        return
    out.record(_fields(view), title=t("ticket.show_title", id=view.id))
    _history(out, view)


def _fields(view: Any) -> list[tuple[str, Any]]:
    """``ticket show`` for people: the ticket's fields, label and value."""
    from techdept.output import money

    doc = view.to_json()
    fields: list[tuple[str, Any]] = [
        (t("ticket.label.project"), f"{view.project} {view.project_name}"),
        (t("label.customer"), view.customer),
        (t("ticket.label.status"), status_label(view.status)),
        (t("ticket.label.channel"), t(f"ticket.channel.{view.channel}")),
        (t("ticket.label.reported_at"), doc["reported_at"]),
        (t("ticket.label.contact"), f"{view.contact} {view.phone}"),
        (t("ticket.label.symptom"), view.symptom),
        (
            t("ticket.label.warranty"),
            t("ticket.out_of_warranty")
            if view.out_of_warranty
            else t("ticket.warranty_until", end=view.warranty_end),
        ),
        (t("ticket.label.engineer"), view.engineer_name or "—"),
        (t("ticket.label.assigned_at"), doc["assigned_at"] or "—"),
        (
            t("ticket.label.solved_by"),
            t(f"ticket.solved.{view.solved_by}") if view.solved_by else "—",
        ),
        (t("ticket.label.service_date"), doc["service_date"] or "—"),
        (t("ticket.label.service_report"), view.service_report or "—"),
    ]
    fields += _signatures(view)
    fields.append((t("ticket.label.archived_on"), doc["archived_on"] or "—"))
    for r in view.repairs:
        fields.append(
            (
                t("ticket.label.repair"),
                t(
                    f"ticket.repair_line.{r.action}",
                    part=r.part,
                    cost=t("ticket.free") if r.in_warranty else money(r.quote),
                ),
            )
        )
    if view.expenses:
        fields.append((t("ticket.label.expenses"), money(view.expenses_total)))
    fields.append((t("ticket.label.next"), "—" if view.next.key == "done" else next_label(view)))
    return fields


def _signatures(view: Any) -> list[tuple[str, Any]]:
    """The trip and the two signatures, when the ticket has them."""
    extra: list[tuple[str, Any]] = []
    if view.trip_from:
        extra.append(
            (
                t("ticket.label.trip"),
                t(
                    "ticket.trip_line",
                    first=view.trip_from,
                    last=view.trip_to,
                    purpose=view.trip_purpose,
                    sales=view.trip_sales_by or "—",
                    manager=view.trip_manager_by or "—",
                ),
            )
        )
    if view.customer_signer:
        extra.append(
            (
                t("ticket.label.customer_signature"),
                f"{view.customer_signer} {view.customer_signed_on}",
            )
        )
    if view.manager_signed_by:
        extra.append((t("ticket.label.manager_signature"), view.manager_signed_by))
    return extra


def _history(out: Any, view: Any) -> None:
    """The ticket's steps: when, what, by whom (for whom), the state after."""
    from techdept.services import ticket as tickets

    columns = [
        ("at", t("ticket.label.at")),
        ("action", t("ticket.label.action")),
        ("by", t("ticket.label.by")),
        ("status", t("ticket.label.status")),
    ]
    rows = [
        {
            "at": tickets.local_text(e.at),
            "action": t(f"ticket.action.{e.action}"),
            "by": (
                t("ticket.on_behalf", actor=e.actor, behalf=e.on_behalf_of)
                if e.on_behalf_of
                else e.actor
            ),
            "status": status_label(e.status),
        }
        for e in view.history
    ]
    out.table(columns, rows, title=t("ticket.history_title"))


def evidence_text(figures: dict[str, Any]) -> str:
    """A quarter's ticket figures in one line (the evidence for timeliness)."""
    hours = t("ticket.no_hours")
    text = t(
        "ticket.evidence",
        opened=figures["opened"],
        closed=figures["closed"],
        on_site=figures["on_site"],
        to_assign=figures["median_hours_to_assign"] or hours,
        to_close=figures["median_hours_to_close"] or hours,
        late=figures["archived_late"],
    )
    if figures.get("archiving_points") is not None:
        text += t("ticket.evidence_points", points=figures["archiving_points"])
    return text


@app.command("budget", help=t("help.ticket.budget"))
def budget(
    ctx: typer.Context,
    project: Annotated[str, typer.Argument(help=t("help.arg.project_code"))],
    quarter: Annotated[str, Opt("--quarter", help=t("help.ticket.cost_quarter"))],
    amount: Annotated[str, Opt("--amount", help=t("help.ticket.amount"))],
    json: JsonOpt = False,
) -> None:
    _cost(ctx, project, quarter, amount, "budget", json)


@app.command("actual", help=t("help.ticket.actual"))
def actual(
    ctx: typer.Context,
    project: Annotated[str, typer.Argument(help=t("help.arg.project_code"))],
    quarter: Annotated[str, Opt("--quarter", help=t("help.ticket.cost_quarter"))],
    amount: Annotated[str, Opt("--amount", help=t("help.ticket.amount"))],
    json: JsonOpt = False,
) -> None:
    _cost(ctx, project, quarter, amount, "actual", json)


def _cost(
    ctx: typer.Context, project: str, quarter: str, amount: str, kind: str, json: bool
) -> None:
    from techdept import values
    from techdept.output import money
    from techdept.services.aftersales import record_cost
    from techdept.values import parse_quarter

    st = state(ctx)
    view = record_cost(
        st.ledger,
        st.actor,
        project,
        parse_quarter(quarter),
        kind,
        values.parse_amount("--amount", amount),
    )
    out = st.out(json=json)
    if not out.human:
        out.json(view.to_json())
        return
    out.line(
        t(
            f"ticket.cost_set.{kind}",
            project=view.project,
            quarter=view.quarter,
            amount=money(view.amount),
        )
    )
    if view.previous is not None:
        out.line(t("ticket.cost_replaced", previous=money(view.previous)))


# the pre-sales consultations register their commands on ``app``
from techdept.commands import ticket_consult  # noqa: E402,F401
