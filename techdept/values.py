"""Parse what users type: amounts, dates, codes, names, percentages. Pure: no ledger, no CLI.

Each refusal is an ``Invalid`` error naming the field, the value and what is allowed.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata
from decimal import Decimal, InvalidOperation

from techdept.errors import Invalid

MAX_INTEGER_DIGITS = 13
_AMOUNT = re.compile(r"^(?P<int>\d{1,3}(?:,\d{3})+|\d+)(?:\.(?P<frac>\d+))?$")
_CODE = re.compile(r"^[A-Za-z0-9_-]{1,40}$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_PERCENT = re.compile(r"^\d{1,3}(?:\.\d{1,2})?$")
_POSITIVE = re.compile(r"^(?:\d+(?:\.\d+)?|\.\d+)$")
# Bidi embeddings, overrides, isolates and marks that can make a name read differently.
_BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")
MAX_NAME = 200


def _normal(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip()


def parse_amount(field: str, text: str) -> int:
    """Decimal yuan → fen. Full-width digits are accepted; at most two decimals."""
    raw = _normal(text).removeprefix("¥").removeprefix("￥").strip()
    if raw.startswith("-"):
        raise Invalid("AmountNegative", field=field, value=text)
    match = _AMOUNT.match(raw)
    if not match:
        raise Invalid("AmountInvalid", field=field, value=text)
    frac = match["frac"] or ""
    if len(frac) > 2:
        raise Invalid("AmountDecimals", field=field, value=text)
    digits = match["int"].replace(",", "")
    if len(digits.lstrip("0")) > MAX_INTEGER_DIGITS:
        raise Invalid("AmountTooLarge", field=field, value=text, digits=MAX_INTEGER_DIGITS)
    return int(digits) * 100 + int(frac.ljust(2, "0"))


def parse_date(field: str, text: str) -> dt.date:
    """An ISO date ``YYYY-MM-DD``."""
    raw = _normal(text)
    if _DATE.match(raw):
        try:
            return dt.date.fromisoformat(raw)
        except ValueError:
            pass
    raise Invalid("DateInvalid", field=field, value=text)


def parse_code(field: str, text: str) -> str:
    """A code: letters, digits, ``-`` and ``_``, 1 to 40 characters."""
    raw = _normal(text)
    if not _CODE.match(raw):
        raise Invalid("CodeInvalid", field=field, value=text)
    return raw


_LOGIN = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def parse_login(field: str, text: str) -> str:
    """A database login: lower-case letters, digits and ``_``, not starting with a digit,
    at most 63 characters (a PostgreSQL role name that never needs quoting)."""
    raw = _normal(text)
    if not _LOGIN.match(raw):
        raise Invalid("LoginInvalid", field=field, value=text)
    return raw


def parse_name(field: str, text: str) -> str:
    """Free text for names: no control or bidi-override characters, not empty."""
    for ch in text:
        if ch in _BIDI or (unicodedata.category(ch) == "Cc"):
            raise Invalid("NameCharacters", field=field, value=ascii(text), char=f"U+{ord(ch):04X}")
    raw = unicodedata.normalize("NFC", text).strip()
    if not raw:
        raise Invalid("NameEmpty", field=field)
    if len(raw) > MAX_NAME:
        raise Invalid("NameTooLong", field=field, max=MAX_NAME)
    return raw


def parse_choice(field: str, text: str, allowed: tuple[str, ...] | list[str]) -> str:
    """One of ``allowed`` (exact key)."""
    raw = _normal(text)
    if raw not in allowed:
        raise Invalid("ChoiceInvalid", field=field, value=text, allowed=", ".join(allowed))
    return raw


def parse_percent(field: str, text: str) -> Decimal:
    """A percentage with at most two decimals, 0–100."""
    raw = _normal(text).removesuffix("%").strip()
    if not _PERCENT.match(raw) or Decimal(raw) > 100:
        raise Invalid("PercentInvalid", field=field, value=text)
    return Decimal(raw)


def parse_weight(field: str, text: str) -> Decimal:
    """A positive decimal number (a contribution weight)."""
    raw = _normal(text)
    if not _POSITIVE.match(raw):
        raise Invalid("WeightInvalid", field=field, value=text)
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise Invalid("WeightInvalid", field=field, value=text) from None
    if value <= 0 or len(raw) > 12:
        raise Invalid("WeightInvalid", field=field, value=text)
    return value


def parse_count(field: str, text: str | int, *, maximum: int = 100_000) -> int:
    """A whole number 0..maximum (days, months, points deducted)."""
    raw = _normal(str(text))
    if not raw.isdigit() or int(raw) > maximum:
        raise Invalid("CountInvalid", field=field, value=text, max=maximum)
    return int(raw)


# ---------------------------------------------------------------- quarters

_QUARTER = re.compile(r"^(\d{4})\s*-?\s*[Qq]\s*([1-4])$")
# as the office writes it on paper: 2026年第3季度, 2026年第三季度, 2026年3季度, 2026年Q3
_QUARTER_ZH = re.compile(r"^(\d{4})\s*年\s*(?:第\s*)?([1-4一二三四])\s*季(?:度)?$")
_QUARTER_ZH_Q = re.compile(r"^(\d{4})\s*年\s*[Qq]\s*([1-4])$")
_CHINESE_DIGITS = {"一": "1", "二": "2", "三": "3", "四": "4"}


class Quarter(str):
    """A calendar quarter, parsed once where it is typed (``parse_quarter``) and passed down
    typed: services and forms read ``year``, ``number``, ``first_day``, ``last_day`` and never
    parse a quarter again. It is the text ``2026Q3`` itself (a ``str``), so it is stored,
    compared, written to JSON and to the audit exactly as before. Immutable."""

    __slots__ = ()

    def __new__(cls, year: int, number: int) -> Quarter:
        if not (1 <= year <= 9999 and 1 <= number <= 4):
            from techdept.rules.errors import QuarterInvalid

            raise QuarterInvalid(f"{year}Q{number}")
        return super().__new__(cls, f"{year:04d}Q{number}")

    @classmethod
    def of(cls, day: dt.date) -> Quarter:
        """The quarter a date falls in."""
        return cls(day.year, (day.month - 1) // 3 + 1)

    @property
    def year(self) -> int:
        return int(self[:4])

    @property
    def number(self) -> int:
        return int(self[5])

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, 3 * self.number - 2, 1)

    @property
    def last_day(self) -> dt.date:
        month = 3 * self.number
        return dt.date(self.year, month, calendar.monthrange(self.year, month)[1])

    def bounds(self) -> tuple[dt.date, dt.date]:
        return self.first_day, self.last_day

    def next(self) -> Quarter:
        return (
            Quarter(self.year + 1, 1) if self.number == 4 else Quarter(self.year, self.number + 1)
        )

    def __reduce__(self) -> tuple[type, tuple[int, int]]:
        return (Quarter, (self.year, self.number))


def parse_quarter(text: object) -> Quarter:
    """What the office types for a quarter → a ``Quarter``: ``2026Q3``, ``2026q3``,
    ``2026-Q3`` (spaces and full-width characters allowed), or as written on paper:
    ``2026年第3季度``, ``2026年第三季度``, ``2026年3季度``, ``2026年Q3``. A ``Quarter`` passes
    through. Anything else is refused with QuarterInvalid (what is wrong, what is allowed)."""
    if isinstance(text, Quarter):
        return text
    from techdept.rules.errors import QuarterInvalid

    raw = _normal(text) if isinstance(text, str) else ""
    match = _QUARTER.match(raw) or _QUARTER_ZH.match(raw) or _QUARTER_ZH_Q.match(raw)
    if not match or int(match[1]) < 1:
        raise QuarterInvalid(text)
    return Quarter(int(match[1]), int(_CHINESE_DIGITS.get(match[2], match[2])))
