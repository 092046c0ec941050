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
