"""``techdept meeting``: the review meeting's live sheet in the terminal (Textual).

One column per scorer, one row per rubric item; the objective items show the value computed
from the facts; below, the composite, grade, veto, final bonus and split, recomputed by the
rules engine from the typed cells on every keystroke. Leaving a scorer's column saves that
scorer's sheet in one transaction through ``assessment.record_scores`` — the service of
``techdept score``. Keyboard only; every word comes from the i18n catalogues.

Imported only by the ``meeting`` command: nothing else pays for Textual.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from rich import box
from rich.table import Table
from rich.text import Text
from textual import events
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import Input, Static

from techdept.console.sheet import LiveSheet
from techdept.errors import TechdeptError
from techdept.i18n import lang, t
from techdept.output import money
from techdept.rules import Evaluation, decimal_str
from techdept.services.meeting import MeetingSheet

EDIT_KEYS = set("0123456789.")


def _label(labels: dict[str, str], key: str) -> str:
    return labels.get(lang()) or labels.get("zh") or key


def _num(value: Decimal | None) -> str:
    return "—" if value is None else decimal_str(value)


class Grid(Static, can_focus=True):
    """The score table; it owns the cursor and the typing."""

    def on_key(self, event: events.Key) -> None:
        app = self.app
        assert isinstance(app, MeetingApp)
        if app.handle_key(event.key, event.character):
            event.stop()
            event.prevent_default()


class MeetingApp(App[int]):
    """The live sheet of one assessment. Returns the number of sheets saved."""

    ENABLE_COMMAND_PALETTE = False
    CSS = """
    Screen { layout: vertical; overflow: hidden; }
    #title { height: 1; text-style: bold; }
    #facts { height: auto; color: $text-muted; }
    #grid { height: auto; }
    #bands { height: auto; min-height: 2; }
    #result { height: auto; }
    #message { height: 1; }
    #reason { height: 1; border: none; padding: 0 1; display: none; }
    #reason.asking { display: block; }
    #keys { dock: bottom; height: auto; background: $panel; }
    """
    BINDINGS = [  # noqa: RUF012 (Textual's own declaration style)
        Binding("ctrl+q", "leave", show=False, priority=True),
        Binding("ctrl+c", "leave", show=False, priority=True),
    ]

    def __init__(self, sheet: MeetingSheet, *, save: Callable[..., dict[str, Any]]) -> None:
        super().__init__()
        self.sheet = sheet
        self.live = LiveSheet(sheet)
        self._save = save
        self.row = 0
        self.col = 0
        self.fresh = True  # the next digit replaces the cell's text
        self.saved_count = 0
        self.message_text = ""
        self.message_error = False
        self._pending: Callable[[], None] | None = None
        self._discard_armed = False
        self.has_rows = set(sheet.recorded)
        self.evaluation: Evaluation = self.live.evaluate()
        self._lines: dict[str, int] = {}  # each part's height when last shown
        self._said = False
        self._bands_key: tuple[int, int] | None = None

    # ------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        yield Static(id="title")
        yield Static(id="facts")
        yield Grid(id="grid")
        yield Static(id="bands")
        yield Static(id="result")
        yield Static(id="message")
        yield Input(id="reason", placeholder=t("console.reason_placeholder"))
        yield Static(id="keys")

    def on_mount(self) -> None:
        self.title = t("console.window_title", code=self.sheet.code)
        self.query_one("#title", Static).update(self._title_text())
        self.query_one("#facts", Static).update(self._facts_text())
        self.query_one("#keys", Static).update(Text(t("console.keys"), no_wrap=False))
        if not self.sheet.editable:
            self.say(t("console.read_only", status=t(f"meeting.status.{self.sheet.status}")))
        self.query_one(Grid).focus()
        self.refresh_sheet()

    # ------------------------------------------------------------ where the cursor is

    @property
    def scorer(self) -> str:
        return self.sheet.scorers[self.col]

    @property
    def item(self) -> str:
        return self.live.item_keys[self.row]

    # ------------------------------------------------------------ keys

    def handle_key(self, key: str, character: str | None) -> bool:
        """One key on the grid; True when it was ours."""
        self._discard_armed = key in ("q", "ctrl+q") and self._discard_armed
        if key in ("up", "down"):
            self._move_row(-1 if key == "up" else 1)
        elif key in ("left", "shift+tab"):
            self._go_column(self.col - 1)
        elif key in ("right", "tab"):
            self._go_column(self.col + 1)
        elif key == "enter":
            if self.row + 1 < len(self.live.item_keys):
                self._move_row(1)
            elif self.col + 1 < len(self.sheet.scorers):
                self._go_column(self.col + 1, first_row=True)
            else:
                self._leave_sheet(lambda: None)
        elif character is not None and character in EDIT_KEYS:
            self._type(character)
        elif key == "backspace":
            self._edit(lambda text: "" if self.fresh else text[:-1])
        elif key == "delete":
            self._edit(lambda _text: "")
        elif key == "escape":
            self.live.revert(self.scorer, self.item)
            self.fresh = True
            self.say("")
            self.refresh_sheet()
        elif key == "ctrl+s":
            self._leave_sheet(lambda: None)
        elif key == "q":
            self.action_leave()
        else:
            return False
        return True

    def _move_row(self, step: int) -> None:
        self.row = max(0, min(len(self.live.item_keys) - 1, self.row + step))
        self.fresh = True
        self.refresh_sheet()

    def _go_column(self, col: int, *, first_row: bool = False) -> None:
        if not 0 <= col < len(self.sheet.scorers) or col == self.col:
            return

        def move() -> None:
            self.col = col
            if first_row:
                self.row = 0
            self.fresh = True
            self.refresh_sheet()

        self._leave_sheet(move)

    def _type(self, character: str) -> None:
        self._edit(lambda text: character if self.fresh else text + character)

    def _edit(self, change: Callable[[str], str]) -> None:
        if not self.sheet.editable:
            self.say(t("console.read_only", status=t(f"meeting.status.{self.sheet.status}")), True)
            return
        text = change(self.live.text(self.scorer, self.item))
        self.live.set_text(self.scorer, self.item, text[:6])
        self.fresh = False
        error = self.live.error(self.scorer, self.item)
        if error is not None:
            self.say(self._message(error) + " — " + t("console.not_saved"), True)
        else:
            self.say("")
        self.refresh_sheet()

    # ------------------------------------------------------------ saving a scorer's sheet

    def _leave_sheet(self, then: Callable[[], None]) -> None:
        """Save the current scorer's sheet if it changed (asking a reason when an objective
        item was overridden), then do ``then``; refused points keep the cursor here."""
        scorer = self.scorer
        if not self.sheet.editable or not self.live.changed(scorer):
            then()
            return
        refused = self.live.refused(scorer)
        if refused:
            item, error = refused[0]
            self.row = self.live.item_keys.index(item)
            self.say(self._message(error) + " — " + t("console.fix_first"), True)
            self.refresh_sheet()
            return
        if self.live.needs_reason(scorer) and self._pending is None:
            self._ask_reason(then)
            return
        self._store(scorer, then)

    def _ask_reason(self, then: Callable[[], None]) -> None:
        self._pending = then
        changed = [
            _label(i["label"], i["key"])
            for i in self.sheet.items
            if self.live.overridden(self.scorer, i["key"])
        ]
        self.say(
            t("console.reason_asked", scorer=t(f"scorer.{self.scorer}"), items="、".join(changed))
        )
        box_ = self.query_one("#reason", Input)
        box_.value = self.live.reasons.get(self.scorer, "")
        box_.add_class("asking")
        box_.focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        reason = event.value.strip()
        if not reason:
            self.say(t("console.reason_empty"), True)
            return
        self.live.reasons[self.scorer] = reason
        then = self._pending or (lambda: None)
        self._close_reason()
        self._store(self.scorer, then)
        self._pending = None

    def on_key(self, event: events.Key) -> None:
        """Escape in the reason box: back to the sheet, nothing saved."""
        box_ = self.query_one("#reason", Input)
        if event.key == "escape" and box_.has_class("asking"):
            self._pending = None
            self._close_reason()
            self.say(t("console.not_saved"), True)
            event.stop()

    def _close_reason(self) -> None:
        box_ = self.query_one("#reason", Input)
        box_.remove_class("asking")
        self.query_one(Grid).focus()

    def _store(self, scorer: str, then: Callable[[], None]) -> None:
        entries = self.live.entries(scorer)
        if not entries and scorer not in self.has_rows:
            self.live.mark_saved(scorer)  # only computed values typed: nothing to record
            then()
            self.refresh_sheet()
            return
        reason = self.live.reason_for(scorer)
        try:
            self._save(scorer, entries, reason)
        except TechdeptError as exc:
            self.say(self._message(exc), True)
            self.refresh_sheet()
            return
        self.live.mark_saved(scorer)
        if entries:
            self.has_rows.add(scorer)
        else:
            self.has_rows.discard(scorer)
        self.saved_count += 1
        self.say(t("console.saved", scorer=t(f"scorer.{scorer}")))
        then()
        self.refresh_sheet()

    def action_leave(self) -> None:
        """Save the current sheet and quit; when it cannot be saved, a second press quits
        without it."""
        if self.query_one("#reason", Input).has_class("asking"):
            return
        if self._discard_armed or not self.sheet.editable or not self.live.changed(self.scorer):
            self.exit(self.saved_count)
            return
        quitting: list[bool] = []

        def quit_() -> None:
            quitting.append(True)
            self.exit(self.saved_count)

        self._leave_sheet(quit_)
        if not quitting:
            self._discard_armed = True
            if self.message_error:
                self.say(self.message_text + " " + t("console.quit_again"), True)

    # ------------------------------------------------------------ drawing

    def _message(self, exc: TechdeptError) -> str:
        """The error in the user's words: the item's label and the scorer's name, not keys."""
        params = dict(exc.params)
        if isinstance(params.get("item"), str):
            params["item"] = _item_label(self.sheet, params["item"])
        if params.get("scorer") in self.sheet.scorers:
            params["scorer"] = t(f"scorer.{params['scorer']}")
        return t(exc.key, **params)

    def say(self, text: str, error: bool = False) -> None:
        if (text, error) == (self.message_text, self.message_error) and self._said:
            return  # unchanged: nothing to repaint
        self.message_text, self.message_error = text, error
        if self.is_mounted:
            self._said = True
            style = "bold red" if error else "green"
            message = Text(text, style=style, no_wrap=True)
            self.query_one("#message", Static).update(message, layout=False)  # one line

    @property
    def is_mounted(self) -> bool:
        return bool(self.screen_stack) and bool(self.query("#message"))

    def refresh_sheet(self) -> None:
        """Recompute the assessment from the cells (pure, in memory) and redraw: no ledger
        query, and no layout pass unless a part's height changed (the grid has one line per
        item whatever is typed; the bands change only with the row), so a keystroke costs the
        rules' evaluation and repainting the parts that changed."""
        self.evaluation = self.live.evaluate()
        self._show("#grid", self._grid(), 3 + len(self.sheet.items))
        bands_key = (self.row, self.size.width)
        if self._bands_key != bands_key:
            self._bands_key = bands_key
            bands = self._bands()
            self._show("#bands", bands, bands.plain.count("\n") + 1)
        result = self._result()
        self._show("#result", result, result.plain.count("\n") + 1)

    def _show(self, selector: str, content: Any, lines: int) -> None:
        """Update one part; lay the screen out again only when its number of lines changed."""
        same = self._lines.get(selector) == lines
        self._lines[selector] = lines
        self.query_one(selector, Static).update(content, layout=not same)

    def _title_text(self) -> Text:
        doc = self.sheet.doc
        quarter = f" {doc['quarter']}" if doc.get("quarter") else ""
        return Text(
            f"{doc['project']} {doc.get('project_name', '')} · "
            f"{t('track.' + doc['track'])}{quarter} · {t('meeting.status.' + doc['status'])}",
            no_wrap=True,
            overflow="ellipsis",
        )

    def _facts_text(self) -> Text:
        facts = self.sheet.doc["facts"]
        parts = []
        if facts.get("planned_days") is not None:
            parts.append(
                t("meeting.label.days")
                + " "
                + t("meeting.days", planned=facts["planned_days"], actual=facts["actual_days"])
            )
        if facts.get("budget") is not None:
            parts.append(
                t("meeting.label.cost")
                + " "
                + t(
                    "meeting.cost",
                    budget=_money_text(facts["budget"]),
                    actual=_money_text(facts["actual_cost"]),
                )
            )
        if facts.get("ia_deducted") is not None:
            parts.append(
                t("meeting.label.internal_acceptance")
                + " "
                + t(
                    "meeting.internal_acceptance",
                    deducted=facts["ia_deducted"],
                    late=facts["ia_late_days"],
                )
            )
        flags = [t(f"flag.{f}") for f in ("complaint", "poor_evaluation") if facts.get(f)]
        if flags:
            parts.append(t("meeting.label.flags") + " " + "、".join(flags))
        return Text("   ".join(parts) or "—")

    def _grid(self) -> Table:
        live, ev = self.live, self.evaluation
        table = Table(
            box=box.SIMPLE_HEAD, padding=(0, 1), pad_edge=False, show_edge=False, expand=False
        )
        table.add_column(t("meeting.label.item"), no_wrap=True, overflow="ellipsis", max_width=22)
        table.add_column(t("meeting.label.computed"), justify="right", no_wrap=True)
        for col, scorer in enumerate(self.sheet.scorers):
            mark = "*" if live.changed(scorer) else ""
            style = "bold reverse" if col == self.col else "bold"
            table.add_column(
                Text(t(f"console.scorer.{scorer}") + mark, style=style),
                justify="right",
                no_wrap=True,
            )
        table.add_column(t("console.mean"), justify="right", no_wrap=True)
        for row, item in enumerate(self.sheet.items):
            key = item["key"]
            cells: list[Any] = [
                Text(f"{_label(item['label'], key)} /{item['max']}"),
                Text(item["computed"] or "", style="cyan"),
            ]
            for col, scorer in enumerate(self.sheet.scorers):
                cells.append(self._cell(scorer, key, row == self.row and col == self.col))
            cells.append(Text(_num(ev.item_means.get(key)) if key in ev.item_means else ""))
            table.add_row(*cells)
        totals = [Text(t("meeting.label.total"), style="bold"), Text("")]
        for scorer in self.sheet.scorers:
            full = scorer in ev.totals and scorer not in ev.missing_scores
            total = _num(ev.totals[scorer]) if full else "—"
            totals.append(Text(total, style="bold"))
        totals.append(Text(""))
        table.add_row(*totals, end_section=False)
        return table

    def _cell(self, scorer: str, key: str, current: bool) -> Text:
        live = self.live
        text = live.text(scorer, key)
        if live.error(scorer, key) is not None:
            cell = Text(text, style="bold white on red" if current else "bold red")
        elif text:
            style = "yellow" if live.cells[(scorer, key)].changed else ""
            if live.overridden(scorer, key):
                style += " underline"
            cell = Text(text, style=style.strip())
        elif key in live.computed and scorer in self.evaluation.sheets:
            cell = Text(decimal_str(live.computed[key]), style="dim")
        else:
            cell = Text("·", style="dim")
        if current:
            cell.stylize("reverse")
            if not cell.plain.strip():
                cell = Text(" ", style="reverse")
        return cell

    def _bands(self) -> Text:
        item = self.sheet.items[self.row]
        out = Text()
        head = f"{_label(item['label'], item['key'])} 0–{item['max']}"
        if item["computed"] is not None:
            head += "  " + t("console.computed_value", value=item["computed"])
        out.append(head, style="bold")
        for band in item["bands"]:
            words = band.get(lang()) or band.get("zh") or ""
            line = Text(f"\n  {band['points']:>6}  {words}", no_wrap=True, overflow="ellipsis")
            line.truncate(max(20, self.size.width - 1) if self.size.width else 79)
            out.append_text(line)
        return out

    def _result(self) -> Text:
        ev = self.evaluation
        out = Text()
        if not ev.complete:
            missing = [
                t(f"scorer.{s}")
                + (
                    "（" + "、".join(_item_label(self.sheet, i) for i in items) + "）"
                    if s in ev.sheets
                    else ""
                )
                for s, items in ev.missing_scores.items()
            ]
            out.append(
                t("meeting.label.missing") + "：" + "；".join(missing) + "\n", style="yellow"
            )
        grade = ev.grade or "—"
        share = f"{decimal_str(ev.share)} %" if ev.share is not None else "—"
        out.append(f"{t('meeting.label.composite')} ", style="bold")
        out.append(_num(ev.composite), style="bold cyan")
        out.append(f"  {t('meeting.label.grade')} ", style="bold")
        out.append(grade, style="bold cyan")
        out.append(f"  {t('meeting.label.share')} {share}")
        out.append(f"  {t('meeting.label.veto')} ")
        out.append(self._veto(ev), style="bold red" if ev.vetoed else "")
        sliced = self.sheet.policy.track(self.sheet.track).sliced  # after-sales: a quarter's slice
        reserved = "slice" if sliced else "reserved"
        out.append(
            f"\n{t('meeting.label.' + reserved)} {money(ev.reserved)}  {t('meeting.label.final')} "
        )
        out.append(money(ev.final), style="bold green")
        out.append(
            f"  {t('console.pool')} {money(ev.pool)}  "
            f"{t('console.award')} {money(ev.director_award)}"
        )
        if ev.allocations:
            parts = [
                f"{self.sheet.names.get(a.staff, a.staff)} {self._position(a.role)} "
                f"{money(a.amount)}"
                for a in ev.allocations
            ]
            out.append(f"\n{t('console.split')}：" + " · ".join(parts))
        return out

    def _position(self, role: str) -> str:
        key = (self.sheet.doc.get("positions") or {}).get(role)
        return t(f"position.{key}") if key else t(f"meeting.role.{role}")

    def _veto(self, ev: Evaluation) -> str:
        if not ev.veto_reasons:
            return "—"
        out = []
        for reason in ev.veto_reasons:
            if reason in self.live.item_keys:
                out.append(t("meeting.veto_item", item=_item_label(self.sheet, reason)))
            else:
                out.append(t(f"flag.{reason}"))
        return "；".join(out)

    # ------------------------------------------------------------ for tests and the summary

    def figures(self) -> dict[str, Any]:
        """The figures on screen, in the shape of ``assess show --json``."""
        ev = self.evaluation

        def fen(value: int | None) -> str | None:
            from techdept.output import fen_str

            return fen_str(value)

        return {
            "scorers": {
                s: {"total": _num(ev.totals[s]) if s in ev.totals else None}
                for s in self.sheet.scorers
            },
            "composite": None if ev.composite is None else decimal_str(ev.composite),
            "grade": ev.grade,
            "vetoed": ev.vetoed,
            "reserved": fen(ev.reserved),
            "final": fen(ev.final),
            "pool": fen(ev.pool),
            "director_award": fen(ev.director_award),
            "allocations": [
                {"staff": a.staff, "role": a.role, "amount": fen(a.amount)} for a in ev.allocations
            ],
        }


def _item_label(sheet: MeetingSheet, key: str) -> str:
    item = next((i for i in sheet.items if i["key"] == key), None)
    return _label(item["label"], key) if item else key


def _money_text(text: str | None) -> str:
    from techdept.output import money_text

    return money_text(text)
