"""``techdept crew``: construction crews' quotes for a project and the crew chosen (施工队)."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from techdept.commands._common import JsonOpt, state
from techdept.i18n import t

app = typer.Typer(no_args_is_help=True)
Opt = typer.Option

CodeArg = Annotated[str, typer.Argument(help=t("help.arg.project_code"))]
CrewOpt = Annotated[str, Opt("--crew", help=t("help.crew.opt.crew"))]
NoteOpt = Annotated[str | None, Opt("--note", help=t("help.crew.opt.note"))]


def _text(field: str, value: str | None) -> str | None:
    from techdept import values

    return values.parse_name(field, value) if value is not None else None


@app.command("quote", help=t("help.crew.quote"))
def quote(
    ctx: typer.Context,
    code: CodeArg,
    crew: CrewOpt,
    amount: Annotated[str, Opt("--amount", help=t("help.crew.opt.amount"))],
    note: NoteOpt = None,
    json: JsonOpt = False,
) -> None:
    from techdept import values
    from techdept.output import fen_str, money
    from techdept.services import crews

    st = state(ctx)
    view = crews.quote(
        st.ledger,
        st.actor,
        code,
        values.parse_name("--crew", crew),
        values.parse_amount("--amount", amount),
        note=_text("--note", note),
    )
    out = st.out(json=json)
    if out.human:
        out.line(t("crew.quoted", code=code, crew=view.crew, amount=money(view.amount_fen)))
    else:
        out.json({"project": code, "crew": view.crew, "amount": fen_str(view.amount_fen)})


@app.command("choose", help=t("help.crew.choose"))
def choose(
    ctx: typer.Context,
    code: CodeArg,
    crew: CrewOpt,
    contract: Annotated[str | None, Opt("--contract", help=t("help.crew.opt.contract"))] = None,
    note: NoteOpt = None,
    json: JsonOpt = False,
) -> None:
    from techdept import values
    from techdept.output import money
    from techdept.services import crews

    st = state(ctx)
    view = crews.choose(
        st.ledger,
        st.actor,
        st.policy,
        code,
        values.parse_name("--crew", crew),
        contract=contract,
        note=_text("--note", note),
    )
    out = st.out(json=json)
    if not out.human:
        out.json(crews.crews(st.ledger, code).to_json())
        return
    out.line(
        t(
            "crew.chosen",
            code=code,
            crew=view.crew,
            amount=money(view.amount_fen),
            quotes=view.quotes,
        )
    )
    if view.contract_file:
        out.line(t("crew.contract_filed", file=view.contract_file, sha=view.contract_sha256[:12]))


def crew_rows(view: Any) -> list[dict[str, str]]:
    """The quotes of a project as table rows, the chosen crew marked."""
    from techdept.commands.lifecycle import when
    from techdept.output import money

    chosen = view.chosen.crew if view.chosen else None
    return [
        {
            "crew": q.crew,
            "amount": money(q.amount_fen),
            "chosen": t("crew.chosen_mark") if q.crew == chosen else "",
            "at": when(q.at),
            "by": q.by,
            "note": q.note or "",
        }
        for q in view.quotes
    ]


CREW_COLUMNS = (
    ("crew", "crew.col.crew"),
    ("amount", "crew.col.amount"),
    ("chosen", "crew.col.chosen"),
    ("at", "crew.col.at"),
    ("by", "crew.col.by"),
    ("note", "crew.col.note"),
)


def show_crews(out: Any, view: Any) -> None:
    """The quotes table (and the subcontract line) under a project's record or history."""
    if not view.quotes:
        return
    out.table(
        [(k, t(label)) for k, label in CREW_COLUMNS],
        crew_rows(view),
        title=t("crew.list_title", code=view.project, count=len(view.quotes)),
    )
    if view.chosen and view.chosen.contract_file:
        out.line(
            t(
                "crew.contract_line",
                file=view.chosen.contract_file,
                sha=(view.chosen.contract_sha256 or "")[:12],
            )
        )


@app.command("list", help=t("help.crew.list"))
def list_(ctx: typer.Context, code: CodeArg, json: JsonOpt = False) -> None:
    from techdept.services import crews

    st = state(ctx)
    view = crews.crews(st.ledger, code)
    out = st.out(json=json)
    if not out.human:
        out.json(view.to_json())
        return
    if not view.quotes:
        out.line(t("crew.none", code=code))
        return
    show_crews(out, view)
