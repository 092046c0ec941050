"""The free text the paper sheets ask for, kept with the assessment as typed: the reason for
the schedule (工期提前或滞后原因) and for the cost (费用超支或节约原因), the project overview
(工程概况) and the review opinion (审核意见). A text not given leaves the sheet to write its
own; an empty text takes a given one back. The text itself is checked at the edge
(``values.parse_name``: no control or bidi characters, at most 200 characters)."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from sqlmodel import Session

from techdept.errors import Refused
from techdept.ledger import audit
from techdept.ledger.models import Assessment
from techdept.rules import Policy

# Text → the option that gives it, and the kind of rubric item a sheet needs to print it
# (None: every sheet prints it).
TEXT_OPTIONS = {
    "schedule_reason": "--schedule-reason",
    "cost_reason": "--cost-reason",
    "overview": "--overview",
    "review_opinion": "--opinion",
}
NEEDS_ITEM = {"schedule_reason": "schedule", "cost_reason": "cost"}


@dataclass(frozen=True)
class TextsGiven:
    """Texts typed at ``assess open|set`` (or the opinion at ``assess approve``): None = not
    given, "" = take the text back."""

    schedule_reason: str | None = None
    cost_reason: str | None = None
    overview: str | None = None
    review_opinion: str | None = None

    def given(self) -> dict[str, str]:
        return {
            f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name) is not None
        }


def check_texts(policy: Policy, track: str, texts: TextsGiven) -> None:
    """A text the track's sheet has no place for is refused, not stored unseen."""
    kinds = {item.kind for item in policy.track(track).items}
    for name in texts.given():
        needed = NEEDS_ITEM.get(name)
        if needed is not None and needed not in kinds:
            raise Refused("FactNotApplicable", option=TEXT_OPTIONS[name], track=track)


def texts_of(a: Assessment) -> dict[str, str | None]:
    return {name: getattr(a, name) for name in TEXT_OPTIONS}


def apply_texts(a: Assessment, texts: TextsGiven) -> None:
    """Set the texts given on the assessment ("" takes a text back)."""
    for name, value in texts.given().items():
        setattr(a, name, value or None)


def record_texts(
    session: Session, actor: str, a: Assessment, before: dict[str, Any], key: str, project: str
) -> None:
    """Audit a change of the texts (language-independent: the texts as typed)."""
    after = texts_of(a)
    if after != before:
        changed = [name for name in TEXT_OPTIONS if after[name] != before[name]]
        audit.record(
            session,
            actor,
            "assessment.texts",
            "assessment",
            key,
            before={name: before[name] for name in changed},
            after={name: after[name] for name in changed},
            project=project,
        )
