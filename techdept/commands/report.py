"""``techdept report``: reports over the ledger — the weekly pre-sales tracking sheet."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from techdept.commands import _xlsx
from techdept.commands._common import CsvOpt, JsonOpt, state
from techdept.commands._xlsx import ForceOpt, XlsxOpt
from techdept.i18n import lang, t

app = typer.Typer(no_args_is_help=True)


@app.command("tracking", help=t("help.report.tracking"))
def tracking(
    ctx: typer.Context,
    week: Annotated[str | None, typer.Option("--week", help=t("help.report.week"))] = None,
    json: JsonOpt = False,
    csv: CsvOpt = False,
    xlsx: XlsxOpt = None,
    force: ForceOpt = False,
) -> None:
    from techdept.services.tracking import tracking as tracking_sheet

    st = state(ctx)
    _xlsx.check(xlsx, force)
    view = tracking_sheet(st.ledger, week)
    rows = _tracking_rows(view)
    doc = view.to_json()
    docs = doc["projects"]
    columns = [
        ("code", t("label.code")),
        ("name", t("label.project_name")),
        ("customer", t("label.customer")),
        ("stage", t("label.stage")),
        ("since", t("report.label.since")),
        ("days", t("report.label.days")),
        ("next", t("report.label.next")),
        ("owner", t("report.label.owner")),
        ("sales", t("label.sales")),
    ]
    csv_rows = [
        row
        | {
            "stage": doc["stage"],
            "next": (doc["next"] or {}).get("doc") or (doc["next"] or {}).get("kind") or "",
            "owner": (doc["next"] or {}).get("owner") or "",
            "sales": doc["sales"] or "",
        }
        for row, doc in zip(rows, docs, strict=True)
    ]
    title = t(
        "report.tracking_title",
        week=view.week,
        first=view.first_day.isoformat(),
        last=view.last_day.isoformat(),
        as_of=view.as_of.isoformat(),
        count=len(view.rows),
    )
    if xlsx:
        kinds = {"since": "date", "days": "int"}
        cols = [(k, label, kinds.get(k, "text")) for k, label in columns]
        sheet = _xlsx.sheet(st, t("xlsx.sheet.tracking"), title, cols, rows)
        _xlsx.export(st, xlsx, force, [sheet])
        return
    st.out(json=json, csv=csv).table(
        columns,
        rows,
        title=title,
        json_doc=doc,
        csv_rows=csv_rows,
    )


def _tracking_rows(view: Any) -> list[dict[str, str]]:
    """The sheet's rows as the terminal and the .xlsx show them (translated)."""
    from techdept.display import role_name, stage_label
    from techdept.rules.domain import domain

    d = domain()

    def next_text(row: Any) -> str:
        step = row.next
        if step is None:
            return t("report.ready")
        if step.doc and d.deliverable(step.doc):
            name = d.deliverable(step.doc).name(lang())  # type: ignore[union-attr]
            key = "report.next_review" if step.kind == "review" else "report.next_file"
            return t(key, doc=name)
        return t(f"lifecycle.missing.{step.kind}")

    def owner_text(row: Any) -> str:
        step = row.next
        if step is None or step.owner is None:
            return ""
        if step.owner == "sales":
            return row.sales_name or role_name("sales", row.sales)
        return t(f"role.{step.owner}")

    return [
        {
            "code": r.code,
            "name": r.name,
            "customer": r.customer,
            "stage": stage_label(r.stage),
            "since": r.since.isoformat(),
            "days": str(r.days_in_stage),
            "next": next_text(r),
            "owner": owner_text(r),
            "sales": r.sales_name or "",
        }
        for r in view.rows
    ]


@app.command("tickets", help=t("help.report.tickets"))
def tickets(
    ctx: typer.Context,
    quarter: Annotated[str, typer.Option("--quarter", help=t("help.ticket.cost_quarter"))],
    project: Annotated[str | None, typer.Option("--project", help=t("help.ticket.project"))] = None,
    json: JsonOpt = False,
    csv: CsvOpt = False,
) -> None:
    from techdept.commands.ticket_forms import tickets_report

    tickets_report(ctx, quarter, project, json, csv)


# ---------------------------------------------------------------- the quarter at a glance


def _bar(value: int, top: int, mode: str, width: int = 24) -> str:
    """A horizontal bar of ``value`` against ``top`` in eighths of a character."""
    if top <= 0 or value <= 0:
        return ""
    eighths = round(value / top * width * 8)
    text = "█" * (eighths // 8) + ("", "▏", "▎", "▍", "▌", "▋", "▊", "▉")[eighths % 8]
    return f"[cyan]{text}[/cyan]" if mode == "rich" else text


@app.command("quarter", help=t("help.report.quarter"))
def quarter(
    ctx: typer.Context,
    quarter: Annotated[str, typer.Argument(help=t("help.report.arg_quarter"), metavar="QUARTER")],
    json: JsonOpt = False,
    xlsx: XlsxOpt = None,
    force: ForceOpt = False,
) -> None:
    from techdept.output import money
    from techdept.services.quarter import quarter_report
    from techdept.values import parse_quarter

    st = state(ctx)
    _xlsx.check(xlsx, force)
    report = quarter_report(st.ledger, st.policy, parse_quarter(quarter))
    if xlsx:
        _quarter_xlsx(st, report, xlsx, force)
        return
    out = st.out(json=json)
    if out.mode == "json":
        out.json(report.to_dict())
        return
    out.line(t("report.quarter.title", quarter=report.quarter,
               first=report.first_day.isoformat(), last=report.last_day.isoformat()))  # fmt: skip
    out.table(
        [("track", t("meeting.label.track")), ("approved", t("report.quarter.approved")),
         ("open", t("report.quarter.open")), ("final", t("meeting.label.final"))],
        [{"track": t(f"track.{x.track}"), "approved": str(x.approved), "open": str(x.open),
          "final": money(x.final_fen)} for x in report.tracks],
        title=t("report.quarter.tracks_title"),
    )  # fmt: skip
    grades = report.grade_names
    totals = {g: sum(dict(x.grades)[g] for x in report.tracks) for g in grades}
    top = max(totals.values(), default=0)
    by_track = [(x.track, t(f"track.{x.track}")) for x in report.tracks]
    out.table(
        [("grade", t("meeting.label.grade")), *by_track, ("count", t("xlsx.total")), ("bar", "")],
        [{"grade": g, **{x.track: str(dict(x.grades)[g]) for x in report.tracks},
          "count": str(totals[g]), "bar": _bar(totals[g], top, out.mode)} for g in grades],
        title=t("report.quarter.grades_title"),
    )  # fmt: skip
    top = max((p.total_fen for p in report.people), default=0)
    out.table(
        [("person", t("bonus.col.person")), ("paid", t("report.quarter.paid")),
         ("payable", t("report.quarter.payable")), ("pending", t("report.quarter.pending")),
         ("clawed_back", t("report.quarter.clawed_back")), ("total", t("xlsx.total")),
         ("bar", "")],
        [{"person": f"{p.name} ({p.staff})", "paid": money(p.paid_fen),
          "payable": money(p.payable_fen), "pending": money(p.pending_fen),
          "clawed_back": money(p.clawed_back_fen), "total": money(p.total_fen),
          "bar": _bar(p.total_fen, top, out.mode)} for p in report.people],
        title=t("report.quarter.people_title"),
    )  # fmt: skip
    from techdept.commands.bonus import pool_table

    pool_table(out, list(report.pool_movements), title=t("bonus.pool_quarter_title"))
    out.line(t("bonus.pool_balance", balance=money(report.pool_balance_fen)))
    _quarter_sanctions_and_open(out, report)


def _quarter_sanctions_and_open(out: Any, report: Any) -> None:
    """The quarter's sanctions and the assessments still open, as tables."""
    sanction_rows = [
        {"person": f"{s.name} ({s.staff})", "track": t(f"track.{s.track}"),
         "effect": t(f"sanction.effect.{s.effect}") if s.effect else "—", "because": s.labels}
        for s in report.sanctions
    ]  # fmt: skip
    sanctions_title = t("report.quarter.sanctions_title", count=len(report.sanctions))
    if sanction_rows:
        out.table(
            [("person", t("bonus.col.person")), ("track", t("meeting.label.track")),
             ("effect", t("meeting.label.effect")), ("because", t("report.quarter.because"))],
            sanction_rows,
            title=sanctions_title,
        )  # fmt: skip
    else:
        out.line(sanctions_title)
    if not report.open:
        out.line(t("report.quarter.open_title", count=0))
        return
    out.table(
        [("project", t("label.code")), ("name", t("label.project_name")),
         ("track", t("meeting.label.track")), ("quarter", t("meeting.label.quarter")),
         ("status", t("meeting.label.status")), ("opened", t("report.quarter.opened"))],
        [{"project": a.project, "name": a.project_name, "track": t(f"track.{a.track}"),
          "quarter": a.quarter or "", "status": t(f"meeting.status.{a.status}"),
          "opened": a.opened_on.isoformat()} for a in report.open],
        title=t("report.quarter.open_title", count=len(report.open)),
    )  # fmt: skip


def _quarter_xlsx(st: Any, report: Any, path: str, force: bool) -> None:
    """The quarter as a workbook with native bar charts (grades; bonus by person)."""
    from techdept.forms.workbook import Chart, Column, Section, Sheet

    meta = _xlsx.meta(st, report.policy)
    title = t("report.quarter.title", quarter=report.quarter,
              first=report.first_day.isoformat(), last=report.last_day.isoformat())  # fmt: skip
    total = t("xlsx.total")
    tracks = Section(
        [Column("track", t("meeting.label.track")),
         Column("approved", t("report.quarter.approved"), "int", total=True),
         Column("open", t("report.quarter.open"), "int", total=True),
         Column("final", t("meeting.label.final"), "money", total=True)],
        [{"track": t(f"track.{x.track}"), "approved": x.approved, "open": x.open,
          "final": x.final_fen} for x in report.tracks],
        title=t("report.quarter.tracks_title"), total_label=total,
    )  # fmt: skip
    grade_rows = [
        {"grade": g, **{x.track: dict(x.grades)[g] for x in report.tracks},
         "count": sum(dict(x.grades)[g] for x in report.tracks)}
        for g in report.grade_names
    ]  # fmt: skip
    grades = Section(
        [Column("grade", t("meeting.label.grade")),
         *(Column(x.track, t(f"track.{x.track}"), "int", total=True) for x in report.tracks),
         Column("count", total, "int", total=True)],
        grade_rows, title=t("report.quarter.grades_title"), total_label=total,
        charts=[Chart(t("report.quarter.grades_title"), "grade", "count")],
    )  # fmt: skip
    people = Section(
        [Column("staff", t("xlsx.col.staff")), Column("name", t("label.name")),
         Column("paid", t("report.quarter.paid"), "money", total=True),
         Column("payable", t("report.quarter.payable"), "money", total=True),
         Column("pending", t("report.quarter.pending"), "money", total=True),
         Column("clawed_back", t("report.quarter.clawed_back"), "money", total=True),
         Column("total", total, "money", total=True)],
        [{"staff": p.staff, "name": p.name, "paid": p.paid_fen, "payable": p.payable_fen,
          "pending": p.pending_fen, "clawed_back": p.clawed_back_fen, "total": p.total_fen}
         for p in report.people],
        title=t("report.quarter.people_title"), total_label=total,
        charts=[Chart(t("report.quarter.people_chart"), "name", "total")],
    )  # fmt: skip
    pool, sanctions, still_open = _quarter_xlsx_other(report, total)
    sheets = [
        Sheet(t("report.quarter.sheet.overview"), title, [tracks, grades], meta),
        Sheet(t("report.quarter.sheet.people"), title, [people], meta),
        Sheet(t("report.quarter.sheet.pool"), title, [pool], meta),
        Sheet(t("report.quarter.sheet.other"), title, [sanctions, still_open], meta),
    ]
    _xlsx.export(st, path, force, sheets)


def _quarter_xlsx_other(report: Any, total: str) -> tuple[Any, Any, Any]:
    """The workbook's pool, sanctions and still-open sections."""
    from techdept.forms.workbook import Column, Section
    from techdept.output import money

    pool = Section(
        [Column("on", t("bonus.col.date"), "date"), Column("project", t("bonus.col.project")),
         Column("track", t("bonus.col.track")), Column("slice", t("bonus.col.slice")),
         Column("kind", t("bonus.col.kind")),
         Column("amount", t("bonus.col.amount"), "money", total=True)],
        [{"on": m.on, "project": m.project, "track": t(f"track.{m.track}"),
          "slice": m.slice_quarter or "", "kind": t(f"bonus.pool_kind.{m.kind}"),
          "amount": m.amount_fen} for m in report.pool_movements],
        title=t("bonus.pool_quarter_title") + " · "
        + t("bonus.pool_balance", balance=money(report.pool_balance_fen)),
        total_label=total,
    )  # fmt: skip
    sanctions = Section(
        [Column("staff", t("xlsx.col.staff")), Column("name", t("label.name")),
         Column("track", t("meeting.label.track")), Column("effect", t("meeting.label.effect")),
         Column("because", t("report.quarter.because"))],
        [{"staff": s.staff, "name": s.name, "track": t(f"track.{s.track}"),
          "effect": t(f"sanction.effect.{s.effect}") if s.effect else "—",
          "because": s.labels} for s in report.sanctions],
        title=t("report.quarter.sanctions_title", count=len(report.sanctions)),
    )  # fmt: skip
    still_open = Section(
        [Column("project", t("label.code")), Column("name", t("label.project_name")),
         Column("track", t("meeting.label.track")), Column("quarter", t("meeting.label.quarter")),
         Column("status", t("meeting.label.status")),
         Column("opened", t("report.quarter.opened"), "date")],
        [{"project": a.project, "name": a.project_name, "track": t(f"track.{a.track}"),
          "quarter": a.quarter or "", "status": t(f"meeting.status.{a.status}"),
          "opened": a.opened_on} for a in report.open],
        title=t("report.quarter.open_title", count=len(report.open)),
    )  # fmt: skip
    return pool, sanctions, still_open
