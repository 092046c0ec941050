"""The ledger: tables, engine and sessions, migrations, the audit trail.

Importing this package is cheap; SQLAlchemy is loaded by the submodules that need it.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

VERSIONS = Path(__file__).parent / "migrations" / "versions"
_REVISION = re.compile(r"^revision\s*=\s*['\"]([^'\"]+)['\"]", re.M)
_DOWN = re.compile(r"^down_revision\s*=\s*(.+)$", re.M)


@cache
def schema_heads() -> frozenset[str]:
    """The newest migration(s) this code ships, read from the migration files' text (cheap,
    no Alembic import). Several heads are allowed: independent areas migrate on branches."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in VERSIONS.glob("*.py"):
        text = path.read_text("utf-8")
        rev = _REVISION.search(text)
        if rev:
            revisions.add(rev[1])
        down = _DOWN.search(text)
        if down:
            parents.update(re.findall(r"['\"]([^'\"]+)['\"]", down[1]))
    return frozenset(revisions - parents)


def schema_label() -> str:
    return "+".join(sorted(schema_heads()))
