"""The rules' words: zh and en catalogs agree, and cover every key the rules emit."""

from __future__ import annotations

import datetime as dt
import inspect
import re
import string
import tomllib
from decimal import Decimal as D
from pathlib import Path

import pytest

import techdept.rules.errors as rule_errors
from techdept.errors import TechdeptError
from techdept.rules import (
    Facts,
    TeamSpec,
    aftersales_slices,
    archiving_points,
    cost_points,
    evaluate,
    final_bonus,
    schedule_points,
    split,
)
from techdept.rules.policy import COEFFICIENT_TABLES

ROOT = Path(__file__).resolve().parents[2]
RULES_SRC = ROOT / "techdept" / "rules"
LINT_CODES = {
    "A1",
    "grade-gap",
    "grade-overlap",
    "grade-share",
    "rubric-sum",
    "rule-max",
    "share-range",
    "missing-coefficient",
    "payout-month",
    "invalid",
}


def _flat(table: dict, prefix: str = "") -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in table.items():
        if isinstance(value, dict):
            out.update(_flat(value, f"{prefix}{key}."))
        else:
            out[f"{prefix}{key}"] = value
    return out


def _catalog(lang: str) -> dict[str, str]:
    with (ROOT / "techdept" / "i18n" / lang / "rules.toml").open("rb") as fh:
        return _flat(tomllib.load(fh))


ZH, EN = _catalog("zh"), _catalog("en")


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_same_keys_in_both_languages():
    assert set(ZH) == set(EN)


@pytest.mark.parametrize("key", sorted(EN))
def test_same_placeholders(key):
    assert _placeholders(ZH[key]) == _placeholders(EN[key]), key
    assert ZH[key].strip() and EN[key].strip()


def _emitted_steps(policy) -> set[str]:
    facts = Facts(
        contract=120_000_000,
        complexity="technical",
        difficulty="high",
        risk="medium",
        planned_days=60,
        actual_days=51,
        budget=8_000_000,
        actual_cost=8_600_000,
        ia_deducted=D(0),
        ia_late_days=2,
    )
    quality = {"quality": D(27)}
    team = TeamSpec("lead", D(40), (("e1", D(1)), ("e2", D(2))))
    runs = [
        evaluate(
            policy,
            "implementation",
            facts,
            {s: quality for s in ("self", "sales", "superior")},
            team,
        ),
        evaluate(
            policy,
            "implementation",
            Facts(**{**facts.__dict__, "actual_cost": 10_400_100}),
            {s: quality for s in ("self", "sales", "superior")},
            team,
        ),
        evaluate(
            policy,
            "presales",
            Facts(**{**facts.__dict__, "actual_days": 72, "complaint": True}),
            {s: {"quality": D(50)} for s in ("self", "sales", "commerce", "pm", "superior")},
            TeamSpec("lead", D(60)),
        ),
        evaluate(
            policy,
            "aftersales",
            Facts(
                contract=200_000_000,
                budget=100,
                actual_cost=60,
                slice_amount=83_333,
                archiving_points=D(9),
            ),
            {s: {"timeliness": D(36), "quality": D(27)} for s in ("self", "sales", "superior")},
            None,
        ),
    ]
    steps = [s for ev in runs for s in ev.steps]
    steps += aftersales_slices(policy, 200_000_000, dt.date(2026, 1, 1), 36).steps
    steps += schedule_points(10, 10, policy).steps + cost_points(100, 100, policy).steps
    steps += archiving_points(2, policy).steps
    steps += final_bonus(policy, 100, D(80), True).steps
    steps += split(policy, 100, "lead", D(30)).steps
    return {s.key for s in steps}


def _source_steps() -> set[str]:
    keys: set[str] = set()
    for path in RULES_SRC.glob("*.py"):
        text = path.read_text(encoding="utf-8")
        keys |= set(re.findall(r'"(step\.[a-z_.]+[a-z_])"', text))
        if "step.coefficient.{table}" in text:
            keys |= {f"step.coefficient.{t}" for t in COEFFICIENT_TABLES}
    return keys


def test_every_step_key_has_a_label(policy):
    emitted = _emitted_steps(policy)
    assert {
        "step.base",
        "step.reserved",
        "step.aftersales.total",
        "step.split.lead_only",
    } <= emitted
    for key in emitted | _source_steps():
        assert key in EN and key in ZH, key


def test_every_rule_error_has_a_message():
    classes = [
        cls
        for _, cls in inspect.getmembers(rule_errors, inspect.isclass)
        if issubclass(cls, TechdeptError) and cls.__module__ == rule_errors.__name__
    ]
    assert len(classes) > 15
    for cls in classes:
        assert f"error.{cls.__name__}" in EN, cls.__name__


def test_every_lint_code_has_a_message():
    source = (RULES_SRC / "lint.py").read_text(encoding="utf-8")
    used = set(re.findall(r'_finding\(\s*"([A-Za-z0-9-]+)"', source)) | {"invalid"}
    assert used <= LINT_CODES
    for code in LINT_CODES:
        assert f"lint.{code}" in EN


def test_names_of_policy_things(policy):
    keys = {f"track.{t}" for t in policy.tracks}
    keys |= {f"scorer.{s}" for t in policy.tracks.values() for s in t.scorers}
    keys |= {f"grade.{g.grade}" for g in policy.grades}
    keys |= {f"complexity.{k}" for k in policy.complexity}
    keys |= {f"level.{k}" for k in (*policy.difficulty, *policy.risk)}
    keys |= {f"coefficient.{k}" for k in COEFFICIENT_TABLES}
    keys |= {f"flag.{f}" for t in policy.tracks.values() for f in t.flags}
    keys |= {
        f"position.{r}" for t in policy.tracks.values() for r in (t.lead_role, t.engineer_role)
    }
    keys |= {f"kind.{i.kind}" for t in policy.tracks.values() for i in t.items}
    keys |= {f"sanction.effect.{e}" for e in policy.sanction_effects.values()}
    keys |= {"allocation.lead", "allocation.engineer"}
    assert keys - set(EN) == set()


def test_real_terms_in_chinese():
    assert ZH["scorer.self"] == "自评" and ZH["scorer.commerce"] == "商务代表"
    assert ZH["scorer.pm"] == "项目经理" and ZH["scorer.superior"] == "上级考核"
    assert ZH["step.composite"] == "综合分数" and ZH["step.pool"] == "技术部奖金池"
    assert ZH["complexity.simple-basic"] == "简单型 · 简易庭"
