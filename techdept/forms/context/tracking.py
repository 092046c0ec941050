"""The weekly pre-sales project tracking sheet (售前项目跟踪表)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from techdept.documents.tracking import TrackingDoc, TrackingRow
from techdept.forms.context.common import Field, ListTable, Signature, TrackingSheet, _footer, _t
from techdept.rules.domain import domain


def _tracking_next(project: TrackingRow, lang: str) -> tuple[str, str, str]:
    """What the project needs next, its status and who owes it, as printed."""
    step = project.next
    if step is None:
        return _t(lang, "form.tracking.ready"), "", ""
    item = domain().deliverable(step.doc) if step.doc else None
    if item is not None:
        what = item.name(lang)
        status = _t(lang, f"lifecycle.status.{step.status}")
    else:
        kind = step.kind
        what = _t(lang, f"form.tracking.condition.{kind}")
        what = kind if what == f"form.tracking.condition.{kind}" else what
        status = _t(lang, "form.tracking.unrecorded")
    if step.owner == "sales":
        who = str(project.sales_name or project.sales or _t(lang, "role.sales"))
    elif step.owner:
        who = _t(lang, f"role.{step.owner}")
    else:
        who = ""
    return what, status, who


def _row(project: TrackingRow, lang: str) -> tuple[str, ...]:
    what, status, who = _tracking_next(project, lang)
    days = project.days_in_stage
    return (
        project.code,
        project.name,
        project.customer,
        _stage_name(project.stage, lang),
        project.since.isoformat() if project.since else "",
        "" if days is None else str(days),
        what,
        status,
        who,
        str(project.sales_name or project.sales or ""),
    )


def _iso(day: dt.date | None) -> str:
    return day.isoformat() if day else ""


def _stage_name(key: str, lang: str) -> str:
    stage = domain().stage(key)
    return stage.name(lang) if stage is not None else key


def tracking_context(doc: TrackingDoc | Mapping[str, Any], lang: str) -> TrackingSheet:
    """The week's pre-sales projects (``report tracking --json``, each project optionally
    with ``sales_name``, and the pre-sales manager's name as ``manager``) as a sheet."""
    if not isinstance(doc, TrackingDoc):
        doc = TrackingDoc.from_json(doc)
    rows = [_row(project, lang) for project in doc.rows]
    header = (
        Field(
            _t(lang, "form.tracking.week"),
            _t(
                lang,
                "form.tracking.week_value",
                week=doc.week,
                first=_iso(doc.first_day),
                last=_iso(doc.last_day),
            ),
        ),
        Field(_t(lang, "form.tracking.as_of"), _iso(doc.as_of)),
        Field(_t(lang, "form.label.presales_manager"), doc.manager or ""),
    )
    table = ListTable(
        "tracking",
        "",
        (
            _t(lang, "form.label.project_code"),
            _t(lang, "form.label.project_name"),
            _t(lang, "form.label.customer"),
            _t(lang, "form.tracking.col.stage"),
            _t(lang, "form.tracking.col.since"),
            _t(lang, "form.tracking.col.days"),
            _t(lang, "form.tracking.col.next"),
            _t(lang, "form.tracking.col.status"),
            _t(lang, "form.tracking.col.owner"),
            _t(lang, "form.tracking.col.sales"),
        ),
        tuple(rows),
        numeric=(5,),
        empty=_t(lang, "form.tracking.no_projects"),
    )
    return TrackingSheet(
        lang=lang,
        title=_t(lang, "form.tracking.title"),
        header=header,
        table=table,
        count=_t(lang, "form.tracking.count", count=len(rows)),
        signatures=(
            Signature(_t(lang, "form.label.presales_manager")),
            Signature(_t(lang, "form.label.director")),
        ),
        date=Field(_t(lang, "form.label.sign_date"), _t(lang, "form.blank_date")),
        footer=_footer(lang, None),
    )
