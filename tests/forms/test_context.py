"""The strings of a sheet, from hand-written documents with the figures of policy.md."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import techdept.forms.context as context_module
from techdept.forms.context import (
    aftersales_context,
    assessment_context,
    money,
    payout_context,
    statement_context,
    tracking_context,
)


def block_of(sheet):
    assert len(sheet.blocks) == 1
    return sheet.blocks[0]


def column(block, scorer_label):
    i = block.scorers.index(scorer_label)
    return [row.points[i] for row in block.rows]


@pytest.mark.parametrize(
    "value, shown",
    [
        ("5808.00", "5,808.00"),
        ("1452", "1,452.00"),
        ("-12.5", "-12.50"),
        ("0", "0.00"),
        (None, ""),
        ("1200000.00", "1,200,000.00"),
    ],
)
def test_money_is_written_one_way(value, shown):
    assert money(value) == shown


def test_e1_implementation_sheet(doc, policy):
    sheet = assessment_context(doc("e1_implementation"), policy, "zh")
    block = block_of(sheet)
    assert sheet.title == "项目实施考核表"
    assert sheet.draft is None
    assert [(f.label, f.value) for f in sheet.header] == [
        ("项目名称", "临江县人民法院科技法庭项目（P2026-001）"),
        ("项目经理", "赵磊"),
    ]
    complexity, risk = block.boxes
    assert complexity.label == "项目复杂度类型"
    assert complexity.text == (
        "☐简单型（☐简易 ☐标准 ☐扩展）　☑技术复杂型　☐组织复杂型　☐关键任务型"
    )
    assert risk.label == "风险类型"
    assert risk.text == "☐高风险　☑中风险　☐低风险"
    assert block.reserved == type(block.reserved)("项目实施奖金预定（元）", "7,260.00")
    assert block.schedule.first.value == "60 天"
    assert block.schedule.second.value == "51 天"
    assert block.schedule.reason.value == "提前 9 天完成"
    assert block.cost.first.value == "80,000.00 元"
    assert block.cost.reason.value == "超支 6,000.00 元"
    assert block.columns == ("考核内容", "配分", "评分标准", "自评", "销售代表", "上级考核")
    assert [(r.label, r.weight) for r in block.rows] == [
        ("项目工期", "40%"),
        ("项目质量", "30%"),
        ("项目费用", "20%"),
        ("公司内验", "10%"),
    ]
    assert column(block, "自评") == ["31", "28", "18", "8"]
    assert column(block, "销售代表") == ["31", "26", "18", "8"]
    assert column(block, "上级考核") == ["31", "27", "18", "8"]
    assert [b.points for b in block.rows[1].bands] == ["30", "25–29", "20–24", "<20"]
    assert block.rows[0].bands[0].text.startswith("合理调整工期")
    assert block.totals == ("85", "83", "84")
    assert block.composite.value == "84.00"
    assert block.grade.value == "B（80–89分）"
    assert block.final.value == "5,808.00"
    assert block.share.value == "80%"
    assert block.opinion.value == (
        "综合分数 84.00，考核等级 B，按预定奖金的 80% 发放，最终奖金 5,808.00 元。"
    )
    assert [(r.position, r.name, r.amount) for r in block.split] == [
        ("项目经理", "赵磊", "2,323.20"),
        ("实施工程师", "李军", "1,161.60"),
        ("实施工程师", "周鹏", "2,323.20"),
        ("技术部奖金池", "", "1,452.00"),
    ]
    assert block.notes[0] == "附上项目实施总结和用户满意度调查表供参考和评审。"
    assert any(n.startswith("内验数据由命令行录入") for n in block.notes)
    assert "技术总监奖励（最终奖金的 30%，另行发放）：1,742.40 元。" in block.notes
    assert [s.label for s in sheet.signatures] == ["技术总监", "总经理"]
    assert sheet.signatures[0].record == "台账审批：技术总监 王建国 2026-11-26"
    assert (sheet.date.label, sheet.date.value) == ("考核日期", "2026-11-27")


def test_facts_entered_in_the_ledger_carry_no_command_line_note(doc, policy):
    e1 = doc("e1_implementation")
    e1["facts"]["source"] = "ledger"
    notes = block_of(assessment_context(e1, policy, "zh")).notes
    assert not any("命令行" in n for n in notes)


@pytest.mark.parametrize(
    "status, mark",
    [
        ("open", "草稿 · 未经审批"),
        ("director-approved", "草稿 · 技术总监已审批，待总经理审批"),
    ],
)
def test_an_unapproved_sheet_is_a_draft(doc, policy, status, mark):
    e1 = doc("e1_implementation")
    e1["status"] = status
    e1["approvals"]["gm"] = None
    sheet = assessment_context(e1, policy, "zh")
    assert sheet.draft.startswith(mark)
    assert sheet.date.value == "______年____月____日"
    assert sheet.signatures[1].record == ""


def test_e2_presales_sheet_has_five_scorers_and_the_simple_sub_box(doc, policy):
    sheet = assessment_context(doc("e2_presales"), policy, "zh")
    block = block_of(sheet)
    assert sheet.title == "项目售前考核表"
    assert sheet.draft.startswith("草稿")
    assert sheet.header[1] == type(sheet.header[1])("售前组长", "何敏")
    assert block.scorers == ("自评", "销售代表", "商务代表", "项目经理", "上级考核")
    complexity, difficulty = block.boxes
    assert complexity.text.startswith("☑简单型（☐简易 ☐审讯 ☑标准 ☐扩展）　☐技术复杂型")
    assert (difficulty.label, difficulty.text) == ("时间难度类型", "☑高难度　☐中难度　☐低难度")
    assert block.cost is None
    assert block.schedule.reason.value == "滞后 6 天完成"
    assert [(r.label, r.weight) for r in block.rows] == [("项目工期", "40%"), ("方案质量", "60%")]
    assert len(block.rows[1].bands) == 4
    assert block.totals == ("80", "76", "78", "73", "75")
    assert (block.composite.value, block.grade.value) == ("76.40", "C（70–79分）")
    assert block.reserved.value == "4,590.00"
    assert [(r.position, r.name, r.amount) for r in block.split] == [
        ("售前组长", "何敏", "1,652.40"),
        ("技术工程师", "高飞", "367.20"),
        ("技术工程师", "李军", "367.20"),
        ("技术工程师", "吴昊", "367.20"),
        ("技术部奖金池", "", "1,836.00"),
    ]
    assert block.notes[0].startswith("附上项目售前总结和销售反馈的用户满意度")


def test_a_vetoed_sheet_says_why_and_sends_everything_to_the_pool(doc, policy):
    e3 = doc("e1_implementation")
    e3.update(
        vetoed=True,
        veto_reasons=["cost"],
        final="0.00",
        pool="7260.00",
        director_award="0.00",
        allocations=[
            {"staff": "zhaolei", "name": "赵磊", "role": "lead", "amount": "0.00"},
            {"staff": "lijun", "name": "李军", "role": "engineer", "amount": "0.00"},
            {"staff": "zhoupeng", "name": "周鹏", "role": "engineer", "amount": "0.00"},
        ],
    )
    block = block_of(assessment_context(e3, policy, "zh"))
    assert block.opinion.value == (
        "否决：项目费用平均分低于 15 分。最终奖金为 0，预定奖金 7,260.00 元全部进入技术部奖金池。"
    )
    assert block.split[-1].amount == "7,260.00"
    assert not any("技术总监奖励" in n for n in block.notes)


def test_a_sheet_without_scores_yet_leaves_the_figures_blank(doc, policy):
    e1 = doc("e1_implementation")
    e1.update(
        status="open",
        composite=None,
        grade=None,
        share=None,
        final=None,
        pool=None,
        director_award=None,
        allocations=[],
        approvals={"director": None, "gm": None},
    )
    e1["scorers"] = {
        "self": {
            "schedule": "31",
            "quality": "28",
            "cost": "18",
            "internal_acceptance": "8",
            "total": "85",
        }
    }
    block = block_of(assessment_context(e1, policy, "zh"))
    assert column(block, "销售代表") == ["", "", "", ""]
    assert block.totals == ("85", "", "")
    assert (block.composite.value, block.grade.value, block.final.value) == ("", "", "")
    assert block.opinion.value.startswith("尚未评分完整")
    assert [(r.position, r.name, r.amount) for r in block.split] == [
        ("项目经理", "赵磊", ""),
        ("实施工程师", "李军", ""),
        ("实施工程师", "周鹏", ""),
        ("技术部奖金池", "", ""),
    ]


def test_a_scorer_who_departs_from_the_computed_value_is_quoted(doc, policy):
    e1 = doc("e1_implementation")
    e1["scorers"]["sales"]["schedule"] = "29"
    e1["reasons"] = [
        {"scorer": "sales", "item": "schedule", "points": "29", "reason": "二期设备晚到"}
    ]
    notes = block_of(assessment_context(e1, policy, "zh")).notes
    assert "销售代表给出“项目工期”29 分（计算值 31）：二期设备晚到" in notes


def test_the_after_sales_sheet_puts_the_quarter_on_one_sheet(doc, policy):
    sheet = aftersales_context(
        [doc("e4_aftersales"), doc("aftersales_open")], policy, "2026Q4", "zh", manager="孙慧"
    )
    assert sheet.title == "项目售后考核表"
    assert [(f.label, f.value) for f in sheet.header] == [
        ("考核季度", "2026年第4季度"),
        ("售后运维经理", "孙慧"),
    ]
    assert sheet.notes[0].startswith("本表的售后考核内容和评分标准为推定")
    assert sheet.draft.startswith("草稿")  # one project is still open
    first, second = sheet.blocks
    assert first.heading == "1. P2025-007 南湖区人民法院审判法庭运维"
    assert second.heading == "2. P2026-004 东湖市中级人民法院庭审系统"
    assert second.boxes == ()
    assert second.schedule is None
    assert (second.cost.label, second.cost.first.value, second.cost.second.value) == (
        "本季度售后费用",
        "5,000.00 元",
        "5,300.00 元",
    )
    assert (second.reserved.label, second.reserved.value) == ("本季度售后奖金（元）", "833.33")
    assert second.evidence.value == "工单数 6，已关闭 6，逾期归档服务报告 1"
    assert [(r.label, r.weight) for r in second.rows] == [
        ("响应及时性", "40%"),
        ("服务质量", "30%"),
        ("售后费用", "20%"),
        ("资料归档", "10%"),
    ]
    assert second.totals == ("92", "90", "91")
    assert (second.composite.value, second.grade.value) == ("91.00", "A（90–100分）")
    assert [(r.position, r.name, r.amount) for r in second.split] == [
        ("售后负责人", "孙慧", "333.33"),
        ("售后工程师", "郑宇", "500.00"),
        ("技术部奖金池", "", "0.00"),
    ]
    assert first.composite.value == ""
    assert "自评给出“资料归档”10 分（计算值 —）：所有服务报告均已按时归档" in first.notes
    assert sheet.date.value == "______年____月____日"


def test_the_after_sales_sheet_of_approved_projects_is_final(doc, policy):
    sheet = aftersales_context([doc("e4_aftersales")], policy, "2026Q4", "zh")
    assert sheet.draft is None
    assert sheet.date.value == "2026-12-25"
    assert sheet.signatures[1].record == "台账审批：总经理 刘志明 2026-12-25"


def test_a_single_after_sales_assessment_names_its_quarter(doc, policy):
    sheet = assessment_context(doc("e4_aftersales"), policy, "zh")
    assert [f.label for f in sheet.header] == ["项目名称", "售后负责人", "考核季度"]
    assert sheet.notes and "推定" in sheet.notes[0]


def test_english_sheet(doc, policy):
    sheet = assessment_context(doc("e1_implementation"), policy, "en")
    block = block_of(sheet)
    assert sheet.title == "Implementation assessment sheet"
    assert sheet.header[1].label == "Project manager"
    assert "☑Technically complex" in block.boxes[0].text
    assert block.boxes[0].text.startswith("☐Simple (☐basic ☐standard ☐extended)   ☑Technically")
    assert block.boxes[1].text == "☐High risk   ☑Medium risk   ☐Low risk"
    assert block.scorers == ("Self", "Sales representative", "Superior")
    assert block.split[0].position == "Project manager"
    assert block.split[-1].amount == "1,452.00"
    assert block.opinion.value.startswith("Composite 84.00, grade B")
    assert not any("项目" in n for n in block.notes)


def test_payout_statement(doc, policy):
    sheet = payout_context(doc("payout_2026q4"), "zh", policy=policy, audit_head="ab" * 32)
    assert sheet.title == "季度奖金发放表"
    assert sheet.header[1].value == "2026-12-25 至 2026-12-31"
    lines, persons = sheet.tables
    assert len(lines.rows) == 7
    assert lines.rows[0] == (
        "P2026-001",
        "临江县人民法院科技法庭项目",
        "实施",
        "",
        "赵磊",
        "项目经理",
        "2,323.20",
        "待发放",
    )
    assert lines.rows[3][5] == "技术总监奖励"
    assert lines.rows[4][3] == "2026Q4"
    assert ("wangjg", "王建国", "1,992.40") in persons.rows
    assert [(f.label, f.value) for f in sheet.summary] == [
        ("技术总监奖励合计", "1,992.40"),
        ("技术部奖金池（本季度）", "1,452.00"),
        ("合计", "8,633.73"),
    ]
    assert sheet.anchor.startswith("审计记录第 — 行 · " + "ab" * 32)
    assert [s.label for s in sheet.signatures] == ["技术总监", "总经理", "财务代表"]
    assert sheet.draft.startswith("草稿")


def test_a_paid_payout_statement_is_no_draft(doc):
    payout = doc("payout_2026q4")
    for line in payout["lines"]:
        line["paid"] = True
    sheet = payout_context(payout, "en")
    assert sheet.draft is None
    assert sheet.anchor is None
    assert sheet.tables[0].rows[0][5] == "Lead"  # no policy given: the generic role


def test_personal_statement(doc, policy):
    sheet = statement_context(doc("statement_lijun_2026"), "zh", policy=policy)
    (table,) = sheet.tables
    assert [row[0] for row in table.rows] == ["2026Q2", "2026Q4", "2026Q4"]
    assert table.rows[0][4] == "技术工程师"
    assert [(f.label, f.value) for f in sheet.summary] == [
        ("全年合计", "1,648.80"),
        ("已发放合计", "1,528.80"),
        ("待发放合计", "120.00"),
        ("待尾款合计", "0.00"),
    ]
    assert sheet.header[0].value == "李军"


def test_personal_statement_separates_paid_payable_and_pending(doc, policy):
    statement = doc("statement_lijun_2026")
    (waiting,) = [x for x in statement["lines"] if not x["paid"]]
    waiting["status"] = "pending"  # approved, waiting for its final payment
    sheet = statement_context(statement, "zh", policy=policy)
    assert sorted(row[-1] for row in sheet.tables[0].rows) == ["已发放", "已发放", "待尾款"]
    assert [(f.label, f.value) for f in sheet.summary] == [
        ("全年合计", "1,648.80"),
        ("已发放合计", "1,528.80"),
        ("待发放合计", "0.00"),
        ("待尾款合计", "120.00"),
    ]


def test_tracking_sheet(doc):
    sheet = tracking_context(doc("tracking_2026w48"), "zh")
    assert sheet.title == "售前项目跟踪表"
    assert [(f.label, f.value) for f in sheet.header] == [
        ("周次", "2026-W48（2026-11-23 至 2026-11-29）"),
        ("截至", "2026-11-27"),
        ("售前经理", "陈晓晴"),
    ]
    assert sheet.table.columns == (
        "项目编号",
        "项目名称",
        "客户",
        "阶段",
        "进入本阶段日期",
        "本阶段天数",
        "下一步",
        "状态",
        "负责人",
        "销售代表",
    )
    rows = {row[0]: row[1:] for row in sheet.table.rows}
    assert list(rows) == [f"P2026-0{n}" for n in range(11, 17)]
    assert rows["P2026-011"] == (
        "甲院数字法庭",
        "甲县人民法院",
        "咨询阶段",
        "2026-11-10",
        "17",
        "配单",
        "未提交",
        "售前工程师",
        "钱丽",
    )
    # a review owed by the project's own sales representative names that person
    assert rows["P2026-012"][5:] == ("技术方案", "待审核", "冯涛", "冯涛")
    assert rows["P2026-013"][5:] == ("产品清单", "待审核", "技术总监", "钱丽")
    assert rows["P2026-014"][2] == "投标阶段"
    assert rows["P2026-014"][5:] == ("投标计划", "已驳回", "售前工程师", "")
    assert rows["P2026-015"][2:] == (
        "中标签约",
        "2026-11-25",
        "2",
        "合同金额",
        "未登记",
        "冯涛",
        "冯涛",
    )
    # nothing owed: ready to advance; no name known, the sales code is shown
    assert rows["P2026-016"][5:] == ("可推进到下一阶段", "", "", "qianli")
    assert sheet.count == "共 6 个售前项目"
    assert [s.label for s in sheet.signatures] == ["售前经理", "技术总监"]
    assert sheet.date.label == "日期"


def test_tracking_sheet_in_english_and_empty(doc):
    tracking = doc("tracking_2026w48")
    sheet = tracking_context(tracking, "en")
    assert sheet.title == "Pre-sales project tracking sheet"
    assert sheet.table.rows[0][3:9] == (
        "Consultation",
        "2026-11-10",
        "17",
        "Configuration list",
        "not filed",
        "pre-sales engineer",
    )
    assert sheet.count == "6 pre-sales projects"
    empty = tracking_context(tracking | {"projects": [], "manager": None}, "zh")
    assert empty.table.rows == ()
    assert empty.table.empty == "本周没有售前项目。"
    assert empty.count == "共 0 个售前项目"
    assert empty.header[2].value == ""


def test_context_is_pure():
    """No ledger, no python-docx, no rules computation in forms/context/: it reads the typed
    documents (techdept.documents) and the catalogues."""
    names = []
    for path in Path(context_module.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Import):
                names += [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                names.append(node.module or "")
    allowed_local = {"techdept.i18n", "techdept.rules.domain"}  # domain: names only, pure
    allowed_packages = ("techdept.documents", "techdept.forms.context.")
    bad = [
        n
        for n in names
        if n.startswith("techdept")
        and n not in allowed_local
        and not n.startswith(allowed_packages)
    ]
    bad += [n for n in names if n.split(".")[0] in ("docx", "sqlalchemy", "sqlmodel", "lxml")]
    assert bad == []
