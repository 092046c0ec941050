"""The payout lines in the user's language: a track and a position by name, why a line is in
the list (paid, payable now, waiting, a reversal, a clawback), and the tables' columns. Shared
by ``bonus --quarter``, ``bonus statement`` and their workbooks."""

from __future__ import annotations

from functools import cache
from typing import Any

from techdept.i18n import lang, t
from techdept.output import money

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


def track(key: str | None) -> str:
    return t(f"track.{key}") if key else ""


def role(key: str, track_key: str | None, policy: Any) -> str:
    """The person's position on the line as the policy names it (``lead_role`` and
    ``engineer_role`` of the track: 项目经理 for an implementation lead, and so on); a
    director's award, an extra award or the pool by what it is."""
    from techdept.i18n import has

    tp = policy.tracks.get(track_key) if track_key else None
    position = {"lead": tp.lead_role, "engineer": tp.engineer_role}.get(key) if tp else None
    if position and has(f"position.{position}"):
        return t(f"position.{position}")
    return t(f"bonus.role.{key}")


_WHY_KEYS = ("bonus.why_reversal", "bonus.why_clawback", "bonus.why_difference",
             "bonus.why_paid", "bonus.why_no_final", "bonus.why_award", "bonus.why")  # fmt: skip


def words(line: Any) -> tuple[str, str | None]:
    """Why a line is in the list (paid, payable now, waiting, a reversal, a clawback) and, for
    a re-approved share, why it pays a difference or is clawed back (else None): what
    ``PayoutLine.to_json(words)`` adds, in the user's language."""
    return _words_in(lang())(line)


def why(line: Any) -> str:
    return words(line)[0]


@cache
def _words_in(language: str) -> Any:  # per language: one process may show both
    """``words`` with its templates looked up once (it runs once per line of a quarter)."""
    tpl = {key: t(key) for key in _WHY_KEYS}

    def worded(line: Any) -> tuple[str, str | None]:
        if line.source == "reversal":
            return tpl["bonus.why_reversal"].format(reason=line.reason or ""), None
        if line.paid:
            status = tpl["bonus.why_paid"].format(on=line.run_on or "")
        elif line.final_paid_on is None:
            status = tpl["bonus.why_no_final"].format(approved=line.approved_on)
        else:
            key = "bonus.why_award" if line.source == "award" else "bonus.why"
            status = tpl[key].format(approved=line.approved_on, final=line.final_paid_on)
        before = line.paid_before_fen
        if before is None:
            return status, None
        key = "bonus.why_clawback" if line.clawback else "bonus.why_difference"
        diff = tpl[key].format(entitled=money(line.entitled_fen), paid=money(before))
        return (f"{diff}; {status}" if status else diff), diff

    return worded


def line_rows(lines: list[Any], policy: Any) -> list[dict[str, str]]:
    """Lines as the terminal table shows them (``LINE_COLUMNS``)."""
    return [
        {
            "line": str(x.line_id or ""),
            "project": x.project,
            "track": track(x.track),
            "slice": x.slice_quarter or "",
            "person": f"{x.name} ({x.staff})",
            "role": role(x.role, x.track, policy),
            "amount": money(x.amount_fen),
            "status": t(f"bonus.status.{x.status}"),
            "why": why(x),
        }
        for x in lines
    ]
