"""``techdept training``: trainings of the customer's staff — plan, sign-in, feedback, list."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from techdept.commands._common import JsonOpt, state
from techdept.i18n import t

app = typer.Typer(no_args_is_help=True)
Opt = typer.Option

RefArg = Annotated[str, typer.Argument(help=t("help.training.arg.ref"))]


def _said(out: Any, view: Any, key: str, json: bool) -> None:
    if json:
        out.json(view.to_json())
    else:
        out.line(
            t(
                key,
                ref=view.ref,
                project=view.project,
                topic=view.topic,
                date=view.held_on.isoformat(),
                count=len(view.attendees),
                feedback=len(view.ratings),
            )
        )
        if view.complete:
            out.line(t("training.complete", project=view.project))


@app.command("plan", help=t("help.training.plan"))
def plan(
    ctx: typer.Context,
    code: Annotated[str, typer.Argument(help=t("help.arg.project_code"))],
    date: Annotated[str, Opt("--date", help=t("help.training.opt.date"))],
    topic: Annotated[str, Opt("--topic", help=t("help.training.opt.topic"))],
    trainer: Annotated[str, Opt("--trainer", help=t("help.training.opt.trainer"))],
    place: Annotated[str | None, Opt("--place", help=t("help.training.opt.place"))] = None,
    json: JsonOpt = False,
) -> None:
    from techdept import values
    from techdept.services import training

    st = state(ctx)
    view = training.plan(
        st.ledger,
        st.actor,
        code,
        values.parse_date("--date", date),
        values.parse_name("--topic", topic),
        trainer,
        place=values.parse_name("--place", place) if place is not None else None,
    )
    _said(st.out(json=json), view, "training.planned", json)


@app.command("sign", help=t("help.training.sign"))
def sign(
    ctx: typer.Context,
    ref: RefArg,
    name: Annotated[list[str], Opt("--name", help=t("help.training.opt.name"))],
    json: JsonOpt = False,
) -> None:
    from techdept import values
    from techdept.services import training

    st = state(ctx)
    view = training.sign(st.ledger, st.actor, ref, [values.parse_name("--name", n) for n in name])
    _said(st.out(json=json), view, "training.signed", json)


@app.command("feedback", help=t("help.training.feedback"))
def feedback(
    ctx: typer.Context,
    ref: RefArg,
    rating: Annotated[str, Opt("--rating", help=t("help.training.opt.rating"))],
    note: Annotated[str | None, Opt("--note", help=t("help.training.opt.note"))] = None,
    json: JsonOpt = False,
) -> None:
    from techdept import values
    from techdept.errors import Invalid
    from techdept.services import training

    st = state(ctx)
    import unicodedata

    # "5", "５" or "5分" as the feedback sheet writes it
    text = unicodedata.normalize("NFKC", rating).strip().removesuffix("分").strip()
    if not (text.isascii() and text.isdigit()):
        raise Invalid("TrainingRating", value=rating)
    view = training.feedback(
        st.ledger,
        st.actor,
        ref,
        int(text),
        values.parse_name("--note", note) if note is not None else None,
    )
    _said(st.out(json=json), view, "training.fed_back", json)


@app.command("list", help=t("help.training.list"))
def list_(
    ctx: typer.Context,
    code: Annotated[str | None, typer.Argument(help=t("help.arg.project_code"))] = None,
    json: JsonOpt = False,
) -> None:
    from techdept.services import training

    st = state(ctx)
    views = training.trainings(st.ledger, code)
    rows = [
        {
            "id": v.ref,
            "project": v.project,
            "date": v.held_on.isoformat(),
            "topic": v.topic,
            "trainer": f"{v.trainer_name} ({v.trainer})",
            "attendees": str(len(v.attendees)),
            "rating": f"{v.mean_rating} ({len(v.ratings)})" if v.ratings else "",
            "complete": t("training.yes") if v.complete else "",
        }
        for v in views
    ]
    st.out(json=json).table(
        [
            ("id", t("training.col.id")),
            ("project", t("training.col.project")),
            ("date", t("training.col.date")),
            ("topic", t("training.col.topic")),
            ("trainer", t("training.col.trainer")),
            ("attendees", t("training.col.attendees")),
            ("rating", t("training.col.rating")),
            ("complete", t("training.col.complete")),
        ],
        rows,
        title=t("training.list_title", count=len(views)),
        json_doc=[v.to_json() for v in views],
    )
