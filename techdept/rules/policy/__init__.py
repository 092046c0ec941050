"""The policy as data: load a versioned TOML file, check its shape, expose it as values.

- ``model``: the frozen values every rule reads (``Policy``, ``TrackPolicy``, ``Item`` …);
- ``schema``: the four kinds of schema node and the one validator that walks them;
- ``fields``: the schema of a policy file — every key, its type, default and checks;
- ``load``: reading the file, checking it, building the ``Policy``; ``policy show --json``.

The loader checks structure (keys, types, ranges, references) and reports every problem with
its key path; consistency between the numbers (grade gaps, rubric sums, A1 …) is ``lint``'s
job, so a policy read literally from the seed can still be loaded and shown.
"""

from techdept.rules.policy.load import (
    MAX_POLICY_BYTES,
    load_policy,
    load_policy_bytes,
    policy_to_dict,
)
from techdept.rules.policy.model import (
    COEFFICIENT_TABLES,
    DEFAULT_ID,
    DUTIES,
    FLAGS,
    KINDS,
    LANGS,
    OBJECTIVE,
    SLICE_MODES,
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

__all__ = [
    "COEFFICIENT_TABLES",
    "DEFAULT_ID",
    "DUTIES",
    "FLAGS",
    "KINDS",
    "LANGS",
    "MAX_POLICY_BYTES",
    "OBJECTIVE",
    "SLICE_MODES",
    "ArchivingRule",
    "Band",
    "CostRule",
    "GradeBand",
    "InternalAcceptanceRule",
    "Item",
    "MonthlyGroup",
    "MonthlyPolicy",
    "Policy",
    "Reading",
    "ScheduleRule",
    "TrackPolicy",
    "default_policy_path",
    "load_policy",
    "load_policy_bytes",
    "policy_to_dict",
]
