"""Reading a file a user names (a score import, a policy file): only a regular file, and only
up to a size limit, so ``/dev/zero``, a FIFO or a huge file is refused instead of read until
memory runs out. Stdlib only (the pure rules use it too)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

MIB = 1024 * 1024


class FileRefused(Exception):
    """Why a file is not read: ``"not-regular"`` or ``"too-large"`` (``limit`` in bytes)."""

    def __init__(self, kind: str, path: Path, limit: int) -> None:
        super().__init__(kind)
        self.kind = kind
        self.path = path
        self.limit = limit


def read_regular(path: str | Path, limit: int) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes. OSError (missing, unreadable)
    passes through; a device, FIFO, directory or a larger file raises FileRefused."""
    p = Path(path)
    fd = os.open(p, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))  # a FIFO does not block
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise FileRefused("not-regular", p, limit)
        if info.st_size > limit:
            raise FileRefused("too-large", p, limit)
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(fd, min(1 * MIB, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > limit:  # it grew while being read
            raise FileRefused("too-large", p, limit)
        return b"".join(chunks)
    finally:
        os.close(fd)


# ---------------------------------------------------------------- derived data kept on disk
#
# What start-up would otherwise recompute every run (the parsed policy, the help texts' value
# lists) is kept as a file named by what it was made from, as Python keeps bytecode: in
# TECHDEPT_CACHE_DIR if set, else beside the package in ``__pycache__``. Written whole or not
# at all (a reader at the same moment sees the old file or the new one); where the folder
# cannot be written nothing is kept and the data is made every time. A file that another user
# could have written is not read.


def cache_dir() -> Path:
    """The folder of the files ``read_cache`` and ``write_cache`` keep."""
    return Path(os.environ.get("TECHDEPT_CACHE_DIR") or Path(__file__).with_name("__pycache__"))


def read_cache(name: str) -> bytes | None:
    """The kept file ``name``, or None when there is none (or it is not safe to read)."""
    try:
        with open(cache_dir() / name, "rb") as fh:
            info = os.fstat(fh.fileno())
            if info.st_uid not in (os.geteuid(), 0) or info.st_mode & stat.S_IWOTH:
                return None
            return fh.read()
    except OSError:
        return None


def write_cache(name: str, data: bytes, family: str, keep: int = 8) -> None:
    """Keep ``data`` as ``name``, atomically; of the files matching ``family`` (a glob) only
    the ``keep`` newest stay. Any failure (read-only install, full disk) is ignored."""
    folder = cache_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        import threading

        partial = folder / f"{name}.{os.getpid()}.{threading.get_ident()}.tmp"
        partial.write_bytes(data)
        partial.replace(folder / name)
        kept = sorted(folder.glob(family), key=lambda p: p.stat().st_mtime_ns, reverse=True)
        for old in kept[keep:]:
            old.unlink(missing_ok=True)
    except OSError:
        pass


def stamp(*paths: Path) -> str:
    """What changes when one of these files does (size and modification time), for keying
    derived data by the code that made it."""
    parts = []
    for p in paths:
        try:
            info = p.stat()
            parts.append(f"{p.name}:{info.st_size}:{info.st_mtime_ns}")
        except OSError:
            parts.append(f"{p.name}:-")
    return "|".join(parts)
