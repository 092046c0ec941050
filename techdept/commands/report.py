"""``techdept report``: reports over the ledger — the weekly pre-sales tracking sheet."""

from __future__ import annotations

from typing import Annotated, Any

import typer

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
    from techdept.rules.domain import domain
    from techdept.services.lifecycle import role_name, stage_label
    from techdept.services.tracking import tracking as tracking_sheet

    st = state(ctx)
    if xlsx:
        from techdept.commands import _xlsx

        _xlsx.check(xlsx, force)
    view = tracking_sheet(st.ledger, week)
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

    rows = [
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
    doc = view.to_dict()
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
        from techdept.commands import _xlsx

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
