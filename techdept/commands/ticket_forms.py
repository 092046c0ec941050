"""``ticket`` sheets: the ticket's paper forms (``form ticket|service-report|trip``) and the
quarter's ticket figures per project (``report tickets``)."""

from __future__ import annotations

import typer

from techdept.commands._common import state
from techdept.commands._options import switch, text
from techdept.commands.ticket import IdArg
from techdept.i18n import t


def tickets_report(
    ctx: typer.Context, quarter: str, project: str | None, json: bool, csv: bool
) -> None:
    """``report tickets``: the quarter's ticket figures per project."""
    from techdept.services.aftersales import report
    from techdept.values import parse_quarter

    st = state(ctx)
    q = parse_quarter(quarter)
    views = report(st.ledger, st.policy, q, project)
    docs = [v.to_json() for v in views]
    keys = (
        "project",
        "opened",
        "closed",
        "on_site",
        "median_hours_to_assign",
        "median_hours_to_close",
        "archived_late",
        "archiving_points",
    )
    columns = [(k, t(f"ticket.report.{k}")) for k in keys]
    rows = [{k: ("—" if d[k] is None else d[k]) for k in keys} for d in docs]
    st.out(json=json, csv=csv).table(
        columns,
        rows,
        title=t("ticket.report_title", quarter=q, count=len(docs)),
        json_doc=docs,
        csv_rows=docs,
    )


def _form(ctx: typer.Context, id: str, out: str, force: bool, kind: str) -> None:
    from techdept.commands.form import _docx_path, _save
    from techdept.errors import Refused
    from techdept.forms.context.ticket import ticket_context
    from techdept.forms.sheets.ticket import draw_ticket
    from techdept.services import forms
    from techdept.services import ticket as tickets

    st = state(ctx)
    path = _docx_path(out, force)
    view = tickets.show(st.ledger, id)
    if kind == "trip" and view.trip is None:
        raise Refused("FormNoTrip", id=view.id)
    if kind == "service-report" and view.solved_by is None:
        raise Refused("FormNoServiceReport", id=view.id)
    sheet = ticket_context(view, kind, st.lang)
    _save(draw_ticket, sheet, path, forms.company(st.ledger))
    st.out().line(t("form.cli.written", path=str(path)))


FormOut = text("--out", "help.form.opt.out")
FormForce = switch("--force", "help.form.opt.force")


def form_ticket(ctx: typer.Context, id: IdArg, out: FormOut, force: FormForce = False) -> None:
    _form(ctx, id, out, force, "ticket")


def form_service_report(
    ctx: typer.Context, id: IdArg, out: FormOut, force: FormForce = False
) -> None:
    _form(ctx, id, out, force, "service-report")


def form_trip(ctx: typer.Context, id: IdArg, out: FormOut, force: FormForce = False) -> None:
    _form(ctx, id, out, force, "trip")
