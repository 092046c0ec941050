"""``techdept assess``: open an assessment with its facts, correct them, show the sheet,
approve (director, then GM), reopen, list, history."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from techdept.commands import _xlsx
from techdept.commands._choices import choices
from techdept.commands._common import CsvOpt, JsonOpt, state
from techdept.commands._xlsx import ForceOpt, XlsxOpt
from techdept.i18n import lang, t

app = typer.Typer(no_args_is_help=True)
Opt = typer.Option

CodeArg = Annotated[str, typer.Argument(help=t("help.meeting.arg_code"))]
TrackOpt = Annotated[
    str,
    Opt("--track", help=choices("help.meeting.opt_track", "track", "--track", "implementation")),
]
QuarterOpt = Annotated[str | None, Opt("--quarter", help=t("help.meeting.opt_quarter"))]
PlannedOpt = Annotated[str | None, Opt("--planned-days", help=t("help.meeting.opt_planned"))]
ActualOpt = Annotated[str | None, Opt("--actual-days", help=t("help.meeting.opt_actual"))]
BudgetOpt = Annotated[str | None, Opt("--budget", help=t("help.meeting.opt_budget"))]
CostOpt = Annotated[str | None, Opt("--actual-cost", help=t("help.meeting.opt_actual_cost"))]
DeductedOpt = Annotated[str | None, Opt("--ia-deducted", help=t("help.meeting.opt_ia_deducted"))]
LateOpt = Annotated[str | None, Opt("--ia-late-days", help=t("help.meeting.opt_ia_late_days"))]
ComplaintOpt = Annotated[
    bool | None, Opt("--complaint/--no-complaint", help=t("help.meeting.opt_complaint"))
]
PoorOpt = Annotated[
    bool | None,
    Opt("--poor-evaluation/--no-poor-evaluation", help=t("help.meeting.opt_poor")),
]
ExplainOpt = Annotated[bool, Opt("--explain", help=t("help.meeting.opt_explain"))]


def _track(track: str) -> str:
    from techdept import terms

    return terms.parse("track", "--track", track)


def _deducted(text: str) -> Any:
    """Points deducted at internal acceptance: 0 or more, at most one decimal."""
    import re
    from decimal import Decimal

    from techdept.errors import Invalid

    raw = text.strip()
    if not re.fullmatch(r"\d{1,4}(\.\d)?", raw):
        raise Invalid("DeductedInvalid", value=text)
    return Decimal(raw)


def _given(
    planned: str | None,
    actual: str | None,
    budget: str | None,
    cost: str | None,
    deducted: str | None,
    late: str | None,
    complaint: bool | None,
    poor: bool | None,
) -> Any:
    from techdept import values
    from techdept.services.assessments import FactsGiven

    def count(field: str, text: str | None) -> int | None:
        return None if text is None else values.parse_count(field, text)

    def amount(field: str, text: str | None) -> int | None:
        return None if text is None else values.parse_amount(field, text)

    return FactsGiven(
        planned_days=count("--planned-days", planned),
        actual_days=count("--actual-days", actual),
        budget=amount("--budget", budget),
        actual_cost=amount("--actual-cost", cost),
        ia_deducted=None if deducted is None else _deducted(deducted),
        ia_late_days=count("--ia-late-days", late),
        complaint=complaint,
        poor_evaluation=poor,
    )


# ---------------------------------------------------------------- the sheet for people


def _money(value: str | None) -> str:
    from techdept.output import money_text

    return money_text(value)


def _what(doc: dict[str, Any]) -> str:
    quarter = f" {doc['quarter']}" if doc.get("quarter") else ""
    return f"{doc['project']} {t('track.' + doc['track'])}{quarter}"


def _label(labels: dict[str, str], key: str) -> str:
    return labels.get(lang()) or labels.get("zh") or key


def _position(doc: dict[str, Any], role: str) -> str:
    """The track's name for the lead or an engineer (项目经理, 售前组长 …)."""
    key = (doc.get("positions") or {}).get(role)
    return t(f"position.{key}") if key else t(f"meeting.role.{role}")


def _veto_text(doc: dict[str, Any]) -> str:
    if not doc["veto_reasons"]:
        return "—"
    labels = {item["key"]: _label(item["label"], item["key"]) for item in doc["items"]}
    out = []
    for reason in doc["veto_reasons"]:
        if reason in labels:
            out.append(t("meeting.veto_item", item=labels[reason]))
        else:
            out.append(t(f"flag.{reason}"))
    return "; ".join(out)


def _approval_text(entry: dict[str, Any] | None) -> str:
    if not entry:
        return "—"
    return f"{entry['name']} ({entry['by']}) {entry['on'] or ''}".strip()


def sheet_blocks(doc: dict[str, Any]) -> list[tuple[str, str, Any, Any]]:
    """The sheet as blocks in the paper form's order: ("record", title, fields, None) or
    ("table", title, columns, rows)."""
    facts, team = doc["facts"], doc["team"] or {}
    lead = team.get("lead") or {}
    header = [
        (t("label.project_name"), f"{doc['project_name']} ({doc['project']})"),
        (t("label.customer"), doc["customer"]),
        (_position(doc, "lead"), f"{lead.get('name', '—')} ({lead.get('staff', '')})"),
        (t("meeting.label.policy"), f"{doc['policy']['id']} · {doc['policy']['hash'][:12]}"),
        (t("meeting.label.status"), t(f"meeting.status.{doc['status']}")),
        (t("meeting.label.version"), str(doc["version"])),
    ]
    if doc["quarter"]:
        header.insert(3, (t("meeting.label.quarter"), doc["quarter"]))
    if doc.get("inferred"):
        header.append(("", t("rules.inferred")))
    fact_rows = [
        (t("label.contract"), _money(facts["contract"])),
        (
            t("label.complexity"),
            t(f"complexity.{facts['complexity']}") if facts["complexity"] else "—",
        ),
    ]
    if doc["track"] == "presales":
        level = facts["difficulty"]
        fact_rows.append((t("label.difficulty"), t(f"level.{level}") if level else "—"))
    if doc["track"] == "implementation":
        level = facts["risk"]
        fact_rows.append((t("label.risk"), t(f"level.{level}") if level else "—"))
    if facts.get("planned_days") is not None or doc["track"] != "aftersales":
        fact_rows.append(
            (
                t("meeting.label.days"),
                t(
                    "meeting.days",
                    planned=facts.get("planned_days", "—"),
                    actual=facts.get("actual_days", "—"),
                ),
            )
        )
    if doc["track"] != "presales":
        fact_rows.append(
            (
                t("meeting.label.cost"),
                t(
                    "meeting.cost",
                    budget=_money(facts.get("budget")),
                    actual=_money(facts.get("actual_cost")),
                ),
            )
        )
    if doc["track"] == "implementation":
        fact_rows.append(
            (
                t("meeting.label.internal_acceptance"),
                t(
                    "meeting.internal_acceptance",
                    deducted=facts.get("ia_deducted") or "—",
                    late=facts.get("ia_late_days", "—"),
                ),
            )
        )
    if doc["track"] != "implementation":
        flags = [t(f"flag.{f}") for f in ("complaint", "poor_evaluation") if facts.get(f)]
        fact_rows.append((t("meeting.label.flags"), "; ".join(flags) or "—"))
    if doc["track"] == "aftersales":
        fact_rows.append(
            (
                t("meeting.label.service"),
                t(
                    "meeting.service",
                    start=facts.get("service_start") or "—",
                    months=facts.get("service_months") or "—",
                ),
            )
        )
        if facts.get("tickets"):
            from techdept.commands.ticket import evidence_text

            fact_rows.append((t("ticket.evidence_label"), evidence_text(facts["tickets"])))
        sources = facts.get("sources") or {}
        recorded = [k for k in ("budget", "actual_cost") if sources.get(k) == "recorded"]
        if recorded:
            from techdept.i18n import lang

            sep = "、" if lang() == "zh" else " and "
            names = sep.join(t(f"ticket.cost.{k}") for k in recorded)
            fact_rows.append((t("meeting.label.cost"), t("ticket.cost_recorded", names=names)))
    if facts.get("source") == "command-line":
        fact_rows.append((t("meeting.label.source"), t("meeting.source.command-line")))

    scorers = doc["required_scorers"]
    columns = [("item", t("meeting.label.item")), ("max", t("meeting.label.max"))]
    columns += [("computed", t("meeting.label.computed"))]
    columns += [(s, t(f"scorer.{s}")) for s in scorers]
    rows = []
    for item in doc["items"]:
        row = {
            "item": _label(item["label"], item["key"]),
            "max": item["max"],
            "computed": item["computed"] if item["computed"] is not None else "",
        }
        for s in scorers:
            value = doc["scorers"][s].get(item["key"])
            row[s] = value if value is not None else "—"
        rows.append(row)
    total = {"item": t("meeting.label.total"), "max": "100", "computed": ""}
    for s in scorers:
        value = doc["scorers"][s].get("total")
        total[s] = value if value is not None else "—"
    rows.append(total)

    reasons = [
        (
            f"{t('scorer.' + r['scorer'])} · {r['item']} = {r['points']}",
            r["reason"],
        )
        for r in doc["reasons"]
    ]
    reserved_label = (
        t("meeting.label.slice") if doc["track"] == "aftersales" else t("meeting.label.reserved")
    )
    results = (
        []
        if doc["track"] != "aftersales"
        else [(t("step.aftersales.total"), _money(doc.get("aftersales_total")))]
    )
    results += [
        (t("meeting.label.composite"), doc["composite"] or "—"),
        (t("meeting.label.grade"), doc["grade"] or "—"),
        (reserved_label, _money(doc["reserved"])),
        (t("meeting.label.share"), f"{doc['share']} %" if doc["share"] else "—"),
        (t("meeting.label.final"), _money(doc["final"])),
        (t("meeting.label.veto"), _veto_text(doc)),
    ]
    if doc["missing_scores"]:
        missing = "; ".join(
            t(f"scorer.{s}")
            if all(v is None for v in doc["scorers"][s].values())
            else f"{t('scorer.' + s)}: {', '.join(items)}"
            for s, items in doc["missing_scores"].items()
        )
        results.append((t("meeting.label.missing"), missing))
    split_rows = [
        {
            "person": f"{a['name']} ({a['staff']})",
            "role": _position(doc, a["role"]),
            "amount": _money(a["amount"]),
        }
        for a in doc["allocations"]
    ]
    split_rows.append({"person": "", "role": t("meeting.role.pool"), "amount": _money(doc["pool"])})
    director = doc["approvals"]["director"]
    split_rows.append(
        {
            "person": f"{director['name']} ({director['by']})" if director else "",
            "role": t("meeting.role.director"),
            "amount": _money(doc["director_award"]),
        }
    )
    split_columns = [
        ("person", t("meeting.label.person")),
        ("role", t("meeting.label.role")),
        ("amount", t("meeting.label.amount")),
    ]
    approvals = [
        (t("meeting.label.director_approval"), _approval_text(doc["approvals"]["director"])),
        (t("meeting.label.gm_approval"), _approval_text(doc["approvals"]["gm"])),
    ]
    blocks: list[tuple[str, str, Any, Any]] = [
        ("record", _label(doc["sheet"], doc["track"]), header, None),
        ("record", t("meeting.block.facts"), fact_rows, None),
        ("table", t("meeting.block.scores"), columns, rows),
    ]
    if reasons:
        blocks.append(("record", t("meeting.block.reasons"), reasons, None))
    blocks += [
        ("record", t("meeting.block.result"), results, None),
        ("table", t("meeting.block.split"), split_columns, split_rows),
        ("record", t("meeting.block.approvals"), approvals, None),
    ]
    return blocks


def render_sheet(out: Any, doc: dict[str, Any]) -> None:
    """The sheet for people: one Rich panel on a terminal, plain blocks otherwise."""
    blocks = sheet_blocks(doc)
    if out.mode != "rich":
        for kind, title, a, b in blocks:
            if kind == "record":
                out.record(a, title=f"\n{title}")
            else:
                out.line("")
                out.table(a, b, title=title)
        return
    from rich.console import Console, Group
    from rich.panel import Panel
    from rich.table import Table

    parts: list[Any] = []
    for kind, title, a, b in blocks:
        if kind == "record":
            grid = Table.grid(padding=(0, 2))
            grid.add_column(style="bold")
            grid.add_column()
            for label, value in a:
                grid.add_row(label, "" if value is None else str(value))
            parts.append(Panel(grid, title=title, title_align="left"))
        else:
            table = Table(title=title, header_style="bold", title_justify="left", expand=True)
            for _, label in a:
                table.add_column(label)
            for i, row in enumerate(b):
                total = title == t("meeting.block.scores") and i == len(b) - 1
                style = "bold" if total else None
                table.add_row(*[str(row.get(k, "")) for k, _ in a], style=style)
            parts.append(table)
    Console().print(Panel(Group(*parts), title=_what(doc), expand=False))


def _sheet_xlsx(st: Any, doc: dict[str, Any], path: str, force: bool) -> None:
    """The assessment sheet as a workbook: its blocks one under the other, amounts as
    numbers; the steps of ``--explain`` on a second sheet."""
    from techdept.forms.workbook import Column, Section, Sheet

    money_labels = {
        t("label.contract"),
        t("meeting.label.reserved"),
        t("meeting.label.slice"),
        t("meeting.label.final"),
        t("step.aftersales.total"),
    }
    raw = {
        t("label.contract"): doc["facts"]["contract"],
        t("meeting.label.reserved"): doc["reserved"],
        t("meeting.label.slice"): doc["reserved"],
        t("meeting.label.final"): doc["final"],
        t("step.aftersales.total"): doc.get("aftersales_total"),
    }
    field_cols = [Column("label", t("xlsx.field")), Column("value", t("xlsx.value"))]
    money_cols = [Column("label", t("xlsx.field")), Column("value", t("xlsx.value"), "money")]
    sections = []
    for kind, title, a, b in sheet_blocks(doc):
        if kind == "record":
            plain = [{"label": k, "value": v} for k, v in a if k not in money_labels]
            amounts = [{"label": k, "value": raw[k]} for k, v in a if k in money_labels]
            sections.append(Section(field_cols, plain, title=title))
            if amounts:
                sections.append(Section(money_cols, amounts))
        elif title == t("meeting.block.split"):
            amounts = [a["amount"] for a in doc["allocations"]]
            amounts += [doc["pool"], doc["director_award"]]
            rows = [r | {"amount": x} for r, x in zip(b, amounts, strict=True)]
            cols = [Column(k, label, "money" if k == "amount" else "text", total=k == "amount")
                    for k, label in a]  # fmt: skip
            sections.append(Section(cols, rows, title=title, total_label=t("xlsx.total")))
        else:
            cols = [Column(k, label, "text" if k == "item" else "number") for k, label in a]
            sections.append(Section(cols, b, title=title))
    meta = _xlsx.meta(st, (doc["policy"]["id"], doc["policy"]["hash"]))
    sheets = [Sheet(doc["project"], _what(doc), sections, meta=meta)]
    if "explain" in doc:
        cols = [
            Column("n", "#", "int"),
            Column("step", t("label.step")),
            Column("inputs", t("label.inputs")),
            Column("formula", t("label.formula")),
            Column("output", t("label.output")),
        ]
        from techdept.commands import _explain as explained

        steps = [r | {"n": int(r["n"])} for r in explained.rows(doc["explain"], track=doc["track"])]
        sheets.append(Sheet(t("meeting.block.explain"), _what(doc), [Section(cols, steps)], meta))
    _xlsx.export(st, path, force, sheets)


def _explain(out: Any, doc: dict[str, Any]) -> None:
    from techdept.commands import _explain as explained

    out.line("")
    explained.render(out, doc["explain"], title=t("meeting.block.explain"), track=doc["track"])


def _show_or_json(out: Any, doc: dict[str, Any]) -> None:
    if out.human:
        render_sheet(out, doc)
        if "explain" in doc:
            _explain(out, doc)
    else:
        out.json(doc)


# ---------------------------------------------------------------- commands


@app.command("open", help=t("help.meeting.open"))
def open_(
    ctx: typer.Context,
    code: CodeArg,
    track: TrackOpt,
    quarter: QuarterOpt = None,
    planned_days: PlannedOpt = None,
    actual_days: ActualOpt = None,
    budget: BudgetOpt = None,
    actual_cost: CostOpt = None,
    ia_deducted: DeductedOpt = None,
    ia_late_days: LateOpt = None,
    complaint: ComplaintOpt = None,
    poor_evaluation: PoorOpt = None,
    json: JsonOpt = False,
) -> None:
    from techdept.services.assessments import open_assessment

    st = state(ctx)
    given = _given(
        planned_days,
        actual_days,
        budget,
        actual_cost,
        ia_deducted,
        ia_late_days,
        complaint,
        poor_evaluation,
    )
    doc = open_assessment(st.ledger, st.actor, st.policy, code, _track(track), quarter, given)
    out = st.out(json=json)
    if out.human:
        out.line(t("meeting.opened", what=_what(doc), policy=doc["policy"]["id"]))
    else:
        out.json(doc)


@app.command("set", help=t("help.meeting.set"))
def set_(
    ctx: typer.Context,
    code: CodeArg,
    track: TrackOpt,
    quarter: QuarterOpt = None,
    planned_days: PlannedOpt = None,
    actual_days: ActualOpt = None,
    budget: BudgetOpt = None,
    actual_cost: CostOpt = None,
    ia_deducted: DeductedOpt = None,
    ia_late_days: LateOpt = None,
    complaint: ComplaintOpt = None,
    poor_evaluation: PoorOpt = None,
    json: JsonOpt = False,
) -> None:
    from techdept.services.assessments import set_facts

    st = state(ctx)
    given = _given(
        planned_days,
        actual_days,
        budget,
        actual_cost,
        ia_deducted,
        ia_late_days,
        complaint,
        poor_evaluation,
    )
    doc = set_facts(st.ledger, st.actor, code, _track(track), quarter, given)
    out = st.out(json=json)
    if out.human:
        out.line(t("meeting.facts_set", what=_what(doc)))
    else:
        out.json(doc)


@app.command("show", help=t("help.meeting.show"))
def show(
    ctx: typer.Context,
    code: CodeArg,
    track: TrackOpt,
    quarter: QuarterOpt = None,
    explain: ExplainOpt = False,
    json: JsonOpt = False,
    xlsx: XlsxOpt = None,
    force: ForceOpt = False,
) -> None:
    from techdept.services.assessments import sheet

    st = state(ctx)
    _xlsx.check(xlsx, force)
    doc = sheet(st.ledger, code, _track(track), quarter, explain=explain)
    if xlsx:
        _sheet_xlsx(st, doc, xlsx, force)
        return
    _show_or_json(st.out(json=json), doc)


@app.command("approve", help=t("help.meeting.approve"))
def approve(
    ctx: typer.Context,
    code: CodeArg,
    track: TrackOpt,
    quarter: QuarterOpt = None,
    json: JsonOpt = False,
) -> None:
    from techdept.services.assessments import approve as approve_assessment

    st = state(ctx)
    doc = approve_assessment(st.ledger, st.actor, code, _track(track), quarter)
    out = st.out(json=json)
    if out.human:
        step = "gm" if doc["status"] == "approved" else "director"
        out.line(
            t(
                f"meeting.approved.{step}",
                what=_what(doc),
                grade=doc["grade"],
                final=_money(doc["final"]),
            )
        )
    else:
        out.json(doc)


@app.command("reopen", help=t("help.meeting.reopen"))
def reopen(
    ctx: typer.Context,
    code: CodeArg,
    track: TrackOpt,
    reason: Annotated[str, Opt("--reason", help=t("help.meeting.opt_reopen_reason"))],
    quarter: QuarterOpt = None,
    json: JsonOpt = False,
) -> None:
    from techdept.services.assessments import reopen as reopen_assessment

    st = state(ctx)
    doc = reopen_assessment(st.ledger, st.actor, code, _track(track), quarter, reason)
    out = st.out(json=json)
    if out.human:
        out.line(t("meeting.reopened", what=_what(doc), version=doc["version"]))
    else:
        out.json(doc)


@app.command("list", help=t("help.meeting.list"))
def list_(
    ctx: typer.Context,
    status: Annotated[
        str | None,
        Opt(
            "--status",
            help=choices("help.meeting.opt_status", "assessment_status", "--status", "approved"),
        ),
    ] = None,
    track: Annotated[
        str | None,
        Opt(
            "--track", help=choices("help.meeting.opt_track", "track", "--track", "implementation")
        ),
    ] = None,
    json: JsonOpt = False,
    csv: CsvOpt = False,
    xlsx: XlsxOpt = None,
    force: ForceOpt = False,
) -> None:
    from techdept import terms
    from techdept.services.assessments import list_assessments

    st = state(ctx)
    _xlsx.check(xlsx, force)
    if status is not None:
        status = terms.parse("assessment_status", "--status", status)
    rows = list_assessments(st.ledger, status=status, track=_track(track) if track else None)
    columns = [
        ("project", t("label.code")),
        ("project_name", t("label.project_name")),
        ("track", t("meeting.label.track")),
        ("quarter", t("meeting.label.quarter")),
        ("status", t("meeting.label.status")),
        ("version", t("meeting.label.version")),
        ("composite", t("meeting.label.composite")),
        ("grade", t("meeting.label.grade")),
        ("final", t("meeting.label.final")),
    ]
    people = [
        r.to_dict()
        | {
            "track": t(f"track.{r.track}"),
            "status": t(f"meeting.status.{r.status}"),
            "final": _money(r.final),
        }
        for r in rows
    ]
    title = t("meeting.list_title", count=len(rows))
    if xlsx:
        number = {"version": "int", "composite": "number", "final": "money"}
        kinds = [(k, label, number.get(k, "text")) for k, label in columns]
        cells = [p | {"final": r.final} for p, r in zip(people, rows, strict=True)]
        sheet = _xlsx.sheet(
            st,
            t("xlsx.sheet.assessments"),
            title,
            kinds,
            cells,
            total_label=t("xlsx.total"),
            totals=("final",),
        )
        _xlsx.export(st, xlsx, force, [sheet])
        return
    st.out(json=json, csv=csv).table(
        columns,
        people,
        title=title,
        json_doc=[r.to_dict() for r in rows],
        csv_rows=[r.to_dict() for r in rows],
    )


@app.command("history", help=t("help.meeting.history"))
def history(
    ctx: typer.Context,
    code: CodeArg,
    track: TrackOpt,
    quarter: QuarterOpt = None,
    json: JsonOpt = False,
) -> None:
    from techdept.services.assessments import history as versions

    st = state(ctx)
    found = versions(st.ledger, code, _track(track), quarter)
    docs = [v.to_dict() for v in found]
    columns = [
        ("version", t("meeting.label.version")),
        ("gm_approved_on", t("meeting.label.gm_approval")),
        ("composite", t("meeting.label.composite")),
        ("grade", t("meeting.label.grade")),
        ("final", t("meeting.label.final")),
        ("state", t("meeting.label.status")),
        ("reopen_reason", t("meeting.label.reopen_reason")),
    ]
    rows = [
        d
        | {
            "final": _money(d["final"]),
            "state": t(
                "meeting.version.superseded" if d["superseded"] else "meeting.version.current"
            ),
        }
        for d in docs
    ]
    st.out(json=json).table(
        columns, rows, title=t("meeting.history_title", code=code, count=len(docs)), json_doc=docs
    )
