"""``techdept import staff|projects|payments|scores FILE`` and ``import template KIND``.

Files come from Excel or WPS as .xlsx or CSV (UTF-8, UTF-8 with BOM or GB18030); headers in
Chinese or English; values as on the command line, Chinese names of enumerated values
included. Each row goes through the same parsing and the same service as the command that
types it; ``--dry-run`` lists every problem (row, column, value, what is allowed), otherwise
all rows or none are written."""

from __future__ import annotations

import re
import sys
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

import typer

from techdept.commands._choices import choices
from techdept.commands._common import JsonOpt, state
from techdept.commands._xlsx import ForceOpt
from techdept.i18n import t

app = typer.Typer(no_args_is_help=True)
Opt = typer.Option

KINDS = ("staff", "projects", "payments", "scores")
PROGRESS_FROM = 300  # rows; a progress bar on a terminal from here


@dataclass(frozen=True)
class Field:
    key: str
    required: bool
    labels: tuple[str, ...]  # catalogue keys whose zh and en texts name the column
    synonyms: tuple[str, ...] = ()  # other names offices use
    choices: str | None = None  # an enumerated column: the list's name (see _choices)


FIELDS: dict[str, tuple[Field, ...]] = {
    "staff": (
        Field("code", True, ("label.code", "import.col.staff_code"), ("工号", "员工编号", "id")),
        Field("name", True, ("label.name",), ("名字", "员工姓名", "full name")),
        Field("roles", True, ("label.roles",), ("role", "岗位", "职务", "职位"), "role"),
    ),
    "projects": (
        Field("code", False, ("label.code", "import.col.project_code"), ("project code",)),
        Field("name", True, ("label.project_name",), ("名称", "project name", "项目")),
        Field("customer", True, ("label.customer",), ("客户名称", "用户", "业主")),
        Field("contract", False, ("label.contract",), ("合同额", "合同价", "amount")),
        Field("complexity", False, ("label.complexity",), ("复杂度",), "complexity"),
        Field("difficulty", False, ("label.difficulty",), ("难度",), "level"),
        Field("risk", False, ("label.risk",), ("风险",), "level"),
        Field("sales", False, ("label.sales",), ("销售", "销售人员")),
        Field("signed", False, ("label.signed",), ("签约", "签订日期", "signed on")),
        Field("stage", False, ("label.stage",), ("当前阶段",), "stage"),
        Field("service_start", False, ("label.service_start",), ("service-start", "维保开始")),
        Field("service_months", False, ("label.service_months",), ("service-months", "维保月数")),
    ),
    "payments": (
        Field("project", True, ("bonus.col.project", "import.col.project_code"), ("项目",)),
        Field("kind", True, ("import.col.payment_kind",), ("类型", "款项", "款项类型"), "payment"),
        Field("amount", True, ("bonus.col.amount",), ("到账金额", "收款金额")),
        Field("date", True, ("bonus.col.date",), ("到账日期", "收款日期", "paid on")),
    ),
    "scores": (
        Field("project", True, ("bonus.col.project", "import.col.project_code"), ("项目",)),
        Field("track", True, ("meeting.label.track",), ("考核类别", "类别"), "track"),
        Field("quarter", False, ("meeting.label.quarter",), ("季度",)),
        Field("scorer", True, ("import.col.scorer",), ("评分人", "评分方"), "scorer"),
        Field("item", True, ("meeting.label.item",), ("考核内容", "考核项"), "item"),
        Field("points", True, ("import.col.points",), ("得分", "分数", "score")),
        Field("reason", False, ("import.col.reason",), ("理由", "说明", "备注")),
    ),
}

EXAMPLES: dict[str, dict[str, str]] = {
    "staff": {"code": "lintao", "name": "林涛", "roles": "engineer"},
    "projects": {
        "code": "P2026-101",
        "name": "西港区人民法院科技法庭",
        "customer": "西港区人民法院",
        "contract": "1,200,000.00",
        "complexity": "technical",
        "difficulty": "low",
        "risk": "medium",
        "sales": "qianli",
        "signed": "2026-04-20",
        "stage": "implementation.preparation",
        "service_start": "",
        "service_months": "",
    },
    "payments": {
        "project": "P2026-101",
        "kind": "progress",
        "amount": "360,000.00",
        "date": "2026-05-10",
    },
    "scores": {
        "project": "P2026-101",
        "quarter": "",
        "scorer": "self",
        "item": "quality",
        "points": "28",
        "reason": "",
    },
}


def _label(key: str, lang: str) -> str:
    from techdept.i18n import catalog

    return catalog(lang).get(key, "")


def _names(kind: str) -> dict[str, tuple[str, ...]]:
    """Every name a column is known by: its key, its labels in zh and en, synonyms."""
    return {
        f.key: tuple(_label(k, lang) for k in f.labels for lang in ("zh", "en")) + f.synonyms
        for f in FIELDS[kind]
    }


def _header_label(f: Field) -> str:
    return t(f.labels[0])


# ---------------------------------------------------------------- enumerated values


def _choices(name: str, track: str | None = None) -> list[tuple[str, tuple[str, ...]]]:
    """(key, names) of an enumerated column: the key and its zh and en names."""
    from techdept.rules import load_policy
    from techdept.rules.domain import domain

    def named(prefix: str, keys: tuple[str, ...] | list[str]) -> list[tuple[str, tuple[str, ...]]]:
        return [(k, (_label(f"{prefix}.{k}", "zh"), _label(f"{prefix}.{k}", "en"))) for k in keys]

    if name == "role":
        return named("role", domain().roles)
    if name == "complexity":
        return named("complexity", list(load_policy(None).complexity))
    if name == "level":
        return named("level", ("high", "medium", "low"))
    if name == "payment":
        from techdept.services.payments import KINDS as PAYMENT_KINDS

        return named("payment.kind", PAYMENT_KINDS)
    if name == "track":
        return named("track", list(load_policy(None).tracks))
    if name == "scorer":
        return named("scorer", ("self", "sales", "commerce", "pm", "superior"))
    if name == "item":
        policy = load_policy(None)
        tracks = [track] if track else list(policy.tracks)
        out: dict[str, tuple[str, ...]] = {}
        for tr in tracks:
            for item in policy.track(tr).items:
                out.setdefault(item.key, ())
                out[item.key] += (item.label.get("zh", ""), item.label.get("en", ""))
        return list(out.items())
    if name == "stage":
        d = domain()
        out_stages = []
        for key in d.stage_keys:
            if key == "presales.lost":
                continue
            stage = d.stage(key)
            phase = key.split(".", 1)[0]
            out_stages.append(
                (
                    key,
                    tuple(
                        f"{_label('phase.' + phase, lang)} · {stage.name(lang)}"  # type: ignore[union-attr]
                        for lang in ("zh", "en")
                    ),
                )
            )
        return out_stages
    raise KeyError(name)


# an enumerated column → the vocabulary of the one parser (techdept/terms.py)
_VOCABULARY = {
    "role": "role",
    "complexity": "complexity",
    "level": "difficulty",
    "payment": "payment_kind",
    "track": "track",
    "scorer": "scorer",
    "item": "item",
    "stage": "stage",
}


def choice(field: str, text: str, name: str, track: str | None = None) -> str:
    """A key of an enumerated column, read exactly as the command line reads it: by its key,
    its name in either language, a short form the office uses or an unambiguous beginning
    (``terms.parse``)."""
    from techdept import terms
    from techdept.rules import load_policy

    if name != "item":
        return terms.parse(_VOCABULARY[name], field, text)
    policy = load_policy(None)
    tracks = [track] if track else list(policy.tracks)
    for tr in tracks[:-1]:  # without a track: the first track whose items name it
        key = terms.parse("item", field, text, keep_unknown=True, policy=policy, track=tr)
        if key != text or key in {i.key for i in policy.track(tr).items}:
            return key
    return terms.parse("item", field, text, policy=policy, track=tracks[-1])


def _lang() -> str:
    from techdept.i18n import lang

    return lang()


# ---------------------------------------------------------------- one row → one service


def _opt(row: dict[str, str], key: str) -> str | None:
    value = row.get(key, "")
    return value if value != "" else None


def _applier(kind: str, st: Any, label: Callable[[str], str]) -> Callable[[dict[str, str]], Any]:
    """The function that writes one row of ``kind`` through the service its command calls."""
    makers = {"staff": _staff_applier, "projects": _project_applier, "payments": _payment_applier}
    return makers[kind](st, label)


def _staff_applier(st: Any, label: Callable[[str], str]) -> Callable[[dict[str, str]], Any]:
    from techdept import values
    from techdept.errors import TechdeptError
    from techdept.services.staff import add_staff

    def staff(row: dict[str, str]) -> Any:
        roles = []
        for part in re.split(r"[,，、;；/\n]+", row.get("roles", "")):
            try:  # "technical engineer" is one role; "engineer sales" two
                roles += [choice(label("roles"), part, "role")] if part.strip() else []
            except TechdeptError:
                roles += [choice(label("roles"), r, "role") for r in part.split()]
        return add_staff(
            st.ledger,
            st.actor,
            values.parse_name(label("name"), row.get("name", "")),
            values.parse_code(label("code"), row.get("code", "")),
            roles,
        )

    return staff


def _project_applier(st: Any, label: Callable[[str], str]) -> Callable[[dict[str, str]], Any]:
    from techdept import values
    from techdept.services.projects import new_project
    from techdept.services.staff import codes_by_unique_name

    names = codes_by_unique_name(st.ledger)

    def project(row: dict[str, str]) -> Any:
        def get(key: str, parse: Callable[[str, str], Any]) -> Any:
            text = _opt(row, key)
            return None if text is None else parse(label(key), text)

        return new_project(
            st.ledger,
            st.actor,
            st.policy,
            _project_fields(row, label, names, get),
            code=get("code", values.parse_code),
            stage=get("stage", lambda f, x: choice(f, x, "stage")) or "presales.contact",
        )

    return project


def _project_fields(
    row: dict[str, str], label: Callable[[str], str], names: dict[str, str], get: Callable
) -> Any:
    """A project row's fields, each read as ``project new`` reads its option; a name and a
    customer are required."""
    from techdept import values
    from techdept.services.projects import ProjectFields

    sales = _opt(row, "sales")
    data = ProjectFields(
        name=get("name", values.parse_name),
        customer=get("customer", values.parse_name),
        contract_fen=get("contract", values.parse_amount),
        complexity=get("complexity", lambda f, x: choice(f, x, "complexity")),
        difficulty=get("difficulty", lambda f, x: choice(f, x, "level")),
        risk=get("risk", lambda f, x: choice(f, x, "level")),
        sales=None if sales is None else values.parse_code(label("sales"), names.get(sales, sales)),
        signed_on=get("signed", values.parse_date),
        service_start=get("service_start", values.parse_date),
        service_months=get("service_months", lambda f, x: values.parse_count(f, x, maximum=240)),
    )
    if not data.name or not data.customer:
        from techdept.errors import Invalid

        raise Invalid("FieldRequired", field=label("customer" if data.name else "name"))
    return data


def _payment_applier(st: Any, label: Callable[[str], str]) -> Callable[[dict[str, str]], Any]:
    from techdept import values
    from techdept.services.payments import record_payment

    def payment(row: dict[str, str]) -> Any:
        return record_payment(
            st.ledger,
            st.actor,
            values.parse_code(label("project"), row.get("project", "")),
            choice(label("kind"), row.get("kind", ""), "payment"),
            values.parse_amount(label("amount"), row.get("amount", "")),
            values.parse_date(label("date"), row.get("date", "")),
        )

    return payment


_COLUMN_BY_FIELD = {"--kind": "kind", "--amount": "amount", "--date": "date", "NAME": "name",
                    "--signed": "signed", "--role": "roles", "--stage": "stage"}  # fmt: skip
_COLUMN_BY_ERROR = (
    ("StaffExists", "code"),
    ("ProjectExists", "code"),
    ("RoleMissing", "roles"),
    ("NotSales", "sales"),
    ("StaffNotFound", "sales"),
    ("ContractRequired", "contract"),
    ("ServiceMonths", "service_months"),
    ("PaymentNotPositive", "amount"),
    ("PaymentBeyondContract", "amount"),
    ("PaymentNoContract", "project"),
    ("FinalBeforeSigning", "date"),
    ("SecondFinalPayment", "kind"),
    ("ImportDuplicate", "item"),
    ("ItemTwice", "item"),
    ("Track", "track"),
    ("Quarter", "quarter"),
    ("Scorer", "scorer"),
    ("Item", "item"),
    ("Points", "points"),
    ("Tenths", "points"),
    ("Reason", "reason"),
    ("Facts", "project"),
    ("Assessment", "project"),
    ("Project", "project"),
)


def _column_of(kind: str, by_label: dict[str, str]) -> Callable[[Any, dict[str, str]], str]:
    keys = {f.key for f in FIELDS[kind]}

    def column(exc: Any, row: dict[str, str]) -> str:
        field = str(exc.params.get("field", ""))
        if field in by_label:
            return by_label[field]
        if field in keys:
            return field
        if _COLUMN_BY_FIELD.get(field) in keys:
            return _COLUMN_BY_FIELD[field]
        if field.startswith("--") and field[2:].replace("-", "_") in keys:
            return field[2:].replace("-", "_")
        name = exc.key.removeprefix("error.")
        for fragment, key in _COLUMN_BY_ERROR:
            if fragment in name and key in keys:
                return key
        if "item" in exc.params and "item" in keys:
            return "item"
        return ""

    return column


# ---------------------------------------------------------------- the command


def _rows(kind: str, file: str) -> tuple[Any, list[tuple[int, dict[str, str]]], dict[str, str]]:
    from techdept.services import imports

    sheet = imports.read(file)
    required = [f.key for f in FIELDS[kind] if f.required]
    index, head, data = imports.match_header(sheet, _names(kind), required)
    totals = {_label("xlsx.total", lang) for lang in ("zh", "en")}
    rows = [
        (line, {key: (cells[i] if i < len(cells) else "") for key, i in index.items()})
        for line, cells in data
        if not (cells and cells[0] in totals)  # the totals row of an exported list
    ]
    return sheet, rows, {key: head[i] for key, i in index.items()}


def _progress(total: int) -> tuple[Callable[[int], None] | None, Callable[[], None]]:
    if total < PROGRESS_FROM or not sys.stderr.isatty():
        return None, lambda: None
    from rich.console import Console
    from rich.progress import Progress

    bar = Progress(console=Console(stderr=True), transient=True)
    task = bar.add_task(t("import.progress"), total=total)
    bar.start()
    return (lambda n: bar.update(task, completed=n)), bar.stop


def run_import(ctx: typer.Context, kind: str, file: str, dry_run: bool, json: bool) -> None:
    from techdept.services import imports

    st = state(ctx)
    sheet, rows, shown = _rows(kind, file)
    by_label = {t(f.labels[0]): f.key for f in FIELDS[kind]} | {v: k for k, v in shown.items()}
    tick, stop = _progress(len(rows))
    try:
        notes: dict[str, Any] = {}
        if kind == "scores":
            written, problems, result = _scores(st, rows, dry_run, tick)
            notes = {"sheets": result.sheets, "assessments": result.assessments}
        else:
            label = shown.get
            written, problems = imports.run_rows(
                st.ledger,
                rows,
                _applier(kind, st, lambda key: label(key) or key),
                dry_run=dry_run,
                column_of=_column_of(kind, by_label),
                progress=tick,
            )
    finally:
        stop()
    outcome = imports.Outcome(kind, sheet.path, sheet.format, len(rows), written, dry_run,
                              problems, notes)  # fmt: skip
    _report(st, outcome, shown, json)


def _scores(st: Any, rows: list[tuple[int, dict[str, str]]], dry_run: bool, tick: Any) -> Any:
    """Scores go through the meeting's own import (a sheet is replaced as a whole)."""
    from techdept.errors import TechdeptError
    from techdept.services import imports
    from techdept.services.assessment import import_score_rows

    parsed, early = [], []
    column = _column_of("scores", {})
    for line, row in rows:
        try:
            track = choice("track", row.get("track", ""), "track")
            fixed = row | {
                "track": track,
                "scorer": choice("scorer", row.get("scorer", ""), "scorer"),
                "item": choice("item", row.get("item", ""), "item", track),
            }
            parsed.append((line, fixed))
        except TechdeptError as exc:
            early.append(
                imports.Problem(line, column(exc, row), row.get(column(exc, row), ""), exc)
            )
    result, problems = import_score_rows(
        st.ledger, st.actor, parsed, dry_run=dry_run or bool(early), progress=tick
    )
    by_line = dict(rows)
    found = early + [
        imports.Problem(
            line, column(exc, by_line[line]), by_line[line].get(column(exc, by_line[line]), ""), exc
        )
        for line, exc in problems
    ]
    found.sort(key=lambda p: p.row)
    return (0 if dry_run or found else result.rows), found, result


SHOWN_VALUE = 40  # characters of a refused value shown in the problems table


def _safe(text: str, limit: int | None = None) -> str:
    """Text for the terminal: control and direction characters written as escapes (a hostile
    cell neither recolours the terminal, breaks the table nor turns the line around), a
    long value cut to ``limit`` characters."""
    from techdept.values import _BIDI

    out = "".join(
        ascii(ch)[1:-1] if ch in _BIDI or unicodedata.category(ch) == "Cc" else ch for ch in text
    )
    return out if limit is None or len(out) <= limit else out[: limit - 1] + "…"


def _report(st: Any, outcome: Any, shown: dict[str, str], json: bool) -> None:
    from techdept.errors import Invalid

    out = st.out(json=json)
    if out.mode == "json":
        out.json(outcome.to_dict(lambda e: e.message()))
    elif outcome.problems:
        out.table(
            [("row", t("import.col.row")), ("column", t("import.col.column")),
             ("value", t("import.col.value")), ("problem", t("import.col.problem"))],
            [
                {"row": str(p.row), "column": shown.get(p.column, p.column) or "—",
                 "value": _safe(p.value, SHOWN_VALUE), "problem": _safe(p.error.message())}
                for p in outcome.problems
            ],
            title=t("import.problems_title", file=outcome.path, count=len(outcome.problems)),
        )  # fmt: skip
    if outcome.problems:
        key = "ImportDryRunProblems" if outcome.dry_run else "ImportNothingWritten"
        raise Invalid(key, path=outcome.path, count=len(outcome.problems), rows=outcome.rows)
    if out.human:
        what = t(f"import.kind.{outcome.kind}")
        if outcome.dry_run:
            out.line(t("import.dry_ok", rows=outcome.rows, what=what, file=outcome.path))
        elif outcome.kind == "scores":
            out.line(t("meeting.imported", rows=outcome.written, **outcome.notes))
        else:
            out.line(t("import.done", rows=outcome.written, what=what, file=outcome.path))


FileArg = Annotated[str, typer.Argument(help=t("help.import.arg_file"), metavar="FILE")]
DryRunOpt = Annotated[bool, Opt("--dry-run", help=t("help.import.dry_run"))]


def _command(kind: str) -> Callable[..., None]:
    def command(
        ctx: typer.Context, file: FileArg, dry_run: DryRunOpt = False, json: JsonOpt = False
    ) -> None:
        run_import(ctx, kind, file, dry_run, json)

    return command


for _kind in KINDS:
    app.command(_kind, help=t(f"help.import.{_kind}"))(_command(_kind))


@app.command("template", help=t("help.import.template"))
def template(
    ctx: typer.Context,
    kind: Annotated[
        str,
        typer.Argument(
            help=choices("help.import.arg_kind", "import_kind", "", "scores"), metavar="KIND"
        ),
    ],
    xlsx: Annotated[str, Opt("--xlsx", metavar="FILE.xlsx", help=t("help.import.template_xlsx"))],
    force: ForceOpt = False,
) -> None:
    from techdept import terms
    from techdept.commands import _xlsx
    from techdept.forms.workbook import Column, Section, Sheet
    from techdept.rules import load_policy

    kind = terms.parse("import_kind", "KIND", kind)
    _xlsx.check(xlsx, force)
    zh = _lang() == "zh"
    columns = []
    for f in FIELDS[kind]:
        names = _choices(f.choices) if f.choices else []
        shown = tuple(n[0 if zh else 1] or k for k, n in names)
        if len(",".join(shown)) > 250:  # Excel's limit for an inline list
            shown = ()
        label = _header_label(f) + ("*" if f.required else "")
        columns.append(Column(f.key, label, "text", choices=shown))
    example = dict(EXAMPLES[kind])
    if kind == "scores":  # the track whose sheet has the example's item
        tracks = load_policy(None).tracks
        example["track"] = next(k for k, tp in tracks.items() if example["item"] in tp.item_keys)
    for f in FIELDS[kind]:
        if f.choices and example.get(f.key):
            for key, names in _choices(f.choices):
                if key == example[f.key]:
                    example[f.key] = names[0 if zh else 1] or key
    sheet = Sheet(t(f"import.kind.{kind}"), "", [Section(columns, [example])])
    _xlsx.export(state(ctx), xlsx, force, [sheet])
