"""``techdept db``: where the ledger is and its schema."""

from __future__ import annotations

import typer

from techdept.commands._common import JsonOpt, state
from techdept.i18n import t

app = typer.Typer(no_args_is_help=True)


@app.command("path", help=t("help.db.path"))
def path(ctx: typer.Context, json: JsonOpt = False) -> None:
    from techdept.ledger import location

    st = state(ctx)
    url, file = location.resolve(st.db)
    out = st.out(json=json)
    if out.human:
        out.line(str(file) if file else location.display(url))
    else:
        out.json({"url": location.display(url), "path": str(file) if file else None})


@app.command("upgrade", help=t("help.db.upgrade"))
def upgrade(ctx: typer.Context) -> None:
    from techdept.ledger import schema_label

    st = state(ctx)
    _ = st.ledger  # opening applies every pending migration (backup first)
    st.out().line(t("db.upgraded", schema=schema_label()))
