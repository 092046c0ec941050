"""Construction crews: at least two quotes before one is chosen; by the implementation
manager or the director; the choice and quotes on the project and in its history."""

import pytest

from tests.e2e._lifecycle import add_department

P = "P2026-050"


@pytest.fixture
def project(td):
    add_department(td)
    td(
        "project", "new", "某县法院数字法庭", "--customer", "某县人民法院", "--code", P,
        "--contract", "1200000", "--stage", "implementation.preparation",
    )  # fmt: skip
    return P


def crew(td, *args, actor="zhaolei", **kw):
    return td("--as", actor, "crew", *args, **kw)


def test_choice_after_two_quotes_with_contract(td, project, tmp_path):
    crew(td, "quote", P, "--crew", "宏达施工队", "--amount", "86,000")
    crew(td, "choose", P, "--crew", "宏达施工队", expect=1, stderr="only 1 crew(s) quoted")
    crew(td, "quote", P, "--crew", "安信工程", "--amount", "79500.50", actor="wangjg")
    crew(td, "quote", P, "--crew", "宏达施工队", "--amount", "78000")  # a second, lower quote
    contract = tmp_path / "外包施工合同.pdf"
    contract.write_bytes(b"%PDF subcontract")
    doc = crew(
        td, "choose", P, "--crew", "宏达施工队", "--contract", str(contract), "--json"
    ).json()
    assert doc["chosen"]["crew"] == "宏达施工队"
    assert (doc["chosen"]["amount"], doc["chosen"]["quotes"]) == ("78000.00", 2)
    assert doc["chosen"]["contract"] == "外包施工合同.pdf"
    assert len(doc["chosen"]["contract_sha256"]) == 64
    assert [(q["crew"], q["amount"]) for q in doc["quotes"]] == [
        ("安信工程", "79500.50"),
        ("宏达施工队", "78000.00"),
    ]

    shown = td("project", "show", P, "--json").json()["crews"]
    assert shown["chosen"]["crew"] == "宏达施工队" and len(shown["quotes"]) == 2
    zh = td("--lang", "zh", "project", "show", P).stdout
    assert "施工队" in zh and "✔ 选定" in zh and "¥78,000.00" in zh
    history = td("--lang", "zh", "project", "history", P).stdout
    assert "施工队报价" in history and "安信工程" in history and "外包施工合同.pdf" in history

    crew(td, "choose", P, "--crew", "安信工程", expect=1, stderr="already been chosen")
    crew(td, "quote", P, "--crew", "新队", "--amount", "1", expect=1, stderr="already been chosen")
    actions = [e["action"] for e in td("audit", "log", "--json").json()]
    assert actions.count("crew.quote") == 3 and actions.count("crew.choose") == 1


@pytest.mark.parametrize(
    "args, actor, message",
    [
        (["choose", P, "--crew", "宏达施工队"], "zhaolei", "only 1 crew(s) quoted"),
        (["quote", P, "--crew", "X", "--amount", "100"], "lijun", "manager / technical director"),
        (["choose", P, "--crew", "X"], "sunhui", "'sunhui' does not have it"),
        (["quote", P, "--crew", "X", "--amount", "0"], "zhaolei", "must be above 0"),
        (["quote", P, "--crew", "X", "--amount", "-5"], "zhaolei", "--amount"),
    ],
)
def test_refusals(td, project, args, actor, message):
    crew(td, "quote", P, "--crew", "宏达施工队", "--amount", "86000")
    crew(td, *args, actor=actor, expect=1, stderr=message)
    assert td("crew", "list", P, "--json").json()["chosen"] is None


def test_chosen_crew_must_have_quoted(td, project):
    crew(td, "quote", P, "--crew", "甲队", "--amount", "1000")
    crew(td, "quote", P, "--crew", "乙队", "--amount", "1200")
    crew(td, "choose", P, "--crew", "丙队", expect=1, stderr="'丙队' has not quoted")


def test_only_in_implementation(td, project):
    td("project", "new", "售前项目", "--customer", "某院", "--code", "P2026-051")
    crew(td, "quote", "P2026-051", "--crew", "甲队", "--amount", "1000", expect=1,
         stderr="crews quote and are chosen in implementation")  # fmt: skip
    assert "No crew has quoted" in td("crew", "list", P).stdout
