"""policy.md §7, worked examples E1–E8, reproduced to the fen."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from techdept.rules import (
    Facts,
    TeamSpec,
    aftersales_slices,
    allocate_largest_remainder,
    base_bonus,
    composite,
    cost_points,
    director_award,
    evaluate,
    evaluation_to_dict,
    fen_str,
    final_bonus,
    grade,
    internal_acceptance_points,
    pool_amount,
    reserved_bonus,
    schedule_points,
    split,
)


def yuan(text: str) -> int:
    """'1,200,000.00' → fen."""
    whole, _, frac = text.replace(",", "").partition(".")
    return int(whole) * 100 + int(frac.ljust(2, "0"))


def money(values):
    return [fen_str(v) for v in values]


# ---------------------------------------------------------------- E1 / E3 implementation

E1_FACTS = Facts(
    contract=yuan("1,200,000.00"),
    complexity="technical",
    risk="medium",
    planned_days=60,
    actual_days=51,
    budget=yuan("80,000.00"),
    actual_cost=yuan("86,000.00"),
    ia_deducted=D(0),
    ia_late_days=2,
)
E1_SCORES = {
    "self": {"quality": D(28)},
    "sales": {"quality": D(26)},
    "superior": {"quality": D(27)},
}
E1_TEAM = TeamSpec("pm", D(40), (("eng1", D(1)), ("eng2", D(2))))
E3_FACTS = Facts(**{**E1_FACTS.__dict__, "actual_cost": yuan("104,001.00")})

E2_FACTS = Facts(
    contract=yuan("850,000.00"),
    complexity="simple-standard",
    difficulty="high",
    planned_days=30,
    actual_days=36,
)
E2_SCORES = {
    "self": {"quality": D(52)},
    "sales": {"quality": D(48)},
    "commerce": {"quality": D(50)},
    "pm": {"quality": D(45)},
    "superior": {"quality": D(47)},
}
E2_TEAM = TeamSpec("lead", D(60), (("a", D(1)), ("b", D(1)), ("c", D(1))))


def test_e1_through_the_rules(policy):
    assert str(base_bonus(policy, E1_FACTS.contract).value) == "6000.00"
    reserved = reserved_bonus(
        policy, "implementation", E1_FACTS.contract, "technical", None, "medium"
    )
    assert fen_str(reserved.value) == "7260.00"
    assert str(schedule_points(60, 51, policy).value) == "31"
    assert schedule_points(60, 51, policy).steps[0].output == "15"
    cost = cost_points(yuan("80000"), yuan("86000"), policy)
    assert (cost.steps[0].output, str(cost.value)) == ("7.5", "18")
    assert str(internal_acceptance_points(D(0), 2, policy).value) == "8"
    totals = {"self": D(85), "sales": D(83), "superior": D(84)}
    comp = composite(policy, "implementation", totals).value
    assert str(comp) == "84.00"
    assert grade(policy, comp).value == ("B", D(80))
    final = final_bonus(policy, reserved.value, D(80), vetoed=False).value
    assert fen_str(final) == "5808.00"
    allocations = split(policy, final, "pm", D(40), [("eng1", D(1)), ("eng2", D(2))]).value
    assert [(a.staff, a.role, fen_str(a.amount)) for a in allocations] == [
        ("pm", "lead", "2323.20"),
        ("eng1", "engineer", "1161.60"),
        ("eng2", "engineer", "2323.20"),
    ]
    assert fen_str(pool_amount(reserved.value, allocations).value) == "1452.00"
    assert fen_str(director_award(policy, final).value) == "1742.40"


def test_e1_through_evaluate(policy):
    ev = evaluate(policy, "implementation", E1_FACTS, E1_SCORES, E1_TEAM)
    doc = evaluation_to_dict(ev)
    assert doc["base"] == "6000.00"
    assert doc["reserved"] == "7260.00"
    assert doc["objective"] == {"schedule": "31", "cost": "18", "internal_acceptance": "8"}
    assert {s: v["total"] for s, v in doc["scorers"].items()} == {
        "self": "85",
        "sales": "83",
        "superior": "84",
    }
    assert (doc["composite"], doc["grade"], doc["share"]) == ("84.00", "B", "80")
    assert (doc["final"], doc["pool"], doc["director_award"]) == ("5808.00", "1452.00", "1742.40")
    assert doc["vetoed"] is False
    assert doc["allocations"] == [
        {"staff": "pm", "role": "lead", "amount": "2323.20"},
        {"staff": "eng1", "role": "engineer", "amount": "1161.60"},
        {"staff": "eng2", "role": "engineer", "amount": "2323.20"},
    ]
    keys = [s.key for s in ev.steps]
    order = ["step.base", "step.reserved", "step.schedule.points", "step.total", "step.composite"]
    order += ["step.grade", "step.veto.result", "step.final.amount", "step.split.amount"]
    order += ["step.pool", "step.director_award"]
    assert [k for k in keys if k in order] == sorted(
        [k for k in keys if k in order], key=order.index
    )


def test_e2_through_the_rules(policy, literal_policy):
    reserved = reserved_bonus(policy, "presales", yuan("850000"), "simple-standard", "high", None)
    assert fen_str(reserved.value) == "4590.00"
    assert str(schedule_points(30, 36, policy).value) == "28"
    totals = {"self": D(80), "sales": D(76), "commerce": D(78), "pm": D(73), "superior": D(75)}
    comp = composite(policy, "presales", totals).value
    assert str(comp) == "76.40"
    assert grade(policy, comp).value[0] == "C"
    literal = composite(literal_policy, "presales", totals).value
    assert (str(literal), grade(literal_policy, literal).value[0]) == ("95.50", "A")
    final = final_bonus(policy, reserved.value, D(60), vetoed=False).value
    assert fen_str(final) == "2754.00"
    allocations = split(policy, final, "lead", D(60), [("a", D(1)), ("b", D(1)), ("c", D(1))])
    assert money(a.amount for a in allocations.value) == ["1652.40", "367.20", "367.20", "367.20"]
    assert fen_str(pool_amount(reserved.value, allocations.value).value) == "1836.00"
    assert fen_str(director_award(policy, final).value) == "826.20"


def test_e2_through_evaluate(policy, literal_policy):
    doc = evaluation_to_dict(evaluate(policy, "presales", E2_FACTS, E2_SCORES, E2_TEAM))
    assert doc["reserved"] == "4590.00"
    assert doc["objective"] == {"schedule": "28"}
    assert [v["total"] for v in doc["scorers"].values()] == ["80", "76", "78", "73", "75"]
    assert (doc["composite"], doc["grade"], doc["final"]) == ("76.40", "C", "2754.00")
    assert [a["amount"] for a in doc["allocations"]] == ["1652.40", "367.20", "367.20", "367.20"]
    assert (doc["pool"], doc["director_award"]) == ("1836.00", "826.20")
    trap = evaluation_to_dict(evaluate(literal_policy, "presales", E2_FACTS, E2_SCORES, E2_TEAM))
    assert (trap["composite"], trap["grade"]) == ("95.50", "A")


def test_e3_cost_veto_through_the_rules(policy):
    cost = cost_points(yuan("80000"), yuan("104001"), policy)
    assert (cost.steps[0].output, str(cost.value)) == ("30.00125", "14")
    reserved = reserved_bonus(
        policy, "implementation", E1_FACTS.contract, "technical", None, "medium"
    )
    final = final_bonus(policy, reserved.value, D(80), vetoed=True).value
    assert fen_str(final) == "0.00"
    assert fen_str(director_award(policy, final).value) == "0.00"


def test_e3_through_evaluate(policy):
    ev = evaluate(policy, "implementation", E3_FACTS, E1_SCORES, E1_TEAM)
    doc = evaluation_to_dict(ev)
    assert doc["objective"]["cost"] == "14"
    assert [v["total"] for v in doc["scorers"].values()] == ["81", "79", "80"]
    assert (doc["composite"], doc["grade"]) == ("80.00", "B")
    assert doc["vetoed"] is True and doc["veto_reasons"] == ["cost"]
    assert (doc["final"], doc["pool"], doc["director_award"]) == ("0.00", "7260.00", "0.00")
    assert all(a["amount"] == "0.00" for a in doc["allocations"])


# ---------------------------------------------------------------- E4 after-sales

E4_CONTRACT = yuan("2,000,000.00")


def test_e4_slices(policy):
    assert str(base_bonus(policy, E4_CONTRACT).value) == "10000.00"
    slices = aftersales_slices(policy, E4_CONTRACT, dt.date(2026, 1, 15), 36, "calendar").value
    assert len(slices) == 12
    assert money(s.amount for s in slices) == ["833.33"] * 11 + ["833.37"]
    assert slices[0].quarter == "2026Q1" and slices[-1].quarter == "2028Q4"
    assert sum(s.amount for s in slices) == yuan("10000")


def test_e4_quarter_through_evaluate(policy):
    first = aftersales_slices(policy, E4_CONTRACT, dt.date(2026, 1, 15), 36, "calendar").value[0]
    facts = Facts(
        contract=E4_CONTRACT,
        budget=yuan("10000"),
        actual_cost=yuan("10000"),
        slice_amount=first.amount,
    )
    sheet = {"timeliness": D(36), "quality": D(27), "archiving": D(8)}
    scores = {"self": sheet, "sales": sheet, "superior": sheet}
    team = TeamSpec("lead", D(50), (("eng", D(1)),))
    doc = evaluation_to_dict(evaluate(policy, "aftersales", facts, scores, team))
    assert doc["aftersales_total"] == "10000.00"
    assert (doc["composite"], doc["grade"], doc["reserved"], doc["final"]) == (
        "91.00",
        "A",
        "833.33",
        "833.33",
    )
    # 416.665 each: the tie goes to the lead, listed first
    assert [a["amount"] for a in doc["allocations"]] == ["416.67", "416.66"]
    assert (doc["pool"], doc["director_award"]) == ("0.00", "250.00")


# ---------------------------------------------------------------- E5 E6 E7 E8


@pytest.mark.parametrize(
    "shares",
    [
        [D(100000) / 3] * 3,
        [D("33333.33333333333333333333333")] * 3,
    ],
)
def test_e5_fen_rounding(shares):
    assert money(allocate_largest_remainder(yuan("1000.00"), shares)) == [
        "333.34",
        "333.33",
        "333.33",
    ]


@pytest.mark.parametrize(
    "actual, points",
    [
        ("83,999", 20),
        ("84,000", 18),
        ("96,000", 18),
        ("96,001", 16),
        ("104,000", 16),
        ("104,001", 14),
        ("64,000", 19),
        ("60,000", 18),
        ("40,000", 16),
        ("0", 11),
    ],
)
def test_e6_rule_c_table(policy, actual, points):
    assert cost_points(yuan("80,000.00"), yuan(actual), policy).value == points


@pytest.mark.parametrize(
    "planned, actual, points", [(60, 51, 31), (30, 36, 28), (60, 90, 25), (60, 96, 24)]
)
def test_e7_rule_s_table(policy, planned, actual, points):
    assert schedule_points(planned, actual, policy).value == points


def test_e8_joint_largest_remainder(policy):
    shares = [D("35000.35"), D("32500.325"), D("32500.325")]
    assert money(allocate_largest_remainder(yuan("1000.01"), shares)) == [
        "350.01",
        "325.00",
        "325.00",
    ]
    result = split(policy, yuan("1,000.01"), "lead", D(35), [("e1", D(1)), ("e2", D(1))])
    assert money(a.amount for a in result.value) == ["350.01", "325.00", "325.00"]
    exact = [s.output for s in result.steps if s.key == "step.split.exact"]
    assert exact == ["350.0035", "325.00325", "325.00325"]
