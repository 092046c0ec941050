"""``techdept staff sanctions`` and ``staff lift-sanction`` (registered on the staff group)."""

from __future__ import annotations

from typing import Annotated

import typer

from techdept.commands._choices import choices
from techdept.commands._common import CsvOpt, JsonOpt, state
from techdept.i18n import t

Opt = typer.Option


def _effect(view) -> str:  # type: ignore[no-untyped-def]
    return t(f"sanction.effect.{view.effect}") if view.effect else "—"


def sanctions(ctx: typer.Context, json: JsonOpt = False, csv: CsvOpt = False) -> None:
    from techdept.services.sanctions import list_sanctions

    st = state(ctx)
    found = list_sanctions(st.ledger, st.policy)
    columns = [
        ("staff", t("label.code")),
        ("name", t("label.name")),
        ("track", t("meeting.label.track")),
        ("effect", t("meeting.label.effect")),
        ("assessments", t("meeting.label.behind")),
    ]
    rows = [
        {
            "staff": v.staff,
            "name": v.name,
            "track": t(f"track.{v.track}"),
            "effect": _effect(v),
            "assessments": ", ".join(f"{r.label} ({r.grade})" for r in v.assessments),
        }
        for v in found
    ]
    out = st.out(json=json, csv=csv)
    if out.human and not found:
        out.line(t("meeting.no_sanctions"))
        return
    out.table(
        columns,
        rows,
        title=t("meeting.sanctions_title", count=len(found)),
        json_doc=[v.to_dict() for v in found],
        csv_rows=[
            {
                "staff": v.staff,
                "name": v.name,
                "track": v.track,
                "effect": v.effect,
                "assessments": "; ".join(r.label for r in v.assessments),
            }
            for v in found
        ],
    )


def lift_sanction(
    ctx: typer.Context,
    staff: Annotated[str, typer.Argument(help=t("help.meeting.arg_staff"))],
    track: Annotated[
        str,
        Opt(
            "--track", help=choices("help.meeting.opt_track", "track", "--track", "implementation")
        ),
    ],
    reason: Annotated[str, Opt("--reason", help=t("help.meeting.opt_lift_reason"))],
    json: JsonOpt = False,
) -> None:
    from techdept import terms, values
    from techdept.services.sanctions import lift_sanction as lift

    st = state(ctx)
    view = lift(
        st.ledger,
        st.actor,
        st.policy,
        values.parse_code("STAFF", staff),
        terms.parse("track", "--track", track),
        values.parse_name("--reason", reason),
    )
    out = st.out(json=json)
    if out.human:
        out.line(
            t(
                "meeting.lifted",
                name=view.name,
                staff=view.staff,
                track=t(f"track.{view.track}"),
                assessments=view.labels,
            )
        )
    else:
        out.json(view.to_dict() | {"lifted": True})
