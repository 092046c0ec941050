"""``--xlsx FILE [--force]`` on every list, sheet and report: what the commands share.

The commands put their tables into words here (labels, Chinese values) and hand them to
``techdept.forms.workbook``, which is imported only when a workbook is written."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from techdept.i18n import t

if TYPE_CHECKING:
    from techdept.commands._common import State

XlsxOpt = Annotated[
    str | None, typer.Option("--xlsx", metavar="FILE.xlsx", help=t("help.opt.xlsx"))
]
ForceOpt = Annotated[bool, typer.Option("--force", help=t("help.opt.xlsx_force"))]


def check(path: str | None, force: bool) -> None:
    """Refuse a bad target, or a company name the audit trail does not vouch for, before any
    work is done (``bonus --pay --xlsx`` pays nothing then); nothing to check without --xlsx."""
    if path is None:
        return
    import click

    from techdept.commands._common import state
    from techdept.forms.workbook import check_target

    check_target(Path(path), force)
    ctx = click.get_current_context(silent=True)
    if ctx is not None:
        company(state(ctx))


def company(st: State) -> str | None:
    """The company's name for every title row (``config set company``), as ``form`` gets it:
    ``None`` while it is not set, or where there is no ledger to ask (an import template
    needs none); a value the audit trail does not vouch for is refused."""
    from techdept.errors import LedgerUnavailable
    from techdept.services import forms

    try:
        ledger = st.ledger
    except LedgerUnavailable:  # a command that needs the ledger says so when it opens it
        return None
    return forms.company(ledger)


def meta(st: State, policy: tuple[str, str] | None = None) -> list[tuple[str, str]]:
    """The sheet's header: policy id and hash, audit head, the day it was made."""
    from techdept import clock
    from techdept.services.audit import head_hash

    pid, phash = policy or (st.policy.id, st.policy.hash)
    return [
        (t("xlsx.policy"), f"{pid} · {phash[:12]}"),
        (t("xlsx.audit_head"), head_hash(st.ledger)),
        (t("xlsx.made"), clock.today().isoformat()),
    ]


def export(st: State, path: str, force: bool, sheets: list[Any]) -> None:
    """Write ``sheets`` to ``path`` and say so on stdout."""
    from techdept.forms.workbook import write

    target = write(path, sheets, force=force, company=company(st))
    typer.echo(t("xlsx.written", path=str(target), sheets=len(sheets)))


def sheet(
    st: State,
    name: str,
    title: str,
    columns: list[tuple[str, str, str]],
    rows: list[dict[str, Any]],
    *,
    total_label: str | None = None,
    totals: tuple[str, ...] = (),
    policy: tuple[str, str] | None = None,
) -> Any:
    """One sheet of one table: columns as (key, label, kind)."""
    from techdept.forms.workbook import Column, Section, Sheet

    cols = [Column(k, label, kind, total=k in totals) for k, label, kind in columns]  # type: ignore[arg-type]
    return Sheet(
        name,
        title,
        [Section(cols, rows, total_label=total_label)],
        meta=meta(st, policy),
    )
