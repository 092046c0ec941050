"""``techdept project advance | deliver | review | checklist | history | accept | acceptance``:
a project's life through its stages, deliverables, reviews and acceptance sequence.

The functions are registered on the ``project`` sub-app by ``cli.py``."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from techdept.commands._choices import choices
from techdept.commands._common import JsonOpt, actor_name, state
from techdept.commands._options import ServiceMonthsOpt, ServiceStartOpt
from techdept.i18n import lang, t

Opt = typer.Option
CodeArg = Annotated[str, typer.Argument(help=t("help.arg.project_code"))]
DocArg = Annotated[
    str, typer.Argument(help=choices("help.lifecycle.doc", "deliverable", "", "technical-solution"))
]


def when(at: Any) -> str:
    """A stored timestamp for people: local time, to the minute."""
    import datetime as dt

    aware = at if at.tzinfo else at.replace(tzinfo=dt.UTC)
    return aware.astimezone().strftime("%Y-%m-%d %H:%M")


def when_json(at: Any) -> str:
    import datetime as dt

    aware = at if at.tzinfo else at.replace(tzinfo=dt.UTC)
    return aware.astimezone(dt.UTC).isoformat()


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _doc_name(key: str) -> str:
    from techdept.rules.domain import domain

    item = domain().deliverable(key)
    return item.name(lang()) if item else key


ToOpt = Annotated[
    str | None,
    Opt("--to", help=choices("help.lifecycle.to_stage", "stage", "--to", "presales.won")),
]
ForceOpt = Annotated[bool, Opt("--force", help=t("help.lifecycle.force"))]
ReasonOpt = Annotated[str | None, Opt("--reason", help=t("help.lifecycle.reason"))]


def advance(
    ctx: typer.Context,
    code: CodeArg,
    to: ToOpt = None,
    force: ForceOpt = False,
    reason: ReasonOpt = None,
    service_start: ServiceStartOpt = None,
    service_months: ServiceMonthsOpt = None,
    json: JsonOpt = False,
) -> None:
    from techdept import terms, values
    from techdept.services.lifecycle import advance as advance_project

    st = state(ctx)
    view = advance_project(
        st.ledger,
        st.actor,
        code,
        terms.parse("stage", "--to", to) if to is not None else None,
        force=force,
        reason=values.parse_name("--reason", reason) if reason is not None else None,
        service_start=(
            values.parse_date("--service-start", service_start) if service_start else None
        ),
        service_months=(
            values.parse_count("--service-months", service_months, maximum=240)
            if service_months is not None
            else None
        ),
        slice_mode=st.policy.aftersales_slices,
    )
    _show_advanced(st.out(json=json), view)


def _show_advanced(out: Any, view: Any) -> None:
    """What ``project advance`` did: a line (and what a forced advance overrode), or JSON."""
    from techdept.display import describe, stage_label

    if not out.human:
        out.json(
            {
                "project": view.project,
                "from": view.from_stage,
                "to": view.to_stage,
                "forced": view.forced,
                "reason": view.reason,
                "overridden": [describe(m, view.sales) for m in view.overridden],
                "service_start": _iso(view.service_start),
                "service_months": view.service_months,
            }
        )
        return
    source, target = stage_label(view.from_stage), stage_label(view.to_stage)
    out.line(t("lifecycle.advanced", code=view.project, source=source, target=target))
    if view.forced:
        out.line(t("lifecycle.forced", reason=view.reason or ""))
        for item in view.overridden:
            out.line("  - " + describe(item, view.sales))


def history(ctx: typer.Context, code: CodeArg, json: JsonOpt = False) -> None:
    from techdept.display import stage_label
    from techdept.services.lifecycle import history as project_history

    st = state(ctx)
    views = project_history(st.ledger, code)
    rows = []
    for v in views:
        by = actor_name(v.by)
        if v.on_behalf_of:
            by = t("lifecycle.on_behalf", actor=by, behalf=v.on_behalf_of)
        rows.append(
            {
                "at": when(v.at),
                "from": stage_label(v.from_stage) if v.from_stage else t("lifecycle.created"),
                "to": stage_label(v.to_stage),
                "by": by,
                "forced": t("lifecycle.yes") if v.forced else "",
                "reason": v.reason or "",
            }
        )
    docs = [
        {
            "at": when_json(v.at),
            "from": v.from_stage,
            "to": v.to_stage,
            "by": v.by,
            "on_behalf_of": v.on_behalf_of,
            "forced": v.forced,
            "reason": v.reason,
        }
        for v in views
    ]
    columns = [
        ("at", t("lifecycle.label.at")),
        ("from", t("lifecycle.label.from_stage")),
        ("to", t("lifecycle.label.to_stage")),
        ("by", t("lifecycle.label.by")),
        ("forced", t("lifecycle.label.forced")),
        ("reason", t("lifecycle.label.reason")),
    ]
    out = st.out(json=json)
    out.table(columns, rows, title=t("lifecycle.history_title", code=code), json_doc=docs)
    if out.human:  # the project's other records: the construction crews (issue 18)
        from techdept.commands.crew import show_crews
        from techdept.services.crews import crews

        show_crews(out, crews(st.ledger, code))


FileOpt = Annotated[str | None, Opt("--file", help=t("help.lifecycle.deliver_file"))]
ArchiveOpt = Annotated[bool, Opt("--archive", help=t("help.lifecycle.archive"))]
NoteOpt = Annotated[str | None, Opt("--note", help=t("help.lifecycle.note"))]
DemoSystemOpt = Annotated[str | None, Opt("--demo-system", help=t("help.demo_system.opt.used"))]


def deliver(
    ctx: typer.Context,
    code: CodeArg,
    doc: DocArg,
    file: FileOpt = None,
    archive: ArchiveOpt = False,
    note: NoteOpt = None,
    demo_system: DemoSystemOpt = None,
    json: JsonOpt = False,
) -> None:
    from techdept import terms, values
    from techdept.services.lifecycle import deliver as file_deliverable

    st = state(ctx)
    view = file_deliverable(
        st.ledger,
        st.actor,
        code,
        terms.parse("deliverable", "DOC", doc, keep_unknown=True),
        file=file,
        keep_copy=archive,
        note=values.parse_name("--note", note) if note is not None else None,
        demo_system=demo_system,
    )
    out = st.out(json=json)
    if out.human:
        _show_delivered(out, view)
    else:
        out.json(_delivered_doc(view))


def _show_delivered(out: Any, view: Any) -> None:
    """``project deliver`` for people: what was filed, its file's facts, who reviews next."""
    from techdept.display import role_name

    if view.demo_system:
        out.line(t("demo_system.used", name=view.demo_system))
    doc_name = _doc_name(view.doc)
    out.line(
        t(
            "lifecycle.delivered",
            code=view.project,
            doc=doc_name,
            key=view.doc,
            version=view.version,
        )
    )
    if view.sha256:
        out.line(t("lifecycle.file_facts", name=view.file_name, size=view.size, sha=view.sha256))
    if view.archived:
        out.line(t("lifecycle.archived", path=view.archived))
    if view.waiting_for:
        out.line(t("lifecycle.review_next", role=role_name(view.waiting_for, view.sales)))


def _delivered_doc(view: Any) -> dict[str, Any]:
    """``project deliver --json``."""
    file = None
    if view.sha256:
        file = {
            "name": view.file_name,
            "size": view.size,
            "sha256": view.sha256,
            "archived": view.archived,
        }
    return {
        "project": view.project,
        "doc": view.doc,
        "stage": view.stage,
        "version": view.version,
        "file": file,
        "filed_at": when_json(view.filed_at),
        "filed_by": view.filed_by,
        "review": list(view.review),
        "status": view.status,
        "waiting_for": view.waiting_for,
        "demo_system": view.demo_system,
    }


ApproveOpt = Annotated[bool | None, Opt("--approve/--reject", help=t("help.lifecycle.approve"))]
ReviewNoteOpt = Annotated[str | None, Opt("--note", help=t("help.lifecycle.review_note"))]


def review(
    ctx: typer.Context,
    code: CodeArg,
    doc: DocArg,
    approve: ApproveOpt = None,
    note: ReviewNoteOpt = None,
    json: JsonOpt = False,
) -> None:
    from techdept import terms, values
    from techdept.errors import UsageError
    from techdept.services.lifecycle import review as review_deliverable

    if approve is None:
        raise UsageError("ApproveOrReject")
    st = state(ctx)
    view = review_deliverable(
        st.ledger,
        st.actor,
        code,
        terms.parse("deliverable", "DOC", doc, keep_unknown=True),
        approve=approve,
        note=values.parse_name("--note", note) if note is not None else None,
    )
    out = st.out(json=json)
    if out.human:
        _show_reviewed(out, view)
    else:
        out.json(_reviewed_doc(view))


def _show_reviewed(out: Any, view: Any) -> None:
    """``project review`` for people: the decision, then who reviews next or that it is done."""
    from techdept.display import role_name

    by = actor_name(view.by)
    if view.on_behalf_of:
        by = t("lifecycle.on_behalf", actor=by, behalf=view.on_behalf_of)
    out.line(
        t(
            "lifecycle.approved" if view.approved else "lifecycle.rejected",
            code=view.project,
            doc=_doc_name(view.doc),
            version=view.version,
            role=role_name(view.role, view.sales),
            by=by,
        )
    )
    if view.waiting_for:
        out.line(t("lifecycle.review_next", role=role_name(view.waiting_for, view.sales)))
    elif view.status == "approved":
        out.line(t("lifecycle.review_done"))


def _reviewed_doc(view: Any) -> dict[str, Any]:
    """``project review --json``."""
    return {
        "project": view.project,
        "doc": view.doc,
        "version": view.version,
        "step": view.step,
        "role": view.role,
        "decision": "approved" if view.approved else "rejected",
        "note": view.note,
        "by": view.by,
        "on_behalf_of": view.on_behalf_of,
        "status": view.status,
        "waiting_for": view.waiting_for,
    }


def checklist(ctx: typer.Context, code: CodeArg, json: JsonOpt = False) -> None:
    from techdept.display import stage_label
    from techdept.services.lifecycle import checklist as project_checklist

    st = state(ctx)
    view = project_checklist(st.ledger, code)
    out = st.out(json=json)
    if not out.human:
        out.json(_checklist_doc(view))
        return
    for s in view.stages:
        _checklist_stage(out, view, s)
    if view.next_stage is None:
        out.line(t("lifecycle.final_stage"))
    elif view.ready:
        out.line(t("lifecycle.ready", code=view.project, target=stage_label(view.next_stage)))


def _checklist_doc(view: Any) -> dict[str, Any]:
    """``project checklist --json``: each stage shown, its deliverables and conditions."""
    from techdept.display import describe

    def item(i: Any) -> dict[str, Any]:
        d = i.deliverable
        return {
            "doc": d.key,
            "name": d.name(lang()),
            "crm": d.crm,
            "role": d.role,
            "required": d.required,
            "review": list(d.review),
            "status": i.status.status,
            "waiting_for": i.status.waiting_for,
            "version": i.status.version,
        }

    return {
        "project": view.project,
        "stage": view.stage,
        "next_stage": view.next_stage,
        "ready": view.ready,
        "stages": [
            {
                "stage": s.stage,
                "current": s.current,
                "deliverables": [item(i) for i in s.items],
                "conditions": [
                    {"kind": m.kind, "key": m.key or None, "text": describe(m, view.sales)}
                    for m in s.conditions
                ],
            }
            for s in view.stages
        ],
    }


def _checklist_stage(out: Any, view: Any, s: Any) -> None:
    """One stage of the checklist for people: its deliverables' table, then its conditions."""
    from techdept.display import describe, role_name, stage_label

    columns = [
        ("doc", t("lifecycle.label.doc")),
        ("name", t("lifecycle.label.deliverable")),
        ("required", t("lifecycle.label.required")),
        ("responsible", t("lifecycle.label.responsible")),
        ("status", t("lifecycle.label.status")),
    ]
    title = t(
        "lifecycle.checklist_current" if s.current else "lifecycle.checklist_next",
        code=view.project,
        stage=stage_label(s.stage),
    )
    rows = []
    for i in s.items:
        status = t(f"lifecycle.status.{i.status.status}")
        if i.status.waiting_for:
            status = t("lifecycle.status_waiting", role=role_name(i.status.waiting_for, view.sales))
        required = t("lifecycle.yes") if i.deliverable.required else t("lifecycle.as_they_occur")
        rows.append(
            {
                "doc": i.deliverable.key,
                "name": i.deliverable.name(lang()),
                "required": required,
                "responsible": t(f"role.{i.deliverable.role}"),
                "status": status,
            }
        )
    if rows:
        out.table(columns, rows, title=title)
    else:
        out.line(title)
        out.line("  " + t("lifecycle.no_deliverables"))
    for m in s.conditions:
        out.line("  - " + describe(m, view.sales))


def accept(
    ctx: typer.Context,
    code: CodeArg,
    event: Annotated[
        str, Opt("--event", help=choices("help.lifecycle.event", "acceptance", "--event", "final"))
    ],
    date: Annotated[str, Opt("--date", help=t("help.lifecycle.event_date"))],
    passed: Annotated[
        bool | None, Opt("--passed/--failed", help=t("help.lifecycle.passed"))
    ] = None,
    deducted: Annotated[str | None, Opt("--deducted", help=t("help.lifecycle.deducted"))] = None,
    submitted: Annotated[str | None, Opt("--submitted", help=t("help.lifecycle.submitted"))] = None,
    note: NoteOpt = None,
    json: JsonOpt = False,
) -> None:
    from techdept import terms, values
    from techdept.services.lifecycle import accept as record_acceptance

    st = state(ctx)
    view = record_acceptance(
        st.ledger,
        st.actor,
        st.policy,
        code,
        terms.parse("acceptance", "--event", event),
        values.parse_date("--date", date),
        passed=passed,
        deducted=parse_points("--deducted", deducted) if deducted is not None else None,
        submitted=values.parse_date("--submitted", submitted) if submitted else None,
        note=values.parse_name("--note", note) if note is not None else None,
    )
    out = st.out(json=json)
    if out.human:
        out.line(
            t(
                "lifecycle.accepted",
                code=view.project,
                event=_event_name(view.event),
                date=view.held_on.isoformat(),
            )
        )
        if view.days_late is not None:
            out.line(
                t(
                    "lifecycle.internal_facts",
                    result=t("lifecycle.passed") if view.passed else t("lifecycle.failed"),
                    deducted=format(view.deducted, "f"),
                    due=_iso(view.due),
                    submitted=_iso(view.submitted),
                    late=view.days_late,
                )
            )
    else:
        out.json(_acceptance_doc(view))


def acceptance(ctx: typer.Context, code: CodeArg, json: JsonOpt = False) -> None:
    from techdept.services.lifecycle import acceptance as list_acceptance

    st = state(ctx)
    views = list_acceptance(st.ledger, code)
    rows = [
        {
            "event": _event_name(v.event),
            "date": v.held_on.isoformat(),
            "passed": ""
            if v.passed is None
            else (t("lifecycle.passed") if v.passed else t("lifecycle.failed")),
            "deducted": format(v.deducted, "f") if v.deducted is not None else "",
            "submitted": _iso(v.submitted) or "",
            "due": _iso(v.due) or "",
            "late": "" if v.days_late is None else str(v.days_late),
            "by": actor_name(v.recorded_by),
        }
        for v in views
    ]
    columns = [
        ("event", t("lifecycle.label.event")),
        ("date", t("lifecycle.label.date")),
        ("passed", t("lifecycle.label.result")),
        ("deducted", t("lifecycle.label.deducted")),
        ("submitted", t("lifecycle.label.submitted")),
        ("due", t("lifecycle.label.due")),
        ("late", t("lifecycle.label.days_late")),
        ("by", t("lifecycle.label.by")),
    ]
    st.out(json=json).table(
        columns,
        rows,
        title=t("lifecycle.acceptance_title", code=code),
        json_doc=[_acceptance_doc(v) for v in views],
    )


def _event_name(key: str) -> str:
    from techdept.rules.domain import domain

    kind = domain().acceptance_kind(key)
    return kind.name(lang()) if kind else key


def _acceptance_doc(view: Any) -> dict[str, Any]:
    return {
        "project": view.project,
        "event": view.event,
        "date": view.held_on.isoformat(),
        "passed": view.passed,
        "deducted": format(view.deducted, "f") if view.deducted is not None else None,
        "submitted": _iso(view.submitted),
        "due": _iso(view.due),
        "days_late": view.days_late,
        "note": view.note,
        "recorded_by": view.recorded_by,
    }


def parse_points(field: str, text: str) -> Any:
    """Points deducted: 0–100 with at most one decimal, e.g. 2 or 1.5."""
    import re
    import unicodedata
    from decimal import Decimal

    from techdept.errors import Invalid

    raw = unicodedata.normalize("NFKC", text).strip()
    if not re.fullmatch(r"\d{1,3}(?:\.\d)?", raw) or Decimal(raw) > 100:
        raise Invalid("PointsDeductedInvalid", field=field, value=text)
    return Decimal(raw)
