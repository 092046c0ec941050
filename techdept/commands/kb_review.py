"""``techdept kb propose | review | proposals``: knowledge-base updates reviewed by the
library's owner before they are filed."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from techdept.commands._choices import choices
from techdept.commands._common import JsonOpt, state
from techdept.i18n import t

Opt = typer.Option


def _doc(v: Any) -> dict[str, Any]:
    from techdept.commands.lifecycle import when_json

    return {
        "id": v.ref,
        "library": v.library,
        "business": v.business,
        "level": v.level,
        "title": v.title,
        "tags": list(v.tags),
        "plan": v.plan,
        "file": v.file_name,
        "size": v.size,
        "sha256": v.sha256,
        "proposed_at": when_json(v.proposed_at),
        "proposed_by": v.proposed_by,
        "status": v.status,
        "reviewed_at": when_json(v.reviewed_at) if v.reviewed_at else None,
        "reviewed_by": v.reviewed_by,
        "note": v.review_note,
        "document": v.document,
    }


def propose(
    ctx: typer.Context,
    file: Annotated[str, typer.Argument(help=t("help.kb.file"))],
    library: Annotated[
        str, Opt("--library", help=choices("help.kb.library", "library", "--library", "solutions"))
    ],
    title: Annotated[str, Opt("--title", help=t("help.kb.title"))],
    plan: Annotated[str, Opt("--plan", help=t("help.kbr.plan"))],
    tags: Annotated[list[str] | None, Opt("--tags", help=t("help.kb.tags"))] = None,
    business: Annotated[str | None, Opt("--business", help=t("help.kb.business"))] = None,
    level: Annotated[
        str | None, Opt("--level", help=choices("help.kb.level", "kb_level", "--level", "simple"))
    ] = None,
    json: JsonOpt = False,
) -> None:
    from techdept import terms, values
    from techdept.commands.kb import _library_name
    from techdept.services import kb_review
    from techdept.services.knowledge import parse_tags

    st = state(ctx)
    view = kb_review.propose(
        st.ledger,
        st.actor,
        file,
        library=terms.parse("library", "--library", values.parse_name("--library", library)),
        title=values.parse_name("--title", title),
        plan=values.parse_name("--plan", plan),
        tags=parse_tags(tags or []),
        business=values.parse_name("--business", business) if business is not None else None,
        level=terms.parse("kb_level", "--level", level) if level is not None else None,
    )
    out = st.out(json=json)
    if out.human:
        out.line(
            t("kbr.proposed", ref=view.ref, title=view.title, library=_library_name(view.library))
        )
    else:
        out.json(_doc(view))


def review(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(help=t("help.kbr.ref"))],
    approve: Annotated[bool, Opt("--approve", help=t("help.kbr.approve"))] = False,
    reject: Annotated[bool, Opt("--reject", help=t("help.kbr.reject"))] = False,
    note: Annotated[str | None, Opt("--note", help=t("help.kbr.note"))] = None,
    json: JsonOpt = False,
) -> None:
    from techdept import values
    from techdept.errors import UsageError
    from techdept.services import kb_review

    if approve == reject:
        raise UsageError("KbReviewChoose")
    st = state(ctx)
    view = kb_review.review(
        st.ledger,
        st.actor,
        ref,
        approve=approve,
        note=values.parse_name("--note", note) if note is not None else None,
    )
    out = st.out(json=json)
    if not out.human:
        out.json(_doc(view))
    elif approve:
        out.line(t("kbr.approved", ref=view.ref, doc=view.document, title=view.title))
    else:
        out.line(t("kbr.rejected", ref=view.ref, note=view.review_note))


def proposals(
    ctx: typer.Context,
    pending: Annotated[bool, Opt("--pending", help=t("help.kbr.pending"))] = False,
    json: JsonOpt = False,
) -> None:
    from techdept.commands.kb import _library_name
    from techdept.services import kb_review

    st = state(ctx)
    views = kb_review.proposals(st.ledger, status="pending" if pending else None)
    rows = [
        {
            "id": v.ref,
            "title": v.title,
            "library": _library_name(v.library),
            "by": v.proposed_by,
            "status": t(f"kbr.status.{v.status}"),
            "reviewer": v.reviewed_by or "",
            "document": v.document or "",
            "plan": v.plan,
        }
        for v in views
    ]
    st.out(json=json).table(
        [
            ("id", t("kb.label.id")),
            ("title", t("kb.label.title")),
            ("library", t("kb.label.library")),
            ("by", t("kbr.col.by")),
            ("status", t("kbr.col.status")),
            ("reviewer", t("kbr.col.reviewer")),
            ("document", t("kbr.col.document")),
            ("plan", t("kbr.col.plan")),
        ],
        rows,
        title=t("kbr.list_title", count=len(views)),
        json_doc=[_doc(v) for v in views],
    )
