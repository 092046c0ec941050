"""Message catalogs: every user-facing string lives in ``zh/*.toml`` and ``en/*.toml``.

Keys are flat dotted names (``error.AmountInvalid``, ``help.staff.add``). Each area of the
program keeps its own file in both languages; the files of one language are merged.
"""

from __future__ import annotations

import locale
import os
import sys
import tomllib
from functools import cache
from pathlib import Path

LANGS = ("zh", "en")
_HERE = Path(__file__).parent
_current: str | None = None


def _flatten(table: dict, prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in table.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, name + "."))
        else:
            flat[name] = value
    return flat


@cache
def catalog(lang: str) -> dict[str, str]:
    """The merged catalog of one language."""
    merged: dict[str, str] = {}
    for path in sorted((_HERE / lang).glob("*.toml")):
        with path.open("rb") as fh:
            merged.update(_flatten(tomllib.load(fh)))
    return merged


def _from_locale() -> str:
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var)
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    try:
        loc = locale.getlocale()[0] or ""
    except ValueError:
        loc = ""
    return "zh" if loc.lower().startswith("zh") else "en"


def _from_argv(argv: list[str]) -> str | None:
    for i, arg in enumerate(argv):
        if arg == "--":
            break
        if arg == "--lang" and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
    return None


def resolve_lang(explicit: str | None = None) -> str:
    """``--lang``, then ``TECHDEPT_LANG``, then the locale; unknown values fall back to en."""
    for candidate in (explicit, os.environ.get("TECHDEPT_LANG")):
        if candidate:
            return candidate if candidate in LANGS else "en"
    return _from_locale()


def lang() -> str:
    """The language in force: set by the CLI, else read from argv/env/locale once."""
    global _current
    if _current is None:
        _current = resolve_lang(_from_argv(sys.argv[1:]))
    return _current


def set_lang(code: str | None) -> str:
    global _current
    _current = resolve_lang(code)
    return _current


def t(key: str, /, **params: object) -> str:
    """The message ``key`` in the current language, with ``{params}`` filled in."""
    return t_in(lang(), key, **params)


def t_in(code: str, key: str, /, **params: object) -> str:
    text = catalog(code).get(key) or catalog("en").get(key) or key
    if params:
        try:
            return text.format(**params)
        except (KeyError, IndexError, ValueError):
            return text
    return text


def has(key: str) -> bool:
    return key in catalog(lang())
