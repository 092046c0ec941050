"""The assessment sheet's words and figures, read by attribute from the typed assessment
document (one assessment, or a quarter's after-sales assessments on one sheet).

A mapping in the shape of ``assess show --json`` (a stored snapshot, a hand-written fixture)
is read through ``AssessmentDoc.from_json`` first; parts a document leaves out (item labels,
bands) come from the policy passed in.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from techdept.documents.assessment import Approvals, AssessmentDoc, Item
from techdept.forms.context.common import (
    SIMPLE_TYPES,
    AssessmentSheet,
    Band,
    Block,
    Box,
    BoxLine,
    Field,
    PairBlock,
    ScoreRow,
    SplitRow,
    _dec,
    _draft_reason,
    _footer,
    _number,
    _points,
    _signatures,
    _t,
    _track_policy,
    money,
    quarter_text,
)


def _typed(doc: AssessmentDoc | Mapping[str, Any]) -> AssessmentDoc:
    return doc if isinstance(doc, AssessmentDoc) else AssessmentDoc.from_json(doc)


def _sep(lang: str) -> str:
    return "；" if lang == "zh" else "; "


def _title(names: Mapping[str, str] | None, lang: str, track: str) -> str:
    if not names:
        return track
    return names.get(lang) or names.get("zh") or track


def _approval_records(lang: str, approvals: Approvals) -> dict[str, str]:
    records: dict[str, str] = {}
    for role, entry in (("director", approvals.director), ("gm", approvals.gm)):
        if entry:
            records[role] = _t(
                lang,
                "form.note.approved",
                role=_t(lang, f"form.label.{role}"),
                name=entry.name or entry.by or "",
                date=entry.on or "",
            )
    return records


def _date(lang: str, approvals: Approvals) -> Field:
    on = approvals.gm.on if approvals.gm else None
    return Field(_t(lang, "form.label.date"), on or _t(lang, "form.blank_date"))


def _boxes(doc: AssessmentDoc, tp: Any, lang: str) -> tuple[BoxLine, ...]:
    coefficients = tuple(tp.coefficients) if tp is not None else ()
    lines: list[BoxLine] = []
    if "complexity" in coefficients:
        shown = tuple(tp.sheet_complexity) or SIMPLE_TYPES
        chosen = doc.facts.complexity
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
        chosen = getattr(doc.facts, table)
        boxes = [
            Box(_t(lang, f"form.box.{table}", level=_t(lang, f"level.{level}")), chosen == level)
            for level in ("high", "medium", "low")
        ]
        lines.append(BoxLine(_t(lang, f"coefficient.{table}"), tuple(boxes), lang))
    return tuple(lines)


def _schedule(doc: AssessmentDoc, tp: Any, lang: str) -> PairBlock | None:
    planned, actual = doc.facts.planned_days, doc.facts.actual_days
    scored = tp is None or tp.has("schedule")  # a track without a schedule item: if typed
    if not scored and planned is None and actual is None:
        return None
    reason = doc.facts.schedule_reason or ""  # the reason typed, else the difference
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


def _cost(doc: AssessmentDoc, tp: Any, lang: str) -> PairBlock | None:
    if tp is not None and not tp.has("cost"):  # the pre-sales sheet has no cost box
        return None
    budget, actual = _dec(doc.facts.budget), _dec(doc.facts.actual_cost)
    reason = doc.facts.cost_reason or ""  # the reason typed, else the difference
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

    quarterly = tp is not None and tp.sliced  # the quarter's budget and actual
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


def _overview(doc: AssessmentDoc, lang: str) -> Field:
    """工程概况: the overview typed, else the customer and the contract amount."""
    if doc.overview:
        return Field(_t(lang, "form.label.overview"), doc.overview)
    parts = []
    if doc.customer:
        parts.append(_t(lang, "form.overview.customer", customer=doc.customer))
    if doc.facts.contract:
        parts.append(_t(lang, "form.overview.contract", amount=money(doc.facts.contract)))
    text = "；".join(parts) if lang == "zh" else "; ".join(parts)
    return Field(_t(lang, "form.label.overview"), text)


def _bands(entry: Item, item: Any, lang: str) -> tuple[Band, ...]:
    if entry.bands is not None:
        return tuple(
            Band(band.text.get(lang) or band.text.get("zh", ""), band.points)
            for band in entry.bands
        )
    if item is not None:
        return tuple(
            Band(band.text.get(lang) or band.text.get("zh", ""), band.points) for band in item.bands
        )
    return ()


def _score_rows(
    doc: AssessmentDoc, tp: Any, policy: Any, scorer_keys: Sequence[str], lang: str
) -> tuple[ScoreRow, ...]:
    scale = _dec(getattr(policy, "scale", None)) or Decimal(100)
    entries = doc.items
    if not entries and tp is not None:
        entries = tuple(Item(it.key, max=str(it.max)) for it in tp.items)
    rows = []
    for entry in entries:
        item = None
        if tp is not None:
            item = next((it for it in tp.items if it.key == entry.key), None)
        # the document carries the labels and bands of the policy the assessment is bound
        # to; the policy passed in is the fallback
        labels = entry.label or (item.label if item is not None else {})
        label = labels.get(lang) or labels.get("zh") or entry.key
        top = _dec(entry.max) if entry.max is not None else None
        if top is None and item is not None:
            top = item.max
        weight = f"{_number(top * 100 / scale)}%" if top is not None else ""
        points = tuple(
            _points(doc.scorers[s].points.get(entry.key) if s in doc.scorers else None)
            for s in scorer_keys
        )
        rows.append(ScoreRow(entry.key, label, weight, _bands(entry, item, lang), points))
    return tuple(rows)


def _split(doc: AssessmentDoc, tp: Any, lang: str) -> tuple[SplitRow, ...]:
    lead_pos = (
        _t(lang, f"position.{tp.lead_role}") if tp is not None else _t(lang, "form.role.lead")
    )
    eng_pos = (
        _t(lang, f"position.{tp.engineer_role}")
        if tp is not None
        else _t(lang, "form.role.engineer")
    )
    lead = doc.team.lead if doc.team else None
    engineers = doc.team.engineers if doc.team else ()
    names = {e.staff: e.name or e.staff for e in engineers}
    if lead:
        names[lead.staff] = lead.name or lead.staff
    rows: list[SplitRow] = []
    if doc.allocations:
        for alloc in doc.allocations:
            position = lead_pos if alloc.role == "lead" else eng_pos
            name = alloc.name or names.get(alloc.staff, alloc.staff)
            rows.append(SplitRow(position, name, money(alloc.amount)))
        if not any(a.role == "lead" for a in doc.allocations) and lead:
            rows.insert(0, SplitRow(lead_pos, lead.name or "", ""))
    else:
        rows.append(SplitRow(lead_pos, lead.name if lead else "", ""))
        rows += [SplitRow(eng_pos, e.name or e.staff, "") for e in engineers]
    rows.append(SplitRow(_t(lang, "form.label.pool"), "", money(doc.pool), pool=True))
    return tuple(rows)


def _veto_text(doc: AssessmentDoc, tp: Any, lang: str) -> str:
    parts = []
    for key in doc.veto_reasons:
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
    return _sep(lang).join(parts)


def _opinion(doc: AssessmentDoc, tp: Any, lang: str) -> str:
    """审核意见: the opinion typed at approval, else the result in words."""
    if doc.review_opinion:
        return doc.review_opinion
    if doc.composite is None or doc.grade is None:
        return _t(lang, "form.opinion.pending")
    if doc.vetoed:
        return _t(
            lang,
            "form.opinion.vetoed",
            reasons=_veto_text(doc, tp, lang),
            reserved=money(doc.reserved),
        )
    share = _dec(doc.share)
    return _t(
        lang,
        "form.opinion.result",
        composite=doc.composite,
        grade=doc.grade,
        share=_number(share) if share is not None else "",
        final=money(doc.final),
    )


def _reason_notes(doc: AssessmentDoc, tp: Any, lang: str) -> list[str]:
    scorer_names = {k: _t(lang, f"scorer.{k}") for k in doc.scorers}
    computed = {i.key: i.computed for i in doc.items}
    notes = []
    for reason in doc.reasons:
        item = next((it for it in tp.items if it.key == reason.item), None) if tp else None
        label = (item.label.get(lang) or item.label.get("zh", reason.item)) if item else reason.item
        notes.append(
            _t(
                lang,
                "form.note.reason",
                scorer=scorer_names.get(reason.scorer, reason.scorer),
                item=label,
                points=reason.points,
                computed=_points(computed.get(reason.item)) or "—",
                reason=reason.reason,
            )
        )
    if doc.entered_by:
        who = _sep(lang).join(
            f"{scorer_names.get(k, k)} {v.name or v.staff}" for k, v in doc.entered_by.items()
        )
        notes.append(_t(lang, "form.note.entered", who=who))
    return notes


def _notes(doc: AssessmentDoc, tp: Any, policy: Any, lang: str) -> tuple[str, ...]:
    notes = [_t(lang, f"form.note.{doc.track}")]
    internal_acceptance = tp is not None and tp.has("internal_acceptance")
    if internal_acceptance and doc.facts.source == "command-line":
        notes.append(_t(lang, "form.note.facts_source"))
    notes += _reason_notes(doc, tp, lang)
    if doc.director_award not in (None, "") and not doc.vetoed:
        rate = getattr(policy, "director_award_rate", None)
        notes.append(
            _t(
                lang,
                "form.note.director_award",
                rate=_number(Decimal(str(rate))) if rate is not None else "30",
                amount=money(doc.director_award),
            )
        )
    if doc.policy and doc.policy.id:
        notes.append(_t(lang, "form.note.policy", policy=doc.policy.id, hash=doc.policy.hash[:12]))
    return tuple(notes)


def _evidence(doc: AssessmentDoc, lang: str) -> Field | None:
    if not doc.tickets:
        return None
    parts = []
    for key, value in doc.tickets.items():
        label = _t(lang, f"form.tickets.{key}")
        parts.append(f"{label if label != f'form.tickets.{key}' else key} {value}")
    return Field(
        _t(lang, "form.label.tickets"), "，".join(parts) if lang == "zh" else ", ".join(parts)
    )


def _project_field(doc: AssessmentDoc, lang: str, heading: str | None) -> Field:
    value = doc.project_name or doc.project
    if heading is not None or doc.project_name:
        value = f"{value}（{doc.project}）" if lang == "zh" else f"{value} ({doc.project})"
    return Field(_t(lang, "form.label.project_name"), value)


def _block(doc: AssessmentDoc, policy: Any, lang: str, *, heading: str | None) -> Block:
    track = doc.track
    tp = _track_policy(policy, track)
    scorer_keys = tuple(tp.scorers) if tp is not None else tuple(doc.scorers)
    scorers = tuple(_t(lang, f"scorer.{s}") for s in scorer_keys)
    lead_label = (
        _t(lang, f"position.{tp.lead_role}") if tp is not None else _t(lang, "form.role.lead")
    )
    share = _dec(doc.share)
    return Block(
        track=track,
        heading=heading,
        project=_project_field(doc, lang, heading),
        lead=Field(lead_label, doc.lead_name or _t(lang, "form.lead_missing")),
        overview=_overview(doc, lang),
        schedule=_schedule(doc, tp, lang),
        cost=_cost(doc, tp, lang),
        boxes=_boxes(doc, tp, lang),
        reserved=Field(_t(lang, f"form.reserved.{track}"), money(doc.reserved)),
        evidence=_evidence(doc, lang),
        columns=(
            _t(lang, "form.label.item"),
            _t(lang, "form.label.weight"),
            _t(lang, "form.label.bands"),
            *scorers,
        ),
        scorers=scorers,
        rows=_score_rows(doc, tp, policy, scorer_keys, lang),
        total_label=_t(lang, "form.label.total"),
        totals=tuple(
            _points(doc.scorers[s].total if s in doc.scorers else None) for s in scorer_keys
        ),
        composite=Field(_t(lang, "form.label.composite"), _points(doc.composite)),
        grade=Field(
            _t(lang, "form.label.grade"), _t(lang, f"grade.{doc.grade}") if doc.grade else ""
        ),
        final=Field(_t(lang, "form.label.final"), money(doc.final)),
        share=Field(
            _t(lang, "form.label.share"), f"{_number(share)}%" if share is not None else ""
        ),
        opinion=Field(_t(lang, "form.label.opinion"), _opinion(doc, tp, lang)),
        split_label=_t(lang, "form.label.split"),
        split=_split(doc, tp, lang),
        notes_label=_t(lang, "form.label.notes"),
        notes=_notes(doc, tp, policy, lang),
        draft=doc.status != "approved",
    )


def assessment_context(
    source: AssessmentDoc | Mapping[str, Any], policy: Any, lang: str
) -> AssessmentSheet:
    """One assessment's document as the strings of its sheet."""
    doc = _typed(source)
    track = doc.track
    tp = _track_policy(policy, track)
    title = _title(doc.sheet or (tp.sheet if tp is not None else None), lang, track)
    block = _block(doc, policy, lang, heading=None)
    header: tuple[Field, ...] = (block.project, block.lead)
    if tp is not None and tp.sliced and doc.quarter:
        header = (*header, Field(_t(lang, "form.label.quarter"), quarter_text(doc.quarter, lang)))
    inferred = doc.inferred if doc.inferred is not None else (tp is not None and tp.inferred)
    return AssessmentSheet(
        lang=lang,
        track=track,
        title=title,
        draft=_draft_reason(lang, doc.status),
        header=header,
        blocks=(block,),
        notes=(_t(lang, "form.note.inferred"),) if inferred else (),
        signatures=_signatures(lang, _approval_records(lang, doc.approvals)),
        date=_date(lang, doc.approvals),
        footer=_footer(lang, doc.policy.id if doc.policy else None),
    )


def _shared_records(docs: Sequence[AssessmentDoc], lang: str) -> dict[str, str]:
    """The approvals of several assessments, when every one of them has it."""
    records: dict[str, str] = {}
    for role in ("director", "gm"):
        seen = []
        for doc in docs:
            record = _approval_records(lang, doc.approvals).get(role)
            if record and record not in seen:
                seen.append(record)
        if seen and len(seen) == sum(1 for d in docs if getattr(d.approvals, role)):
            records[role] = "；".join(seen) if lang == "zh" else "; ".join(seen)
    return records


def _last_gm_date(docs: Sequence[AssessmentDoc], lang: str) -> Field:
    gm_dates = sorted(d.approvals.gm.on or "" for d in docs if d.approvals.gm)
    all_gm = docs and len(gm_dates) == len(docs)
    return Field(
        _t(lang, "form.label.date"),
        gm_dates[-1] if all_gm and gm_dates[-1] else _t(lang, "form.blank_date"),
    )


def aftersales_context(
    docs: Sequence[AssessmentDoc | Mapping[str, Any]],
    policy: Any,
    quarter: str,
    lang: str,
    *,
    manager: str | None = None,
) -> AssessmentSheet:
    """Several projects' after-sales assessments of one quarter on one sheet."""
    ordered = sorted((_typed(d) for d in docs), key=lambda d: d.project)
    track = ordered[0].track if ordered else getattr(policy, "sliced_track", None) or ""
    tp = _track_policy(policy, track)
    sheet_names = ordered[0].sheet if ordered else None
    title = _title(sheet_names or (tp.sheet if tp is not None else None), lang, track)
    blocks = tuple(
        _block(doc, policy, lang, heading=f"{n}. {doc.project} {doc.project_name or ''}".rstrip())
        for n, doc in enumerate(ordered, 1)
    )
    statuses = {doc.status for doc in ordered}
    if not ordered or statuses == {"approved"}:
        draft = None
    else:
        worst = "open" if "open" in statuses or None in statuses else "director-approved"
        draft = _draft_reason(lang, worst)
    header = (
        Field(_t(lang, "form.label.quarter"), quarter_text(quarter, lang)),
        Field(_t(lang, "form.label.aftersales_manager"), manager or ""),
    )
    first_policy = ordered[0].policy if ordered else None
    return AssessmentSheet(
        lang=lang,
        track=track,
        title=title,
        draft=draft,
        header=header,
        blocks=blocks,
        notes=(_t(lang, "form.note.inferred"),) if tp is None or tp.inferred else (),
        signatures=_signatures(lang, _shared_records(ordered, lang)),
        date=_last_gm_date(ordered, lang),
        footer=_footer(lang, first_policy.id if first_policy else None),
    )
