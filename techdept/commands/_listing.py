"""One list as every output shows it — a table for people, ``--json``, ``--csv`` and
``--xlsx FILE [--force]`` — so that the list commands only say what their list holds."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from techdept.i18n import t

if TYPE_CHECKING:
    from techdept.commands._common import State
    from techdept.output import Output


Rows = list[dict[str, Any]] | Callable[[], list[dict[str, Any]]]


@dataclass(frozen=True)
class Listing:
    """A list in words (``rows``, for people) and as data (``json_doc``, ``csv_rows``; the
    people's rows when ``None``); for a workbook, ``cells`` keep typed values (fen, dates)
    under each column's ``kinds`` (text when not named), with ``extra`` workbook-only
    columns (key, label, kind) and the money columns ``totals`` summed under a total row."""

    title: str
    columns: list[tuple[str, str]]
    rows: Rows
    json_doc: Any = None
    csv_rows: Rows | None = None
    sheet: str = ""
    cells: Rows | None = None
    kinds: dict[str, str] = field(default_factory=dict)
    extra: tuple[tuple[str, str, str], ...] = ()
    totals: tuple[str, ...] = ()


def render(
    st: State,
    listing: Listing,
    *,
    json: bool = False,
    csv: bool = False,
    xlsx: str | None = None,
    force: bool = False,
) -> Output | None:
    """Show ``listing`` the way the options ask; the output (None when a workbook was
    written) for what the command adds below the table."""
    if xlsx:
        _workbook(st, listing, xlsx, force)
        return None
    out = st.out(json=json, csv=csv)
    json_doc = _made(listing.json_doc) if out.mode == "json" else None
    csv_rows = _made(listing.csv_rows) if out.mode == "csv" else None
    need_rows = json_doc is None and csv_rows is None
    out.table(
        listing.columns,
        _made(listing.rows) if need_rows else [],
        title=listing.title,
        json_doc=json_doc,
        csv_rows=csv_rows,
    )
    return out


def _made(part: Any) -> Any:
    """A listing's part: as given, or made now when given as a function."""
    return part() if callable(part) else part


def _workbook(st: State, listing: Listing, path: str, force: bool) -> None:
    from techdept.commands import _xlsx

    kinds = [(k, label, listing.kinds.get(k, "text")) for k, label in listing.columns]
    sheet = _xlsx.sheet(
        st,
        listing.sheet,
        listing.title,
        kinds + list(listing.extra),
        _made(listing.cells) if listing.cells is not None else _made(listing.rows),
        total_label=t("xlsx.total") if listing.totals else None,
        totals=listing.totals,
    )
    _xlsx.export(st, path, force, [sheet])
