"""``techdept monthly``: the engineers' monthly assessment sheets (月度考核表) — score one,
list a month (who is done, who is missing, which managers are late)."""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated, Any

import typer

from techdept.commands._choices import monthly_items
from techdept.commands._common import CsvOpt, JsonOpt, state
from techdept.commands._listing import Listing, render
from techdept.i18n import lang, t

app = typer.Typer(no_args_is_help=True)
Opt = typer.Option

MonthOpt = Annotated[str, Opt("--month", help=t("help.monthly.opt.month"))]


def _label(value: dict[str, str]) -> str:
    return value.get(lang()) or value.get("en") or ""


def group_name(policy: Any, key: str) -> str:
    group = policy.monthly.group(key) if policy.monthly else None
    return _label(group.label) if group else key


def points(value: Any) -> str:
    return format(value.normalize(), "f") if value is not None else ""


@app.command("score", help=t("help.monthly.score"))
def score(
    ctx: typer.Context,
    staff: Annotated[str, typer.Argument(help=t("help.monthly.arg.staff"))],
    month: MonthOpt,
    pairs: Annotated[list[str], typer.Argument(help=monthly_items("help.monthly.arg.pairs"))],
    note: Annotated[str | None, Opt("--note", help=t("help.monthly.opt.note"))] = None,
    replace: Annotated[bool, Opt("--replace", help=t("help.monthly.opt.replace"))] = False,
    json: JsonOpt = False,
) -> None:
    from techdept import values
    from techdept.services import monthly

    st = state(ctx)
    if note is not None:
        note = values.parse_name("--note", note)
    view = monthly.score(
        st.ledger, st.actor, st.policy, staff, month, _keyed(pairs, st.policy), note=note,
        replace=replace,
    )  # fmt: skip
    out = st.out(json=json)
    if not out.human:
        out.json(view.to_json())
        return
    out.line(
        t(
            "monthly.scored",
            staff=view.staff,
            name=view.name,
            month=view.month,
            total=points(view.total),
            max=points(st.policy.monthly.max_total),
            version=view.version,
        )
    )
    if view.status == "late":
        out.line(t("monthly.scored_late"))


def _keyed(pairs: list[str], policy: Any) -> list[str]:
    """``ITEM=POINTS`` with the item named by key, name or short form (``质量=26``) → by key;
    an item no form names stays as typed, for the service's refusal."""
    from techdept import terms

    out = []
    for pair in pairs:
        item, eq, points = pair.replace("＝", "=").partition("=")
        if eq and item.strip():
            item = terms.parse("monthly_item", "ITEM", item, keep_unknown=True, policy=policy)
        out.append(f"{item}{eq}{points}")
    return out


def _status(value: str) -> str:
    return t(f"monthly.status.{value}")


@app.command("list", help=t("help.monthly.list"))
def list_(
    ctx: typer.Context,
    month: MonthOpt,
    late: Annotated[bool, Opt("--late", help=t("help.monthly.opt.late"))] = False,
    json: JsonOpt = False,
    csv: CsvOpt = False,
) -> None:
    from techdept.services import monthly

    st = state(ctx)
    view = monthly.month_view(st.ledger, st.policy, month)
    if late:
        out = render(st, _late_listing(view, st.policy), json=json, csv=csv)
        if out is not None and out.human and not view.late:
            out.line(t("monthly.none_late"))
        return
    out = render(st, _sheet_listing(view, st.policy), json=json, csv=csv)
    if out is not None and out.human:
        managers = _manager_listing(view.managers, st.policy)
        out.table(managers.columns, managers.rows, title=t("monthly.managers_title"))
        if view.example:
            out.line(t("monthly.policy.example"))


def _manager_listing(managers: Any, policy: Any) -> Listing:
    """The managers who submit the month's sheets: whether they are late, for whom."""
    return Listing(
        title=t("monthly.managers_title"),
        columns=[
            ("staff", t("monthly.col.manager")),
            ("name", t("label.name")),
            ("group", t("monthly.col.group")),
            ("late", t("monthly.col.late")),
            ("engineers", t("monthly.col.engineers")),
        ],
        rows=[
            {
                "staff": m.staff,
                "name": m.name,
                "group": group_name(policy, m.group),
                "late": t("monthly.yes") if m.late else t("monthly.no"),
                "engineers": ", ".join(m.engineers),
            }
            for m in managers
        ],
        csv_rows=[
            m.to_json() | {"engineers": " ".join(m.engineers), "late": str(m.late).lower()}
            for m in managers
        ],
    )


def _late_listing(view: Any, policy: Any) -> Listing:
    """``monthly list --late``: only the managers late with the month's sheets."""
    managers = _manager_listing(view.late, policy)
    return replace(
        managers,
        title=t("monthly.late_title", month=view.month, due=view.due.isoformat()),
        json_doc=view.to_json() | {"managers": [m.to_json() for m in view.late]},
    )


def _sheet_listing(view: Any, policy: Any) -> Listing:
    """``monthly list``: each engineer's sheet of the month, item by item."""
    items = policy.monthly.items
    rows = []
    for s in view.sheets:
        row = {
            "staff": s.staff,
            "name": s.name,
            "group": group_name(policy, s.group),
            "status": _status(s.status),
            "total": points(s.total),
            "scored_by": s.scored_by or "",
            "scored_on": s.scored_on.isoformat() if s.scored_on else "",
        }
        rows.append(row | {i.key: points((s.items or {}).get(i.key)) for i in items})
    done = sum(1 for s in view.sheets if s.status in ("done", "late"))
    return Listing(
        title=t(
            "monthly.list_title",
            month=view.month,
            due=view.due.isoformat(),
            done=done,
            count=len(view.sheets),
        ),
        columns=[
            ("staff", t("label.code")),
            ("name", t("label.name")),
            ("group", t("monthly.col.group")),
            ("status", t("monthly.col.status")),
            *[(i.key, _label(i.label)) for i in items],
            ("total", t("monthly.col.total")),
            ("scored_by", t("monthly.col.scored_by")),
            ("scored_on", t("monthly.col.scored_on")),
        ],
        rows=rows,
        json_doc=view.to_json(),
        csv_rows=[
            r | {"status": s.status, "group": s.group}
            for r, s in zip(rows, view.sheets, strict=True)
        ],
    )
