"""``techdept meeting CODE --track T [--quarter Q]``: the review meeting's live sheet in the
terminal. Textual is imported here, when the command runs, never at start-up."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated, Any

import typer

from techdept.commands._choices import choices
from techdept.commands._common import State, state
from techdept.i18n import t

if TYPE_CHECKING:
    from techdept.console.app import MeetingApp

Opt = typer.Option


def meeting(
    ctx: typer.Context,
    code: Annotated[str, typer.Argument(help=t("help.meeting.arg_code"))],
    track: Annotated[
        str,
        Opt(
            "--track", help=choices("help.meeting.opt_track", "track", "--track", "implementation")
        ),
    ],
    quarter: Annotated[str | None, Opt("--quarter", help=t("help.meeting.opt_quarter"))] = None,
) -> None:
    from techdept.errors import UsageError

    st = state(ctx)
    app = build_app(st, code, track, quarter)
    if not (sys.stdin.isatty() and sys.stderr.isatty()):  # Textual draws on stderr
        raise UsageError("MeetingNeedsTerminal")
    saved = app.run() or 0
    what = f"{app.sheet.code} {t('track.' + app.sheet.track)}"
    if app.sheet.quarter:
        what += f" {app.sheet.quarter}"
    typer.echo(t("console.closed", what=what, saved=saved))


def build_app(st: State, code: str, track: str, quarter: str | None) -> MeetingApp:
    """The console over one assessment, read once; each sheet is saved through
    ``record_scores`` (the service of ``techdept score``) as the acting person."""
    from techdept import terms
    from techdept.console.app import MeetingApp
    from techdept.services.assessments import record_scores
    from techdept.services.meeting import meeting_sheet

    track = terms.parse("track", "--track", track)
    sheet = meeting_sheet(st.ledger, code, track, quarter)

    def save(scorer: str, entries: list[tuple[str, str]], reason: str | None) -> dict[str, Any]:
        return record_scores(st.ledger, st.actor, code, track, quarter, scorer, entries, reason)

    return MeetingApp(sheet, save=save)
