"""``techdept assess``: open an assessment with its facts, correct them, show the sheet,
approve (director, then GM), reopen, list, history."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from techdept.commands import _xlsx
from techdept.commands._choices import choices
from techdept.commands._common import CsvOpt, JsonOpt, state
from techdept.commands._listing import Listing, render
from techdept.commands._xlsx import ForceOpt, XlsxOpt
from techdept.commands.assess_sheet import doc_json, sheet_xlsx, show_or_json, what
from techdept.i18n import t

app = typer.Typer(no_args_is_help=True)
Opt = typer.Option

CodeArg = Annotated[str, typer.Argument(help=t("help.meeting.arg_code"))]
TrackOpt = Annotated[
    str,
    Opt("--track", help=choices("help.meeting.opt_track", "track", "--track")),
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
ScheduleReasonOpt = Annotated[
    str | None, Opt("--schedule-reason", help=t("help.meeting.opt_schedule_reason"))
]
CostReasonOpt = Annotated[str | None, Opt("--cost-reason", help=t("help.meeting.opt_cost_reason"))]
OverviewOpt = Annotated[str | None, Opt("--overview", help=t("help.meeting.opt_overview"))]
OpinionOpt = Annotated[str | None, Opt("--opinion", help=t("help.meeting.opt_opinion"))]


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
    from techdept.services.assessment import FactsGiven

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


def _text(field: str, text: str | None) -> str | None:
    """Free text as every free text is checked (no control or bidi characters, at most 200
    characters); an empty text ("") takes a given text back."""
    from techdept import values

    if text is None:
        return None
    return values.parse_name(field, text) if text.strip() else ""


def _texts(
    schedule: str | None, cost: str | None, overview: str | None, opinion: str | None
) -> Any:
    from techdept.services.assessment import TextsGiven

    return TextsGiven(
        schedule_reason=_text("--schedule-reason", schedule),
        cost_reason=_text("--cost-reason", cost),
        overview=_text("--overview", overview),
        review_opinion=_text("--opinion", opinion),
    )


def _money(value: str | None) -> str:
    from techdept.output import money_text

    return money_text(value)


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
    schedule_reason: ScheduleReasonOpt = None,
    cost_reason: CostReasonOpt = None,
    overview: OverviewOpt = None,
    opinion: OpinionOpt = None,
    json: JsonOpt = False,
) -> None:
    from techdept.services.assessment import open_assessment

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
    texts = _texts(schedule_reason, cost_reason, overview, opinion)
    doc = open_assessment(
        st.ledger, st.actor, st.policy, code, _track(track), quarter, given, texts
    )
    out = st.out(json=json)
    if out.human:
        out.line(t("meeting.opened", what=what(doc), policy=doc.policy.id if doc.policy else ""))
    else:
        out.json(doc_json(doc))


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
    schedule_reason: ScheduleReasonOpt = None,
    cost_reason: CostReasonOpt = None,
    overview: OverviewOpt = None,
    opinion: OpinionOpt = None,
    json: JsonOpt = False,
) -> None:
    from techdept.services.assessment import set_facts

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
    texts = _texts(schedule_reason, cost_reason, overview, opinion)
    doc = set_facts(st.ledger, st.actor, code, _track(track), quarter, given, texts)
    out = st.out(json=json)
    if out.human:
        out.line(t("meeting.facts_set", what=what(doc)))
    else:
        out.json(doc_json(doc))


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
    from techdept.services.assessment import bound_policy, sheet

    st = state(ctx)
    _xlsx.check(xlsx, force)
    key = _track(track)
    doc = sheet(st.ledger, code, key, quarter, explain=explain)
    # the sheet's boxes are the track's as the policy the assessment is bound to has them
    tp = bound_policy(st.ledger, code, key, quarter).tracks.get(doc.track)
    if xlsx:
        sheet_xlsx(st, doc, xlsx, force, tp)
        return
    show_or_json(st.out(json=json), doc, tp)


@app.command("approve", help=t("help.meeting.approve"))
def approve(
    ctx: typer.Context,
    code: CodeArg,
    track: TrackOpt,
    quarter: QuarterOpt = None,
    opinion: OpinionOpt = None,
    json: JsonOpt = False,
) -> None:
    from techdept.services.assessment import approve as approve_assessment

    st = state(ctx)
    said = _text("--opinion", opinion)
    doc = approve_assessment(st.ledger, st.actor, code, _track(track), quarter, said)
    out = st.out(json=json)
    if out.human:
        step = "gm" if doc.status == "approved" else "director"
        out.line(
            t(
                f"meeting.approved.{step}",
                what=what(doc),
                grade=doc.grade,
                final=_money(doc.final),
            )
        )
    else:
        out.json(doc_json(doc))


@app.command("reopen", help=t("help.meeting.reopen"))
def reopen(
    ctx: typer.Context,
    code: CodeArg,
    track: TrackOpt,
    reason: Annotated[str, Opt("--reason", help=t("help.meeting.opt_reopen_reason"))],
    quarter: QuarterOpt = None,
    json: JsonOpt = False,
) -> None:
    from techdept.services.assessment import reopen as reopen_assessment

    st = state(ctx)
    doc = reopen_assessment(st.ledger, st.actor, code, _track(track), quarter, reason)
    out = st.out(json=json)
    if out.human:
        out.line(t("meeting.reopened", what=what(doc), version=doc.version))
    else:
        out.json(doc_json(doc))


StatusOpt = Annotated[
    str | None,
    Opt(
        "--status",
        help=choices("help.meeting.opt_status", "assessment_status", "--status", "approved"),
    ),
]
TrackFilterOpt = Annotated[
    str | None,
    Opt("--track", help=choices("help.meeting.opt_track", "track", "--track")),
]


@app.command("list", help=t("help.meeting.list"))
def list_(
    ctx: typer.Context,
    status: StatusOpt = None,
    track: TrackFilterOpt = None,
    json: JsonOpt = False,
    csv: CsvOpt = False,
    xlsx: XlsxOpt = None,
    force: ForceOpt = False,
) -> None:
    from techdept import terms
    from techdept.services.assessment import list_assessments

    st = state(ctx)
    _xlsx.check(xlsx, force)
    if status is not None:
        status = terms.parse("assessment_status", "--status", status)
    rows = list_assessments(st.ledger, status=status, track=_track(track) if track else None)
    render(st, _assessment_listing(rows), json=json, csv=csv, xlsx=xlsx, force=force)


def _assessment_listing(rows: list[Any]) -> Listing:
    """``assess list`` for people (names, money), as data (keys, exact strings) and a workbook."""
    people = [
        r.to_dict()
        | {
            "track": t(f"track.{r.track}"),
            "status": t(f"meeting.status.{r.status}"),
            "final": _money(r.final),
        }
        for r in rows
    ]
    return Listing(
        title=t("meeting.list_title", count=len(rows)),
        columns=[
            ("project", t("label.code")),
            ("project_name", t("label.project_name")),
            ("track", t("meeting.label.track")),
            ("quarter", t("meeting.label.quarter")),
            ("status", t("meeting.label.status")),
            ("version", t("meeting.label.version")),
            ("composite", t("meeting.label.composite")),
            ("grade", t("meeting.label.grade")),
            ("final", t("meeting.label.final")),
        ],
        rows=people,
        json_doc=[r.to_dict() for r in rows],
        csv_rows=[r.to_dict() for r in rows],
        sheet=t("xlsx.sheet.assessments"),
        cells=[p | {"final": r.final} for p, r in zip(people, rows, strict=True)],
        kinds={"version": "int", "composite": "number", "final": "money"},
        totals=("final",),
    )


@app.command("history", help=t("help.meeting.history"))
def history(
    ctx: typer.Context,
    code: CodeArg,
    track: TrackOpt,
    quarter: QuarterOpt = None,
    json: JsonOpt = False,
) -> None:
    from techdept.services.assessment import history as versions

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
