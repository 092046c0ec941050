"""The gates of `project advance`: a missing document is named and nothing changes; reviews
only by the next role of the chain; --force only by the director, with a reason, audited."""

import pytest
from _lifecycle import add_department, checklist, file_current_stage


@pytest.fixture
def project(td):
    add_department(td)
    return td(
        "project",
        "new",
        "江北区人民法院数字法庭",
        "--customer",
        "江北区人民法院",
        "--sales",
        "qianli",
        "--json",
    ).json()["code"]


def stage(td, code):
    return td("project", "show", code, "--json").json()["stage"]


def test_one_missing_document_is_named_and_nothing_changes(td, project):
    td("--as", "hemin", "project", "deliver", project, "requirements")
    result = td(
        "project",
        "advance",
        project,
        expect=1,
        stderr="1 thing(s) missing — Site survey form (site-survey) not filed",
    )
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Customer requirements statement" not in result.stderr
    assert stage(td, project) == "presales.contact"
    assert td("project", "history", project, "--json").json()[-1]["to"] == "presales.contact"
    td("--as", "hemin", "project", "deliver", project, "site-survey")
    td("project", "advance", project)
    assert stage(td, project) == "presales.consultation"


def test_missing_in_chinese(td, project, monkeypatch):
    monkeypatch.setenv("TECHDEPT_LANG", "zh")
    result = td("project", "advance", project, expect=1, stderr="还缺 2 项")
    assert "客户需求说明书 (requirements) 未提交" in result.stderr


def walk_to_tracking(td, code):
    for _ in range(2):
        file_current_stage(td, code)
        td("project", "advance", code)
    assert stage(td, code) == "presales.tracking"


def test_review_by_the_wrong_role_is_refused_naming_the_role(td, project):
    walk_to_tracking(td, project)
    td("--as", "hemin", "project", "deliver", project, "technical-solution")
    td(
        "--as",
        "liuzm",
        "project",
        "review",
        project,
        "technical-solution",
        "--approve",
        expect=1,
        stderr="the next review of technical-solution is by technical director",
    )
    td("--as", "wangjg", "project", "review", project, "technical-solution", "--approve")
    # the next step is the project's own sales rep: another sales rep is refused
    td(
        "--as",
        "fengtao",
        "project",
        "review",
        project,
        "technical-solution",
        "--approve",
        expect=1,
        stderr="the project's sales representative (qianli)",
    )
    td(
        "--as",
        "wangjg",
        "project",
        "review",
        project,
        "technical-solution",
        "--approve",
        expect=1,
        stderr="the project's sales representative (qianli)",
    )
    td(
        "project",
        "review",
        project,
        "technical-solution",
        "--approve",
        expect=1,
        stderr="the project's sales representative",
    )
    td("--as", "qianli", "project", "review", project, "technical-solution", "--approve")
    item = checklist(td, project)["stages"][0]["deliverables"][0]
    assert (item["status"], item["waiting_for"]) == ("pending", "gm")
    td("--as", "liuzm", "project", "review", project, "technical-solution", "--approve")
    td(
        "--as",
        "liuzm",
        "project",
        "review",
        project,
        "technical-solution",
        "--approve",
        expect=1,
        stderr="already approved",
    )
    td("project", "review", project, "case-demo", "--approve", expect=1, stderr="no review chain")
    td(
        "project",
        "review",
        project,
        "product-list",
        "--approve",
        expect=1,
        stderr="has not been filed yet",
    )
    td("project", "review", project, "product-list", expect=2, stderr="--approve or --reject")


def test_a_rejection_sends_the_document_back(td, project):
    walk_to_tracking(td, project)
    td("--as", "xuyan", "project", "deliver", project, "final-solution")
    td(
        "--as",
        "wangjg",
        "project",
        "review",
        project,
        "final-solution",
        "--reject",
        expect=1,
        stderr="--reject needs --note",
    )
    review = td(
        "--as",
        "wangjg",
        "project",
        "review",
        project,
        "final-solution",
        "--reject",
        "--note",
        "报价不全",
        "--json",
    ).json()
    assert (review["decision"], review["status"]) == ("rejected", "rejected")
    td(
        "--as",
        "liuzm",
        "project",
        "review",
        project,
        "final-solution",
        "--approve",
        expect=1,
        stderr="was rejected; file it again",
    )
    td(
        "project",
        "advance",
        project,
        expect=1,
        stderr="Final solution (issued by commerce) (final-solution) was rejected",
    )
    again = td("--as", "xuyan", "project", "deliver", project, "final-solution", "--json").json()
    assert (again["version"], again["waiting_for"]) == (2, "director")


def test_sales_step_needs_a_sales_rep(td):
    add_department(td)
    code = td(
        "project",
        "new",
        "无销售项目",
        "--customer",
        "某院",
        "--stage",
        "presales.tracking",
        "--json",
    ).json()["code"]
    td("project", "deliver", code, "product-list")
    td("--as", "wangjg", "project", "review", code, "product-list", "--approve")
    td(
        "--as",
        "qianli",
        "project",
        "review",
        code,
        "product-list",
        "--approve",
        expect=1,
        stderr="none is set ('project set --sales')",
    )


def test_force_is_for_the_director_with_a_reason_and_is_audited(td, project):
    td(
        "--as",
        "chenxq",
        "project",
        "advance",
        project,
        "--force",
        "--reason",
        "急",
        expect=1,
        stderr="only the technical director with --force",
    )
    td(
        "project",
        "advance",
        project,
        "--force",
        "--reason",
        "急",
        expect=1,
        stderr="technical director",
    )
    td(
        "--as",
        "wangjg",
        "project",
        "advance",
        project,
        "--force",
        expect=1,
        stderr="--force needs --reason",
    )
    assert stage(td, project) == "presales.contact"
    done = td(
        "--as",
        "wangjg",
        "project",
        "advance",
        project,
        "--force",
        "--reason",
        "客户已口头确认需求",
        "--json",
    ).json()
    assert done["forced"] is True
    assert done["to"] == "presales.consultation"
    assert any("site-survey" in m for m in done["overridden"])
    last = td("project", "history", project, "--json").json()[-1]
    assert (last["by"], last["forced"], last["reason"]) == ("wangjg", True, "客户已口头确认需求")


def test_lost_needs_a_reason_and_only_before_won(td, project):
    td("project", "advance", project, "--to", "presales.lost", expect=1, stderr="needs --reason")
    td("project", "advance", project, "--to", "lost", "--reason", "价格未中标")
    assert stage(td, project) == "presales.lost"
    td("project", "advance", project, expect=1, stderr="end of the project's life")
    late = td(
        "project",
        "new",
        "已签项目",
        "--customer",
        "某院",
        "--contract",
        "100000",
        "--stage",
        "presales.won",
        "--json",
    ).json()["code"]
    td(
        "project",
        "advance",
        late,
        "--to",
        "presales.lost",
        "--reason",
        "x",
        expect=1,
        stderr="before 'won' can be lost",
    )
    td(
        "project",
        "advance",
        late,
        "--to",
        "presales.contact",
        expect=1,
        stderr="projects only move forward",
    )


def test_jumping_ahead_needs_every_stage_in_between(td, project):
    result = td("project", "advance", project, "--to", "presales.tracking", expect=1)
    assert "site-survey" in result.stderr and "configuration-list" in result.stderr
    assert "technical-solution" not in result.stderr


def test_a_project_entered_mid_way_is_not_asked_for_earlier_records(td):
    add_department(td)
    code = td(
        "project",
        "new",
        "已在售后",
        "--customer",
        "某院",
        "--contract",
        "500000",
        "--stage",
        "aftersales.handover",
        "--json",
    ).json()["code"]
    items = checklist(td, code)["stages"][0]
    assert [i["doc"] for i in items["deliverables"]] == [
        "handover-documents",
        "service-file",
        "om-arrangements",
    ]
    assert {c["kind"] for c in items["conditions"]} == {"service_start", "service_months"}
    td("project", "deliver", code, "handover-documents")
    td("--as", "sunhui", "project", "review", code, "handover-documents", "--approve")
    td("project", "deliver", code, "service-file")
    td("project", "deliver", code, "om-arrangements")
    td("project", "advance", code, expect=1, stderr="the service start")
    td("project", "set", code, "--service-start", "2026-10-01", "--service-months", "24")
    td("project", "advance", code)
    assert stage(td, code) == "aftersales.operation"
