"""The .docx read back with python-docx: what a signer sees, and how it is set."""

from __future__ import annotations

import zipfile

import docx
import pytest
from lxml import etree

from techdept.forms.context import assessment_context
from techdept.forms.render import render_assessment

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
NS = {"w": W[1:-1]}


@pytest.fixture
def e1_path(tmp_path, doc, policy):
    return render_assessment(
        assessment_context(doc("e1_implementation"), policy, "zh"), tmp_path / "e1.docx"
    )


def xml_part(path, name="word/document.xml"):
    with zipfile.ZipFile(path) as zf:
        return etree.fromstring(zf.read(name))


def row_texts(row):
    """The distinct cells of a row, merged cells once."""
    out, seen = [], set()
    for cell in row.cells:
        if id(cell._tc) not in seen:
            seen.add(id(cell._tc))
            out.append(cell.text)
    return out


def test_e1_sheet_reads_back(e1_path, texts_of):
    texts = texts_of(e1_path)
    joined = "\n".join(texts)
    assert texts[0] == "项目实施考核表"
    assert "项目名称：临江县人民法院科技法庭项目（P2026-001）　　项目经理：赵磊" in texts
    assert "☑技术复杂型" in joined
    assert "☐简单型（☐简易 ☐标准 ☐扩展）" in joined
    assert "☑中风险" in joined and "☐高风险" in joined
    for figure in ("84.00", "B（80–89分）", "5,808.00", "7,260.00"):
        assert figure in texts, figure
    assert "草稿" not in joined


def test_e1_score_table_self_column(e1_path):
    document = docx.Document(str(e1_path))
    _info, scores, _result = document.tables
    header = row_texts(scores.rows[0])
    assert header == ["考核内容", "配分", "评分标准", "自评", "销售代表", "上级考核"]
    self_col = [c.text for c in scores.rows[0].cells].index("自评")
    points = {}
    for row in scores.rows[1:]:
        cells = row.cells
        label = cells[0].text
        if label in ("项目工期", "项目质量", "项目费用", "公司内验") and label not in points:
            points[label] = cells[self_col].text
    assert points == {"项目工期": "31", "项目质量": "28", "项目费用": "18", "公司内验": "8"}
    total = row_texts(scores.rows[-1])
    assert total == ["总分", "85", "83", "84"]


def test_e1_split_names_every_person_and_the_pool(e1_path):
    result = docx.Document(str(e1_path)).tables[2]
    rows = [row_texts(r) for r in result.rows]
    assert ["综合分数", "84.00", "考核等级", "B（80–89分）"] in rows
    assert ["发放比例", "80%", "最终奖金（元）", "5,808.00"] in rows
    assert ["实际奖金分配", "项目经理", "赵磊", "2,323.20"] in rows
    assert ["实际奖金分配", "实施工程师", "李军", "1,161.60"] in rows
    assert ["实际奖金分配", "实施工程师", "周鹏", "2,323.20"] in rows
    assert ["实际奖金分配", "技术部奖金池", "1,452.00"] in rows
    notes = rows[-1]
    assert notes[0] == "备注"
    assert "附上项目实施总结和用户满意度调查表供参考和评审。" in notes[1]
    assert "内验数据由命令行录入" in notes[1]


def test_signature_and_date_lines(e1_path, texts_of):
    texts = texts_of(e1_path)
    line = next(t for t in texts if t.startswith("技术总监："))
    assert "总经理：" in line and "考核日期：2026-11-27" in line
    assert "____" in line
    assert any("台账审批：技术总监 王建国 2026-11-26" in t for t in texts)


def test_a4_portrait_with_2cm_margins(e1_path):
    section = docx.Document(str(e1_path)).sections[0]
    assert (section.page_width.cm, section.page_height.cm) == pytest.approx((21.0, 29.7), abs=0.01)
    assert section.page_width < section.page_height
    assert section.left_margin.cm == pytest.approx(2.0, abs=0.01)
    assert section.right_margin.cm == pytest.approx(2.0, abs=0.01)


def test_every_run_and_the_styles_name_the_chinese_font(e1_path):
    body = xml_part(e1_path)
    runs = body.findall(".//w:r", NS)
    assert len(runs) > 100
    faces = set()
    for run in runs:
        fonts = run.find("w:rPr/w:rFonts", NS)
        assert fonts is not None
        assert fonts.get(W + "ascii") == "Times New Roman"
        assert fonts.get(W + "hAnsi") == "Times New Roman"
        faces.add(fonts.get(W + "eastAsia"))
    assert faces == {"宋体", "黑体"}
    title_run = body.find(".//w:p/w:r", NS)
    assert title_run.find("w:t", NS).text == "项目实施考核表"
    assert title_run.find("w:rPr/w:rFonts", NS).get(W + "eastAsia") == "黑体"
    assert title_run.find("w:rPr/w:b", NS) is not None
    styles = xml_part(e1_path, "word/styles.xml")
    normal = styles.find("w:style[@w:styleId='Normal']/w:rPr/w:rFonts", NS)
    assert normal.get(W + "eastAsia") == "宋体"
    assert normal.get(W + "ascii") == "Times New Roman"
    default = styles.find("w:docDefaults/w:rPrDefault/w:rPr/w:rFonts", NS)
    assert default.get(W + "eastAsia") == "宋体"


def test_tables_are_fixed_with_widths_for_word_and_libreoffice(e1_path):
    body = xml_part(e1_path)
    tables = body.findall(".//w:tbl", NS)
    assert len(tables) == 3
    for tbl in tables:
        assert tbl.find("w:tblPr/w:tblLayout", NS).get(W + "type") == "fixed"
        grid = [int(c.get(W + "w")) for c in tbl.findall("w:tblGrid/w:gridCol", NS)]
        assert sum(grid) == int(tbl.find("w:tblPr/w:tblW", NS).get(W + "w"))
        assert sum(grid) == pytest.approx(9638, abs=3)  # 17 cm of text width
        for tr in tbl.findall("w:tr", NS):
            offset = 0
            for tc in tr.findall("w:tc", NS):
                span_el = tc.find("w:tcPr/w:gridSpan", NS)
                span = int(span_el.get(W + "val")) if span_el is not None else 1
                width = int(tc.find("w:tcPr/w:tcW", NS).get(W + "w"))
                assert width == sum(grid[offset : offset + span])
                offset += span
            assert offset == len(grid)


def test_merged_cells_like_the_paper_form(e1_path):
    body = xml_part(e1_path)
    spans = body.findall(".//w:tcPr/w:gridSpan", NS)
    restarts = body.findall(".//w:tcPr/w:vMerge[@w:val='restart']", NS)
    assert spans and restarts
    scores = docx.Document(str(e1_path)).tables[1]
    # the header's 评分标准 spans the band text and the band points
    header = scores.rows[0].cells
    assert len(header) == 7 and header[2]._tc is header[3]._tc
    # 项目质量 spans its four band rows, and so does each scorer's points
    quality_rows = [r for r in scores.rows if r.cells[0].text == "项目质量"]
    assert len(quality_rows) == 4
    first = quality_rows[0]._tr.tc_lst
    assert first[0].vMerge == "restart" and first[4].vMerge == "restart"
    for row in quality_rows[1:]:
        tcs = row._tr.tc_lst
        assert [tcs[i].vMerge for i in (0, 1, 4, 5, 6)] == ["continue"] * 5
        assert tcs[2].vMerge is None  # each band is its own cell
    assert len({r.cells[2].text for r in quality_rows}) == 4


def test_a_draft_is_marked(tmp_path, doc, policy, texts_of):
    path = render_assessment(
        assessment_context(doc("e2_presales"), policy, "zh"), tmp_path / "e2.docx"
    )
    texts = texts_of(path)
    assert texts[0] == "项目售前考核表"
    assert texts[1].startswith("草稿 · 技术总监已审批")
    header = row_texts(docx.Document(str(path)).tables[1].rows[0])
    assert header[3:] == ["自评", "销售代表", "商务代表", "项目经理", "上级考核"]
    assert "☑简单型（☐简易 ☐审讯 ☑标准 ☐扩展）　☐技术复杂型　☐组织复杂型　☐关键任务型" in texts


def test_english_sheet(tmp_path, doc, policy, texts_of):
    path = render_assessment(
        assessment_context(doc("e1_implementation"), policy, "en"), tmp_path / "e1-en.docx"
    )
    texts = texts_of(path)
    assert texts[0] == "Implementation assessment sheet"
    assert any(t.startswith("Project: 临江县人民法院科技法庭项目 (P2026-001)") for t in texts)
    assert "Department bonus pool" in texts and "1,452.00" in texts
    assert any("☑Medium risk" in t for t in texts)


def test_the_after_sales_sheet_has_a_block_per_project(tmp_path, build_sheets, texts_of):
    paths = build_sheets(tmp_path)
    texts = texts_of(paths["aftersales_2026q4"])
    assert texts[0] == "项目售后考核表"
    assert "1. P2025-007 南湖区人民法院审判法庭运维" in texts
    assert "2. P2026-004 东湖市中级人民法院庭审系统" in texts
    assert any(t.startswith("本表的售后考核内容和评分标准为推定") for t in texts)
    assert "考核季度：2026年第4季度　　售后运维经理：孙慧" in texts
    assert len(docx.Document(str(paths["aftersales_2026q4"])).tables) == 6
    # the second block starts on a new page
    body = xml_part(paths["aftersales_2026q4"])
    assert len(body.findall(".//w:pPr/w:pageBreakBefore", NS)) == 1


def test_payout_and_statement_read_back(tmp_path, build_sheets, texts_of):
    paths = build_sheets(tmp_path)
    payout = texts_of(paths["payout_2026q4"])
    assert payout[0] == "季度奖金发放表"
    assert "8,633.73" in payout and "1,992.40" in payout
    assert any(("ab" * 32) in t for t in payout)
    sign = next(t for t in payout if t.startswith("技术总监："))
    assert "总经理：" in sign and "财务代表：" in sign
    statement = texts_of(paths["statement_lijun_2026"])
    assert statement[0] == "个人奖金明细"
    assert "1,648.80" in statement and "120.00" in statement


def test_tracking_sheet_is_landscape_and_reads_back(tmp_path, build_sheets, texts_of):
    path = build_sheets(tmp_path)["tracking_2026w48"]
    section = docx.Document(str(path)).sections[0]
    assert (section.page_width.cm, section.page_height.cm) == pytest.approx((29.7, 21.0), abs=0.01)
    assert section.orientation == docx.enum.section.WD_ORIENT.LANDSCAPE
    table = docx.Document(str(path)).tables[0]
    assert row_texts(table.rows[0])[:4] == ["项目编号", "项目名称", "客户", "阶段"]
    assert row_texts(table.rows[2])[6:] == ["技术方案", "待审核", "冯涛", "冯涛"]
    widths = [int(c.get(f"{W}w")) for c in table._tbl.findall(".//w:gridCol", NS)]
    assert len(widths) == 10 and abs(sum(widths) - 14570) <= 10  # 25.7 cm between margins
    texts = texts_of(path)
    assert texts[0] == "售前项目跟踪表"
    assert "共 6 个售前项目" in texts
    sign = next(t for t in texts if t.startswith("售前经理："))
    assert "技术总监：" in sign and "日期：" in sign


def test_an_empty_payout_says_so(tmp_path, texts_of):
    from techdept.forms.context import payout_context
    from techdept.forms.render import render_payout

    doc = {
        "quarter": "2027Q1",
        "window": ["2027-03-25", "2027-03-31"],
        "lines": [],
        "pool": "0.00",
        "total": "0.00",
    }
    path = render_payout(payout_context(doc, "zh"), tmp_path / "empty.docx")
    assert "本季度没有应发放的奖金。" in texts_of(path)


def test_the_same_sheet_gives_the_same_document_xml(tmp_path, doc, policy, xml_of):
    sheet = assessment_context(doc("e1_implementation"), policy, "zh")
    a = render_assessment(sheet, tmp_path / "a.docx")
    b = render_assessment(sheet, tmp_path / "b.docx")
    assert xml_of(a) == xml_of(b)
