"""``ticket consult|consultations``: the after-sales desk's record of pre-sales questions
(registered on the ``ticket`` group's app)."""

from __future__ import annotations

import typer

from techdept.commands._common import CsvOpt, JsonOpt, state
from techdept.commands._options import ProjectArg, optional, switch, text
from techdept.commands.ticket import _name, _short, app
from techdept.i18n import t


@app.command("consult", help=t("help.ticket.consult"))
def consult(
    ctx: typer.Context,
    project: ProjectArg,
    question: text("--question", "help.ticket.question"),
    answer: text("--answer", "help.ticket.answer"),
    new_requirement: switch("--new-requirement", "help.ticket.new_requirement") = False,
    open_project: switch("--open-project", "help.ticket.open_project") = False,
    name: optional("--name", "help.ticket.presales_name") = None,
    json: JsonOpt = False,
) -> None:
    from techdept.services.consultations import consult as record

    st = state(ctx)
    view = record(
        st.ledger,
        st.actor,
        project,
        _name("--question", question),
        _name("--answer", answer),
        new_requirement=new_requirement,
        open_project=open_project,
        name=_name("--name", name) if name is not None else None,
    )
    out = st.out(json=json)
    if not out.human:
        out.json(view.to_json())
        return
    out.line(t("ticket.consulted", id=view.id, project=view.project))
    if view.new_requirement:
        out.line(t("ticket.passed_to", managers=", ".join(view.presales_managers)))
    if view.presales_project:
        out.line(t("ticket.presales_opened", code=view.presales_project, customer=view.customer))


@app.command("consultations", help=t("help.ticket.consultations"))
def consultations(
    ctx: typer.Context,
    project: optional("--project", "help.ticket.project") = None,
    new_requirement: switch("--new-requirement", "help.ticket.only_requirements") = False,
    json: JsonOpt = False,
    csv: CsvOpt = False,
) -> None:
    from techdept.services.consultations import list_consultations

    st = state(ctx)
    views = list_consultations(st.ledger, project, new_requirement)
    docs = [v.to_json() for v in views]
    columns = [
        ("id", t("ticket.label.consultation")),
        ("project", t("label.code")),
        ("question", t("ticket.label.question")),
        ("answer", t("ticket.label.answer")),
        ("presales_project", t("ticket.label.presales_project")),
    ]
    rows = [
        {
            "id": v.id,
            "project": v.project,
            "question": _short(v.question),
            "answer": _short(v.answer),
            "presales_project": v.presales_project
            or (t("ticket.requirement") if v.new_requirement else ""),
        }
        for v in views
    ]
    st.out(json=json, csv=csv).table(
        columns,
        rows,
        title=t("ticket.consultations_title", count=len(views)),
        json_doc=docs,
        csv_rows=docs,
    )
