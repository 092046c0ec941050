"""``techdept ticket``: fault tickets 故障单 from the report to the archive — assign, call, trip
and its two approvals, visit, both signatures, archive, expenses, repairs; list and show.
Every step returns the ticket's typed document (``documents.ticket.TicketDoc``), which the
lines and tables here read by attribute and ``--json`` prints."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from techdept.commands._common import CsvOpt, JsonOpt, state
from techdept.commands._options import ProjectArg, argument, choice, optional, switch, text
from techdept.i18n import t

app = typer.Typer(no_args_is_help=True)
IdArg = argument("help.ticket.id")
AtOpt = optional("--at", "help.ticket.at")
AmountOpt = text("--amount", "help.ticket.amount")
CostQuarterOpt = text("--quarter", "help.ticket.cost_quarter")
SolvedOpt = Annotated[
    bool | None, typer.Option("--solved/--not-solved", help=t("help.ticket.solved"))
]
ChannelOpt = choice("--channel", "help.ticket.channel", "channel", "hotline")
RepairActionOpt = choice("--action", "help.ticket.repair_action", "repair_action", "replace")


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


def _when(at: str | None) -> Any:
    """``--at`` when given (None: now)."""
    return parse_local_time("--at", at) if at else None


@app.command("new", help=t("help.ticket.new"))
def new(
    ctx: typer.Context,
    project: ProjectArg,
    symptom: text("--symptom", "help.ticket.symptom"),
    contact: text("--contact", "help.ticket.contact"),
    phone: text("--phone", "help.ticket.phone"),
    channel: ChannelOpt = "customer",
    reported_at: optional("--reported-at", "help.ticket.reported_at") = None,
    out_of_warranty: switch("--out-of-warranty", "help.ticket.out_of_warranty") = False,
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
    end = view.warranty_end or "—"
    _done(ctx, view, json, t(key, id=view.id, project=view.project, end=end))


@app.command("assign", help=t("help.ticket.assign"))
def assign(
    ctx: typer.Context,
    id: IdArg,
    engineer: text("--engineer", "help.ticket.engineer"),
    at: AtOpt = None,
    json: JsonOpt = False,
) -> None:
    from techdept.services import ticket as tickets

    st = state(ctx)
    view = tickets.assign(st.ledger, st.actor, id, engineer, _when(at), st.policy)
    _done(ctx, view, json, t("ticket.assigned", id=view.id, engineer=view.engineer_name))


@app.command("call", help=t("help.ticket.call"))
def call(
    ctx: typer.Context,
    id: IdArg,
    note: text("--note", "help.ticket.note"),
    solved: SolvedOpt = None,
    at: AtOpt = None,
    json: JsonOpt = False,
) -> None:
    from techdept.errors import UsageError
    from techdept.services import ticket as tickets

    if solved is None:
        raise UsageError("TicketSolvedRequired")
    st = state(ctx)
    view = tickets.call(st.ledger, st.actor, id, solved, _name("--note", note), _when(at))
    key = "ticket.solved_by_phone" if solved else "ticket.not_solved"
    _done(ctx, view, json, t(key, id=view.id))


@app.command("trip", help=t("help.ticket.trip"))
def trip(
    ctx: typer.Context,
    id: IdArg,
    first: text("--from", "help.ticket.trip_from"),
    last: text("--to", "help.ticket.trip_to"),
    purpose: text("--purpose", "help.ticket.purpose"),
    json: JsonOpt = False,
) -> None:
    from techdept.services import ticket as tickets

    st = state(ctx)
    days = _date("--from", first), _date("--to", last)
    view = tickets.trip(st.ledger, st.actor, id, *days, _name("--purpose", purpose))
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
    date: text("--date", "help.ticket.visit_date"),
    work_done: text("--work-done", "help.ticket.work_done"),
    json: JsonOpt = False,
) -> None:
    from techdept.services import ticket as tickets

    st = state(ctx)
    day, work = _date("--date", date), _name("--work-done", work_done)
    view = tickets.visit(st.ledger, st.actor, id, day, work)
    _done(ctx, view, json, t("ticket.visited", id=view.id))


@app.command("customer-sign", help=t("help.ticket.customer_sign"))
def customer_sign(
    ctx: typer.Context,
    id: IdArg,
    name: text("--name", "help.ticket.signer"),
    date: text("--date", "help.ticket.sign_date"),
    json: JsonOpt = False,
) -> None:
    from techdept.services import ticket as tickets

    st = state(ctx)
    signer, day = _name("--name", name), _date("--date", date)
    view = tickets.customer_sign(st.ledger, st.actor, id, signer, day)
    _done(ctx, view, json, t("ticket.customer_signed", id=view.id, name=signer))


@app.command("manager-sign", help=t("help.ticket.manager_sign"))
def manager_sign(ctx: typer.Context, id: IdArg, at: AtOpt = None, json: JsonOpt = False) -> None:
    from techdept.services import ticket as tickets

    st = state(ctx)
    view = tickets.manager_sign(st.ledger, st.actor, id, _when(at))
    _done(ctx, view, json, t("ticket.manager_signed", id=view.id))


@app.command("archive", help=t("help.ticket.archive"))
def archive(
    ctx: typer.Context,
    id: IdArg,
    date: optional("--date", "help.ticket.archive_date") = None,
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
    amount: AmountOpt,
    note: text("--note", "help.ticket.expense_note"),
    json: JsonOpt = False,
) -> None:
    from techdept import values
    from techdept.output import money
    from techdept.services import ticket as tickets

    st = state(ctx)
    fen = values.parse_amount("--amount", amount)
    view = tickets.expense(st.ledger, st.actor, id, fen, _name("--note", note))
    total = money(view.expenses_total)
    said = t("ticket.expense_recorded", id=view.id, amount=money(fen), total=total)
    _done(ctx, view, json, said)


@app.command("repair", help=t("help.ticket.repair"))
def repair(
    ctx: typer.Context,
    id: IdArg,
    part: text("--part", "help.ticket.part"),
    action: RepairActionOpt,
    in_warranty: switch("--in-warranty", "help.ticket.in_warranty") = False,
    quote: optional("--quote", "help.ticket.quote") = None,
    json: JsonOpt = False,
) -> None:
    from techdept import terms, values
    from techdept.errors import UsageError
    from techdept.services import ticket as tickets

    if in_warranty and quote is not None:
        raise UsageError("RepairQuoteOrWarranty")
    st = state(ctx)
    fen = values.parse_amount("--quote", quote) if quote is not None else None
    kind = terms.parse("repair_action", "--action", action)
    view = tickets.repair(st.ledger, st.actor, id, _name("--part", part), kind, fen)
    _done(ctx, view, json, t(f"ticket.repair_recorded.{action}", id=view.id, part=part))


@app.command("list", help=t("help.ticket.list"))
def list_(
    ctx: typer.Context,
    open_only: switch("--open", "help.ticket.open") = False,
    project: optional("--project", "help.ticket.project") = None,
    engineer: optional("--engineer", "help.ticket.engineer_filter") = None,
    quarter: optional("--quarter", "help.ticket.quarter") = None,
    json: JsonOpt = False,
    csv: CsvOpt = False,
) -> None:
    from techdept.services import ticket as tickets
    from techdept.values import parse_quarter

    st = state(ctx)
    q = parse_quarter(quarter) if quarter else None
    views = tickets.list_tickets(
        st.ledger, open_only=open_only, project=project, engineer=engineer, quarter=q
    )
    st.out(json=json, csv=csv).table(
        [(key, t(label)) for key, label in _LIST_COLUMNS],
        [_list_row(v) for v in views],
        title=t("ticket.list_title", count=len(views)),
        json_doc=[v.to_json(history=False) for v in views],
        csv_rows=[_csv_row(v) for v in views],
    )


_LIST_COLUMNS = (
    ("id", "ticket.label.id"),
    ("project", "label.code"),
    ("reported_at", "ticket.label.reported_at"),
    ("status", "ticket.label.status"),
    ("engineer", "ticket.label.engineer"),
    ("symptom", "ticket.label.symptom"),
    ("next", "ticket.label.next"),
)


def _list_row(view: Any) -> dict[str, Any]:
    """A ticket as ``ticket list`` shows it to people."""
    from techdept.documents.ticket import local_text

    return {
        "id": view.id,
        "project": view.project,
        "reported_at": local_text(view.reported_at),
        "status": status_label(view.status),
        "engineer": view.engineer_name or "",
        "symptom": _short(view.symptom),
        "next": "" if view.next.key == "done" else next_label(view),
    }


def _csv_row(view: Any) -> dict[str, Any]:
    """A ticket as ``ticket list --csv`` writes it: keys and codes, not words."""
    from techdept.documents.ticket import local_text

    return {
        "id": view.id,
        "project": view.project,
        "reported_at": local_text(view.reported_at),
        "status": view.status,
        "engineer": view.engineer or "",
        "symptom": view.symptom,
        "next": view.next.key,
    }


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
    from techdept.documents.ticket import local_text
    from techdept.output import money

    fields: list[tuple[str, Any]] = [
        (t("ticket.label.project"), f"{view.project} {view.project_name}"),
        (t("label.customer"), view.customer),
        (t("ticket.label.status"), status_label(view.status)),
        (t("ticket.label.channel"), t(f"ticket.channel.{view.channel}")),
        (t("ticket.label.reported_at"), local_text(view.reported_at)),
        (t("ticket.label.contact"), f"{view.contact} {view.phone}"),
        (t("ticket.label.symptom"), view.symptom),
        (
            t("ticket.label.warranty"),
            t("ticket.out_of_warranty")
            if view.out_of_warranty
            else t("ticket.warranty_until", end=view.warranty_end),
        ),
        (t("ticket.label.engineer"), view.engineer_name or "—"),
        (t("ticket.label.assigned_at"), local_text(view.assigned_at) or "—"),
        (
            t("ticket.label.solved_by"),
            t(f"ticket.solved.{view.solved_by}") if view.solved_by else "—",
        ),
        (t("ticket.label.service_date"), view.service_date or "—"),
        (t("ticket.label.service_report"), view.service_report or "—"),
    ]
    fields += _signatures(view)
    fields.append((t("ticket.label.archived_on"), view.archived_on or "—"))
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
    trip, sig = view.trip, view.customer_signature
    if trip is not None:
        line = t(
            "ticket.trip_line",
            first=trip.first,
            last=trip.last,
            purpose=trip.purpose,
            sales=trip.approved_by_sales or "—",
            manager=trip.approved_by_manager or "—",
        )
        extra.append((t("ticket.label.trip"), line))
    if sig is not None:
        extra.append((t("ticket.label.customer_signature"), f"{sig.name} {sig.date}"))
    if view.manager_signature:
        extra.append((t("ticket.label.manager_signature"), view.manager_signature))
    return extra


def _history(out: Any, view: Any) -> None:
    """The ticket's steps: when, what, by whom (for whom), the state after."""
    from techdept.documents.ticket import local_text

    columns = [
        ("at", t("ticket.label.at")),
        ("action", t("ticket.label.action")),
        ("by", t("ticket.label.by")),
        ("status", t("ticket.label.status")),
    ]
    rows = [
        {
            "at": local_text(e.at),
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


def _cost_command(kind: str) -> Any:
    """``ticket budget`` and ``ticket actual``: one quarter's service budget or actual cost."""

    def command(
        ctx: typer.Context,
        project: ProjectArg,
        quarter: CostQuarterOpt,
        amount: AmountOpt,
        json: JsonOpt = False,
    ) -> None:
        _cost(ctx, project, quarter, amount, kind, json)

    command.__name__ = kind
    return command


app.command("budget", help=t("help.ticket.budget"))(_cost_command("budget"))
app.command("actual", help=t("help.ticket.actual"))(_cost_command("actual"))


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
