"""Sanctions (policy §5): three approved assessments in a row graded D or below."""

import pytest
from _meeting import (
    AFTERSALES,
    IMPL,
    add_department,
    approve,
    implementation,
    new_project,
    show,
    suspended_aftersales,
)

D_QUALITY = (8, 8, 8)  # 31 + 8 + 18 + 8 = 65 → D (and a quality veto, which changes nothing)


@pytest.fixture(autouse=True)
def department(td):
    add_department(td)


def graded_d(td, lead="zhaolei"):
    code = implementation(td, quality=D_QUALITY, lead=lead)
    approve(td, code)
    assert show(td, code)["grade"] == "D"
    return code


def lead_refused(td, code, stderr):
    """zhaolei refused as the implementation lead of ``code``, the refusal naming ``stderr``."""
    return td("--as", "wangjg", "team", code, *IMPL, "--lead", "zhaolei", expect=1, stderr=stderr)


def test_three_d_as_project_manager_and_the_lift(td):
    codes = [graded_d(td) for _ in range(3)]
    fourth = new_project(td, "第四个项目")
    result = lead_refused(
        td, fourth, "is sanctioned on Implementation (May no longer be project manager)"
    )
    assert len(result.stderr.strip().splitlines()) == 1
    for code in codes:
        assert f"{code} implementation" in result.stderr
    # still allowed as an engineer, and on other tracks
    td("--as", "wangjg", "team", fourth, *IMPL, "--lead", "lijun", "--engineer", "zhaolei")
    td("--as", "wangjg", "team", fourth, "--track", "aftersales", "--lead", "zhaolei")

    listed = td("staff", "sanctions", "--json").json()
    assert [(s["staff"], s["track"], s["effect"]) for s in listed] == [
        ("zhaolei", "implementation", "no_project_manager")
    ]
    assert [a["project"] for a in listed[0]["assessments"]] == codes
    assert [a["grade"] for a in listed[0]["assessments"]] == ["D", "D", "D"]
    assert "May no longer be project manager" in td("staff", "sanctions").stdout

    td(
        "--as",
        "liuzm",
        "staff",
        "lift-sanction",
        "zhaolei",
        *IMPL,
        "--reason",
        "trained",
        expect=1,
        stderr="technical director",
    )
    td(
        "--as",
        "wangjg",
        "staff",
        "lift-sanction",
        "lijun",
        *IMPL,
        "--reason",
        "x",
        expect=1,
        stderr="has no sanction on implementation",
    )
    td(
        "--as",
        "wangjg",
        "staff",
        "lift-sanction",
        "zhaolei",
        *IMPL,
        "--reason",
        "completed project management training",
    )
    assert td("staff", "sanctions", "--json").json() == []
    td("--as", "wangjg", "team", fourth, *IMPL, "--lead", "zhaolei")

    # only assessments approved after the lift count towards a new sanction, and a better
    # grade breaks the run
    graded_d(td)
    graded_d(td)
    assert td("staff", "sanctions", "--json").json() == []
    approve(td, implementation(td))
    graded_d(td)
    assert td("staff", "sanctions", "--json").json() == []
    td("--as", "wangjg", "team", new_project(td, "第五个项目"), *IMPL, "--lead", "zhaolei")


def test_engineers_count_on_aftersales(td):
    code = suspended_aftersales(td)  # each quarter graded D, asserted there
    track = AFTERSALES
    listed = td("staff", "sanctions", "--json").json()
    assert [(s["staff"], s["track"]) for s in listed] == [
        ("lijun", "aftersales"),
        ("sunhui", "aftersales"),
    ]
    assert [a["quarter"] for a in listed[0]["assessments"]] == ["2026Q1", "2026Q2", "2026Q3"]
    result = td(
        "--as",
        "wangjg",
        "team",
        code,
        *track,
        "--lead",
        "zhaolei",
        "--engineer",
        "lijun",
        expect=1,
        stderr="Suspended from after-sales work",
    )
    assert f"{code} aftersales 2026Q1" in result.stderr
    td("--as", "wangjg", "team", code, *track, "--lead", "zhaolei", "--engineer", "wuhao")
    # an implementation team may still have them
    td("--as", "wangjg", "team", code, *IMPL, "--lead", "sunhui", "--engineer", "lijun")


def test_sanction_found_among_other_leads_approvals(td):
    """team reads only the approvals naming the people it checks; others' approvals in between
    (a lead whose code starts like the sanctioned one's included) change nothing."""
    td("--as", "zhangli", "staff", "add", "赵磊二", "--code", "zhaolei2", "--role", "impl-manager")
    codes = []
    for _ in range(3):
        codes.append(graded_d(td))
        approve(td, implementation(td, lead="zhaolei2"))
    fourth = new_project(td, "第四个项目")
    result = lead_refused(td, fourth, "is sanctioned")
    assert all(f"{code} implementation" in result.stderr for code in codes)
    td("--as", "wangjg", "team", fourth, *IMPL, "--lead", "zhaolei2")  # good grades: not sanctioned
