"""``techdept audit``: who changed what and when, and whether the history is intact."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from techdept.commands._common import CsvOpt, JsonOpt, state
from techdept.i18n import t

app = typer.Typer(no_args_is_help=True)

Opt = typer.Option


def _value(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, list):
        return ", ".join(_value(v) for v in value)
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_value(v)}" for k, v in value.items()) + "}"
    return str(value)


def _summary(before: Any, after: Any, width: int = 80) -> str:
    """What changed, in one short line: ``field: old → new`` or the new record's fields."""
    if isinstance(before, dict) and isinstance(after, dict):
        parts = [
            f"{k}: {_value(before.get(k))} → {_value(after.get(k))}"
            for k in after
            if before.get(k) != after.get(k)
        ]
    elif isinstance(after, dict):
        parts = [f"{k}={_value(v)}" for k, v in after.items() if v not in (None, "", [])]
    elif after is not None:
        parts = [_value(after)]
    else:
        parts = []
    text = "; ".join(parts)
    return text if len(text) <= width else text[: width - 1] + "…"


def _csv_row(doc: dict[str, Any]) -> dict[str, Any]:
    from techdept.ledger.audit import canonical

    return doc | {"before": canonical(doc["before"]), "after": canonical(doc["after"])}


@app.command("log", help=t("help.audit.log"))
def log(
    ctx: typer.Context,
    project: Annotated[str | None, Opt("--project", help=t("help.opt.audit_project"))] = None,
    staff: Annotated[str | None, Opt("--staff", help=t("help.opt.audit_staff"))] = None,
    since: Annotated[str | None, Opt("--since", help=t("help.opt.audit_since"))] = None,
    action: Annotated[str | None, Opt("--action", help=t("help.opt.audit_action"))] = None,
    limit: Annotated[str | None, Opt("--limit", help=t("help.opt.audit_limit"))] = None,
    json: JsonOpt = False,
    csv: CsvOpt = False,
) -> None:
    from techdept import values
    from techdept.services import audit

    st = state(ctx)
    rows = audit.log(
        st.ledger,
        project=values.parse_code("--project", project) if project is not None else None,
        staff=values.parse_code("--staff", staff) if staff is not None else None,
        since=values.parse_date("--since", since) if since is not None else None,
        action=action.strip() if action else None,
        limit=values.parse_count("--limit", limit, maximum=1_000_000) if limit else None,
    )
    docs = [r.to_dict() for r in rows]
    shown = [
        d
        | {
            "at": d["at"].replace("T", " ").removesuffix("Z"),
            "change": _summary(r.before, r.after),
            "actor": _actor(d["actor"]),
            "action": _action(d["action"]),
        }
        for d, r in zip(docs, rows, strict=True)
    ]
    out = st.out(json=json, csv=csv)
    if csv:
        columns = [(k, k) for k in docs[0]] if docs else [(k, k) for k in _CSV_KEYS]
        out.table(columns, shown, csv_rows=[_csv_row(d) for d in docs])
        return
    columns = [
        ("id", "#"),
        ("at", t("label.audit_at")),
        ("actor", t("label.audit_actor")),
        ("action", t("label.audit_action")),
        ("key", t("label.audit_key")),
        ("project", t("label.audit_project")),
        ("change", t("label.audit_change")),
    ]
    out.table(columns, shown, title=t("audit.log_title", count=len(rows)), json_doc=docs)
    if out.human and any(d["actor"].startswith("os:") for d in docs):
        out.line(t("audit.actor.hint"))


def _actor(code: str) -> str:
    """``os:USER`` (nobody gave --as) says so in the user's language; rows keep the code."""
    return t("audit.actor.os", user=code.removeprefix("os:")) if code.startswith("os:") else code


def _action(action: str) -> str:
    from techdept.i18n import has

    return t(f"audit.action.{action}") if has(f"audit.action.{action}") else action


_CSV_KEYS = (
    "id",
    "at",
    "actor",
    "on_behalf_of",
    "action",
    "entity",
    "key",
    "project",
    "before",
    "after",
    "prev_hash",
    "hash",
)


@app.command("head", help=t("help.audit.head"))
def head(ctx: typer.Context, json: JsonOpt = False) -> None:
    """The newest audit row's number and hash: write it down, or read it off a signed sheet,
    and ``audit verify --expect N:HASH`` later proves the history up to it is untouched."""
    from techdept.services import audit

    st = state(ctx)
    row, digest = audit.head(st.ledger)
    out = st.out(json=json)
    if out.human:
        out.line(t("audit.anchor.head", row=row, hash=digest))
    else:
        out.json({"row": row, "hash": digest, "anchor": f"{row}:{digest}"})


@app.command("verify", help=t("help.audit.verify"))
def verify(
    ctx: typer.Context,
    expect: Annotated[str | None, Opt("--expect", help=t("help.opt.audit_expect"))] = None,
    json: JsonOpt = False,
) -> None:
    from techdept.display import text
    from techdept.errors import Refused
    from techdept.services import audit

    st = state(ctx)
    anchor = audit.parse_anchor(expect) if expect is not None else None
    report = audit.verify_ledger(st.ledger)
    anchored = audit.check_anchor(st.ledger, *anchor) if anchor else []
    out = st.out(json=json)
    if out.human:
        for finding in report.findings:
            out.line(text(finding.message()))
        for line in anchored:
            out.line(text(line))
        if report.ok and not anchored:
            out.line(t("audit.intact", rows=report.rows, head=report.head))
            if anchor:
                out.line(t("audit.anchor.holds", row=anchor[0]))
    else:
        out.json(
            {
                "ok": report.ok and not anchored,
                "rows": report.rows,
                "head": report.head,
                "findings": [
                    {"id": f.row, "problem": f.kind, "message": text(f.message())}
                    for f in report.findings
                ]
                + [
                    {"id": anchor[0], "problem": "anchor", "message": text(line)}
                    for line in anchored
                    if anchor
                ],
            }
        )
    if not report.ok:
        first = report.findings[0]
        raise Refused("AuditBroken", id=first.row, what=first.message())
    if anchored:
        raise Refused("AuditBroken", id=anchor[0] if anchor else 0, what=anchored[0])
