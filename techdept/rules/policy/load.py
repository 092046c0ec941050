"""Load a policy file: read the bytes, parse the TOML, check it against the schema
(``fields.POLICY``), and turn the checked values into a ``Policy``. Every problem is reported
at once, with its key path (``PolicyInvalid``)."""

from __future__ import annotations

import hashlib
import pickle
import sys
import tomllib
from dataclasses import asdict, is_dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from techdept.files import read_cache, stamp, write_cache
from techdept.rules.errors import PolicyInvalid
from techdept.rules.policy.model import (
    ArchivingRule,
    Band,
    CostRule,
    GradeBand,
    InternalAcceptanceRule,
    Item,
    MonthlyGroup,
    MonthlyPolicy,
    Policy,
    Reading,
    ScheduleRule,
    TrackPolicy,
    default_policy_path,
)

MAX_POLICY_BYTES = 1024 * 1024


def _without(table: dict[str, Any], *keys: str) -> dict[str, Any]:
    return {k: v for k, v in table.items() if k not in keys}


def _item(row: dict[str, Any]) -> Item:
    bands = tuple(
        Band(points=b["points"], text={lang: b[lang] for lang in ("zh", "en")})
        for b in row["bands"] or ()
    )
    return Item(**_without(row, "readings", "bands"), bands=bands)


def _track(key: str, t: dict[str, Any]) -> TrackPolicy:
    """A track; where the file does not say from which stage it is assessed, the process's
    (``domain.toml`` ``[tracks.KEY]``) says."""
    from techdept.rules.domain import domain

    steps = domain().tracks.get(key)
    assessed_from = t["assessed_from"] or (steps.assessed_from if steps else None)
    return TrackPolicy(
        key=key,
        **_without(t, "items", "readings", "assessed_from"),
        items=tuple(_item(row) for row in t["items"]),
        readings=t["readings"],
        assessed_from=assessed_from,
    )


def _monthly(m: dict[str, Any] | None) -> MonthlyPolicy | None:
    if m is None:
        return None
    return MonthlyPolicy(
        due_day=m["due_day"],
        items=tuple(Item(**row, kind="subjective") for row in m["items"]),
        groups=tuple(MonthlyGroup(**group) for group in m["groups"]),
        example=m["example"],
        note=m["note"] or {},
    )


def _readings(v: dict[str, Any], refs: list[tuple[str, str]]) -> dict[str, Reading]:
    applies: dict[str, list[str]] = {}
    for rid, path in refs:
        applies.setdefault(rid, []).append(path)
    return {
        rid: Reading(id=rid, text=text, applies=tuple(applies.get(rid, ())))
        for rid, text in v["readings"].items()
    }


def _bonus(b: dict[str, Any]) -> dict[str, Any]:
    lead, engineer = b["lead_share"], b["engineer_share"]
    return {
        "base_rate": b["base_rate"],
        "director_award_rate": b["director_award"],
        "pool_rule": b["pool"],
        "no_engineers_rule": b["no_engineers"],
        "lead_share_min": lead["min"],
        "lead_share_max": lead["max"],
        "lead_share_default": lead["min"] if lead["default"] is None else lead["default"],
        "engineer_share_min": engineer["min"],
        "engineer_share_max": engineer["max"],
    }


def _policy(v: dict[str, Any], refs: list[tuple[str, str]], path: Path, digest: str) -> Policy:
    """The checked values as a Policy (only called when there is no problem)."""
    rules, coefficients, duties = v["rules"], v["coefficients"], v["duties"]
    award_max = duties["award_max"]
    return Policy(
        id=v["id"],
        title=v["title"],
        hash=digest,
        path=path,
        source=v["source"],
        currency=v["currency"],
        scale=v["scale"],
        tracks={key: _track(key, t) for key, t in v["tracks"].items()},
        grades=tuple(GradeBand(**row) for row in v["grades"]),
        complexity=coefficients["complexity"] or {},
        difficulty=coefficients["difficulty"] or {},
        risk=coefficients["risk"] or {},
        months_per_slice=v["slices"]["months_per_slice"],
        aftersales_slices=v["aftersales"]["slices"],
        payout_months=v["payout"]["months"],
        payout_window_days=v["payout"]["window_days"],
        payout_gate=v["payout"]["gate"],
        sanction_count=v["sanctions"]["consecutive"],
        sanction_grades=v["sanctions"]["grades"],
        sanction_effects=v["sanctions"]["effects"],
        sanction_covers=v["sanctions"]["covers"] or {},
        schedule=ScheduleRule(**_without(rules["schedule"], "readings")),
        cost=CostRule(**_without(rules["cost"], "readings")),
        internal_acceptance=InternalAcceptanceRule(
            **_without(rules["internal_acceptance"], "readings")
        ),
        archiving=ArchivingRule(**_without(rules["archiving"], "readings")),
        rounding_mode=v["rounding"]["mode"],
        readings=_readings(v, refs),
        monthly=_monthly(v["monthly"]),
        min_crew_quotes=v["implementation"]["min_crew_quotes"],
        award_max_fen=None if award_max is None else int(award_max * 100),
        duties=_without(duties, "award_max"),
        **_without(v["rounding"], "mode"),
        **_bonus(v["bonus"]),
    )


def build(raw: dict[str, Any], path: Path, digest: str) -> Policy:
    """Check the parsed TOML and build the Policy; raises PolicyInvalid with every problem."""
    from techdept.rules.policy.fields import POLICY  # the schema: only when a file is parsed
    from techdept.rules.policy.schema import validate

    values, walk = validate(POLICY, raw)
    for rid, where in walk.reading_refs:
        if rid not in (values.get("readings") or {}):
            walk.problem(f"{where}.readings", f"reading {rid} is not defined")
    if walk.problems:
        raise PolicyInvalid(walk.problems, path)
    return _policy(values, walk.reading_refs, path, digest)


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


# Policies already built in this process, by (origin, SHA-256 of the bytes): the same bytes
# always build the same frozen Policy, and help texts, the vocabularies and each command ask
# for the shipped policy many times (48 TOML parses for `policy --help` before this).
_BUILT: dict[tuple[str, str], Policy] = {}


def load_policy_bytes(data: bytes, origin: str | Path = "<stored>") -> Policy:
    """Load a policy from its file's bytes (e.g. the copy stored with an assessment)."""
    p = Path(origin)
    key = (str(p), hashlib.sha256(data).hexdigest())
    built = _BUILT.get(key)
    if built is None:
        built = _BUILT[key] = _kept(data, p, key[1])
        if len(_BUILT) > 64:  # a long-lived process (the console) reading many stored copies
            _BUILT.pop(next(iter(_BUILT)))
    return built


# ...and across processes: the built Policy is kept on disk (``techdept.files.write_cache``),
# named by the file's SHA-256, where it came from, the loader's code and ``domain.toml`` (which
# fills what a file leaves out), so every command does not parse and check the TOML again. It
# is the same Policy the file builds (its ``hash`` is the file's SHA-256); a kept file that is
# corrupt, or made from other bytes or other code, is ignored and made again.
_HERE = Path(__file__).parent
_DOMAIN_FILE = _HERE.parent / "domain.toml"


def _cache_key(p: Path, digest: str) -> str:
    rules = _HERE.parent
    code = stamp(*(_HERE / f"{m}.py" for m in ("load", "model", "fields", "schema")),
                 rules / "domain.py")  # fmt: skip
    try:
        process = hashlib.sha256(_DOMAIN_FILE.read_bytes()).hexdigest()
    except OSError:
        process = "-"
    return f"{digest}|{p}|{code}|{process}|{sys.version}"


def _kept(data: bytes, p: Path, digest: str) -> Policy:
    """The Policy these bytes build: the kept one when there is one, else parsed and kept."""
    key = _cache_key(p, digest)
    name = f"policy-{hashlib.sha256(key.encode()).hexdigest()[:32]}.pickle"
    kept = read_cache(name)
    if kept is not None:
        try:
            stored_key, policy = pickle.loads(kept)
            if stored_key == key and isinstance(policy, Policy) and policy.hash == digest:
                return policy
        except Exception:  # corrupt or from another version: made again below
            pass
    policy = _parse(data, p, digest)
    write_cache(name, pickle.dumps((key, policy), pickle.HIGHEST_PROTOCOL), "policy-*.pickle", 32)
    return policy


def _parse(data: bytes, p: Path, digest: str) -> Policy:
    try:
        raw = tomllib.loads(data.decode("utf-8"), parse_float=Decimal)
    except UnicodeDecodeError:
        raise PolicyInvalid([f"{p}: not UTF-8 text"], p) from None
    except tomllib.TOMLDecodeError as exc:
        raise PolicyInvalid([f"{p}: not valid TOML ({exc})"], p) from None
    return build(raw, p, digest)


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
