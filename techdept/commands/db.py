"""``techdept db``: where the ledger is, its schema, backups, restores and checks."""

from __future__ import annotations

from typing import Annotated

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


@app.command("backup", help=t("help.db.backup"))
def backup(
    ctx: typer.Context,
    target: Annotated[str, typer.Argument(help=t("help.arg.backup_path"))],
    json: JsonOpt = False,
) -> None:

    from techdept.ledger import location
    from techdept.services.backup import backup as take_backup

    st = state(ctx)
    url, file = location.resolve(st.db)
    done = take_backup(url, file, location.expand(target))
    out = st.out(json=json)
    if out.human:
        out.line(t("db.backup_done", path=done.path, size=done.bytes, rows=done.audit_rows))
        if done.head:
            out.line(t("db.head", head=done.head))
    else:
        out.json(
            {
                "path": done.path,
                "bytes": done.bytes,
                "audit_rows": done.audit_rows,
                "head": done.head,
            }
        )


def _may_restore(st, file) -> None:  # type: ignore[no-untyped-def]
    """Only an administrator restores over a ledger that has one. A ledger that cannot be
    opened (damaged: the reason to restore) has no roles to protect."""
    from techdept.errors import LedgerUnavailable
    from techdept.services.staff import require_admin

    if file is not None and not file.exists():
        return
    try:
        ledger = st.ledger
    except LedgerUnavailable:
        return
    require_admin(ledger, st.actor, "db.restore")
    ledger.dispose()  # the restore replaces this very file


@app.command("restore", help=t("help.db.restore"))
def restore(
    ctx: typer.Context,
    source: Annotated[str, typer.Argument(help=t("help.arg.restore_path"))],
    json: JsonOpt = False,
) -> None:

    from techdept.ledger import location, schema_label
    from techdept.services.backup import restore as put_back

    st = state(ctx)
    url, file = location.resolve(st.db)
    _may_restore(st, file)
    done = put_back(url, file, location.expand(source), st.actor)
    out = st.out(json=json)
    if out.human:
        out.line(t("db.restored", source=done.source, ledger=done.ledger, schema=schema_label()))
        for lost in done.lost:
            out.line(t("db.restore_lost", what=lost))
        if done.kept:
            out.line(t("db.restore_kept", path=done.kept))
        out.line(t("db.restore_hint"))
    else:
        out.json(
            {
                "source": done.source,
                "ledger": done.ledger,
                "kept": done.kept,
                "schema": schema_label(),
                "audit_rows": done.audit_rows,
                "head": done.head,
                "lost": list(done.lost),
            }
        )


def _notes(ledger) -> list[str]:  # type: ignore[no-untyped-def]
    """Remarks that are not failures: a ledger without an administrator (staff
    administration open to anyone)."""
    from techdept.services.staff import administrators

    return [] if administrators(ledger) else [t("db.check_no_admin")]


def _names(checks: list[str]) -> str:
    """The checks by their names in the user's language (``db.check_name.*``; a check added
    without a name shows its key). The JSON keeps the keys."""
    from techdept.i18n import has, lang

    named = [t(f"db.check_name.{c}") if has(f"db.check_name.{c}") else c for c in checks]
    return ("、" if lang() == "zh" else ", ").join(named)


@app.command("check", help=t("help.db.check"))
def check(ctx: typer.Context, json: JsonOpt = False) -> None:
    from techdept.display import word
    from techdept.errors import Refused
    from techdept.services.checks import check_ledger

    st = state(ctx)
    results = check_ledger(st.ledger)
    # findings come as data (a Phrase) or, from the checks not yet moved, as a line
    findings = [word(f) for r in results for f in r.findings]
    notes = _notes(st.ledger)
    out = st.out(json=json)
    if out.human:
        for finding in findings:
            out.line(finding)
        for note in notes:
            out.line(note)
        if not findings:
            ran = [r.name for r in results if r.status == "ok"]
            skipped = [r.name for r in results if r.status == "skipped"]
            out.line(t("db.check_ok", ran=_names(ran)))
            chain = next(r for r in results if r.name == "audit")
            out.line(t("db.check_audit", rows=chain.info["rows"], head=chain.info["head"]))
            if skipped:
                out.line(t("db.check_skipped", skipped=_names(skipped)))
    else:
        out.json(
            {
                "ok": not findings,
                "findings": findings,
                "notes": notes,
                "checks": [
                    r.to_dict() | {"findings": [word(f) for f in r.findings]} for r in results
                ],
            }
        )
    if findings:
        raise Refused("CheckFailed", count=len(findings))


@app.command("roles", help=t("help.db.roles"))
def roles(
    ctx: typer.Context,
    apply: Annotated[bool, typer.Option("--apply", help=t("help.opt.roles_apply"))] = False,
) -> None:
    from techdept.services import dbroles

    st = state(ctx)
    plan = dbroles.apply(st.ledger, st.actor) if apply else dbroles.plan(st.ledger)
    out = st.out()
    if not apply:
        for statement in plan.statements:
            out.line(statement + ";")
        return
    out.line(t("db.roles_applied", count=len(plan.statements), schema=plan.schema))
    for code, login in plan.logins:
        out.line(t("db.roles_login", login=login, code=code))
    for login in plan.retired:
        out.line(t("db.roles_retired", login=login))
