"""``techdept bonus statement STAFF``: a person's paid lines (of a year), each with the grade
and final bonus it came from, and the lines not paid yet — from the statement document."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from techdept.commands import _xlsx
from techdept.commands import bonus_words as w
from techdept.commands._common import CsvOpt, JsonOpt, state
from techdept.commands._xlsx import ForceOpt, XlsxOpt
from techdept.i18n import t
from techdept.output import money

Opt = typer.Option
COLUMNS = ("run_on", "quarter", "project", "track", "slice", "role", "amount", "why")


def statement(
    ctx: typer.Context,
    staff: Annotated[str, typer.Argument(help=t("help.arg.staff_code"))],
    year: Annotated[int | None, Opt("--year", help=t("help.bonus_opt.year"))] = None,
    json: JsonOpt = False,
    csv: CsvOpt = False,
    xlsx: XlsxOpt = None,
    force: ForceOpt = False,
) -> None:
    from techdept.services import payouts

    st = state(ctx)
    _xlsx.check(xlsx, force)
    doc = payouts.statement(st.ledger, staff, year)
    out = st.out(json=json, csv=csv)
    if out.mode == "json":
        out.json(doc.to_json(w.words))
        return
    rows = [_row(s, st.policy) for s in doc.lines]
    title = t(
        "bonus.statement_title", name=doc.name, code=doc.staff, year=year or t("bonus.all_years")
    )
    if xlsx:
        from techdept.commands.bonus_xlsx import statement_workbook

        statement_workbook(st, doc, rows, title, xlsx, force)
        return
    data = doc.to_json(w.words)
    out.table([(k, t(f"bonus.col.{k}")) for k in COLUMNS], rows, title=title,
              json_doc=data["lines"], csv_rows=data["lines"])  # fmt: skip
    if doc.open:
        out.table(
            [(k, t(label)) for k, label in w.LINE_COLUMNS],
            w.line_rows(list(doc.open), st.policy),
            title=t("bonus.statement_open_title"),
            csv_rows=data["open"],
        )
    out.line(t("bonus.statement_total", total=money(doc.total_fen)))
    out.line(
        t(
            "bonus.statement_split",
            paid=money(doc.total_fen),
            payable=money(doc.open_fen("payable")),
            pending=money(doc.open_fen("pending")),
        )
    )


def _row(s: Any, policy: Any) -> dict[str, str]:
    """A paid line as the terminal table and the workbook word it."""
    line = s.line
    return {
        "run_on": line.run_on.isoformat(),
        "quarter": s.quarter,
        "project": f"{line.project} {line.project_name}",
        "track": w.track(line.track),
        "slice": line.slice_quarter or "",
        "role": w.role(line.role, line.track, policy),
        "amount": money(line.amount_fen),
        "why": _explain(s, policy),
    }


def _explain(s: Any, policy: Any) -> str:
    if s.line.source == "reversal":
        return t("bonus.why_reversal", reason=s.line.reason or "")
    if s.line.source == "award":
        return t("bonus.explain_award", reason=s.line.reason or "")
    return t(
        "bonus.explain",
        grade=s.grade or "—",
        final=money(s.final_fen) if s.final_fen is not None else "—",
        role=w.role(s.line.role, s.line.track, policy),
        amount=money(s.line.amount_fen),
    )
