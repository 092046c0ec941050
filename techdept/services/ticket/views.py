"""What the ticket services share: the refusal, the office's local time they speak in. They
return the ticket as a typed document (``techdept.documents.ticket.TicketDoc``)."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from techdept import clock
from techdept.errors import Refused

AFTERSALES_STAGES = ("aftersales.handover", "aftersales.operation", "aftersales.closing")


ENGINEER_ROLES = ("engineer", "onsite-engineer")


class TicketRefused(Refused):
    """A ticket step refused: the key's message names the ticket's state and what it needs
    next; both are keys, worded where the message is shown."""

    worded: ClassVar[dict[str, str]] = {
        "state": "ticket.status",
        "next": "ticket.next",
        "action": "ticket.action",
    }


def local(value: dt.datetime) -> dt.datetime:
    """A stored (aware) time in the office's local time zone."""
    return value.astimezone()


def local_now() -> dt.datetime:
    """The office's local time now (aware, to the minute), on the date ``clock.today()``
    gives."""
    return (
        dt.datetime.combine(clock.today(), dt.datetime.now().time())
        .replace(second=0, microsecond=0)
        .astimezone()
    )
