"""``techdept demo-system``: pre-sales demo systems (virtual machines) — add, test, back up,
list with the last test and backup of each."""

from __future__ import annotations

from typing import Any

import typer

from techdept.commands._common import CsvOpt, JsonOpt, state
from techdept.commands._options import argument, choice, optional, text
from techdept.i18n import t

app = typer.Typer(no_args_is_help=True)

NameArg = argument("help.demo_system.arg.name")
NoteOpt = optional("--note", "help.demo_system.opt.note")
ResultOpt = choice("--result", "help.demo_system.opt.result", "demo_result", "pass")


def _text(field: str, value: str | None) -> str | None:
    from techdept import values

    return values.parse_name(field, value) if value is not None else None


def _check_text(c: Any) -> str:
    from techdept.commands.lifecycle import when

    if c is None:
        return t("demo_system.never")
    what = t(f"demo_system.result.{c.result}") if c.result else (c.location or "")
    return f"{what} · {when(c.at)} {c.by}"


def _said(ctx: typer.Context, view: Any, key: str, json: bool) -> None:
    out = state(ctx).out(json=json)
    if json:
        out.json(view.to_json())
    else:
        out.line(t(key, name=view.name))


def _check(ctx: typer.Context, name: str, kind: str, note: str | None, **what: Any) -> Any:
    """A test or a backup of the system, recorded as the acting user."""
    from techdept.services import demo_systems

    st = state(ctx)
    return demo_systems.check(st.ledger, st.actor, name, kind, note=_text("--note", note), **what)


@app.command("add", help=t("help.demo_system.add"))
def add(
    ctx: typer.Context,
    name: NameArg,
    scenario: text("--scenario", "help.demo_system.opt.scenario"),
    vm_image: text("--vm-image", "help.demo_system.opt.vm_image"),
    json: JsonOpt = False,
) -> None:
    from techdept import values
    from techdept.services import demo_systems

    st = state(ctx)
    view = demo_systems.add(
        st.ledger,
        st.actor,
        values.parse_name("NAME", name),
        values.parse_name("--scenario", scenario),
        values.parse_name("--vm-image", vm_image),
    )
    _said(ctx, view, "demo_system.added", json)


@app.command("test", help=t("help.demo_system.test"))
def test(
    ctx: typer.Context,
    name: NameArg,
    result: ResultOpt,
    note: NoteOpt = None,
    json: JsonOpt = False,
) -> None:
    from techdept import terms

    outcome = terms.parse("demo_result", "--result", result)
    view = _check(ctx, name, "test", note, result=outcome)
    _said(ctx, view, f"demo_system.tested_{view.last_test.result}", json)


@app.command("backup", help=t("help.demo_system.backup"))
def backup(
    ctx: typer.Context,
    name: NameArg,
    location: text("--location", "help.demo_system.opt.location"),
    note: NoteOpt = None,
    json: JsonOpt = False,
) -> None:
    from techdept import values

    where = values.parse_name("--location", location)
    view = _check(ctx, name, "backup", note, location=where)
    _said(ctx, view, "demo_system.backed_up", json)


@app.command("list", help=t("help.demo_system.list"))
def list_(ctx: typer.Context, json: JsonOpt = False, csv: CsvOpt = False) -> None:
    from techdept.services import demo_systems

    st = state(ctx)
    views = demo_systems.systems(st.ledger)
    rows = [
        {
            "name": v.name,
            "scenario": v.scenario,
            "vm_image": v.vm_image,
            "last_test": _check_text(v.last_test),
            "last_backup": _check_text(v.last_backup),
            "used": str(v.used),
        }
        for v in views
    ]
    docs = [v.to_json() for v in views]
    st.out(json=json, csv=csv).table(
        [
            ("name", t("demo_system.col.name")),
            ("scenario", t("demo_system.col.scenario")),
            ("vm_image", t("demo_system.col.vm_image")),
            ("last_test", t("demo_system.col.last_test")),
            ("last_backup", t("demo_system.col.last_backup")),
            ("used", t("demo_system.col.used")),
        ],
        rows,
        title=t("demo_system.list_title", count=len(views)),
        json_doc=docs,
        csv_rows=[
            {
                "name": v.name,
                "scenario": v.scenario,
                "vm_image": v.vm_image,
                "last_test": v.last_test.result if v.last_test else "",
                "last_backup": v.last_backup.location if v.last_backup else "",
                "used": v.used,
            }
            for v in views
        ],
    )
