"""One list as every output shows it — a table for people, ``--json``, ``--csv`` and
``--xlsx FILE [--force]`` — so that the list commands only say what their list holds."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from techdept.i18n import t

if TYPE_CHECKING:
    from techdept.commands._common import State
    from techdept.output import Output


@dataclass(frozen=True)
class Listing:
    """A list in words (``rows``, for people) and as data (``json_doc``, ``csv_rows``; the
    people's rows when ``None``); for a workbook, ``cells`` keep typed values (fen, dates)
    under each column's ``kinds`` (text when not named), with ``extra`` workbook-only
    columns (key, label, kind) and the money columns ``totals`` summed under a total row."""

    title: str
    columns: list[tuple[str, str]]
    rows: list[dict[str, Any]]
    json_doc: Any = None
    csv_rows: list[dict[str, Any]] | None = None
    sheet: str = ""
    cells: list[dict[str, Any]] | None = None
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
    out.table(
        listing.columns,
        listing.rows,
        title=listing.title,
        json_doc=listing.json_doc,
        csv_rows=listing.csv_rows,
    )
    return out


def _workbook(st: State, listing: Listing, path: str, force: bool) -> None:
    from techdept.commands import _xlsx

    kinds = [(k, label, listing.kinds.get(k, "text")) for k, label in listing.columns]
    sheet = _xlsx.sheet(
        st,
        listing.sheet,
        listing.title,
        kinds + list(listing.extra),
        listing.cells if listing.cells is not None else listing.rows,
        total_label=t("xlsx.total") if listing.totals else None,
        totals=listing.totals,
    )
    _xlsx.export(st, path, force, [sheet])
