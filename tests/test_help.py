"""Help that teaches: every command and option has help, none is a raw catalogue key, and the
Chinese help is Chinese — Click's own words included (they pass through one hook)."""

import os
import re
import subprocess
import sys

import pytest

KEY = re.compile(r"^[a-z_]+(\.[a-z_0-9]+)+$")


def _tree(lang):
    """(path, command) for every command, built in a fresh interpreter for ``lang``."""
    code = (
        "import json, click, typer.main\n"
        "from techdept.cli import app\n"
        "out = []\n"
        "def walk(cmd, path):\n"
        "    params = [(p.name, p.opts, getattr(p, 'help', None), p.param_type_name)\n"
        "              for p in cmd.params]\n"
        "    out.append((path, cmd.help, params))\n"
        "    for name, sub in getattr(cmd, 'commands', {}).items():\n"
        "        walk(sub, path + [name])\n"
        "walk(typer.main.get_command(app), ['techdept'])\n"
        "print(json.dumps(out, ensure_ascii=False))\n"
    )
    env = dict(os.environ, TECHDEPT_LANG=lang)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    import json

    return json.loads(done.stdout)


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_command_and_option_has_help_and_no_raw_key(lang):
    missing, raw = [], []
    for path, help_text, params in _tree(lang):
        where = " ".join(path)
        if not (help_text or "").strip():
            missing.append(where)
        elif KEY.match(help_text.strip()):
            raw.append((where, help_text))
        for name, opts, param_help, _kind in params:
            if not (param_help or "").strip():
                missing.append(f"{where} {opts or name}")
            elif KEY.match(param_help.strip()) or re.search(r"\bhelp\.[a-z_]+\.", param_help):
                raw.append((f"{where} {opts}", param_help))
    assert raw == [], raw
    assert missing == [], missing


# ASCII that may stand in Chinese help: option names, codes and keys users type, examples
# (numbers, dates, quarters, file names), program names and a few acronyms.
_ALLOWED_WORD = re.compile(
    r"^(--?[a-z][a-z-]*|[a-z0-9]+(?:[._:-][a-z0-9]+)*|[A-Z]?\d[\w.:-]*|techdept|TECHDEPT_[A-Z]+|"
    r"UTC|UTF-8|YYYY-MM-DD|YYYYQn|SQLite|SQLAlchemy|URL|JSON|CSV|Excel|PDF|A4|ID|ISO|SHA-256|PostgreSQL|KB-\d+|P|GM|I|S|C|A|B|D|E|Q\d?|"
    r"-?W\d+|[a-z_]+=\d+|ITEM|POINTS|STAFF|WEIGHT|CODE|FILE|DOC|PATH|N|DATE|AMOUNT|PCT|TEXT|KEY|SCORER|TRACK|"
    r"STAFF:WEIGHT|ITEM=POINTS|[A-Za-z0-9_-]+\.(?:docx|csv|db|md|toml|xlsx|pdf))$"
)


@pytest.mark.slow
def test_chinese_help_has_no_stray_english_words():
    """Scan every command's --help in zh: the ASCII words left must be option names, codes,
    keys and examples, never English prose ("Show this message", "Usage", "required")."""
    code = (
        "import sys, click, typer.main\n"
        "from techdept.cli import app\n"
        "root = typer.main.get_command(app)\n"
        "def walk(cmd, path):\n"
        "    ctx = click.Context(cmd, info_name=' '.join(path))\n"
        "    print(cmd.get_help(ctx))\n"
        "    for name, sub in getattr(cmd, 'commands', {}).items():\n"
        "        walk(sub, path + [name])\n"
        "walk(root, ['techdept'])\n"
    )
    env = dict(os.environ, TECHDEPT_LANG="zh", COLUMNS="80")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    stray = set()
    for token in re.findall(r"-*[A-Za-z][A-Za-z0-9_./:=|-]*", done.stdout):
        for word in re.split(r"[/|]", token):
            word = word.rstrip(".:=-")
            if word and not _ALLOWED_WORD.match(word):
                stray.add(word)
    assert not stray, " ".join(sorted(stray))


def test_clicks_own_messages_are_translated_in_chinese(td):
    got = td("--lang", "zh", "team", "P2026-001", expect=2)
    assert "用法： techdept team [选项] 编号" in got.stderr
    assert "错误：缺少选项 '--track'" in got.stderr
    assert "Usage" not in got.stderr and "Missing" not in got.stderr
    got = td("--lang", "zh", "project", "list", "--bogus", expect=2)
    assert "没有选项 '--bogus'" in got.stderr
    got = td("--lang", "en", "team", "P2026-001", expect=2)
    assert "Missing option '--track'" in got.stderr


def test_chinese_help_wraps_at_80_columns_without_cutting(monkeypatch):
    from techdept.commands._click import width, wrap

    text = (
        "评分人：self（自评）、sales（销售代表）、commerce（商务代表）、"
        "pm（项目经理）或 superior（上级考核）。"
    )
    lines = wrap(text, 40)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    assert all(width(line) <= 42 for line in lines)  # closing punctuation may hang over
    assert not any(line[0] in "，。、；）" for line in lines)
