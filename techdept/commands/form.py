"""``techdept form``: the signed sheets (.docx) — assessment sheets, the quarter's
after-sales sheet, the payout statement, a person's statement and the weekly pre-sales
tracking sheet."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from techdept.commands._choices import choices
from techdept.commands._common import state, track_of
from techdept.i18n import t

if TYPE_CHECKING:
    from techdept.documents.assessment import AssessmentDoc

app = typer.Typer(no_args_is_help=True)
Opt = typer.Option

OutOpt = Annotated[str, Opt("--out", help=t("help.form.opt.out"))]
ForceOpt = Annotated[bool, Opt("--force", help=t("help.form.opt.force"))]


def _docx_path(out: str, force: bool) -> Path:
    from techdept.errors import Invalid, Refused

    path = Path(out)
    if path.is_dir():
        raise Invalid("FormOutIsDirectory", path=out)
    if path.suffix.lower() != ".docx":
        raise Invalid("FormOutNotDocx", path=out)
    if path.exists() and not force:
        raise Refused("FormOutExists", path=out)
    return path


def _save(
    draw: Callable[[Any, str | None], Any], sheet: Any, path: Path, company: str | None = None
) -> Path:
    """Draw the sheet (``company``: the company's name for its title line, from
    ``config set company``) and write it to ``path`` (``_write``)."""
    return _write(path, _drawn(draw, sheet, company))


def _drawn(draw: Callable[[Any, str | None], Any], sheet: Any, company: str | None) -> bytes:
    import io

    buffer = io.BytesIO()
    draw(sheet, company).write(buffer)
    return buffer.getvalue()


def _write(path: Path, data: bytes) -> Path:
    """Write a drawn sheet next to ``path``, then move it in place: a failed write never
    leaves half a file under the name asked for. The temporary file has an unguessable name
    and is created new (``O_EXCL``: a planted file or symlink is never followed), mode 0600
    like the ledger, and is on the disk (fsync) before it takes the name."""
    import secrets

    from techdept.errors import Invalid

    tmp = path.with_name(f".{path.name}.{secrets.token_hex(8)}.tmp")
    created = False
    try:
        fd = os.open(
            tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY | getattr(os, "O_NOFOLLOW", 0), 0o600
        )
        created = True
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        if created:
            tmp.unlink(missing_ok=True)
        raise Invalid("FormCannotWrite", path=str(path), reason=exc.strerror or str(exc)) from None
    return path


def _progress(total: int, enabled: bool):  # type: ignore[no-untyped-def]
    """A Rich progress bar on a terminal; nothing when piped."""
    if not enabled:
        return None
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    progress = Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), transient=True
    )
    progress.start()
    progress.add_task(t("form.cli.progress"), total=total)
    return progress


def _file_name(doc: AssessmentDoc) -> str:
    parts = [doc.project, doc.track]
    if doc.quarter:
        parts.append(doc.quarter)
    return "-".join(parts) + ".docx"


def _all(st: Any, quarter: str, out: str, force: bool) -> list[Path]:
    from techdept.errors import Invalid, NotFound, Refused
    from techdept.forms.context import aftersales_context, assessment_context
    from techdept.services import forms
    from techdept.values import parse_quarter

    folder = Path(out)
    if folder.exists() and not folder.is_dir():
        raise Invalid("FormOutNotDirectory", path=out)
    sheets = forms.quarter_sheets(st.ledger, parse_quarter(quarter))
    company = forms.company(st.ledger)
    if not sheets.single and not sheets.aftersales:
        raise NotFound("FormNothingApproved", quarter=sheets.quarter)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise Invalid("FormCannotWrite", path=out, reason=exc.strerror or str(exc)) from None
    jobs: list[tuple[Any, Path]] = [
        (assessment_context(s.doc, s.policy, st.lang), folder / _file_name(s.doc))
        for s in sheets.single
    ]
    if sheets.aftersales:
        jobs.append(
            (
                aftersales_context(
                    [s.doc for s in sheets.aftersales],
                    sheets.aftersales[0].policy,
                    sheets.quarter,
                    st.lang,
                    manager=sheets.manager,
                ),
                folder / f"aftersales-{sheets.quarter}.docx",
            )
        )
    there = [str(path) for _, path in jobs if path.exists()]
    if there and not force:
        raise Refused("FormOutExists", path=", ".join(there))
    progress = _progress(len(jobs), sys.stdout.isatty() and not st.plain)
    try:
        return _write_all(jobs, company, progress)
    finally:
        if progress is not None:
            progress.stop()


def _write_all(jobs: list[tuple[Any, Path]], company: str | None, progress: Any) -> list[Path]:
    """Draw the sheets one after the other and write each as it is drawn (``_write``) on a
    few threads, so waiting for the disk (a sync per file) overlaps the drawing of the next
    sheets. The first sheet that cannot be written stops the run, as one writer would."""
    from collections import deque
    from concurrent.futures import Future, ThreadPoolExecutor

    from techdept.forms.render import draw_assessment

    pending: deque[Future[Path]] = deque()
    written: list[Path] = []

    def settle(block: bool) -> None:
        while pending and (block or pending[0].done()):
            written.append(pending.popleft().result())  # a write's error is raised here
            if progress is not None:
                progress.advance(progress.task_ids[0])

    with ThreadPoolExecutor(max_workers=4) as pool:
        try:
            for sheet, path in jobs:
                pending.append(pool.submit(_write, path, _drawn(draw_assessment, sheet, company)))
                settle(block=False)
            settle(block=True)
        except BaseException:
            for future in pending:
                future.cancel()
            raise
    return written


@app.command("assessment", help=t("help.form.assessment"))
def assessment(
    ctx: typer.Context,
    out: OutOpt,
    code: Annotated[str | None, typer.Argument(help=t("help.form.arg.code"))] = None,
    track: Annotated[
        str | None,
        Opt("--track", help=choices("help.form.opt.track", "track", "--track")),
    ] = None,
    quarter: Annotated[str | None, Opt("--quarter", help=t("help.form.opt.quarter"))] = None,
    every: Annotated[bool, Opt("--all", help=t("help.form.opt.all"))] = False,
    force: ForceOpt = False,
) -> None:
    from techdept.errors import UsageError

    st = state(ctx)
    output = st.out()
    if every:
        if code is not None:
            raise UsageError("FormCodeWithAll")
        if quarter is None:
            raise UsageError("FormAllNeedsQuarter")
        written = _all(st, quarter, out, force)
        for path in written:
            output.line(str(path))
        output.line(t("form.cli.written_all", count=len(written), path=out))
        return
    if code is None:
        raise UsageError("FormCodeRequired")
    if track is None:
        raise UsageError("FormTrackRequired")
    from techdept.forms.context import assessment_context
    from techdept.forms.render import draw_assessment
    from techdept.services import forms

    track = track_of(st, track).key
    path = _docx_path(out, force)
    source = forms.assessment_sheet(st.ledger, code, track, quarter)
    sheet = assessment_context(source.doc, source.policy, st.lang)
    _save(draw_assessment, sheet, path, forms.company(st.ledger))
    output.line(t("form.cli.written", path=str(path)))


@app.command("payout", help=t("help.form.payout"))
def payout(
    ctx: typer.Context,
    quarter: Annotated[str, Opt("--quarter", help=t("help.form.opt.quarter"))],
    out: OutOpt,
    force: ForceOpt = False,
) -> None:
    from techdept.forms.context import payout_context
    from techdept.forms.render import draw_list
    from techdept.services import forms
    from techdept.values import parse_quarter

    st = state(ctx)
    path = _docx_path(out, force)
    doc, head = forms.payout_document(st.ledger, st.policy, parse_quarter(quarter))
    sheet = payout_context(doc, st.lang, policy=st.policy, audit_head=head)
    _save(draw_list, sheet, path, forms.company(st.ledger))
    st.out().line(t("form.cli.written", path=str(path)))


@app.command("statement", help=t("help.form.statement"))
def statement(
    ctx: typer.Context,
    staff: Annotated[str, typer.Argument(help=t("help.form.arg.staff"))],
    out: OutOpt,
    year: Annotated[int | None, Opt("--year", help=t("help.form.opt.year"))] = None,
    force: ForceOpt = False,
) -> None:
    from techdept.forms.context import statement_context
    from techdept.forms.render import draw_list
    from techdept.services import audit, forms

    st = state(ctx)
    path = _docx_path(out, force)
    doc = forms.statement_document(st.ledger, staff, year)
    row, digest = audit.head(st.ledger)
    sheet = statement_context(doc, st.lang, policy=st.policy, audit_head=f"{row} · {digest}")
    _save(draw_list, sheet, path, forms.company(st.ledger))
    st.out().line(t("form.cli.written", path=str(path)))


@app.command("tracking", help=t("help.form.tracking"))
def tracking(
    ctx: typer.Context,
    out: OutOpt,
    week: Annotated[str | None, Opt("--week", help=t("help.form.opt.week"))] = None,
    force: ForceOpt = False,
) -> None:
    from techdept.forms.context import tracking_context
    from techdept.forms.render import draw_tracking
    from techdept.services import forms

    st = state(ctx)
    path = _docx_path(out, force)
    doc = forms.tracking_document(st.ledger, week)
    _save(draw_tracking, tracking_context(doc, st.lang), path, forms.company(st.ledger))
    st.out().line(t("form.cli.written", path=str(path)))


@app.command("monthly", help=t("help.form.monthly"))
def monthly(
    ctx: typer.Context,
    out: OutOpt,
    month: Annotated[str, Opt("--month", help=t("help.monthly.opt.month"))],
    force: ForceOpt = False,
) -> None:
    from techdept.forms.monthly import monthly_context
    from techdept.forms.render import draw_list
    from techdept.services import forms
    from techdept.services.monthly import month_view

    st = state(ctx)
    path = _docx_path(out, force)
    view = month_view(st.ledger, st.policy, month)
    sheet = monthly_context(view.to_json(), st.lang, st.policy)
    _save(draw_list, sheet, path, forms.company(st.ledger))
    st.out().line(t("form.cli.written", path=str(path)))
