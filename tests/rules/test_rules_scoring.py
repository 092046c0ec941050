"""Tables for rules S, C, I, the grade bands, point checks, composite, vetoes and the split."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from techdept.i18n import t_in
from techdept.rules import (
    ContributionWeightInvalid,
    FactInvalid,
    Facts,
    FlagNotAllowed,
    LeadShareOutOfRange,
    LeadSharePrecision,
    MissingFacts,
    PointsBelowMinimum,
    PointsInvalid,
    PointsOutOfRange,
    PointsPrecision,
    ScorerNotRequired,
    ScoresIncomplete,
    TeamMemberDuplicate,
    UnknownCoefficient,
    UnknownItem,
    UnknownTrack,
    archiving_points,
    composite,
    cost_points,
    evaluate,
    fen_str,
    final_bonus,
    grade,
    internal_acceptance_points,
    missing_facts,
    require_facts,
    reserved_bonus,
    round_half_up,
    schedule_points,
    split,
    to_fen,
    validate_points,
    vetoes,
)


@pytest.mark.parametrize(
    "planned, actual, points",
    [
        (60, 60, 30),  # on time
        (60, 59, 30),  # 1.67 % early: no full step
        (60, 54, 31),  # exactly 10 % early
        (100, 91, 30),  # 9 % early
        (100, 90, 31),
        (100, 0, 40),  # 100 % early, capped at 40
        (100, 10, 39),
        (1, 0, 40),
        (100, 109, 30),  # 9 % late still 30 (A11)
        (100, 110, 29),
        (100, 119, 29),
        (100, 120, 28),
        (100, 400, 0),  # 300 % late, floored at 0
        (10, 40, 0),
        (3, 4, 27),  # 33.3 % late
        (3, 2, 33),  # 33.3 % early
    ],
)
def test_rule_s(policy, planned, actual, points):
    assert schedule_points(planned, actual, policy).value == points


@pytest.mark.parametrize("planned, actual", [(0, 10), (-1, 5), (10, -1), (True, 5), (10, 1.5)])
def test_rule_s_refuses_bad_days(policy, planned, actual):
    with pytest.raises(FactInvalid):
        schedule_points(planned, actual, policy)


@pytest.mark.parametrize(
    "budget, actual, points",
    [
        (10000, 10000, 20),
        (10000, 10499, 20),  # +4.99 %
        (10000, 9501, 20),  # −4.99 %
        (10000, 9500, 19),  # exactly 5 % saved (A2)
        (10000, 10500, 18),  # exactly 5 % overspent (A2)
        (10000, 8000, 19),  # 20 % saved
        (10000, 7999, 18),  # 20.01 % saved: a started 10 % (A3)
        (10000, 12000, 18),
        (10000, 12001, 16),
        (10000, 13000, 16),
        (10000, 13001, 14),
        (10000, 19000, 4),  # +90 %: 18 − 2 × ceil(7)
        (10000, 2000, 13),  # 80 % saved: 19 − ceil(6)
        (10000, 30000, 0),  # +200 %: floored at 0
    ],
)
def test_rule_c(policy, budget, actual, points):
    assert cost_points(budget, actual, policy).value == points


@pytest.mark.parametrize("budget, actual", [(0, 10), (-5, 10), (10, -1)])
def test_rule_c_refuses_bad_amounts(policy, budget, actual):
    with pytest.raises(FactInvalid):
        cost_points(budget, actual, policy)


@pytest.mark.parametrize(
    "deducted, late, points",
    [
        (D(0), 0, "10"),
        (D(0), 2, "8"),
        (D(3), 0, "7"),
        (D(3), 4, "3"),
        (D("1.5"), 1, "7.5"),
        (D(6), 6, "0"),  # never below 0
        (D(20), 0, "0"),
    ],
)
def test_rule_i(policy, deducted, late, points):
    assert str(internal_acceptance_points(deducted, late, policy).value) == points


@pytest.mark.parametrize("deducted, late", [(D(-1), 0), (D("0.25"), 0), (D(0), -1)])
def test_rule_i_refuses_bad_facts(policy, deducted, late):
    with pytest.raises(FactInvalid):
        internal_acceptance_points(deducted, late, policy)


@pytest.mark.parametrize("late, points", [(0, "10"), (1, "9"), (10, "0"), (15, "0")])
def test_archiving(policy, late, points):
    assert str(archiving_points(late, policy).value) == points


@pytest.mark.parametrize(
    "value, letter, share",
    [
        ("100.00", "A", "100"),
        ("90.00", "A", "100"),
        ("89.99", "B", "80"),
        ("80.00", "B", "80"),
        ("79.99", "C", "60"),
        ("70.00", "C", "60"),
        ("69.99", "D", "40"),
        ("60.00", "D", "40"),
        ("59.99", "E", "0"),
        ("0.00", "E", "0"),
        ("125.00", "A", "100"),  # the literal ÷4 can exceed 100
    ],
)
def test_grade_band_edges(policy, value, letter, share):
    assert grade(policy, D(value)).value == (letter, D(share))


@pytest.mark.parametrize(
    "totals, expected",
    [
        ({"self": D(85), "sales": D(83), "superior": D(84)}, "84.00"),
        ({"self": D(85), "sales": D(83), "superior": D(83)}, "83.67"),  # 83.666… half-up
        ({"self": D("80.5"), "sales": D(80), "superior": D(80)}, "80.17"),
        ({"self": D("0.5"), "sales": D(0), "superior": D(0)}, "0.17"),
        ({"self": D("89.5"), "sales": D("90"), "superior": D("90.5")}, "90.00"),
        ({"self": D("0.1"), "sales": D("0.1"), "superior": D("0.2")}, "0.13"),
        ({"self": D("0.1"), "sales": D("0.2"), "superior": D("0.2")}, "0.17"),
    ],
)
def test_composite_rounds_half_up(policy, totals, expected):
    assert str(composite(policy, "implementation", totals).value) == expected


def test_composite_half_up_on_an_exact_tie(literal_policy):
    # ÷4 (the literal reading) can land on a half fen: 382.1 / 4 = 95.525 → 95.53
    totals = {"self": D("80.1"), "sales": D(76), "commerce": D(78), "pm": D(73), "superior": D(75)}
    assert str(composite(literal_policy, "presales", totals).value) == "95.53"
    totals["self"] = D("80.2")  # 95.55 exactly
    assert str(composite(literal_policy, "presales", totals).value) == "95.55"


def test_composite_needs_every_scorer(policy):
    with pytest.raises(ScoresIncomplete):
        composite(policy, "implementation", {"self": D(80), "sales": D(80)})
    with pytest.raises(ScorerNotRequired):
        composite(
            policy, "implementation", {"self": D(1), "sales": D(1), "superior": D(1), "pm": D(1)}
        )


@pytest.mark.parametrize(
    "value, expected", [("27", "27"), ("27.5", "27.5"), ("27.50", "27.5"), (30, "30"), ("0", "0")]
)
def test_validate_points_accepts(policy, value, expected):
    assert str(validate_points(policy, "implementation", "self", "quality", value)) == expected


@pytest.mark.parametrize(
    "track, scorer, item, value, error",
    [
        ("implementation", "self", "quality", "31", PointsOutOfRange),
        ("implementation", "self", "quality", "30.1", PointsOutOfRange),
        ("implementation", "self", "quality", "-1", PointsBelowMinimum),
        ("implementation", "self", "quality", "27.25", PointsPrecision),
        ("implementation", "self", "quality", "abc", PointsInvalid),
        ("implementation", "self", "quality", "NaN", PointsInvalid),
        ("implementation", "self", "quality", 27.5, PointsInvalid),  # never a float
        ("implementation", "self", "timeliness", "20", UnknownItem),
        ("implementation", "commerce", "quality", "20", ScorerNotRequired),
        ("implementation", "finance", "quality", "20", ScorerNotRequired),
        ("aftersales", "finance", "cost", "20", ScorerNotRequired),  # A4
        ("support", "self", "quality", "20", UnknownTrack),
    ],
)
def test_validate_points_refuses(policy, track, scorer, item, value, error):
    with pytest.raises(error):
        validate_points(policy, track, scorer, item, value)


def test_points_error_message_names_item_scorer_and_range(policy):
    with pytest.raises(PointsOutOfRange) as caught:
        validate_points(policy, "implementation", "self", "quality", "31")
    err = caught.value
    assert err.key == "error.PointsOutOfRange"
    assert t_in("en", err.key, **err.params) == "quality: 31 is above the maximum 30 (self)"
    assert "30" in t_in("zh", err.key, **err.params)


@pytest.mark.parametrize(
    "track, complexity, level, expected",
    [
        ("presales", "simple-basic", "low", "4000.00"),
        ("presales", "simple-interrogation", "medium", "4400.00"),
        ("presales", "mission-critical", "high", "7800.00"),
        ("implementation", "simple-extended", "low", "5000.00"),
        ("implementation", "organizational", "high", "7200.00"),
        ("aftersales", None, None, "5000.00"),
    ],
)
def test_reserved_for_a_million(policy, track, complexity, level, expected):
    difficulty = level if track == "presales" else None
    risk = level if track == "implementation" else None
    value = reserved_bonus(policy, track, 100_000_000, complexity, difficulty, risk).value
    assert fen_str(value) == expected


def test_reserved_rounds_once(policy):
    # 123,456.78 × 0.5 % = 617.2839; × 1.1 × 1.2 = 814.814748 → 814.81 (base never rounded)
    value = reserved_bonus(policy, "implementation", 12345678, "technical", None, "high").value
    assert fen_str(value) == "814.81"
    # 3.01 × 0.5 % × 1.0 = 0.01505 → 0.02 (half-up on the exact product)
    assert fen_str(reserved_bonus(policy, "aftersales", 301).value) == "0.02"


def test_reserved_half_fen_rounds_up(policy):
    # 1.00 × 0.5 % = 0.005 → 0.01; 3.00 × 0.5 % = 0.015 → 0.02 (not to even)
    assert fen_str(reserved_bonus(policy, "aftersales", 100).value) == "0.01"
    assert fen_str(reserved_bonus(policy, "aftersales", 300).value) == "0.02"
    assert fen_str(reserved_bonus(policy, "aftersales", 500).value) == "0.03"


def test_reserved_refuses_unknown_coefficient(policy):
    with pytest.raises(UnknownCoefficient):
        reserved_bonus(policy, "presales", 100, "huge", "low", None)


@pytest.mark.parametrize(
    "track, means, complaint, poor, reasons",
    [
        ("implementation", {"schedule": 25, "quality": 20, "cost": 15}, False, False, ()),
        (
            "implementation",
            {"schedule": D("24.9"), "quality": 20, "cost": 15},
            False,
            False,
            ("schedule",),
        ),
        (
            "implementation",
            {"schedule": 30, "quality": D("19.99"), "cost": 14},
            False,
            False,
            ("quality", "cost"),
        ),
        ("presales", {}, True, False, ("complaint",)),
        ("presales", {}, False, True, ("poor_evaluation",)),
        ("aftersales", {"cost": D("14.9")}, False, True, ("cost", "poor_evaluation")),
        ("aftersales", {"cost": 15}, False, False, ()),
    ],
)
def test_vetoes(policy, track, means, complaint, poor, reasons):
    means = {k: D(v) for k, v in means.items()}
    assert vetoes(policy, track, means, complaint, poor).value == reasons


def test_implementation_has_no_flags(policy):
    with pytest.raises(FlagNotAllowed):
        vetoes(policy, "implementation", {"schedule": 30, "quality": 30, "cost": 20}, True, False)
    with pytest.raises(FlagNotAllowed):
        evaluate(policy, "implementation", Facts(poor_evaluation=True), {}, None)


def test_final_bonus(policy):
    assert fen_str(final_bonus(policy, 333, D(80), False).value) == "2.66"  # 2.664
    assert fen_str(final_bonus(policy, 1, D(40), False).value) == "0.00"  # 0.4 fen
    assert fen_str(final_bonus(policy, 5, D(50), False).value) == "0.03"  # 2.5 fen half-up
    assert fen_str(final_bonus(policy, 726000, D(100), True).value) == "0.00"


def test_split_without_engineers_keeps_the_rest_for_the_pool(policy):
    result = split(policy, 100001, "lead", D(60))
    assert [(a.role, fen_str(a.amount)) for a in result.value] == [("lead", "600.01")]  # 600.006


@pytest.mark.parametrize(
    "share, engineers, error",
    [
        (D("29.99"), [("e", D(1))], LeadShareOutOfRange),
        (D("60.01"), [("e", D(1))], LeadShareOutOfRange),
        ("abc", [("e", D(1))], LeadShareOutOfRange),
        (D("45.555"), [("e", D(1))], LeadSharePrecision),
        (D(40), [("e", D(0))], ContributionWeightInvalid),
        (D(40), [("e", D(-1))], ContributionWeightInvalid),
        (D(40), [("e", D(1)), ("e", D(1))], TeamMemberDuplicate),
        (D(40), [("lead", D(1))], TeamMemberDuplicate),
    ],
)
def test_split_refuses(policy, share, engineers, error):
    with pytest.raises(error):
        split(policy, 10000, "lead", share, engineers)


def test_missing_facts(policy):
    assert missing_facts(policy, "implementation", Facts()) == [
        "planned_days",
        "actual_days",
        "budget",
        "actual_cost",
        "ia_deducted",
        "ia_late_days",
    ]
    assert missing_facts(policy, "presales", Facts(planned_days=3)) == ["actual_days"]
    assert missing_facts(policy, "aftersales", Facts()) == ["budget", "actual_cost"]
    with pytest.raises(MissingFacts) as caught:
        require_facts(policy, "presales", Facts())
    assert caught.value.params["missing"] == "planned_days, actual_days"
    require_facts(policy, "presales", Facts(planned_days=3, actual_days=3))


def test_evaluate_partial_and_overrides(policy):
    facts = Facts(planned_days=60, actual_days=51)
    ev = evaluate(policy, "presales", facts, {"self": {"quality": D(50), "schedule": D(30)}}, None)
    assert not ev.complete and ev.composite is None and ev.final is None
    assert ev.totals == {"self": D(80)}
    assert ev.overrides == (("self", "schedule"),)
    assert set(ev.missing_scores) == {"sales", "commerce", "pm", "superior"}
    assert ev.missing_money == ("contract", "complexity", "difficulty")


def test_evaluate_without_team_puts_the_haircut_in_the_pool(policy):
    facts = Facts(
        contract=100_000_000,
        complexity="technical",
        difficulty="low",
        planned_days=1,
        actual_days=1,
    )
    scores = {s: {"quality": D(45)} for s in ("self", "sales", "commerce", "pm", "superior")}
    ev = evaluate(policy, "presales", facts, scores, None)
    assert (str(ev.composite), ev.grade) == ("75.00", "C")
    assert (fen_str(ev.reserved), fen_str(ev.final), fen_str(ev.pool)) == (
        "5500.00",
        "3300.00",
        "2200.00",
    )
    assert ev.allocations == ()


@pytest.mark.parametrize(
    "yuan, fen",
    [(D("0.005"), 1), (D("0.004"), 0), (D("1.235"), 124), (D("-1.235"), -124), (D("12"), 1200)],
)
def test_money_rounding(yuan, fen):
    assert to_fen(yuan) == fen
    assert round_half_up(yuan, 2) == D(fen).scaleb(-2)
