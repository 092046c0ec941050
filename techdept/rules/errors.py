"""Errors the rules raise. Each renders through the catalog key ``error.<ClassName>``."""

from __future__ import annotations

from collections.abc import Iterable

from techdept.errors import Invalid, Refused, TechdeptError


def _join(values: Iterable[object]) -> str:
    return ", ".join(str(v) for v in values)


class PolicyInvalid(TechdeptError):
    """A policy file cannot be used; ``problems`` lists each one as ``key.path: message``."""

    def __init__(self, problems: Iterable[str], path: object = "") -> None:
        self.problems = list(problems)
        shown = "; ".join(self.problems[:3])
        if len(self.problems) > 3:
            shown += f"; … (+{len(self.problems) - 3})"
        super().__init__(None, problems=shown, path=str(path))


class UnknownTrack(Invalid):
    """The track is not one of the policy's tracks."""

    def __init__(self, track: object, allowed: Iterable[str]) -> None:
        super().__init__(None, track=str(track), allowed=_join(allowed))


class UnknownItem(Invalid):
    """The item is not on this track's sheet."""

    def __init__(self, item: object, track: str, allowed: Iterable[str]) -> None:
        super().__init__(None, item=str(item), track=track, allowed=_join(allowed))


class ScorerNotRequired(Invalid):
    """The scorer does not score this track."""

    def __init__(self, scorer: object, track: str, allowed: Iterable[str]) -> None:
        super().__init__(None, scorer=str(scorer), track=track, allowed=_join(allowed))


class PointsInvalid(Invalid):
    """The points are not a number."""

    def __init__(self, item: str, scorer: str, value: object) -> None:
        super().__init__(None, item=item, scorer=scorer, value=str(value))


class PointsOutOfRange(Invalid):
    """The points are above the item's maximum."""

    def __init__(self, item: str, scorer: str, value: object, max: object) -> None:
        super().__init__(None, item=item, scorer=scorer, value=str(value), max=str(max))


class PointsBelowMinimum(PointsOutOfRange):
    """The points are below zero."""

    def __init__(self, item: str, scorer: str, value: object, min: object = 0) -> None:
        TechdeptError.__init__(self, None, item=item, scorer=scorer, value=str(value), min=str(min))


class PointsPrecision(Invalid):
    """The points have more decimals than allowed."""

    def __init__(self, item: str, scorer: str, value: object, places: int = 1) -> None:
        super().__init__(None, item=item, scorer=scorer, value=str(value), places=str(places))


class ScoresIncomplete(Refused):
    """Not every required scorer has scored (or an item mean is missing)."""

    def __init__(self, track: str, missing: Iterable[str]) -> None:
        super().__init__(None, track=track, missing=_join(missing))


class GradeUndefined(Refused):
    """No grade band covers the composite."""

    def __init__(self, composite: object) -> None:
        super().__init__(None, composite=str(composite))


class UnknownCoefficient(Invalid):
    """The key is not in the coefficient table."""

    def __init__(self, table: str, key: object, allowed: Iterable[str]) -> None:
        super().__init__(None, table=table, key=str(key), allowed=_join(allowed))


class CoefficientRequired(Refused):
    """The track's reserved bonus needs this coefficient."""

    def __init__(self, table: str, track: str) -> None:
        super().__init__(None, table=table, track=track)


class FlagNotAllowed(Refused):
    """The veto flag does not exist for this track."""

    def __init__(self, flag: str, track: str, allowed: Iterable[str]) -> None:
        super().__init__(None, flag=flag, track=track, allowed=_join(allowed) or "-")


class FactInvalid(Invalid):
    """A fact of the assessment has a value the rule cannot use."""

    def __init__(self, fact: str, value: object, condition: str) -> None:
        super().__init__(None, fact=fact, value=str(value), condition=condition)


class MissingFacts(Refused):
    """The facts of objective items must be recorded before the first score."""

    def __init__(self, track: str, missing: Iterable[str]) -> None:
        self.missing = list(missing)
        super().__init__(None, track=track, missing=_join(self.missing))


class LeadShareOutOfRange(Invalid):
    """The lead's share is outside the policy's range."""

    def __init__(self, value: object, min: object, max: object) -> None:
        super().__init__(None, value=str(value), min=str(min), max=str(max))


class LeadSharePrecision(Invalid):
    """The lead's share has more decimals than allowed."""

    def __init__(self, value: object, places: int) -> None:
        super().__init__(None, value=str(value), places=str(places))


class ContributionWeightInvalid(Invalid):
    """A contribution weight must be a positive number."""

    def __init__(self, staff: str, value: object) -> None:
        super().__init__(None, staff=staff, value=str(value))


class TeamMemberDuplicate(Invalid):
    """The same person appears twice in a team."""

    def __init__(self, staff: str) -> None:
        super().__init__(None, staff=staff)


class QuarterInvalid(Invalid):
    """A quarter is written ``YYYYQn`` (n = 1..4)."""

    def __init__(self, value: object) -> None:
        super().__init__(None, value=str(value))


class NoPayoutMonth(Refused):
    """The policy has no payout month in this quarter."""

    def __init__(self, quarter: str) -> None:
        super().__init__(None, quarter=quarter)
