"""``report quarter Q``: the quarter at a glance agrees with ``bonus --quarter``; the
terminal shows bars; the workbook carries native bar charts and LibreOffice prints it."""

import os
import shutil
import subprocess
import zipfile
from decimal import Decimal

import openpyxl
import pytest
from _meeting import (
    E1_FACTS,
    IMPL,
    add_department,
    approve,
    implementation,
    new_project,
    record_payment,
)


@pytest.fixture
def quarter(td, monkeypatch):
    """E1 approved and paid in 2026Q4, plus a second assessment still open."""
    add_department(td)
    monkeypatch.setenv("TECHDEPT_TODAY", "2026-11-27")
    code = implementation(td)
    td("--as", "wangjg", "project", "set", code, "--signed", "2026-03-02")
    approve(td, code)
    record_payment(td, code)
    other = new_project(td, "南湖区人民法院数字法庭")
    td("--as", "wangjg", "team", other, *IMPL, "--lead", "zhaolei", "--engineer", "lijun")
    td("assess", "open", other, *IMPL, *E1_FACTS)
    monkeypatch.setenv("TECHDEPT_TODAY", "2026-12-28")
    td("--as", "huangqin", "bonus", "--quarter", "2026Q4", "--pay")
    return code, other


def test_json_agrees_with_the_payout(td, quarter):
    _, other = quarter
    doc = td("report", "quarter", "2026Q4", "--json").json()
    payout = td("bonus", "--quarter", "2026Q4", "--json").json()
    impl = next(x for x in doc["tracks"] if x["track"] == "implementation")
    assert (impl["approved"], impl["open"], impl["final"]) == (1, 1, "5808.00")
    assert impl["grades"]["B"] == 1 and sum(impl["grades"].values()) == 1
    assert doc["paid"] == payout["total"] and doc["payable"] == "0.00"
    assert {p["staff"]: p["total"] for p in doc["people"]} == {
        x["staff"]: x["amount"] for x in payout["totals"]
    }
    assert (doc["pool"], doc["pool_balance"]) == (payout["pool"], payout["pool_balance"])
    assert [(a["project"], a["status"]) for a in doc["open"]] == [(other, "open")]
    assert doc["policy"]["id"] == "v2.0-2014"


def test_what_waits_for_the_final_payment_is_shown_per_person(td, monkeypatch):
    """E1 approved, its final payment not yet in: each person's share is waiting, as
    ``bonus --pending`` lists it, and nothing is payable or paid."""
    add_department(td)
    monkeypatch.setenv("TECHDEPT_TODAY", "2026-11-27")
    approve(td, implementation(td))
    doc = td("report", "quarter", "2026Q4", "--json").json()
    waiting = td("bonus", "--quarter", "2026Q4", "--pending", "--json").json()
    assert waiting["total"] != "0.00"
    assert {p["staff"]: p["pending"] for p in doc["people"]} == {
        x["staff"]: x["amount"] for x in waiting["totals"]
    }
    assert (doc["pending"], doc["payable"], doc["paid"]) == (waiting["total"], "0.00", "0.00")


def test_next_quarter_shows_nothing_paid(td, quarter):
    doc = td("report", "quarter", "2027Q1", "--json").json()
    assert doc["paid"] == "0.00" and all(x["approved"] == 0 for x in doc["tracks"])
    td("report", "quarter", "2027Q5", expect=1)


def test_terminal_shows_bars_in_chinese(td, quarter):
    text = td("--lang", "zh", "report", "quarter", "2026Q4").stdout
    assert "2026Q4 季度概览" in text and "等级分布" in text and "个人奖金" in text
    bars = [line for line in text.splitlines() if "█" in line]
    assert any(line.startswith("B ") for line in bars)  # the one B of the quarter
    assert any("赵磊" in line for line in bars)
    assert "未完成的考核（1）" in text


def _workbook(td, tmp_path):
    path = tmp_path / "quarter.xlsx"
    td("--lang", "zh", "report", "quarter", "2026Q4", "--xlsx", str(path))
    return path


def test_workbook_has_native_charts(td, quarter, tmp_path):
    path = _workbook(td, tmp_path)
    with zipfile.ZipFile(path) as z:
        names = z.namelist()
        charts = sorted(n for n in names if n.startswith("xl/charts/chart"))
        assert len(charts) == 2
        xml = [z.read(n).decode("utf-8") for n in charts]
        assert all("<barChart>" in x and "<ser>" in x for x in xml)
        assert any("等级分布" in x for x in xml) and any("个人奖金" in x for x in xml)
        assert any(n.startswith("xl/drawings/drawing") for n in names)
    wb = openpyxl.load_workbook(path)
    people = wb["个人"]
    rows = [[c.value for c in r] for r in people.iter_rows()]
    header = next(i for i, r in enumerate(rows) if r[0] == "人员编号")
    totals = next(r for r in rows[header:] if r[0] == "合计")
    assert Decimal(str(totals[-1])).quantize(Decimal("0.01")) == Decimal("7550.40")


@pytest.mark.slow
def test_libreoffice_prints_the_workbook(td, quarter, tmp_path):
    if shutil.which("soffice") is None:
        if os.environ.get("CI"):
            pytest.fail("CI must convert the quarter workbook: soffice is missing")
        pytest.skip("soffice (LibreOffice) is not installed")
    path = _workbook(td, tmp_path)
    env = dict(os.environ, HOME=str(tmp_path))
    result = subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{tmp_path / 'lo'}", "--headless",
         "--norestore", "--convert-to", "pdf", "--outdir", str(tmp_path / "pdf"), str(path)],
        capture_output=True, text=True, env=env, timeout=240,
    )  # fmt: skip
    pdf = tmp_path / "pdf" / "quarter.pdf"
    assert result.returncode == 0 and pdf.exists(), result.stderr
    assert pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 5000
