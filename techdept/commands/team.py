"""``techdept team``: a project's team for one track."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from techdept.commands._choices import choices
from techdept.commands._common import JsonOpt, state
from techdept.i18n import t

Opt = typer.Option


def parse_engineer(text: str) -> tuple[str, Any]:
    """``STAFF`` or ``STAFF:WEIGHT`` → (code, weight); the weight defaults to 1."""
    from decimal import Decimal

    from techdept import values

    code, sep, weight = text.partition(":")
    parsed = values.parse_weight("--engineer", weight) if sep else Decimal(1)
    return values.parse_code("--engineer", code), parsed


def team_lines(view: Any) -> list[str]:
    engineers = ", ".join(f"{m.name} ({m.staff}) ×{m.weight}" for m in view.engineers) or "—"
    return [
        t(
            "meeting.team_set",
            code=view.project,
            track=t(f"track.{view.track}"),
            lead=f"{view.lead_name} ({view.lead})",
            share=view.to_dict()["lead"]["share"],
            engineers=engineers,
        )
    ]


def team(
    ctx: typer.Context,
    code: Annotated[str, typer.Argument(help=t("help.meeting.arg_code"))],
    track: Annotated[
        str,
        Opt(
            "--track", help=choices("help.meeting.opt_track", "track", "--track", "implementation")
        ),
    ],
    lead: Annotated[str | None, Opt("--lead", help=t("help.meeting.opt_lead"))] = None,
    engineer: Annotated[
        list[str] | None, Opt("--engineer", help=t("help.meeting.opt_engineer"))
    ] = None,
    lead_share: Annotated[
        str | None, Opt("--lead-share", help=t("help.meeting.opt_lead_share"))
    ] = None,
    json: JsonOpt = False,
) -> None:
    from techdept import terms
    from techdept.errors import UsageError
    from techdept.services.teams import get_team

    st = state(ctx)
    track = terms.parse("track", "--track", track)
    if lead is None:
        if engineer or lead_share is not None:
            raise UsageError("TeamLeadRequired")
        view = get_team(st.ledger, code, track)  # no change asked: show the team
    else:
        view = _set(st, code, track, lead, engineer, lead_share)
    out = st.out(json=json)
    if out.human:
        for line in team_lines(view):
            out.line(line)
    else:
        out.json({"project": view.project, "track": view.track, **view.to_dict()})


def _set(st: Any, code: str, track: str, lead: str, engineer: Any, lead_share: Any) -> Any:
    from techdept import values
    from techdept.services.teams import set_team

    return set_team(
        st.ledger,
        st.actor,
        st.policy,
        code,
        track,
        values.parse_code("--lead", lead),
        values.parse_percent("--lead-share", lead_share) if lead_share is not None else None,
        [parse_engineer(e) for e in engineer or []],
    )
