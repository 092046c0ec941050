"""``techdept score``: one scorer's points (``score CODE --track T --scorer S ITEM=POINTS …``),
asked item by item on a terminal when no points are given, and ``score import FILE.csv``."""

from __future__ import annotations

import sys
from typing import Annotated, Any

import typer

from techdept.commands._choices import choices, items
from techdept.commands._common import JsonOpt, default_command_group, state
from techdept.i18n import lang, t

Opt = typer.Option
DEFAULT = "record"


# ``score import FILE`` is a sub-command; anything else is ``score CODE …`` (``record``)
app = typer.Typer(
    cls=default_command_group(DEFAULT),
    no_args_is_help=True,
    subcommand_metavar=t("help.meeting.score_metavar"),
)


def _is_terminal() -> bool:
    return sys.stdin.isatty()


def parse_entries(items: list[str]) -> list[tuple[str, str]]:
    """``quality=28`` → ("quality", "28")."""
    from techdept.errors import Invalid

    out = []
    for text in items:
        item, sep, points = text.partition("=")
        if not sep or not item.strip() or not points.strip():
            raise Invalid("ItemPointsInvalid", value=text)
        out.append((item.strip(), points.strip()))
    return out


def _ask(form: Any, reason: str | None) -> tuple[list[tuple[str, str]], str | None]:
    """Ask the scorer item by item, showing the bands and the computed value."""
    from techdept.errors import TechdeptError

    entries: list[tuple[str, str]] = []
    needs_reason = False
    for item in form.items:
        label = item["label"].get(lang()) or item["key"]
        typer.echo(f"\n{label} ({item['key']}, 0–{item['max']})")
        for band in item["bands"]:
            typer.echo(f"  {band['points']:>6}  {band.get(lang()) or band.get('zh', '')}")
        if item["computed"] is not None:
            typer.echo("  " + t("meeting.prompt.computed", value=item["computed"]))
        default = item["computed"] if item["computed"] is not None else item["current"]
        while True:
            text = typer.prompt(t("meeting.prompt.points", item=label), default=default)
            try:
                points = form.check(item["key"], text)
            except TechdeptError as exc:
                typer.echo(t("cli.error_prefix") + exc.message(), err=True)
                continue
            break
        entries.append((item["key"], text))
        if item["computed"] is not None and points != form.computed(item["key"]):
            needs_reason = True
    if needs_reason and not reason:
        reason = typer.prompt(t("meeting.prompt.reason"))
    return entries, reason


@app.command(DEFAULT, hidden=True, help=t("help.meeting.score"))
def record(
    ctx: typer.Context,
    code: Annotated[str, typer.Argument(help=t("help.meeting.arg_code"))],
    track: Annotated[
        str,
        Opt("--track", help=choices("help.meeting.opt_track", "track", "--track")),
    ],
    scorer: Annotated[
        str,
        Opt("--scorer", help=choices("help.meeting.opt_scorer", "scorer", "--scorer", "superior")),
    ],
    items: Annotated[
        list[str] | None, typer.Argument(help=items("help.meeting.arg_items"), show_default=False)
    ] = None,
    quarter: Annotated[str | None, Opt("--quarter", help=t("help.meeting.opt_quarter"))] = None,
    reason: Annotated[str | None, Opt("--reason", help=t("help.meeting.opt_reason"))] = None,
    replace: Annotated[bool, Opt("--replace", help=t("help.meeting.opt_replace"))] = False,
    json: JsonOpt = False,
) -> None:
    from techdept import terms
    from techdept.errors import UsageError
    from techdept.services.assessment import record_scores, score_form

    st = state(ctx)
    track = terms.parse("track", "--track", track)
    scorer = terms.parse("scorer", "--scorer", scorer, keep_unknown=True)
    if items:
        entries = [
            (terms.parse("item", "ITEM", i, policy=st.policy, track=track, keep_unknown=True), p)
            for i, p in parse_entries(items)
        ]
    elif _is_terminal():
        form = score_form(st.ledger, code, track, quarter, scorer)
        entries, reason = _ask(form, reason)
    else:
        raise UsageError("ScorePointsRequired")
    doc = record_scores(
        st.ledger, st.actor, code, track, quarter, scorer, entries, reason, replace=replace
    )
    out = st.out(json=json)
    if not out.human:
        out.json(doc.to_json())
        return
    _said(out, doc, scorer)


def _said(out: Any, doc: Any, scorer: str) -> None:
    """What ``score`` says: the scorer's points before and after, what is still missing."""
    from techdept.commands.assess_sheet import what

    mine = doc.scorers.get(scorer)
    sheet = dict(mine.points) if mine else {}
    labels = {i.key: (i.label or {}).get(lang()) or i.key for i in doc.items}

    def shown(points: dict[str, Any]) -> str:
        return ", ".join(f"{labels[k]} {points[k]}" for k in labels if points.get(k))

    if doc.before:
        out.line(t("meeting.score_before", items=shown(dict(doc.before))))
    out.line(
        t(
            "meeting.scored",
            scorer=t(f"scorer.{scorer}"),
            what=what(doc),
            items=shown(sheet) or "—",
            total=(mine.total if mine else None) or "—",
        )
    )
    missing = doc.missing_scores.get(scorer)
    if missing:
        out.line(
            t(
                "meeting.score_missing",
                items=("、" if lang() == "zh" else ", ").join(labels.get(k, k) for k in missing),
            )
        )
    if doc.composite is not None:
        out.line(t("meeting.scored_composite", composite=doc.composite, grade=doc.grade))


@app.command("import", help=t("help.meeting.score_import"))
def import_(
    ctx: typer.Context,
    file: Annotated[str, typer.Argument(help=t("help.import.arg_file"), metavar="FILE")],
    dry_run: Annotated[bool, Opt("--dry-run", help=t("help.import.dry_run"))] = False,
    json: JsonOpt = False,
) -> None:
    """``score import`` is ``import scores``."""
    from techdept.commands.imports import run_import

    run_import(ctx, "scores", file, dry_run, json)
