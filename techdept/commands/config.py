"""``techdept config``: the department's settings kept in the ledger — the company's name
printed on every sheet's title line. ``show`` lists them; ``set`` and ``unset`` change one
(an administrator, once there is one; audited)."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from techdept.commands._common import JsonOpt, state
from techdept.i18n import t

app = typer.Typer(no_args_is_help=True)

SettingArg = Annotated[str, typer.Argument(metavar="SETTING", help=t("help.config.arg.setting"))]


def _name(key: str) -> str:
    return t(f"config.key.{key}")


def _key(text: str) -> str:
    """A setting named by its key or its name in either language (or their start)."""
    from techdept import terms
    from techdept.i18n import LANGS, lang, t_in
    from techdept.services.config import KEYS

    known = [
        terms.Term(key, tuple((each, t_in(each, f"config.key.{key}")) for each in LANGS))
        for key in KEYS
    ]
    return terms.choose(t("config.field.setting"), text, known, lang())


def _said(out: Any, change: Any, json: bool, done: str, same: str) -> None:
    if json:
        out.json(
            {"key": change.key, "before": change.before, "after": change.after,
             "changed": change.changed}
        )  # fmt: skip
        return
    key = done if change.changed else same
    out.line(t(key, name=_name(change.key), before=change.before or "—", after=change.after))


@app.command("show", help=t("help.config.show"))
def show(ctx: typer.Context, json: JsonOpt = False) -> None:
    from techdept.commands.lifecycle import when
    from techdept.services import config

    st = state(ctx)
    out = st.out(json=json)
    settings = config.settings(st.ledger)
    rows = [
        {
            "setting": f"{_name(s.key)} ({s.key})",
            "value": (s.value or "—") + ("" if s.audited else t("config.unaudited_mark")),
            "set_by": s.set_by or "—",
            "set_at": when(s.set_at) if s.set_at else "—",
        }
        for s in settings
    ]
    columns = [
        ("setting", t("config.col.setting")),
        ("value", t("config.col.value")),
        ("set_by", t("config.col.set_by")),
        ("set_at", t("config.col.set_at")),
    ]
    doc = {"settings": [s.to_json() for s in settings]}
    out.table(columns, rows, title=t("config.title"), json_doc=doc)
    if any(s.value is None for s in settings):
        out.line(t("config.hint"))
    for s in settings:
        if not s.audited:
            out.note(t("config.unaudited", name=_name(s.key)))


@app.command("set", help=t("help.config.set"))
def set_(
    ctx: typer.Context,
    setting: SettingArg,
    value: Annotated[str, typer.Argument(metavar="VALUE", help=t("help.config.arg.value"))],
    json: JsonOpt = False,
) -> None:
    from techdept.services import config

    st = state(ctx)
    key = _key(setting)
    change = config.set_value(st.ledger, st.actor, key, value, field=_name(key))
    _said(st.out(json=json), change, json, "config.changed", "config.same")


@app.command("unset", help=t("help.config.unset"))
def unset(ctx: typer.Context, setting: SettingArg, json: JsonOpt = False) -> None:
    from techdept.services import config

    st = state(ctx)
    change = config.unset(st.ledger, st.actor, _key(setting))
    _said(st.out(json=json), change, json, "config.removed", "config.not_set")
