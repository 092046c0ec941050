"""A seeded quarter: the ticket figures and archiving points match hand-computed values,
the recorded budget and actual feed the after-sales assessment, which computes archiving."""

import pytest
from _lifecycle import add_department, aftersales_project, ticket
from _meeting import aftersales_team
from _tickets import new_ticket


def step(td, who, *args):
    return ticket(td, who, *args, "--json").json()


def on_site(td, tid, visit, signed_at, archived=None):
    step(td, "lijun", "call", tid, "--not-solved", "--note", "需要上门")
    step(td, "lijun", "trip", tid, "--from", visit, "--to", visit, "--purpose", "上门维修")
    step(td, "fengtao", "approve-trip", tid)
    step(td, "sunhui", "approve-trip", tid)
    step(td, "lijun", "visit", tid, "--date", visit, "--work-done", "更换功放")
    if signed_at:
        step(td, "lijun", "customer-sign", tid, "--name", "王法官", "--date", visit)
        step(td, "sunhui", "manager-sign", tid, "--at", signed_at)
    if archived:
        step(td, "sunhui", "archive", tid, "--date", archived)


def new(td, project, at, *extra):
    return new_ticket(td, project, at, *extra, symptom="录音无声")["id"]


@pytest.fixture
def quarter(td):
    add_department(td)
    td("staff", "add", "周敏", "--code", "zhoumin", "--role", "finance")
    code = aftersales_project(td)
    # 1: by phone — 1 h to assign, 2.5 h to close, archived 3 days after the call
    t1 = new(td, code, "2026-10-05 08:00")
    step(td, "sunhui", "assign", t1, "--engineer", "lijun", "--at", "2026-10-05 09:00")
    step(td, "lijun", "call", t1, "--solved", "--note", "重启服务", "--at", "2026-10-05 10:30")
    step(td, "sunhui", "archive", t1, "--date", "2026-10-08")
    # 2: on site — 3 h to assign, 48 h to close, archived 9 days after the visit (late)
    t2 = new(td, code, "2026-11-02 09:00")
    step(td, "sunhui", "assign", t2, "--engineer", "lijun", "--at", "2026-11-02 12:00")
    on_site(td, t2, "2026-11-03", "2026-11-04 09:00", "2026-11-12")
    # 3: on site — 0.5 h to assign, visited 11-15, not archived 12 days on (late)
    t3 = new(td, code, "2026-11-10 14:00")
    step(td, "sunhui", "assign", t3, "--engineer", "lijun", "--at", "2026-11-10 14:30")
    on_site(td, t3, "2026-11-15", None)
    # 4: out of warranty (before the service period): counts in no quarter
    t4 = new(td, code, "2026-09-30 16:00", "--out-of-warranty")
    step(td, "sunhui", "assign", t4, "--engineer", "lijun", "--at", "2026-10-01 09:00")
    return code


def test_figures_match_the_hand_computed_values(td, quarter):
    [doc] = td("report", "tickets", "--quarter", "2026Q4", "--json").json()
    assert {k: doc[k] for k in doc if k not in ("project_name", "as_of")} == {
        "project": quarter,
        "quarter": "2026Q4",
        "opened": 3,
        "closed": 2,
        "on_site": 2,
        "median_hours_to_assign": "1.0",  # 0.5, 1, 3
        "median_hours_to_close": "25.3",  # (2.5 + 48) / 2 = 25.25, half-up
        "archived_late": 2,
        "service_reports": 3,
        "archiving_points": "8",
        "out_of_warranty": 0,
    }
    # the quarter before: only the out-of-warranty ticket, which counts nowhere
    [q3] = td("report", "tickets", "--quarter", "2026Q3", "--project", quarter, "--json").json()
    assert (q3["opened"], q3["archiving_points"], q3["out_of_warranty"]) == (0, None, 1)
    zh = td("--lang", "zh", "report", "tickets", "--quarter", "2026Q4")
    assert "资料归档得分" in zh.stdout


def test_the_assessment_uses_the_records(td, quarter):
    aftersales_team(td, quarter, lead_share=None)
    ticket(
        td,
        "lijun",
        "budget",
        quarter,
        "--quarter",
        "2026Q4",
        "--amount",
        "20000",
        expect=1,
        stderr="after-sales manager",
    )
    ticket(td, "sunhui", "budget", quarter, "--quarter", "2026Q4", "--amount", "20000")
    ticket(
        td,
        "sunhui",
        "actual",
        quarter,
        "--quarter",
        "2026Q4",
        "--amount",
        "19000",
        expect=1,
        stderr="finance",
    )
    doc = td(
        "--as",
        "wangjg",
        "assess",
        "open",
        quarter,
        "--track",
        "aftersales",
        "--quarter",
        "2026Q4",
        "--json",
    ).json()
    facts = doc["facts"]
    assert facts["budget"] == "20000.00" and facts["actual_cost"] is None
    assert facts["archiving_points"] == "8"
    assert facts["tickets"]["archived_late"] == 2 and facts["tickets"]["opened"] == 3
    items = {i["key"]: i for i in doc["items"]}
    assert items["archiving"]["computed"] == "8" and items["archiving"]["objective"]
    # finance records the actual at the quarter's end; the next step takes it
    ticket(td, "zhoumin", "actual", quarter, "--quarter", "2026Q4", "--amount", "21000")
    for scorer, points in (("self", "35"), ("sales", "32"), ("superior", "33")):
        doc = td(
            "score",
            quarter,
            "--track",
            "aftersales",
            "--quarter",
            "2026Q4",
            "--scorer",
            scorer,
            f"timeliness={points}",
            "quality=27",
            "--json",
        ).json()
    assert doc["facts"]["actual_cost"] == "21000.00"
    assert doc["facts"]["sources"] == {"budget": "recorded", "actual_cost": "recorded"}
    # cost: +5 % → 18; archiving 8: totals 35+27+18+8 = 88, 32+27+18+8 = 85, 33+27+18+8 = 86
    totals = {s: doc["scorers"][s]["total"] for s in ("self", "sales", "superior")}
    assert totals == {"self": "88", "sales": "85", "superior": "86"}
    assert doc["composite"] == "86.33"
    # a budget typed at assess set takes precedence over the recorded one
    doc = td(
        "assess",
        "set",
        quarter,
        "--track",
        "aftersales",
        "--quarter",
        "2026Q4",
        "--budget",
        "21000",
        "--json",
    ).json()
    assert doc["facts"]["budget"] == "21000.00"
    assert doc["facts"]["sources"]["budget"] == "command-line"
    shown = td("assess", "show", quarter, "--track", "aftersales", "--quarter", "2026Q4")
    assert "3 opened, 2 closed, 2 on site" in shown.stdout
    assert "2 service reports archived late; archiving 8 points" in shown.stdout


def test_the_after_sales_sheet_shows_the_ticket_figures(td, quarter, tmp_path):
    import docx

    aftersales_team(td, quarter, lead_share=None)
    td(
        "assess", "open", quarter, "--track", "aftersales", "--quarter", "2026Q4", "--budget",
        "20000", "--actual-cost", "20000",
    )  # fmt: skip
    out = tmp_path / "aftersales.docx"
    td(
        "--lang", "zh", "form", "assessment", quarter, "--track", "aftersales", "--quarter",
        "2026Q4", "--out", str(out),
    )  # fmt: skip
    document = docx.Document(str(out))
    cells = [c.text for table in document.tables for row in table.rows for c in row.cells]
    [evidence] = {c for c in cells if c.startswith("新报修")}
    assert evidence == (
        "新报修 3，已关闭 2，上门 2，报修至指派中位小时 1.0，报修至完成中位小时 25.3，"
        "逾期归档服务报告 2，资料归档得分 8"
    )
