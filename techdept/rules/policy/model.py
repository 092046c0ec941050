"""The policy's values: frozen dataclasses every rule reads, and the constants of the file's
vocabulary (slice modes, item kinds, flags, coefficient tables, duties).
All rates and shares are percentages (``0.5`` = 0.5 %, ``80`` = 80 %)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from techdept.rules.errors import UnknownItem, UnknownTrack

SLICE_MODES = ("service", "calendar")
KINDS = ("subjective", "schedule", "cost", "internal_acceptance", "archiving")
OBJECTIVE = ("always", "never", "when_data")
FLAGS = ("complaint", "poor_evaluation")
COEFFICIENT_TABLES = ("complexity", "difficulty", "risk")
LEVEL_TABLES = ("difficulty", "risk")  # the project's level fact a track's sheet shows
# Whom a sanction bars (``[sanctions.covers]``): the track's lead only, or its whole team. A
# track the file leaves out: what its effect bars (``domain.toml`` ``[sanction_effects]``).
SANCTION_COVERS = ("lead", "team")
LANGS = ("zh", "en")
DEFAULT_ID = "v2.0-2014"


@dataclass(frozen=True)
class Band:
    """A guidance band shown to scorers: a points range label and its text per language."""

    points: str
    text: dict[str, str]


@dataclass(frozen=True)
class Item:
    """One rubric item of a track's sheet."""

    key: str
    label: dict[str, str]
    max: Decimal
    kind: str
    objective: str = "never"
    bands: tuple[Band, ...] = ()
    inferred: bool = False
    evidence: str | None = None

    @property
    def is_objective(self) -> bool:
        """True when the tool may compute the points (always, or when data exists)."""
        return self.objective != "never"


@dataclass(frozen=True)
class TrackPolicy:
    """One assessment track: who scores, the rubric, coefficients, vetoes."""

    key: str
    sheet: dict[str, str]
    scorers: tuple[str, ...]
    composite_divisor: int
    items: tuple[Item, ...]
    coefficients: tuple[str, ...]
    sheet_complexity: tuple[str, ...]
    flags: tuple[str, ...]
    veto_below: dict[str, Decimal]
    lead_role: str
    engineer_role: str
    inferred: bool = False
    sliced: bool = False
    readings: tuple[str, ...] = ()
    assessed_from: str | None = None  # the stage a project must have reached first

    def has(self, kind: str) -> bool:
        """True when the rubric has an item of ``kind`` (the sheet then has its box: the
        cost box for ``cost``, the internal acceptance box …)."""
        return any(i.kind == kind for i in self.items)

    @property
    def level(self) -> str | None:
        """The project's level fact the sheet shows (``difficulty`` or ``risk``), if any."""
        return next((c for c in self.coefficients if c in LEVEL_TABLES), None)

    @property
    def handles_tickets(self) -> bool:
        """True for the track whose engineers handle the fault tickets: its rubric takes the
        tickets as evidence."""
        return any(i.evidence == "tickets" for i in self.items)

    @property
    def item_keys(self) -> tuple[str, ...]:
        """The items in sheet order."""
        return tuple(i.key for i in self.items)

    def item(self, key: str) -> Item:
        """The item ``key``; raises UnknownItem."""
        for it in self.items:
            if it.key == key:
                return it
        raise UnknownItem(key, self.key, self.item_keys)


@dataclass(frozen=True)
class GradeBand:
    """``low <= composite < high`` gives ``grade`` and ``share`` % of the reserved bonus."""

    grade: str
    low: Decimal
    share: Decimal
    high: Decimal = Decimal(100)


@dataclass(frozen=True)
class ScheduleRule:
    """Rule S."""

    on_time: Decimal
    max: Decimal
    min: Decimal
    step_pct: Decimal
    early_points_per_step: Decimal
    late_points_per_step: Decimal


@dataclass(frozen=True)
class CostRule:
    """Rule C."""

    within_pct: Decimal
    within_points: Decimal
    band_pct: Decimal
    saving_points: Decimal
    overspend_points: Decimal
    step_pct: Decimal
    saving_points_per_step: Decimal
    overspend_points_per_step: Decimal
    min: Decimal
    max: Decimal


@dataclass(frozen=True)
class InternalAcceptanceRule:
    """Rule I."""

    full: Decimal
    points_per_deducted_point: Decimal
    points_per_day_late: Decimal
    due_days: int
    min: Decimal


@dataclass(frozen=True)
class ArchivingRule:
    """After-sales archiving (inferred, A5)."""

    full: Decimal
    points_per_late_report: Decimal
    within_days: int
    min: Decimal
    inferred: bool = True


@dataclass(frozen=True)
class MonthlyGroup:
    """Who hands in the monthly sheets of which engineers: ``submitter`` (the manager who is
    late when a sheet is missing), ``assistants`` (may score too), ``engineers`` (the roles)."""

    key: str
    label: dict[str, str]
    engineers: tuple[str, ...]
    submitter: str
    assistants: tuple[str, ...] = ()


@dataclass(frozen=True)
class MonthlyPolicy:
    """The monthly assessment of engineers (月度考核): the seed names it without a rubric, so
    the rubric is the company's (``example`` marks the shipped one as an example to fill in)."""

    due_day: int
    items: tuple[Item, ...]
    groups: tuple[MonthlyGroup, ...]
    example: bool = False
    note: dict[str, str] = field(default_factory=dict)

    @property
    def max_total(self) -> Decimal:
        return sum((i.max for i in self.items), Decimal(0))

    def group(self, key: str) -> MonthlyGroup | None:
        return next((g for g in self.groups if g.key == key), None)


@dataclass(frozen=True)
class Reading:
    """A reading fixed where the seed is ambiguous (A1–A13), and where it applies."""

    id: str
    text: dict[str, str]
    applies: tuple[str, ...] = ()


# Separation of duties, each a key of ``[duties]`` (true unless a company relaxes it).
DUTIES = ("no_self_approval", "two_approvers", "payer_not_paid", "own_sheet_only")


@dataclass(frozen=True)
class Policy:
    """A loaded policy file; every number of the rules comes from here."""

    id: str
    title: dict[str, str]
    hash: str
    path: Path
    source: str
    currency: str
    tracks: dict[str, TrackPolicy]
    grades: tuple[GradeBand, ...]
    base_rate: Decimal
    director_award_rate: Decimal
    pool_rule: str
    no_engineers_rule: str
    lead_share_min: Decimal
    lead_share_max: Decimal
    lead_share_default: Decimal
    engineer_share_min: Decimal
    engineer_share_max: Decimal
    complexity: dict[str, Decimal]
    difficulty: dict[str, Decimal]
    risk: dict[str, Decimal]
    months_per_slice: int
    payout_months: tuple[int, ...]
    payout_window_days: int
    payout_gate: tuple[str, ...]
    sanction_count: int
    sanction_grades: tuple[str, ...]
    sanction_effects: dict[str, str]
    schedule: ScheduleRule
    cost: CostRule
    internal_acceptance: InternalAcceptanceRule
    archiving: ArchivingRule
    aftersales_slices: str = "calendar"  # "service" (A14) or "calendar" (A6)
    scale: Decimal = Decimal(100)
    rounding_mode: str = "half-up"
    money_places: int = 2
    composite_places: int = 2
    points_places: int = 1
    share_places: int = 2
    readings: dict[str, Reading] = field(default_factory=dict)
    monthly: MonthlyPolicy | None = None
    min_crew_quotes: int = 2
    award_max_fen: int | None = None  # duties.award_max; None: no ceiling
    duties: dict[str, bool] = field(default_factory=lambda: dict.fromkeys(DUTIES, True))
    sanction_covers: dict[str, str] = field(default_factory=dict)  # track → lead | team

    def track(self, key: str) -> TrackPolicy:
        """The track ``key``; raises UnknownTrack."""
        try:
            return self.tracks[key]
        except (KeyError, TypeError):
            raise UnknownTrack(key, self.tracks) from None

    def coefficient_table(self, name: str) -> dict[str, Decimal]:
        """``complexity``, ``difficulty`` or ``risk``."""
        return {"complexity": self.complexity, "difficulty": self.difficulty, "risk": self.risk}[
            name
        ]

    @property
    def sliced_track(self) -> str | None:
        """The track paid in quarterly slices (after-sales), if any."""
        return next((k for k, t in self.tracks.items() if t.sliced), None)

    @property
    def ticket_track(self) -> str | None:
        """The track whose engineers handle the fault tickets (after-sales), if any."""
        return next((k for k, t in self.tracks.items() if t.handles_tickets), None)

    def sanction_covers_lead_only(self, track: str) -> bool:
        """True when a sanction on ``track`` bars its lead only (implementation: may not be
        project manager), False when it bars the whole team."""
        covers = self.sanction_covers.get(track)
        if covers is None:
            from techdept.rules.domain import domain

            covers = domain().sanction_covers.get(self.sanction_effects.get(track) or "", "team")
        return covers == "lead"


def default_policy_path() -> Path:
    """The shipped policy file (v2.0-2014)."""
    return Path(__file__).parent.parent / "policies" / f"{DEFAULT_ID}.toml"
