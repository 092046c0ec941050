"""A ticket's three forms (.docx), read back: the fault ticket, the customer service report and
the trip request, with their signature lines and who signed in the ledger."""

import docx
import pytest
from _tickets import after_sales_project, new_ticket

project = after_sales_project  # the fixture


def texts(path):
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
    return out, rows


@pytest.fixture
def on_site(td, project):
    tid = new_ticket(td, project)["id"]
    td("--as", "sunhui", "ticket", "assign", tid, "--engineer", "lijun", "--at", "2026-11-20 09:00")
    td("--as", "lijun", "ticket", "call", tid, "--not-solved", "--note", "需要上门")
    td(
        "--as", "lijun", "ticket", "trip", tid, "--from", "2026-11-21", "--to", "2026-11-22",
        "--purpose", "上门更换功放",
    )  # fmt: skip
    return tid


def test_trip_request_and_service_report(td, on_site, tmp_path):
    td(
        "--lang", "zh", "form", "service-report", on_site, "--out", str(tmp_path / "r.docx"),
        expect=1, stderr="还没有客户服务报告",
    )  # fmt: skip
    td("--as", "fengtao", "ticket", "approve-trip", on_site)
    td("--as", "sunhui", "ticket", "approve-trip", on_site)
    td(
        "--as", "lijun", "ticket", "visit", on_site, "--date", "2026-11-21", "--work-done",
        "更换第三法庭功放一台",
    )  # fmt: skip
    td("--as", "lijun", "ticket", "repair", on_site, "--part", "功放", "--action", "replace")
    td(
        "--as", "lijun", "ticket", "customer-sign", on_site, "--name", "王法官", "--date",
        "2026-11-21",
    )  # fmt: skip
    td("--as", "sunhui", "ticket", "manager-sign", on_site)
    td("--as", "lijun", "ticket", "expense", on_site, "--amount", "1,320.50", "--note", "车费")

    trip = tmp_path / "trip.docx"
    td("--lang", "zh", "form", "trip", on_site, "--out", str(trip))
    paragraphs, rows = texts(trip)
    assert paragraphs[0] == "出差申请单"
    assert ["出差日期", "2026-11-21 至 2026-11-22（2 天）"] in rows
    assert ["出差事由", "上门更换功放"] in rows
    assert ["出差费用", "¥1,320.50", "说明", "车费"] in rows
    signatures = " ".join(paragraphs)
    assert "申请人：" in signatures and "销售代表：" in signatures
    assert "fengtao 于 2026-11-27 签" in signatures and "sunhui 于 2026-11-27 签" in signatures

    report = tmp_path / "report.docx"
    td("--lang", "zh", "form", "service-report", on_site, "--out", str(report))
    paragraphs, rows = texts(report)
    assert paragraphs[0] == "客户服务报告"
    assert ["客户服务报告", "更换第三法庭功放一台"] in rows
    assert ["维修更换", "更换 功放：免费（保内）"] in rows
    text = " ".join(paragraphs)
    assert "客户签字：" in text and "售后运维经理：" in text
    assert "王法官 于 2026-11-21 签" in text

    sheet = tmp_path / "ticket.docx"
    td("form", "ticket", on_site, "--out", str(sheet))
    paragraphs, rows = texts(sheet)
    assert paragraphs[0] == "Fault ticket"
    assert ["Symptom", "第三法庭录音系统无声音"] in rows
    assert ["At", "Step", "By", "Status"] in rows
    assert [r[1] for r in rows if len(r) == 4 and r[0].startswith("2026-")][:3] == [
        "register",
        "assign",
        "call",
    ]


def test_no_trip_no_trip_form(td, project, tmp_path):
    tid = new_ticket(td, project)["id"]
    td(
        "form", "trip", tid, "--out", str(tmp_path / "t.docx"), expect=1,
        stderr="has no trip request",
    )  # fmt: skip
    assert not (tmp_path / "t.docx").exists()
