"""Small things people expect: --version, a "start here" without a ledger, shell completion."""

import pytest


def test_version_names_the_shipped_policy(td):
    assert td("--version").stdout.strip() == "techdept 0.1.0 (policy v2.0-2014)"
    assert td("--lang", "zh", "--version").stdout.strip() == "techdept 0.1.0（考核制度 v2.0-2014）"


@pytest.mark.sqlite_only
@pytest.mark.no_ledger
def test_no_arguments_and_no_ledger_says_where_to_start(td, ledger_env):
    got = td("--lang", "zh")
    lines = got.stdout.strip().splitlines()
    assert len(lines) == 2
    assert lines[0].startswith(f"{ledger_env} 处还没有台账。从这里开始：techdept init")
    assert not ledger_env.exists()


def test_no_arguments_with_a_ledger_shows_the_help(td):
    assert "Commands" in td().stdout


def test_shell_completion_is_offered(td):
    help_text = td("--help").stdout
    assert "--install-completion" in help_text and "--show-completion" in help_text
