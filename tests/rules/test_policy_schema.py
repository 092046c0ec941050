"""The policy file's schema: one validator walks the table of fields, and each kind of
check it declares reports the fault at its key path, once, in the loader's words."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from techdept.rules import PolicyInvalid, default_policy_path, load_policy_bytes
from techdept.rules.policy.fields import POLICY
from techdept.rules.policy.schema import Map, Rows, Table, Value, between, validate

SHIPPED = default_policy_path().read_text(encoding="utf-8")


def problems(text: str) -> list[str]:
    with pytest.raises(PolicyInvalid) as caught:
        load_policy_bytes(text.encode("utf-8"), "p.toml")
    return caught.value.problems


def once(old: str, new: str) -> str:
    assert SHIPPED.count(old) == 1, old
    return SHIPPED.replace(old, new)


CASES = [
    # types
    ("window_days = 7", 'window_days = "7"', "payout.window_days: expected an integer, got string"),
    ("base_rate = 0.5", "base_rate = true", "bonus.base_rate: expected a number, got boolean"),
    # ranges
    ("window_days = 7", "window_days = 29", "payout.window_days: must be between 1 and 28"),
    ("base_rate = 0.5", "base_rate = 101",
     "bonus.base_rate: must be a percentage between 0 and 100"),
    ("months_per_slice = 3", "months_per_slice = 0", "slices.months_per_slice: must be at least 1"),
    ("simple-basic = 0.8", "simple-basic = 0",
     "coefficients.complexity.simple-basic: must be positive"),
    # fixed values and choices
    ("money_places = 2", "money_places = 3",
     "rounding.money_places: money is kept in fen: must be 2"),
    ('pool = "reserved-minus-allocations"', 'pool = "all"',
     "bonus.pool: only reserved-minus-allocations is supported"),
    # an unknown key, a missing one
    ("window_days = 7", "window_days = 7\nwindow = 7", "payout.window: unknown key"),
    ("consecutive = 3", "", "sanctions.consecutive: missing"),
    # references across the file
    ('grades = ["D", "E"]', 'grades = ["D", "Z"]', "sanctions.grades: unknown grade Z"),
]  # fmt: skip


@pytest.mark.parametrize("old, new, want", CASES)
def test_each_kind_of_check(old, new, want):
    assert problems(once(old, new)) == [want]


def test_a_table_of_the_wrong_type_reports_its_required_keys_missing():
    got = problems(once("[rules.schedule]", "[rules.schedule_old]"))
    assert "rules.schedule_old: unknown key" in got
    assert "rules.schedule: missing" in got
    assert "rules.schedule.on_time: missing" in got and "rules.schedule.step_pct: missing" in got


def test_every_problem_of_a_broken_file_is_reported_at_once():
    text = once("window_days = 7", 'window_days = "x"').replace(
        "money_places = 2", "money_places = 4"
    )
    got = problems(text.replace('id = "v2.0-2014"\n', ""))
    assert got[0] == "id: missing"  # in the file's order, the top first
    assert set(got) == {
        "id: missing",
        "rounding.money_places: money is kept in fen: must be 2",
        "payout.window_days: expected an integer, got string",
    }


def test_the_validator_walks_a_schema_of_its_own():
    schema = Table(
        {
            "n": Value("int", default=1, checks=(between(1, 5),)),
            "rows": Rows(Table({"key": Value("str")}), empty="no rows"),
            "levels": Map(Value("number"), required=False),
            "note": Value("str", required=False, default="—"),
        },
        readings=True,
    )
    values, walk = validate(
        schema, {"n": 9, "rows": [], "levels": {"a": D("1.5")}, "readings": ["A1"]}
    )
    assert walk.problems == ["n: must be between 1 and 5", "rows: no rows"]
    assert values == {
        "readings": ("A1",),
        "n": 9,
        "rows": [],
        "levels": {"a": D("1.5")},
        "note": "—",
    }
    assert walk.reading_refs == [("A1", "")]
    values, walk = validate(schema, {"rows": [{"key": 3, "x": 1}], "levels": "high"})
    assert walk.problems == [
        "n: missing",
        "rows[0].x: unknown key",
        "rows[0].key: expected a non-empty string, got integer",
        "levels: expected a table, got string",
    ]
    assert values["n"] == 1 and values["levels"] == {}


def test_every_top_level_key_of_the_shipped_policy_is_in_the_schema():
    import tomllib

    raw = tomllib.loads(SHIPPED)
    assert set(raw) <= set(POLICY.fields)
