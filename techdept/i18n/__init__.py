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
    """The merged catalog of one language. Parsing the TOML files is most of what ``--help``
    costs, so the merged catalog is kept beside them in ``__pycache__`` (as Python keeps its
    bytecode), named by the files' sizes and times: any change to a file makes a new one; where
    the folder cannot be written the files are parsed every time."""
    import marshal

    paths = sorted((_HERE / lang).glob("*.toml"))
    stamp = catalog_stamp(lang, paths)
    key = f"{zlib_crc(stamp):08x}"
    cached = _HERE / "__pycache__" / f"catalog-{lang}-{key}.marshal"
    try:
        data = marshal.loads(cached.read_bytes())
        if isinstance(data, dict) and data.get("\0stamp") == stamp:
            del data["\0stamp"]
            return data
    except (OSError, EOFError, ValueError, TypeError):
        pass
    merged: dict[str, str] = {}
    for path in paths:
        with path.open("rb") as fh:
            merged.update(_flatten(tomllib.load(fh)))
    try:
        cached.parent.mkdir(exist_ok=True)
        partial = cached.with_suffix(f".{os.getpid()}.tmp")
        partial.write_bytes(marshal.dumps(merged | {"\0stamp": stamp}))
        partial.replace(cached)  # whole or not at all, for a reader at the same moment
        for old in cached.parent.glob(f"catalog-{lang}-*.marshal"):
            if old != cached:
                old.unlink(missing_ok=True)
    except OSError:
        pass
    return merged


def catalog_stamp(lang: str, paths: list[Path] | None = None) -> str:
    """What changes when one of the language's catalogue files does (names, sizes, times):
    the merged catalogue, and what is made from it (the help's value lists), are kept by it."""
    if paths is None:
        paths = sorted((_HERE / lang).glob("*.toml"))
    return "|".join(f"{p.name}:{p.stat().st_size}:{p.stat().st_mtime_ns}" for p in paths)


def zlib_crc(text: str) -> int:
    import zlib

    return zlib.crc32(text.encode("utf-8"))


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
