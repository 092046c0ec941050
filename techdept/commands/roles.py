"""``techdept roles``: every write command and who may run it (the same table as the README)."""

from __future__ import annotations

import typer

from techdept.commands._common import JsonOpt, state
from techdept.i18n import t


def roles(ctx: typer.Context, json: JsonOpt = False) -> None:
    from techdept.i18n import has
    from techdept.services.permissions import RULES

    st = state(ctx)
    rows, docs = [], []
    for rule in RULES:
        who = " / ".join(t(f"role.{r}") for r in rule.roles) or t("perm.anyone")
        note = t(f"perm.note.{rule.key}") if rule.note and has(f"perm.note.{rule.key}") else ""
        rows.append({"command": rule.command, "who": who, "note": note})
        docs.append({"rule": rule.key, "command": rule.command, "roles": list(rule.roles),
                     "note": note})  # fmt: skip
    out = st.out(json=json)
    out.table(
        [("command", t("perm.command")), ("who", t("perm.who")), ("note", t("perm.condition"))],
        rows,
        title=t("perm.title", count=len(rows)),
        json_doc=docs,
    )
    out.line("")
    out.line(t("perm.sqlite_note"))
