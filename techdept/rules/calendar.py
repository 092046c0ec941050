"""Calendar quarters (``2026Q4``) and the payout window of a quarter."""

from __future__ import annotations

import calendar as _calendar
import datetime as dt

from techdept.rules.errors import NoPayoutMonth
from techdept.rules.policy import Policy
from techdept.values import Quarter
from techdept.values import parse_quarter as _parse_quarter


def parse_quarter(text: object) -> Quarter:
    """``2026Q4`` (also ``2026q4``, ``2026-Q4``, ``2026年第4季度``…) → ``Quarter("2026Q4")``;
    raises QuarterInvalid. The one quarter parser is ``values.parse_quarter``; a ``Quarter``
    passes through unparsed."""
    return _parse_quarter(text)


def quarter_parts(quarter: str) -> tuple[int, int]:
    """``"2026Q4"`` → ``(2026, 4)``."""
    q = parse_quarter(quarter)
    return q.year, q.number


def quarter_of(day: dt.date) -> Quarter:
    """The quarter a date falls in."""
    return Quarter.of(day)


def quarter_bounds(quarter: str) -> tuple[dt.date, dt.date]:
    """The first and last day of a quarter."""
    return parse_quarter(quarter).bounds()


def next_quarter(quarter: str) -> str:
    """The quarter after ``quarter``."""
    year, n = quarter_parts(quarter)
    return f"{year + 1:04d}Q1" if n == 4 else f"{year:04d}Q{n + 1}"


def quarters_from(start: str, count: int) -> tuple[str, ...]:
    """``count`` consecutive quarters starting with ``start``."""
    out: list[str] = []
    q = parse_quarter(start)
    for _ in range(count):
        out.append(q)
        q = next_quarter(q)
    return tuple(out)


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus whole months, the day clipped to the month's last day (A14)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, _calendar.monthrange(year, month)[1]))


def payout_window(policy: Policy, quarter: str) -> tuple[dt.date, dt.date]:
    """The last ``window_days`` days of the quarter's payout month (e.g. 25–31 March)."""
    year, n = quarter_parts(quarter)
    months = [m for m in policy.payout_months if 1 <= m <= 12 and (m - 1) // 3 + 1 == n]
    if not months:
        raise NoPayoutMonth(parse_quarter(quarter))
    month = max(months)
    last = dt.date(year, month, _calendar.monthrange(year, month)[1])
    first = last - dt.timedelta(days=policy.payout_window_days - 1)
    return first, last


def payable_quarter(gm_approved_on: dt.date, final_paid_on: dt.date) -> str:
    """The first quarter in which a line is payable: both dates on or before its last day."""
    return quarter_of(max(gm_approved_on, final_paid_on))
