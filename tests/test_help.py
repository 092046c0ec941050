"""Help that teaches: every command and option has help, none is a raw catalogue key, every
enumerated option lists the values it accepts (from the vocabularies terms.parse reads) with
an example, and the Chinese help is Chinese — Click's own words included (they pass through
one hook). The walk covers the root and EVERY command of the lazy table (cli.LAZY)."""

import json
import os
import re
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest

KEY = re.compile(r"^[a-z_]+(\.[a-z_0-9]+)+$")
ROOT = Path(__file__).resolve().parents[1]

_WALK = """
import json, sys, click, typer.main
from techdept.cli import LAZY, _build, app
out = []
def walk(cmd, path):
    params = [(p.name, p.opts + p.secondary_opts, getattr(p, 'help', None), p.param_type_name)
              for p in cmd.params]
    ctx = click.Context(cmd, info_name=' '.join(path))
    out.append((path, cmd.help, params, cmd.get_help(ctx)))
    for name, sub in getattr(cmd, 'commands', {}).items():
        walk(sub, path + [name])
walk(typer.main.get_command(app), ['techdept'])
for name in LAZY:
    walk(_build(name), ['techdept', name])
heavy = sorted(m for m in sys.modules if m.split('.')[0] in
               ('sqlalchemy', 'sqlmodel', 'docx', 'tabulate', 'alembic', 'textual', 'openpyxl'))
print(json.dumps({'tree': out, 'heavy': heavy}, ensure_ascii=False))
"""


@cache
def _walk(lang):
    """Every command (root, then each LAZY row built as it runs), in a fresh interpreter for
    ``lang`` at 80 columns: (path, help, params, the --help page); and the heavy modules
    loaded by building and formatting all of them."""
    env = dict(os.environ, TECHDEPT_LANG=lang, COLUMNS="80")
    env.pop("TECHDEPT_POLICY", None)
    done = subprocess.run([sys.executable, "-c", _WALK], capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def _tree(lang):
    return _walk(lang)["tree"]


@pytest.mark.slow
def test_the_walk_covers_every_lazy_command():
    from techdept.cli import LAZY

    walked = {tuple(path[1:2]) for path, *_ in _tree("en")}
    assert {(name,) for name in LAZY} <= walked
    assert len(_tree("en")) > 100  # every sub-command, not just the root's list


@pytest.mark.slow
def test_help_of_every_command_imports_nothing_heavy():
    assert _walk("zh")["heavy"] == []


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_command_and_option_has_help_and_no_raw_key(lang):
    missing, raw = [], []
    for path, help_text, params, _page in _tree(lang):
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


# The enumerated options: the parameter (an option's first name, or an argument's name) → the
# vocabulary it accepts, and where the same name means something else (a date, a text prefix).
ENUMERATED = {
    "--track": "track",
    "--role": "role",
    "role": "role",
    "--scorer": "scorer",
    "--stage": "stage",
    "--to": "stage",
    "--phase": "phase",
    "--kind": "payment_kind",
    "kind": "import_kind",
    "--event": "acceptance",
    "doc": "deliverable",
    "--channel": "channel",
    "--action": "repair_action",
    "--result": "demo_result",
    "--status": "assessment_status",
    "--library": "library",
    "--level": "kb_level",
    "--complexity": "complexity",
    "--difficulty": "difficulty",
    "--risk": "risk",
    "items": "item",
    "--scores": "item",
    "pairs": "monthly_item",
}
NOT_ENUMERATED = {
    ("techdept staff away", "--to"),  # the last day away (a date)
    ("techdept ticket trip", "--to"),  # the trip's last day (a date)
    ("techdept audit log", "--action"),  # a prefix of audit actions, not one value
}


def _terms(kind):
    from techdept import terms
    from techdept.rules import load_policy

    if kind == "item":
        policy = load_policy()
        return [
            t for track in policy.tracks for t in terms.vocabulary(kind, policy=policy, track=track)
        ]
    return list(terms.vocabulary(kind))


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.slow
def test_every_enumerated_option_lists_its_values_and_an_example(lang):
    lacking, seen = [], set()
    for path, _help, params, _page in _tree(lang):
        where = " ".join(path)
        for name, opts, text, _type in params:
            param = opts[0] if opts and opts[0].startswith("-") else name
            kind = ENUMERATED.get(param)
            if kind is None or (where, param) in NOT_ENUMERATED:
                continue
            seen.add(param)
            flat = " ".join((text or "").split())
            for term in _terms(kind):
                if term.key not in flat or term.name(lang) not in flat:
                    lacking.append((where, param, term.key, term.name(lang)))
            if ("例如" if lang == "zh" else "Example") not in flat:
                lacking.append((where, param, "example"))
    assert lacking == [], lacking[:10]
    assert seen == set(ENUMERATED)  # every row of the table met an option that uses it


def test_every_value_parsed_through_terms_is_an_enumerated_option():
    """A new ``terms.parse(KIND, FIELD, …)`` in commands/ needs its option in ENUMERATED, so
    that its help is checked for the values (the field is how the option is named)."""
    found = set()
    for path in (ROOT / "techdept" / "commands").glob("*.py"):
        text = path.read_text("utf-8")
        for kind, field in re.findall(r'terms\.parse\(\s*"(\w+)",\s*(?:f?)"([^"]+)"', text):
            found.add((kind, field))
    fields = {field.lower() if not field.startswith("-") else field for _, field in found}
    unknown = {f for f in fields if f not in ENUMERATED and f not in {"item", "--{table}"}}
    assert unknown == set(), unknown


@pytest.mark.slow
def test_vocabularies_the_help_lists_are_those_the_services_check():
    """Payment kinds, demo results and import kinds are listed from the catalogue so that the
    help imports no ledger code; they must be exactly the keys the services accept."""
    from techdept import terms
    from techdept.commands.imports import KINDS as IMPORT_KINDS
    from techdept.services.demo_systems import RESULTS
    from techdept.services.payments import KINDS

    assert tuple(t.key for t in terms.vocabulary("payment_kind")) == KINDS
    assert tuple(t.key for t in terms.vocabulary("demo_result")) == RESULTS
    assert tuple(t.key for t in terms.vocabulary("import_kind")) == IMPORT_KINDS


_PLAIN_WORDS = """
# products, formats, encodings and acronyms with no Chinese name in the office
techdept SQLite SQLAlchemy PostgreSQL URL JSON CSV UTF-8 BOM GB18030 Excel xlsx docx
csv db md toml pdf bak ova A4 ISO SHA-256 UTC GM KB pg_dump zh en NAS vm FAQ shell
# the PostgreSQL group `db roles` creates, as SQL names it
techdept_user
# formats of dates, times, months, quarters, weeks; Click's number range [x>=1]
YYYY-MM-DD YYYY-MM YYYY MM DD HH YYYYQn x
# code prefixes of records: project, ticket, consultation, training, proposal, document
P T C KP KB n
# grades and the formula letters of the policy
A B C D E S
"""


def _allowed_words():
    """ASCII that may stand in Chinese help, and why:
    - what users type that is not a word of prose: option names, command names, the keys of
      every vocabulary (the help lists them beside their Chinese names), environment names;
    - examples and formats: numbers, dates, quarters, weeks, codes, file names;
    - names of things that have no Chinese name in the office: SQLite, PostgreSQL, Excel…"""
    from techdept import i18n, terms
    from techdept.rules import load_policy

    words = {"help", "h"}  # Click's own -h/--help
    for path, _help, params, _page in _tree("zh"):
        words.update(path)
        for _name, opts, _text, _type in params:
            words.update(o.lstrip("-") for o in opts)
    policy = load_policy()
    for kind in ENUMERATED.values():
        for term in _terms(kind):
            words.add(term.key)
    for term in terms.vocabulary("scorer", policy=policy, track="implementation"):
        words.add(term.key)
    words.update(
        k.removeprefix("audit.action.") for k in i18n.catalog("en") if k.startswith("audit.action.")
    )
    from techdept.services.config import KEYS  # the settings' keys, typed as `config set KEY`

    words.update(KEYS)
    words.update(p for k in words.copy() for p in re.split(r"[._-]", k))
    words.update(
        word
        for line in _PLAIN_WORDS.splitlines()
        if not line.startswith("#")
        for word in line.split()
    )
    return words


_SHAPES = re.compile(
    r"^(\d[\w.:/-]*|[A-Z]*\d+[\w-]*|[A-Z]+-(\d+|n)|TECHDEPT_[A-Z]+|[\w-]+\.(docx|xlsx|csv|db|md|toml|ova))$"
)


@pytest.mark.slow
def test_chinese_help_has_no_stray_english_words():
    """Scan every command's --help in zh (Click's own words included): the ASCII words left
    must be option or command names, keys of the values they accept, codes and examples —
    never English prose ("Show this message", "Usage", "required", "the")."""
    allowed = _allowed_words()
    stray = set()
    for _path, _help, _params, page in _tree("zh"):
        for token in re.findall(r"-*[A-Za-z_][A-Za-z0-9_./:=|-]*", page):
            for word in re.split(r"[/|:=]", token):
                word = word.strip(".-_")
                if word and word not in allowed and not _SHAPES.match(word):
                    stray.add(word)
    assert not stray, " ".join(sorted(stray))


@pytest.mark.slow
def test_the_scan_would_catch_english_prose():
    allowed = _allowed_words()
    assert "the" not in allowed and "required" not in allowed and "Usage" not in allowed


def test_clicks_own_messages_are_translated_in_chinese(td):
    got = td("--lang", "zh", "team", "P2026-001", expect=2)
    assert "用法： techdept team [选项] 编号" in got.stderr
    assert "错误：缺少选项 '--track'" in got.stderr
    assert "Usage" not in got.stderr and "Missing" not in got.stderr
    got = td("--lang", "zh", "project", "list", "--bogus", expect=2)
    assert "没有选项 '--bogus'" in got.stderr
    got = td("--lang", "en", "team", "P2026-001", expect=2)
    assert "Missing option '--track'" in got.stderr
    page = td("--lang", "zh", "team", "--help").stdout  # headings end as Chinese writes them
    assert "选项：" in page and "参数：" in page and "选项:" not in page
    assert "Options:" in td("--lang", "en", "team", "--help").stdout


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
    assert not any(line.rstrip()[-1] in "（《“" for line in lines)  # an opening bracket moves on


@pytest.mark.slow
def test_score_help_teaches_items_per_track_in_the_users_language():
    # help texts are made once per process, in its language: each from a fresh one
    zh = next(page for path, *_, page in _tree("zh") if path[1:] == ["score", "record"])
    flat = "".join(zh.split())
    assert "实施：schedule（项目工期）、quality（项目质量）" in flat
    assert "售后：timeliness（响应及时性）" in flat
    assert "例如：--scorer上级考核" in flat and "例如：方案质量=28" in flat  # the first track's
    assert flat.count("各项分数") == 1  # arguments listed once (Typer's section, not Click's too)
    en = next(page for path, *_, page in _tree("en") if path[1:] == ["score", "record"])
    assert "Example: --scorer superior" in " ".join(en.split())
