"""``techdept staff``: the department's people."""

from __future__ import annotations

from typing import Annotated

import typer

from techdept.commands import _xlsx
from techdept.commands._choices import choices
from techdept.commands._common import CsvOpt, JsonOpt, state
from techdept.commands._xlsx import ForceOpt, XlsxOpt
from techdept.i18n import t

app = typer.Typer(no_args_is_help=True)


def _row(view) -> dict:  # type: ignore[no-untyped-def]
    return {
        "code": view.code,
        "name": view.name,
        "roles": _roles_text(view),
    }


def _roles_text(view) -> str:  # type: ignore[no-untyped-def]
    text = ", ".join(t(f"role.{r}") for r in view.roles)
    if view.left_on is not None:
        text += " " + t("staff.left_mark", date=view.left_on.isoformat())
    return text


def _columns() -> list[tuple[str, str]]:
    return [("code", t("label.code")), ("name", t("label.name")), ("roles", t("label.roles"))]


@app.command("add", help=t("help.staff.add"))
def add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help=t("help.arg.staff_name"))],
    code: Annotated[str, typer.Option("--code", help=t("help.opt.staff_code"))],
    role: Annotated[
        list[str],
        typer.Option("--role", help=choices("help.opt.role", "role", "--role", "engineer")),
    ],
    same_name_ok: Annotated[
        bool, typer.Option("--same-name-ok", help=t("help.opt.same_name_ok"))
    ] = False,
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
        same_name_ok=same_name_ok,
    )
    out = st.out(json=json)
    if out.human:
        out.line(t("staff.added", code=view.code, name=view.name))
    else:
        out.json(view.to_dict())


@app.command("list", help=t("help.staff.list"))
def list_(
    ctx: typer.Context,
    role: Annotated[
        str | None,
        typer.Option("--role", help=choices("help.opt.role_filter", "role", "--role", "engineer")),
    ] = None,
    group: Annotated[bool, typer.Option("--group", help=t("help.opt.group"))] = False,
    json: JsonOpt = False,
    csv: CsvOpt = False,
    xlsx: XlsxOpt = None,
    force: ForceOpt = False,
) -> None:
    from techdept import terms
    from techdept.services.staff import list_staff

    st = state(ctx)
    _xlsx.check(xlsx, force)
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
    title = t("staff.list_title", count=len(people))
    if xlsx:
        kinds = [(k, label, "text") for k, label in columns]
        _xlsx.export(st, xlsx, force, [_xlsx.sheet(st, t("xlsx.sheet.staff"), title, kinds, rows)])
        return
    out = st.out(json=json, csv=csv)
    out.table(
        columns,
        rows,
        title=title,
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
    from techdept.services.monthly import history
    from techdept.services.staff import get_staff

    st = state(ctx)
    view = get_staff(st.ledger, code)
    sheets = history(st.ledger, code)
    fields = [
        (t("label.code"), view.code),
        (t("label.name"), view.name),
        (t("label.roles"), _roles_text(view)),
        *([(t("label.login"), view.login)] if view.login else []),
    ]
    if sheets:
        fields.append(
            (
                t("monthly.staff_label"),
                t("monthly.sep").join(
                    t(
                        "monthly.staff_item",
                        month=s.month,
                        total=f"{s.total.normalize():f}",
                        by=s.scored_by,
                    )
                    for s in sheets
                ),
            )
        )
    st.out(json=json).record(
        fields,
        title=view.name,
        json_doc=view.to_dict() | {"monthly": [s.to_json() for s in sheets]},
    )


role_app = typer.Typer(no_args_is_help=True)
app.add_typer(role_app, name="role", help=t("help.staff.role"))


def _done(ctx: typer.Context, view, key: str, json: bool) -> None:  # type: ignore[no-untyped-def]
    out = state(ctx).out(json=json)
    if out.human:
        out.line(t(key, code=view.code, name=view.name, roles=_roles_text(view)))
    else:
        out.json(view.to_dict())


def _role_change(ctx: typer.Context, code: str, roles: list[str], grant: bool, json: bool) -> None:
    from techdept import terms
    from techdept.services.staff import change_roles

    st = state(ctx)
    wanted = [terms.parse("role", "ROLE", r) for r in roles]
    view = change_roles(st.ledger, st.actor, code, wanted if grant else [], [] if grant else wanted)
    _done(ctx, view, "staff.roles_changed", json)


@role_app.command("grant", help=t("help.staff.role_grant"))
def role_grant(
    ctx: typer.Context,
    code: Annotated[str, typer.Argument(help=t("help.arg.staff_code"))],
    role: Annotated[
        list[str], typer.Argument(help=choices("help.opt.role", "role", "", "engineer"))
    ],
    json: JsonOpt = False,
) -> None:
    _role_change(ctx, code, role, True, json)


@role_app.command("revoke", help=t("help.staff.role_revoke"))
def role_revoke(
    ctx: typer.Context,
    code: Annotated[str, typer.Argument(help=t("help.arg.staff_code"))],
    role: Annotated[
        list[str], typer.Argument(help=choices("help.opt.role", "role", "", "engineer"))
    ],
    json: JsonOpt = False,
) -> None:
    _role_change(ctx, code, role, False, json)


@app.command("rename", help=t("help.staff.rename"))
def rename(
    ctx: typer.Context,
    code: Annotated[str, typer.Argument(help=t("help.arg.staff_code"))],
    name: Annotated[str, typer.Argument(help=t("help.arg.staff_name"))],
    same_name_ok: Annotated[
        bool, typer.Option("--same-name-ok", help=t("help.opt.same_name_ok"))
    ] = False,
    json: JsonOpt = False,
) -> None:
    from techdept import values
    from techdept.services import staff

    st = state(ctx)
    view = staff.rename(
        st.ledger, st.actor, code, values.parse_name("NAME", name), same_name_ok=same_name_ok
    )
    _done(ctx, view, "staff.renamed", json)


@app.command("leave", help=t("help.staff.leave"))
def leave(
    ctx: typer.Context,
    code: Annotated[str, typer.Argument(help=t("help.arg.staff_code"))],
    date: Annotated[str, typer.Option("--date", help=t("help.opt.leave_date"))],
    json: JsonOpt = False,
) -> None:
    from techdept import values
    from techdept.services import staff

    st = state(ctx)
    view = staff.leave(st.ledger, st.actor, code, values.parse_date("--date", date))
    _done(ctx, view, "staff.left", json)


@app.command("set", help=t("help.staff.set"))
def set_(
    ctx: typer.Context,
    code: Annotated[str, typer.Argument(help=t("help.arg.staff_code"))],
    login: Annotated[str | None, typer.Option("--login", help=t("help.opt.login"))] = None,
    no_login: Annotated[bool, typer.Option("--no-login", help=t("help.opt.no_login"))] = False,
    json: JsonOpt = False,
) -> None:
    from techdept import values
    from techdept.errors import UsageError
    from techdept.services import staff

    st = state(ctx)
    if (login is None) == (not no_login):
        raise UsageError("LoginOption")
    name = None if no_login else values.parse_login("--login", login or "")
    view = staff.set_login(st.ledger, st.actor, code, name)
    _done(ctx, view, "staff.login_set" if name else "staff.login_cleared", json)
