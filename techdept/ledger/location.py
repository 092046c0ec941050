"""Where the ledger lives: ``--db``/``TECHDEPT_DB`` (a path or an SQLAlchemy URL), or the
platform's user data directory. Cheap to import (no SQLAlchemy)."""

from __future__ import annotations

import os
from pathlib import Path

from techdept.errors import UsageError

# What --db may name besides a file: SQLAlchemy URLs of the databases techdept runs on.
SCHEMES = ("sqlite", "postgresql")


def default_path() -> Path:
    from platformdirs import user_data_path

    return user_data_path("techdept", appauthor=False) / "ledger.db"


def resolve(db: str | None) -> tuple[str, Path | None]:
    """(SQLAlchemy URL, SQLite file path or None) for ``--db``, the env var or the default.

    A value with ``://`` is a URL (``sqlite:///PATH`` or ``postgresql://…``); anything else
    is a file path, so a file may be called ``mysql.db``. An empty ``--db``, a value with a
    character a terminal cannot show, or another database's URL is refused (exit 2): none
    of them can name a ledger, and an empty one must not fall back to the default ledger."""
    if db is not None and not db.strip():
        raise UsageError("DbEmpty")
    value = db or os.environ.get("TECHDEPT_DB") or ""
    if not value:
        path = default_path()
        return f"sqlite:///{path}", path
    _check(value)
    if "://" in value:
        if value.startswith("sqlite:///"):
            rest = value.removeprefix("sqlite:///")
            if rest and not rest.startswith(":memory:"):
                return value, Path(rest)
        return value, None
    path = expand(value)
    return f"sqlite:///{path}", path


def expand(value: str) -> Path:
    """A path the user typed, ``~`` and ``~user`` expanded; ``~name`` of no user (or ``~`` with
    no home) is kept as written, as a shell keeps it, never a crash."""
    path = Path(value)
    try:
        return path.expanduser()
    except RuntimeError:  # "Could not determine home directory."
        return path


def _check(value: str) -> None:
    for ch in value:
        if not ch.isprintable():  # a newline, an escape, a bidi override, NUL…
            shown = "".join(c if c.isprintable() else ascii(c)[1:-1] for c in value)
            raise UsageError("DbCharacters", value=shown, char=f"U+{ord(ch):04X}")
    if "://" in value:
        scheme = value.split("://", 1)[0].split("+", 1)[0].lower()
        if scheme not in SCHEMES:
            raise UsageError("DbUnsupported", value=display(value))


def display(url: str) -> str:
    """The URL with any password hidden (in the user part or as a ``password=`` parameter)."""
    import re

    url = re.sub(r"(?i)(password=)[^&\s]*", r"\1***", url)
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        creds, host = rest.rsplit("@", 1)
        user = creds.split(":", 1)[0]
        return f"{scheme}://{user}:***@{host}" if ":" in creds else url
    return url


def mask(text: str, url: str) -> str:
    """``text`` (an error message) with the URL's password, wherever it appears, hidden."""
    from urllib.parse import unquote

    text = text.replace(url, display(url))
    if "://" in url and "@" in url:
        creds = url.split("://", 1)[1].rsplit("@", 1)[0]
        if ":" in creds:
            secret = creds.split(":", 1)[1]
            for form in {secret, unquote(secret)}:
                if form:
                    text = text.replace(form, "***")
    return display(text)
