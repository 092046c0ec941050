"""The policy drives the tracks: no track name is a string literal in the code outside
``rules/`` (the engine that reads the policy). The names come from the policy's tracks and
the catalogues (``track.*``); a command takes ``--track`` once, through ``track_of``."""

from __future__ import annotations

import ast
import functools
from collections import Counter
from pathlib import Path

import techdept
from techdept.i18n import LANGS, t_in
from techdept.rules import load_policy

PKG = Path(techdept.__file__).parent
# Where a track's name may stand: the engine that reads the policy (the policy and domain
# files, and the catalogues, are data, not code). Migrations are history: never edited.
ALLOWED = ("techdept/rules/", "techdept/ledger/migrations/")


def track_names() -> set[str]:
    """Each track's key and its name in every language."""
    policy = load_policy()
    names = set(policy.tracks)
    names |= {t_in(lang, f"track.{key}") for key in policy.tracks for lang in LANGS}
    return names


def track_literals(pkg: Path = PKG) -> Counter[str]:
    """file → how many string constants in it are exactly a track's key or name."""
    names = track_names()
    found: Counter[str] = Counter()
    for path in sorted(pkg.rglob("*.py")):
        where = path.relative_to(pkg.parent).as_posix()
        if where.startswith(ALLOWED):
            continue
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                found[where] += node.value.strip() in names
    return +found  # drop the files with none


def test_the_names_looked_for_are_the_policys():
    names = track_names()
    assert {"presales", "implementation", "aftersales", "售前", "实施", "售后"} <= names


@functools.cache
def in_techdept() -> Counter[str]:
    return track_literals()


def test_no_track_name_is_a_literal_outside_rules():
    found = dict(in_techdept())
    assert found == {}, f"track names as literals; read them from the policy: {found}"


def test_the_scan_finds_a_literal(tmp_path):
    """The scan itself can fail: planted literals are found, outside rules/ only."""
    pkg = tmp_path / "techdept"
    (pkg / "commands").mkdir(parents=True)
    (pkg / "rules").mkdir()
    code = 'TRACK = "售后"\nOTHER = ("presales ", "not a track", f"track.{TRACK}")\n'
    (pkg / "commands" / "planted.py").write_text(code, "utf-8")
    (pkg / "rules" / "planted.py").write_text(code, "utf-8")
    assert track_literals(pkg) == {"techdept/commands/planted.py": 2}
