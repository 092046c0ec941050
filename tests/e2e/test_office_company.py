"""The company's name (``config set company``) in the title row of every ``--xlsx``
workbook, read back with openpyxl: before the sheet's title when set, nothing in its place
when not, in zh and en; a value the audit trail does not vouch for is refused as ``form``
refuses it, before any work (``bonus --pay --xlsx`` pays nothing)."""

from __future__ import annotations

import sqlite3

import openpyxl
import pytest
from _meeting import add_department, approve, implementation, record_payment
from _refusals import refused

COMPANY = {"zh": "某某科技有限公司", "en": "Acme Court Systems Ltd."}
JOIN = {"zh": "\u3000", "en": " — "}
TEMPLATE = {"zh": "{}导入表", "en": "Import sheet: {}"}
KINDS = ("staff", "projects", "payments", "scores")


@pytest.fixture
def quarter(td, monkeypatch):
    """E1 approved, its final payment in and the 2026Q4 payout run."""
    add_department(td)  # 张丽 (zhangli) is the administrator
    monkeypatch.setenv("TECHDEPT_TODAY", "2026-11-27")
    code = implementation(td)
    td("--as", "wangjg", "project", "set", code, "--signed", "2026-03-02")
    approve(td, code)
    record_payment(td, code)
    monkeypatch.setenv("TECHDEPT_TODAY", "2026-12-28")
    td("--as", "huangqin", "bonus", "--quarter", "2026Q4", "--pay")
    return code


def commands(code):
    """Every command that writes a workbook with a title row: name → argv before --xlsx."""
    return {
        "staff": ("staff", "list"),
        "projects": ("project", "list"),
        "assessments": ("assess", "list"),
        "assessment": ("assess", "show", code, "--track", "implementation", "--explain"),
        "payout": ("bonus", "--quarter", "2026Q4"),
        "statement": ("bonus", "statement", "zhaolei"),
        "tracking": ("report", "tracking"),
        "quarter": ("report", "quarter", "2026Q4"),
    }


def titles(td, tmp_path, lang, code):
    """Each command's workbook → the first cell of each of its sheets, and each import
    template's → its first two rows' first cells and its header row."""
    got = {}
    for name, argv in commands(code).items():
        path = tmp_path / f"{name}.xlsx"
        td("--lang", lang, *argv, "--xlsx", str(path), "--force")
        got[name] = [ws.cell(1, 1).value for ws in openpyxl.load_workbook(path)]
    for kind in KINDS:
        path = tmp_path / f"template-{kind}.xlsx"
        td("--lang", lang, "import", "template", kind, "--xlsx", str(path), "--force")
        ws = openpyxl.load_workbook(path).worksheets[0]
        rows = ws.iter_rows(values_only=True)
        header = next(r for r in rows if any(str(c).endswith("*") for c in r))
        got[f"template-{kind}"] = (ws.cell(1, 1).value, ws.title, header)
    return got


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_workbook_carries_the_name_in_its_title_row(td, quarter, tmp_path, lang):
    bare = titles(td, tmp_path, lang, quarter)
    company = COMPANY[lang]
    assert company not in repr(bare)  # nothing in its place while it is not set
    assert all(t for n, ts in bare.items() if not n.startswith("template") for t in ts)
    td("--as", "zhangli", "config", "set", "company", company)
    named = titles(td, tmp_path, lang, quarter)
    assert named.keys() == bare.keys()
    for name, sheets in bare.items():
        if name.startswith("template"):
            first, sheet, header = sheets
            assert first == header[0]  # the header is the template's first row
            assert named[name] == (f"{company}{JOIN[lang]}{TEMPLATE[lang].format(sheet)}",
                                   sheet, header)  # fmt: skip
        else:
            assert named[name] == [f"{company}{JOIN[lang]}{t}" for t in sheets], name


def test_a_template_with_the_name_still_imports(td, quarter, tmp_path):
    td("--as", "zhangli", "config", "set", "company", COMPANY["zh"])
    path = tmp_path / "staff.xlsx"
    td("--lang", "zh", "import", "template", "staff", "--xlsx", str(path))
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    assert ws.cell(1, 1).value == "某某科技有限公司\u3000人员导入表"
    assert ws.freeze_panes == "A4"  # under the header, two rows below the title
    # the example row, given a code of its own, imports under the title row
    header = [c.value for c in ws[3]]
    assert header == ["编号*", "姓名*", "角色*"]
    ws.cell(4, 1, "xinren")
    wb.save(path)
    got = td("--lang", "zh", "--as", "zhangli", "import", "staff", str(path))
    assert "1 行" in got.stdout, got.stdout
    assert "xinren" in {s["code"] for s in td("staff", "list", "--json").json()}


def test_the_name_in_a_page_header_and_as_text_never_a_formula(tmp_path):
    from techdept.forms.workbook import Column, Section, Sheet, write

    sheet = Sheet("S", "Title", [Section([Column("a", "A")], [{"a": "x"}])])
    path = write(tmp_path / "w.xlsx", [sheet], company="=HYPERLINK(1)")
    ws = openpyxl.load_workbook(path).worksheets[0]
    assert ws.cell(1, 1).value == "=HYPERLINK(1) — Title" and ws.cell(1, 1).data_type == "s"
    assert ws.cell(1, 1).quotePrefix
    assert ws.oddHeader.center.text.startswith("=HYPERLINK(1) — Title")
    bare = write(tmp_path / "b.xlsx", [sheet], force=True)
    assert openpyxl.load_workbook(bare).worksheets[0].cell(1, 1).value == "Title"


PLANTED = "INSERT INTO config (key, value, set_at, set_by, audit_id) VALUES ('company', '冒名公司', '2026-11-27 00:00:00', 'zhangli', 0)"  # noqa: E501


@pytest.mark.sqlite_only
@pytest.mark.parametrize(
    "sql", [PLANTED, "UPDATE config SET value = '冒名公司'", "UPDATE config SET set_by = 'evil'"]
)
def test_a_name_the_audit_trail_does_not_vouch_for_is_refused(
    td, quarter, ledger_env, tmp_path, sql
):
    if sql.startswith("UPDATE"):
        td("--as", "zhangli", "config", "set", "company", COMPANY["zh"])
    with sqlite3.connect(ledger_env) as db:
        db.execute(sql)
    reads = (("config", "show"), ("bonus", "--quarter", "2026Q4"))
    argvs = [*commands(quarter).values(), ("import", "template", "staff")]
    for argv in argvs:
        path = tmp_path / "w.xlsx"
        refused(td, *argv, "--xlsx", str(path), reads=reads,
                stderr="the setting company was not written by techdept config set")  # fmt: skip
        assert not path.exists(), argv
    # paying with a workbook pays nothing: refused before the payout is run
    refused(td, "--as", "huangqin", "bonus", "--quarter", "2027Q1", "--pay",
            "--xlsx", str(tmp_path / "p.xlsx"), reads=reads,
            stderr="the setting company was not written by techdept config set")  # fmt: skip
    # in Chinese, as form says it
    refused(td, "--lang", "zh", "staff", "list", "--xlsx", str(tmp_path / "s.xlsx"),
            stderr="表单不印出它", reads=reads)  # fmt: skip
    # the administrator puts it right: set again, audited, and in the title row
    td("--as", "zhangli", "config", "set", "company", COMPANY["zh"])
    td("--lang", "zh", "staff", "list", "--xlsx", str(tmp_path / "s.xlsx"))
    first = openpyxl.load_workbook(tmp_path / "s.xlsx").worksheets[0].cell(1, 1).value
    assert first.startswith("某某科技有限公司\u3000")
