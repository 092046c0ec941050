"""A quarter is parsed once, where it is typed, into a ``Quarter``: every form the office
writes is accepted, anything else refused with one line, and what is stored is unchanged."""

import datetime as dt
import json

import pytest

from techdept.rules.calendar import parse_quarter as rules_parse
from techdept.rules.calendar import quarter_bounds, quarter_of
from techdept.rules.errors import QuarterInvalid
from techdept.values import Quarter, parse_quarter

ACCEPTED = [
    "2026Q3", "2026q3", "2026-Q3", " 2026 - Q 3 ", "２０２６Ｑ３",
    "2026年第3季度", "2026年第三季度", "2026年3季度", "2026年第3季", "2026年Q3",
]  # fmt: skip
REFUSED = ["2026Q5", "2026Q0", "0000Q1", "26Q1", "2026", "Q3", "2026年第五季度", "", "2026Q3x"]


@pytest.mark.parametrize("text", ACCEPTED)
def test_every_form_the_office_writes(text):
    q = parse_quarter(text)
    assert isinstance(q, Quarter)
    assert (q, q.year, q.number) == ("2026Q3", 2026, 3)
    assert q.bounds() == (dt.date(2026, 7, 1), dt.date(2026, 9, 30))


@pytest.mark.parametrize("text", REFUSED)
def test_anything_else_is_refused_with_the_same_message(text):
    with pytest.raises(QuarterInvalid) as info:
        parse_quarter(text)
    assert info.value.key == "error.QuarterInvalid"
    assert info.value.params == {"value": text}


def test_a_quarter_is_its_text_where_it_is_stored():
    q = parse_quarter("2026年第4季度")
    assert json.dumps({"quarter": q}) == '{"quarter": "2026Q4"}'
    assert f"{q}" == "2026Q4" and hash(q) == hash("2026Q4")
    assert q.last_day == dt.date(2026, 12, 31) and q.next() == "2027Q1"
    assert Quarter.of(dt.date(2026, 2, 28)) == "2026Q1" == quarter_of(dt.date(2026, 2, 28))


def test_the_rules_take_a_parsed_quarter_as_it_is():
    q = parse_quarter("2026Q2")
    assert rules_parse(q) is q
    assert quarter_bounds(q) == q.bounds()
    with pytest.raises(QuarterInvalid):
        rules_parse("2026Q9")


def test_a_quarter_cannot_be_built_wrong():
    with pytest.raises(QuarterInvalid):
        Quarter(2026, 5)
