"""Money in fen between layers, exact decimals inside a computation, half-up at named points.

No float ever enters: amounts are ``int`` fen, ``Decimal`` yuan, or ``Fraction`` while a
division is still open (a rule rounds only at the points policy.md §4 names).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction
from typing import NewType

Fen = NewType("Fen", int)

_PREC = 80


def round_half_up(value: Decimal, places: int = 2) -> Decimal:
    """``value`` rounded half-up (away from zero at .5) to ``places`` decimals."""
    with localcontext() as ctx:
        ctx.prec = _PREC
        return Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def round_fraction(value: Fraction, places: int = 2) -> Decimal:
    """An exact ratio rounded half-up to ``places`` decimals, as a Decimal."""
    scaled = abs(value) * (10**places)
    whole = int(scaled + Fraction(1, 2))  # floor for non-negatives
    sign = -1 if value < 0 else 1
    return Decimal(sign * whole).scaleb(-places)


def round_to_int(value: Fraction | Decimal | int) -> int:
    """Half-up to a whole number (used for fen)."""
    return int(round_fraction(Fraction(value), 0))


def to_fen(amount: Decimal) -> Fen:
    """Yuan (a Decimal) → fen, rounded half-up."""
    return Fen(round_to_int(Fraction(Decimal(amount)) * 100))


def fen_to_yuan(fen: int) -> Decimal:
    """Fen → yuan, exact, with two decimals (``580800`` → ``Decimal("5808.00")``)."""
    return Decimal(int(fen)).scaleb(-2)


def fen_str(fen: int | None) -> str | None:
    """THE money formatter for programs: fen → the exact yuan text of JSON, CSV, steps and the
    ledger's documents (``580800`` → ``"5808.00"``, ``-232320`` → ``"-2323.20"``); None stays
    None. (People read ``output.money``: ``¥5,808.00``.)"""
    return None if fen is None else str(fen_to_yuan(fen))


def yuan_to_fen(text: object) -> int | None:
    """THE parser of that text: an exact yuan text of a stored document (``"5808.00"``) →
    fen, half-up; None stays None. (What a user types goes through ``values.parse_amount``.)"""
    return None if text is None else to_fen(Decimal(str(text)))


def decimal_str(value: Decimal | Fraction | int, places: int = 6) -> str:
    """A number as plain text: exact when it terminates, else ``≈`` and ``places`` decimals."""
    if isinstance(value, Decimal):
        return format(value, "f")
    fr = Fraction(value)
    den = fr.denominator
    for prime in (2, 5):
        while den % prime == 0:
            den //= prime
    if den != 1:
        return "≈" + format(round_fraction(fr, places), "f")
    with localcontext() as ctx:
        ctx.prec = _PREC
        return format(Decimal(fr.numerator) / Decimal(fr.denominator), "f")
