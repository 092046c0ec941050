"""The policy drives the tracks: no track name is a string literal in the code outside
``rules/`` (the engine that reads the policy). The names come from the policy's tracks and
the catalogues (``track.*``); a command takes ``--track`` once, through ``track_of``."""

from __future__ import annotations

import ast
import functools
from collections import Counter
from pathlib import Path

import pytest

import techdept
from techdept.i18n import LANGS, t_in
from techdept.rules import PolicyInvalid, default_policy_path, load_policy

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


# ------------------------------------------------------------------ what the code reads instead

SHIPPED = default_policy_path().read_text("utf-8")


def _load(tmp_path, text: str):
    path = tmp_path / "policy.toml"
    path.write_text(text, "utf-8")
    return load_policy(path)


def test_the_tracks_say_what_their_sheets_hold():
    policy = load_policy()
    pre, impl, after = (policy.tracks[k] for k in ("presales", "implementation", "aftersales"))
    assert (pre.level, impl.level, after.level) == ("difficulty", "risk", None)
    assert [t.has("cost") for t in (pre, impl, after)] == [False, True, True]
    assert [t.has("internal_acceptance") for t in (pre, impl, after)] == [False, True, False]
    assert [t.assessed_from for t in (pre, impl, after)] == [
        "implementation.preparation",
        "implementation.acceptance",
        "aftersales.handover",
    ]
    assert (policy.sliced_track, policy.ticket_track) == ("aftersales", "aftersales")
    assert [policy.sanction_covers_lead_only(k) for k in policy.tracks] == [False, True, False]


AFTERSALES = "sliced = true\n"
EFFECTS = 'aftersales = "suspended_aftersales"\n'


def with_keys(stage: str = "", covers: str = "") -> str:
    """The shipped file with an ``assessed_from`` on after-sales and a ``[sanctions.covers]``."""
    assert SHIPPED.count(AFTERSALES) == 1 and SHIPPED.count(EFFECTS) == 1
    text = SHIPPED.replace(AFTERSALES, AFTERSALES + stage)
    return text.replace(EFFECTS, EFFECTS + covers)


def test_a_policy_may_say_otherwise(tmp_path):
    """The shipped file leaves both to the process (domain.toml); a company's file may set
    the stage a track is assessed from and whom a sanction bars."""
    text = with_keys(
        'assessed_from = "aftersales.operation"\n',
        '\n[sanctions.covers]\nimplementation = "team"\naftersales = "lead"\n',
    )
    policy = _load(tmp_path, text)
    assert policy.tracks["aftersales"].assessed_from == "aftersales.operation"
    assert policy.tracks["presales"].assessed_from == "implementation.preparation"
    assert [policy.sanction_covers_lead_only(k) for k in policy.tracks] == [False, False, True]


@pytest.mark.parametrize(
    "stage, covers, want",
    [
        (
            'assessed_from = "aftersales.nowhere"\n',
            "",
            "tracks.aftersales.assessed_from: unknown stage aftersales.nowhere",
        ),
        (
            "",
            '\n[sanctions.covers]\nimplementation = "pm"\n',
            "sanctions.covers.implementation: must be one of lead, team",
        ),
        ("", '\n[sanctions.covers]\nrepairs = "team"\n', "sanctions.covers.repairs: unknown track"),
    ],
)
def test_the_validator_checks_the_new_keys(tmp_path, stage, covers, want):
    with pytest.raises(PolicyInvalid) as caught:
        _load(tmp_path, with_keys(stage, covers))
    assert [p.split(" (known:")[0] for p in caught.value.problems] == [want]
