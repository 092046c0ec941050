"""The words and figures of a sheet, from documents the services already computed.

Pure: a sheet is built from the ``assess show --json`` document (or the payout list), the
policy's labels and bands, and the message catalogs. Nothing here opens the ledger, touches
python-docx, or recomputes a rule: every score, amount, grade and veto is read from the
document; only sums of already-final amounts (totals of a list) and differences shown as
explanations (days early, amount overspent) are worked out here. The names of stages and
deliverables on the tracking sheet are read from ``techdept.rules.domain`` (pure, no rule run).

Money on every sheet is written one way: ``5,808.00`` (yuan, thousands separated, two
decimals); the unit is in the labels.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from techdept.i18n import t_in
from techdept.rules.domain import domain

CHECKED = "☑"
UNCHECKED = "☐"
SIMPLE_TYPES = ("simple-basic", "simple-interrogation", "simple-standard", "simple-extended")


# ----------------------------------------------------------------------------- values


@dataclass(frozen=True)
class Field:
    """A label and its value, as printed."""

    label: str
    value: str


@dataclass(frozen=True)
class Box:
    """A tick box: ☑ or ☐ before its label; a simple type carries its sub-boxes."""

    label: str
    ticked: bool
    children: tuple[Box, ...] = ()
    lang: str = "zh"

    @property
    def text(self) -> str:
        mark = CHECKED if self.ticked else UNCHECKED
        if not self.children:
            return f"{mark}{self.label}"
        inner = " ".join(child.text for child in self.children)
        if self.lang == "zh":
            return f"{mark}{self.label}（{inner}）"
        return f"{mark}{self.label} ({inner})"


@dataclass(frozen=True)
class BoxLine:
    """A row of tick boxes under one label (复杂度类型, 风险类型 …)."""

    label: str
    boxes: tuple[Box, ...]
    lang: str = "zh"

    @property
    def text(self) -> str:
        return ("　" if self.lang == "zh" else "   ").join(box.text for box in self.boxes)


@dataclass(frozen=True)
class Band:
    """One guidance band of an item: its text and its points range."""

    text: str
    points: str


@dataclass(frozen=True)
class ScoreRow:
    """One rubric item: label, weight, bands, and each scorer's points (sheet order)."""

    key: str
    label: str
    weight: str
    bands: tuple[Band, ...]
    points: tuple[str, ...]


@dataclass(frozen=True)
class SplitRow:
    """One line of the actual split: position, name, amount (the pool has no name)."""

    position: str
    name: str
    amount: str
    pool: bool = False


@dataclass(frozen=True)
class PairBlock:
    """Two figures with a reason beside them (项目工期, 项目费用)."""

    label: str
    first: Field
    second: Field
    reason: Field


@dataclass(frozen=True)
class Signature:
    """A signature line; ``record`` says who approved it in the ledger, if anyone."""

    label: str
    record: str = ""


@dataclass(frozen=True)
class Block:
    """One project's part of an assessment sheet."""

    track: str
    heading: str | None  # set on the after-sales sheet, where several projects share a sheet
    project: Field
    lead: Field
    overview: Field
    schedule: PairBlock | None
    cost: PairBlock | None
    boxes: tuple[BoxLine, ...]
    reserved: Field
    evidence: Field | None
    columns: tuple[str, ...]  # item, weight, bands, then one per scorer
    scorers: tuple[str, ...]
    rows: tuple[ScoreRow, ...]
    total_label: str
    totals: tuple[str, ...]
    composite: Field
    grade: Field
    final: Field
    share: Field
    opinion: Field
    split_label: str
    split: tuple[SplitRow, ...]
    notes_label: str
    notes: tuple[str, ...]
    draft: bool


@dataclass(frozen=True)
class AssessmentSheet:
    """A whole assessment sheet: title, header, one block per project, signatures."""

    lang: str
    track: str
    title: str
    draft: str | None  # the DRAFT mark and why, or None once approved
    header: tuple[Field, ...]
    blocks: tuple[Block, ...]
    notes: tuple[str, ...]  # sheet-level notes (the inferred rubric)
    signatures: tuple[Signature, ...]
    date: Field
    footer: str


@dataclass(frozen=True)
class ListTable:
    """A table of a statement: ``kind`` tells the renderer which column widths to use."""

    kind: str
    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numeric: tuple[int, ...] = ()  # right-aligned columns
    empty: str = ""


@dataclass(frozen=True)
class ListSheet:
    """A payout statement or a personal statement."""

    lang: str
    kind: str  # "payout" | "statement"
    title: str
    draft: str | None
    header: tuple[Field, ...]
    tables: tuple[ListTable, ...]
    summary: tuple[Field, ...]
    anchor: str | None
    signatures: tuple[Signature, ...]
    date: Field
    footer: str


@dataclass(frozen=True)
class TrackingSheet:
    """The weekly pre-sales project tracking sheet (售前项目跟踪表): one row per project."""

    lang: str
    title: str
    header: tuple[Field, ...]
    table: ListTable
    count: str
    signatures: tuple[Signature, ...]
    date: Field
    footer: str


# ----------------------------------------------------------------------------- helpers


def money(value: Any) -> str:
    """An exact amount (``"5808.00"``, Decimal or int yuan) as a sheet writes it: ``5,808.00``.
    Unknown amounts are an empty cell."""
    if value is None or value == "":
        return ""
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    sign = "-" if amount < 0 else ""
    return f"{sign}{abs(amount).quantize(Decimal('0.01')):,.2f}"


def _dec(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def _number(value: Decimal) -> str:
    """A plain number without trailing zeros: 40, 0.5, 12.5."""
    text = format(value.normalize(), "f")
    return text


def _points(value: Any) -> str:
    return "" if value is None else str(value)


def quarter_text(quarter: str | None, lang: str) -> str:
    """``2026Q4`` → 2026年第4季度 / 2026 Q4; anything else as given."""
    if quarter and len(quarter) == 6 and quarter[4] in "Qq" and quarter[:4].isdigit():
        return t_in(lang, "form.quarter", year=quarter[:4], n=quarter[5])
    return quarter or ""


def _t(lang: str, key: str, **params: object) -> str:
    return t_in(lang, key, **params)


def _track_policy(policy: Any, track: str) -> Any:
    try:
        return policy.track(track)
    except Exception:  # a document from a policy this one does not know: labels fall back
        return None


def _draft_reason(lang: str, status: str | None) -> str | None:
    if status == "approved":
        return None
    reason_key = f"form.draft_reason.{status}"
    reason = _t(lang, reason_key)
    if reason == reason_key:
        reason = _t(lang, "form.draft_reason.open")
    return f"{_t(lang, 'form.draft')} · {reason}"


def _approval_records(lang: str, approvals: Mapping[str, Any] | None) -> dict[str, str]:
    records: dict[str, str] = {}
    for role in ("director", "gm"):
        entry = (approvals or {}).get(role)
        if entry:
            records[role] = _t(
                lang,
                "form.note.approved",
                role=_t(lang, f"form.label.{role}"),
                name=entry.get("name") or entry.get("by") or "",
                date=entry.get("on") or "",
            )
    return records


def _signatures(lang: str, records: Mapping[str, str]) -> tuple[Signature, ...]:
    return (
        Signature(_t(lang, "form.label.director"), records.get("director", "")),
        Signature(_t(lang, "form.label.gm"), records.get("gm", "")),
    )


def _date(lang: str, approvals: Mapping[str, Any] | None) -> Field:
    gm = (approvals or {}).get("gm")
    on = gm.get("on") if gm else None
    return Field(_t(lang, "form.label.date"), on or _t(lang, "form.blank_date"))


def _footer(lang: str, doc_policy: Any) -> str:
    pid = doc_policy.get("id") if isinstance(doc_policy, Mapping) else doc_policy
    if not pid:
        return _t(lang, "form.generated_plain")
    return _t(lang, "form.generated", policy=pid)


# ----------------------------------------------------------------------------- assessment


def _title(names: Mapping[str, str] | None, lang: str, track: str) -> str:
    if not names:
        return track
    return names.get(lang) or names.get("zh") or track


def _boxes(doc: Mapping[str, Any], tp: Any, lang: str) -> tuple[BoxLine, ...]:
    facts = doc.get("facts") or {}
    coefficients = tuple(tp.coefficients) if tp is not None else ()
    lines: list[BoxLine] = []
    if "complexity" in coefficients:
        shown = tuple(tp.sheet_complexity) or SIMPLE_TYPES
        chosen = facts.get("complexity")
        simple = tuple(k for k in shown if k in SIMPLE_TYPES)
        boxes: list[Box] = []
        if simple:
            children = tuple(Box(_t(lang, f"form.box.{k}"), chosen == k) for k in simple)
            boxes.append(Box(_t(lang, "form.box.simple"), chosen in simple, children, lang))
        boxes += [
            Box(_t(lang, f"complexity.{k}"), chosen == k) for k in shown if k not in SIMPLE_TYPES
        ]
        lines.append(BoxLine(_t(lang, "coefficient.complexity"), tuple(boxes), lang))
    for table in ("difficulty", "risk"):
        if table not in coefficients:
            continue
        chosen = facts.get(table)
        boxes = [
            Box(_t(lang, f"form.box.{table}", level=_t(lang, f"level.{level}")), chosen == level)
            for level in ("high", "medium", "low")
        ]
        lines.append(BoxLine(_t(lang, f"coefficient.{table}"), tuple(boxes), lang))
    return tuple(lines)


def _schedule(doc: Mapping[str, Any], lang: str) -> PairBlock | None:
    facts = doc.get("facts") or {}
    planned, actual = facts.get("planned_days"), facts.get("actual_days")
    if doc.get("track") == "aftersales" and planned is None and actual is None:
        return None
    reason = facts.get("schedule_reason") or ""
    if not reason and planned is not None and actual is not None:
        diff = int(planned) - int(actual)
        if diff > 0:
            reason = _t(lang, "form.reason.early", days=diff)
        elif diff < 0:
            reason = _t(lang, "form.reason.late", days=-diff)
        else:
            reason = _t(lang, "form.reason.on_time")

    def days(value: Any) -> str:
        return "" if value is None else _t(lang, "form.days", days=value)

    return PairBlock(
        _t(lang, "form.label.schedule"),
        Field(_t(lang, "form.label.planned_days"), days(planned)),
        Field(_t(lang, "form.label.actual_days"), days(actual)),
        Field(_t(lang, "form.label.schedule_reason"), reason),
    )


def _cost(doc: Mapping[str, Any], tp: Any, lang: str) -> PairBlock | None:
    facts = doc.get("facts") or {}
    track = doc.get("track")
    has_cost = tp is None or any(item.kind == "cost" for item in tp.items)
    if not has_cost or track == "presales":
        return None
    budget, actual = _dec(facts.get("budget")), _dec(facts.get("actual_cost"))
    reason = facts.get("cost_reason") or ""
    if not reason and budget is not None and actual is not None:
        if actual > budget:
            reason = _t(lang, "form.reason.overspent", amount=money(actual - budget))
        elif actual < budget:
            reason = _t(lang, "form.reason.saved", amount=money(budget - actual))
        else:
            reason = _t(lang, "form.reason.on_budget")
    unit = _t(lang, "form.money_unit")

    def amount(value: Decimal | None) -> str:
        return "" if value is None else f"{money(value)} {unit}"

    quarterly = track == "aftersales"
    return PairBlock(
        _t(lang, "form.label.quarter_cost" if quarterly else "form.label.cost"),
        Field(
            _t(lang, "form.label.quarter_budget" if quarterly else "form.label.budget"),
            amount(budget),
        ),
        Field(
            _t(lang, "form.label.quarter_actual" if quarterly else "form.label.actual_cost"),
            amount(actual),
        ),
        Field(_t(lang, "form.label.cost_reason"), reason),
    )


def _overview(doc: Mapping[str, Any], lang: str) -> Field:
    parts = []
    if doc.get("customer"):
        parts.append(_t(lang, "form.overview.customer", customer=doc["customer"]))
    contract = (doc.get("facts") or {}).get("contract") or doc.get("contract")
    if contract:
        parts.append(_t(lang, "form.overview.contract", amount=money(contract)))
    text = "；".join(parts) if lang == "zh" else "; ".join(parts)
    extra = doc.get("overview")
    if extra:
        text = f"{text}\n{extra}" if text else str(extra)
    return Field(_t(lang, "form.label.overview"), text)


def _score_rows(
    doc: Mapping[str, Any], tp: Any, policy: Any, scorer_keys: Sequence[str], lang: str
) -> tuple[ScoreRow, ...]:
    scale = _dec(getattr(policy, "scale", None)) or Decimal(100)
    doc_items = list(doc.get("items") or [])
    if not doc_items and tp is not None:
        doc_items = [{"key": it.key, "max": str(it.max)} for it in tp.items]
    scorers = doc.get("scorers") or {}
    rows = []
    for entry in doc_items:
        key = entry["key"]
        item = None
        if tp is not None:
            item = next((it for it in tp.items if it.key == key), None)
        # the document carries the labels and bands of the policy the assessment is bound
        # to; the policy passed in is the fallback
        labels = entry.get("label") or (item.label if item is not None else {})
        label = labels.get(lang) or labels.get("zh") or key
        top = _dec(entry.get("max")) if entry.get("max") is not None else None
        if top is None and item is not None:
            top = item.max
        weight = f"{_number(top * 100 / scale)}%" if top is not None else ""
        if entry.get("bands") is not None:
            bands = tuple(
                Band(band.get(lang) or band.get("zh", ""), str(band.get("points", "")))
                for band in entry["bands"]
            )
        elif item is not None:
            bands = tuple(
                Band(band.text.get(lang) or band.text.get("zh", ""), band.points)
                for band in item.bands
            )
        else:
            bands = ()
        points = tuple(_points((scorers.get(s) or {}).get(key)) for s in scorer_keys)
        rows.append(ScoreRow(key, label, weight, bands, points))
    return tuple(rows)


def _names(doc: Mapping[str, Any]) -> dict[str, str]:
    team = doc.get("team") or {}
    names: dict[str, str] = {}
    lead = team.get("lead")
    if lead:
        names[lead["staff"]] = lead.get("name") or lead["staff"]
    for eng in team.get("engineers") or []:
        names[eng["staff"]] = eng.get("name") or eng["staff"]
    return names


def _split(doc: Mapping[str, Any], tp: Any, lang: str) -> tuple[SplitRow, ...]:
    lead_pos = (
        _t(lang, f"position.{tp.lead_role}") if tp is not None else _t(lang, "form.role.lead")
    )
    eng_pos = (
        _t(lang, f"position.{tp.engineer_role}")
        if tp is not None
        else _t(lang, "form.role.engineer")
    )
    names = _names(doc)
    team = doc.get("team") or {}
    rows: list[SplitRow] = []
    allocations = doc.get("allocations") or []
    if allocations:
        for alloc in allocations:
            position = lead_pos if alloc.get("role") == "lead" else eng_pos
            name = alloc.get("name") or names.get(alloc.get("staff", ""), alloc.get("staff", ""))
            rows.append(SplitRow(position, name, money(alloc.get("amount"))))
        if not any(a.get("role") == "lead" for a in allocations) and team.get("lead"):
            rows.insert(0, SplitRow(lead_pos, team["lead"].get("name") or "", ""))
    else:
        lead = team.get("lead")
        rows.append(SplitRow(lead_pos, (lead or {}).get("name") or "", ""))
        for eng in team.get("engineers") or []:
            rows.append(SplitRow(eng_pos, eng.get("name") or eng.get("staff", ""), ""))
    rows.append(SplitRow(_t(lang, "form.label.pool"), "", money(doc.get("pool")), pool=True))
    return tuple(rows)


def _veto_text(doc: Mapping[str, Any], tp: Any, lang: str) -> str:
    parts = []
    for reason in doc.get("veto_reasons") or []:
        key = reason if isinstance(reason, str) else str(reason.get("key", reason))
        flag = _t(lang, f"flag.{key}")
        if flag != f"flag.{key}":
            parts.append(flag)
            continue
        item = next((it for it in tp.items if it.key == key), None) if tp is not None else None
        threshold = tp.veto_below.get(key) if tp is not None else None
        if item is not None and threshold is not None:
            label = item.label.get(lang) or item.label.get("zh", key)
            parts.append(
                _t(lang, "form.opinion.veto_item", item=label, threshold=_number(threshold))
            )
        else:
            parts.append(key)
    return "；".join(parts) if lang == "zh" else "; ".join(parts)


def _opinion(doc: Mapping[str, Any], tp: Any, lang: str) -> str:
    if doc.get("review_opinion"):
        return str(doc["review_opinion"])
    if doc.get("composite") is None or doc.get("grade") is None:
        return _t(lang, "form.opinion.pending")
    if doc.get("vetoed"):
        return _t(
            lang,
            "form.opinion.vetoed",
            reasons=_veto_text(doc, tp, lang),
            reserved=money(doc.get("reserved")),
        )
    share = _dec(doc.get("share"))
    return _t(
        lang,
        "form.opinion.result",
        composite=doc["composite"],
        grade=doc["grade"],
        share=_number(share) if share is not None else "",
        final=money(doc.get("final")),
    )


def _notes(doc: Mapping[str, Any], tp: Any, policy: Any, lang: str) -> tuple[str, ...]:
    track = doc.get("track", "")
    notes = [_t(lang, f"form.note.{track}")]
    facts = doc.get("facts") or {}
    if track == "implementation" and facts.get("source") == "command-line":
        notes.append(_t(lang, "form.note.facts_source"))
    scorer_names = {k: _t(lang, f"scorer.{k}") for k in (doc.get("scorers") or {})}
    computed = {i["key"]: i.get("computed") for i in doc.get("items") or []}
    for reason in doc.get("reasons") or []:
        item_key = reason.get("item", "")
        item = next((it for it in tp.items if it.key == item_key), None) if tp else None
        label = (item.label.get(lang) or item.label.get("zh", item_key)) if item else item_key
        notes.append(
            _t(
                lang,
                "form.note.reason",
                scorer=scorer_names.get(reason.get("scorer"), reason.get("scorer", "")),
                item=label,
                points=reason.get("points", ""),
                computed=_points(computed.get(item_key)) or "—",
                reason=reason.get("reason", ""),
            )
        )
    entered = doc.get("entered_by") or {}
    if entered:
        sep = "；" if lang == "zh" else "; "
        who = sep.join(
            f"{scorer_names.get(k, k)} {v.get('name') or v.get('staff', '')}"
            for k, v in entered.items()
        )
        notes.append(_t(lang, "form.note.entered", who=who))
    if doc.get("director_award") not in (None, "") and not doc.get("vetoed"):
        rate = getattr(policy, "director_award_rate", None)
        notes.append(
            _t(
                lang,
                "form.note.director_award",
                rate=_number(Decimal(str(rate))) if rate is not None else "30",
                amount=money(doc["director_award"]),
            )
        )
    pol = doc.get("policy") or {}
    if pol.get("id"):
        notes.append(
            _t(lang, "form.note.policy", policy=pol["id"], hash=str(pol.get("hash", ""))[:12])
        )
    return tuple(notes)


def _block(doc: Mapping[str, Any], policy: Any, lang: str, *, heading: str | None) -> Block:
    track = doc["track"]
    tp = _track_policy(policy, track)
    scorer_keys = tuple(tp.scorers) if tp is not None else tuple(doc.get("scorers") or ())
    scorers = tuple(_t(lang, f"scorer.{s}") for s in scorer_keys)
    team = doc.get("team") or {}
    lead = team.get("lead") or {}
    lead_label = (
        _t(lang, f"position.{tp.lead_role}") if tp is not None else _t(lang, "form.role.lead")
    )
    project_value = doc.get("project_name") or doc.get("project", "")
    if heading is not None or doc.get("project_name"):
        project_value = (
            f"{project_value}（{doc.get('project', '')}）"
            if lang == "zh"
            else (f"{project_value} ({doc.get('project', '')})")
        )
    evidence = None
    tickets = doc.get("tickets")
    if isinstance(tickets, Mapping) and tickets:
        parts = []
        for key, value in tickets.items():
            label = _t(lang, f"form.tickets.{key}")
            parts.append(f"{label if label != f'form.tickets.{key}' else key} {value}")
        evidence = Field(
            _t(lang, "form.label.tickets"), "，".join(parts) if lang == "zh" else ", ".join(parts)
        )
    composite = doc.get("composite")
    grade = doc.get("grade")
    share = _dec(doc.get("share"))
    scorer_docs = doc.get("scorers") or {}
    return Block(
        track=track,
        heading=heading,
        project=Field(_t(lang, "form.label.project_name"), project_value),
        lead=Field(lead_label, lead.get("name") or _t(lang, "form.lead_missing")),
        overview=_overview(doc, lang),
        schedule=_schedule(doc, lang),
        cost=_cost(doc, tp, lang),
        boxes=_boxes(doc, tp, lang),
        reserved=Field(_t(lang, f"form.reserved.{track}"), money(doc.get("reserved"))),
        evidence=evidence,
        columns=(
            _t(lang, "form.label.item"),
            _t(lang, "form.label.weight"),
            _t(lang, "form.label.bands"),
            *scorers,
        ),
        scorers=scorers,
        rows=_score_rows(doc, tp, policy, scorer_keys, lang),
        total_label=_t(lang, "form.label.total"),
        totals=tuple(_points((scorer_docs.get(s) or {}).get("total")) for s in scorer_keys),
        composite=Field(_t(lang, "form.label.composite"), _points(composite)),
        grade=Field(_t(lang, "form.label.grade"), _t(lang, f"grade.{grade}") if grade else ""),
        final=Field(_t(lang, "form.label.final"), money(doc.get("final"))),
        share=Field(
            _t(lang, "form.label.share"), f"{_number(share)}%" if share is not None else ""
        ),
        opinion=Field(_t(lang, "form.label.opinion"), _opinion(doc, tp, lang)),
        split_label=_t(lang, "form.label.split"),
        split=_split(doc, tp, lang),
        notes_label=_t(lang, "form.label.notes"),
        notes=_notes(doc, tp, policy, lang),
        draft=doc.get("status") != "approved",
    )


def assessment_context(doc: Mapping[str, Any], policy: Any, lang: str) -> AssessmentSheet:
    """One assessment (the ``assess show --json`` document) as the strings of its sheet."""
    track = doc["track"]
    tp = _track_policy(policy, track)
    title = _title(doc.get("sheet") or (tp.sheet if tp is not None else None), lang, track)
    block = _block(doc, policy, lang, heading=None)
    header: tuple[Field, ...] = (block.project, block.lead)
    if track == "aftersales" and doc.get("quarter"):
        header = (
            *header,
            Field(_t(lang, "form.label.quarter"), quarter_text(doc["quarter"], lang)),
        )
    notes: tuple[str, ...] = ()
    if doc.get("inferred", tp.inferred if tp is not None else False):
        notes = (_t(lang, "form.note.inferred"),)
    approvals = doc.get("approvals") or {}
    return AssessmentSheet(
        lang=lang,
        track=track,
        title=title,
        draft=_draft_reason(lang, doc.get("status")),
        header=header,
        blocks=(block,),
        notes=notes,
        signatures=_signatures(lang, _approval_records(lang, approvals)),
        date=_date(lang, approvals),
        footer=_footer(lang, doc.get("policy")),
    )


def aftersales_context(
    docs: Sequence[Mapping[str, Any]],
    policy: Any,
    quarter: str,
    lang: str,
    *,
    manager: str | None = None,
) -> AssessmentSheet:
    """Several projects' after-sales assessments of one quarter on one sheet."""
    tp = _track_policy(policy, "aftersales")
    ordered = sorted(docs, key=lambda d: str(d.get("project", "")))
    sheet_names = ordered[0].get("sheet") if ordered else None
    title = _title(sheet_names or (tp.sheet if tp is not None else None), lang, "aftersales")
    blocks = tuple(
        _block(
            doc,
            policy,
            lang,
            heading=f"{n}. {doc.get('project', '')} {doc.get('project_name') or ''}".rstrip(),
        )
        for n, doc in enumerate(ordered, 1)
    )
    statuses = {doc.get("status") for doc in ordered}
    if not ordered or statuses == {"approved"}:
        draft = None
    else:
        worst = "open" if "open" in statuses or None in statuses else "director-approved"
        draft = _draft_reason(lang, worst)
    records: dict[str, str] = {}
    for role in ("director", "gm"):
        seen = []
        for doc in ordered:
            record = _approval_records(lang, doc.get("approvals")).get(role)
            if record and record not in seen:
                seen.append(record)
        if seen and len(seen) == sum(1 for d in ordered if (d.get("approvals") or {}).get(role)):
            records[role] = "；".join(seen) if lang == "zh" else "; ".join(seen)
    gm_dates = sorted(
        (doc.get("approvals") or {}).get("gm", {}).get("on") or ""
        for doc in ordered
        if (doc.get("approvals") or {}).get("gm")
    )
    all_gm = ordered and len(gm_dates) == len(ordered)
    date = Field(
        _t(lang, "form.label.date"),
        gm_dates[-1] if all_gm and gm_dates[-1] else _t(lang, "form.blank_date"),
    )
    header = (
        Field(_t(lang, "form.label.quarter"), quarter_text(quarter, lang)),
        Field(_t(lang, "form.label.aftersales_manager"), manager or ""),
    )
    notes = (_t(lang, "form.note.inferred"),) if tp is None or tp.inferred else ()
    return AssessmentSheet(
        lang=lang,
        track="aftersales",
        title=title,
        draft=draft,
        header=header,
        blocks=blocks,
        notes=notes,
        signatures=_signatures(lang, records),
        date=date,
        footer=_footer(lang, ordered[0].get("policy") if ordered else None),
    )


# ----------------------------------------------------------------------------- statements


def _role_label(line: Mapping[str, Any], policy: Any, lang: str) -> str:
    role = line.get("role", "")
    track = line.get("track") or ""
    tp = _track_policy(policy, track) if policy is not None and track else None
    if role == "lead" and tp is not None:
        label = _t(lang, f"position.{tp.lead_role}")
    elif role == "engineer" and tp is not None:
        label = _t(lang, f"position.{tp.engineer_role}")
    else:
        label = _t(lang, f"form.role.{role}")
        label = role if label == f"form.role.{role}" else label
    if line.get("source") == "reversal":
        label = (
            f"{label}（{_t(lang, 'form.role.reversal')}）"
            if lang == "zh"
            else (f"{label} ({_t(lang, 'form.role.reversal')})")
        )
    return label


def _track_label(track: str, lang: str) -> str:
    label = _t(lang, f"track.{track}")
    return track if label == f"track.{track}" else label


def _sum(values: Iterable[Any]) -> Decimal:
    total = Decimal(0)
    for value in values:
        amount = _dec(value)
        if amount is not None:
            total += amount
    return total


def _paid_text(line: Mapping[str, Any], lang: str) -> str:
    status = line.get("status")
    if status in ("payable", "pending"):
        return _t(lang, f"bonus.status.{status}")
    return _t(lang, "form.payout.paid" if line.get("paid") else "form.payout.unpaid")


def _anchor(lang: str, audit_head: str | None) -> str | None:
    """ "audit row N · HASH" for a signed sheet (``audit_head`` is "N · HASH" or a bare hash)."""
    if not audit_head:
        return None
    row, _, digest = audit_head.rpartition(" · ")
    return _t(lang, "form.payout.anchor", row=row or "—", hash=digest)


def payout_context(
    doc: Mapping[str, Any],
    lang: str,
    *,
    policy: Any = None,
    audit_head: str | None = None,
    director: str | None = None,
) -> ListSheet:
    """The quarter's payout list (``bonus --quarter Q --json``) as a statement to sign."""
    quarter = doc.get("quarter", "")
    lines = list(doc.get("lines") or [])
    window = doc.get("window") or [None, None]
    header = (
        Field(
            _t(lang, "form.label.payout_quarter"),
            f"{quarter_text(quarter, lang)}（{quarter}）"
            if lang == "zh"
            else f"{quarter_text(quarter, lang)} ({quarter})",
        ),
        Field(
            _t(lang, "form.label.window"),
            _t(lang, "form.payout.window", first=window[0] or "", last=window[1] or ""),
        ),
    )
    rows = tuple(
        (
            str(line.get("project", "")),
            str(line.get("project_name") or ""),
            _track_label(str(line.get("track", "")), lang),
            str(line.get("slice_quarter") or ""),
            str(line.get("name") or line.get("staff", "")),
            _role_label(line, policy, lang),
            money(line.get("amount")),
            _paid_text(line, lang),
        )
        for line in lines
    )
    if doc.get("totals") is not None:
        person_rows = tuple(
            (
                str(p.get("staff", "")),
                str(p.get("name") or p.get("staff", "")),
                money(p.get("amount")),
            )
            for p in doc["totals"]
        )
    else:
        persons: dict[str, list[Any]] = {}
        for line in lines:
            key = str(line.get("staff", ""))
            entry = persons.setdefault(key, [line.get("name") or key, Decimal(0)])
            entry[1] += _dec(line.get("amount")) or Decimal(0)
        person_rows = tuple(
            (code, str(name), money(amount)) for code, (name, amount) in sorted(persons.items())
        )
    director_total = _sum(line.get("amount") for line in lines if line.get("role") == "director")
    total = doc.get("total")
    summary: tuple[Field, ...] = (
        Field(_t(lang, "form.payout.director_awards"), money(director_total)),
        Field(_t(lang, "form.payout.pool"), money(doc.get("pool"))),
    )
    if doc.get("pool_balance") is not None:
        summary += (Field(_t(lang, "form.payout.pool_balance"), money(doc["pool_balance"])),)
    summary += (
        Field(
            _t(lang, "form.payout.total"),
            money(total if total is not None else _sum(line.get("amount") for line in lines)),
        ),
    )
    tables = (
        ListTable(
            "payout-lines",
            _t(lang, "form.payout.lines"),
            (
                _t(lang, "form.label.project_code"),
                _t(lang, "form.label.project_name"),
                _t(lang, "form.label.track"),
                _t(lang, "form.label.slice_quarter"),
                _t(lang, "form.label.person"),
                _t(lang, "form.label.role"),
                _t(lang, "form.label.amount"),
                _t(lang, "form.label.paid"),
            ),
            rows,
            numeric=(6,),
            empty=_t(lang, "form.payout.no_lines"),
        ),
        ListTable(
            "payout-persons",
            _t(lang, "form.payout.persons"),
            (
                _t(lang, "form.label.staff"),
                _t(lang, "form.label.name"),
                _t(lang, "form.label.amount"),
            ),
            person_rows,
            numeric=(2,),
            empty="—",
        ),
    )
    unpaid = any(not line.get("paid") for line in lines)
    signatures = (
        Signature(_t(lang, "form.label.director"), director or ""),
        Signature(_t(lang, "form.label.gm")),
        Signature(_t(lang, "form.label.finance")),
    )
    return ListSheet(
        lang=lang,
        kind="payout",
        title=f"{_t(lang, 'form.payout.title')}",
        draft=(
            f"{_t(lang, 'form.draft')} · {_t(lang, 'form.draft_reason.payout')}" if unpaid else None
        ),
        header=header,
        tables=tables,
        summary=summary,
        anchor=_anchor(lang, audit_head),
        signatures=signatures,
        date=Field(_t(lang, "form.label.sign_date"), _t(lang, "form.blank_date")),
        footer=_footer(lang, doc.get("policy")),
    )


def statement_context(
    doc: Mapping[str, Any], lang: str, *, policy: Any = None, audit_head: str | None = None
) -> ListSheet:
    """One person's lines of a year: ``{staff, name, year, lines: [{quarter, project,
    project_name, track, slice_quarter, role, amount, paid}]}``."""
    lines = sorted(
        doc.get("lines") or [],
        key=lambda line: (str(line.get("quarter", "")), str(line.get("project", ""))),
    )
    rows = tuple(
        (
            str(line.get("quarter", "")),
            str(line.get("project", "")),
            str(line.get("project_name") or ""),
            _track_label(str(line.get("track", "")), lang),
            _role_label(line, policy, lang),
            money(line.get("amount")),
            _paid_text(line, lang),
        )
        for line in lines
    )
    total = _sum(line.get("amount") for line in lines)
    paid = _sum(line.get("amount") for line in lines if line.get("paid"))
    pending = _sum(line.get("amount") for line in lines if line.get("status") == "pending")
    header = (
        Field(_t(lang, "form.label.name"), str(doc.get("name") or doc.get("staff", ""))),
        Field(_t(lang, "form.label.staff"), str(doc.get("staff", ""))),
        Field(
            _t(lang, "form.label.year"),
            str(doc["year"]) if doc.get("year") else _t(lang, "form.all_years"),
        ),
    )
    table = ListTable(
        "statement-lines",
        _t(lang, "form.statement.lines"),
        (
            _t(lang, "form.label.payout_quarter"),
            _t(lang, "form.label.project_code"),
            _t(lang, "form.label.project_name"),
            _t(lang, "form.label.track"),
            _t(lang, "form.label.role"),
            _t(lang, "form.label.amount"),
            _t(lang, "form.label.paid"),
        ),
        rows,
        numeric=(5,),
        empty=_t(lang, "form.statement.no_lines"),
    )
    summary = (
        Field(_t(lang, "form.statement.total"), money(total)),
        Field(_t(lang, "form.statement.paid"), money(paid)),
        Field(_t(lang, "form.statement.unpaid"), money(total - paid - pending)),
        Field(_t(lang, "form.statement.pending"), money(pending)),
    )
    return ListSheet(
        lang=lang,
        kind="statement",
        title=_t(lang, "form.statement.title"),
        draft=None,
        header=header,
        tables=(table,),
        summary=summary,
        anchor=_anchor(lang, audit_head),
        signatures=(
            Signature(_t(lang, "form.statement.confirm")),
            Signature(_t(lang, "form.label.director")),
        ),
        date=Field(_t(lang, "form.label.sign_date"), _t(lang, "form.blank_date")),
        footer=_footer(lang, doc.get("policy")),
    )


# ----------------------------------------------------------------------------- tracking


def _tracking_next(project: Mapping[str, Any], lang: str) -> tuple[str, str, str]:
    """What the project needs next, its status and who owes it, as printed."""
    step = project.get("next")
    if not step:
        return _t(lang, "form.tracking.ready"), "", ""
    item = domain().deliverable(step["doc"]) if step.get("doc") else None
    if item is not None:
        what = item.name(lang)
        status = _t(lang, f"lifecycle.status.{step.get('status')}")
    else:
        kind = str(step.get("kind", ""))
        what = _t(lang, f"form.tracking.condition.{kind}")
        what = kind if what == f"form.tracking.condition.{kind}" else what
        status = _t(lang, "form.tracking.unrecorded")
    owner = step.get("owner")
    if owner == "sales":
        who = str(project.get("sales_name") or project.get("sales") or _t(lang, "role.sales"))
    elif owner:
        who = _t(lang, f"role.{owner}")
    else:
        who = ""
    return what, status, who


def _stage_name(key: str, lang: str) -> str:
    stage = domain().stage(key)
    return stage.name(lang) if stage is not None else key


def tracking_context(doc: Mapping[str, Any], lang: str) -> TrackingSheet:
    """The week's pre-sales projects (``report tracking --json``, each project optionally
    with ``sales_name``, and the pre-sales manager's name as ``manager``) as a sheet."""
    projects = list(doc.get("projects") or [])
    rows = []
    for project in projects:
        what, status, who = _tracking_next(project, lang)
        rows.append(
            (
                str(project.get("code", "")),
                str(project.get("name") or ""),
                str(project.get("customer") or ""),
                _stage_name(str(project.get("stage", "")), lang),
                str(project.get("since") or ""),
                str(project.get("days_in_stage", "")),
                what,
                status,
                who,
                str(project.get("sales_name") or project.get("sales") or ""),
            )
        )
    header = (
        Field(
            _t(lang, "form.tracking.week"),
            _t(
                lang,
                "form.tracking.week_value",
                week=doc.get("week", ""),
                first=doc.get("first_day", ""),
                last=doc.get("last_day", ""),
            ),
        ),
        Field(_t(lang, "form.tracking.as_of"), str(doc.get("as_of") or "")),
        Field(_t(lang, "form.label.presales_manager"), str(doc.get("manager") or "")),
    )
    table = ListTable(
        "tracking",
        "",
        (
            _t(lang, "form.label.project_code"),
            _t(lang, "form.label.project_name"),
            _t(lang, "form.label.customer"),
            _t(lang, "form.tracking.col.stage"),
            _t(lang, "form.tracking.col.since"),
            _t(lang, "form.tracking.col.days"),
            _t(lang, "form.tracking.col.next"),
            _t(lang, "form.tracking.col.status"),
            _t(lang, "form.tracking.col.owner"),
            _t(lang, "form.tracking.col.sales"),
        ),
        tuple(rows),
        numeric=(5,),
        empty=_t(lang, "form.tracking.no_projects"),
    )
    return TrackingSheet(
        lang=lang,
        title=_t(lang, "form.tracking.title"),
        header=header,
        table=table,
        count=_t(lang, "form.tracking.count", count=len(rows)),
        signatures=(
            Signature(_t(lang, "form.label.presales_manager")),
            Signature(_t(lang, "form.label.director")),
        ),
        date=Field(_t(lang, "form.label.sign_date"), _t(lang, "form.blank_date")),
        footer=_footer(lang, None),
    )
