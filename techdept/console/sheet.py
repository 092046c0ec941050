"""The meeting console's live sheet, without any terminal: the cells the secretary types, each
checked by the rules as typed, and the whole assessment recomputed in memory by the pure
rules engine (``rules.evaluate``) — no ledger query per keystroke.

A cell's text is what the scorer said. An objective item's cell is empty while the scorer
takes the computed value; a number there that differs from it is an override and needs a
reason, as with ``techdept score``."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from techdept.errors import TechdeptError
from techdept.rules import Evaluation, evaluate, validate_points
from techdept.services.meeting import MeetingSheet


@dataclass
class Cell:
    text: str = ""
    saved: str = ""

    @property
    def changed(self) -> bool:
        return self.text != self.saved


@dataclass
class LiveSheet:
    """Every scorer's column of one assessment, as typed so far."""

    sheet: MeetingSheet
    cells: dict[tuple[str, str], Cell] = field(default_factory=dict)
    reasons: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for scorer in self.sheet.scorers:
            recorded = self.sheet.recorded.get(scorer, {})
            for key in self.item_keys:
                text = recorded[key].points if key in recorded else ""
                self.cells[(scorer, key)] = Cell(text, text)
            for key, entry in recorded.items():
                if entry.reason and key in self.computed:
                    self.reasons[scorer] = entry.reason

    # ------------------------------------------------------------ the sheet's shape

    @property
    def item_keys(self) -> list[str]:
        return [item["key"] for item in self.sheet.items]

    @property
    def computed(self) -> dict[str, Decimal]:
        return {
            item["key"]: Decimal(item["computed"])
            for item in self.sheet.items
            if item["computed"] is not None
        }

    # ------------------------------------------------------------ typing

    def text(self, scorer: str, item: str) -> str:
        return self.cells[(scorer, item)].text

    def set_text(self, scorer: str, item: str, text: str) -> None:
        self.cells[(scorer, item)].text = text.strip()

    def revert(self, scorer: str, item: str) -> None:
        cell = self.cells[(scorer, item)]
        cell.text = cell.saved

    def error(self, scorer: str, item: str) -> TechdeptError | None:
        """Why the cell's points are refused (out of range, too many decimals …), or None."""
        text = self.text(scorer, item)
        if not text:
            return None
        try:
            validate_points(self.sheet.policy, self.sheet.track, scorer, item, text)
        except TechdeptError as exc:
            return exc
        return None

    def points(self, scorer: str, item: str) -> Decimal | None:
        """The cell's points as the rules accept them; None when empty or refused."""
        text = self.text(scorer, item)
        if not text or self.error(scorer, item) is not None:
            return None
        return validate_points(self.sheet.policy, self.sheet.track, scorer, item, text)

    def shown(self, scorer: str, item: str) -> Decimal | None:
        """What the sheet counts for the cell: its points, or the computed value."""
        points = self.points(scorer, item)
        if points is None and not self.text(scorer, item):
            return self.computed.get(item)
        return points

    def overridden(self, scorer: str, item: str) -> bool:
        points = self.points(scorer, item)
        return item in self.computed and points is not None and points != self.computed[item]

    # ------------------------------------------------------------ one scorer's sheet

    def changed(self, scorer: str) -> bool:
        return any(self.cells[(scorer, k)].changed for k in self.item_keys)

    def refused(self, scorer: str) -> list[tuple[str, TechdeptError]]:
        found = [(k, self.error(scorer, k)) for k in self.item_keys]
        return [(k, e) for k, e in found if e is not None]

    def needs_reason(self, scorer: str) -> bool:
        """An objective item changed to a value other than the computed one."""
        return any(
            self.overridden(scorer, k) and self.cells[(scorer, k)].changed for k in self.item_keys
        )

    def entries(self, scorer: str) -> list[tuple[str, str]]:
        """The scorer's sheet as ``score`` takes it: the points given; objective items that
        equal the computed value are left out (they follow the facts)."""
        out = []
        for key in self.item_keys:
            points = self.points(scorer, key)
            if points is None:
                continue
            if key in self.computed and points == self.computed[key]:
                continue
            out.append((key, self.text(scorer, key)))
        return out

    def reason_for(self, scorer: str) -> str | None:
        """The reason to save with the sheet: needed only while an objective item is
        overridden."""
        if any(self.overridden(scorer, k) for k in self.item_keys):
            return self.reasons.get(scorer)
        return None

    def mark_saved(self, scorer: str) -> None:
        for key in self.item_keys:
            cell = self.cells[(scorer, key)]
            points = self.points(scorer, key)
            if key in self.computed and points == self.computed[key]:
                cell.text = ""  # saved as "the computed value": it follows the facts
            cell.saved = cell.text

    # ------------------------------------------------------------ the result

    def scores(self) -> dict[str, dict[str, Decimal]]:
        """The points as the rules take them; refused and empty cells are left out."""
        out: dict[str, dict[str, Decimal]] = {}
        for scorer in self.sheet.scorers:
            sheet = {}
            for key in self.item_keys:
                points = self.points(scorer, key)
                if points is not None:
                    sheet[key] = points
            if sheet:
                out[scorer] = sheet
        return out

    def evaluate(self) -> Evaluation:
        """The whole assessment recomputed from the typed cells, in memory."""
        return evaluate(
            self.sheet.policy, self.sheet.track, self.sheet.facts, self.scores(), self.sheet.team
        )
