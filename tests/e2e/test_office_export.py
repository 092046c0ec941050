"""``--xlsx FILE``: real workbooks read back with openpyxl — money as numbers with the ¥
format, dates as dates, totals that agree with ``--json``, text that never becomes a formula,
and no file overwritten without ``--force``."""

import datetime as dt
from decimal import Decimal

import openpyxl
import pytest
from _meeting import add_department, approve, implementation, record_payment

MONEY = "¥#,##0.00"


@pytest.fixture
def paid_quarter(td, monkeypatch):
    """E1 approved, its final payment in, the 2026Q4 payout run; the project is named
    ``=1+1`` (an attacker's formula)."""
    add_department(td)
    monkeypatch.setenv("TECHDEPT_TODAY", "2026-11-27")
    code = implementation(td)
    td("--as", "wangjg", "project", "set", code, "--signed", "2026-03-02", "--name", "=1+1")
    approve(td, code)
    record_payment(td, code)
    monkeypatch.setenv("TECHDEPT_TODAY", "2026-12-28")
    td("--as", "huangqin", "bonus", "--quarter", "2026Q4", "--pay")
    return code


def table(ws, header_first: str):
    """(header, data rows, totals row or None) of the first table whose header starts so."""
    rows = [list(r) for r in ws.iter_rows()]
    start = next(i for i, r in enumerate(rows) if r[0].value == header_first)
    body = []
    for r in rows[start + 1 :]:
        if r[0].value is None and all(c.value is None for c in r):
            break
        body.append(r)
    totals = body.pop() if body and body[-1][0].value in ("Total", "合计") else None
    return [c.value for c in rows[start]], body, totals


def test_payout_workbook_reads_back(td, paid_quarter, tmp_path):
    path = tmp_path / "payout.xlsx"
    doc = td("bonus", "--quarter", "2026Q4", "--json").json()
    out = td("bonus", "--quarter", "2026Q4", "--xlsx", str(path)).stdout
    assert str(path) in out
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["Payout", "Totals", "Pool"]
    ws = wb["Payout"]
    head = [(ws.cell(r, 1).value, ws.cell(r, 2).value) for r in range(2, 5)]
    assert head[0][0] == "Policy" and head[0][1].startswith("v2.0-2014 · ")
    audit_head = td("audit", "verify", "--json").json()
    assert head[1] == ("Audit head", audit_head["head"])
    header, body, totals = table(ws, "Line")
    assert ws.freeze_panes == f"A{body[0][0].row}"
    amount = header.index("Amount")
    cells = [r[amount] for r in body]
    assert all(c.data_type == "n" and c.number_format == MONEY for c in cells)
    got = [Decimal(str(c.value)).quantize(Decimal("0.01")) for c in cells]
    assert got == [Decimal(x["amount"]) for x in doc["lines"]]
    assert totals[amount].number_format == MONEY
    assert Decimal(str(totals[amount].value)).quantize(Decimal("0.01")) == Decimal(doc["total"])
    name = body[0][header.index("Project name")]
    assert (name.value, name.data_type, name.quotePrefix) == ("=1+1", "s", True)
    _, people, person_total = table(wb["Totals"], "Code")
    assert [r[0].value for r in people] == [x["staff"] for x in doc["totals"]]
    assert Decimal(str(person_total[2].value)).quantize(Decimal("0.01")) == Decimal(doc["total"])
    _, moves, _ = table(wb["Pool"], "Date")
    assert moves[0][0].value == dt.datetime(2026, 11, 27) and moves[0][0].is_date
    assert Decimal(str(moves[0][5].value)) == Decimal(doc["pool"])


def test_no_formula_anywhere_in_the_xml(td, paid_quarter, tmp_path):
    """The workbook's XML holds no <f> element: nothing a spreadsheet would evaluate."""
    import zipfile

    path = tmp_path / "p.xlsx"
    td("bonus", "--quarter", "2026Q4", "--xlsx", str(path))
    with zipfile.ZipFile(path) as z:
        sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
        assert sheets and not any(b"<f>" in z.read(n) for n in sheets)


@pytest.mark.parametrize("start", ["=", "+", "-", "@"])
def test_every_formula_start_stays_text(td, tmp_path, start):
    name = f"{start}cmd|' /C calc'!A0"
    td("staff", "add", "--code", "x1", "--role", "engineer", "--", name)
    path = tmp_path / "s.xlsx"
    td("staff", "list", "--xlsx", str(path))
    ws = openpyxl.load_workbook(path).active
    _, body, _ = table(ws, "Code")
    cell = body[0][1]
    assert (cell.value, cell.data_type, cell.quotePrefix) == (name, "s", True)


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1", "ok"])
def test_writer_keeps_any_text_as_text(tmp_path, text):
    """Tab and CR never reach a workbook from the command line (names refuse control
    characters); the writer guards them anyway."""
    from techdept.forms.workbook import Column, Section, Sheet, write

    path = write(
        tmp_path / "w.xlsx", [Sheet("S", "t", [Section([Column("a", "A")], [{"a": text}])])]
    )
    cell = openpyxl.load_workbook(path).active.cell(4, 1)
    assert (cell.value, cell.data_type) == (text, "s")
    assert cell.quotePrefix == (text != "ok")


def test_refuses_to_overwrite_without_force(td, tmp_path):
    path = tmp_path / "s.xlsx"
    path.write_bytes(b"keep me")
    td("staff", "list", "--xlsx", str(path), expect=1, stderr="--force")
    assert path.read_bytes() == b"keep me"
    td("staff", "list", "--xlsx", str(path), "--force")
    assert openpyxl.load_workbook(path).sheetnames == ["Staff"]
    td("staff", "list", "--xlsx", str(tmp_path / "s.csv"), expect=1, stderr=".xlsx")
    td("staff", "list", "--xlsx", str(tmp_path / "no" / "s.xlsx"), expect=1, stderr="no")


def test_zh_headers_and_widths_fit_chinese(td, paid_quarter, tmp_path):
    path = tmp_path / "p.xlsx"
    td("--lang", "zh", "project", "list", "--xlsx", str(path))
    wb = openpyxl.load_workbook(path)
    ws = wb["项目"]
    header, body, totals = table(ws, "编号")
    assert header[:3] == ["编号", "项目名称", "客户"]
    customer = header.index("客户") + 1
    longest = max(len(r[customer - 1].value) for r in body)
    letter = openpyxl.utils.get_column_letter(customer)
    assert ws.column_dimensions[letter].width >= 2 * longest  # CJK is two columns wide
    contract = header.index("合同金额")
    assert totals[0].value == "合计" and totals[contract].value == sum(
        r[contract].value or 0 for r in body
    )
    signed = body[0][header.index("签约日期")]
    assert signed.is_date and signed.number_format == "yyyy-mm-dd"


@pytest.mark.parametrize(
    "argv, sheet",
    [
        (["staff", "list"], "Staff"),
        (["project", "list"], "Projects"),
        (["assess", "list"], "Assessments"),
        (["bonus", "statement", "zhaolei"], "Statement"),
        (["report", "tracking"], "Tracking"),
    ],
)
def test_each_list_writes_its_workbook(td, paid_quarter, tmp_path, argv, sheet):
    path = tmp_path / "out.xlsx"
    td(*argv, "--xlsx", str(path))
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames[0] == sheet
    assert wb[sheet].max_row > 5


def test_assessment_sheet_workbook(td, paid_quarter, tmp_path):
    path = tmp_path / "a.xlsx"
    doc = td("assess", "show", paid_quarter, "--track", "implementation", "--json").json()
    td("assess", "show", paid_quarter, "--track", "implementation", "--explain",
       "--xlsx", str(path))  # fmt: skip
    wb = openpyxl.load_workbook(path)
    assert len(wb.sheetnames) == 2
    ws = wb[paid_quarter]
    _, body, totals = table(ws, "Person")
    amounts = [Decimal(str(r[2].value)).quantize(Decimal("0.01")) for r in body]
    expected = [Decimal(a["amount"]) for a in doc["allocations"]]
    assert amounts == [*expected, Decimal(doc["pool"]), Decimal(doc["director_award"])]
    assert all(r[2].number_format == MONEY for r in body)
    assert Decimal(str(totals[2].value)).quantize(Decimal("0.01")) == sum(amounts)
