"""Today's date and the current time, from one place. ``TECHDEPT_TODAY`` overrides the date."""

from __future__ import annotations

import datetime as dt
import os


def today() -> dt.date:
    """The date every stamp uses: ``TECHDEPT_TODAY=YYYY-MM-DD`` or the system date."""
    override = os.environ.get("TECHDEPT_TODAY")
    if override:
        try:
            return dt.date.fromisoformat(override)
        except ValueError:
            from techdept.errors import Invalid

            raise Invalid("DateInvalid", field="TECHDEPT_TODAY", value=override) from None
    return dt.date.today()


def now() -> dt.datetime:
    """An aware UTC timestamp: the real time of day, on the date ``today()`` gives."""
    real = dt.datetime.now(dt.UTC).replace(microsecond=0)
    day = today()
    if day == real.date():
        return real
    return dt.datetime.combine(day, real.timetz())


def real_now() -> dt.datetime:
    """The real UTC time, whatever ``TECHDEPT_TODAY`` says (kept beside business dates)."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def stamp(value: dt.datetime) -> str:
    """A timestamp as stored text: UTC, seconds, no offset (databases differ in offsets)."""
    if value.tzinfo is not None:
        value = value.astimezone(dt.UTC).replace(tzinfo=None)
    return value.replace(microsecond=0).isoformat()
