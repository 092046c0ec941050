"""Importing score rows from a file: every row checked as ``score`` would, all sheets replaced in
one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from techdept.errors import Invalid, TechdeptError
from techdept.ledger.engine import Ledger
from techdept.services import actors
from techdept.services.assessment.base import editable, find_assessment, period_of
from techdept.services.assessment.document import Context, context
from techdept.services.assessment.scoring import (
    check_scorer,
    own_sheet_only,
    replace_sheet,
    validate_sheet,
)


@dataclass(frozen=True)
class ImportResult:
    rows: int
    sheets: int
    assessments: int


def import_score_rows(
    ledger: Ledger,
    actor_code: str | None,
    rows: list[tuple[int, dict[str, str]]],
    *,
    dry_run: bool = False,
    progress: Any = None,
) -> tuple[ImportResult, list[tuple[int, TechdeptError]]]:
    """Check every row (project, track, quarter, scorer, item, points, reason) against its
    sheet exactly as ``score`` would; unless ``dry_run`` or a row is refused, replace each
    named scorer's sheet with the rows given for it, all in one transaction."""
    with ledger.write() as session:
        actor = actors.resolve(session, actor_code)
        contexts: dict[tuple[str, str, str], Context] = {}
        sheets: dict[tuple[tuple[str, str, str], str], list[tuple[int, str, str, str]]] = {}
        problems: list[tuple[int, TechdeptError]] = []
        for n, (line, row) in enumerate(rows, 1):
            try:
                track = row["track"]
                period = period_of(track, row.get("quarter") or None)
                key = (row["project"], track, period)
                if key not in contexts:
                    a, project = find_assessment(session, row["project"], track, period)
                    editable(a, row["project"], track)
                    contexts[key] = context(session, a, project)
                ctx = contexts[key]
                scorer = row["scorer"]
                check_scorer(ctx.policy, track, scorer)
                own_sheet_only(actor, ctx, scorer)
                entries = sheets.setdefault((key, scorer), [])
                for first, item, _, _ in entries:
                    if item == row["item"]:
                        raise Invalid("ImportDuplicate", item=item, scorer=scorer, first=first)
                reason = row.get("reason") or ""
                validate_sheet(ctx, scorer, [(row["item"], row["points"])], reason or None)
                entries.append((line, row["item"], row["points"], reason))
            except TechdeptError as exc:
                problems.append((line, exc))
            if progress is not None:
                progress(n)
        result = ImportResult(len(rows), len(sheets), len(contexts))
        if problems or dry_run:
            session.rollback()
            return result, problems
        for (key, scorer), entries in sheets.items():
            ctx = contexts[key]
            checked: list[tuple[str, Decimal, str | None]] = []
            for _, item, points, reason in entries:
                checked += validate_sheet(ctx, scorer, [(item, points)], reason or None)
            replace_sheet(session, actor.code, ctx, scorer, checked)
        return result, problems
