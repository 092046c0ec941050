"""Column widths that keep every word whole: the text measure and the column fit."""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from techdept.forms import measure


@pytest.mark.parametrize(
    "text, pieces",
    [
        ("Implementation engineer", ["Implementation", "engineer"]),
        ("After-sales quarter", ["After-", "sales", "quarter"]),
        ("P2026-001", ["P2026-001"]),  # no break before a digit
        ("实施工程师", ["实", "施", "工", "程", "师"]),  # Chinese breaks anywhere
        ("临江县法院 (P2026-001)", ["临", "江", "县", "法", "院", "(P2026-001)"]),
        ("", []),
    ],
)
def test_pieces_a_line_may_not_be_broken_inside(text, pieces):
    assert measure.pieces(text) == pieces


def test_a_long_word_needs_more_than_a_short_one_and_bold_more_than_regular():
    assert measure.need_cm("representative", 18) > measure.need_cm("Self", 18)
    assert measure.need_cm("Superior", 18, True) > measure.need_cm("Superior", 18)
    # a Chinese label needs one character's width, whatever its length
    assert measure.need_cm("项目实施奖金预定（元）", 18) == measure.need_cm("项", 18)
    assert measure.need_cm("", 18) == 0.0


def test_fit_widens_a_short_column_from_the_room_of_others():
    assert measure.fit([1000, 2000, 3000], [1500, 500, 1000]) == [1500, 1786, 2714]
    assert measure.fit([1000, 2000], [500, 500]) == [1000, 2000]  # nothing short: unchanged


def test_fit_shares_what_room_there_is_when_there_is_not_enough():
    out = measure.fit([1000, 1000], [2000, 900])
    assert out == [1100, 900] and sum(out) == 2000


@given(st.lists(st.tuples(st.integers(300, 5000), st.integers(0, 6000)), min_size=1, max_size=12))
# found by CI: the twips integer division left over had been put on the widest column, which
# here is a short one, so it shrank (428 < 429) or a column with room went below its need
@example([(300, 0)] * 5 + [(300, 432), (433, 433)])
@example([(300, 0)] * 5 + [(300, 431), (429, 432)])
def test_fit_keeps_the_total_and_never_takes_a_column_below_its_need(columns):
    widths, needs = [w for w, _ in columns], [n for _, n in columns]
    out = measure.fit(widths, needs)
    assert sum(out) == sum(widths)
    for before, after, need in zip(widths, out, needs, strict=True):
        if before >= need:  # a column that had room keeps at least its need
            assert after >= need
        else:  # a short column only grows
            assert after >= before
