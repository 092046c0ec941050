"""The archive folder: filed documents are hashed (SHA-256) and, when asked, copied there under
``<archive>/<folder>/<sha256>-<name>``.

The archive lives beside an SQLite ledger (``<ledger dir>/archive``); for a ledger without a
file (PostgreSQL) in the user data folder (``archive`` beside the default ledger).
``TECHDEPT_ARCHIVE`` overrides both.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from techdept.errors import Invalid
from techdept.ledger import location
from techdept.ledger.engine import Ledger

CHUNK = 1 << 20
MAX_NAME = 200


@dataclass(frozen=True)
class FiledFile:
    name: str
    size: int
    sha256: str
    archived: str | None = None


def root(ledger: Ledger) -> Path:
    """Where this ledger's archive is."""
    override = os.environ.get("TECHDEPT_ARCHIVE")
    if override:
        return location.expand(override)
    if ledger.path is not None:
        return ledger.path.parent / "archive"
    from platformdirs import user_data_path

    return user_data_path("techdept", appauthor=False) / "archive"


def safe_name(name: str) -> str:
    """A file name that stays one name: no folders, no control characters, not too long."""
    cleaned = "".join(
        "_" if ch in "/\\" or unicodedata.category(ch).startswith("C") else ch
        for ch in unicodedata.normalize("NFC", name)
    ).strip()
    if cleaned in ("", ".", ".."):
        cleaned = "file"
    return cleaned[-MAX_NAME:]


def printable(text: str) -> str:
    """``text`` as itself (Chinese included); only characters a terminal cannot show
    (controls, undecodable bytes) are written as escapes."""
    return "".join(c if c.isprintable() else ascii(c)[1:-1] for c in text)


def _source(path: str | Path, field: str) -> Path:
    try:
        p = Path(path).expanduser()
        is_file = p.is_file()
    except (OSError, ValueError, RuntimeError):  # NUL bytes, unknown ~user, too long
        is_file = False
    if not is_file:
        raise Invalid("DocFileMissing", field=field, path=printable(str(path)))
    if not os.access(p, os.R_OK):
        raise Invalid("DocFileUnreadable", field=field, path=str(path), reason="permission denied")
    return p


def inspect(path: str | Path, field: str = "--file") -> FiledFile:
    """Name, size and SHA-256 of a file, read once."""
    p = _source(path, field)
    digest = hashlib.sha256()
    size = 0
    try:
        with p.open("rb") as fh:
            while chunk := fh.read(CHUNK):
                digest.update(chunk)
                size += len(chunk)
    except OSError as exc:
        raise Invalid(
            "DocFileUnreadable", field=field, path=str(path), reason=exc.strerror
        ) from None
    return FiledFile(safe_name(p.name), size, digest.hexdigest())


def copy_in(ledger: Ledger, path: str | Path, folder: str, field: str = "--file") -> FiledFile:
    """Hash ``path`` while copying it into ``<archive>/<folder>/``; the copy is named by its
    hash, so filing the same content twice keeps one copy. Returns the facts with the path."""
    p = _source(path, field)
    target_dir = root(ledger) / safe_name(folder)
    try:
        target_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        digest = hashlib.sha256()
        size = 0
        fd, tmp = tempfile.mkstemp(dir=target_dir, prefix=".filing-")
        try:
            with os.fdopen(fd, "wb") as out, p.open("rb") as src:
                while chunk := src.read(CHUNK):
                    digest.update(chunk)
                    size += len(chunk)
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            sha = digest.hexdigest()
            name = safe_name(p.name)
            target = target_dir / f"{sha}-{name}"
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise Invalid(
            "ArchiveFailed", path=str(target_dir), reason=exc.strerror or str(exc)
        ) from None
    return FiledFile(name, size, sha, str(target))
