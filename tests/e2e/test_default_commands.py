"""A group that is also a command (``payment CODE …``, ``score CODE …``, ``bonus --quarter Q``)
is made one way, ``default_command_group``: what does not name a sub-command goes to the
default one, help stays the group's help, and the sub-commands stay reachable."""


def test_bonus_is_bonus_list(td):
    td("init", "--demo")
    plain = td("bonus", "--quarter", "2026Q4", "--json").stdout
    assert plain == td("bonus", "list", "--quarter", "2026Q4", "--json").stdout
    assert td("bonus", "pool", "--json").json() is not None  # a sub-command is not forwarded


def test_help_is_the_groups_and_nothing_runs_without_what_it_needs(td):
    listing = td("bonus", "--help").stdout
    for sub in ("list", "reverse", "award", "statement", "pool"):
        assert sub in listing
    td("bonus", expect=2, stderr="--quarter")
    assert "record" in td("payment", "--help").stdout
    assert "import" in td("score", "--help").stdout


def test_payment_and_score_go_to_their_default(td):
    td("init", "--demo")
    code = td(
        "project",
        "new",
        "数字法庭",
        "--customer",
        "某法院",
        "--contract",
        "1000",
        "--signed",
        "2026-01-10",
        "--stage",
        "aftersales.handover",
        "--json",
    ).json()["code"]
    td("--as", "huangqin", "payment", code, "--kind", "progress", "--amount", "10",
       "--date", "2026-02-01")  # fmt: skip
    listed = td("--as", "huangqin", "payment", "list", code, "--json").json()
    assert [p["amount"] for p in listed][-1] == "10.00"
    td("score", code, "--track", "nosuch", "--scorer", "self", "quality=1", expect=1)
