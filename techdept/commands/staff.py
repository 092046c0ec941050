"""``techdept staff``: the department's people."""

from __future__ import annotations

from typing import Annotated

import typer

from techdept.commands._common import CsvOpt, JsonOpt, state
from techdept.i18n import t

app = typer.Typer(no_args_is_help=True)


def _row(view) -> dict:  # type: ignore[no-untyped-def]
    return {
        "code": view.code,
        "name": view.name,
        "roles": ", ".join(t(f"role.{r}") for r in view.roles),
    }


def _columns() -> list[tuple[str, str]]:
    return [("code", t("label.code")), ("name", t("label.name")), ("roles", t("label.roles"))]


@app.command("add", help=t("help.staff.add"))
def add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help=t("help.arg.staff_name"))],
    code: Annotated[str, typer.Option("--code", help=t("help.opt.staff_code"))],
    role: Annotated[list[str], typer.Option("--role", help=t("help.opt.role"))],
    json: JsonOpt = False,
) -> None:
    from techdept import terms, values
    from techdept.services.staff import add_staff

    st = state(ctx)
    view = add_staff(
        st.ledger,
        st.actor,
        values.parse_name("NAME", name),
        values.parse_code("--code", code),
        [terms.parse("role", "--role", r) for r in role],
    )
    out = st.out(json=json)
    if out.human:
        out.line(t("staff.added", code=view.code, name=view.name))
    else:
        out.json(view.to_dict())


@app.command("list", help=t("help.staff.list"))
def list_(
    ctx: typer.Context,
    role: Annotated[str | None, typer.Option("--role", help=t("help.opt.role_filter"))] = None,
    group: Annotated[bool, typer.Option("--group", help=t("help.opt.group"))] = False,
    json: JsonOpt = False,
    csv: CsvOpt = False,
) -> None:
    from techdept import terms
    from techdept.services.staff import list_staff

    st = state(ctx)
    if role is not None:
        role = terms.parse("role", "--role", role)
    people = list_staff(st.ledger, role, groups=group)
    columns = _columns()
    rows = [_row(p) for p in people]
    docs = [p.to_dict() for p in people]
    if group:
        columns.append(("group", t("label.group")))
        for row, doc, p in zip(rows, docs, people, strict=True):
            row["group"] = _group_text(p)
            doc |= {"group": p.group, "projects": list(p.group_projects)}
    out = st.out(json=json, csv=csv)
    out.table(
        columns,
        rows,
        title=t("staff.list_title", count=len(people)),
        json_doc=docs,
        csv_rows=[
            d | {"roles": " ".join(p.roles), "group": p.group or ""}
            for d, p in zip(docs, people, strict=True)
        ],
    )


def _group_text(person) -> str:  # type: ignore[no-untyped-def]
    if person.group is None:
        return ""
    text = t(f"staff.group.{person.group}")
    if person.group_projects:
        text += f" ({', '.join(person.group_projects)})"
    return text


@app.command("show", help=t("help.staff.show"))
def show(
    ctx: typer.Context,
    code: Annotated[str, typer.Argument(help=t("help.arg.staff_code"))],
    json: JsonOpt = False,
) -> None:
    from techdept.services.staff import get_staff

    st = state(ctx)
    view = get_staff(st.ledger, code)
    st.out(json=json).record(
        [
            (t("label.code"), view.code),
            (t("label.name"), view.name),
            (t("label.roles"), ", ".join(t(f"role.{r}") for r in view.roles)),
        ],
        title=view.name,
        json_doc=view.to_dict(),
    )
