"""``techdept form``: the signed sheets of assessments built through the CLI, read back."""

from __future__ import annotations

import re

import docx
import pytest
from _meeting import IMPL, add_department, approve, implementation, new_project, record_payment


@pytest.fixture(autouse=True)
def department(td):
    add_department(td)


def texts(path):
    """Every paragraph of the .docx and the distinct cells of every table row."""
    document = docx.Document(str(path))
    out = [p.text for p in document.paragraphs]
    rows = []
    for table in document.tables:
        for row in table.rows:
            cells, seen = [], set()
            for cell in row.cells:
                if id(cell._tc) not in seen:
                    seen.add(id(cell._tc))
                    cells.append(cell.text)
            rows.append(cells)
            out += cells
    return out, rows


def aftersales_project(td, *, score_all=True):
    code = new_project(td, "东湖市中级人民法院庭审系统", stage="aftersales.operation",
                       contract="2,000,000.00")  # fmt: skip
    td("project", "set", code, "--service-start", "2026-01-01", "--service-months", "36")
    track = ("--track", "aftersales", "--quarter", "2026Q4")
    td("--as", "wangjg", "team", code, "--track", "aftersales", "--lead", "sunhui",
       "--engineer", "wuhao", "--lead-share", "40")  # fmt: skip
    td("assess", "open", code, *track, "--budget", "5000", "--actual-cost", "5300")
    scorers = (("self", 36), ("sales", 34), ("superior", 35)) if score_all else (("self", 36),)
    for scorer, timeliness in scorers:
        td("score", code, *track, "--scorer", scorer, f"timeliness={timeliness}", "quality=29",
           "archiving=9")  # fmt: skip
    return code


def test_e1_sheet_through_the_cli(td, tmp_path):
    code = implementation(td)
    approve(td, code)
    out = tmp_path / "E1-implementation.docx"
    result = td("--lang", "zh", "form", "assessment", code, *IMPL, "--out", str(out))
    assert f"已生成 {out}" in result.stdout
    words, rows = texts(out)
    assert words[0] == "项目实施考核表"
    assert "项目名称：北岸市中级人民法院数字法庭（" + code + "）　　项目经理：赵磊" in words
    joined = "\n".join(words)
    assert "☑技术复杂型" in joined and "☑中风险" in joined and "☐低风险" in joined
    self_points = {r[0]: r[4] for r in rows if len(r) == 7 and r[0] in
                   ("项目工期", "项目质量", "项目费用", "公司内验")}  # fmt: skip
    assert self_points == {"项目工期": "31", "项目质量": "28", "项目费用": "18", "公司内验": "8"}
    assert ["总分", "85", "83", "84"] in rows
    assert ["综合分数", "84.00", "考核等级", "B（80–89分）"] in rows
    assert ["发放比例", "80%", "最终奖金（元）", "5,808.00"] in rows
    assert ["实际奖金分配", "项目经理", "赵磊", "2,323.20"] in rows
    assert ["实际奖金分配", "实施工程师", "李军", "1,161.60"] in rows
    assert ["实际奖金分配", "实施工程师", "周鹏", "2,323.20"] in rows
    assert ["实际奖金分配", "技术部奖金池", "1,452.00"] in rows
    assert "内验数据由命令行录入" in joined  # the project was entered at aftersales.handover
    assert "草稿" not in joined
    assert any("考核日期：2026-11-27" in w for w in words)


def test_an_open_assessment_gives_a_draft_in_english(td, tmp_path):
    code = implementation(td)
    out = tmp_path / "draft.docx"
    td("--lang", "en", "form", "assessment", code, *IMPL, "--out", str(out))
    words, _ = texts(out)
    assert words[0] == "Implementation assessment sheet"
    assert words[1].startswith("DRAFT · not approved")
    assert "5,808.00" in words


def test_all_sheets_of_a_quarter(td, tmp_path):
    e1 = implementation(td)
    approve(td, e1)
    after = aftersales_project(td, score_all=False)  # still open: a draft on the quarter sheet
    folder = tmp_path / "2026Q4"
    result = td("--lang", "zh", "form", "assessment", "--all", "--quarter", "2026Q4",
                "--out", str(folder))  # fmt: skip
    assert sorted(p.name for p in folder.iterdir()) == [
        f"{e1}-implementation.docx",
        "aftersales-2026Q4.docx",
    ]
    assert "已生成 2 个文件" in result.stdout
    words, _ = texts(folder / "aftersales-2026Q4.docx")
    joined = "\n".join(words)
    assert words[0] == "项目售后考核表"
    assert words[1].startswith("草稿")
    assert f"1. {after} 东湖市中级人民法院庭审系统" in words
    assert "售后运维经理：孙慧" in joined
    assert "推定" in joined
    td("form", "assessment", "--all", "--quarter", "2026Q1", "--out", str(tmp_path / "q1"),
       expect=1, stderr="2026Q1")  # fmt: skip
    assert not (tmp_path / "q1").exists()


def test_the_after_sales_sheet_of_one_project(td, tmp_path):
    code = aftersales_project(td)
    approve(td, code, "--track", "aftersales", "--quarter", "2026Q4")
    out = tmp_path / "as.docx"
    td("--lang", "zh", "form", "assessment", code, "--track", "aftersales", "--quarter",
       "2026Q4", "--out", str(out))  # fmt: skip
    words, rows = texts(out)
    assert words[0] == "项目售后考核表"
    assert ["总分", "92", "90", "91"] in rows
    assert ["本季度售后奖金（元）", "833.33"] in rows
    assert ["实际奖金分配", "售后负责人", "孙慧", "333.33"] in rows
    assert ["实际奖金分配", "售后工程师", "吴昊", "500.00"] in rows


@pytest.mark.parametrize(
    "args, expect, message",
    [
        (["form", "assessment", "--all", "--out", "x"], 2, "--quarter"),
        (
            ["form", "assessment", "P2026-001", "--all", "--quarter", "2026Q4", "--out", "x"],
            2,
            "--all",
        ),
        (["form", "assessment", "--out", "x.docx"], 2, "project code"),
        (["form", "assessment", "P2026-001", "--out", "x.docx"], 2, "--track"),
        (["form", "assessment", "P2026-001", *IMPL, "--out", "x.pdf"], 1, ".docx"),
        (["form", "assessment", "P2099-001", *IMPL, "--out", "x.docx"], 1, "P2099-001"),
        (["form", "assessment", "P2026-001", "--track", "aftersales", "--out", "x.docx"], 1, ""),
        (["form", "assessment", "P2026-001", *IMPL], 2, "--out"),
    ],
)
def test_refusals(td, tmp_path, monkeypatch, args, expect, message):
    monkeypatch.chdir(tmp_path)
    td(*args, expect=expect, stderr=message)
    assert [p.name for p in tmp_path.iterdir() if not p.name.startswith("ledger.db")] == []


def test_an_unwritable_place_is_refused(td, tmp_path):
    code = implementation(td)
    td("form", "assessment", code, *IMPL, "--out", str(tmp_path / "no" / "such" / "x.docx"),
       expect=1, stderr="cannot write")  # fmt: skip


def test_payout_and_statement_sheets(td, tmp_path):
    code = implementation(td)
    approve(td, code)
    td("--as", "wangjg", "project", "set", code, "--signed", "2026-03-16")
    record_payment(td, code, amount="1200000")
    td("--as", "huangqin", "bonus", "--quarter", "2026Q4", "--pay")
    out = tmp_path / "payout.docx"
    td("--lang", "zh", "form", "payout", "--quarter", "2026Q4", "--out", str(out))
    words, rows = texts(out)
    joined = "\n".join(words)
    assert words[0] == "季度奖金发放表"
    assert "发放窗口" in joined and "2026-12-25 至 2026-12-31" in joined
    assert any(r[4:7] == ["赵磊", "项目经理", "2,323.20"] for r in rows if len(r) == 8)
    assert any(r[4:7] == ["王建国", "技术总监奖励", "1,742.40"] for r in rows if len(r) == 8)
    assert ["合计", "7,550.40"] in rows
    anchor = re.search(r"审计记录第 (\d+) 行 · ([0-9a-f]{64})", joined)
    assert anchor  # the paper copy anchors the ledger (issue 11):
    td("audit", "verify", "--expect", f"{anchor[1]}:{anchor[2]}")
    assert "财务代表：" in joined
    statement = tmp_path / "lijun.docx"
    td("--lang", "zh", "form", "statement", "lijun", "--year", "2026", "--out", str(statement))
    words, rows = texts(statement)
    assert words[0] == "个人奖金明细"
    assert ["全年合计", "1,161.60"] in rows
    assert re.search(r"审计记录第 \d+ 行 · [0-9a-f]{64}", "\n".join(words))


def test_the_weekly_tracking_sheet(td, tmp_path, monkeypatch):
    monkeypatch.setenv("TECHDEPT_TODAY", "2026-11-18")  # week 47
    early = td("project", "new", "西岭县人民法院科技法庭", "--customer", "西岭县人民法院",
               "--sales", "fengtao", "--stage", "presales.tracking", "--json")  # fmt: skip
    early = early.json()["code"]
    monkeypatch.setenv("TECHDEPT_TODAY", "2026-11-24")  # week 48
    late = td("project", "new", "东岸区人民检察院远程提讯", "--customer", "东岸区人民检察院",
              "--stage", "presales.contact", "--json").json()["code"]  # fmt: skip
    td("--as", "hemin", "project", "deliver", early, "technical-solution")
    monkeypatch.setenv("TECHDEPT_TODAY", "2026-11-27")
    out = tmp_path / "tracking.docx"
    result = td("--lang", "zh", "form", "tracking", "--week", "2026-W48", "--out", str(out))
    assert f"已生成 {out}" in result.stdout
    section = docx.Document(str(out)).sections[0]
    assert section.page_width > section.page_height  # A4 landscape
    words, rows = texts(out)
    joined = "\n".join(words)
    assert words[0] == "售前项目跟踪表"
    assert "周次：2026-W48（2026-11-23 至 2026-11-29）" in joined
    assert "售前经理：陈晓晴" in joined  # the demo department's pre-sales manager
    by_code = {r[0]: r for r in rows if len(r) == 10}
    assert by_code[early][1:] == [
        "西岭县人民法院科技法庭",
        "西岭县人民法院",
        "跟踪阶段",
        "2026-11-18",
        "9",
        "技术方案",
        "待审核",
        "技术总监",
        "冯涛",
    ]
    assert by_code[late][1:4] == ["东岸区人民检察院远程提讯", "东岸区人民检察院", "接触阶段"]
    assert by_code[late][6:8] == ["客户需求说明书", "未提交"]
    count = int(re.search(r"共 (\d+) 个售前项目", joined)[1])
    assert count == len(by_code) - 1  # the header row has ten cells too
    assert "技术总监：" in joined
    # the week before, in English: the project entered in week 48 is not on it
    before = tmp_path / "w47.docx"
    td("--lang", "en", "form", "tracking", "--week", "2026-W47", "--out", str(before))
    words, rows = texts(before)
    assert words[0] == "Pre-sales project tracking sheet"
    by_code = {r[0]: r for r in rows if len(r) == 10}
    assert early in by_code and late not in by_code
    assert by_code[early][3] == "Tracking"


@pytest.mark.parametrize(
    "args, expect, message",
    [
        (["form", "tracking", "--week", "2027-W10", "--out", "t.docx"], 1, "2027-W10"),
        (["form", "tracking", "--week", "48", "--out", "t.docx"], 1, "48"),
        (["form", "tracking", "--out", "t.pdf"], 1, ".docx"),
        (["form", "tracking"], 2, "--out"),
    ],
)
def test_tracking_refusals(td, tmp_path, monkeypatch, args, expect, message):
    monkeypatch.chdir(tmp_path)
    td(*args, expect=expect, stderr=message)
    assert [p.name for p in tmp_path.iterdir() if not p.name.startswith("ledger.db")] == []
