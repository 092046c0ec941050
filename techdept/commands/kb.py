"""``techdept kb``: the knowledge bases — file, list, search, show, and the standard-solution
gaps per business."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from techdept.commands._choices import choices
from techdept.commands._common import CsvOpt, JsonOpt, state
from techdept.i18n import lang, t

app = typer.Typer(no_args_is_help=True)
Opt = typer.Option

LibraryOpt = Annotated[
    str | None,
    Opt("--library", help=choices("help.kb.library_filter", "library", "--library", "technical")),
]
BusinessOpt = Annotated[str | None, Opt("--business", help=t("help.kb.business_filter"))]


def _library_name(key: str) -> str:
    from techdept.rules.domain import domain

    lib = domain().library(key)
    return lib.name(lang()) if lib else key


def _doc(view: Any) -> dict[str, Any]:
    from techdept.commands.lifecycle import when_json

    return {
        "id": view.ref,
        "library": view.library,
        "business": view.business,
        "level": view.level,
        "title": view.title,
        "tags": list(view.tags),
        "file": view.file_name,
        "size": view.size,
        "sha256": view.sha256,
        "archived": view.archived,
        "filed_at": when_json(view.filed_at),
        "filed_by": view.filed_by,
    }


def _filter(field: str, value: str | None) -> str | None:
    from techdept import values

    return values.parse_name(field, value) if value is not None else None


def _library(text: str | None) -> str | None:
    """The library filter by key, name or short form (``--library 技术``)."""
    from techdept import terms

    return None if text is None else terms.parse("library", "--library", text)


def _level(key: str | None) -> str:
    return t(f"kb.level.{key}") if key else ""


def _table(ctx: typer.Context, views: list[Any], title: str, json: bool, csv: bool) -> None:
    st = state(ctx)
    columns = [
        ("id", t("kb.label.id")),
        ("title", t("kb.label.title")),
        ("library", t("kb.label.library")),
        ("business", t("kb.label.business")),
        ("level", t("kb.label.level")),
        ("tags", t("kb.label.tags")),
        ("file", t("kb.label.file")),
    ]
    rows = [
        {
            "id": v.ref,
            "title": v.title,
            "library": _library_name(v.library),
            "business": v.business or "",
            "level": _level(v.level),
            "tags": ", ".join(v.tags),
            "file": v.file_name,
        }
        for v in views
    ]
    docs = [_doc(v) for v in views]
    st.out(json=json, csv=csv).table(
        columns,
        rows,
        title=title,
        json_doc=docs,
        csv_rows=[d | {"tags": ";".join(d["tags"]), "level": d["level"] or ""} for d in docs],
    )


@app.command("add", help=t("help.kb.add"))
def add(
    ctx: typer.Context,
    file: Annotated[str, typer.Argument(help=t("help.kb.file"))],
    library: Annotated[
        str, Opt("--library", help=choices("help.kb.library", "library", "--library", "solutions"))
    ],
    title: Annotated[str, Opt("--title", help=t("help.kb.title"))],
    tags: Annotated[list[str] | None, Opt("--tags", help=t("help.kb.tags"))] = None,
    business: Annotated[str | None, Opt("--business", help=t("help.kb.business"))] = None,
    level: Annotated[
        str | None, Opt("--level", help=choices("help.kb.level", "kb_level", "--level", "simple"))
    ] = None,
    json: JsonOpt = False,
) -> None:
    from techdept import terms, values
    from techdept.services.knowledge import add_document, parse_tags

    st = state(ctx)
    view = add_document(
        st.ledger,
        st.actor,
        file,
        library=terms.parse("library", "--library", values.parse_name("--library", library)),
        title=values.parse_name("--title", title),
        tags=parse_tags(tags or []),
        business=values.parse_name("--business", business) if business is not None else None,
        level=terms.parse("kb_level", "--level", level) if level is not None else None,
    )
    out = st.out(json=json)
    if out.human:
        out.line(t("kb.added", ref=view.ref, title=view.title, library=_library_name(view.library)))
        out.line(t("lifecycle.file_facts", name=view.file_name, size=view.size, sha=view.sha256))
        if view.archived:
            out.line(t("lifecycle.archived", path=view.archived))
    else:
        out.json(_doc(view))


@app.command("list", help=t("help.kb.list"))
def list_(
    ctx: typer.Context,
    library: LibraryOpt = None,
    business: BusinessOpt = None,
    json: JsonOpt = False,
    csv: CsvOpt = False,
) -> None:
    from techdept.services.knowledge import list_documents

    st = state(ctx)
    views = list_documents(
        st.ledger, library=_library(library), business=_filter("--business", business)
    )
    _table(ctx, views, t("kb.list_title", count=len(views)), json, csv)


@app.command("search", help=t("help.kb.search"))
def search(
    ctx: typer.Context,
    text: Annotated[str, typer.Argument(help=t("help.kb.text"))],
    library: LibraryOpt = None,
    business: BusinessOpt = None,
    json: JsonOpt = False,
    csv: CsvOpt = False,
) -> None:
    from techdept import values
    from techdept.services.knowledge import list_documents

    st = state(ctx)
    views = list_documents(
        st.ledger,
        library=_library(library),
        business=_filter("--business", business),
        text=values.parse_name("TEXT", text),
    )
    _table(ctx, views, t("kb.search_title", text=text, count=len(views)), json, csv)


@app.command("show", help=t("help.kb.show"))
def show(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(help=t("help.kb.ref"))],
    json: JsonOpt = False,
) -> None:
    from techdept.commands.lifecycle import when
    from techdept.services.knowledge import get_document

    st = state(ctx)
    v = get_document(st.ledger, ref)
    st.out(json=json).record(
        [
            (t("kb.label.id"), v.ref),
            (t("kb.label.title"), v.title),
            (t("kb.label.library"), _library_name(v.library)),
            (t("kb.label.business"), v.business),
            (t("kb.label.level"), _level(v.level) or None),
            (t("kb.label.tags"), ", ".join(v.tags)),
            (t("kb.label.file"), v.file_name),
            (t("kb.label.size"), v.size),
            ("SHA-256", v.sha256),
            (t("kb.label.archived"), v.archived),
            (t("kb.label.filed"), f"{when(v.filed_at)} {v.filed_by}"),
        ],
        title=f"{v.ref} {v.title}",
        json_doc=_doc(v),
    )


@app.command("gaps", help=t("help.kb.gaps"))
def gaps(ctx: typer.Context, json: JsonOpt = False, csv: CsvOpt = False) -> None:
    from techdept.services.knowledge import gaps as solution_gaps

    st = state(ctx)
    found = solution_gaps(st.ledger)
    rows = [
        {
            "business": g.business,
            "have": ", ".join(_level(x) for x in g.have),
            "missing": ", ".join(_level(x) for x in g.missing),
        }
        for g in found
    ]
    docs = [
        {"business": g.business, "have": list(g.have), "missing": list(g.missing)} for g in found
    ]
    out = st.out(json=json, csv=csv)
    if out.human and not found:
        out.line(t("kb.no_gaps"))
        return
    out.table(
        [
            ("business", t("kb.label.business")),
            ("have", t("kb.label.have")),
            ("missing", t("kb.label.missing")),
        ],
        rows,
        title=t("kb.gaps_title", count=len(found)),
        json_doc=docs,
        csv_rows=[
            {
                "business": d["business"],
                "have": ";".join(d["have"]),
                "missing": ";".join(d["missing"]),
            }
            for d in docs
        ],
    )
