"""The office's ways of writing a quarter reach the same figures: ``2026年第4季度`` is
``2026Q4`` for the payout list, the quarter report and the ticket list."""

import pytest


@pytest.mark.parametrize("written", ["2026年第4季度", "2026年第四季度", "2026-q4"])
def test_chinese_quarters_read_the_same_figures(td, written):
    td("init", "--demo")
    for args in (["bonus", "--quarter"], ["report", "quarter"], ["ticket", "list", "--quarter"]):
        assert td(*args, written, "--json").stdout == td(*args, "2026Q4", "--json").stdout


def test_a_bad_quarter_is_one_line_and_changes_nothing(td):
    td("init", "--demo")
    got = td("bonus", "--quarter", "2026年第五季度", expect=1)
    assert got.stderr.strip().endswith(
        "2026年第五季度 is not a quarter: write YYYYQn (n = 1–4), e.g. 2026Q4"
    )
