"""``techdept init``: create or upgrade the ledger; ``--demo`` loads a sample department."""

from __future__ import annotations

from typing import Annotated

import typer

from techdept.commands._common import state
from techdept.i18n import t


def init(
    ctx: typer.Context,
    demo: Annotated[bool, typer.Option("--demo", help=t("help.opt.demo"))] = False,
) -> None:
    from techdept.ledger import location, schema_label

    st = state(ctx)
    st.may_create = True
    ledger = st.ledger
    out = st.out()
    out.line(t("init.ready", url=location.display(ledger.url), schema=schema_label()))
    if demo:
        from techdept.services.demo import load_demo

        added = load_demo(ledger, st.actor, st.policy)
        out.line(t("init.demo", staff=added.staff, projects=added.projects))
