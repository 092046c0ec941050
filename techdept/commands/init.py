"""``techdept init``: create or upgrade the ledger; ``--admin`` names the first administrator;
``--demo`` loads a sample department."""

from __future__ import annotations

from typing import Annotated

import typer

from techdept.commands._common import state
from techdept.i18n import t


def init(
    ctx: typer.Context,
    demo: Annotated[bool, typer.Option("--demo", help=t("help.opt.demo"))] = False,
    admin: Annotated[str | None, typer.Option("--admin", help=t("help.opt.admin"))] = None,
    name: Annotated[str | None, typer.Option("--name", help=t("help.opt.admin_name"))] = None,
) -> None:
    from techdept import values
    from techdept.errors import UsageError
    from techdept.ledger import location, schema_label

    st = state(ctx)
    if (admin is None) != (name is None):
        raise UsageError("AdminNeedsName")
    st.may_create = True
    ledger = st.ledger
    out = st.out()
    out.line(t("init.ready", url=location.display(ledger.url), schema=schema_label()))
    if admin is not None and name is not None:
        from techdept.services.staff import first_admin

        person, added = first_admin(
            ledger, values.parse_name("--name", name), values.parse_code("--admin", admin)
        )
        out.line(
            t("init.admin_added" if added else "init.admin_is", code=person.code, name=person.name)
        )
    if demo:
        from techdept.services.demo import load_demo

        added_demo = load_demo(ledger, st.actor, st.policy)
        out.line(t("init.demo", staff=added_demo.staff, projects=added_demo.projects))
    from techdept.services.staff import administrators

    who = administrators(ledger)
    if who:
        if admin is None:
            out.line(t("init.admins", admins=", ".join(f"{n}（{c}）" for c, n in who)))
    else:
        out.line(t("init.no_admin"))
