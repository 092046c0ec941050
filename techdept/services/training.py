"""Trainings of the customer's staff (seed 2.3.6, 1.3.10): a plan (date, topic, trainer), the
sign-in of those who attended (培训签到表) and their feedback (培训反馈表). A training with at
least one sign-in and one feedback is what satisfies the ``training-records`` deliverable."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlmodel import Session, col, select

from techdept import clock
from techdept.errors import Invalid, NotFound, Refused
from techdept.ledger import audit
from techdept.ledger.engine import Ledger
from techdept.ledger.models import Project, Staff, Training, TrainingAttendee, TrainingFeedback
from techdept.services import actors
from techdept.services.projects import find as find_project
from techdept.services.staff import find as find_staff

DELIVERABLE = "training-records"
_ID = re.compile(r"^(?:T-?)?(\d{1,9})$", re.I)


@dataclass(frozen=True)
class TrainingView:
    id: int
    project: str
    held_on: dt.date
    topic: str
    trainer: str
    trainer_name: str
    place: str | None
    attendees: tuple[str, ...]
    ratings: tuple[int, ...]
    notes: tuple[str, ...]
    planned_by: str

    @property
    def ref(self) -> str:
        return f"T-{self.id}"

    @property
    def complete(self) -> bool:
        """Signed in and fed back: counts as the project's training records."""
        return bool(self.attendees) and bool(self.ratings)

    @property
    def mean_rating(self) -> Decimal | None:
        if not self.ratings:
            return None
        mean = Decimal(sum(self.ratings)) / len(self.ratings)
        return mean.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.ref,
            "project": self.project,
            "date": self.held_on.isoformat(),
            "topic": self.topic,
            "trainer": self.trainer,
            "place": self.place,
            "attendees": list(self.attendees),
            "feedback": len(self.ratings),
            "mean_rating": format(self.mean_rating, "f") if self.mean_rating else None,
            "notes": list(self.notes),
            "complete": self.complete,
        }


def _find(session: Session, ref: str) -> Training:
    match = _ID.match(unicodedata.normalize("NFKC", ref).strip())
    row = session.get(Training, int(match[1])) if match else None
    if row is None:
        raise NotFound("TrainingNotFound", ref=ref)
    return row


def _view(session: Session, row: Training) -> TrainingView:
    project = session.get(Project, row.project_id)
    trainer = session.get(Staff, row.trainer_id)
    attendees = session.exec(
        select(TrainingAttendee.name)
        .where(TrainingAttendee.training_id == row.id)
        .order_by(TrainingAttendee.id)
    ).all()
    feedback = session.exec(
        select(TrainingFeedback)
        .where(TrainingFeedback.training_id == row.id)
        .order_by(TrainingFeedback.id)
    ).all()
    return TrainingView(
        row.id or 0,
        project.code if project else "",
        row.held_on,
        row.topic,
        trainer.code if trainer else "",
        trainer.name if trainer else "",
        row.place,
        tuple(attendees),
        tuple(f.rating for f in feedback),
        tuple(f.note for f in feedback if f.note),
        row.planned_by,
    )


def _known(session: Session, actor_code: str | None) -> actors.Actor:
    actor = actors.resolve(session, actor_code)
    if not actor.known:
        raise Refused("TrainingActorUnknown")
    return actor


def plan(
    ledger: Ledger,
    actor_code: str | None,
    code: str,
    held_on: dt.date,
    topic: str,
    trainer: str,
    *,
    place: str | None = None,
) -> TrainingView:
    """Plan a training of the customer's staff on a project in implementation (or later)."""
    with ledger.write() as session:
        actor = _known(session, actor_code)
        project = find_project(session, code)
        if not project.stage.startswith(("implementation.", "aftersales.")):
            raise Refused("TrainingStage", code=code, stage=project.stage)
        person = find_staff(session, trainer)
        row = Training(
            project_id=project.id or 0,
            held_on=held_on,
            topic=topic,
            trainer_id=person.id or 0,
            place=place,
            planned_at=clock.now(),
            planned_by=actor.code,
        )
        session.add(row)
        session.flush()
        view = _view(session, row)
        audit.record(
            session,
            actor.code,
            "training.plan",
            "training",
            view.ref,
            after={"date": held_on, "topic": topic, "trainer": person.code, "place": place},
            project=code,
        )
        return view


def _held(row: Training, ref: str) -> None:
    if row.held_on > clock.today():
        raise Refused("TrainingNotHeld", ref=ref, date=row.held_on.isoformat())


def sign(ledger: Ledger, actor_code: str | None, ref: str, names: list[str]) -> TrainingView:
    """Record the sign-in of the customer's staff who attended (on or after the day)."""
    if not names:
        raise Invalid("TrainingNamesMissing")
    with ledger.write() as session:
        actor = _known(session, actor_code)
        row = _find(session, ref)
        _held(row, ref)
        have = set(
            session.exec(
                select(TrainingAttendee.name).where(TrainingAttendee.training_id == row.id)
            )
        )
        for name in names:
            if name in have or names.count(name) > 1:
                raise Refused("TrainingSignedTwice", name=name, ref=f"T-{row.id}")
        for name in names:
            session.add(
                TrainingAttendee(
                    training_id=row.id or 0,
                    name=name,
                    signed_at=clock.now(),
                    recorded_by=actor.code,
                )
            )
        session.flush()
        view = _view(session, row)
        audit.record(
            session,
            actor.code,
            "training.sign",
            "training",
            view.ref,
            after={"names": names},
            project=view.project,
        )
        return view


def feedback(
    ledger: Ledger, actor_code: str | None, ref: str, rating: int, note: str | None = None
) -> TrainingView:
    """Record one feedback form: a rating 1–5 and a note; only after someone signed in."""
    if not 1 <= rating <= 5:
        raise Invalid("TrainingRating", value=rating)
    with ledger.write() as session:
        actor = _known(session, actor_code)
        row = _find(session, ref)
        _held(row, ref)
        signed = session.exec(
            select(TrainingAttendee.id).where(TrainingAttendee.training_id == row.id)
        ).first()
        if signed is None:
            raise Refused("TrainingNoSignIn", ref=f"T-{row.id}")
        session.add(
            TrainingFeedback(
                training_id=row.id or 0,
                rating=rating,
                note=note,
                recorded_at=clock.now(),
                recorded_by=actor.code,
            )
        )
        session.flush()
        view = _view(session, row)
        audit.record(
            session,
            actor.code,
            "training.feedback",
            "training",
            view.ref,
            after={"rating": rating, "note": note},
            project=view.project,
        )
        return view


def trainings(ledger: Ledger, code: str | None = None) -> list[TrainingView]:
    with ledger.read() as session:
        query = select(Training).order_by(Training.held_on, Training.id)
        if code is not None:
            query = query.where(Training.project_id == find_project(session, code).id)
        return [_view(session, r) for r in session.exec(query)]


def records_done(session: Session, project_id: int, until: dt.date | None = None) -> bool:
    """Whether the project has a training with a sign-in and a feedback form (by ``until``)."""
    ids = [
        t.id
        for t in session.exec(select(Training).where(Training.project_id == project_id))
        if until is None or t.held_on <= until
    ]
    if not ids:
        return False
    signed = set(
        session.exec(
            select(TrainingAttendee.training_id).where(col(TrainingAttendee.training_id).in_(ids))
        )
    )
    fed = set(
        session.exec(
            select(TrainingFeedback.training_id).where(col(TrainingFeedback.training_id).in_(ids))
        )
    )
    return bool(signed & fed)


__all__ = ["TrainingView", "feedback", "plan", "records_done", "sign", "trainings"]
