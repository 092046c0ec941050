"""The policy as data: load a versioned TOML file, check its shape, expose it as values.

The loader checks structure (keys, types, references) and reports every problem with its
key path; consistency between the numbers (grade gaps, rubric sums, A1 …) is `lint`'s job,
so a policy read literally from the seed can still be loaded and shown.
All rates and shares are percentages (``0.5`` = 0.5 %, ``80`` = 80 %).
"""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import asdict, dataclass, field, is_dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from techdept.rules.errors import PolicyInvalid, UnknownItem, UnknownTrack

SLICE_MODES = ("service", "calendar")
KINDS = ("subjective", "schedule", "cost", "internal_acceptance", "archiving")
OBJECTIVE = ("always", "never", "when_data")
FLAGS = ("complaint", "poor_evaluation")
COEFFICIENT_TABLES = ("complexity", "difficulty", "risk")
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


def default_policy_path() -> Path:
    """The shipped policy file (v2.0-2014)."""
    return Path(__file__).parent / "policies" / f"{DEFAULT_ID}.toml"


# ---------------------------------------------------------------- reading the file

_TYPE_NAMES = {
    str: "string",
    int: "integer",
    bool: "boolean",
    Decimal: "number",
    dict: "table",
    list: "array",
}


def _type_name(value: object) -> str:
    return _TYPE_NAMES.get(type(value), type(value).__name__)


def _join(path: str, key: object) -> str:
    return f"{path}.{key}" if path else str(key)


class _Reader:
    """Walks the raw TOML, converting values and collecting one problem per fault."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def problem(self, path: str, message: str) -> None:
        self.problems.append(f"{path}: {message}")

    def unknown(self, table: Any, allowed: tuple[str, ...] | set[str], path: str) -> None:
        if isinstance(table, dict):
            for key in table:
                if key not in allowed:
                    self.problem(_join(path, key), "unknown key")

    def get(
        self, table: Any, key: str, path: str, kind: str, *, required: bool = True, default=None
    ) -> Any:
        full = _join(path, key)
        if not isinstance(table, dict):
            return default
        if key not in table:
            if required:
                self.problem(full, "missing")
            return default
        return self.convert(table[key], full, kind, default)

    def convert(self, value: Any, path: str, kind: str, default=None) -> Any:
        ok, converted, expected = _convert(kind, value)
        if ok:
            return converted
        self.problem(path, f"expected {expected}, got {_type_name(value)}")
        return default


def _is_number(value: object) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return True
    return isinstance(value, Decimal) and value.is_finite()


def _convert(kind: str, value: Any) -> tuple[bool, Any, str]:
    if kind == "str":
        return isinstance(value, str) and bool(value.strip()), value, "a non-empty string"
    if kind == "int":
        ok = isinstance(value, int) and not isinstance(value, bool)
        return ok, value, "an integer"
    if kind == "number":
        return _is_number(value), Decimal(value) if _is_number(value) else None, "a number"
    if kind == "bool":
        return isinstance(value, bool), value, "a boolean"
    if kind == "table":
        return isinstance(value, dict), value, "a table"
    if kind == "table_list":
        ok = isinstance(value, list) and all(isinstance(v, dict) for v in value)
        return ok, value, "an array of tables"
    if kind == "str_list":
        ok = isinstance(value, list) and all(isinstance(v, str) and v for v in value)
        return ok, tuple(value) if ok else None, "an array of strings"
    if kind == "int_list":
        ok = isinstance(value, list) and all(
            isinstance(v, int) and not isinstance(v, bool) for v in value
        )
        return ok, tuple(value) if ok else None, "an array of integers"
    if kind == "labels":
        ok = isinstance(value, dict) and all(
            isinstance(value.get(lang), str) and value.get(lang) for lang in LANGS
        )
        return ok, {lang: value[lang] for lang in LANGS} if ok else None, "a table with zh and en"
    raise ValueError(kind)


class _Builder:
    """Turns the raw TOML into a Policy, or a list of problems."""

    def __init__(self, raw: dict[str, Any]) -> None:
        self.raw = raw
        self.r = _Reader()
        self.reading_refs: list[tuple[str, str]] = []  # (reading id, path)

    def refs(self, table: Any, path: str) -> tuple[str, ...]:
        ids = self.r.get(table, "readings", path, "str_list", required=False, default=()) or ()
        for rid in ids:
            self.reading_refs.append((rid, path))
        return ids

    def numbers(self, table: Any, path: str, keys: tuple[str, ...]) -> dict[str, Decimal]:
        return {k: self.r.get(table, k, path, "number") for k in keys}

    def build(self, path: Path, digest: str) -> Policy:
        r, raw = self.r, self.raw
        r.unknown(
            raw,
            {
                "id", "title", "source", "currency", "scale", "rounding", "rules", "grades",
                "bonus", "coefficients", "slices", "payout", "sanctions", "tracks", "readings",
                "aftersales",
                "monthly", "implementation",
                "duties",
            },
            "",
        )  # fmt: skip
        pid = r.get(raw, "id", "", "str", default="")
        title = r.get(raw, "title", "", "labels", default={})
        source = r.get(raw, "source", "", "str", required=False, default="")
        currency = r.get(raw, "currency", "", "str", required=False, default="CNY")
        scale = r.get(raw, "scale", "", "number", default=Decimal(100))
        if scale is not None and scale <= 0:
            r.problem("scale", "must be positive")

        rounding = r.get(raw, "rounding", "", "table", default={})
        r.unknown(
            rounding,
            ("mode", "money_places", "composite_places", "points_places", "share_places"),
            "rounding",
        )
        mode = r.get(rounding, "mode", "rounding", "str", default="half-up")
        if mode != "half-up":
            r.problem("rounding.mode", f"only half-up is supported, got {mode}")
        places = {
            k: r.get(rounding, k, "rounding", "int", default=d)
            for k, d in (
                ("money_places", 2),
                ("composite_places", 2),
                ("points_places", 1),
                ("share_places", 2),
            )
        }
        if places["money_places"] != 2:
            r.problem("rounding.money_places", "money is kept in fen: must be 2")

        rules = r.get(raw, "rules", "", "table", default={})
        r.unknown(rules, ("schedule", "cost", "internal_acceptance", "archiving"), "rules")
        schedule = self.schedule(r.get(rules, "schedule", "rules", "table", default={}))
        cost = self.cost(r.get(rules, "cost", "rules", "table", default={}))
        ia = self.internal_acceptance(
            r.get(rules, "internal_acceptance", "rules", "table", default={})
        )
        archiving = self.archiving(r.get(rules, "archiving", "rules", "table", default={}))

        grades = self.grades(r.get(raw, "grades", "", "table_list", default=None))
        bonus = self.bonus(r.get(raw, "bonus", "", "table", default={}))
        coefficients = self.coefficients(r.get(raw, "coefficients", "", "table", default={}))

        slices = r.get(raw, "slices", "", "table", default={})
        r.unknown(slices, ("months_per_slice", "readings"), "slices")
        months_per_slice = r.get(slices, "months_per_slice", "slices", "int", default=3)
        if isinstance(months_per_slice, int) and months_per_slice < 1:
            r.problem("slices.months_per_slice", "must be at least 1")
        self.refs(slices, "slices")
        aftersales = r.get(raw, "aftersales", "", "table", required=False, default={})
        r.unknown(aftersales, ("slices", "readings"), "aftersales")
        slice_mode = r.get(
            aftersales, "slices", "aftersales", "str", required=False, default="calendar"
        )
        if slice_mode not in SLICE_MODES:
            r.problem("aftersales.slices", f"must be one of {', '.join(SLICE_MODES)}")
        self.refs(aftersales, "aftersales")

        payout = r.get(raw, "payout", "", "table", default={})
        r.unknown(payout, ("months", "window_days", "gate", "readings"), "payout")
        payout_months = r.get(payout, "months", "payout", "int_list", default=())
        window_days = r.get(payout, "window_days", "payout", "int", default=7)
        if isinstance(window_days, int) and not 1 <= window_days <= 28:
            r.problem("payout.window_days", "must be between 1 and 28")
        gate = r.get(payout, "gate", "payout", "str_list", required=False, default=())
        self.refs(payout, "payout")

        tracks_raw = r.get(raw, "tracks", "", "table", default=None)
        if tracks_raw == {}:
            r.problem("tracks", "no tracks")
        tracks = {
            key: self.track(key, value, coefficients) for key, value in (tracks_raw or {}).items()
        }
        if sum(1 for t in tracks.values() if t.sliced) > 1:
            r.problem("tracks", "at most one track may be sliced")

        sanctions = r.get(raw, "sanctions", "", "table", default={})
        r.unknown(sanctions, ("consecutive", "grades", "effects", "readings"), "sanctions")
        count = r.get(sanctions, "consecutive", "sanctions", "int", default=3)
        if isinstance(count, int) and count < 1:
            r.problem("sanctions.consecutive", "must be at least 1")
        s_grades = r.get(sanctions, "grades", "sanctions", "str_list", default=())
        letters = {g.grade for g in grades}
        for g in s_grades:
            if g not in letters:
                r.problem("sanctions.grades", f"unknown grade {g}")
        effects_raw = r.get(sanctions, "effects", "sanctions", "table", default={})
        effects: dict[str, str] = {}
        for key, value in (effects_raw or {}).items():
            p = f"sanctions.effects.{key}"
            if key not in tracks:
                r.problem(p, "unknown track")
            effects[key] = r.convert(value, p, "str", default="")
        self.refs(sanctions, "sanctions")

        monthly = self.monthly(r.get(raw, "monthly", "", "table", required=False, default=None))
        implementation = r.get(raw, "implementation", "", "table", required=False, default={})
        r.unknown(implementation, ("min_crew_quotes",), "implementation")
        min_quotes = r.get(
            implementation, "min_crew_quotes", "implementation", "int", required=False, default=2
        )
        if isinstance(min_quotes, int) and min_quotes < 1:
            r.problem("implementation.min_crew_quotes", "must be at least 1")

        readings = self.readings(r.get(raw, "readings", "", "table", default={}))
        award_max_fen, duties = self.duties(
            r.get(raw, "duties", "", "table", required=False, default={})
        )

        if r.problems:
            raise PolicyInvalid(r.problems, path)
        return Policy(
            id=pid,
            title=title,
            hash=digest,
            path=path,
            source=source,
            currency=currency,
            scale=scale,
            tracks=tracks,
            grades=grades,
            complexity=coefficients.get("complexity", {}),
            difficulty=coefficients.get("difficulty", {}),
            risk=coefficients.get("risk", {}),
            months_per_slice=months_per_slice,
            aftersales_slices=slice_mode,
            payout_months=payout_months,
            payout_window_days=window_days,
            payout_gate=gate,
            sanction_count=count,
            sanction_grades=s_grades,
            sanction_effects=effects,
            schedule=schedule,
            cost=cost,
            internal_acceptance=ia,
            archiving=archiving,
            rounding_mode=mode,
            readings=readings,
            monthly=monthly,
            min_crew_quotes=min_quotes,
            award_max_fen=award_max_fen,
            duties=duties,
            **places,
            **bonus,
        )

    def duties(self, t: Any) -> tuple[int | None, dict[str, bool]]:
        """``[duties]``: the most one extra award may be (yuan, the company's choice; absent:
        no ceiling) and the separation-of-duties switches (each true unless set false)."""
        r, p = self.r, "duties"
        r.unknown(t, ("award_max", *DUTIES), p)
        award_max = r.get(t, "award_max", p, "number", required=False, default=None)
        fen = None
        if award_max is not None:
            if award_max <= 0 or award_max != award_max.quantize(Decimal("0.01")):
                r.problem(f"{p}.award_max", "must be a positive amount in yuan, to the fen")
            else:
                fen = int(award_max * 100)
        switches = {k: r.get(t, k, p, "bool", required=False, default=True) for k in DUTIES}
        return fen, switches

    # -- sections

    def schedule(self, t: Any) -> ScheduleRule:
        p = "rules.schedule"
        keys = ("on_time", "max", "min", "step_pct", "early_points_per_step")
        keys += ("late_points_per_step",)
        self.r.unknown(t, (*keys, "readings"), p)
        self.refs(t, p)
        nums = self.numbers(t, p, keys)
        if nums["step_pct"] is not None and nums["step_pct"] <= 0:
            self.r.problem(f"{p}.step_pct", "must be positive")
        return ScheduleRule(**nums)

    def cost(self, t: Any) -> CostRule:
        p = "rules.cost"
        keys = (
            "within_pct", "within_points", "band_pct", "saving_points", "overspend_points",
            "step_pct", "saving_points_per_step", "overspend_points_per_step", "min", "max",
        )  # fmt: skip
        self.r.unknown(t, (*keys, "readings"), p)
        self.refs(t, p)
        nums = self.numbers(t, p, keys)
        if nums["step_pct"] is not None and nums["step_pct"] <= 0:
            self.r.problem(f"{p}.step_pct", "must be positive")
        return CostRule(**nums)

    def internal_acceptance(self, t: Any) -> InternalAcceptanceRule:
        p = "rules.internal_acceptance"
        keys = ("full", "points_per_deducted_point", "points_per_day_late", "min")
        self.r.unknown(t, (*keys, "due_days", "readings"), p)
        self.refs(t, p)
        nums = self.numbers(t, p, keys)
        due = self.r.get(t, "due_days", p, "int", default=7)
        return InternalAcceptanceRule(due_days=due, **nums)

    def archiving(self, t: Any) -> ArchivingRule:
        p = "rules.archiving"
        keys = ("full", "points_per_late_report", "min")
        self.r.unknown(t, (*keys, "within_days", "inferred", "readings"), p)
        self.refs(t, p)
        nums = self.numbers(t, p, keys)
        within = self.r.get(t, "within_days", p, "int", default=7)
        inferred = self.r.get(t, "inferred", p, "bool", required=False, default=False)
        return ArchivingRule(within_days=within, inferred=inferred, **nums)

    def grades(self, rows: list[dict[str, Any]] | None) -> tuple[GradeBand, ...]:
        out: list[GradeBand] = []
        if rows == []:
            self.r.problem("grades", "no grade bands")
        seen: set[str] = set()
        for i, row in enumerate(rows or []):
            p = f"grades[{i}]"
            self.r.unknown(row, ("grade", "low", "high", "share"), p)
            letter = self.r.get(row, "grade", p, "str", default="?")
            if letter in seen:
                self.r.problem(f"{p}.grade", f"duplicate grade {letter}")
            seen.add(letter)
            low = self.r.get(row, "low", p, "number")
            high = self.r.get(row, "high", p, "number")
            share = self.r.get(row, "share", p, "number")
            if share is not None and not Decimal(0) <= share <= Decimal(100):
                self.r.problem(f"{p}.share", "must be between 0 and 100")
            if low is not None and high is not None and low >= high:
                self.r.problem(p, "low must be below high")
            out.append(GradeBand(grade=letter, low=low, high=high, share=share))
        return tuple(out)

    def bonus(self, t: Any) -> dict[str, Any]:
        r, p = self.r, "bonus"
        r.unknown(
            t,
            ("base_rate", "director_award", "pool", "no_engineers", "lead_share",
             "engineer_share", "readings"),
            p,
        )  # fmt: skip
        self.refs(t, p)
        base_rate = r.get(t, "base_rate", p, "number")
        director = r.get(t, "director_award", p, "number")
        for key, value in (("base_rate", base_rate), ("director_award", director)):
            if value is not None and not Decimal(0) <= value <= Decimal(100):
                r.problem(f"{p}.{key}", "must be a percentage between 0 and 100")
        pool = r.get(t, "pool", p, "str", default="reserved-minus-allocations")
        if pool != "reserved-minus-allocations":
            r.problem(f"{p}.pool", "only reserved-minus-allocations is supported")
        no_eng = r.get(t, "no_engineers", p, "str", default="lead-share-rest-to-pool")
        if no_eng != "lead-share-rest-to-pool":
            r.problem(f"{p}.no_engineers", "only lead-share-rest-to-pool is supported")
        lead = r.get(t, "lead_share", p, "table", default={})
        r.unknown(lead, ("min", "max", "default"), f"{p}.lead_share")
        eng = r.get(t, "engineer_share", p, "table", default={})
        r.unknown(eng, ("min", "max"), f"{p}.engineer_share")
        lead_n = self.numbers(lead, f"{p}.lead_share", ("min", "max"))
        default = r.get(
            lead, "default", f"{p}.lead_share", "number", required=False, default=lead_n["min"]
        )
        eng_n = self.numbers(eng, f"{p}.engineer_share", ("min", "max"))
        return {
            "base_rate": base_rate,
            "director_award_rate": director,
            "pool_rule": pool,
            "no_engineers_rule": no_eng,
            "lead_share_min": lead_n["min"],
            "lead_share_max": lead_n["max"],
            "lead_share_default": default,
            "engineer_share_min": eng_n["min"],
            "engineer_share_max": eng_n["max"],
        }

    def coefficients(self, t: Any) -> dict[str, dict[str, Decimal]]:
        out: dict[str, dict[str, Decimal]] = {}
        self.r.unknown(t, COEFFICIENT_TABLES, "coefficients")
        for name in COEFFICIENT_TABLES:
            p = f"coefficients.{name}"
            table = self.r.get(t, name, "coefficients", "table", required=False, default=None)
            if table is None:
                continue
            values: dict[str, Decimal] = {}
            for key, value in table.items():
                v = self.r.convert(value, f"{p}.{key}", "number")
                if v is not None and v <= 0:
                    self.r.problem(f"{p}.{key}", "must be positive")
                if v is not None:
                    values[key] = v
            out[name] = values
        return out

    def track(self, key: str, t: Any, coefficients: dict[str, dict]) -> TrackPolicy:
        r, p = self.r, f"tracks.{key}"
        if not isinstance(t, dict):
            r.problem(p, f"expected a table, got {_type_name(t)}")
            t = {}
        r.unknown(
            t,
            ("sheet", "scorers", "composite_divisor", "coefficients", "sheet_complexity", "flags",
             "lead_role", "engineer_role", "inferred", "sliced", "readings", "veto_below",
             "items"),
            p,
        )  # fmt: skip
        readings = self.refs(t, p)
        sheet = r.get(t, "sheet", p, "labels", default={})
        scorers = r.get(t, "scorers", p, "str_list", default=())
        if "scorers" in t and scorers is not None:
            if not scorers:
                r.problem(f"{p}.scorers", "no scorers")
            if len(set(scorers)) != len(scorers):
                r.problem(f"{p}.scorers", "duplicate scorer")
        divisor = r.get(t, "composite_divisor", p, "int", default=1)
        if isinstance(divisor, int) and divisor < 1:
            r.problem(f"{p}.composite_divisor", "must be at least 1")
        coefs = r.get(t, "coefficients", p, "str_list", default=()) or ()
        for name in coefs:
            if name not in COEFFICIENT_TABLES:
                r.problem(f"{p}.coefficients", f"unknown coefficient table {name}")
            elif name not in coefficients:
                r.problem(f"{p}.coefficients", f"coefficients.{name} is not defined")
        sheet_complexity = r.get(t, "sheet_complexity", p, "str_list", required=False, default=())
        flags = r.get(t, "flags", p, "str_list", default=()) or ()
        for flag in flags:
            if flag not in FLAGS:
                r.problem(f"{p}.flags", f"unknown flag {flag} (known: {', '.join(FLAGS)})")
        rows = r.get(t, "items", p, "table_list", default=None)
        items = tuple(self.item(f"{p}.items[{i}]", row) for i, row in enumerate(rows or []))
        keys = [i.key for i in items]
        if rows == []:
            r.problem(f"{p}.items", "no items")
        for k in {k for k in keys if keys.count(k) > 1}:
            r.problem(f"{p}.items", f"duplicate item {k}")
        veto_raw = r.get(t, "veto_below", p, "table", required=False, default={}) or {}
        veto: dict[str, Decimal] = {}
        for item, value in veto_raw.items():
            vp = f"{p}.veto_below.{item}"
            if item not in keys:
                r.problem(vp, "not an item of this track")
            v = r.convert(value, vp, "number")
            if v is not None:
                veto[item] = v
        return TrackPolicy(
            key=key,
            sheet=sheet,
            scorers=scorers or (),
            composite_divisor=divisor,
            items=items,
            coefficients=coefs,
            sheet_complexity=sheet_complexity or (),
            flags=flags,
            veto_below=veto,
            lead_role=r.get(t, "lead_role", p, "str", default="lead"),
            engineer_role=r.get(t, "engineer_role", p, "str", default="engineer"),
            inferred=r.get(t, "inferred", p, "bool", required=False, default=False),
            sliced=r.get(t, "sliced", p, "bool", required=False, default=False),
            readings=readings,
        )

    def item(self, p: str, t: dict[str, Any]) -> Item:
        r = self.r
        r.unknown(
            t,
            ("key", "label", "max", "kind", "objective", "bands", "inferred", "evidence",
             "readings"),
            p,
        )  # fmt: skip
        self.refs(t, p)
        key = r.get(t, "key", p, "str", default="?")
        mx = r.get(t, "max", p, "number")
        if mx is not None and mx <= 0:
            r.problem(f"{p}.max", "must be positive")
        kind = r.get(t, "kind", p, "str", default="subjective")
        if kind not in KINDS:
            r.problem(f"{p}.kind", f"unknown kind {kind} (known: {', '.join(KINDS)})")
        objective = r.get(t, "objective", p, "str", default="never")
        if objective not in OBJECTIVE:
            r.problem(f"{p}.objective", f"must be one of {', '.join(OBJECTIVE)}")
        elif kind in KINDS and (kind == "subjective") != (objective == "never"):
            r.problem(f"{p}.objective", f"{objective} does not fit kind {kind}")
        bands: list[Band] = []
        for j, band in enumerate(r.get(t, "bands", p, "table_list", default=[]) or []):
            bp = f"{p}.bands[{j}]"
            r.unknown(band, ("points", *LANGS), bp)
            points = r.get(band, "points", bp, "str", default="")
            text = {lang: r.get(band, lang, bp, "str", default="") for lang in LANGS}
            bands.append(Band(points=points, text=text))
        return Item(
            key=key,
            label=r.get(t, "label", p, "labels", default={}),
            max=mx,
            kind=kind,
            objective=objective,
            bands=tuple(bands),
            inferred=r.get(t, "inferred", p, "bool", required=False, default=False),
            evidence=r.get(t, "evidence", p, "str", required=False, default=None),
        )

    def monthly(self, t: Any) -> MonthlyPolicy | None:
        if t is None:
            return None
        r, p = self.r, "monthly"
        r.unknown(t, ("due_day", "example", "note", "items", "groups"), p)
        due = r.get(t, "due_day", p, "int", default=5)
        if isinstance(due, int) and not 1 <= due <= 28:
            r.problem(f"{p}.due_day", "must be between 1 and 28")
        example = r.get(t, "example", p, "bool", required=False, default=False)
        note = r.get(t, "note", p, "labels", required=False, default={}) or {}
        rows = r.get(t, "items", p, "table_list", default=None)
        items = tuple(self.monthly_item(f"{p}.items[{i}]", row) for i, row in enumerate(rows or []))
        if rows == []:
            r.problem(f"{p}.items", "no items")
        keys = [i.key for i in items]
        for k in {k for k in keys if keys.count(k) > 1}:
            r.problem(f"{p}.items", f"duplicate item {k}")
        groups: list[MonthlyGroup] = []
        seen_roles: set[str] = set()
        for i, row in enumerate(r.get(t, "groups", p, "table_list", default=None) or []):
            gp = f"{p}.groups[{i}]"
            r.unknown(row, ("key", "label", "engineers", "submitter", "assistants"), gp)
            engineers = r.get(row, "engineers", gp, "str_list", default=()) or ()
            for role in engineers:
                if role in seen_roles:
                    r.problem(f"{gp}.engineers", f"{role} is in two groups")
                seen_roles.add(role)
            groups.append(
                MonthlyGroup(
                    key=r.get(row, "key", gp, "str", default="?"),
                    label=r.get(row, "label", gp, "labels", default={}) or {},
                    engineers=engineers,
                    submitter=r.get(row, "submitter", gp, "str", default=""),
                    assistants=r.get(row, "assistants", gp, "str_list", required=False, default=())
                    or (),
                )
            )
        if not groups:
            r.problem(f"{p}.groups", "no groups")
        return MonthlyPolicy(
            due_day=due if isinstance(due, int) else 5,
            items=items,
            groups=tuple(groups),
            example=bool(example),
            note=note,
        )

    def monthly_item(self, p: str, t: dict[str, Any]) -> Item:
        """A monthly rubric item: key, label, max; always scored by the manager."""
        r = self.r
        r.unknown(t, ("key", "label", "max"), p)
        mx = r.get(t, "max", p, "number")
        if mx is not None and mx <= 0:
            r.problem(f"{p}.max", "must be positive")
        return Item(
            key=r.get(t, "key", p, "str", default="?"),
            label=r.get(t, "label", p, "labels", default={}) or {},
            max=mx,
            kind="subjective",
        )

    def readings(self, t: Any) -> dict[str, Reading]:
        applies: dict[str, list[str]] = {}
        for rid, path in self.reading_refs:
            applies.setdefault(rid, []).append(path)
            if not isinstance(t, dict) or rid not in t:
                self.r.problem(f"{path}.readings", f"reading {rid} is not defined")
        out: dict[str, Reading] = {}
        for rid, value in (t or {}).items():
            p = f"readings.{rid}"
            text = self.r.convert(value, p, "labels", default={})
            out[rid] = Reading(id=rid, text=text or {}, applies=tuple(applies.get(rid, ())))
        return out


MAX_POLICY_BYTES = 1024 * 1024


def load_policy(path: str | Path | None = None) -> Policy:
    """Load and check a policy file (default: the shipped one); raises PolicyInvalid."""
    from techdept.files import FileRefused, read_regular

    p = Path(path) if path is not None else default_policy_path()
    try:
        data = read_regular(p, MAX_POLICY_BYTES)
    except FileRefused as exc:
        what = "not a regular file" if exc.kind == "not-regular" else "larger than 1 MiB"
        raise PolicyInvalid([f"{p}: {what}; a policy is a TOML text file"], p) from None
    except OSError as exc:
        raise PolicyInvalid([f"{p}: cannot be read ({exc.strerror or exc})"], p) from None
    return load_policy_bytes(data, p)


def load_policy_bytes(data: bytes, origin: str | Path = "<stored>") -> Policy:
    """Load a policy from its file's bytes (e.g. the copy stored with an assessment)."""
    p = Path(origin)
    try:
        raw = tomllib.loads(data.decode("utf-8"), parse_float=Decimal)
    except UnicodeDecodeError:
        raise PolicyInvalid([f"{p}: not UTF-8 text"], p) from None
    except tomllib.TOMLDecodeError as exc:
        raise PolicyInvalid([f"{p}: not valid TOML ({exc})"], p) from None
    return _Builder(raw).build(p, hashlib.sha256(data).hexdigest())


def _jsonable(value: Any) -> Any:
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if is_dataclass(value) and not isinstance(value, type):
        return _jsonable(asdict(value))
    return value


def policy_to_dict(policy: Policy) -> dict[str, Any]:
    """The policy as JSON-able data (numbers as strings) for ``policy show --json``."""
    return _jsonable(policy)
