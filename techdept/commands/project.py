"""``techdept project``: projects and where they stand."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from techdept.commands import _xlsx
from techdept.commands._choices import choices
from techdept.commands._common import CsvOpt, JsonOpt, state
from techdept.commands._listing import Listing, render
from techdept.commands._options import (
    ComplexityOpt,
    ContractOpt,
    DifficultyOpt,
    RiskOpt,
    ServiceMonthsOpt,
    ServiceStartOpt,
)
from techdept.commands._xlsx import ForceOpt, XlsxOpt
from techdept.i18n import lang, t

app = typer.Typer(no_args_is_help=True)

Opt = typer.Option


def project_doc(view: Any) -> dict[str, Any]:
    """The JSON form of a project (money as exact strings, dates ISO)."""
    from techdept.output import fen_str

    return {
        "code": view.code,
        "name": view.name,
        "customer": view.customer,
        "contract": fen_str(view.contract_fen),
        "complexity": view.complexity,
        "difficulty": view.difficulty,
        "risk": view.risk,
        "sales": view.sales,
        "signed": view.signed_on.isoformat() if view.signed_on else None,
        "phase": view.phase,
        "stage": view.stage,
        "adopted_stage": view.adopted_stage,
        "service_start": view.service_start.isoformat() if view.service_start else None,
        "service_months": view.service_months,
    }


def _stage_name(key: str) -> str:
    from techdept.rules.domain import domain

    stage = domain().stage(key)
    if stage is None:
        return key
    return f"{t('phase.' + stage.phase)} · {stage.name(lang())}"


def _level(table: str, text: str | None) -> str | None:
    """A coefficient key (``--complexity 标准庭``, ``--risk 高``) by key, name or short form;
    a text no form names goes on as typed, for the policy's own refusal."""
    from techdept import terms

    return None if text is None else terms.parse(table, f"--{table}", text, keep_unknown=True)


def _fields(
    name: str | None,
    customer: str | None,
    contract: str | None,
    complexity: str | None,
    difficulty: str | None,
    risk: str | None,
    sales: str | None,
    signed: str | None,
    service_start: str | None = None,
    service_months: str | None = None,
):  # type: ignore[no-untyped-def]
    from techdept import values
    from techdept.services.projects import ProjectFields

    return ProjectFields(
        name=values.parse_name("NAME", name) if name is not None else None,
        customer=values.parse_name("--customer", customer) if customer is not None else None,
        contract_fen=values.parse_amount("--contract", contract) if contract is not None else None,
        complexity=_level("complexity", complexity),
        difficulty=_level("difficulty", difficulty),
        risk=_level("risk", risk),
        sales=values.parse_code("--sales", sales) if sales is not None else None,
        signed_on=values.parse_date("--signed", signed) if signed is not None else None,
        service_start=(
            values.parse_date("--service-start", service_start) if service_start else None
        ),
        service_months=(
            values.parse_count("--service-months", service_months, maximum=240)
            if service_months is not None
            else None
        ),
    )


SalesOpt = Annotated[str | None, Opt("--sales", help=t("help.opt.sales"))]
SignedOpt = Annotated[str | None, Opt("--signed", help=t("help.opt.signed"))]


@app.command("new", help=t("help.project.new"))
def new(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help=t("help.arg.project_name"))],
    customer: Annotated[str, Opt("--customer", help=t("help.opt.customer"))],
    contract: ContractOpt = None,
    code: Annotated[str | None, Opt("--code", help=t("help.opt.project_code"))] = None,
    complexity: ComplexityOpt = None,
    difficulty: DifficultyOpt = None,
    risk: RiskOpt = None,
    sales: SalesOpt = None,
    signed: SignedOpt = None,
    stage: Annotated[
        str,
        Opt(
            "--stage",
            help=choices("help.opt.stage", "stage", "--stage", "implementation.construction"),
        ),
    ] = "presales.contact",
    json: JsonOpt = False,
) -> None:
    from techdept import terms, values
    from techdept.services.projects import new_project

    st = state(ctx)
    data = _fields(name, customer, contract, complexity, difficulty, risk, sales, signed)
    view = new_project(
        st.ledger,
        st.actor,
        st.policy,
        data,
        code=values.parse_code("--code", code) if code is not None else None,
        stage=terms.parse("stage", "--stage", stage),
    )
    out = st.out(json=json)
    if out.human:
        out.line(
            t("project.created", code=view.code, name=view.name, stage=_stage_name(view.stage))
        )
    else:
        out.json(project_doc(view))


@app.command("set", help=t("help.project.set"))
def set_(
    ctx: typer.Context,
    code: Annotated[str, typer.Argument(help=t("help.arg.project_code"))],
    name: Annotated[str | None, Opt("--name", help=t("help.opt.project_name"))] = None,
    customer: Annotated[str | None, Opt("--customer", help=t("help.opt.customer"))] = None,
    contract: ContractOpt = None,
    complexity: ComplexityOpt = None,
    difficulty: DifficultyOpt = None,
    risk: RiskOpt = None,
    sales: SalesOpt = None,
    signed: SignedOpt = None,
    service_start: ServiceStartOpt = None,
    service_months: ServiceMonthsOpt = None,
    amend: Annotated[bool, Opt("--amend", help=t("help.opt.amend"))] = False,
    reason: Annotated[str | None, Opt("--reason", help=t("help.opt.amend_reason"))] = None,
    json: JsonOpt = False,
) -> None:
    from techdept import values
    from techdept.errors import Invalid
    from techdept.services.projects import set_project

    st = state(ctx)
    if amend and not (reason and reason.strip()):
        raise Invalid("AmendNeedsReason")
    amend_reason = values.parse_name("--reason", reason) if amend and reason else None
    data = _fields(
        name,
        customer,
        contract,
        complexity,
        difficulty,
        risk,
        sales,
        signed,
        service_start,
        service_months,
    )
    view = set_project(st.ledger, st.actor, st.policy, code, data, amend_reason=amend_reason)
    out = st.out(json=json)
    if out.human:
        out.line(t("project.updated", code=view.code))
    else:
        out.json(project_doc(view))


PhaseOpt = Annotated[str | None, Opt("--phase", help=choices("help.opt.phase", "phase", "--phase"))]


@app.command("list", help=t("help.project.list"))
def list_(
    ctx: typer.Context,
    phase: PhaseOpt = None,
    json: JsonOpt = False,
    csv: CsvOpt = False,
    xlsx: XlsxOpt = None,
    force: ForceOpt = False,
) -> None:
    from techdept import terms
    from techdept.services.projects import list_projects

    st = state(ctx)
    _xlsx.check(xlsx, force)
    if phase is not None:
        phase = terms.parse("phase", "--phase", phase)
    listing = _project_listing(list_projects(st.ledger, phase))
    render(st, listing, json=json, csv=csv, xlsx=xlsx, force=force)


def _project_listing(projects: list[Any]) -> Listing:
    """``project list`` for people, JSON, CSV (contract as an exact string) and a workbook."""
    from techdept.output import fen_str, money

    def rows() -> list[dict[str, Any]]:
        return [
            {
                "code": p.code,
                "name": p.name,
                "customer": p.customer,
                "stage": _stage_name(p.stage),
                "contract": money(p.contract_fen),
                "sales": p.sales_name,
            }
            for p in projects
        ]

    return Listing(
        title=t("project.list_title", count=len(projects)),
        columns=[
            ("code", t("label.code")),
            ("name", t("label.project_name")),
            ("customer", t("label.customer")),
            ("stage", t("label.stage")),
            ("contract", t("label.contract")),
            ("sales", t("label.sales")),
        ],
        rows=rows,
        json_doc=lambda: [project_doc(p) for p in projects],
        csv_rows=lambda: [project_doc(p) | {"contract": fen_str(p.contract_fen)} for p in projects],
        sheet=t("xlsx.sheet.projects"),
        cells=lambda: [
            r | {"contract": p.contract_fen, "signed": p.signed_on}
            for r, p in zip(rows(), projects, strict=True)
        ],
        kinds={"contract": "money"},
        extra=(("signed", t("label.signed"), "date"),),
        totals=("contract",),
    )


@app.command("show", help=t("help.project.show"))
def show(
    ctx: typer.Context,
    code: Annotated[str, typer.Argument(help=t("help.arg.project_code"))],
    json: JsonOpt = False,
) -> None:
    from techdept.services.projects import project_record

    st = state(ctx)
    record = project_record(st.ledger, st.policy, code)
    p, crew_view = record.project, record.crews
    out = st.out(json=json)
    out.record(
        _project_fields(p, crew_view), title=f"{p.code} {p.name}", json_doc=_shown_doc(record)
    )
    if not out.human:
        return
    from techdept.commands.crew import show_crews

    show_crews(out, crew_view)
    if record.slices:
        _show_slices(out, record.slices)


def _project_fields(p: Any, crew_view: Any) -> list[tuple[str, Any]]:
    """``project show`` for people: the project's facts as label and value."""
    from techdept.output import money

    def level(kind: str, key: str | None) -> str | None:
        return t(f"{kind}.{key}") if key else None

    fields = [
        (t("label.code"), p.code),
        (t("label.project_name"), p.name),
        (t("label.customer"), p.customer),
        (t("label.stage"), _stage_name(p.stage)),
        (t("label.contract"), money(p.contract_fen)),
        (t("label.complexity"), level("complexity", p.complexity)),
        (t("label.difficulty"), level("level", p.difficulty)),
        (t("label.risk"), level("level", p.risk)),
        (t("label.sales"), f"{p.sales_name} ({p.sales})" if p.sales else None),
        (t("label.signed"), p.signed_on),
        (t("label.service_start"), p.service_start),
        (t("label.service_months"), p.service_months),
    ]
    if p.adopted_stage != "presales.contact":
        fields.append((t("label.adopted_stage"), _stage_name(p.adopted_stage)))
    if p.aftersales_slices:
        fields.append((t("ticket.label.slicing"), t(f"ticket.slicing.{p.aftersales_slices}")))
    if crew_view.chosen:
        fields.append((t("crew.label.chosen"), crew_view.chosen.crew))
    return fields


def _shown_doc(record: Any) -> dict[str, Any]:
    """``project show --json``: the project, its slicing and slices, its crews."""
    from techdept.output import fen_str

    p = record.project
    return project_doc(p) | {
        "aftersales_slices": p.aftersales_slices,
        "slices": [{"quarter": q, "amount": fen_str(amount)} for q, amount in record.slices],
        "crews": {k: v for k, v in record.crews.to_json().items() if k != "project"},
    }


def _show_slices(out: Any, slices: list[tuple[str, int]]) -> None:
    from techdept.output import money

    out.table(
        [("n", "#"), ("quarter", t("label.quarter")), ("amount", t("label.slice_amount"))],
        [
            {"n": str(i), "quarter": q, "amount": money(amount)}
            for i, (q, amount) in enumerate(slices, 1)
        ],
        title=t("project.slices_title", count=len(slices)),
    )
