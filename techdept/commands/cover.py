"""``techdept staff away``: record that the after-sales manager (A) is away, so that the
implementation manager (B) may act for them in that window; without dates, list the windows.

Registered on the ``staff`` sub-app by ``cli.py``."""

from __future__ import annotations

from typing import Annotated

import typer

from techdept.commands._common import JsonOpt, state
from techdept.i18n import t

Opt = typer.Option


def away(
    ctx: typer.Context,
    staff: Annotated[str, typer.Argument(help=t("help.arg.staff_code"))],
    first: Annotated[str | None, Opt("--from", help=t("help.lifecycle.away_from"))] = None,
    last: Annotated[str | None, Opt("--to", help=t("help.lifecycle.away_to"))] = None,
    json: JsonOpt = False,
) -> None:
    from techdept import values
    from techdept.errors import UsageError
    from techdept.services.cover import list_away, record_away

    st = state(ctx)
    out = st.out(json=json)
    if first is None and last is None:
        views = list_away(st.ledger, values.parse_code("STAFF", staff))
        out.table(
            [
                ("staff", t("label.code")),
                ("name", t("label.name")),
                ("from", t("lifecycle.label.away_from")),
                ("to", t("lifecycle.label.away_to")),
                ("recorded_by", t("lifecycle.label.by")),
            ],
            [v.to_dict() for v in views],
            title=t("lifecycle.away_title", code=staff),
            json_doc=[v.to_dict() for v in views],
        )
        return
    if first is None or last is None:
        raise UsageError("AwayNeedsBoth")
    view = record_away(
        st.ledger,
        st.actor,
        values.parse_code("STAFF", staff),
        values.parse_date("--from", first),
        values.parse_date("--to", last),
    )
    if out.human:
        out.line(
            t(
                "lifecycle.away_recorded",
                code=view.staff,
                name=view.name,
                first=view.first_day.isoformat(),
                last=view.last_day.isoformat(),
            )
        )
    else:
        out.json(view.to_dict())
