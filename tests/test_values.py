"""What users type: amounts, dates, codes, names."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from techdept import values
from techdept.errors import Invalid


@pytest.mark.parametrize(
    "text, fen",
    [
        ("1200000", 120_000_000),
        ("1,200,000.00", 120_000_000),
        ("１２０００００", 120_000_000),
        ("1200000.5", 120_000_050),
        ("0", 0),
        ("0.01", 1),
        ("999,999.99", 99_999_999),
        ("¥1,452.00", 145_200),
        ("9999999999999.99", 999_999_999_999_999),
    ],
)
def test_amounts_accepted(text, fen):
    assert values.parse_amount("--contract", text) == fen


@pytest.mark.parametrize(
    "text, key",
    [
        ("1,20,0", "AmountInvalid"),
        ("1e6", "AmountInvalid"),
        ("-5", "AmountNegative"),
        ("12.345", "AmountDecimals"),
        ("NaN", "AmountInvalid"),
        ("inf", "AmountInvalid"),
        ("", "AmountInvalid"),
        ("1,2345", "AmountInvalid"),
        ("12345678901234", "AmountTooLarge"),
        ("1 000", "AmountInvalid"),
        (".5", "AmountInvalid"),
    ],
)
def test_amounts_refused(text, key):
    with pytest.raises(Invalid) as info:
        values.parse_amount("--contract", text)
    assert info.value.key == f"error.{key}"
    assert info.value.params["field"] == "--contract"


@given(st.integers(min_value=0, max_value=10**15 - 1))
def test_amount_round_trip(fen):
    from techdept.output import fen_str

    assert values.parse_amount("x", fen_str(fen)) == fen
    whole, part = divmod(fen, 100)
    assert values.parse_amount("x", f"{whole:,}.{part:02d}") == fen


@pytest.mark.parametrize("text", ["2026-02-30", "2026/01/01", "20260101", "tomorrow", "2026-1-1"])
def test_dates_refused(text):
    with pytest.raises(Invalid):
        values.parse_date("--signed", text)


def test_date_accepted():
    assert values.parse_date("--signed", "2026-04-20") == dt.date(2026, 4, 20)


@pytest.mark.parametrize("text", ["a b", "", "x" * 41, "P2026/001", "代码", "a;drop"])
def test_codes_refused(text):
    with pytest.raises(Invalid):
        values.parse_code("--code", text)


@pytest.mark.parametrize("char", ["\u202e", "\u2066", "\x00", "\x1b", "\n", "\u200f"])
def test_names_refuse_control_and_bidi(char):
    with pytest.raises(Invalid) as info:
        values.parse_name("NAME", f"王{char}建国")
    assert info.value.key == "error.NameCharacters"


def test_name_keeps_chinese():
    assert values.parse_name("NAME", " 临江县人民法院科技法庭 ") == "临江县人民法院科技法庭"
