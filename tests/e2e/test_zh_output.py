"""No English in Chinese output: the explanation of an assessment (--explain, policy explain),
the audit log and db check speak Chinese in zh — step names, inputs, formula words, actions,
fields, values, check names — while the JSON keeps the language-free keys. Each output is
scanned for ASCII words that are not codes, numbers or names the office types."""

import getpass
import re

import pytest

from tests.e2e._meeting import approve, implementation

# ASCII that may stand in Chinese output, and why: grades (A–E), the k of "the k-th service
# quarter" in a formula, hexadecimal hashes, policy ids (v2.0-2014), project and ticket codes,
# the option and variable that name the acting person, UTC in a column's title — and what
# _codes() collects (staff codes, the OS user of a row nobody signed).
_SHAPES = re.compile(
    r"^(\d[\w.:,/-]*|[A-E]|k|[0-9a-f]{16,}|v\d[\w.-]*|P\d{4}-\d{3}|T\d{4}-\d{4}"
    r"|as|TECHDEPT_USER|UTC)$"
)


def _codes(td):
    staff = td("staff", "list", "--json").json()
    staff = staff if isinstance(staff, list) else staff["staff"]
    return {p["code"] for p in staff} | {getpass.getuser()}


def _english(text, codes):
    words = set()
    for token in re.findall(r"[A-Za-z_][A-Za-z0-9_.-]*", text):
        token = token.strip(".-_")
        if token and token not in codes and not _SHAPES.match(token):
            words.add(token)
    return words


@pytest.fixture
def meeting(td):
    """The E1 review meeting, approved and paid: a ledger whose audit log has teams, facts,
    scores, approvals and a payment."""
    td("init", "--demo")
    code = implementation(td)
    approve(td, code)
    td("--as", "wangjg", "project", "set", code, "--signed", "2026-04-20")
    td("--as", "huangqin", "payment", code, "--kind", "final", "--amount", "1,200,000.00",
       "--date", "2026-11-20")  # fmt: skip
    return code


def test_explain_of_an_assessment_is_chinese(td, meeting):
    got = td("--lang", "zh", "assess", "show", meeting, "--track", "implementation", "--explain")
    text = got.stdout[got.stdout.index("计算过程") :]
    assert "合同金额 = 1200000.00" in text and "复杂度[技术复杂型]" in text
    assert "评分人 = 自评" in text and "项目质量 = 28" in text
    assert "四舍五入((自评 + 销售代表 + 上级考核) / 3, 2)" in text
    assert _english(text, _codes(td)) == set()
    # the JSON keeps the rules' keys
    doc = td("--lang", "zh", "assess", "show", meeting, "--track", "implementation",
             "--explain", "--json").json()  # fmt: skip
    step = next(s for s in doc["explain"] if s["key"] == "step.base")
    assert "contract" in step["inputs"] and step["formula"].startswith("contract")


@pytest.mark.parametrize(
    "args",
    [
        ["--track", "implementation", "--scores", "自评:工期=20,质量=28,费用=15",
         "--scores", "销售:schedule=20,quality=25,cost=15", "--scores", "上级:质量=25",
         "--contract", "800000", "--complexity", "技术复杂型", "--risk", "高",
         "--planned-days", "60", "--actual-days", "66", "--budget", "80000",
         "--actual-cost", "70000", "--ia-deducted", "1", "--ia-late-days", "2",
         "--lead", "赵磊", "--engineer", "李军:1", "--engineer", "周鹏:2"],
        ["--track", "aftersales", "--scores", "自评:及时性=20,质量=20,费用=15,归档=10",
         "--scores", "上级:及时性=20,质量=20,费用=15,归档=10",
         "--scores", "销售:及时性=20,质量=20,费用=15,归档=10",
         "--contract", "1200000", "--complexity", "technical", "--service-months", "13",
         "--budget", "10000", "--actual-cost", "13000", "--lead", "孙慧"],
        ["--track", "presales", "--scores", "自评:工期=10,质量=25",
         "--scores", "上级:工期=10,质量=5", "--contract", "500000", "--complexity",
         "标准庭", "--difficulty", "中", "--complaint", "--lead", "何敏"],
    ],
    ids=["implementation", "aftersales", "presales-vetoed"],
)  # fmt: skip
def test_policy_explain_is_chinese_and_takes_chinese_values(td, args):
    got = td("--lang", "zh", "--plain", "policy", "explain", *args)
    assert "计算过程" in got.stdout
    assert _english(got.stdout, set()) == set(), got.stdout


def test_policy_explain_in_chinese_computes_what_english_keys_compute(td):
    zh = td("--lang", "zh", "policy", "explain", "--track", "实施",
            "--scores", "自评:工期=31,质量=28,费用=18,内验=8",
            "--scores", "销售代表:工期=31,质量=26,费用=18,内验=8",
            "--scores", "上级考核:工期=31,质量=27,费用=18,内验=8",
            "--contract", "1200000", "--complexity", "技术复杂型", "--risk", "中",
            "--lead", "赵磊", "--json").json()  # fmt: skip
    en = td("--lang", "en", "policy", "explain", "--track", "implementation",
            "--scores", "self:schedule=31,quality=28,cost=18,internal_acceptance=8",
            "--scores", "sales:schedule=31,quality=26,cost=18,internal_acceptance=8",
            "--scores", "superior:schedule=31,quality=27,cost=18,internal_acceptance=8",
            "--contract", "1200000", "--complexity", "technical", "--risk", "medium",
            "--lead", "赵磊", "--json").json()  # fmt: skip
    assert zh["steps"] == [
        s | {"label": zh["steps"][i]["label"]} for i, s in enumerate(en["steps"])
    ]
    assert (zh["composite"], zh["grade"], zh["final"]) == ("84.00", "B", "5808.00")
    assert (zh["composite"], zh["grade"], zh["final"]) == (en["composite"], en["grade"],
                                                           en["final"])  # fmt: skip


def test_audit_log_is_chinese_and_its_rows_stay_keys(td, meeting):
    text = td("--lang", "zh", "--plain", "audit", "log").stdout
    for words in ("添加人员", "新建项目", "设定项目组", "开启考核", "录入评分",
                  "技术总监审批考核", "总经理审批考核", "登记回款", "合同金额=¥1,200,000.00",
                  "类型=尾款", "复杂度=技术复杂型"):  # fmt: skip
        assert words in "".join(text.split()), words
    assert _english(text, _codes(td)) == set()
    rows = td("--lang", "zh", "audit", "log", "--json").json()
    assert {"staff.add", "team.set", "payment.record"} <= {r["action"] for r in rows}
    paid = next(r for r in rows if r["action"] == "payment.record")
    assert paid["after"]["kind"] == "final" and paid["after"]["amount_fen"] == 120000000


def test_every_audit_action_the_code_writes_has_a_name_in_both_languages():
    import ast
    from pathlib import Path

    from techdept import i18n

    actions = set()
    for path in (Path(__file__).resolve().parents[2] / "techdept").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "record"
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id == "audit"
                and len(node.args) > 2
            ):
                for part in ast.walk(node.args[2]):
                    if isinstance(part, ast.Constant) and isinstance(part.value, str):
                        actions.add(part.value)
    # f"ticket.{action}", f"aftersales.{kind}", f"demo_system.{kind}": every step and kind
    actions -= {"ticket.", "aftersales.", "demo_system."}
    steps = {k.removeprefix("ticket.action.") for k in i18n.catalog("en")
             if k.startswith("ticket.action.")}  # fmt: skip
    actions |= {f"ticket.{step}" for step in steps}
    actions |= {"aftersales.budget", "aftersales.actual", "demo_system.test", "demo_system.backup"}
    for lang in i18n.LANGS:
        missing = sorted(a for a in actions if f"audit.action.{a}" not in i18n.catalog(lang))
        assert missing == [], (lang, missing)


def test_db_check_names_its_checks_in_chinese(td, meeting):
    text = td("--lang", "zh", "db", "check").stdout
    # SQLite checks the file's integrity too; PostgreSQL skips that check and says so
    assert "外键、审计哈希链、已审批考核重算比对" in text and "文件完整性" in text
    assert _english(text, set()) == set()
    doc = td("--lang", "zh", "db", "check", "--json").json()
    assert {"integrity", "audit", "assessment.recheck"} <= {c["name"] for c in doc["checks"]}


def test_every_check_has_a_name_in_both_languages(td):
    from techdept import i18n

    doc = td("db", "check", "--json").json()
    for lang in i18n.LANGS:
        missing = [c["name"] for c in doc["checks"]
                   if f"db.check_name.{c['name']}" not in i18n.catalog(lang)]  # fmt: skip
        assert missing == [], (lang, missing)


def test_a_row_nobody_signed_says_so_and_how_to_sign(td):
    td("staff", "add", "张三", "--code", "zhangsan", "--role", "engineer")
    text = td("--lang", "zh", "--plain", "audit", "log").stdout
    assert "未指定操作人（系统用户" in text and "os:" not in text
    assert "--as 人员编号 或环境变量 TECHDEPT_USER" in text


def test_plain_tables_wrap_at_80_columns_and_cut_nothing(td, meeting, monkeypatch):
    from collections import Counter

    from techdept.commands._click import width

    monkeypatch.setenv("COLUMNS", "80")
    narrow = td("--lang", "zh", "--plain", "audit", "log").stdout
    assert max(width(line) for line in narrow.splitlines()) <= 80
    monkeypatch.delenv("COLUMNS")
    wide = td("--lang", "zh", "--plain", "audit", "log").stdout
    assert max(width(line) for line in wide.splitlines()) > 80  # piped: lines stay whole

    def characters(text):
        return Counter(c for c in text if not c.isspace() and c != "-")

    assert characters(narrow) == characters(wide)  # wrapped, nothing cut
    assert "…" not in narrow


def test_empty_fields_show_a_dash_but_json_keeps_null(td, meeting):
    text = td("--lang", "zh", "--plain", "audit", "log", "--limit", "30").stdout
    rows = td("audit", "log", "--limit", "30", "--json").json()
    assert any(r["project"] is None for r in rows)
    staff_rows = [line for line in text.splitlines() if "添加人员" in line]
    assert staff_rows and all("—" in line for line in staff_rows)


def test_fit_wraps_the_widest_column_first():
    from techdept.output import fit

    body = [["1", "北岸市中级人民法院数字法庭建设项目，合同金额 ¥1,200,000.00"]]
    fitted = fit(["#", "变更"], body, 30)
    lines = fitted[0][1].split("\n")
    assert len(lines) > 1 and "".join(lines).replace(" ", "") == body[0][1].replace(" ", "")
    assert fitted[0][0] == "1" and fit(["#", "变更"], body, None) == body


@pytest.mark.parametrize(
    "lang, words", [("zh", "回款将超过合同金额 ¥1,200,000.00"), ("en", "¥1,200,000.00")]
)
def test_money_in_a_refusal_is_written_like_the_tables(td, lang, words):
    td("init", "--demo")
    got = td("--lang", lang, "--as", "huangqin", "payment", "P2026-003", "--kind", "progress",
             "--amount", "5,000,000", "--date", "2026-06-01", expect=1)  # fmt: skip
    assert words in got.stderr and "1200000.00" not in got.stderr


def test_every_refusal_naming_money_formats_it():
    from techdept.errors import MONEY_PARAMS, Refused

    for key, names in MONEY_PARAMS.items():
        params = dict.fromkeys(names, "1234567.80") | {"code": "P2026-001", "policy": "v2.0"}
        error = Refused(key.removeprefix("error."), **params)
        message = error.message()
        assert "¥1,234,567.80" in message and "1234567.80" not in message, key
