"""The review meeting's live console (``techdept meeting``), driven headless with Textual's
pilot as the secretary would type: a whole E1 meeting, the figures on screen against
``assess show --json``, the audit rows against those ``score`` writes, a refused point, a
reason asked for, Chinese throughout, an 80×24 screen; and one run in a real terminal (tmux)."""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import subprocess
import sys
import time

import pytest
from _meeting import E1_FACTS, IMPL, add_department, new_project, show

from techdept import i18n

pytest.importorskip("textual")


def _open_e1(td, name="北岸市中级人民法院数字法庭"):
    """E1 up to the first score: project, team, facts; returns the project code."""
    code = new_project(td, name)
    td("--as", "wangjg", "team", code, *IMPL, "--lead", "zhaolei", "--engineer", "lijun:1",
       "--engineer", "zhoupeng:2", "--lead-share", "40")  # fmt: skip
    td("assess", "open", code, *IMPL, *E1_FACTS)
    return code


def _console(code, *, track="implementation", quarter=None, actor=None, lang="en"):
    from techdept.commands._common import State
    from techdept.commands.meeting import build_app

    i18n.set_lang(lang)
    state = State(actor=actor, lang=lang)
    return state, build_app(state, code, track, quarter)


def _drive(app, *keys, size=(80, 24), check=None):
    """Press ``keys`` in the running console; ``check(app)`` runs before it closes."""

    async def run():
        async with app.run_test(size=size) as pilot:
            for key in keys:
                await pilot.press(key)
            await pilot.pause()
            if check is not None:
                check(app)

    asyncio.run(run())


def _text(app, selector):
    return str(app.query_one(selector).render())


def _grid_text(app):
    from rich.console import Console

    console = Console(width=80, record=True, file=open(os.devnull, "w"))  # noqa: SIM115
    console.print(app._grid())
    return console.export_text()


E1_KEYS = ("down", "2", "8", "tab", "2", "6", "tab", "2", "7", "enter")


def test_e1_meeting_figures_equal_assess_show(td):
    add_department(td)
    code = _open_e1(td)
    state, app = _console(code)
    seen = {}

    def check(app):
        seen["figures"] = app.figures()
        seen["result"] = _text(app, "#result")
        seen["grid"] = _grid_text(app)

    try:
        _drive(app, *E1_KEYS, "q", check=check)
    finally:
        state.close()
    doc = show(td, code)
    figures = seen["figures"]
    for key in ("composite", "grade", "vetoed", "reserved", "final", "pool", "director_award"):
        assert figures[key] == doc[key], key
    assert doc["composite"] == "84.00" and doc["grade"] == "B" and doc["final"] == "5808.00"
    assert [(a["staff"], a["amount"]) for a in figures["allocations"]] == [
        (a["staff"], a["amount"]) for a in doc["allocations"]
    ]
    assert {s: v["total"] for s, v in figures["scorers"].items()} == {
        s: v["total"] for s, v in doc["scorers"].items()
    }
    # what the secretary reads on the screen
    for money in ("¥7,260.00", "¥5,808.00", "¥1,452.00", "¥1,742.40", "¥2,323.20", "¥1,161.60"):
        assert money in seen["result"], money
    assert "84.00" in seen["result"] and " B " in seen["result"]
    assert re.search(r"quality /30\s+28\s+26\s+27", seen["grid"]), seen["grid"]
    assert re.search(r"Total\s+85\s+83\s+84", seen["grid"]), seen["grid"]
    assert app.return_value == 3  # three sheets saved


def test_recomputed_as_each_number_is_typed(td):
    add_department(td)
    code = _open_e1(td)
    state, app = _console(code)
    steps = []

    async def run():
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("down", "2", "8", "tab", "2", "6", "tab", "2")
            await pilot.pause()
            steps.append(app.figures()["composite"])  # superior's quality is 2 so far
            await pilot.press("7")
            await pilot.pause()
            steps.append(app.figures()["composite"])
            await pilot.press("backspace", "backspace", "3", "0")
            await pilot.pause()
            steps.append((app.figures()["composite"], app.figures()["final"]))

    try:
        asyncio.run(run())
    finally:
        state.close()
    # 85 + 83 + (31 + 2 + 18 + 8) = 227 / 3; then 84.00; then superior quality 30: 87 → 85.00
    assert steps == ["75.67", "84.00", ("85.00", "5808.00")]
    # nothing of the third sheet was saved: the cursor never left it
    assert show(td, code)["scorers"]["superior"]["quality"] is None


def test_audit_rows_equal_those_score_writes(td):
    add_department(td)
    by_console = _open_e1(td, "控制台录入法院")
    by_score = _open_e1(td, "命令录入法院")
    state, app = _console(by_console)
    try:
        _drive(app, *E1_KEYS, "q")
    finally:
        state.close()
    for scorer, points in (("self", 28), ("sales", 26), ("superior", 27)):
        td("score", by_score, *IMPL, "--scorer", scorer, f"quality={points}")

    def rows(code):
        log = td("audit", "log", "--project", code, "--json").json()
        return [
            (r["actor"], r["action"], r["key"].replace(code, "CODE"), r["before"], r["after"])
            for r in log
            if r["action"].startswith("score.")
        ]

    console_rows = rows(by_console)
    assert len(console_rows) == 3
    assert sorted(console_rows) == sorted(rows(by_score))


def test_a_point_out_of_range_is_red_and_not_saved(td):
    add_department(td)
    code = _open_e1(td)
    state, app = _console(code)
    seen = {}

    def check(app):
        seen["message"] = app.message_text
        seen["error"] = app.message_error
        seen["col"] = app.col
        seen["cell_style"] = str(app._cell("self", "quality", current=False).style)

    try:
        # quality 31 (max 30), then try to leave the sheet for the next scorer
        _drive(app, "down", "3", "1", "tab", check=check)
    finally:
        state.close()
    assert seen["error"] and "31" in seen["message"] and "30" in seen["message"]
    assert seen["col"] == 0  # still on the self sheet
    assert "red" in seen["cell_style"]
    assert show(td, code)["scorers"]["self"]["quality"] is None
    log = td("audit", "log", "--project", code, "--json").json()
    assert not [r for r in log if r["action"].startswith("score.")]


def test_escape_restores_the_saved_point(td):
    add_department(td)
    code = _open_e1(td)
    td("score", code, *IMPL, "--scorer", "self", "quality=28")
    state, app = _console(code)
    seen = {}
    try:
        _drive(
            app, "down", "3", "9", "escape", "tab",
            check=lambda a: seen.update(text=a.live.text("self", "quality"), col=a.col),
        )  # fmt: skip
    finally:
        state.close()
    assert seen == {"text": "28", "col": 1}
    assert show(td, code)["scorers"]["self"]["quality"] == "28"


def test_a_changed_computed_point_asks_for_the_reason(td):
    add_department(td)
    code = _open_e1(td)
    state, app = _console(code)
    seen = {}
    reason = "工期提前用户致函表扬"

    async def run():
        async with app.run_test(size=(80, 24)) as pilot:
            # self: schedule 33 instead of the computed 31, quality 28; leave the sheet
            await pilot.press("3", "3", "down", "2", "8", "tab")
            await pilot.pause()
            box = app.query_one("#reason")
            seen["asking"] = box.has_class("asking") and box.has_focus
            seen["asked"] = app.message_text
            seen["col_while_asking"] = app.col
            await pilot.press("enter")  # an empty reason is refused
            await pilot.pause()
            seen["empty"] = app.message_text
            for ch in reason:
                await pilot.press(ch)
            await pilot.press("enter")
            await pilot.pause()
            seen["col_after"] = app.col
            seen["saved"] = app.message_text

    try:
        asyncio.run(run())
    finally:
        state.close()
    assert seen["asking"] and "Schedule" in seen["asked"]
    assert seen["col_while_asking"] == 0
    assert "cannot be empty" in seen["empty"]
    assert seen["col_after"] == 1 and "saved" in seen["saved"]
    doc = show(td, code)
    assert doc["scorers"]["self"]["schedule"] == "33"
    assert {"scorer": "self", "item": "schedule", "points": "33", "reason": reason} in doc[
        "reasons"
    ]
    log = td("audit", "log", "--project", code, "--action", "score.record", "--json").json()
    assert log[-1]["after"] == {"quality": "28", "schedule": f"33 ({reason})"}


def test_escape_in_the_reason_box_saves_nothing(td):
    add_department(td)
    code = _open_e1(td)
    state, app = _console(code)
    seen = {}
    try:
        _drive(app, "3", "3", "tab", "escape",
               check=lambda a: seen.update(col=a.col, msg=a.message_text))  # fmt: skip
    finally:
        state.close()
    assert seen["col"] == 0 and "not saved" in seen["msg"]
    assert show(td, code)["scorers"]["self"]["schedule"] is None


def test_an_approved_assessment_is_read_only(td):
    add_department(td)
    code = _open_e1(td)
    for scorer, points in (("self", 28), ("sales", 26), ("superior", 27)):
        td("score", code, *IMPL, "--scorer", scorer, f"quality={points}")
    td("--as", "wangjg", "assess", "approve", code, *IMPL)
    state, app = _console(code)
    seen = {}
    try:
        _drive(app, "down", "2", "tab",
               check=lambda a: seen.update(msg=a.message_text, text=a.live.text("self", "quality"),
                                           final=a.figures()["final"]))  # fmt: skip
    finally:
        state.close()
    assert "read-only" in seen["msg"] and seen["text"] == "28"
    assert seen["final"] == "5808.00"


ALLOWED_LATIN = {"P", "Tab", "Enter", "Del", "Esc", "S", "Q", "A", "B", "C", "D", "E"}


@pytest.mark.parametrize("track", ["implementation", "presales"])
def test_chinese_throughout_and_fits_80_by_24(td, track):
    add_department(td)
    if track == "implementation":
        code = _open_e1(td)
    else:
        code = new_project(td, "南湖区法院", stage="implementation.preparation",
                           complexity="simple-standard", difficulty="high")  # fmt: skip
        td("--as", "wangjg", "team", code, "--track", "presales", "--lead", "hemin",
           "--engineer", "lijun")  # fmt: skip
        td("assess", "open", code, "--track", "presales", "--planned-days", "30",
           "--actual-days", "36")  # fmt: skip
    state, app = _console(code, track=track, lang="zh")
    seen = {}

    def check(app):
        seen["texts"] = [str(w.render()) for w in app.query("Static") if w.id != "grid"]
        seen["grid"] = _grid_text(app)
        seen["regions"] = [(w.id, w.region) for w in app.query("*") if w.display]
        seen["scroll"] = app.screen.show_vertical_scrollbar or app.screen.show_horizontal_scrollbar

    try:
        keys = ["down", "2", "8", "tab", "3", "1"]  # leaves a red cell: its message too
        _drive(app, *keys, check=check)
    finally:
        state.close()
        i18n.set_lang("en")
    words = set()
    for text in [*seen["texts"], seen["grid"]]:
        text = text.replace(code, "")
        words |= set(re.findall(r"[A-Za-z]+", text))
    assert words <= ALLOWED_LATIN, words - ALLOWED_LATIN
    assert any("综合分数" in x for x in seen["texts"])
    assert not seen["scroll"]
    for name, region in seen["regions"]:
        assert region.right <= 80 and region.bottom <= 24, (name, region)
    assert all(len(line) <= 80 for line in seen["grid"].splitlines())


@pytest.mark.slow
@pytest.mark.sqlite_only
@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
def test_smoke_in_a_real_terminal(td, ledger_env, tmp_path):
    """The console in a real 80×24 terminal (tmux on its own socket): type E1, read the screen,
    quit, and find the sheets saved."""
    add_department(td)
    code = _open_e1(td)
    socket, session = str(tmp_path / "tmux.sock"), "meeting"
    env = {
        "TECHDEPT_DB": str(ledger_env),
        "TECHDEPT_LANG": "zh",
        "TECHDEPT_TODAY": "2026-11-27",
        "TERM": "xterm-256color",
    }
    exports = " ".join(f"{k}={v}" for k, v in env.items())
    done = tmp_path / "done"
    command = (
        f"env {exports} '{sys.executable}' -m techdept meeting {code} --track implementation"
        f" > {tmp_path / 'out.txt'}; echo $? > {done}"
    )
    tmux = ["tmux", "-S", socket]
    subprocess.run([*tmux, "new-session", "-d", "-s", session, "-x", "80", "-y", "24",
                    "bash", "-c", command], check=True)  # fmt: skip

    def screen() -> str:
        return subprocess.run([*tmux, "capture-pane", "-p", "-t", session],
                              capture_output=True, text=True).stdout  # fmt: skip

    def wait_for(text: str, seconds: float = 30) -> str:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            shown = screen()
            if text in shown:
                return shown
            time.sleep(0.2)
        raise AssertionError(f"{text!r} not on screen:\n{shown}")

    try:
        wait_for("综合分数")
        for keys in (["Down", "2", "8", "Tab"], ["2", "6", "Tab"], ["2", "7"]):
            subprocess.run([*tmux, "send-keys", "-t", session, *keys], check=True)
            time.sleep(0.3)
        shown = wait_for("¥5,808.00")
        assert "84.00" in shown and "¥2,323.20" in shown
        assert "方向键/Tab 移动" in shown
        assert all(len(line) <= 80 for line in shown.splitlines())
        subprocess.run([*tmux, "send-keys", "-t", session, "q"], check=True)
        end = time.monotonic() + 30
        while not done.exists() and time.monotonic() < end:
            time.sleep(0.2)
        assert done.read_text().strip() == "0"
    finally:
        subprocess.run([*tmux, "kill-server"], capture_output=True)
    assert "保存了 3 份评分" in (tmp_path / "out.txt").read_text()
    assert show(td, code)["final"] == "5808.00"


def test_without_a_terminal_it_says_to_use_score(td):
    add_department(td)
    code = _open_e1(td)
    td("meeting", code, *IMPL, expect=2, stderr="meeting needs a terminal")
    td("meeting", "P2099-999", *IMPL, expect=1, stderr="P2099-999")


def test_an_after_sales_sheet_takes_the_records_as_score_does(td):
    """Finance records the quarter's actual cost after the assessment was opened: ``score``
    takes it from the records when it saves, so the console opens on it too (not refused for
    a missing actual cost) and its figures equal ``assess show``'s after the save."""
    add_department(td)
    code = new_project(td, "东湖庭审系统", contract="2,000,000.00")
    quarter = ("--track", "aftersales", "--quarter", "2026Q4")
    td("--as", "wangjg", "project", "set", code, "--service-start", "2026-10-01",
       "--service-months", "12")  # fmt: skip
    td("--as", "wangjg", "team", code, "--track", "aftersales", "--lead", "sunhui",
       "--engineer", "lijun")  # fmt: skip
    td("--as", "sunhui", "ticket", "budget", code, "--quarter", "2026Q4", "--amount", "20000")
    opened = td("--as", "wangjg", "assess", "open", code, *quarter, "--json").json()
    assert opened["facts"]["actual_cost"] is None
    td("--as", "huangqin", "ticket", "actual", code, "--quarter", "2026Q4", "--amount", "21000")
    state, app = _console(code, track="aftersales", quarter="2026Q4")
    seen = {}
    try:
        # timeliness 35, quality 27, cost computed from the recorded actual, archiving 9
        _drive(app, "3", "5", "down", "2", "7", "down", "down", "9", "tab",
               check=lambda a: seen.update(figures=a.figures(), col=a.col))  # fmt: skip
    finally:
        state.close()
    doc = show(td, code, *quarter)
    assert seen["col"] == 1 and doc["facts"]["actual_cost"] == "21000.00"
    assert doc["scorers"]["self"]["cost"] == "18"  # +5 % over the budget
    assert seen["figures"]["scorers"]["self"]["total"] == doc["scorers"]["self"]["total"] == "89"
