"""``techdept bonus``: the quarter's payout list, paying it, reversals, extra awards,
statements and the department pool."""

from __future__ import annotations

from functools import cache
from typing import Annotated, Any

import typer

from techdept.commands import _xlsx
from techdept.commands._common import CsvOpt, JsonOpt, default_command_group, state
from techdept.commands._xlsx import ForceOpt, XlsxOpt
from techdept.i18n import t
from techdept.output import fen_str, money

# ``bonus --quarter Q`` is ``bonus list --quarter Q``; reverse, award, statement and pool are
# sub-commands
app = typer.Typer(
    cls=default_command_group("list"),
    no_args_is_help=False,
    subcommand_metavar=t("help.bonus.metavar"),
)
Opt = typer.Option


def _track(key: str | None) -> str:
    return t(f"track.{key}") if key else ""


def _role(key: str, track: str | None, policy: Any) -> str:
    """The person's position on the line as the policy names it (``lead_role`` and
    ``engineer_role`` of the track: 项目经理 for an implementation lead, and so on); a
    director's award, an extra award or the pool by what it is."""
    from techdept.i18n import has

    tp = policy.tracks.get(track) if track else None
    position = {"lead": tp.lead_role, "engineer": tp.engineer_role}.get(key) if tp else None
    if position and has(f"position.{position}"):
        return t(f"position.{position}")
    return t(f"bonus.role.{key}")


def _template(key: str) -> str:
    from techdept.i18n import lang

    return _worded(key, lang())


@cache
def _worded(key: str, lang: str) -> str:  # per language: one process may show both
    return t(key)


def _difference(line: Any) -> str | None:
    """Why a re-approved share pays a difference or is clawed back, or None."""
    if line.paid_before_fen is None:
        return None
    key = "bonus.why_clawback" if line.clawback else "bonus.why_difference"
    return _template(key).format(
        entitled=money(line.entitled_fen), paid=money(line.paid_before_fen)
    )


def _why(line: Any) -> str:
    """Why a line is in the list (paid, payable now, waiting, a reversal, a clawback)."""
    if line.source == "reversal":
        return _template("bonus.why_reversal").format(reason=line.reason or "")
    difference = _difference(line)
    if difference is not None:
        status = _why_status(line)
        return f"{difference}; {status}" if status else difference
    return _why_status(line)


def _why_status(line: Any) -> str:
    if line.paid:
        return _template("bonus.why_paid").format(on=line.run_on or "")
    if line.final_paid_on is None:
        return _template("bonus.why_no_final").format(approved=line.approved_on)
    key = "bonus.why_award" if line.source == "award" else "bonus.why"
    return _template(key).format(approved=line.approved_on, final=line.final_paid_on)


def line_doc(line: Any) -> dict[str, Any]:
    """One line as JSON, with why it is in the list in the user's language."""
    doc = line.to_dict()
    doc["why"] = _why(line)
    if doc["reason"] is None:
        doc["reason"] = _difference(line)
    return doc


def payout_doc(result: Any, *, pending: bool) -> dict[str, Any]:
    """The JSON of ``bonus --quarter`` with each line's reason."""
    doc = result.to_dict(pending=pending)
    if pending:  # only the lines waiting, each with why
        doc["lines"] = doc["pending"] = [line_doc(x) for x in result.pending]
    else:
        doc["lines"] = [line_doc(x) for x in result.lines]
    return doc


def stream_payout_json(view: Any, *, pending: bool) -> None:
    """Write ``payout_doc`` line by line: a quarter of a large ledger never sits in memory."""
    import json as jsonlib
    import sys
    from collections import defaultdict

    from techdept.output import json_text
    from techdept.services.payout_list import totals_doc

    chunk: list[str] = []

    def emit(text: str) -> None:
        chunk.append(text)
        if len(chunk) >= 2000:
            sys.stdout.write("".join(chunk))
            chunk.clear()

    encode = jsonlib.JSONEncoder(ensure_ascii=False, default=str).encode
    head = {
        "quarter": view.quarter,
        "window": [view.window[0].isoformat(), view.window[1].isoformat()],
    }
    emit(json_text(head)[:-1] + ', "lines": [')
    sums: dict[tuple[str, str], int] = defaultdict(int)
    total = already = 0
    for i, line in enumerate(view.lines(pending=pending)):
        emit(("," if i else "") + "\n" + encode(line_doc(line)))
        sums[(line.staff, line.name)] += line.amount_fen
        total += line.amount_fen
        already += line.paid and line.source != "reversal"
    tail: dict[str, Any] = {
        "totals": totals_doc(sorted((code, name, amount) for (code, name), amount in sums.items())),
        "total": fen_str(total),
        "pool": fen_str(view.pool),
        "pool_balance": fen_str(view.pool_balance),
        "pool_movements": [m.to_dict() for m in view.pool_movements],
        "newly_paid": 0,
        "already_paid": already,
    }
    emit("\n], " + json_text(tail)[1:-1])
    if pending:  # the same waiting lines under the key older readers use
        emit(', "pending": [')
        for i, line in enumerate(view.lines(pending=True)):
            emit(("," if i else "") + "\n" + encode(line_doc(line)))
        emit("\n]")
    emit("}\n")
    sys.stdout.write("".join(chunk))


def _line_rows(lines: list[Any], policy: Any) -> list[dict[str, str]]:
    from techdept.output import money

    return [
        {
            "line": str(x.line_id or ""),
            "project": x.project,
            "track": _track(x.track),
            "slice": x.slice_quarter or "",
            "person": f"{x.name} ({x.staff})",
            "role": _role(x.role, x.track, policy),
            "amount": money(x.amount_fen),
            "status": t(f"bonus.status.{x.status}"),
            "why": _why(x),
        }
        for x in lines
    ]


LINE_COLUMNS = [
    ("line", "bonus.col.line"),
    ("project", "bonus.col.project"),
    ("track", "bonus.col.track"),
    ("slice", "bonus.col.slice"),
    ("person", "bonus.col.person"),
    ("role", "bonus.col.role"),
    ("amount", "bonus.col.amount"),
    ("status", "bonus.col.status"),
    ("why", "bonus.col.why"),
]


@app.command("list", help=t("help.bonus.list"))
def bonus(
    ctx: typer.Context,
    quarter: Annotated[str | None, Opt("--quarter", help=t("help.bonus_opt.quarter"))] = None,
    pay: Annotated[bool, Opt("--pay", help=t("help.bonus_opt.pay"))] = False,
    pending: Annotated[bool, Opt("--pending", help=t("help.bonus_opt.pending"))] = False,
    json: JsonOpt = False,
    csv: CsvOpt = False,
    xlsx: XlsxOpt = None,
    force: ForceOpt = False,
) -> None:
    if quarter is None:
        from techdept.errors import UsageError

        raise UsageError("QuarterRequired")
    from techdept.services import payout_list
    from techdept.values import parse_quarter

    st = state(ctx)
    _xlsx.check(xlsx, force)
    out = st.out(json=json, csv=csv)
    ledger = st.ledger  # opened first: a missing ledger says so before a bad quarter
    q = parse_quarter(quarter)
    if out.mode == "json" and not pay:
        with payout_list.open_quarter(ledger, st.policy, q) as view:
            stream_payout_json(view, pending=pending)
        return
    if pay:
        from techdept.services import payouts

        result = payouts.pay(ledger, st.actor, st.policy, q)
    else:
        result = payout_list.payout(ledger, st.policy, q)
    if out.mode == "json":
        out.json(payout_doc(result, pending=pending))
        return
    shown = result.pending if pending else result.lines
    if xlsx:
        _payout_xlsx(st, result, shown, xlsx, force, pending=pending)
        if pay:
            out.line(t("bonus.paid_now", count=result.newly_paid, already=result.already_paid))
        return
    if out.mode == "csv":
        docs = [line_doc(x) for x in shown]
        out.table([(k, k) for k in docs[0]] if docs else [("project", "")], docs)
        return
    _payout_tables(out, result, shown, st.policy, pending=pending)
    if pay:
        out.line(t("bonus.paid_now", count=result.newly_paid, already=result.already_paid))


def _payout_tables(out: Any, result: Any, shown: list[Any], policy: Any, *, pending: bool) -> None:
    """The payout list for people: its lines, then (not for --pending) each person's total,
    the pool's movements of the quarter and the summary."""
    from techdept.output import money

    columns = [(k, t(label)) for k, label in LINE_COLUMNS]
    title_key = "bonus.pending_title" if pending else "bonus.title"
    out.table(
        columns,
        _line_rows(shown, policy),
        title=t(
            title_key,
            quarter=result.quarter,
            first=result.window[0].isoformat(),
            last=result.window[1].isoformat(),
        ),
    )
    if pending:
        return
    out.table(
        [("person", t("bonus.col.person")), ("amount", t("bonus.col.amount"))],
        [
            {"person": f"{name} ({code})", "amount": money(amount)}
            for code, name, amount in result.totals_by_person()
        ],
        title=t("bonus.totals_title"),
    )
    if result.pool_movements:
        pool_table(out, result.pool_movements, title=t("bonus.pool_quarter_title"))
    out.line(
        t(
            "bonus.summary",
            total=money(result.total),
            pool=money(result.pool),
            balance=money(result.pool_balance),
        )
    )


def _payout_xlsx(
    st: Any, result: Any, shown: list[Any], path: str, force: bool, *, pending: bool
) -> None:
    """The payout list as a workbook: the lines, totals per person, the pool's movements."""

    title_key = "bonus.pending_title" if pending else "bonus.title"
    title = t(
        title_key,
        quarter=result.quarter,
        first=result.window[0].isoformat(),
        last=result.window[1].isoformat(),
    )
    columns = [
        ("line", t("bonus.col.line"), "int"),
        ("project", t("bonus.col.project"), "text"),
        ("project_name", t("xlsx.col.project_name"), "text"),
        ("track", t("bonus.col.track"), "text"),
        ("slice", t("bonus.col.slice"), "text"),
        ("staff", t("xlsx.col.staff"), "text"),
        ("name", t("label.name"), "text"),
        ("role", t("bonus.col.role"), "text"),
        ("amount", t("bonus.col.amount"), "money"),
        ("status", t("bonus.col.status"), "text"),
        ("why", t("bonus.col.why"), "text"),
    ]
    rows = [
        {
            "line": x.line_id,
            "project": x.project,
            "project_name": x.project_name,
            "track": _track(x.track),
            "slice": x.slice_quarter or "",
            "staff": x.staff,
            "name": x.name,
            "role": _role(x.role, x.track, st.policy),
            "amount": x.amount_fen,
            "status": t("bonus.paid") if x.paid else t("bonus.payable"),
            "why": _why(x),
        }
        for x in shown
    ]
    total = t("xlsx.total")
    sheets = [
        _xlsx.sheet(st, t("xlsx.sheet.payout"), title, columns, rows,
                    total_label=total, totals=("amount",)),
    ]  # fmt: skip
    if not pending:
        people = [
            {"staff": code, "name": name, "amount": amount}
            for code, name, amount in result.totals_by_person()
        ]
        person_cols = [
            ("staff", t("label.code"), "text"),
            ("name", t("label.name"), "text"),
            ("amount", t("bonus.col.amount"), "money"),
        ]
        sheets.append(
            _xlsx.sheet(
                st,
                t("xlsx.sheet.totals"),
                t("bonus.totals_title"),
                person_cols,
                people,
                total_label=total,
                totals=("amount",),
            )
        )
        moves = [
            {
                "on": m.on,
                "project": m.project,
                "track": _track(m.track),
                "slice": m.slice_quarter or "",
                "kind": t(f"bonus.pool_kind.{m.kind}"),
                "amount": m.amount_fen,
            }
            for m in result.pool_movements
        ]
        pool_cols = [
            ("on", t("bonus.col.date"), "date"),
            ("project", t("bonus.col.project"), "text"),
            ("track", t("bonus.col.track"), "text"),
            ("slice", t("bonus.col.slice"), "text"),
            ("kind", t("bonus.col.kind"), "text"),
            ("amount", t("bonus.col.amount"), "money"),
        ]
        from techdept.output import money

        pool_title = (
            t("bonus.pool_quarter_title")
            + " · "
            + t("bonus.pool_balance", balance=money(result.pool_balance))
        )
        sheets.append(
            _xlsx.sheet(
                st,
                t("xlsx.sheet.pool"),
                pool_title,
                pool_cols,
                moves,
                total_label=total,
                totals=("amount",),
            )
        )
    _xlsx.export(st, path, force, sheets)


@app.command("reverse", help=t("help.bonus.reverse"))
def reverse(
    ctx: typer.Context,
    line: Annotated[int, typer.Argument(help=t("help.bonus_opt.line"))],
    reason: Annotated[str, Opt("--reason", help=t("help.bonus_opt.reason"))],
    json: JsonOpt = False,
) -> None:
    from techdept import values
    from techdept.output import money
    from techdept.services import payouts

    st = state(ctx)
    result = payouts.reverse(
        st.ledger, st.actor, st.policy, line, values.parse_name("--reason", reason)
    )
    out = st.out(json=json)
    if out.human:
        out.line(
            t(
                "bonus.reversed",
                line=line,
                new=result.line_id,
                amount=money(result.amount_fen),
                name=result.name,
            )
        )
    else:
        out.json(line_doc(result))


@app.command("award", help=t("help.bonus.award"))
def award(
    ctx: typer.Context,
    code: Annotated[str, typer.Argument(help=t("help.arg.project_code"))],
    staff: Annotated[str, Opt("--staff", help=t("help.bonus_opt.staff"))],
    amount: Annotated[str, Opt("--amount", help=t("help.bonus_opt.amount"))],
    reason: Annotated[str, Opt("--reason", help=t("help.bonus_opt.award_reason"))],
    json: JsonOpt = False,
) -> None:
    from techdept import values
    from techdept.output import money
    from techdept.services import payouts

    st = state(ctx)
    result = payouts.award(
        st.ledger,
        st.actor,
        st.policy,
        code,
        staff,
        values.parse_amount("--amount", amount),
        values.parse_name("--reason", reason),
    )
    out = st.out(json=json)
    if out.human:
        out.line(
            t(
                "bonus.awarded",
                name=result.name,
                amount=money(result.amount_fen),
                code=result.project,
            )
        )
    else:
        out.json(line_doc(result))


@app.command("statement", help=t("help.bonus.statement"))
def statement(
    ctx: typer.Context,
    staff: Annotated[str, typer.Argument(help=t("help.arg.staff_code"))],
    year: Annotated[int | None, Opt("--year", help=t("help.bonus_opt.year"))] = None,
    json: JsonOpt = False,
    csv: CsvOpt = False,
    xlsx: XlsxOpt = None,
    force: ForceOpt = False,
) -> None:
    from techdept.output import fen_str, money
    from techdept.services import payouts

    st = state(ctx)
    _xlsx.check(xlsx, force)
    code, name, lines = payouts.statement(st.ledger, staff, year)
    waiting = payouts.owed(st.ledger, staff)
    open_docs = [line_doc(x) for x in waiting]
    sums = {
        "paid": sum(s.line.amount_fen for s in lines),
        "payable": sum(x.amount_fen for x in waiting if x.status == "payable"),
        "pending": sum(x.amount_fen for x in waiting if x.status == "pending"),
    }
    docs = [
        line_doc(s.line)
        | {
            "quarter": s.quarter,
            "grade": s.grade,
            "final": fen_str(s.final_fen),
            "run_on": s.line.run_on.isoformat(),
        }
        for s in lines
    ]
    total = sum(s.line.amount_fen for s in lines)
    out = st.out(json=json, csv=csv)
    if out.mode == "json":
        out.json(
            {
                "staff": code,
                "name": name,
                "year": year,
                "lines": docs,
                "total": fen_str(total),
                "open": open_docs,
                "totals": {k: fen_str(v) for k, v in sums.items()},
            }
        )
        return
    rows = [
        {
            "run_on": s.line.run_on.isoformat(),
            "quarter": s.quarter,
            "project": f"{s.line.project} {s.line.project_name}",
            "track": _track(s.line.track),
            "slice": s.line.slice_quarter or "",
            "role": _role(s.line.role, s.line.track, st.policy),
            "amount": money(s.line.amount_fen),
            "why": _explain(s, st.policy),
        }
        for s in lines
    ]
    title = t("bonus.statement_title", name=name, code=code, year=year or t("bonus.all_years"))
    if xlsx:
        kinds = {"run_on": "date", "amount": "money"}
        columns = [
            (k, t(f"bonus.col.{k}"), kinds.get(k, "text"))
            for k in ("run_on", "quarter", "project", "track", "slice", "role", "amount", "why")
        ]
        cells = [
            r | {"run_on": s.line.run_on, "amount": s.line.amount_fen}
            for r, s in zip(rows, lines, strict=True)
        ]
        sheet = _xlsx.sheet(st, t("xlsx.sheet.statement"), title, columns, cells,
                            total_label=t("xlsx.total"), totals=("amount",))  # fmt: skip
        _xlsx.export(st, xlsx, force, [sheet])
        return
    out.table(
        [
            ("run_on", t("bonus.col.run_on")),
            ("quarter", t("bonus.col.quarter")),
            ("project", t("bonus.col.project")),
            ("track", t("bonus.col.track")),
            ("slice", t("bonus.col.slice")),
            ("role", t("bonus.col.role")),
            ("amount", t("bonus.col.amount")),
            ("why", t("bonus.col.why")),
        ],
        rows,
        title=title,
        json_doc=docs,
        csv_rows=docs,
    )
    if waiting:
        out.table(
            [(k, t(label)) for k, label in LINE_COLUMNS],
            _line_rows(waiting, st.policy),
            title=t("bonus.statement_open_title"),
            csv_rows=open_docs,
        )
    out.line(t("bonus.statement_total", total=money(total)))
    out.line(
        t(
            "bonus.statement_split",
            paid=money(sums["paid"]),
            payable=money(sums["payable"]),
            pending=money(sums["pending"]),
        )
    )


def _explain(s: Any, policy: Any) -> str:
    from techdept.output import money

    if s.line.source == "reversal":
        return t("bonus.why_reversal", reason=s.line.reason or "")
    if s.line.source == "award":
        return t("bonus.explain_award", reason=s.line.reason or "")
    return t(
        "bonus.explain",
        grade=s.grade or "—",
        final=money(s.final_fen) if s.final_fen is not None else "—",
        role=_role(s.line.role, s.line.track, policy),
        amount=money(s.line.amount_fen),
    )


@app.command("pool", help=t("help.bonus.pool"))
def pool(ctx: typer.Context, json: JsonOpt = False, csv: CsvOpt = False) -> None:
    from techdept.output import money
    from techdept.services import payouts

    st = state(ctx)
    movements, balance = payouts.pool(st.ledger)
    out = st.out(json=json, csv=csv)
    if out.mode == "json":
        out.json({"movements": [m.to_dict() for m in movements], "balance": fen_str(balance)})
        return
    pool_table(out, movements, title=t("bonus.pool_title"))
    out.line(t("bonus.pool_balance", balance=money(balance)))


def pool_table(out: Any, movements: list[Any], *, title: str) -> None:
    """The pool's movements: date, project, track, slice, what moved it, amount."""
    from techdept.output import money

    docs = [m.to_dict() for m in movements]
    out.table(
        [
            ("on", t("bonus.col.date")),
            ("project", t("bonus.col.project")),
            ("track", t("bonus.col.track")),
            ("slice_quarter", t("bonus.col.slice")),
            ("kind", t("bonus.col.kind")),
            ("amount", t("bonus.col.amount")),
        ],
        [
            d
            | {
                "track": _track(d["track"]),
                "kind": t(f"bonus.pool_kind.{d['kind']}"),
                "amount": money(m.amount_fen),
                "slice_quarter": d["slice_quarter"] or "",
            }
            for d, m in zip(docs, movements, strict=True)
        ],
        title=title,
        csv_rows=docs,
    )
