"""``techdept audit``: who changed what and when, and whether the history is intact."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from techdept.commands._common import CsvOpt, JsonOpt, state
from techdept.i18n import t

app = typer.Typer(no_args_is_help=True)

Opt = typer.Option


# a field whose values are keys of a vocabulary: shown by the value's name (terms.name)
_FIELD_KIND = {
    "role": "role",
    "roles": "role",
    "complexity": "complexity",
    "difficulty": "difficulty",
    "risk": "risk",
    "stage": "stage",
    "adopted_stage": "stage",
    "channel": "channel",
    "kind": "payment_kind",
    "library": "library",
    "level": "kb_level",
    "result": "demo_result",
    "action": "repair_action",
    "track": "track",
    "scorer": "scorer",
    "event": "acceptance",
    "doc": "deliverable",
    "phase": "phase",
}


def _name(field: str, value: str) -> str:
    """A key in a row, by its name in the user's language where a vocabulary knows it."""
    from techdept import terms
    from techdept.i18n import has

    kind = _FIELD_KIND.get(field)
    if kind is not None:
        try:
            named = terms.name(kind, value)
        except Exception:  # a vocabulary that cannot be built here: the key as it is
            named = value
        if named != value:
            return named
    for key in (f"ticket.status.{value}", f"audit.value.{value}"):
        if field in ("status", "as", "decision", "aftersales_slices") and has(key):
            return t(key)
    return value


def _value(value: Any, field: str = "") -> str:
    """One value of an audit row as people read it: names for keys, money for fen, 是/否."""
    from techdept.output import money

    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return t(f"audit.value.{str(value).lower()}")
    if isinstance(value, list):
        return _sep().join(_value(v, field) for v in value) or "—"
    if isinstance(value, dict):
        return "{" + _sep().join(f"{_field(k)}: {_value(v, k)}" for k, v in value.items()) + "}"
    if isinstance(value, int) and (field.endswith("_fen") or field in _FEN_FIELDS):
        return money(value)
    return _name(field, str(value))


_FEN_FIELDS = ("quotes",)


def _sep() -> str:
    from techdept.i18n import lang

    return "、" if lang() == "zh" else ", "


def _field(name: str) -> str:
    """A field's name in the user's language (an item key by the policy's label)."""
    from techdept.i18n import has

    if has(f"audit.field.{name}"):
        return t(f"audit.field.{name}")
    return _item_labels().get(name, name)


def _item_labels() -> dict[str, str]:
    from techdept.commands._explain import item_labels

    global _ITEMS
    if _ITEMS is None:
        _ITEMS = item_labels(None)
        from techdept.terms import _default_policy

        policy = _default_policy()
        if policy.monthly:
            for item in policy.monthly.items:
                _ITEMS.setdefault(item.key, t_label(item.label))
    return _ITEMS


_ITEMS: dict[str, str] | None = None


def t_label(label: dict[str, str]) -> str:
    from techdept.i18n import lang

    return label.get(lang()) or label.get("en") or ""


def _summary(before: Any, after: Any, width: int = 80) -> str:
    """What changed, in one short line: ``field: old → new`` or the new record's fields, with
    names, values and money in the user's language (the row itself keeps keys)."""
    sep = "；" if _sep() == "、" else "; "
    if isinstance(before, dict) and isinstance(after, dict):
        parts = [
            f"{_field(k)}: {_value(before.get(k), k)} → {_value(after.get(k), k)}"
            for k in after
            if before.get(k) != after.get(k)
        ]
    elif isinstance(after, dict):
        parts = [f"{_field(k)}={_value(v, k)}" for k, v in after.items() if v not in (None, "", [])]
    elif after is not None:
        parts = [_value(after)]
    else:
        parts = []
    return sep.join(parts)


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
    from techdept.errors import Refused
    from techdept.services import audit

    st = state(ctx)
    anchor = audit.parse_anchor(expect) if expect is not None else None
    report = audit.verify_ledger(st.ledger)
    anchored = audit.check_anchor(st.ledger, *anchor) if anchor else []
    out = st.out(json=json)
    if out.human:
        for finding in report.findings:
            out.line(finding.message())
        for line in anchored:
            out.line(line)
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
                    {"id": f.row, "problem": f.kind, "message": f.message()}
                    for f in report.findings
                ]
                + [
                    {"id": anchor[0], "problem": "anchor", "message": line}
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
