"""Monthly assessments (月度考核) as pure functions: the month, its due day, a sheet's points
against the policy's rubric, and which managers are late.

A manager is late for month M when the due day (``monthly.due_day`` of M+1) has passed and a
sheet of one of the engineers of their group who was active in M is missing, or was handed in
after the due day. Pure: plain values in, values out.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from techdept.errors import Invalid

_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")


@dataclass(frozen=True)
class Month:
    year: int
    month: int

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month, 1)

    @property
    def last_day(self) -> dt.date:
        return self.next().first_day - dt.timedelta(days=1)

    def next(self) -> Month:
        return Month(self.year + self.month // 12, self.month % 12 + 1)


def parse_month(text: str, field: str = "--month") -> Month:
    """``YYYY-MM`` (full-width digits and ``2026年11月`` accepted)."""
    raw = unicodedata.normalize("NFKC", text).strip()
    raw = raw.replace("年", "-").removesuffix("月")
    match = _MONTH.match(raw)
    if match and 1 <= int(match[2]) <= 12 and int(match[1]) >= 1900:
        return Month(int(match[1]), int(match[2]))
    raise Invalid("MonthInvalid", field=field, value=text)


def due_date(month: Month, due_day: int) -> dt.date:
    """The day month ``month``'s sheets are due: ``due_day`` of the following month."""
    nxt = month.next()
    return dt.date(nxt.year, nxt.month, due_day)


def parse_items(
    pairs: Iterable[str], maxima: Mapping[str, Decimal], places: int = 1
) -> dict[str, Decimal]:
    """``ITEM=POINTS`` pairs → points per item: every item of the rubric once, each
    ``0 <= points <= max`` with at most ``places`` decimals."""
    out: dict[str, Decimal] = {}
    allowed = ", ".join(maxima)
    for pair in pairs:
        raw = unicodedata.normalize("NFKC", pair).strip()
        key, sep, value = raw.partition("=")
        key = key.strip()
        if not sep:
            raise Invalid("MonthlyPairInvalid", value=pair, allowed=allowed)
        if key not in maxima:
            raise Invalid("MonthlyItemUnknown", item=key, allowed=allowed)
        if key in out:
            raise Invalid("MonthlyItemTwice", item=key)
        try:
            points = Decimal(value.strip())
        except InvalidOperation:
            points = None
        top = maxima[key]
        if (
            points is None
            or not points.is_finite()
            or points < 0
            or points > top
            or points != points.quantize(Decimal(1).scaleb(-places))
        ):
            raise Invalid(
                "MonthlyPointsInvalid",
                item=key,
                value=value.strip(),
                max=_plain(top),
                places=places,
            )
        out[key] = points.quantize(Decimal(1).scaleb(-places)) if places else points
    missing = [k for k in maxima if k not in out]
    if missing:
        raise Invalid("MonthlyItemsMissing", items=", ".join(missing))
    return {k: out[k] for k in maxima}


def _plain(value: Decimal) -> str:
    return format(value.normalize(), "f")


@dataclass(frozen=True)
class SheetStatus:
    """One engineer's sheet of the month: ``done``, ``late`` (handed in after the due day),
    ``missing`` (not yet due) or ``overdue`` (missing after the due day)."""

    staff: str
    group: str
    status: str


def sheet_status(scored_on: dt.date | None, due: dt.date, today: dt.date) -> str:
    if scored_on is None:
        return "overdue" if today > due else "missing"
    return "late" if scored_on > due else "done"


def late_managers(
    statuses: Iterable[SheetStatus], managers: Mapping[str, Iterable[str]]
) -> dict[str, tuple[str, ...]]:
    """Manager → the engineers whose sheet makes them late (overdue or handed in late);
    ``managers`` maps a group to the people who submit for it."""
    out: dict[str, list[str]] = {}
    for s in statuses:
        if s.status in ("overdue", "late"):
            for manager in managers.get(s.group, ()):
                out.setdefault(manager, []).append(s.staff)
    return {m: tuple(v) for m, v in sorted(out.items())}


__all__ = [
    "Month",
    "SheetStatus",
    "due_date",
    "late_managers",
    "parse_items",
    "parse_month",
    "sheet_status",
]
