"""How wide a text is set, to keep every word whole in a table cell.

Chinese text may break between any two characters; Latin text breaks only at spaces and
after hyphens. A column narrower than its longest word splits that word ("Implementat-ion")
in Word and LibreOffice alike, so the sheets size such columns from the words they hold.

Widths are the advance widths of printable ASCII in the Latin of Noto Serif CJK (regular
and bold), the face LibreOffice sets ``Times New Roman`` in where that font is missing (CI,
Linux): the widest the sheets are set in, so a word that fits here fits in Word's Times New
Roman too. Characters outside ASCII count as wide; CJK characters are break points.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from fractions import Fraction
from functools import lru_cache

from techdept.rules.bonus import allocate_largest_remainder

# advance widths in 1/1000 em of the characters 32 (space) … 126 (~)
# fmt: off
_REGULAR = (
    256, 308, 376, 574, 550, 923, 779, 196, 364, 364, 478, 580, 327, 346, 327, 352,
    557, 471, 558, 557, 555, 558, 558, 549, 558, 562, 327, 327, 580, 580, 580, 432,
    912, 718, 670, 691, 770, 652, 629, 741, 853, 405, 402, 731, 625, 975, 796, 767,
    641, 767, 715, 567, 659, 797, 714, 1053, 700, 687, 605, 344, 352, 344, 580, 563,
    435, 557, 638, 538, 629, 546, 388, 566, 663, 332, 311, 607, 334, 974, 661, 596,
    638, 607, 462, 473, 367, 653, 548, 838, 564, 552, 498, 374, 316, 374, 580,
)
# fmt: on
# fmt: off
_BOLD = (
    250, 355, 447, 615, 589, 966, 803, 235, 400, 400, 485, 603, 335, 370, 335, 400,
    593, 466, 594, 593, 593, 594, 594, 588, 594, 596, 335, 335, 603, 603, 603, 473,
    970, 746, 708, 702, 789, 666, 648, 757, 864, 426, 428, 767, 642, 1001, 815, 785,
    673, 785, 751, 597, 695, 818, 734, 1091, 726, 701, 627, 372, 400, 372, 603, 593,
    447, 585, 672, 565, 658, 572, 402, 596, 687, 349, 335, 651, 355, 1008, 685, 623,
    671, 640, 500, 499, 393, 678, 578, 874, 599, 582, 517, 380, 338, 380, 603,
)
# fmt: on
_OTHER = 1000  # anything else outside ASCII: full width (☑, Latin letters with accents)
_SOME = {"–": 500, "—": 1000, "¥": 600, "·": 330, "’": 250, "…": 1000}
PT_CM = 2.54 / 72
CELL_PAD_CM = 2 * 68 / 1440 * 2.54 + 0.06  # the table's left and right cell margins, and slack

# a piece of text nothing may break: a run of non-space, non-CJK characters, cut after a hyphen
# that a letter follows ("After-sales"; not "P2026-001")
_CJK = "\u2e80-\u9fff\u3000-\u303f\uf900-\ufaff\uff00-\uffef"
_PIECE = re.compile(rf"[^\s{_CJK}]+?(?:-(?=[A-Za-z])|(?=[\s{_CJK}])|$)|[{_CJK}]")


def text_cm(text: str, size: int, bold: bool = False) -> float:
    """The width of ``text`` set on one line; ``size`` in half-points."""
    table = _BOLD if bold else _REGULAR
    units = sum(
        table[ord(ch) - 32] if 32 <= ord(ch) < 127 else _SOME.get(ch, _OTHER) for ch in text
    )
    return units / 1000 * size / 2 * PT_CM


def pieces(text: str) -> list[str]:
    """The pieces a line may not be broken inside."""
    return _PIECE.findall(text)


@lru_cache(maxsize=8192)
def need_cm(text: str, size: int, bold: bool = False) -> float:
    """How wide a cell must be so that no word of ``text`` is broken inside (labels and band
    texts repeat from sheet to sheet: remembered)."""
    widest = max((text_cm(p, size, bold) for p in pieces(text)), default=0.0)
    return widest + CELL_PAD_CM if widest else 0.0


def fit(widths: Sequence[int], needs: Sequence[int]) -> list[int]:
    """Widen each column to what its longest word needs, taking the width from the columns
    with room to spare, in proportion to their room; the total stays the same. Where there is
    not room enough, each short column gets its share of what there is."""
    short = [max(0, n - w) for w, n in zip(widths, needs, strict=True)]
    room = [max(0, w - n) for w, n in zip(widths, needs, strict=True)]
    deficit, spare = sum(short), sum(room)
    if deficit == 0 or spare == 0:
        return list(widths)
    give = min(deficit, spare)
    # both sides split by largest remainder, so what the short columns gain is exactly what
    # the others lose and the total stays put (no remainder dumped on one column)
    gain = allocate_largest_remainder(give, [Fraction(s * give, deficit) for s in short])
    loss = allocate_largest_remainder(give, [Fraction(r * give, spare) for r in room])
    return [w + g - lo for w, g, lo in zip(widths, gain, loss, strict=True)]
