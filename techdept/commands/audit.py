"""``techdept audit``: who changed what and when, and whether the history is intact."""

from __future__ import annotations

from functools import cache, partial
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
    if field in ("status", "as", "decision", "aftersales_slices"):
        for key in (f"meeting.status.{value}", f"ticket.status.{value}", f"audit.value.{value}"):
            if has(key):
                return t(key)
    return value


def _value(value: Any, field: str = "", track: str | None = None) -> str:
    """One value of an audit row as people read it: names for keys, money for fen, 是/否."""
    from techdept.output import money

    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return t(f"audit.value.{str(value).lower()}")
    if isinstance(value, list):
        return _sep().join(_value(v, field, track) for v in value) or "—"
    if isinstance(value, dict):
        inner = (f"{_field(k, track)}: {_value(v, k, track)}" for k, v in value.items())
        return "{" + _sep().join(inner) + "}"
    if isinstance(value, int) and (field.endswith("_fen") or field in _FEN_FIELDS):
        return money(value)
    if isinstance(value, str) and field in _YUAN_FIELDS and _EXACT.fullmatch(value):
        from techdept.output import money_text

        return money_text(value)
    return _name(field, str(value))


# money in a row: integer fen (``*_fen``, and these), or the exact yuan text of a result
_FEN_FIELDS = ("quotes", "budget", "actual_cost")
_YUAN_FIELDS = ("final", "reserved", "pool", "director_award")
_EXACT = __import__("re").compile(r"-?\d+\.\d{2}")


def _record(key: str | None) -> str:
    """A row's record key (``P2026-005/implementation/self``) with its track and scorer named."""
    from techdept import terms

    if not key:
        return "—"
    parts = key.split("/")
    for i, part in enumerate(parts[1:], 1):
        for kind in ("track", "scorer"):
            named = terms.name(kind, part)
            if named != part:
                parts[i] = named
                break
    return "/".join(parts)


def _sep() -> str:
    from techdept.i18n import lang

    return "、" if lang() == "zh" else ", "


def _field(name: str, track: str | None = None) -> str:
    """A field's name in the user's language (an item key by the policy's label for the row's
    track, a monthly item by its label)."""
    from techdept.i18n import has

    if has(f"audit.field.{name}"):
        return t(f"audit.field.{name}")
    from techdept.i18n import lang

    return _item_labels(track, lang()).get(name, name)


@cache
def _item_labels(track: str | None, lang: str) -> dict[str, str]:
    """The labels of ``track``'s items (and the monthly items) in ``lang`` (a key of the cache:
    one process may show both languages, as the tests do)."""
    from techdept.commands._explain import item_labels
    from techdept.terms import _default_policy

    policy = _default_policy()
    labels = item_labels(policy, track)
    for item in policy.monthly.items if policy.monthly else ():
        labels.setdefault(item.key, item.label.get(lang) or item.label.get("en") or item.key)
    return labels


def _track_of(key: str | None) -> str | None:
    """The track a row's record key names (``P2026-005/implementation/self``), if any."""
    from techdept.terms import _default_policy

    tracks = _default_policy().tracks
    parts = (key or "").split("/")
    return next((p for p in parts[1:] if p in tracks), None)


def _summary(before: Any, after: Any, track: str | None = None) -> str:
    """What changed, in one short line: ``field: old → new`` or the new record's fields, with
    names, values and money in the user's language (the row itself keeps keys)."""
    sep = "；" if _sep() == "、" else "; "
    track = track or next(
        (d.get("track") for d in (after, before) if isinstance(d, dict) and d.get("track")), None
    )
    field = partial(_field, track=track)
    if isinstance(before, dict) and isinstance(after, dict):
        parts = [
            f"{field(k)}: {_value(before.get(k), k, track)} → {_value(after.get(k), k, track)}"
            for k in after
            if before.get(k) != after.get(k)
        ]
    elif isinstance(after, dict):
        parts = [
            f"{field(k)}={_value(v, k, track)}" for k, v in after.items() if v not in (None, "", [])
        ]
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
            "change": _summary(r.before, r.after, _track_of(d["key"])),
            "actor": _actor(d["actor"]),
            "key": _record(d["key"]),
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
    from techdept.commands._common import actor_name

    return actor_name(code)


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
