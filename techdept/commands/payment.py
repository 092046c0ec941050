"""``techdept payment``: money received from customers."""

from __future__ import annotations

from typing import Annotated

import typer

from techdept.commands._choices import choices
from techdept.commands._common import CsvOpt, JsonOpt, default_command_group, state
from techdept.i18n import t

app = typer.Typer(cls=default_command_group("record"), no_args_is_help=True)
Opt = typer.Option


def _doc(view) -> dict:  # type: ignore[no-untyped-def]
    from techdept.output import fen_str

    return {
        "id": view.id,
        "project": view.project,
        "kind": view.kind,
        "amount": fen_str(view.amount_fen),
        "date": view.paid_on.isoformat(),
        "recorded_by": view.recorded_by,
        "voided": view.voided,
        "void_reason": view.void_reason,
    }


@app.command("record", help=t("help.payment.record"))
def record(
    ctx: typer.Context,
    code: Annotated[str, typer.Argument(help=t("help.arg.project_code"))],
    kind: Annotated[
        str, Opt("--kind", help=choices("help.payment_opt.kind", "payment_kind", "--kind", "final"))
    ],
    amount: Annotated[str, Opt("--amount", help=t("help.payment_opt.amount"))],
    date: Annotated[str, Opt("--date", help=t("help.payment_opt.date"))],
    json: JsonOpt = False,
) -> None:
    from techdept import terms, values
    from techdept.output import money
    from techdept.services.payments import record_payment

    st = state(ctx)
    view = record_payment(
        st.ledger,
        st.actor,
        code,
        terms.parse("payment_kind", "--kind", kind),
        values.parse_amount("--amount", amount),
        values.parse_date("--date", date),
    )
    out = st.out(json=json)
    if out.human:
        out.line(
            t(
                "payment.recorded",
                id=view.id,
                code=view.project,
                kind=t(f"payment.kind.{view.kind}"),
                amount=money(view.amount_fen),
                date=view.paid_on.isoformat(),
            )
        )
    else:
        out.json(_doc(view))


@app.command("list", help=t("help.payment.list"))
def list_(
    ctx: typer.Context,
    code: Annotated[str, typer.Argument(help=t("help.arg.project_code"))],
    json: JsonOpt = False,
    csv: CsvOpt = False,
) -> None:
    from techdept.output import money
    from techdept.services.payments import list_payments

    st = state(ctx)
    views = list_payments(st.ledger, code)
    docs = [_doc(v) for v in views]
    rows = [
        {
            "id": v.id,
            "kind": t(f"payment.kind.{v.kind}"),
            "amount": money(v.amount_fen),
            "date": v.paid_on.isoformat(),
            "recorded_by": v.recorded_by,
            "voided": t("payment.void_mark", reason=v.void_reason) if v.voided else "",
        }
        for v in views
    ]
    st.out(json=json, csv=csv).table(
        [
            ("id", t("payment.col.id")),
            ("kind", t("payment.col.kind")),
            ("amount", t("payment.col.amount")),
            ("date", t("payment.col.date")),
            ("recorded_by", t("payment.col.by")),
            ("voided", t("payment.col.void")),
        ],
        rows,
        title=t("payment.list_title", code=code, count=len(views)),
        json_doc=docs,
        csv_rows=docs,
    )


@app.command("void", help=t("help.payment.void"))
def void(
    ctx: typer.Context,
    payment_id: Annotated[int, typer.Argument(help=t("help.payment_opt.id"))],
    reason: Annotated[str, Opt("--reason", help=t("help.payment_opt.reason"))],
    json: JsonOpt = False,
) -> None:
    from techdept import values
    from techdept.services.payments import void_payment

    st = state(ctx)
    view = void_payment(st.ledger, st.actor, payment_id, values.parse_name("--reason", reason))
    out = st.out(json=json)
    if out.human:
        out.line(t("payment.voided", id=view.id, code=view.project))
    else:
        out.json(_doc(view))
