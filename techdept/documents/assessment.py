"""The assessment sheet as a typed, frozen document: what ``assess open|set|show|approve``
return, what ``assess show --json`` prints, what the GM's approval stores, and what both the
terminal sheet and the .docx sheet read (by attribute).

Amounts are exact yuan text (``"5808.00"``), points exact decimal text, dates ISO text: the
document is already the JSON users see, typed. ``to_json`` writes it (with ``doc_version``);
``from_json`` reads any stored one back, including the snapshots stored before the version
field existed (version 0) and hand-written documents that leave optional parts out.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from techdept.documents._version import read_version
from techdept.rules import Step

DOC_VERSION = 1


@dataclass(frozen=True)
class PolicyRef:
    id: str
    hash: str


@dataclass(frozen=True)
class Positions:
    """The track's names for the lead and an engineer (``position.*`` keys)."""

    lead: str | None
    engineer: str | None


@dataclass(frozen=True)
class AftersalesFacts:
    """The after-sales quarter's own facts: its records and its slice of the contract."""

    archiving_points: str | None = None
    tickets: Mapping[str, Any] | None = None  # the quarter's ticket figures as recorded
    sources: Mapping[str, str] | None = None  # budget/actual_cost: "recorded" or typed
    service_start: str | None = None
    service_months: int | None = None
    slice: str | None = None


@dataclass(frozen=True)
class SheetFacts:
    contract: str | None = None
    complexity: str | None = None
    difficulty: str | None = None
    risk: str | None = None
    planned_days: int | None = None
    actual_days: int | None = None
    budget: str | None = None
    actual_cost: str | None = None
    ia_deducted: str | None = None
    ia_late_days: int | None = None
    complaint: bool = False
    poor_evaluation: bool = False
    source: str | None = None  # where internal acceptance came from: "command-line" | "records"
    schedule_reason: str | None = None  # 工期提前或滞后原因, as typed (None: not given)
    cost_reason: str | None = None  # 费用超支或节约原因, as typed
    aftersales: AftersalesFacts | None = None


@dataclass(frozen=True)
class Lead:
    staff: str
    name: str
    share: str | None = None


@dataclass(frozen=True)
class Engineer:
    staff: str
    name: str
    weight: str | None = None


@dataclass(frozen=True)
class TeamDoc:
    lead: Lead | None
    engineers: tuple[Engineer, ...] = ()


@dataclass(frozen=True)
class Band:
    """A guidance band: its points range and its text per language."""

    points: str
    text: Mapping[str, str]


@dataclass(frozen=True)
class Item:
    """One rubric item; label and bands are None when a document leaves them out (the
    sheet then takes them from the policy)."""

    key: str
    label: Mapping[str, str] | None = None
    max: str | None = None
    objective: bool | None = None
    computed: str | None = None
    inferred: bool | None = None
    bands: tuple[Band, ...] | None = None


@dataclass(frozen=True)
class ScorerSheet:
    """One scorer's points by item (None = not scored) and total (None until complete)."""

    points: Mapping[str, str | None]
    total: str | None = None


@dataclass(frozen=True)
class Reason:
    scorer: str
    item: str
    points: str
    reason: str


@dataclass(frozen=True)
class Person:
    staff: str
    name: str


@dataclass(frozen=True)
class Approval:
    by: str
    name: str
    on: str | None


@dataclass(frozen=True)
class Approvals:
    director: Approval | None = None
    gm: Approval | None = None


@dataclass(frozen=True)
class Allocation:
    staff: str
    name: str
    role: str
    amount: str


@dataclass(frozen=True)
class AssessmentDoc:
    """One assessment's sheet: identity, facts, team, rubric, scores, results, approvals."""

    project: str
    project_name: str | None
    customer: str | None
    track: str
    quarter: str | None
    sheet: Mapping[str, str] | None
    inferred: bool | None
    policy: PolicyRef | None
    positions: Positions | None
    status: str | None
    version: int | None
    facts: SheetFacts
    team: TeamDoc | None
    items: tuple[Item, ...]
    required_scorers: tuple[str, ...]
    scorers: Mapping[str, ScorerSheet]
    reasons: tuple[Reason, ...]
    entered_by: Mapping[str, Person]
    missing_scores: Mapping[str, tuple[str, ...]]
    composite: str | None
    grade: str | None
    share: str | None
    base: str | None
    aftersales_total: str | None
    reserved: str | None
    final: str | None
    vetoed: bool
    veto_reasons: tuple[str, ...]
    pool: str | None
    director_award: str | None
    director: str | None
    allocations: tuple[Allocation, ...]
    approvals: Approvals
    tickets: Mapping[str, str] | None  # the ticket evidence as printed
    overview: str | None = None  # 工程概况, as typed (None: the sheet writes its own)
    review_opinion: str | None = None  # 审核意见, as typed at approval
    before: Mapping[str, str] | None = None  # ``score``: the scorer's points before
    explain: tuple[Step, ...] | None = None  # ``--explain``: the steps of the evaluation

    @property
    def lead_name(self) -> str | None:
        return self.team.lead.name if self.team and self.team.lead else None

    def to_json(self) -> dict[str, Any]:
        """The document as ``assess show --json`` prints it and the approval stores it."""
        out: dict[str, Any] = {
            "project": self.project,
            "project_name": self.project_name,
            "customer": self.customer,
            "track": self.track,
            "quarter": self.quarter,
            "sheet": _plain(self.sheet),
            "inferred": self.inferred,
            "policy": None if self.policy is None else vars(self.policy).copy(),
            "positions": None if self.positions is None else vars(self.positions).copy(),
            "status": self.status,
            "version": self.version,
            "facts": _facts_json(self.facts),
            "team": _team_json(self.team),
            "items": [_item_json(i) for i in self.items],
            "required_scorers": list(self.required_scorers),
            "scorers": {s: {**v.points, "total": v.total} for s, v in self.scorers.items()},
            "reasons": [vars(r).copy() for r in self.reasons],
            "entered_by": {s: vars(p).copy() for s, p in self.entered_by.items()},
            "missing_scores": {s: list(v) for s, v in self.missing_scores.items()},
        }
        out |= {
            key: getattr(self, key)
            for key in ("composite", "grade", "share", "base", "aftersales_total", "reserved")
        }
        out |= {
            "final": self.final,
            "vetoed": self.vetoed,
            "veto_reasons": list(self.veto_reasons),
            "pool": self.pool,
            "director_award": self.director_award,
            "director": self.director,
            "allocations": [vars(a).copy() for a in self.allocations],
            "approvals": {
                role: None if entry is None else vars(entry).copy()
                for role, entry in (
                    ("director", self.approvals.director),
                    ("gm", self.approvals.gm),
                )
            },
            "tickets": _plain(self.tickets),
            "overview": self.overview,
            "review_opinion": self.review_opinion,
            "doc_version": DOC_VERSION,
        }
        if self.before is not None:
            out["before"] = dict(self.before)
        if self.explain is not None:
            out["explain"] = [s.to_dict() for s in self.explain]
        return out

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> AssessmentDoc:
        """Read a document back: today's, a stored snapshot of any earlier version (parts it
        lacks are empty), or a hand-written one."""
        read_version(data, DOC_VERSION, "assessment")
        get = data.get
        approvals = get("approvals") or {}
        return cls(
            project=str(get("project") or ""),
            project_name=get("project_name"),
            customer=get("customer"),
            track=str(get("track") or ""),
            quarter=get("quarter"),
            sheet=get("sheet"),
            inferred=get("inferred"),
            policy=_policy_of(get("policy")),
            positions=_positions_of(get("positions")),
            status=get("status"),
            version=get("version"),
            facts=_facts_of(get("facts") or {}),
            team=_team_of(get("team")),
            items=tuple(_item_of(i) for i in get("items") or ()),
            required_scorers=tuple(get("required_scorers") or ()),
            scorers={s: _scorer_of(v or {}) for s, v in (get("scorers") or {}).items()},
            reasons=tuple(Reason(**r) for r in get("reasons") or ()),
            entered_by={s: Person(**p) for s, p in (get("entered_by") or {}).items()},
            missing_scores={s: tuple(v) for s, v in (get("missing_scores") or {}).items()},
            composite=get("composite"),
            grade=get("grade"),
            share=get("share"),
            base=get("base"),
            aftersales_total=get("aftersales_total"),
            reserved=get("reserved"),
            final=get("final"),
            vetoed=bool(get("vetoed")),
            veto_reasons=tuple(_veto_key(r) for r in get("veto_reasons") or ()),
            pool=get("pool"),
            director_award=get("director_award"),
            director=get("director"),
            allocations=tuple(Allocation(**a) for a in get("allocations") or ()),
            approvals=Approvals(
                _approval_of(approvals.get("director")), _approval_of(approvals.get("gm"))
            ),
            tickets=get("tickets"),
            overview=get("overview"),
            review_opinion=get("review_opinion"),
            before=get("before"),
            explain=None if get("explain") is None else tuple(_step_of(s) for s in get("explain")),
        )


# ---------------------------------------------------------------- parts to and from JSON


def _plain(value: Mapping[str, Any] | None) -> dict[str, Any] | None:
    return None if value is None else dict(value)


_FACTS = (
    "contract", "complexity", "difficulty", "risk", "planned_days", "actual_days", "budget",
    "actual_cost", "ia_deducted", "ia_late_days", "complaint", "poor_evaluation", "source",
    "schedule_reason", "cost_reason",
)  # fmt: skip
_AFTERSALES = ("archiving_points", "tickets", "sources", "service_start", "service_months")


def _facts_json(facts: SheetFacts) -> dict[str, Any]:
    out = {name: getattr(facts, name) for name in _FACTS}
    a = facts.aftersales
    if a is not None:
        out |= {
            "archiving_points": a.archiving_points,
            "tickets": _plain(a.tickets),
            "sources": dict(a.sources or {}),
            "service_start": a.service_start,
            "service_months": a.service_months,
            "slice": a.slice,
        }
    return out


def _facts_of(data: Mapping[str, Any]) -> SheetFacts:
    aftersales = None
    if any(name in data for name in (*_AFTERSALES, "slice")):
        aftersales = AftersalesFacts(
            **{name: data.get(name) for name in _AFTERSALES}, slice=data.get("slice")
        )
    values = {name: data.get(name) for name in _FACTS}
    values["complaint"] = bool(values["complaint"])
    values["poor_evaluation"] = bool(values["poor_evaluation"])
    return SheetFacts(**values, aftersales=aftersales)


def _team_json(team: TeamDoc | None) -> dict[str, Any] | None:
    if team is None:
        return None
    return {
        "lead": None if team.lead is None else vars(team.lead).copy(),
        "engineers": [vars(e).copy() for e in team.engineers],
    }


def _team_of(data: Mapping[str, Any] | None) -> TeamDoc | None:
    if not data:
        return None
    lead = data.get("lead")
    return TeamDoc(
        None if not lead else Lead(lead["staff"], lead.get("name") or "", lead.get("share")),
        tuple(
            Engineer(e["staff"], e.get("name") or "", e.get("weight"))
            for e in data.get("engineers") or ()
        ),
    )


def _item_json(item: Item) -> dict[str, Any]:
    return {
        "key": item.key,
        "label": _plain(item.label),
        "max": item.max,
        "objective": item.objective,
        "computed": item.computed,
        "inferred": item.inferred,
        "bands": None
        if item.bands is None
        else [{"points": b.points, **b.text} for b in item.bands],
    }


def _item_of(data: Mapping[str, Any]) -> Item:
    bands = data.get("bands")
    return Item(
        key=data["key"],
        label=data.get("label"),
        max=None if data.get("max") is None else str(data["max"]),
        objective=data.get("objective"),
        computed=data.get("computed"),
        inferred=data.get("inferred"),
        bands=None
        if bands is None
        else tuple(
            Band(str(b.get("points", "")), {k: v for k, v in b.items() if k != "points"})
            for b in bands
        ),
    )


def _scorer_of(data: Mapping[str, Any]) -> ScorerSheet:
    return ScorerSheet({k: v for k, v in data.items() if k != "total"}, data.get("total"))


def _policy_of(data: Any) -> PolicyRef | None:
    if not data:
        return None
    if isinstance(data, str):
        return PolicyRef(data, "")
    return PolicyRef(str(data.get("id") or ""), str(data.get("hash") or ""))


def _positions_of(data: Mapping[str, Any] | None) -> Positions | None:
    return None if data is None else Positions(data.get("lead"), data.get("engineer"))


def _approval_of(data: Mapping[str, Any] | None) -> Approval | None:
    if not data:
        return None
    by = data.get("by") or ""
    return Approval(by, data.get("name") or by, data.get("on"))


def _veto_key(reason: Any) -> str:
    return reason if isinstance(reason, str) else str(reason.get("key", reason))


def _step_of(data: Mapping[str, Any]) -> Step:
    return Step(
        data["key"], dict(data.get("inputs") or {}), data.get("formula", ""), data.get("output", "")
    )


__all__ = [
    "DOC_VERSION",
    "AftersalesFacts",
    "Allocation",
    "Approval",
    "Approvals",
    "AssessmentDoc",
    "Band",
    "Engineer",
    "Item",
    "Lead",
    "PolicyRef",
    "Positions",
    "Reason",
    "ScorerSheet",
    "SheetFacts",
    "TeamDoc",
]
