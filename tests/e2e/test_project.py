"""Projects through the CLI."""

import pytest


@pytest.fixture
def sales(td):
    td("staff", "add", "钱丽", "--code", "qianli", "--role", "sales")
    td("staff", "add", "李军", "--code", "lijun", "--role", "engineer")


@pytest.mark.parametrize("amount", ["1200000", "1,200,000.00", "１２０００００"])
def test_contract_forms(td, amount):
    doc = td(
        "project", "new", "数字法庭", "--customer", "某法院", "--contract", amount, "--json"
    ).json()
    assert td("project", "show", doc["code"], "--json").json()["contract"] == "1200000.00"


@pytest.mark.parametrize("amount", ["1,20,0", "1e6", "-5", "12.345", "NaN"])
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_bad_contract_refused(td, monkeypatch, amount, lang):
    monkeypatch.setenv("TECHDEPT_LANG", lang)
    result = td(
        "project",
        "new",
        "数字法庭",
        "--customer",
        "某法院",
        "--contract",
        amount,
        expect=1,
        stderr="--contract",
    )
    assert len(result.stderr.strip().splitlines()) == 1
    assert amount in result.stderr
    monkeypatch.setenv("TECHDEPT_LANG", "en")
    assert td("project", "list", "--json").json() == []


def test_generated_codes_follow_the_year(td, monkeypatch):
    first = td("project", "new", "甲", "--customer", "甲院", "--json").json()
    second = td("project", "new", "乙", "--customer", "乙院", "--json").json()
    assert (first["code"], second["code"]) == ("P2026-001", "P2026-002")
    td("project", "new", "丙", "--customer", "丙院", "--code", "LEGACY-7")
    monkeypatch.setenv("TECHDEPT_TODAY", "2027-01-04")
    assert td("project", "new", "丁", "--customer", "丁院", "--json").json()["code"] == "P2027-001"
    td(
        "project",
        "new",
        "戊",
        "--customer",
        "戊院",
        "--code",
        "P2026-001",
        expect=1,
        stderr="exists already",
    )


def test_new_with_every_field(td, sales):
    doc = td(
        "project",
        "new",
        "北岸市中级人民法院数字法庭",
        "--customer",
        "北岸市中级人民法院",
        "--contract",
        "1,200,000.00",
        "--complexity",
        "technical",
        "--risk",
        "medium",
        "--difficulty",
        "high",
        "--sales",
        "qianli",
        "--signed",
        "2026-04-20",
        "--stage",
        "aftersales.handover",
        "--json",
    ).json()
    assert doc == {
        "code": "P2026-001",
        "name": "北岸市中级人民法院数字法庭",
        "customer": "北岸市中级人民法院",
        "contract": "1200000.00",
        "complexity": "technical",
        "difficulty": "high",
        "risk": "medium",
        "sales": "qianli",
        "signed": "2026-04-20",
        "phase": "aftersales",
        "stage": "aftersales.handover",
        "adopted_stage": "aftersales.handover",
        "service_start": None,
        "service_months": None,
    }


@pytest.mark.parametrize(
    "args, message",
    [
        (["--stage", "implementation.preparation"], "--contract is required"),
        (["--stage", "presales.won"], "--contract is required"),
        (["--stage", "nowhere"], "--stage: 'nowhere' is not allowed"),
        (["--stage", "presales.lost"], "--stage: 'presales.lost' is not allowed"),
        (["--complexity", "huge"], "--complexity: 'huge' is not allowed"),
        (["--risk", "extreme"], "--risk: 'extreme' is not allowed"),
        (["--sales", "lijun"], "not a sales representative"),
        (["--sales", "nobody"], "no staff member with code nobody"),
        (["--signed", "2027-01-01"], "after today"),
        (["--signed", "01/02/2026"], "not a date"),
        (["--code", "P 1"], "not a code"),
    ],
)
def test_new_refusals(td, sales, args, message):
    td("project", "new", "某项目", "--customer", "某院", *args, expect=1, stderr=message)
    assert td("project", "list", "--json").json() == []


def test_presales_needs_no_contract(td):
    doc = td("project", "new", "某项目", "--customer", "某院", "--json").json()
    assert doc["contract"] is None and doc["stage"] == "presales.contact"


def test_set_changes_fields_but_not_stage(td, sales):
    td("project", "new", "某项目", "--customer", "某院", "--sales", "qianli")
    doc = td(
        "--as",
        "qianli",
        "project",
        "set",
        "P2026-001",
        "--contract",
        "850000",
        "--sales",
        "qianli",
        "--service-start",
        "2026-10-01",
        "--service-months",
        "36",
        "--json",
    ).json()
    assert (doc["contract"], doc["sales"], doc["service_start"], doc["service_months"]) == (
        "850000.00",
        "qianli",
        "2026-10-01",
        36,
    )
    td("project", "set", "P2026-001", "--stage", "presales.won", expect=2)
    td("project", "set", "P2026-001", expect=1, stderr="nothing to change")
    td("project", "set", "P9999-001", "--name", "x", expect=1, stderr="no project with code")
    td("project", "set", "P2026-001", "--service-months", "0", expect=1, stderr="--service-months")


def test_list_and_filters(td, sales):
    td("project", "new", "甲", "--customer", "甲院")
    td(
        "project",
        "new",
        "乙",
        "--customer",
        "乙院",
        "--contract",
        "100",
        "--stage",
        "implementation.construction",
    )
    assert [p["code"] for p in td("project", "list", "--json").json()] == ["P2026-001", "P2026-002"]
    impl = td("project", "list", "--phase", "implementation", "--json").json()
    assert [p["code"] for p in impl] == ["P2026-002"]
    text = td("project", "list").stdout
    assert "Implementation · Construction" in text and "¥100.00" in text
    csv = td("project", "list", "--csv").stdout.splitlines()
    assert csv[0] == "\ufeffcode,name,customer,stage,contract,sales"  # UTF-8 with BOM
    assert csv[2].startswith("P2026-002,乙,乙院,implementation.construction,100.00")


def test_show_in_chinese(td, monkeypatch):
    td(
        "project",
        "new",
        "甲",
        "--customer",
        "甲院",
        "--contract",
        "1200000",
        "--complexity",
        "technical",
        "--stage",
        "implementation.preparation",
    )
    monkeypatch.setenv("TECHDEPT_LANG", "zh")
    text = td("project", "show", "P2026-001").stdout
    assert "实施 · 准备阶段" in text and "¥1,200,000.00" in text and "合同金额" in text


def test_init_demo_is_idempotent(td):
    td("init", "--demo")
    staff = td("staff", "list", "--json").json()
    projects = td("project", "list", "--json").json()
    td("init", "--demo")
    assert td("staff", "list", "--json").json() == staff
    assert td("project", "list", "--json").json() == projects
    roles = {r for p in staff for r in p["roles"]}
    assert {
        "director",
        "gm",
        "presales-manager",
        "impl-manager",
        "aftersales-manager",
        "engineer",
        "sales",
        "commerce",
        "finance",
    } <= roles
    assert len({p["phase"] for p in projects}) == 3


@pytest.mark.sqlite_only
def test_db_path(td, ledger_env):
    assert td("db", "path").stdout.strip() == str(ledger_env)
