"""The one check every typed document's ``from_json`` makes of its ``doc_version``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from techdept.errors import DocumentTooNew, Term


def read_version(data: Mapping[str, Any], current: int, kind: str) -> int:
    """The version ``data`` was written in (0 before documents carried one); a version newer
    than ``current`` is refused, since this techdept cannot know what it added."""
    version = int(data.get("doc_version") or 0)
    if version > current:
        document = Term("word", "document.kind", kind)  # worded where it is shown
        raise DocumentTooNew(document=document, version=version, current=current)
    return version
