"""Every key a policy file may hold: its type, whether it is required, its default and its
checks (ranges, choices, references), as one schema table walked by ``schema.validate``.
Consistency between the numbers (grade gaps, rubric sums, A1 …) is ``lint``'s job."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from techdept.rules.policy.model import (
    COEFFICIENT_TABLES,
    DUTIES,
    FLAGS,
    KINDS,
    LANGS,
    OBJECTIVE,
    SANCTION_COVERS,
    SLICE_MODES,
)
from techdept.rules.policy.schema import (
    Found,
    Map,
    Rows,
    Table,
    Value,
    at_least,
    between,
    each_one_of,
    no_duplicates,
    not_empty,
    one_of,
    positive,
)

NUMBER = Value("number")
PERCENT = Value("number", checks=(between(0, 100, "must be a percentage between 0 and 100"),))


def _numbers(*keys: str) -> dict[str, Value]:
    return dict.fromkeys(keys, NUMBER)


def _exactly(expected: Any, message: str) -> Any:
    def check(value: Any) -> Found:
        if value != expected:
            yield "", message.format(value=value)

    return check


# ------------------------------------------------------------------------ checks across keys


def _duplicate_keys(what: str, list_key: str = "items") -> Any:
    """Rows whose ``key`` repeats, reported on the list (``… .items: duplicate item K``)."""

    def check(table: dict[str, Any], root: dict[str, Any]) -> Found:
        keys = [row["key"] for row in table.get(list_key) or [] if row]
        for key in {k for k in keys if keys.count(k) > 1}:
            yield list_key, f"duplicate {what} {key}"

    return check


def _grade_rows(rows: list[dict[str, Any]]) -> Found:
    seen: set[str] = set()
    for i, row in enumerate(rows):
        if row["grade"] in seen:
            yield f"[{i}].grade", f"duplicate grade {row['grade']}"
        seen.add(row["grade"])


def _grade_range(row: dict[str, Any], root: dict[str, Any]) -> Found:
    if row["low"] is not None and row["high"] is not None and row["low"] >= row["high"]:
        yield "", "low must be below high"


def _objective_fits_kind(item: dict[str, Any], root: dict[str, Any]) -> Found:
    kind, objective = item["kind"], item["objective"]
    fits = (kind == "subjective") == (objective == "never")
    if objective in OBJECTIVE and kind in KINDS and not fits:
        yield "objective", f"{objective} does not fit kind {kind}"


def _track_coefficients(track: dict[str, Any], root: dict[str, Any]) -> Found:
    defined = root.get("coefficients") or {}
    for name in track["coefficients"] or ():
        if name not in COEFFICIENT_TABLES:
            yield "coefficients", f"unknown coefficient table {name}"
        elif defined.get(name) is None:
            yield "coefficients", f"coefficients.{name} is not defined"


def _veto_items(track: dict[str, Any], root: dict[str, Any]) -> Found:
    keys = [item["key"] for item in track["items"] or ()]
    for item in track["veto_below"] or {}:
        if item not in keys:
            yield f"veto_below.{item}", "not an item of this track"


def _one_sliced_track(tracks: dict[str, Any], root: dict[str, Any]) -> Found:
    if sum(1 for t in tracks.values() if t and t["sliced"]) > 1:
        yield "", "at most one track may be sliced"


def _sanctions(sanctions: dict[str, Any], root: dict[str, Any]) -> Found:
    letters = {row["grade"] for row in root.get("grades") or () if row}
    for grade in sanctions["grades"] or ():
        if grade not in letters:
            yield "grades", f"unknown grade {grade}"
    for table in ("effects", "covers"):
        for track in sanctions[table] or {}:
            if track not in (root.get("tracks") or {}):
                yield f"{table}.{track}", "unknown track"


def _stage(value: str) -> Found:
    from techdept.rules.domain import domain

    stages = domain().stage_keys
    if value not in stages:
        yield "", f"unknown stage {value} (known: {', '.join(stages)})"


def _award_max(value: Decimal) -> Found:
    if value <= 0 or value != value.quantize(Decimal("0.01")):
        yield "", "must be a positive amount in yuan, to the fen"


def _monthly_groups(monthly: dict[str, Any], root: dict[str, Any]) -> Found:
    seen: set[str] = set()
    for i, group in enumerate(monthly["groups"] or ()):
        for role in group["engineers"] or ():
            if role in seen:
                yield f"groups[{i}].engineers", f"{role} is in two groups"
            seen.add(role)
    if not monthly["groups"]:
        yield "groups", "no groups"


# ------------------------------------------------------------------------ the file

SCHEDULE = Table(
    {
        **_numbers("on_time", "max", "min"),
        "step_pct": Value("number", checks=(positive,)),
        **_numbers("early_points_per_step", "late_points_per_step"),
    },
    readings=True,
)
COST = Table(
    {
        **_numbers("within_pct", "within_points", "band_pct", "saving_points"),
        "overspend_points": NUMBER,
        "step_pct": Value("number", checks=(positive,)),
        **_numbers("saving_points_per_step", "overspend_points_per_step", "min", "max"),
    },
    readings=True,
)
INTERNAL_ACCEPTANCE = Table(
    {
        **_numbers("full", "points_per_deducted_point", "points_per_day_late", "min"),
        "due_days": Value("int", default=7),
    },
    readings=True,
)
ARCHIVING = Table(
    {
        **_numbers("full", "points_per_late_report", "min"),
        "within_days": Value("int", default=7),
        "inferred": Value("bool", required=False, default=False),
    },
    readings=True,
)
GRADE = Table(
    {"grade": Value("str", default="?"), "low": NUMBER, "high": NUMBER,
     "share": Value("number", checks=(between(0, 100),))},
    checks=(_grade_range,),
)  # fmt: skip
BONUS = Table(
    {
        "base_rate": PERCENT,
        "director_award": PERCENT,
        "pool": Value(
            "str",
            default="reserved-minus-allocations",
            checks=(
                _exactly(
                    "reserved-minus-allocations", "only reserved-minus-allocations is supported"
                ),
            ),
        ),
        "no_engineers": Value(
            "str",
            default="lead-share-rest-to-pool",
            checks=(
                _exactly("lead-share-rest-to-pool", "only lead-share-rest-to-pool is supported"),
            ),
        ),
        "lead_share": Table(
            {"min": NUMBER, "max": NUMBER, "default": Value("number", required=False)}
        ),
        "engineer_share": Table({"min": NUMBER, "max": NUMBER}),
    },
    readings=True,
)
COEFFICIENTS = Table(
    {
        name: Map(Value("number", checks=(positive,)), required=False, default=None)
        for name in COEFFICIENT_TABLES
    }
)
BAND = Table(
    {"points": Value("str", default=""), **{lang: Value("str", default="") for lang in LANGS}}
)
ITEM = Table(
    {
        "key": Value("str", default="?"),
        "max": Value("number", checks=(positive,)),
        "kind": Value("str", default="subjective",
                      checks=(one_of(KINDS, "unknown kind {value} (known: {known})"),)),
        "objective": Value("str", default="never", checks=(one_of(OBJECTIVE),)),
        "bands": Rows(Table(BAND.fields)),
        "label": Value("labels", default={}),
        "inferred": Value("bool", required=False, default=False),
        "evidence": Value("str", required=False, default=None),
    },
    readings=True,
    checks=(_objective_fits_kind,),
)  # fmt: skip
TRACK = Table(
    {
        "sheet": Value("labels", default={}),
        "scorers": Value(
            "str_list",
            default=(),
            checks=(not_empty("no scorers"), no_duplicates("duplicate scorer")),
            check_default=True,  # "scorers = 3" is also "no scorers"
        ),
        "composite_divisor": Value("int", default=1, checks=(at_least(1),)),
        "coefficients": Value("str_list", default=()),
        "sheet_complexity": Value("str_list", required=False, default=()),
        "flags": Value("str_list", default=(),
                       checks=(each_one_of(FLAGS, "unknown flag {value} (known: {known})"),)),
        "items": Rows(ITEM, empty="no items"),
        "veto_below": Map(NUMBER, required=False),
        "lead_role": Value("str", default="lead"),
        "engineer_role": Value("str", default="engineer"),
        "inferred": Value("bool", required=False, default=False),
        "sliced": Value("bool", required=False, default=False),
        "assessed_from": Value("str", required=False, default=None, checks=(_stage,)),
    },
    readings=True,
    checks=(_track_coefficients, _duplicate_keys("item"), _veto_items),
)  # fmt: skip
MONTHLY_ITEM = Table(
    {"key": Value("str", default="?"), "label": Value("labels", default={}),
     "max": Value("number", checks=(positive,))}
)  # fmt: skip
MONTHLY_GROUP = Table(
    {
        "key": Value("str", default="?"),
        "label": Value("labels", default={}),
        "engineers": Value("str_list", default=()),
        "submitter": Value("str", default=""),
        "assistants": Value("str_list", required=False, default=()),
    }
)
MONTHLY = Table(
    {
        "due_day": Value("int", default=5, checks=(between(1, 28),)),
        "example": Value("bool", required=False, default=False),
        "note": Value("labels", required=False, default={}),
        "items": Rows(MONTHLY_ITEM, empty="no items"),
        "groups": Rows(MONTHLY_GROUP),
    },
    required=False,
    default=None,
    checks=(_duplicate_keys("item"), _monthly_groups),
)

POLICY = Table(
    {
        "id": Value("str", default=""),
        "title": Value("labels", default={}),
        "source": Value("str", required=False, default=""),
        "currency": Value("str", required=False, default="CNY"),
        "scale": Value("number", default=Decimal(100), checks=(positive,)),
        "rounding": Table(
            {
                "mode": Value(
                    "str",
                    default="half-up",
                    checks=(_exactly("half-up", "only half-up is supported, got {value}"),),
                ),
                "money_places": Value(
                    "int", default=2, checks=(_exactly(2, "money is kept in fen: must be 2"),)
                ),
                "composite_places": Value("int", default=2),
                "points_places": Value("int", default=1),
                "share_places": Value("int", default=2),
            }
        ),
        "rules": Table(
            {
                "schedule": SCHEDULE,
                "cost": COST,
                "internal_acceptance": INTERNAL_ACCEPTANCE,
                "archiving": ARCHIVING,
            }
        ),
        "grades": Rows(GRADE, empty="no grade bands", checks=(_grade_rows,)),
        "bonus": BONUS,
        "coefficients": COEFFICIENTS,
        "slices": Table(
            {"months_per_slice": Value("int", default=3, checks=(at_least(1),))}, readings=True
        ),
        "aftersales": Table(
            {
                "slices": Value(
                    "str", required=False, default="calendar", checks=(one_of(SLICE_MODES),)
                )
            },
            required=False,
            readings=True,
        ),
        "payout": Table(
            {
                "months": Value("int_list", default=()),
                "window_days": Value("int", default=7, checks=(between(1, 28),)),
                "gate": Value("str_list", required=False, default=()),
            },
            readings=True,
        ),
        "tracks": Map(TRACK, default=None, empty="no tracks", checks=(_one_sliced_track,)),
        "sanctions": Table(
            {
                "consecutive": Value("int", default=3, checks=(at_least(1),)),
                "grades": Value("str_list", default=()),
                "effects": Map(Value("str", default="")),
                "covers": Map(
                    Value("str", default="team", checks=(one_of(SANCTION_COVERS),)),
                    required=False,
                ),
            },
            readings=True,
            checks=(_sanctions,),
        ),
        "monthly": MONTHLY,
        "implementation": Table(
            {"min_crew_quotes": Value("int", required=False, default=2, checks=(at_least(1),))},
            required=False,
        ),
        "readings": Map(Value("labels", default={})),
        "duties": Table(
            {
                "award_max": Value("number", required=False, checks=(_award_max,)),
                **{duty: Value("bool", required=False, default=True) for duty in DUTIES},
            },
            required=False,
        ),
    }
)
