"""policy.md's worked examples E1–E3 entered through the CLI, approval, reopening, history,
and the binding of an assessment to the policy it was opened with."""

import pytest
from _meeting import (
    E1_FACTS,
    IMPL,
    add_department,
    approval,
    approve,
    implementation,
    new_project,
    show,
)


@pytest.fixture(autouse=True)
def department(td):
    add_department(td)


def money_of(doc):
    return {
        key: doc[key]
        for key in ("composite", "grade", "share", "reserved", "final", "pool", "director_award")
    }


def split_of(doc):
    return [(a["staff"], a["role"], a["amount"]) for a in doc["allocations"]]


def test_e1_built_with_the_cli(td):
    code = implementation(td)
    doc = show(td, code)
    assert money_of(doc) == {
        "composite": "84.00",
        "grade": "B",
        "share": "80",
        "reserved": "7260.00",
        "final": "5808.00",
        "pool": "1452.00",
        "director_award": "1742.40",
    }
    assert split_of(doc) == [
        ("zhaolei", "lead", "2323.20"),
        ("lijun", "engineer", "1161.60"),
        ("zhoupeng", "engineer", "2323.20"),
    ]
    assert doc["scorers"]["self"] == {
        "schedule": "31",
        "quality": "28",
        "cost": "18",
        "internal_acceptance": "8",
        "total": "85",
    }
    assert [doc["scorers"][s]["total"] for s in ("sales", "superior")] == ["83", "84"]
    assert [(i["key"], i["max"], i["objective"], i["computed"]) for i in doc["items"]] == [
        ("schedule", "40", True, "31"),
        ("quality", "30", False, None),
        ("cost", "20", True, "18"),
        ("internal_acceptance", "10", True, "8"),
    ]
    facts = doc["facts"]
    assert (facts["contract"], facts["budget"], facts["actual_cost"]) == (
        "1200000.00",
        "80000.00",
        "86000.00",
    )
    assert (facts["ia_deducted"], facts["ia_late_days"], facts["source"]) == (
        "0",
        2,
        "command-line",
    )
    assert doc["team"]["lead"] == {"staff": "zhaolei", "name": "赵磊", "share": "40"}
    assert (doc["status"], doc["version"], doc["quarter"], doc["vetoed"]) == (
        "open",
        1,
        None,
        False,
    )
    assert doc["policy"]["id"] == "v2.0-2014" and len(doc["policy"]["hash"]) == 64
    assert doc["approvals"] == {"director": None, "gm": None}

    approve(td, code)
    approved = show(td, code)
    assert money_of(approved) == money_of(doc)
    assert (approved["status"], approved["director"]) == ("approved", "wangjg")
    assert approved["approvals"]["director"] == {
        "by": "wangjg",
        "name": "王建国",
        "on": "2026-11-27",
    }
    assert approved["approvals"]["gm"]["by"] == "liuzm"


def test_e1_sheet_for_people(td):
    code = implementation(td)
    text = td("assess", "show", code, *IMPL).stdout
    for words in (
        "Implementation assessment sheet",
        "Project quality",
        "Total",
        "84.00",
        "¥5,808.00",
        "¥2,323.20",
        "¥1,161.60",
        "Technical department bonus pool",
        "¥1,452.00",
        "¥1,742.40",
        "赵磊",
    ):
        assert words in text, words
    explained = td("assess", "show", code, *IMPL, "--explain").stdout
    assert "Early %" in explained and "min(40, 30 + floor(e / 10))" in explained
    doc = td("assess", "show", code, *IMPL, "--json", "--explain").json()
    assert any(s["key"] == "step.composite" and s["output"] == "84.00" for s in doc["explain"])


def test_e2_presales_on_a_project_in_implementation(td):
    code = new_project(
        td,
        "南城区人民检察院审讯室",
        stage="implementation.preparation",
        contract="850,000.00",
        complexity="simple-standard",
        difficulty="high",
    )
    track = ("--track", "presales")
    td(
        "--as",
        "wangjg",
        "team",
        code,
        *track,
        "--lead",
        "hemin",
        "--lead-share",
        "60",
        "--engineer",
        "lijun",
        "--engineer",
        "zhoupeng",
        "--engineer",
        "wuhao",
    )
    td("assess", "open", code, *track, "--planned-days", "30", "--actual-days", "36")
    for scorer, quality in (
        ("self", 52),
        ("sales", 48),
        ("commerce", 50),
        ("pm", 45),
        ("superior", 47),
    ):
        td("score", code, *track, "--scorer", scorer, f"quality={quality}")
    approve(td, code, *track)
    doc = show(td, code, *track)
    assert (doc["composite"], doc["grade"], doc["reserved"], doc["final"]) == (
        "76.40",
        "C",
        "4590.00",
        "2754.00",
    )
    assert split_of(doc) == [
        ("hemin", "lead", "1652.40"),
        ("lijun", "engineer", "367.20"),
        ("zhoupeng", "engineer", "367.20"),
        ("wuhao", "engineer", "367.20"),
    ]
    assert (doc["pool"], doc["director_award"]) == ("1836.00", "826.20")
    assert doc["scorers"]["pm"]["total"] == "73"


def test_e3_cost_veto(td):
    code = implementation(td, actual_cost="104,001.00")
    approve(td, code)
    doc = show(td, code)
    assert (doc["composite"], doc["grade"], doc["final"], doc["pool"]) == (
        "80.00",
        "B",
        "0.00",
        "7260.00",
    )
    assert (doc["vetoed"], doc["veto_reasons"], doc["director_award"]) == (True, ["cost"], "0.00")
    assert [i["computed"] for i in doc["items"] if i["key"] == "cost"] == ["14"]
    text = td("assess", "show", code, *IMPL).stdout
    assert "mean Cost below the threshold" in text


def test_approval_order_and_roles(td):
    code = implementation(td)
    approval(td, "liuzm", code, expect=1, stderr="the technical director approves")
    first = "only the technical director takes the first approval"
    result = approval(td, "lijun", code, expect=1, stderr=first)
    assert len(result.stderr.strip().splitlines()) == 1
    td("assess", "approve", code, *IMPL, expect=1, stderr="technical director")
    assert show(td, code)["status"] == "open"

    td("--as", "wangjg", "assess", "approve", code, *IMPL)
    assert show(td, code)["status"] == "director-approved"
    second = "only the general manager takes the second approval"
    approval(td, "wangjg", code, expect=1, stderr=second)
    td("score", code, *IMPL, "--scorer", "self", "quality=20", expect=1, stderr="frozen")
    td("assess", "set", code, *IMPL, "--actual-days", "50", expect=1, stderr="frozen")
    td("--as", "wangjg", "team", code, *IMPL, "--lead", "zhaolei", expect=1, stderr="cannot change")
    assert show(td, code)["scorers"]["self"]["quality"] == "28"

    td("--as", "liuzm", "assess", "approve", code, *IMPL)
    assert show(td, code)["status"] == "approved"
    td("--as", "liuzm", "assess", "approve", code, *IMPL, expect=1, stderr="locked")
    td("score", code, *IMPL, "--scorer", "self", "quality=20", expect=1, stderr="locked")


def test_approval_needs_every_scorer(td):
    code = new_project(td, "甲")
    td("--as", "wangjg", "team", code, *IMPL, "--lead", "zhaolei", "--engineer", "lijun")
    td("assess", "open", code, *IMPL, *E1_FACTS)
    td("score", code, *IMPL, "--scorer", "self", "quality=28")
    approval(td, "wangjg", code, expect=1, stderr="not fully scored; missing: sales; superior")
    doc = show(td, code)
    assert (doc["composite"], doc["final"], doc["allocations"]) == (None, None, [])
    assert sorted(doc["missing_scores"]) == ["sales", "superior"]
    assert doc["scorers"]["sales"]["total"] is None


def test_reopen_keeps_the_approved_version(td):
    code = implementation(td)
    approve(td, code)
    td(
        "--as",
        "liuzm",
        "assess",
        "reopen",
        code,
        *IMPL,
        "--reason",
        "x",
        expect=1,
        stderr="technical director",
    )
    td("--as", "wangjg", "assess", "reopen", code, *IMPL, "--reason", "self quality mistyped")
    doc = show(td, code)
    assert (doc["status"], doc["version"], doc["approvals"]) == (
        "open",
        2,
        {"director": None, "gm": None},
    )
    td("score", code, *IMPL, "--scorer", "self", "quality=22")
    approve(td, code)
    assert show(td, code)["composite"] == "82.00"
    versions = td("assess", "history", code, *IMPL, "--json").json()
    assert [
        (v["version"], v["composite"], v["superseded"], v["reopen_reason"]) for v in versions
    ] == [
        (1, "84.00", True, "self quality mistyped"),
        (2, "82.00", False, None),
    ]
    assert "self quality mistyped" in td("assess", "history", code, *IMPL).stdout


def test_a_later_policy_change_changes_nothing(td, tmp_path, monkeypatch):
    from techdept.rules import default_policy_path

    code = implementation(td)
    approve(td, code)
    before = show(td, code)
    other = tmp_path / "v2.1.toml"
    text = default_policy_path().read_text("utf-8")
    text = text.replace('id = "v2.0-2014"', 'id = "v2.1-test"')
    text = text.replace("director_award = 30 ", "director_award = 50 ")
    text = text.replace("share = 80\n", "share = 90\n")
    assert "director_award = 50" in text and "share = 90" in text
    other.write_text(text, "utf-8")
    monkeypatch.setenv("TECHDEPT_POLICY", str(other))
    assert show(td, code) == before
    assert td("assess", "show", code, *IMPL, "--explain", "--json").json()["final"] == "5808.00"

    # an assessment opened now binds the new policy, and keeps it
    second = implementation(td)
    assert show(td, second)["policy"]["id"] == "v2.1-test"
    assert show(td, second)["final"] == "6534.00"  # 7260.00 × 90 %
    monkeypatch.delenv("TECHDEPT_POLICY")
    assert show(td, second)["director_award"] == "3267.00"  # 50 % of 6534.00
