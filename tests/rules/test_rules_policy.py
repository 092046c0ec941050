"""The policy file: the shipped one loads; broken ones are reported key by key; lint."""

from __future__ import annotations

import json
import re
from decimal import Decimal as D
from pathlib import Path

import pytest

from techdept.i18n import t_in
from techdept.rules import (
    PolicyInvalid,
    default_policy_path,
    lint_policy,
    load_policy,
    policy_to_dict,
)

LITERAL = Path(__file__).resolve().parents[2] / "data" / "policies" / "v2.0-2014-literal.toml"
SHIPPED = default_policy_path().read_text(encoding="utf-8")


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "policy.toml"
    path.write_text(text, encoding="utf-8")
    return path


def replaced(*pairs: tuple[str, str]) -> str:
    text = SHIPPED
    for old, new in pairs:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


def test_shipped_policy_loads(policy):
    assert policy.id == "v2.0-2014"
    assert re.fullmatch(r"[0-9a-f]{64}", policy.hash)
    assert list(policy.tracks) == ["presales", "implementation", "aftersales"]
    assert policy.tracks["presales"].composite_divisor == 5
    assert policy.tracks["presales"].scorers == ("self", "sales", "commerce", "pm", "superior")
    assert policy.tracks["aftersales"].scorers == ("self", "sales", "superior")
    assert policy.tracks["aftersales"].inferred and policy.tracks["aftersales"].sliced
    assert all(i.inferred for i in policy.tracks["aftersales"].items)
    assert policy.base_rate == D("0.5") and policy.director_award_rate == 30
    assert (policy.lead_share_min, policy.lead_share_max) == (30, 60)
    assert policy.payout_months == (3, 6, 9, 12) and policy.payout_window_days == 7
    assert (policy.sanction_count, policy.sanction_grades) == (3, ("D", "E"))
    assert [(g.grade, g.low, g.share) for g in policy.grades] == [
        ("A", 90, 100),
        ("B", 80, 80),
        ("C", 70, 60),
        ("D", 60, 40),
        ("E", 0, 0),
    ]
    assert policy.complexity["simple-standard"] == D("0.9")
    assert sorted(policy.readings) == sorted(f"A{i}" for i in range(1, 15))
    assert all(r.applies for r in policy.readings.values())
    for track in policy.tracks.values():
        for item in track.items:
            assert item.label["zh"] and item.label["en"] and item.bands
            assert all(b.text["zh"] and b.text["en"] for b in item.bands)


def test_policy_to_dict_is_json(policy):
    doc = json.loads(json.dumps(policy_to_dict(policy), ensure_ascii=False))
    assert doc["id"] == "v2.0-2014"
    assert doc["base_rate"] == "0.5"
    assert doc["complexity"]["technical"] == "1.1"
    assert doc["tracks"]["implementation"]["items"][0]["max"] == "40"


def test_literal_policy_loads(literal_policy, policy):
    assert literal_policy.tracks["presales"].composite_divisor == 4
    assert literal_policy.hash != policy.hash


def test_hash_is_of_the_file_bytes(tmp_path, policy):
    assert load_policy(write(tmp_path, SHIPPED)).hash == policy.hash
    assert load_policy(write(tmp_path, SHIPPED + "\n")).hash != policy.hash


def test_broken_file_gives_one_problem_per_fault_with_its_key_path(tmp_path):
    text = replaced(
        ('id = "v2.0-2014"\n', ""),
        (
            'composite_divisor = 3\ncoefficients = ["complexity", "risk"]',
            'composite_divisor = "3"\ncoefficients = ["complexity", "risk"]',
        ),
        (
            'label = { zh = "方案质量", en = "Solution quality" }\nmax = 60',
            'label = { zh = "方案质量", en = "Solution quality" }\nmax = "sixty"',
        ),
        ("window_days = 7 ", "window_dayz = 7 "),
        ("[tracks.aftersales.veto_below]\ncost = 15", "[tracks.aftersales.veto_below]\ncosts = 15"),
    )
    with pytest.raises(PolicyInvalid) as caught:
        load_policy(write(tmp_path, text))
    assert sorted(caught.value.problems) == sorted(
        [
            "id: missing",
            "tracks.implementation.composite_divisor: expected an integer, got string",
            "tracks.presales.items[1].max: expected a number, got string",
            "payout.window_dayz: unknown key",
            "payout.window_days: missing",
            "tracks.aftersales.veto_below.costs: not an item of this track",
        ]
    )
    err = caught.value
    assert err.key == "error.PolicyInvalid"
    assert err.params["problems"] == "; ".join(err.problems[:3]) + "; … (+3)"
    assert "id: missing; " in t_in("en", err.key, **err.params)


@pytest.mark.parametrize(
    "text, problem",
    [
        ("id = ", "not valid TOML"),
        (
            SHIPPED.replace('readings = ["A11"]', 'readings = ["A99"]'),
            "rules.schedule.readings: reading A99 is not defined",
        ),
        (
            SHIPPED.replace(
                'flags = ["complaint", "poor_evaluation"]\nlead_role = "presales_lead"',
                'flags = ["fire"]\nlead_role = "presales_lead"',
            ),
            "tracks.presales.flags: unknown flag fire",
        ),
        (
            SHIPPED.replace("simple-basic = 0.8", 'simple-basic = "0.8"'),
            "coefficients.complexity.simple-basic: expected a number, got string",
        ),
        (
            SHIPPED.replace('mode = "half-up"', 'mode = "bankers"'),
            "rounding.mode: only half-up is supported",
        ),
    ],
)
def test_single_problems(tmp_path, text, problem):
    with pytest.raises(PolicyInvalid) as caught:
        load_policy(write(tmp_path, text))
    assert len(caught.value.problems) == 1
    assert problem in caught.value.problems[0]


def test_missing_file(tmp_path):
    with pytest.raises(PolicyInvalid):
        load_policy(tmp_path / "nope.toml")


# ---------------------------------------------------------------- lint


def test_lint_shipped_policy_is_clean():
    assert lint_policy() == []


def test_lint_literal_policy_reports_a1_only():
    findings = lint_policy(LITERAL)
    assert [(f.code, f.path, f.key) for f in findings] == [
        ("A1", "tracks.presales.composite_divisor", "lint.A1")
    ]
    assert findings[0].params["divisor"] == 4 and findings[0].params["scorers"] == 5


def test_lint_reports_gap_rubric_and_payout_month(tmp_path):
    text = replaced(
        ('grade = "B"\nlow = 80', 'grade = "B"\nlow = 81'),
        (
            'label = { zh = "方案质量", en = "Solution quality" }\nmax = 60',
            'label = { zh = "方案质量", en = "Solution quality" }\nmax = 50',
        ),
        ("months = [3, 6, 9, 12]", "months = [3, 6, 9, 13]"),
    )
    findings = lint_policy(write(tmp_path, text))
    assert sorted((f.code, f.path) for f in findings) == [
        ("grade-gap", "grades"),
        ("payout-month", "payout.months[3]"),
        ("rubric-sum", "tracks.presales.items"),
    ]
    gap = next(f for f in findings if f.code == "grade-gap")
    assert (gap.params["low"], gap.params["high"]) == ("80", "81")
    assert next(f for f in findings if f.code == "rubric-sum").params["total"] == "90"


@pytest.mark.parametrize(
    "pairs, codes",
    [
        ([('grade = "B"\nlow = 80', 'grade = "B"\nlow = 79')], ["grade-overlap"]),
        (
            [("[bonus.engineer_share]\nmin = 40", "[bonus.engineer_share]\nmin = 30")],
            ["share-range"],
        ),
        (
            [
                (
                    "# implementation risk 风险类型\nhigh = 1.2\nmedium = 1.1\n",
                    "\nhigh = 1.2\n",
                )
            ],
            ["missing-coefficient"],
        ),
        (
            [
                (
                    'sheet_complexity = ["simple-basic", "simple-standard"',
                    'sheet_complexity = ["simple-court", "simple-standard"',
                )
            ],
            ["missing-coefficient"],
        ),
        ([("on_time = 30\nmax = 40", "on_time = 30\nmax = 45")], ["rule-max", "rule-max"]),
    ],
)
def test_lint_other_findings(tmp_path, pairs, codes):
    findings = lint_policy(write(tmp_path, replaced(*pairs)))
    assert [f.code for f in findings] == codes


def test_lint_never_raises_for_a_broken_file(tmp_path):
    text = replaced(('id = "v2.0-2014"\n', ""), ("window_days = 7 ", "window_days = 0 "))
    findings = lint_policy(write(tmp_path, text))
    assert [(f.code, f.path, f.key) for f in findings] == [
        ("invalid", "id", "lint.invalid"),
        ("invalid", "payout.window_days", "lint.invalid"),
    ]
    assert [f.code for f in lint_policy(tmp_path / "missing.toml")] == ["invalid"]
    assert [f.code for f in lint_policy(write(tmp_path, "= broken"))] == ["invalid"]
