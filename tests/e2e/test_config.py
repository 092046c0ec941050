"""``techdept config``: the company's name kept in the ledger, set by the administrator,
audited, and printed on every sheet's title line (absent while it is not set)."""

from __future__ import annotations

import sqlite3

import docx
import pytest
from _meeting import add_department, approve, implementation
from _refusals import nothing_changes, refused

COMPANY = "某某科技有限公司"
READS = (("config", "show"),)


def value(td):
    return td("config", "show", "--json").json()["settings"][0]["value"]


def title(path):
    """The first paragraph of a .docx: the sheet's title line."""
    return docx.Document(str(path)).paragraphs[0].text


@pytest.fixture
def department(td):
    add_department(td)  # 张丽 (zhangli) is the administrator


def test_set_show_unset(td, department):
    shown = td("--lang", "zh", "config", "show").stdout
    assert "公司名称" in shown and "未设置的项可用" in shown
    assert value(td) is None
    got = td("--lang", "zh", "--as", "zhangli", "config", "set", "公司名称", COMPANY)
    assert f"公司名称已设为“{COMPANY}”" in got.stdout
    doc = td("config", "show", "--json").json()["settings"][0]
    assert doc == {"key": "company", "value": COMPANY, "set_at": doc["set_at"],
                   "set_by": "zhangli", "audited": True}  # fmt: skip
    assert doc["set_at"].startswith("2026-11-27T")
    # the same value again writes nothing
    with nothing_changes(td, *READS):
        got = td("--lang", "zh", "--as", "zhangli", "config", "set", "company", COMPANY)
    assert "未作改动" in got.stdout
    # a Chinese name, its start, the key: all name the setting
    td("--as", "zhangli", "config", "set", "公司", "另一家科技有限公司")
    assert value(td) == "另一家科技有限公司"
    got = td("--as", "zhangli", "config", "unset", "company", "--json").json()
    assert got == {"key": "company", "before": "另一家科技有限公司", "after": None, "changed": True}
    assert value(td) is None
    with nothing_changes(td, *READS):
        got = td("--lang", "zh", "--as", "zhangli", "config", "unset", "公司名称")
    assert "本未设置，未作改动" in got.stdout


def test_every_change_is_audited_in_the_chain(td, department):
    td("--as", "zhangli", "config", "set", "company", COMPANY)
    td("--as", "zhangli", "config", "set", "company", "Acme Court Systems Ltd.")
    td("--as", "zhangli", "config", "unset", "company")
    rows = [r for r in td("audit", "log", "--json").json() if r["entity"] == "config"]
    assert [(r["action"], r["actor"], r["before"], r["after"]) for r in rows] == [
        ("config.set", "zhangli", None, {"value": COMPANY}),
        ("config.set", "zhangli", {"value": COMPANY}, {"value": "Acme Court Systems Ltd."}),
        ("config.unset", "zhangli", {"value": "Acme Court Systems Ltd."}, None),
    ]
    assert td("audit", "verify", "--json").json()["ok"] is True
    shown = td("--lang", "zh", "audit", "log", "--action", "config.set").stdout
    assert "修改部门设置" in shown


def test_only_the_administrator_may_change_it(td, department):
    td("--as", "zhangli", "config", "set", "company", COMPANY)
    for actor in ("wangjg", "liuzm", "lijun"):  # the director, the GM, an engineer
        refused(td, "--as", actor, "config", "set", "company", "冒名公司", reads=READS,
                stderr="only an administrator may change the department's settings")  # fmt: skip
        refused(td, "--as", actor, "config", "unset", "company", reads=READS,
                stderr="only an administrator")  # fmt: skip
    refused(td, "config", "set", "company", "冒名公司", reads=READS,
            stderr="only an administrator")  # fmt: skip
    got = refused(td, "--lang", "zh", "--as", "lijun", "config", "set", "company", "冒名公司",
                  reads=READS, stderr="只有系统管理员可以修改部门设置")  # fmt: skip
    assert value(td) == COMPANY and got.stdout == ""


def test_anyone_may_set_it_while_there_is_no_administrator(td):
    td("init")
    td("config", "set", "company", COMPANY)
    assert value(td) == COMPANY


@pytest.mark.parametrize(
    "args, stderr",
    [
        (("set", "company", ""), "Company name: must not be empty"),
        (("set", "company", "   "), "Company name: must not be empty"),
        (("set", "company", "某某\n科技"), "contains the control or direction character U+000A"),
        (("set", "company", "某\u202e科技"), "U+202E"),
        (("set", "company", "长" * 41), "Company name: longer than 40 characters"),
        (("set", "colour", "red"), "SETTING: 'colour' is not allowed"),
        (("unset", "colour"), "SETTING: 'colour' is not allowed"),
    ],
)
def test_a_bad_value_is_one_line_and_changes_nothing(td, department, args, stderr):
    td("--as", "zhangli", "config", "set", "company", COMPANY)
    refused(td, "--as", "zhangli", "config", *args, stderr=stderr, reads=READS)
    assert value(td) == COMPANY


def test_a_bad_value_in_chinese(td, department):
    refused(td, "--lang", "zh", "--as", "zhangli", "config", "set", "公司名称", "",
            stderr="公司名称：不能为空", reads=READS)  # fmt: skip
    refused(td, "--lang", "zh", "--as", "zhangli", "config", "set", "颜色", "红",
            stderr="设置项：“颜色”不允许；可选值：company（公司名称）", reads=READS)  # fmt: skip


@pytest.mark.sqlite_only
@pytest.mark.parametrize(
    "sql",
    [
        # a value planted behind techdept's back, pointing at no audit row or at another one
        "INSERT INTO config (key, value, set_at, set_by, audit_id) "
        "VALUES ('company', '冒名公司', '2026-11-27 00:00:00', 'zhangli', 0)",
        "INSERT INTO config (key, value, set_at, set_by, audit_id) "
        "VALUES ('company', '冒名公司', '2026-11-27 00:00:00', 'zhangli', 1)",
        # the administrator's value changed in place, or replayed after it was removed
        "UPDATE config SET value = '冒名公司'",
        "UPDATE config SET set_by = 'evil'",
    ],
)
def test_a_value_the_audit_trail_does_not_vouch_for_is_never_printed(
    td, department, ledger_env, tmp_path, sql
):
    if sql.startswith("UPDATE"):
        td("--as", "zhangli", "config", "set", "company", COMPANY)
    with sqlite3.connect(ledger_env) as db:
        db.execute(sql)
    setting = td("config", "show", "--json").json()["settings"][0]
    assert setting["audited"] is False
    shown = td("--lang", "zh", "config", "show")
    assert "审计记录不能证明此值" in shown.stdout and "表单不会印出它" in shown.stderr
    refused(td, "form", "tracking", "--out", str(tmp_path / "t.docx"), reads=READS,
            stderr="the setting company was not written by techdept config set")  # fmt: skip
    assert not (tmp_path / "t.docx").exists()
    # the administrator puts it right: set again, audited, and printed
    td("--as", "zhangli", "config", "set", "company", COMPANY)
    td("form", "tracking", "--out", str(tmp_path / "t.docx"))
    assert title(tmp_path / "t.docx").startswith(COMPANY)


@pytest.mark.sqlite_only
def test_a_value_replayed_after_it_was_removed_is_never_printed(td, department, ledger_env):
    td("--as", "zhangli", "config", "set", "company", COMPANY)
    with sqlite3.connect(ledger_env) as db:
        saved = db.execute("SELECT key, value, set_at, set_by, audit_id FROM config").fetchone()
    td("--as", "zhangli", "config", "unset", "company")
    with sqlite3.connect(ledger_env) as db:
        db.execute("INSERT INTO config VALUES (?, ?, ?, ?, ?)", saved)
    assert td("config", "show", "--json").json()["settings"][0]["audited"] is False


def _sheets(td, tmp_path, lang="zh"):
    """Every kind of sheet the department signs, written into tmp_path: name → path."""
    from test_tickets import new_ticket

    code = implementation(td)
    approve(td, code)
    ticket = new_ticket(td, "P2026-004")["id"]
    kinds = ("assessment", "payout", "statement", "tracking", "monthly", "ticket")
    out = {name: tmp_path / f"{name}.docx" for name in kinds}
    form = ("--lang", lang, "form")
    td(*form, "assessment", code, "--track", "implementation", "--out", str(out["assessment"]))
    td(*form, "payout", "--quarter", "2026Q4", "--out", str(out["payout"]))
    td(*form, "statement", "zhaolei", "--out", str(out["statement"]))
    td(*form, "tracking", "--out", str(out["tracking"]))
    td(*form, "monthly", "--month", "2026-11", "--out", str(out["monthly"]))
    td(*form, "ticket", ticket, "--out", str(out["ticket"]))
    td(*form, "assessment", "--all", "--quarter", "2026Q4", "--out", str(tmp_path / "all"))
    return out | {p.stem: p for p in (tmp_path / "all").glob("*.docx")}


def test_every_sheet_carries_the_name_in_its_title_line(td, department, tmp_path):
    td("--as", "zhangli", "config", "set", "company", COMPANY)
    titles = {name: title(path) for name, path in _sheets(td, tmp_path).items()}
    assert len(titles) >= 7, titles  # and the quarter's assessment sheets
    # the company's name, then the sheet's, like the paper form's heading
    assert all(t.startswith(f"{COMPANY}\u3000") for t in titles.values()), titles
    assert titles["assessment"] == f"{COMPANY}\u3000项目实施考核表"
    assert titles["tracking"] == f"{COMPANY}\u3000售前项目跟踪表"
    assert titles["ticket"] == f"{COMPANY}\u3000故障单"


def test_the_english_title_line_and_no_name_once_unset(td, department, tmp_path):
    td("--as", "zhangli", "config", "set", "company", "Acme Court Systems Ltd.")
    path = tmp_path / "t.docx"
    td("--lang", "en", "form", "tracking", "--out", str(path))
    assert title(path) == "Acme Court Systems Ltd. — Pre-sales project tracking sheet"
    td("--as", "zhangli", "config", "unset", "company")
    td("--lang", "en", "form", "tracking", "--out", str(path), "--force")
    assert title(path) == "Pre-sales project tracking sheet"


def test_no_name_on_the_sheets_while_it_is_not_set(td, department, tmp_path):
    titles = {name: title(path) for name, path in _sheets(td, tmp_path, "en").items()}
    assert COMPANY not in "".join(titles.values()) and "—" not in "".join(titles.values())
    assert titles["assessment"] == "Implementation assessment sheet"
