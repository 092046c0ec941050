"""The free text the paper sheets ask people to fill (issue 14, build 8): the reason for the
schedule and for the cost, the project overview and the review opinion, given at
``assess open|set`` and at approval, kept with the assessment and its approved snapshot, and
printed on the sheet (terminal and .docx) instead of the text the sheet would write."""

from __future__ import annotations

import docx
import pytest
from _meeting import E1_FACTS, IMPL, add_department, approve, implementation, new_project

PRESALES = ("--track", "presales")


@pytest.fixture(autouse=True)
def department(td):
    add_department(td)


def sheet_text(td, tmp_path, code, *track, lang="zh"):
    """The .docx sheet read back: every paragraph and every table cell."""
    out = tmp_path / f"{code}-{lang}.docx"
    td("--lang", lang, "form", "assessment", code, *track, "--out", str(out), "--force")
    document = docx.Document(str(out))
    words = [p.text for p in document.paragraphs]
    words += [c.text for t in document.tables for r in t.rows for c in r.cells]
    return "\n".join(words)


def presales(td):
    code = new_project(
        td,
        "南城区人民检察院审讯室",
        stage="implementation.preparation",
        contract="850,000.00",
        complexity="simple-standard",
        difficulty="high",
    )
    td("--as", "wangjg", "team", code, *PRESALES, "--lead", "hemin", "--lead-share", "60",
       "--engineer", "lijun")  # fmt: skip
    return code


def test_schedule_and_cost_reasons_replace_the_sheets_own_text(td, tmp_path):
    code = new_project(td, "北岸市中级人民法院数字法庭")
    td("--as", "wangjg", "team", code, *IMPL, "--lead", "zhaolei", "--engineer", "lijun:1")
    td("assess", "open", code, *IMPL, *E1_FACTS, "--schedule-reason", "法院提前安排验收",
       "--cost-reason", "客户追加两台庭审主机")  # fmt: skip
    doc = td("assess", "show", code, *IMPL, "--json").json()
    assert doc["facts"]["schedule_reason"] == "法院提前安排验收"
    assert doc["facts"]["cost_reason"] == "客户追加两台庭审主机"
    zh = sheet_text(td, tmp_path, code, *IMPL)
    assert "法院提前安排验收" in zh and "客户追加两台庭审主机" in zh
    assert "提前 9 天完成" not in zh and "超支 6,000.00 元" not in zh
    en = sheet_text(td, tmp_path, code, *IMPL, lang="en")
    assert "法院提前安排验收" in en and "finished 9 days early" not in en
    terminal = td("--lang", "zh", "assess", "show", code, *IMPL).stdout
    assert "工期提前或滞后原因" in terminal and "法院提前安排验收" in terminal
    assert "费用超支或节约原因" in terminal and "客户追加两台庭审主机" in terminal

    # an empty text takes the reason back: the sheet writes its own again
    td("assess", "set", code, *IMPL, "--cost-reason", "")
    assert td("assess", "show", code, *IMPL, "--json").json()["facts"]["cost_reason"] is None
    zh = sheet_text(td, tmp_path, code, *IMPL)
    assert "超支 6,000.00 元" in zh and "客户追加两台庭审主机" not in zh
    en = sheet_text(td, tmp_path, code, *IMPL, lang="en")
    assert "overspent by 6,000.00 CNY" in en


def test_presales_overview_replaces_customer_and_contract(td, tmp_path):
    code = presales(td)
    td("assess", "open", code, *PRESALES, "--planned-days", "30", "--actual-days", "36")
    zh = sheet_text(td, tmp_path, code, *PRESALES)
    assert "客户：南城区人民检察院审讯室客户" in zh  # the sheet's own overview
    overview = "方案修改 3 次；现场演示 2 次，客户认可"
    td("assess", "set", code, *PRESALES, "--overview", overview)
    assert td("assess", "show", code, *PRESALES, "--json").json()["overview"] == overview
    zh = sheet_text(td, tmp_path, code, *PRESALES)
    assert overview in zh and "客户：南城区人民检察院审讯室客户" not in zh
    en = sheet_text(td, tmp_path, code, *PRESALES, lang="en")
    assert overview in en and "Customer: " not in en
    assert overview in td("--lang", "en", "assess", "show", code, *PRESALES).stdout


def test_the_review_opinion_at_approval_replaces_the_sheets_result_text(td, tmp_path):
    code = implementation(td)
    zh = sheet_text(td, tmp_path, code, *IMPL)
    assert "综合分数 84.00，考核等级 B" in zh
    td("--as", "wangjg", "assess", "approve", code, *IMPL, "--opinion", "同意。工期控制良好。")
    td("--as", "liuzm", "assess", "approve", code, *IMPL)
    doc = td("assess", "show", code, *IMPL, "--json").json()
    assert doc["review_opinion"] == "同意。工期控制良好。" and doc["status"] == "approved"
    zh = sheet_text(td, tmp_path, code, *IMPL)
    assert "同意。工期控制良好。" in zh and "综合分数 84.00，考核等级 B" not in zh
    en = sheet_text(td, tmp_path, code, *IMPL, lang="en")
    assert "同意。工期控制良好。" in en and "Composite 84.00, grade B" not in en
    history = td("assess", "history", code, *IMPL, "--json").json()
    assert len(history) == 1  # the opinion is in the approved version's stored document
    # once approved the texts are locked like the facts
    td("assess", "set", code, *IMPL, "--overview", "x", expect=1, stderr="approved")


def test_the_gm_may_write_the_opinion_and_an_empty_one_takes_it_back(td, tmp_path):
    code = implementation(td)
    td("assess", "set", code, *IMPL, "--opinion", "初审意见")
    td("--as", "wangjg", "assess", "approve", code, *IMPL, "--opinion", "")
    assert td("assess", "show", code, *IMPL, "--json").json()["review_opinion"] is None
    td("--as", "liuzm", "assess", "approve", code, *IMPL, "--opinion", "总经理：同意发放")
    assert "总经理：同意发放" in sheet_text(td, tmp_path, code, *IMPL)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--schedule-reason", "延期\x1b[31m"), "U+001B"),
        (("--overview", "概况\u202e反向"), "U+202E"),
        (("--cost-reason", "超" * 201), "200"),
    ],
)
def test_free_text_obeys_the_free_text_rules(td, args, message):
    code = implementation(td)
    before = td("assess", "show", code, *IMPL, "--json").json()
    result = td("--lang", "en", "assess", "set", code, *IMPL, *args, expect=1)
    assert message in result.stderr
    assert td("assess", "show", code, *IMPL, "--json").json() == before


def test_a_text_the_tracks_sheet_has_no_place_for_is_refused(td):
    code = presales(td)
    td("assess", "open", code, *PRESALES, "--planned-days", "30", "--actual-days", "36")
    td("--lang", "en", "assess", "set", code, *PRESALES, "--cost-reason", "多买了设备",
       expect=1, stderr="--cost-reason does not apply")  # fmt: skip
    assert td("assess", "show", code, *PRESALES, "--json").json()["facts"]["cost_reason"] is None


def test_the_texts_are_audited_in_the_users_language(td):
    code = implementation(td)
    td("assess", "set", code, *IMPL, "--schedule-reason", "雨季停工一周")
    td("assess", "set", code, *IMPL, "--schedule-reason", "雨季停工一周")  # no change: no row
    rows = [r for r in td("audit", "log", "--json").json() if r["action"] == "assessment.texts"]
    assert len(rows) == 1
    assert rows[0]["before"] == {"schedule_reason": None}
    assert rows[0]["after"] == {"schedule_reason": "雨季停工一周"}
    assert "修改考核表文字" in td("--lang", "zh", "audit", "log").stdout


def test_without_texts_the_document_says_none_was_given(td):
    code = implementation(td)
    approve(td, code)
    doc = td("assess", "show", code, *IMPL, "--json").json()
    assert doc["review_opinion"] is None and doc["overview"] is None
