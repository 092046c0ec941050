"""The payout lines in the user's language: a track and a position by name, why a line is in
the list (paid, payable now, waiting, a reversal, a clawback), and the tables' columns. Shared
by ``bonus --quarter``, ``bonus statement`` and their workbooks."""

from __future__ import annotations

from functools import cache
from typing import Any

from techdept.i18n import t
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


def _template(key: str) -> str:
    from techdept.i18n import lang

    return _worded(key, lang())


@cache
def _worded(key: str, lang: str) -> str:  # per language: one process may show both
    return t(key)


def difference(line: Any) -> str | None:
    """Why a re-approved share pays a difference or is clawed back, or None."""
    before = line.paid_before_fen
    if before is None:
        return None
    key = "bonus.why_clawback" if line.clawback else "bonus.why_difference"
    return _template(key).format(entitled=money(line.entitled_fen), paid=money(before))


def why(line: Any) -> str:
    """Why a line is in the list (paid, payable now, waiting, a reversal, a clawback)."""
    if line.source == "reversal":
        return _template("bonus.why_reversal").format(reason=line.reason or "")
    diff = difference(line)
    if diff is not None:
        status = _why_status(line)
        return f"{diff}; {status}" if status else diff
    return _why_status(line)


def _why_status(line: Any) -> str:
    if line.paid:
        return _template("bonus.why_paid").format(on=line.run_on or "")
    if line.final_paid_on is None:
        return _template("bonus.why_no_final").format(approved=line.approved_on)
    key = "bonus.why_award" if line.source == "award" else "bonus.why"
    return _template(key).format(approved=line.approved_on, final=line.final_paid_on)


def words(line: Any) -> tuple[str, str | None]:
    """What ``PayoutLine.to_json(words)`` adds: why the line is listed, and the difference."""
    return why(line), difference(line)


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
