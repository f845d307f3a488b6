"""Dates and times: time zones, times of day, date windows and the period a question names.

Everything here is pure (no store, no model), so surfaces, digests and answers agree on
what a zone, a day or a window is. Bad values raise `DateError` with a message fit to show.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .errors import DateError, DigestError
from .lexicon import MONTH_NUMBER

_TIME_OF_DAY = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


def zone(name: str) -> ZoneInfo:
    """The time zone called `name` (IANA "Area/City" or "UTC"), or DateError."""
    name = (name or "").strip()
    try:
        if not name or len(name) > 64 or "\x00" in name or name.startswith(("/", ".")) or ".." in name:
            raise ValueError(name)
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise DateError(f"unknown time zone {name[:64]!r} (use an IANA Area/City name such as Africa/Niamey, "
                        "or UTC)") from None


def parse_zone(text: str) -> ZoneInfo:
    """A time zone a user typed ("Africa/Niamey", " UTC "), or DateError saying what to type."""
    return zone(text)


def parse_time(text: str) -> time:
    """A time of day: "7:30" or "07:30" -> time(7, 30); anything else -> DateError."""
    match = _TIME_OF_DAY.match((text or "").strip())
    if not match:
        raise DateError(f"{text!r} is not a time of day (use HH:MM, 24-hour, e.g. 07:30)")
    return time(int(match[1]), int(match[2]))


def check_window(since: date | None, until: date | None) -> None:
    """DateError when a date window ends before it starts (either end may be open)."""
    if since and until and since > until:
        raise DateError(f"the date window starts ({since}) after it ends ({until})")


def iso_day(day: int) -> str:
    """A YYYYMMDD integer as YYYY-MM-DD: 20230807 -> '2023-08-07'."""
    return f"{day // 10000:04d}-{day // 100 % 100:02d}-{day % 100:02d}"


def day_number(day: date) -> int:
    """A date as the YYYYMMDD integer the store keeps: date(2023, 8, 7) -> 20230807."""
    return day.year * 10000 + day.month * 100 + day.day


def weekday_on_or_before(weekday: str, iso: str) -> str:
    """The date (YYYY-MM-DD) of the last `weekday` ("Wednesday") on or before the day `iso`.

    A report dated Thursday 24 August that says "on Wednesday" means 23 August.
    """
    day = date.fromisoformat(iso[:10])
    target = [name.lower() for name in calendar.day_name].index(weekday.lower())
    return (day - timedelta(days=(day.weekday() - target) % 7)).isoformat()


def human_date(iso: str) -> str:
    """YYYY-MM-DD as words: 2023-10-11 -> 11 October 2023."""
    day = date.fromisoformat(iso)
    return f"{day.day} {day.strftime('%B')} {day.year}"


@dataclass(frozen=True)
class DigestWindow:
    """A half-open span of publication times [start, end), with the time zone its days are read in."""

    start: datetime
    end: datetime
    tz: str = "UTC"

    @classmethod
    def for_days(cls, first: date, last: date, tz: str = "UTC") -> DigestWindow:
        """Calendar days `first`..`last` (inclusive) in time zone `tz`."""
        check_window(first, last)
        zi = zone(tz)
        # Midnight to midnight in local time: a DST day has 23 or 25 hours, as it should.
        start = datetime.combine(first, time(0), zi)
        end = datetime.combine(last + timedelta(days=1), time(0), zi)
        return cls(start, end, tz)

    @classmethod
    def for_day(cls, day: date, tz: str = "UTC") -> DigestWindow:
        """One calendar day in time zone `tz`."""
        return cls.for_days(day, day, tz)

    @property
    def zoneinfo(self) -> ZoneInfo:
        """The window's time zone."""
        return zone(self.tz)

    @property
    def start_ts(self) -> int:
        """Start, epoch seconds."""
        return int(self.start.timestamp())

    @property
    def end_ts(self) -> int:
        """End (exclusive), epoch seconds."""
        return int(self.end.timestamp())

    @property
    def date_from(self) -> date:
        """The first local day of the window."""
        return self.start.astimezone(self.zoneinfo).date()

    @property
    def date_to(self) -> date:
        """The last local day the window touches."""
        return (self.end - timedelta(microseconds=1)).astimezone(self.zoneinfo).date()

    def local_date(self, ts: int) -> date:
        """The local day of an epoch-seconds time."""
        return datetime.fromtimestamp(ts, self.zoneinfo).date()

    def check_not_future(self, now: datetime | None = None) -> None:
        """DigestError if the window starts in the future (nothing can have been published yet)."""
        now = now or datetime.now(self.zoneinfo)
        if self.start > now:
            raise DigestError(f"{self.date_from} is in the future (today is {now.astimezone(self.zoneinfo).date()} "
                              f"in {self.tz})")


# --- the period a question names --------------------------------------------------------------

_PERIOD = re.compile(
    r"\b(?:(by|before|until|since|after|from)\s+(?:(?:early|mid|late|the end of|the start of)[\s-]+)?)?"
    r"(" + "|".join(sorted(MONTH_NUMBER, key=len, reverse=True)) + r")\b\.?"
    r"(?:\s+(?:of\s+)?((?:19|20)\d\d))?", re.I)


@dataclass(frozen=True)
class Period:
    """When a question is about: YYYY-MM-DD bounds ("" = open), or bare months ("in August": any year)."""

    first: str = ""
    last: str = ""
    months: frozenset[int] = frozenset()

    def contains(self, day: str) -> bool:
        """Whether a YYYY-MM-DD day falls in the period."""
        if not day:
            return False
        if self.months:
            return int(day[5:7]) in self.months
        return (not self.first or day >= self.first) and (not self.last or day <= self.last)


def question_period(question: str) -> Period | None:
    """The days a question's month phrase points at.

    "in early August 2023" -> August 2023, "by October 2023" -> up to its end, "since September
    2023" -> from its start, "in August" -> August of any year. Several phrases: the span
    covering them all. None when the question names no month.
    """
    firsts, lasts, months = [], [], set()
    for match in _PERIOD.finditer(question):
        word, name, year = (match.group(1) or "").lower(), match.group(2).lower(), match.group(3)
        if name == "may" and not (year or word):
            continue  # the verb, not the month
        month = MONTH_NUMBER[name]
        if not year:
            months.add(month)
            continue
        y = int(year)
        firsts.append("" if word in ("by", "before", "until") else f"{y:04d}-{month:02d}-01")
        lasts.append("" if word in ("since", "after", "from") else
                     f"{y:04d}-{month:02d}-{calendar.monthrange(y, month)[1]:02d}")
    if firsts:
        return Period("" if "" in firsts else min(firsts), "" if "" in lasts else max(lasts))
    return Period(months=frozenset(months)) if months else None
