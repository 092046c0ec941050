"""No silent traps: a mistyped --db creates nothing, another program's database is left alone."""

import sqlite3

import pytest


@pytest.mark.sqlite_only
@pytest.mark.no_ledger
@pytest.mark.parametrize(
    "argv",
    [
        ("staff", "list"),
        ("staff", "add", "张三", "--code", "zhangsan", "--role", "engineer"),
        ("project", "new", "甲", "--customer", "甲院"),
        ("db", "check"),
        ("db", "upgrade"),
        ("audit", "log"),
        ("bonus", "--quarter", "2026Q4"),
    ],
)
def test_mistyped_db_creates_nothing(td, tmp_path, argv):
    typo = tmp_path / "ledgr.db"
    got = td("--db", str(typo), *argv, expect=3)
    assert f"there is no ledger at {typo}" in got.stderr
    assert "techdept init" in got.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == []


@pytest.mark.sqlite_only
@pytest.mark.no_ledger
def test_missing_ledger_in_chinese(td, tmp_path):
    typo = tmp_path / "台账.db"
    got = td("--lang", "zh", "--db", str(typo), "staff", "list", expect=3)
    assert f"{typo} 处还没有台账" in got.stderr
    assert not typo.exists()


@pytest.mark.sqlite_only
@pytest.mark.no_ledger
def test_init_creates_and_then_commands_work(td, ledger_env):
    td("staff", "list", expect=3)
    assert not ledger_env.exists()
    td("init")
    assert ledger_env.exists()
    td("staff", "list")


@pytest.mark.sqlite_only
@pytest.mark.no_ledger
def test_commands_without_a_ledger_still_run(td, ledger_env):
    td("--help")
    td("db", "path")
    td("policy", "lint")
    assert not ledger_env.exists()


@pytest.mark.sqlite_only
@pytest.mark.parametrize("argv", [("init",), ("staff", "list"), ("db", "upgrade")])
def test_another_programs_database_is_refused_untouched(td, tmp_path, argv):
    other = tmp_path / "contacts.db"
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE contact (name TEXT, phone TEXT)")
    con.execute("INSERT INTO contact VALUES ('王五', '138')")
    con.commit()
    con.close()
    before = other.read_bytes()
    got = td("--db", str(other), *argv, expect=3)
    assert "is a database but not a techdept ledger" in got.stderr
    assert other.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "ledger.db") == ["contacts.db"]


@pytest.mark.sqlite_only
def test_an_empty_sqlite_file_is_not_a_ledger_until_init(td, tmp_path):
    empty = tmp_path / "empty.db"
    sqlite3.connect(empty).close()
    empty.write_bytes(b"")
    td("--db", str(empty), "staff", "list", expect=3, stderr="there is no ledger")
    assert empty.read_bytes() == b""
    td("--db", str(empty), "init")
    td("--db", str(empty), "staff", "list")


@pytest.mark.sqlite_only
def test_existing_ledger_opens(td):
    td("staff", "add", "张三", "--code", "zhangsan", "--role", "engineer")
    assert "zhangsan" in td("staff", "list").stdout


def test_score_changes_only_the_items_given(td):
    from tests.e2e._meeting import IMPL, add_department, new_project

    add_department(td)
    code = new_project(td, "南湖区人民法院")
    td("--as", "wangjg", "team", code, *IMPL, "--lead", "zhaolei")
    td(
        "assess", "open", code, *IMPL, "--planned-days", "60", "--actual-days", "60",
        "--budget", "100", "--actual-cost", "100", "--ia-deducted", "0", "--ia-late-days", "0",
    )  # fmt: skip
    td("score", code, *IMPL, "--scorer", "sales", "quality=25")
    # a forgotten item added later keeps the earlier points
    td("score", code, *IMPL, "--scorer", "self", "quality=28")
    got = td("score", code, *IMPL, "--scorer", "self", "schedule=30")
    assert "before: Project quality 28\n" in got.stdout
    sheet = td("assess", "show", code, *IMPL, "--json").json()["scorers"]["self"]
    assert sheet["quality"] == "28" and sheet["total"] == "88"
    # the audit trail says it was an update of the sheet, with both versions
    log = td("audit", "log", "--json").json()
    actions = [e["action"] for e in (log if isinstance(log, list) else log["entries"])]
    assert "score.update" in actions


def test_score_confirmation_names_the_missing_items(td):
    from tests.e2e._meeting import add_department, new_project

    add_department(td)
    code = new_project(
        td,
        "东山县人民法院",
        stage="implementation.preparation",
        contract="500,000.00",
        difficulty="low",
    )
    pre = ("--track", "presales")
    td("--as", "wangjg", "team", code, *pre, "--lead", "hemin")
    td("assess", "open", code, *pre, "--planned-days", "30", "--actual-days", "30")
    got = td("score", code, *pre, "--scorer", "sales", "schedule=30")
    assert "still to score for this scorer: Solution quality" in got.stdout
    got = td("--lang", "zh", "score", code, *pre, "--scorer", "sales", "quality=50")
    assert "修改前：项目工期 30" in got.stdout
    assert "尚未评分" not in got.stdout


def test_form_refuses_to_overwrite_without_force(td, tmp_path):
    td("init", "--demo")
    sheet = tmp_path / "季度奖金.docx"
    sheet.write_bytes(b"the secretary's own edits")
    got = td("form", "payout", "--quarter", "2026Q4", "--out", str(sheet), expect=1)
    assert f"{sheet} already exists; nothing was written (add --force" in got.stderr
    assert sheet.read_bytes() == b"the secretary's own edits"
    got = td("form", "payout", "--quarter", "2026Q4", "--out", str(sheet), "--force")
    assert str(sheet) in got.stdout
    assert sheet.read_bytes()[:2] == b"PK"


def test_team_with_no_change_shows_the_team(td):
    from tests.e2e._meeting import IMPL, add_department, new_project

    add_department(td)
    code = new_project(td, "南湖区人民法院")
    td(
        "--as",
        "wangjg",
        "team",
        code,
        *IMPL,
        expect=1,
        stderr=f"{code} has no Implementation team yet",
    )
    td("--as", "wangjg", "team", code, *IMPL, "--lead", "zhaolei", "--engineer", "lijun:2")
    got = td("--as", "wangjg", "team", code, *IMPL)
    assert "lead 赵磊 (zhaolei) with 30 %; engineers: 李军 (lijun) ×2" in got.stdout
    assert td("--as", "wangjg", "team", code, *IMPL, "--json").json()["lead"]["staff"] == "zhaolei"
    td(
        "--as",
        "wangjg",
        "team",
        code,
        *IMPL,
        "--engineer",
        "wuhao",
        expect=2,
        stderr="need --lead too",
    )
    audit = td("audit", "log", "--json").json()
    entries = audit if isinstance(audit, list) else audit["entries"]
    assert sum(e["action"].startswith("team") for e in entries) == 1


@pytest.mark.parametrize("lang, words", [("en", "is not a file"), ("zh", "不是文件")])
def test_chinese_file_names_print_as_themselves(td, tmp_path, lang, words):
    missing = tmp_path / "售后服务总结报告.md"
    got = td(
        "--lang", lang, "kb", "add", str(missing), "--library", "technical", "--title", "x",
        expect=1,
    )  # fmt: skip
    assert str(missing) in got.stderr and words in got.stderr
    assert "\\u" not in got.stderr


def test_audit_log_speaks_chinese_and_rows_stay_data(td):
    td("staff", "add", "张三", "--code", "zhangsan", "--role", "engineer")
    got = td("--lang", "zh", "audit", "log")
    assert "添加人员" in got.stdout and "staff.add" not in got.stdout
    assert "未指定操作人（系统用户" in got.stdout and "os:" not in got.stdout
    assert "用 --as 人员编号 或环境变量 TECHDEPT_USER 设定操作人" in got.stdout
    rows = td("--lang", "zh", "audit", "log", "--json").json()
    rows = rows if isinstance(rows, list) else rows["entries"]
    assert rows[-1]["action"] == "staff.add" and rows[-1]["actor"].startswith("os:")
