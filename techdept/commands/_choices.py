"""Help that teaches: an option's help lists the values it accepts, in the user's language,
with one example — generated from the same vocabularies ``terms.parse`` reads (the catalogues,
``rules/domain.toml``, the policy), never from a list kept by hand in a help text.

    role: Annotated[list[str], Opt("--role", help=choices("help.opt.role", "role", "--role"))]

gives ``角色（可重复）：director（技术总监）、gm（总经理）…。例如：--role 技术总监``. The catalogue
keeps only the option's own sentence (``intro``); ``help.choices`` puts the three together.

Every command module builds its options' help when it is imported — for ``score …`` as much
as for ``score --help`` — and building them means the policy, ``domain.toml`` and the
catalogues. So the texts made are kept on disk (``techdept.files.write_cache``), one file per
language and per what they are made from: the policy files' and ``domain.toml``'s SHA-256,
the catalogues' and this code's sizes and times. A changed file makes a new one; a kept file
that is corrupt or made from something else is ignored and made again.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any

from techdept.i18n import lang, t

_END = "。.；; "


def _remembered(make: Callable[..., str]) -> Callable[..., str]:
    """``make``'s text, kept by its arguments (a call with a context — a policy object — is
    made every time; the command line's help has none)."""

    @functools.wraps(make)
    def text(*args: Any, **context: Any) -> str:
        if context:
            return make(*args, **context)
        kept = _kept()
        key = f"{make.__name__}{args!r}"
        found = kept.get(key)
        if not isinstance(found, str):
            found = kept[key] = make(*args)
            _made.add(id(kept))
        return found

    return text


@_remembered
def example(kind: str, pick: str | None = None, **context: Any) -> str:
    """A value as the user would type it: its Chinese name in zh, its key in en."""
    return _example(kind, pick, **context)


def _example(kind: str, pick: str | None = None, **context: Any) -> str:
    """A value as the user would type it: its Chinese name in zh, its key in en."""
    from techdept import terms

    vocabulary = terms.vocabulary(kind, **context)
    term = next((x for x in vocabulary if x.key == pick), vocabulary[0])
    return term.name("zh") if lang() == "zh" else term.key


@_remembered
def choices(
    intro_key: str, kind: str, option: str = "", pick: str | None = None, **context: Any
) -> str:
    """``intro``: the values of ``kind``. Example: ``option`` and one value."""
    from techdept import terms

    shown = f"{option} {_example(kind, pick, **context)}".strip()
    return t(
        "help.choices",
        intro=t(intro_key).rstrip(_END),
        values=terms.allowed(kind, **context),
        example=shown,
    )


@_remembered
def items(intro_key: str, option: str = "", prefix: str = "", points: str = "28") -> str:
    """Score items per track (``ITEM=POINTS``): each track's items by key and name."""
    from techdept import terms
    from techdept.terms import _default_policy

    policy = _default_policy()
    per_track = [
        t(
            "help.choices_track",
            track=terms.name("track", track),
            values=terms.allowed("item", policy=policy, track=track),
        )
        for track in policy.tracks
    ]
    sample = _example("item", "quality", policy=policy, track=next(iter(policy.tracks)))
    return t(
        "help.choices_items",
        intro=t(intro_key).rstrip(_END),
        tracks=("；" if lang() == "zh" else "; ").join(per_track),
        example=f"{option} {prefix}{sample}={points}".strip(),
    )


@_remembered
def monthly_items(intro_key: str) -> str:
    """Monthly items (``ITEM=POINTS``) with their maxima."""
    from techdept.terms import _default_policy

    policy = _default_policy()
    if not policy.monthly or not policy.monthly.items:
        return t(intro_key)
    first = policy.monthly.items[0]
    return choices(intro_key, "monthly_item", "", first.key, policy=policy) + f"={first.max}"


# ---------------------------------------------------------------- the texts kept on disk

_HERE = Path(__file__).parent
_PKG = _HERE.parent
_POLICIES = _PKG / "rules" / "policies"
_DOMAIN = _PKG / "rules" / "domain.toml"
# what the texts are made by: this module, the vocabularies, the policy's loader and the
# domain's reader (a change to one of them in a checkout makes the texts again)
_CODE = (
    _HERE / "_choices.py",
    _PKG / "terms.py",
    _PKG / "rules" / "domain.py",
    _PKG / "rules" / "tickets.py",
    *(_PKG / "rules" / "policy" / f"{m}.py" for m in ("load", "model", "fields", "schema")),
)
_by_source: dict[tuple[str, str], dict[str, Any]] = {}  # (language, TECHDEPT_POLICY) → texts
_made: set[int] = set()  # the ids of the tables above a text was added to in this process


def sources() -> str:
    """What the help texts of the language in force are made from, as one line: the policy
    files (shipped, and TECHDEPT_POLICY's) and ``domain.toml`` by SHA-256, the catalogues and
    the code by size and time."""
    import hashlib
    import os

    from techdept import __version__
    from techdept.files import stamp
    from techdept.i18n import catalog_stamp

    def digest(path: Path) -> str:
        try:
            return hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError as exc:
            return f"unreadable:{exc.errno}"

    chosen = os.environ.get("TECHDEPT_POLICY") or ""
    shipped = sorted(_POLICIES.glob("*.toml"))
    return "\n".join(
        [
            lang(),
            __version__,
            *(f"{p.name}:{digest(p)}" for p in shipped),
            f"TECHDEPT_POLICY={chosen}:{digest(Path(chosen)) if chosen else ''}",
            f"domain.toml:{digest(_DOMAIN)}",
            *(catalog_stamp(code) for code in ("zh", "en")),
            stamp(*_CODE),
        ]
    )


def _kept() -> dict[str, Any]:
    """The texts of the language and policy in force: read once per process from the kept
    file (when it is there, whole and made from the same sources), else a new table."""
    import os

    where = (lang(), os.environ.get("TECHDEPT_POLICY") or "")
    table = _by_source.get(where)
    if table is not None:
        return table
    import hashlib
    import marshal

    from techdept.files import read_cache

    made_from = sources()
    name = f"help-{where[0]}-{hashlib.sha256(made_from.encode()).hexdigest()[:32]}.marshal"
    table = {}
    data = read_cache(name)
    if data is not None:
        try:
            stored = marshal.loads(data)
            if isinstance(stored, dict) and stored.get("\0sources") == made_from:
                table = stored
        except (EOFError, ValueError, TypeError):
            pass  # corrupt: made again
    table["\0sources"], table["\0name"] = made_from, name
    if not _by_source:
        import atexit

        atexit.register(save)
    _by_source[where] = table
    return table


def save() -> None:
    """Keep the tables a text was added to (at exit: one write, whatever was imported)."""
    import marshal

    from techdept.files import write_cache

    for table in _by_source.values():
        if id(table) in _made:
            data = marshal.dumps({k: v for k, v in table.items() if k != "\0name"})
            write_cache(str(table["\0name"]), data, "help-*.marshal", keep=8)
    _made.clear()


def forget() -> None:
    """Read the kept texts again on next use (for tests that change what they are made of)."""
    _by_source.clear()
    _made.clear()
