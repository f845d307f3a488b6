"""A document's date, by one rule for every file type: what it prints, its metadata, its name, or today.

`choose_date` takes the candidates in that order and says which one it used (`date_source`):

- "text": a date printed near its start (a PDF's first page, a Word file's first paragraphs);
- "metadata": the file's own record (PDF /CreationDate, Word core properties, a page's markup);
- "filename": a YYYY-MM-DD in the file name;
- "ingested": none of those, so the day it was ingested, flagged so readers know.

Only unambiguous forms count: "2 August 2023", "August 2, 2023", "2023-08-02", and French
month names ("2 août 2023", "1er août 2023"). "02/08/2023" is day-first in Niamey and
month-first in Washington, so it is never read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime

from .lexicon import DOCUMENT_MONTH_NUMBER

FIRST_YEAR, LAST_YEAR = 1900, 2100  # a four-digit number outside these is not a year of a report

_MONTH = "|".join(sorted((re.escape(m) for m in DOCUMENT_MONTH_NUMBER), key=len, reverse=True))
_DAY = r"(?P<{name}>[0-3]?\d)(?:er|st|nd|rd|th)?"
_DAY_MONTH_YEAR = _DAY.format(name="d1") + rf"\s+(?P<m1>{_MONTH})\.?,?\s+(?P<y1>\d{{4}})"
_MONTH_DAY_YEAR = rf"(?P<m2>{_MONTH})\.?\s+" + _DAY.format(name="d2") + r",?\s+(?P<y2>\d{4})"
_ISO = r"(?P<y3>\d{4})-(?P<m3>[01]\d)-(?P<d3>[0-3]\d)"
_PRINTED = re.compile(rf"(?<![\w-])(?:{_DAY_MONTH_YEAR}|{_MONTH_DAY_YEAR}|{_ISO})(?![\w-])", re.IGNORECASE)
_IN_NAME = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")

# How far into the text a printed date may be: the dateline, not a date in the body.
DATELINE_CHARS = 2000


@dataclass(frozen=True)
class DocumentDate:
    """When a document was published (UTC) and where that was read."""

    published: datetime
    source: str  # "text", "metadata", "filename" or "ingested"


def _valid(year: int, month: int, day: int) -> date | None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def printed_dates(text: str) -> list[date]:
    """Every unambiguous calendar date in `text`, in order of appearance."""
    found: list[date] = []
    for m in _PRINTED.finditer(text):
        if m["y1"]:
            day = _valid(int(m["y1"]), DOCUMENT_MONTH_NUMBER[m["m1"].lower()], int(m["d1"]))
        elif m["y2"]:
            day = _valid(int(m["y2"]), DOCUMENT_MONTH_NUMBER[m["m2"].lower()], int(m["d2"]))
        else:
            day = _valid(int(m["y3"]), int(m["m3"]), int(m["d3"]))
        if day:
            found.append(day)
    return found


def printed_date(text: str, within: int = DATELINE_CHARS) -> date | None:
    """The first unambiguous date in the first `within` characters of `text` (its dateline), or None."""
    dates = printed_dates(text[:within])
    return dates[0] if dates else None


def date_in_name(name: str) -> date | None:
    """A YYYY-MM-DD in a file name ("2023-08-10-standby.txt"), or None."""
    for m in _IN_NAME.finditer(name):
        day = _valid(int(m[1]), int(m[2]), int(m[3]))
        if day:
            return day
    return None


def _midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def choose_date(*, printed: date | datetime | None, metadata: datetime | None, file_name: str,
                now: datetime | None = None) -> DocumentDate:
    """The document's date by the one rule: printed, else metadata, else file name, else the ingest time.

    Args:
        printed: a date the document prints near its start (`printed_date`).
        metadata: the file's own record of its date (naive values are taken as UTC).
        file_name: the file's name, searched for YYYY-MM-DD.
        now: the ingest time (default: the current time).
    """
    if isinstance(printed, datetime):
        return DocumentDate(_as_utc(printed), "text")
    if printed is not None:
        return DocumentDate(_midnight(printed), "text")
    if metadata is not None and FIRST_YEAR <= metadata.year <= LAST_YEAR:
        return DocumentDate(_as_utc(metadata), "metadata")
    named = date_in_name(file_name)
    if named is not None:
        return DocumentDate(_midnight(named), "filename")
    return DocumentDate(_as_utc(now or datetime.now(UTC)), "ingested")


def _as_utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
