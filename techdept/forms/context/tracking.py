"""The weekly pre-sales project tracking sheet (售前项目跟踪表)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from techdept.forms.context.common import Field, ListTable, Signature, TrackingSheet, _footer, _t
from techdept.rules.domain import domain


def _tracking_next(project: Mapping[str, Any], lang: str) -> tuple[str, str, str]:
    """What the project needs next, its status and who owes it, as printed."""
    step = project.get("next")
    if not step:
        return _t(lang, "form.tracking.ready"), "", ""
    item = domain().deliverable(step["doc"]) if step.get("doc") else None
    if item is not None:
        what = item.name(lang)
        status = _t(lang, f"lifecycle.status.{step.get('status')}")
    else:
        kind = str(step.get("kind", ""))
        what = _t(lang, f"form.tracking.condition.{kind}")
        what = kind if what == f"form.tracking.condition.{kind}" else what
        status = _t(lang, "form.tracking.unrecorded")
    owner = step.get("owner")
    if owner == "sales":
        who = str(project.get("sales_name") or project.get("sales") or _t(lang, "role.sales"))
    elif owner:
        who = _t(lang, f"role.{owner}")
    else:
        who = ""
    return what, status, who


def _stage_name(key: str, lang: str) -> str:
    stage = domain().stage(key)
    return stage.name(lang) if stage is not None else key


def tracking_context(doc: Mapping[str, Any], lang: str) -> TrackingSheet:
    """The week's pre-sales projects (``report tracking --json``, each project optionally
    with ``sales_name``, and the pre-sales manager's name as ``manager``) as a sheet."""
    projects = list(doc.get("projects") or [])
    rows = []
    for project in projects:
        what, status, who = _tracking_next(project, lang)
        rows.append(
            (
                str(project.get("code", "")),
                str(project.get("name") or ""),
                str(project.get("customer") or ""),
                _stage_name(str(project.get("stage", "")), lang),
                str(project.get("since") or ""),
                str(project.get("days_in_stage", "")),
                what,
                status,
                who,
                str(project.get("sales_name") or project.get("sales") or ""),
            )
        )
    header = (
        Field(
            _t(lang, "form.tracking.week"),
            _t(
                lang,
                "form.tracking.week_value",
                week=doc.get("week", ""),
                first=doc.get("first_day", ""),
                last=doc.get("last_day", ""),
            ),
        ),
        Field(_t(lang, "form.tracking.as_of"), str(doc.get("as_of") or "")),
        Field(_t(lang, "form.label.presales_manager"), str(doc.get("manager") or "")),
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
