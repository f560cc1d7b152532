"""EDTF dates: validation, earliest/latest bounds, and strict reading of human dates.

Valid time and publication time are EDTF strings (``2025-08-05``, ``2025-06``,
``2025-06~``, ``2025-03/2025-06``, ``../2025-06-30``). Each has an earliest and a latest
calendar date that queries compare; an open end is ``None``. The common forms are read
by a small parser; everything else goes to the ``edtf`` library (seasons, unspecified
digits, sets), whose parser is slow enough (~10 ms) to be worth caching.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from accords.events.errors import InputError

# ASCII digits only: Python's \d and int() take any script's digits (٢٠٢٥ is 2025), a date's text does not
_PLAIN = re.compile(r"^([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?([~?%]?)$")


@dataclass(frozen=True, slots=True)
class Bounds:
    """The calendar dates an EDTF value may fall on: earliest and latest, None if open."""

    earliest: dt.date | None
    latest: dt.date | None

    def overlaps(self, other: Bounds) -> bool:
        lo = max((d for d in (self.earliest, other.earliest) if d), default=None)
        hi = min((d for d in (self.latest, other.latest) if d), default=None)
        return lo is None or hi is None or lo <= hi


def _plain(text: str) -> Bounds | None:
    m = _PLAIN.match(text)
    if not m:
        return None
    year, month, day = int(m[1]), m[2] and int(m[2]), m[3] and int(m[3])
    if month == 0 or day == 0:
        raise InputError(f"{text!r} is not a calendar date", "months and days count from 01")
    if month and month > 12:
        return None  # EDTF seasons (21-41) are the library's business
    try:
        if not month:
            return Bounds(dt.date(year, 1, 1), dt.date(year, 12, 31))
        if not day:
            last = calendar.monthrange(year, month)[1]
            return Bounds(dt.date(year, month, 1), dt.date(year, month, last))
        return Bounds(dt.date(year, month, day), dt.date(year, month, day))
    except ValueError:
        raise InputError(f"{text!r} is not a calendar date") from None


def _struct_date(value: object) -> dt.date:
    return dt.date(value.tm_year, value.tm_mon, value.tm_mday)  # type: ignore[attr-defined]


def _point(text: str) -> Bounds:
    plain = _plain(text)
    if plain is not None:
        return plain
    import edtf  # here, not at the top: ~100 ms to import, and most dates never need it

    try:
        parsed = edtf.parse_edtf(text)
        return Bounds(_struct_date(parsed.lower_strict()), _struct_date(parsed.upper_strict()))
    except Exception:
        raise InputError(
            f"{text!r} is not an EDTF date",
            "write 2025-08-05, 2025-06, 2025, 2025-06~ (about), 2025-03/2025-06 or ../2025-06-30",
        ) from None


@lru_cache(maxsize=65536)
def bounds(text: str) -> Bounds:
    """Earliest and latest dates of an EDTF date or interval; InputError if it is not one."""
    if not isinstance(text, str) or not text:
        raise InputError(f"{text!r} is not an EDTF date")
    if "/" not in text:
        return _point(text)
    start, _, end = text.partition("/")
    lo = None if start in ("", "..") else _point(start).earliest
    hi = None if end in ("", "..") else _point(end).latest
    if lo is None and hi is None:
        raise InputError(f"{text!r} is open at both ends")
    if lo and hi and lo > hi:
        raise InputError(f"{text!r} ends before it starts")
    return Bounds(lo, hi)


_NUMERIC = re.compile(r"^[\d\s./-]+$")
_DAY_MONTH = re.compile(r"^[0-9]{1,2}[./-][0-9]{1,2}[./-][0-9]{2,4}$")


def publication(published: str | None, recorded_at: str) -> Bounds:
    """When a source was published: the bounds of its EDTF date; a source with no visible
    date was published no later than the day it was recorded, and nothing earlier is known."""
    if published is not None:
        return bounds(published)
    return Bounds(None, dt.date.fromisoformat(recorded_at[:10]))


WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_WEEKDAYS = {day.casefold(): day for day in WEEKDAYS}


def weekday(text: str) -> str | None:
    """The day of the week text names ("thursday" -> "Thursday"), or None.

    A statement's date may be only a day of the week: what a page with no visible date
    says ("on Thursday") until another page fixes the week. It has no bounds; the
    judgement compares it with other weekdays and with the weekday of a single day.
    """
    return _WEEKDAYS.get(text.strip().casefold())


@lru_cache(maxsize=65536)
def normalize(text: str) -> str:
    """An EDTF string for text that is EDTF already or a human date such as "5 August 2025".

    Ambiguous input ("01/02/2025") is refused, never guessed. (Cached: a record repeats its dates.)
    """
    text = text.strip()
    if any(c.isdigit() and not c.isascii() for c in text):  # dateutil reads ٥ as 5: a record keeps 0-9
        raise InputError(f"{text!r} has digits other than 0-9", "write the date's digits as 0-9: 2025-06-01")
    try:
        bounds(text)
        return text
    except InputError as not_edtf:
        if _DAY_MONTH.match(text):
            raise InputError(
                f"{text!r} is ambiguous (day and month order)", "write it as EDTF, year first: YYYY-MM-DD"
            ) from None
        if _NUMERIC.match(text):
            raise not_edtf from None
        first, second = dt.datetime(1, 1, 1), dt.datetime(2, 2, 2)
        try:
            from dateutil import parser as dateparser  # ~10 ms, for dates written in words only

            a = dateparser.parse(text, default=first)
            b = dateparser.parse(text, default=second)
        except (ValueError, OverflowError):
            raise not_edtf from None
        if a.year != b.year:
            raise not_edtf from None
        if a.month != b.month:
            return f"{a.year:04d}"
        if a.day != b.day:
            return f"{a.year:04d}-{a.month:02d}"
        return f"{a.year:04d}-{a.month:02d}-{a.day:02d}"
