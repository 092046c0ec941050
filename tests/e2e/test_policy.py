"""`techdept policy`: show, lint and what-if explain, as a user before a meeting would."""

from pathlib import Path

import pytest

import techdept

LITERAL = Path(techdept.__file__).parent.parent / "data" / "policies" / "v2.0-2014-literal.toml"

E1 = [
    "policy",
    "explain",
    "--track",
    "implementation",
    "--contract",
    "1200000",
    "--complexity",
    "technical",
    "--risk",
    "medium",
    "--planned-days",
    "60",
    "--actual-days",
    "51",
    "--budget",
    "80000",
    "--actual-cost",
    "86000",
    "--ia-deducted",
    "0",
    "--ia-late-days",
    "2",
    "--scores",
    "self:schedule=31,quality=28,cost=18,internal_acceptance=8",
    "--scores",
    "sales:quality=26",
    "--scores",
    "superior:quality=27",
    "--lead",
    "PM",
    "--lead-share",
    "40",
    "--engineer",
    "A:1",
    "--engineer",
    "B:2",
]
E2 = [
    "policy",
    "explain",
    "--track",
    "presales",
    "--contract",
    "850,000.00",
    "--complexity",
    "simple-standard",
    "--difficulty",
    "high",
    "--planned-days",
    "30",
    "--actual-days",
    "36",
    "--scores",
    "self:quality=52",
    "--scores",
    "sales:quality=48",
    "--scores",
    "commerce:quality=50",
    "--scores",
    "pm:quality=45",
    "--scores",
    "superior:quality=47",
    "--lead",
    "L",
    "--lead-share",
    "60",
    "--engineer",
    "a",
    "--engineer",
    "b",
    "--engineer",
    "c",
]


def test_explain_e1_json(td):
    doc = td(*E1, "--json").json()
    assert (doc["composite"], doc["grade"], doc["reserved"], doc["final"]) == (
        "84.00",
        "B",
        "7260.00",
        "5808.00",
    )
    assert (doc["pool"], doc["director_award"]) == ("1452.00", "1742.40")
    assert [(a["staff"], a["amount"]) for a in doc["allocations"]] == [
        ("PM", "2323.20"),
        ("A", "1161.60"),
        ("B", "2323.20"),
    ]
    assert doc["policy"]["id"] == "v2.0-2014"
    assert [s["key"] for s in doc["steps"]][:2] == ["step.base", "step.coefficient.complexity"]


@pytest.mark.parametrize(
    "lang, words",
    [
        (
            "en",
            [
                "Composite",
                "84.00",
                "¥5,808.00",
                "¥1,452.00",
                "¥1,742.40",
                "Reserved bonus",
                "¥2,323.20",
                "¥1,161.60",
                "How it was computed",
                "min(40, 30 + floor(e / 10))",
            ],
        ),
        (
            "zh",
            [
                "综合分数",
                "84.00",
                "¥5,808.00",
                "技术部奖金池",
                "¥1,452.00",
                "¥1,742.40",
                "预定奖金",
                "¥2,323.20",
                "¥1,161.60",
                "计算过程",
            ],
        ),
    ],
)
def test_explain_e1_for_people(td, monkeypatch, lang, words):
    monkeypatch.setenv("TECHDEPT_LANG", lang)
    text = td(*E1).stdout
    for word in words:
        assert word in text, word


def test_explain_e2_and_the_literal_trap(td, monkeypatch):
    doc = td(*E2, "--json").json()
    assert (doc["composite"], doc["grade"], doc["final"], doc["pool"]) == (
        "76.40",
        "C",
        "2754.00",
        "1836.00",
    )
    assert [a["amount"] for a in doc["allocations"]] == ["1652.40", "367.20", "367.20", "367.20"]
    monkeypatch.setenv("TECHDEPT_POLICY", str(LITERAL))
    literal = td(*E2, "--json").json()
    assert (literal["composite"], literal["grade"]) == ("95.50", "A")
    assert literal["policy"]["id"] == "v2.0-2014-literal"


def test_explain_e3_veto(td):
    args = [a if a != "86000" else "104001.00" for a in E1]
    args = [a.replace("cost=18", "cost=14") for a in args]
    doc = td(*args, "--json").json()
    assert (doc["vetoed"], doc["veto_reasons"], doc["grade"], doc["final"]) == (
        True,
        ["cost"],
        "B",
        "0.00",
    )
    assert (doc["pool"], doc["director_award"]) == ("7260.00", "0.00")


def test_explain_aftersales_slice(td):
    doc = td(
        "policy",
        "explain",
        "--track",
        "aftersales",
        "--contract",
        "2000000",
        "--service-months",
        "36",
        "--slice",
        "12",
        "--budget",
        "1000",
        "--actual-cost",
        "1000",
        "--scores",
        "self:timeliness=40,quality=27,archiving=10",
        "--scores",
        "sales:timeliness=40,quality=27,archiving=10",
        "--scores",
        "superior:timeliness=40,quality=27,archiving=10",
        "--json",
    ).json()
    assert (doc["composite"], doc["grade"], doc["reserved"], doc["final"]) == (
        "97.00",
        "A",
        "833.37",
        "833.37",
    )


@pytest.mark.parametrize(
    "extra, message",
    [
        (["--scores", "self=quality"], "is not a score sheet"),
        (["--scores", "boss:quality=3"], "boss"),
        (["--scores", "self:quality=31"], "quality"),
        (["--scores", "self:beauty=3"], "beauty"),
        (["--lead-share", "75"], "lead share"),
        (["--contract", "1e6"], "--contract"),
    ],
)
def test_explain_refusals(td, extra, message):
    result = td(*E1, *extra, expect=1)
    assert message.lower() in result.stderr.lower(), result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_show(td, monkeypatch):
    doc = td("policy", "show", "--json").json()
    assert doc["id"] == "v2.0-2014" and len(doc["hash"]) == 64
    assert doc["tracks"]["presales"]["composite_divisor"] == 5
    monkeypatch.setenv("TECHDEPT_LANG", "zh")
    text = td("policy", "show").stdout
    for word in ("售前", "实施", "售后", "项目工期", "公司内验", "技术复杂型", "推定"):
        assert word in text, word


def test_lint(td, tmp_path):
    assert "no findings" in td("policy", "lint").stdout
    literal = td("policy", "lint", str(LITERAL), expect=1).stdout.strip().splitlines()
    assert len(literal) == 1 and literal[0].startswith("A1")
    broken = tmp_path / "broken.toml"
    broken.write_text(
        LITERAL.read_text("utf-8")
        .replace('id = "v2.0-2014-literal"\n', "")
        .replace("window_days = 7", 'window_days = "seven"'),
        "utf-8",
    )
    result = td("policy", "lint", str(broken), expect=1)
    lines = result.stdout.strip().splitlines()
    assert any("id: missing" in line for line in lines)
    assert any("window_days" in line for line in lines)
    assert "Traceback" not in result.stdout + result.stderr


def test_broken_active_policy_is_one_line(td, tmp_path, monkeypatch):
    broken = tmp_path / "broken.toml"
    broken.write_text("[policy]\nid = 3\n", "utf-8")
    monkeypatch.setenv("TECHDEPT_POLICY", str(broken))
    result = td("project", "new", "甲", "--customer", "乙", expect=1, stderr="is not valid")
    assert len(result.stderr.strip().splitlines()) == 1
