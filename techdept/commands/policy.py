"""``techdept policy``: the active policy — show it, lint it, and explain a what-if sheet."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from techdept.commands._choices import choices, example, items
from techdept.commands._common import JsonOpt, state, track_of
from techdept.commands._options import (
    ComplexityOpt,
    ContractOpt,
    DifficultyOpt,
    RiskOpt,
    ServiceMonthsOpt,
)
from techdept.i18n import lang, t

app = typer.Typer(no_args_is_help=True)
Opt = typer.Option


def _label(value: Any) -> str:
    if isinstance(value, dict):
        return value.get(lang()) or value.get("en") or ""
    return str(value)


@app.command("show", help=t("help.policy.show"))
def show(ctx: typer.Context, json: JsonOpt = False) -> None:
    from techdept.rules import policy_to_dict

    st = state(ctx)
    policy = st.policy
    doc = policy_to_dict(policy)
    out = st.out(json=json)
    if not out.human:
        out.json(doc)
        return
    _show_header(out, policy, doc)
    for key, track in doc["tracks"].items():
        _show_track(out, key, track)
    _show_grades(out, doc)
    _show_coefficients(out, doc)
    if policy.monthly is not None:
        _show_monthly(out, policy)
    if any(track.inferred for track in policy.tracks.values()):
        out.line(t("policy.inferred_note"))


def _show_header(out: Any, policy: Any, doc: dict[str, Any]) -> None:
    """The policy's id, title, hash and file, and its rates and payout rule."""
    payout = t(
        "policy.payout_rule",
        months=", ".join(str(m) for m in policy.payout_months),
        days=policy.payout_window_days,
    )
    out.record(
        [
            (t("policy.label.id"), policy.id),
            (t("policy.label.title"), _label(policy.title)),
            (t("policy.label.hash"), policy.hash),
            (t("policy.label.file"), str(policy.path)),
            (t("policy.label.base_rate"), f"{doc['base_rate']} %"),
            (t("policy.label.lead_share"), f"{doc['lead_share_min']}–{doc['lead_share_max']} %"),
            (t("policy.label.director_award"), f"{doc['director_award_rate']} %"),
            (t("policy.label.payout"), payout),
        ],
        title=t("policy.title"),
    )


def _show_track(out: Any, key: str, track: dict[str, Any]) -> None:
    """One track's rubric: its items, their maximum, kind and bands."""
    scorers = ", ".join(t(f"scorer.{s}") for s in track["scorers"])
    rows = [
        {
            "item": f"{_label(item['label'])} ({item['key']})",
            "max": item["max"],
            "kind": t(f"kind.{item['kind']}") + (" *" if item.get("inferred") else ""),
            "bands": " / ".join(f"{b['points']}: {_label(b['text'])}" for b in item["bands"]),
        }
        for item in track["items"]
    ]
    out.table(
        [
            ("item", t("policy.col.item")),
            ("max", t("policy.col.max")),
            ("kind", t("policy.col.kind")),
            ("bands", t("policy.col.bands")),
        ],
        rows,
        title=t(
            "policy.track_title",
            track=t(f"track.{key}"),
            scorers=scorers,
            divisor=track["composite_divisor"],
        ),
    )


def _show_grades(out: Any, doc: dict[str, Any]) -> None:
    out.table(
        [
            ("grade", t("policy.col.grade")),
            ("range", t("policy.col.range")),
            ("share", t("policy.col.share")),
        ],
        [
            {"grade": g["grade"], "range": f"{g['low']} – {g['high']}", "share": f"{g['share']} %"}
            for g in doc["grades"]
        ],
        title=t("policy.grades_title"),
    )


def _show_coefficients(out: Any, doc: dict[str, Any]) -> None:
    rows = [
        {
            "table": t(f"coefficient.{table}"),
            "key": t(f"{'complexity' if table == 'complexity' else 'level'}.{k}") + f" ({k})",
            "value": v,
        }
        for table in ("complexity", "difficulty", "risk")
        for k, v in doc[table].items()
    ]
    out.table(
        [
            ("table", t("policy.col.table")),
            ("key", t("policy.col.key")),
            ("value", t("policy.col.value")),
        ],
        rows,
        title=t("policy.coefficients_title"),
    )


def _show_monthly(out: Any, policy: Any) -> None:
    """The monthly rubric, who submits for whom, and whether it is the company's example."""
    monthly = policy.monthly
    out.table(
        [("item", t("policy.col.item")), ("max", t("policy.col.max"))],
        [
            {"item": f"{_label(i.label)} ({i.key})", "max": format(i.max, "f")}
            for i in monthly.items
        ],
        title=t("monthly.policy.title", day=monthly.due_day),
    )
    for group in monthly.groups:
        out.line(
            t(
                "monthly.policy.group",
                group=_label(group.label),
                engineers=", ".join(t(f"role.{r}") for r in group.engineers),
                submitter=t(f"role.{group.submitter}"),
                assistants=", ".join(t(f"role.{r}") for r in group.assistants) or "—",
            )
        )
    if monthly.example:
        out.line(t("monthly.policy.example"))
    if monthly.note:
        out.line(_label(monthly.note))


@app.command("lint", help=t("help.policy.lint"))
def lint(
    ctx: typer.Context,
    file: Annotated[str | None, typer.Argument(help=t("help.policy_opt.file"))] = None,
    json: JsonOpt = False,
) -> None:
    from techdept.services.policies import lint as lint_policy

    st = state(ctx)
    findings = lint_policy(file or st.policy_file)
    out = st.out(json=json)
    if out.human:
        for f in findings:
            out.line(f"{f.code}  {t(f.key, **f.params)}")
        if not findings:
            out.line(t("policy.lint_clean"))
    else:
        out.json(
            [{"code": f.code, "path": f.path, "message": t(f.key, **f.params)} for f in findings]
        )
    if findings:
        raise typer.Exit(1)


TrackOpt = Annotated[str, Opt("--track", help=choices("help.policy_opt.track", "track", "--track"))]
ScoresOpt = Annotated[
    list[str],
    Opt(
        "--scores",
        help=items("help.policy_opt.scores", "--scores", example("scorer", "superior") + ":"),
    ),
]
PlannedOpt = Annotated[str | None, Opt("--planned-days", help=t("help.policy_opt.planned"))]
ActualOpt = Annotated[str | None, Opt("--actual-days", help=t("help.policy_opt.actual"))]
BudgetOpt = Annotated[str | None, Opt("--budget", help=t("help.policy_opt.budget"))]
CostOpt = Annotated[str | None, Opt("--actual-cost", help=t("help.policy_opt.actual_cost"))]
DeductedOpt = Annotated[str | None, Opt("--ia-deducted", help=t("help.policy_opt.ia_deducted"))]
LateDaysOpt = Annotated[str | None, Opt("--ia-late-days", help=t("help.policy_opt.ia_late_days"))]
ComplaintOpt = Annotated[bool, Opt("--complaint", help=t("help.policy_opt.complaint"))]
PoorOpt = Annotated[bool, Opt("--poor-evaluation", help=t("help.policy_opt.poor_evaluation"))]
SliceOpt = Annotated[int, Opt("--slice", min=1, help=t("help.policy_opt.slice"))]
LeadOpt = Annotated[str | None, Opt("--lead", help=t("help.policy_opt.lead"))]
LeadShareOpt = Annotated[str | None, Opt("--lead-share", help=t("help.policy_opt.lead_share"))]
EngineerOpt = Annotated[list[str] | None, Opt("--engineer", help=t("help.policy_opt.engineer"))]


@app.command("explain", help=t("help.policy.explain"))
def explain(
    ctx: typer.Context,
    track: TrackOpt,
    scores: ScoresOpt,
    contract: ContractOpt = None,
    complexity: ComplexityOpt = None,
    difficulty: DifficultyOpt = None,
    risk: RiskOpt = None,
    planned_days: PlannedOpt = None,
    actual_days: ActualOpt = None,
    budget: BudgetOpt = None,
    actual_cost: CostOpt = None,
    ia_deducted: DeductedOpt = None,
    ia_late_days: LateDaysOpt = None,
    complaint: ComplaintOpt = False,
    poor_evaluation: PoorOpt = False,
    service_months: ServiceMonthsOpt = None,
    slice_number: SliceOpt = 1,
    lead: LeadOpt = None,
    lead_share: LeadShareOpt = None,
    engineer: EngineerOpt = None,
    json: JsonOpt = False,
) -> None:
    from techdept import values
    from techdept.services import policies

    st = state(ctx)
    policy = st.policy
    track = track_of(st, track).key
    facts = _facts(
        policy, contract=contract, complexity=complexity, difficulty=difficulty, risk=risk,
        planned_days=planned_days, actual_days=actual_days, budget=budget,
        actual_cost=actual_cost, ia_deducted=ia_deducted, ia_late_days=ia_late_days,
        complaint=complaint, poor_evaluation=poor_evaluation,
    )  # fmt: skip
    team = _team(policy, lead, lead_share, engineer)
    ev = policies.what_if(
        policy,
        track,
        facts,
        _keyed_scores(parse_scores(scores), policy, track),
        team,
        service_months=(
            values.parse_count("--service-months", service_months)
            if service_months is not None
            else None
        ),
        slice_number=slice_number,
    )
    _show_what_if(st.out(json=json), ev, policy, track)


def _facts(policy: Any, **typed: Any) -> Any:
    """The what-if's facts from the options as typed: amounts in fen, counts, and the
    complexity, difficulty and risk as keys of the policy's tables."""
    from decimal import Decimal

    from techdept import terms, values
    from techdept.rules import Facts

    def amount(name: str) -> int | None:
        text = typed[name]
        return values.parse_amount(_flag(name), text) if text is not None else None

    def count(name: str) -> int | None:
        text = typed[name]
        return values.parse_count(_flag(name), text) if text is not None else None

    def choice(name: str, table: dict) -> str | None:
        field, text = _flag(name), typed[name]
        if text is None:
            return None
        key = terms.parse(name, field, text, keep_unknown=True, policy=policy)
        return values.parse_choice(field, key, tuple(table))

    return Facts(
        contract=amount("contract"),
        complexity=choice("complexity", policy.complexity),
        difficulty=choice("difficulty", policy.difficulty),
        risk=choice("risk", policy.risk),
        planned_days=count("planned_days"),
        actual_days=count("actual_days"),
        budget=amount("budget"),
        actual_cost=amount("actual_cost"),
        ia_deducted=Decimal(count("ia_deducted")) if typed["ia_deducted"] else None,
        ia_late_days=count("ia_late_days"),
        complaint=typed["complaint"],
        poor_evaluation=typed["poor_evaluation"],
    )


def _flag(name: str) -> str:
    """An option's name as typed: ``planned_days`` → ``--planned-days``."""
    return "--" + name.replace("_", "-")


def _team(policy: Any, lead: str | None, lead_share: str | None, engineers: Any) -> Any:
    """The what-if's team: a lead (a placeholder when not named), its share, the engineers."""
    from techdept import values
    from techdept.rules import TeamSpec

    share = (
        values.parse_percent("--lead-share", lead_share)
        if lead_share is not None
        else policy.lead_share_default
    )
    return TeamSpec(
        lead=lead or t("policy.whatif_lead"),
        lead_share=share,
        engineers=parse_engineers(engineers or []),
    )


def _show_what_if(out: Any, ev: Any, policy: Any, track: str) -> None:
    """The evaluation and its steps, for people or as JSON (with the policy's id and hash)."""
    from techdept.rules import evaluation_to_dict

    doc = evaluation_to_dict(ev) | {"policy": {"id": policy.id, "hash": policy.hash}}
    if not out.human:
        from techdept.output import steps_doc

        out.json(doc | {"steps": steps_doc(ev.steps)})
        return
    render_evaluation(out, doc, title=t("policy.whatif_title", track=t(f"track.{track}")))
    from techdept.commands import _explain as explained

    explained.render(out, ev.steps, title=t("policy.steps_title"), policy=policy, track=track)


def _keyed_scores(
    scores: dict[str, dict[str, str]], policy: Any, track: str
) -> dict[str, dict[str, str]]:
    """``上级考核:质量=27`` as ``superior:quality=27``: scorers and items by key, name or short
    form (a text no form names goes on as typed, for the rules' own refusal)."""
    from techdept import terms

    return {
        terms.parse("scorer", "--scores", scorer, keep_unknown=True, policy=policy, track=track): {
            terms.parse("item", "--scores", item, keep_unknown=True, policy=policy, track=track): p
            for item, p in sheet.items()
        }
        for scorer, sheet in scores.items()
    }


def render_evaluation(out: Any, doc: dict[str, Any], *, title: str) -> None:
    """Totals per scorer, composite, grade, money and the split, from an evaluation doc."""
    from techdept.output import money_text as yuan

    veto = ", ".join(t(f"policy.veto.{r}") for r in doc["veto_reasons"]) or t("policy.no_veto")
    totals = ", ".join(
        f"{t('scorer.' + s)} {v['total']}"
        for s, v in doc["scorers"].items()
        if v.get("total") is not None
    )
    out.record(
        [
            (t("policy.label.totals"), totals),
            (t("policy.label.composite"), doc["composite"]),
            (t("policy.label.grade"), doc["grade"]),
            (t("policy.label.reserved"), yuan(doc["reserved"])),
            (t("policy.label.final"), yuan(doc["final"])),
            (t("policy.label.veto"), veto),
            (t("policy.label.pool"), yuan(doc["pool"])),
            (t("policy.label.director_award"), yuan(doc["director_award"])),
        ],
        title=title,
    )
    out.table(
        [
            ("staff", t("policy.col.person")),
            ("role", t("policy.col.role")),
            ("amount", t("policy.col.amount")),
        ],
        [
            {"staff": a["staff"], "role": t(f"allocation.{a['role']}"), "amount": yuan(a["amount"])}
            for a in doc["allocations"]
        ],
        title=t("policy.split_title"),
    )


# ---------------------------------------------------------------- the what-if's values


def parse_scores(specs: list[str]) -> dict[str, dict[str, str]]:
    """``SCORER:ITEM=POINTS,ITEM=POINTS`` (repeatable) → {scorer: {item: points}}."""
    from techdept.errors import Invalid

    scores: dict[str, dict[str, str]] = {}
    for spec in specs:
        scorer, sep, rest = spec.partition(":")
        if not sep or not scorer.strip() or not rest.strip():
            raise Invalid("ScoresSpecInvalid", value=spec)
        for pair in rest.split(","):
            item, eq, points = pair.partition("=")
            if not eq or not item.strip() or not points.strip():
                raise Invalid("ScoresSpecInvalid", value=spec)
            scores.setdefault(scorer.strip(), {})[item.strip()] = points.strip()
    return scores


def parse_engineers(specs: list[str]) -> tuple[tuple[str, Any], ...]:
    """``NAME[:WEIGHT]`` → (name, weight); weights default to 1."""
    from decimal import Decimal

    from techdept.errors import Invalid
    from techdept.values import parse_weight

    out = []
    for spec in specs:
        name, _, weight = spec.partition(":")
        if not name.strip():
            raise Invalid("ScoresSpecInvalid", value=spec)
        out.append((name.strip(), parse_weight("--engineer", weight) if weight else Decimal(1)))
    return tuple(out)
