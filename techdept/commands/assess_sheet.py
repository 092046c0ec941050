"""The assessment sheet for people: the document's blocks in the paper form's order, drawn as
one Rich panel on a terminal, plain blocks otherwise, or a workbook; and its JSON.

Everything is read from the typed document (``techdept.documents.AssessmentDoc``) by
attribute; nothing is recomputed here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from techdept.i18n import lang, t

if TYPE_CHECKING:
    from techdept.documents.assessment import Approval, AssessmentDoc
    from techdept.rules import TrackPolicy

Block = tuple[str, str, Any, Any]  # ("record", title, fields, None) | ("table", title, cols, rows)


def _money(value: str | None) -> str:
    from techdept.output import money_text

    return money_text(value)


def what(doc: AssessmentDoc) -> str:
    """``P2026-001 实施`` (with the quarter of an after-sales assessment)."""
    quarter = f" {doc.quarter}" if doc.quarter else ""
    return f"{doc.project} {t('track.' + doc.track)}{quarter}"


def doc_json(doc: AssessmentDoc) -> dict[str, Any]:
    """The document as ``--json`` prints it: the steps of ``--explain`` carry their label in
    the user's language."""
    from techdept.output import steps_doc

    out = doc.to_json()
    if doc.explain is not None:
        out["explain"] = steps_doc(doc.explain)
    return out


def _label(labels: Any, key: str) -> str:
    labels = labels or {}
    return labels.get(lang()) or labels.get("zh") or key


def _position(doc: AssessmentDoc, role: str) -> str:
    """The track's name for the lead or an engineer (项目经理, 售前组长 …)."""
    key = getattr(doc.positions, role, None) if doc.positions else None
    return t(f"position.{key}") if key else t(f"meeting.role.{role}")


def _veto_text(doc: AssessmentDoc) -> str:
    if not doc.veto_reasons:
        return "—"
    labels = {item.key: _label(item.label, item.key) for item in doc.items}
    return "; ".join(
        t("meeting.veto_item", item=labels[r]) if r in labels else t(f"flag.{r}")
        for r in doc.veto_reasons
    )


def _approval_text(entry: Approval | None) -> str:
    if not entry:
        return "—"
    return f"{entry.name} ({entry.by}) {entry.on or ''}".strip()


def _dash(value: Any) -> Any:
    return "—" if value is None else value


# ---------------------------------------------------------------- blocks


def _header(doc: AssessmentDoc) -> list[tuple[str, str]]:
    lead = doc.team.lead if doc.team else None
    policy = doc.policy
    header = [
        (t("label.project_name"), f"{doc.project_name} ({doc.project})"),
        (t("label.customer"), doc.customer),
        (_position(doc, "lead"), f"{lead.name if lead else '—'} ({lead.staff if lead else ''})"),
        (
            t("meeting.label.policy"),
            f"{policy.id} · {policy.hash[:12]}" if policy else "—",
        ),
        (t("meeting.label.status"), t(f"meeting.status.{doc.status}")),
        (t("meeting.label.version"), str(doc.version)),
    ]
    if doc.quarter:
        header.insert(3, (t("meeting.label.quarter"), doc.quarter))
    if doc.overview:
        header.append((t("form.label.overview"), doc.overview))
    if doc.inferred:
        header.append(("", t("rules.inferred")))
    return header


def _fact_rows(doc: AssessmentDoc, tp: TrackPolicy | None) -> list[tuple[str, str]]:
    """The facts the track's sheet has boxes for (``tp``: the track as the policy the
    assessment is bound to defines it; without it, every box)."""
    from techdept.rules.policy import FLAGS

    facts = doc.facts
    rows = [
        (t("label.contract"), _money(facts.contract)),
        (
            t("label.complexity"),
            t(f"complexity.{facts.complexity}") if facts.complexity else "—",
        ),
    ]
    level = tp.level if tp is not None else None  # pre-sales: difficulty; implementation: risk
    if level is not None:
        value = getattr(facts, level)
        rows.append((t(f"label.{level}"), t(f"level.{value}") if value else "—"))
    if facts.planned_days is not None or tp is None or tp.has("schedule"):
        days = t("meeting.days", planned=_dash(facts.planned_days), actual=_dash(facts.actual_days))
        rows.append((t("meeting.label.days"), days))
    if facts.schedule_reason:
        rows.append((t("form.label.schedule_reason"), facts.schedule_reason))
    if tp is None or tp.has("cost"):
        cost = t("meeting.cost", budget=_money(facts.budget), actual=_money(facts.actual_cost))
        rows.append((t("meeting.label.cost"), cost))
    if facts.cost_reason:
        rows.append((t("form.label.cost_reason"), facts.cost_reason))
    if tp is not None and tp.has("internal_acceptance"):
        ia = t(
            "meeting.internal_acceptance",
            deducted=facts.ia_deducted or "—",
            late=_dash(facts.ia_late_days),
        )
        rows.append((t("meeting.label.internal_acceptance"), ia))
    if tp is None or tp.flags:
        flags = [t(f"flag.{f}") for f in (tp.flags if tp else FLAGS) if getattr(facts, f)]
        rows.append((t("meeting.label.flags"), "; ".join(flags) or "—"))
    if facts.aftersales is not None:
        rows += _aftersales_rows(doc)
    if facts.source == "command-line":
        rows.append((t("meeting.label.source"), t("meeting.source.command-line")))
    return rows


def _aftersales_rows(doc: AssessmentDoc) -> list[tuple[str, str]]:
    a = doc.facts.aftersales
    assert a is not None
    service = t("meeting.service", start=a.service_start or "—", months=a.service_months or "—")
    rows = [(t("meeting.label.service"), service)]
    if a.tickets:
        from techdept.commands.ticket import evidence_text

        rows.append((t("ticket.evidence_label"), evidence_text(a.tickets)))
    sources = a.sources or {}
    recorded = [k for k in ("budget", "actual_cost") if sources.get(k) == "recorded"]
    if recorded:
        sep = "、" if lang() == "zh" else " and "
        names = sep.join(t(f"ticket.cost.{k}") for k in recorded)
        rows.append((t("meeting.label.cost"), t("ticket.cost_recorded", names=names)))
    return rows


def _score_table(doc: AssessmentDoc) -> tuple[list[tuple[str, str]], list[dict[str, Any]]]:
    scorers = doc.required_scorers
    columns = [("item", t("meeting.label.item")), ("max", t("meeting.label.max"))]
    columns += [("computed", t("meeting.label.computed"))]
    columns += [(s, t(f"scorer.{s}")) for s in scorers]
    rows: list[dict[str, Any]] = []
    for item in doc.items:
        row = {
            "item": _label(item.label, item.key),
            "max": item.max,
            "computed": item.computed if item.computed is not None else "",
        }
        row |= {s: _dash(doc.scorers[s].points.get(item.key)) for s in scorers}
        rows.append(row)
    total = {"item": t("meeting.label.total"), "max": "100", "computed": ""}
    total |= {s: _dash(doc.scorers[s].total) for s in scorers}
    rows.append(total)
    return columns, rows


def _results(doc: AssessmentDoc, tp: TrackPolicy | None) -> list[tuple[str, str]]:
    aftersales = tp.sliced if tp is not None else doc.quarter is not None  # a quarter's slice
    reserved = t("meeting.label.slice") if aftersales else t("meeting.label.reserved")
    results = [(t("step.aftersales.total"), _money(doc.aftersales_total))] if aftersales else []
    results += [
        (t("meeting.label.composite"), doc.composite or "—"),
        (t("meeting.label.grade"), doc.grade or "—"),
        (reserved, _money(doc.reserved)),
        (t("meeting.label.share"), f"{doc.share} %" if doc.share else "—"),
        (t("meeting.label.final"), _money(doc.final)),
        (t("meeting.label.veto"), _veto_text(doc)),
    ]
    if doc.review_opinion:
        results.append((t("form.label.opinion"), doc.review_opinion))
    if doc.missing_scores:
        missing = "; ".join(
            t(f"scorer.{s}")
            if doc.scorers[s].total is None
            and all(v is None for v in doc.scorers[s].points.values())
            else f"{t('scorer.' + s)}: {', '.join(items)}"
            for s, items in doc.missing_scores.items()
        )
        results.append((t("meeting.label.missing"), missing))
    return results


def _split(doc: AssessmentDoc) -> tuple[list[tuple[str, str]], list[dict[str, str]]]:
    rows = [
        {
            "person": f"{a.name} ({a.staff})",
            "role": _position(doc, a.role),
            "amount": _money(a.amount),
        }
        for a in doc.allocations
    ]
    rows.append({"person": "", "role": t("meeting.role.pool"), "amount": _money(doc.pool)})
    director = doc.approvals.director
    rows.append(
        {
            "person": f"{director.name} ({director.by})" if director else "",
            "role": t("meeting.role.director"),
            "amount": _money(doc.director_award),
        }
    )
    columns = [
        ("person", t("meeting.label.person")),
        ("role", t("meeting.label.role")),
        ("amount", t("meeting.label.amount")),
    ]
    return columns, rows


def sheet_blocks(doc: AssessmentDoc, tp: TrackPolicy | None = None) -> list[Block]:
    """The sheet as blocks in the paper form's order."""
    reasons = [
        (f"{t('scorer.' + r.scorer)} · {r.item} = {r.points}", r.reason) for r in doc.reasons
    ]
    approvals = [
        (t("meeting.label.director_approval"), _approval_text(doc.approvals.director)),
        (t("meeting.label.gm_approval"), _approval_text(doc.approvals.gm)),
    ]
    blocks: list[Block] = [
        ("record", _label(doc.sheet, doc.track), _header(doc), None),
        ("record", t("meeting.block.facts"), _fact_rows(doc, tp), None),
        ("table", t("meeting.block.scores"), *_score_table(doc)),
    ]
    if reasons:
        blocks.append(("record", t("meeting.block.reasons"), reasons, None))
    blocks += [
        ("record", t("meeting.block.result"), _results(doc, tp), None),
        ("table", t("meeting.block.split"), *_split(doc)),
        ("record", t("meeting.block.approvals"), approvals, None),
    ]
    return blocks


# ---------------------------------------------------------------- drawing


def render_sheet(out: Any, doc: AssessmentDoc, tp: TrackPolicy | None = None) -> None:
    """The sheet for people: one Rich panel on a terminal, plain blocks otherwise."""
    blocks = sheet_blocks(doc, tp)
    if out.mode != "rich":
        for kind, title, a, b in blocks:
            if kind == "record":
                out.record(a, title=f"\n{title}")
            else:
                out.line("")
                out.table(a, b, title=title)
        return
    from rich.console import Console, Group
    from rich.panel import Panel

    parts = [_rich_block(kind, title, a, b) for kind, title, a, b in blocks]
    Console().print(Panel(Group(*parts), title=what(doc), expand=False))


def _rich_block(kind: str, title: str, a: Any, b: Any) -> Any:
    from rich.panel import Panel
    from rich.table import Table

    if kind == "record":
        grid = Table.grid(padding=(0, 2))
        grid.add_column(style="bold")
        grid.add_column()
        for label, value in a:
            grid.add_row(label, "" if value is None else str(value))
        return Panel(grid, title=title, title_align="left")
    table = Table(title=title, header_style="bold", title_justify="left", expand=True)
    for _, label in a:
        table.add_column(label)
    for i, row in enumerate(b):
        total = title == t("meeting.block.scores") and i == len(b) - 1
        table.add_row(*[str(row.get(k, "")) for k, _ in a], style="bold" if total else None)
    return table


def explain(out: Any, doc: AssessmentDoc) -> None:
    from techdept.commands import _explain as explained

    out.line("")
    explained.render(out, doc.explain or (), title=t("meeting.block.explain"), track=doc.track)


def show_or_json(out: Any, doc: AssessmentDoc, tp: TrackPolicy | None = None) -> None:
    if out.human:
        render_sheet(out, doc, tp)
        if doc.explain is not None:
            explain(out, doc)
    else:
        out.json(doc_json(doc))


# ---------------------------------------------------------------- workbook


def _xlsx_sections(doc: AssessmentDoc, tp: TrackPolicy | None) -> list[Any]:
    from techdept.forms.workbook import Column, Section

    raw = {
        t("label.contract"): doc.facts.contract,
        t("meeting.label.reserved"): doc.reserved,
        t("meeting.label.slice"): doc.reserved,
        t("meeting.label.final"): doc.final,
        t("step.aftersales.total"): doc.aftersales_total,
    }
    field_cols = [Column("label", t("xlsx.field")), Column("value", t("xlsx.value"))]
    money_cols = [Column("label", t("xlsx.field")), Column("value", t("xlsx.value"), "money")]
    sections = []
    for kind, title, a, b in sheet_blocks(doc, tp):
        if kind == "record":
            plain = [{"label": k, "value": v} for k, v in a if k not in raw]
            amounts = [{"label": k, "value": raw[k]} for k, _ in a if k in raw]
            sections.append(Section(field_cols, plain, title=title))
            if amounts:
                sections.append(Section(money_cols, amounts))
        elif title == t("meeting.block.split"):
            amounts = [x.amount for x in doc.allocations] + [doc.pool, doc.director_award]
            rows = [r | {"amount": x} for r, x in zip(b, amounts, strict=True)]
            cols = [Column(k, label, "money" if k == "amount" else "text", total=k == "amount")
                    for k, label in a]  # fmt: skip
            sections.append(Section(cols, rows, title=title, total_label=t("xlsx.total")))
        else:
            cols = [Column(k, label, "text" if k == "item" else "number") for k, label in a]
            sections.append(Section(cols, b, title=title))
    return sections


def sheet_xlsx(
    st: Any, doc: AssessmentDoc, path: str, force: bool, tp: TrackPolicy | None = None
) -> None:
    """The assessment sheet as a workbook: its blocks one under the other, amounts as
    numbers; the steps of ``--explain`` on a second sheet."""
    from techdept.commands import _xlsx
    from techdept.forms.workbook import Column, Section, Sheet

    policy = (doc.policy.id, doc.policy.hash) if doc.policy else ("", "")
    meta = _xlsx.meta(st, policy)
    sheets = [Sheet(doc.project, what(doc), _xlsx_sections(doc, tp), meta=meta)]
    if doc.explain is not None:
        cols = [
            Column("n", "#", "int"),
            Column("step", t("label.step")),
            Column("inputs", t("label.inputs")),
            Column("formula", t("label.formula")),
            Column("output", t("label.output")),
        ]
        from techdept.commands import _explain as explained

        steps = [r | {"n": int(r["n"])} for r in explained.rows(doc.explain, track=doc.track)]
        sheets.append(Sheet(t("meeting.block.explain"), what(doc), [Section(cols, steps)], meta))
    _xlsx.export(st, path, force, sheets)
