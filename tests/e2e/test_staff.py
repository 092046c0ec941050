"""Staff through the CLI, as a director would type it."""

import pytest


def test_add_list_show(td):
    td("staff", "add", "王建国", "--code", "wangjg", "--role", "director")
    td("staff", "add", "赵磊", "--code", "zhaolei", "--role", "impl-manager", "--role", "engineer")
    people = td("staff", "list", "--json").json()
    assert people == [
        {"code": "wangjg", "name": "王建国", "roles": ["director"]},
        {"code": "zhaolei", "name": "赵磊", "roles": ["impl-manager", "engineer"]},
    ]
    assert td("staff", "show", "zhaolei", "--json").json()["roles"] == ["impl-manager", "engineer"]
    only = td("staff", "list", "--role", "director", "--json").json()
    assert [p["code"] for p in only] == ["wangjg"]
    plain = td("staff", "list").stdout
    assert "赵磊" in plain and "implementation manager" in plain
    csv = td("staff", "list", "--csv").stdout.splitlines()
    assert csv[0] == "\ufeffcode,name,roles"  # UTF-8 with BOM, for Excel
    assert csv[2] == "zhaolei,赵磊,impl-manager engineer"


@pytest.mark.parametrize(
    "lang, args, message",
    [
        ("en", ["--code", "a b", "--role", "engineer"], "--code: 'a b' is not a code"),
        ("zh", ["--code", "a b", "--role", "engineer"], "--code：“a b”不是有效编号"),
        ("en", ["--code", "x1", "--role", "boss"], "--role: 'boss' is not allowed; choose one of"),
        ("zh", ["--code", "x1", "--role", "boss"], "--role：“boss”不允许；可选值"),
        ("en", ["--code", "wangjg", "--role", "engineer"], "code wangjg exists already"),
        ("zh", ["--code", "wangjg", "--role", "engineer"], "编号为 wangjg 的人员已存在"),
    ],
)
def test_refusals_in_both_languages(td, monkeypatch, lang, args, message):
    td("staff", "add", "王建国", "--code", "wangjg", "--role", "director")
    monkeypatch.setenv("TECHDEPT_LANG", lang)
    result = td("staff", "add", "某人", *args, expect=1, stderr=message)
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr
    monkeypatch.setenv("TECHDEPT_LANG", "en")
    assert len(td("staff", "list", "--json").json()) == 1


def test_name_with_bidi_override_refused(td):
    td(
        "staff",
        "add",
        "evil\u202ename",
        "--code",
        "x",
        "--role",
        "engineer",
        expect=1,
        stderr="NAME:",
    )
    assert td("staff", "list", "--json").json() == []


def test_unknown_staff(td):
    td("staff", "show", "nobody", expect=1, stderr="no staff member with code nobody")


def test_unknown_actor_refused(td):
    td(
        "--as",
        "ghost",
        "staff",
        "add",
        "某人",
        "--code",
        "x",
        "--role",
        "engineer",
        expect=1,
        stderr="--as ghost",
    )


def test_missing_option_is_usage_error(td):
    td("staff", "add", "某人", "--code", "x", expect=2)


def test_groups_follow_implementation_teams(td, monkeypatch):
    """Technical engineers belong to the after-sales group; on an implementation team they
    belong to that project until it leaves implementation, then return (issue 7)."""
    td("init", "--demo")  # P2026-003 is in implementation.construction
    td("--as","wangjg","team", "P2026-003", "--track", "implementation", "--lead", "zhaolei",
       "--engineer", "lijun")  # fmt: skip

    def groups():
        people = td("staff", "list", "--group", "--json").json()
        return {p["code"]: (p["group"], p["projects"]) for p in people}

    now = groups()
    assert now["lijun"] == ("implementation", ["P2026-003"])
    assert now["zhaolei"] == ("implementation", ["P2026-003"])
    assert now["zhoupeng"] == ("aftersales", [])
    assert now["hemin"] == ("presales", [])
    assert now["wangjg"] == (None, [])
    assert "implementation (P2026-003)" in td("staff", "list", "--group").stdout
    td("--as", "wangjg", "project", "advance", "P2026-003", "--to", "aftersales.handover",
       "--force", "--reason", "验收资料已线下归档")  # fmt: skip
    assert groups()["lijun"] == ("aftersales", [])
    monkeypatch.setenv("TECHDEPT_LANG", "zh")
    assert "售后运维组" in td("staff", "list", "--group").stdout
