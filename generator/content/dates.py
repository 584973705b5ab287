"""Turn the date forms real sites use into time-zone-aware datetimes.

Accepted: YAML/TOML native dates, ISO 8601 (``2020-04-21T12:00:00.000Z``,
``2021-03-02T08:00:00+01:00``), ``2013-11-30 12:00:00 +0000``, RFC 2822
(``Sat, 15 Aug 2020 18:40:00 +0300``), and unambiguous written dates
(``15 August 2020``, ``August 15, 2020 9:30``), unpadded days and months
(``2017-11-8``) and zone abbreviations that name one offset (``12:00 EDT``).
Numeric day/month orders such
as ``08/09/2020`` are refused as ambiguous rather than guessed.
"""

from __future__ import annotations

import os
import re
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from email.utils import parsedate_to_datetime

_ISO = re.compile(
    r"^(?P<date>\d{4}-\d{1,2}-\d{1,2})"
    r"(?:[T ](?P<time>\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?))?"
    r"\s*(?P<tz>Z|z|UTC|GMT|[+-]\d{2}:?\d{2}|[+-]\d{2}|[A-Z]{3,4})?$"
)
# Zone abbreviations that name one offset wherever they are used (Jekyll sites
# write ``2016-03-21 12:00 EDT``). ``CST``, ``IST``, ``BST`` and ``AST`` each
# name several zones around the world, so they are refused rather than guessed.
_ZONE_ABBREVIATIONS = {
    "EST": -5, "EDT": -4, "CDT": -5, "MST": -7, "MDT": -6, "PST": -8, "PDT": -7,
    "AKST": -9, "AKDT": -8, "HST": -10, "WET": 0, "WEST": 1, "CET": 1, "CEST": 2,
    "EET": 2, "EEST": 3, "JST": 9, "KST": 9, "AEST": 10, "AEDT": 11, "NZST": 12, "NZDT": 13,
}
_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"),
            ("may",), ("jun", "june"), ("jul", "july"), ("aug", "august"),
            ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"), ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}
_WRITTEN = re.compile(
    r"^(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*,?\s+)?"
    r"(?:(?P<d1>\d{1,2})(?:st|nd|rd|th)?\s+(?P<m1>[a-z]+)\.?,?|(?P<m2>[a-z]+)\.?\s+(?P<d2>\d{1,2})(?:st|nd|rd|th)?,?)"
    r"\s+(?P<year>\d{4})"
    r"(?:,?\s+(?:at\s+)?(?P<time>\d{1,2}:\d{2}(?::\d{2})?)\s*(?P<ampm>[ap]\.?m\.?)?)?"
    r"\s*(?P<tz>Z|UTC|GMT|[+-]\d{2}:?\d{2})?$",
    re.IGNORECASE,
)
_AMBIGUOUS = re.compile(r"^\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}")


class DateError(ValueError):
    """A value that is not a date we can be sure of; the message says why."""


def parse_date(value: object, zone: tzinfo) -> datetime:
    """An aware datetime for ``value``; naive values are in ``zone``.

    Raises ``DateError`` with a message fit for the author.
    """
    if isinstance(value, datetime):
        return _in_range(value if value.tzinfo else value.replace(tzinfo=zone), value, zone)
    if isinstance(value, date):
        return _in_range(datetime.combine(value, time(), tzinfo=zone), value, zone)
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise DateError(f"{_show(value)} is not a date")
    text = str(value).strip()
    if isinstance(value, int) or re.fullmatch(r"\d{9,11}", text):
        raise DateError(f"'{text}' is not a date; write it as '2020-08-15' or '2020-08-15 18:40'")
    for parser in (_parse_iso, _parse_written, _parse_rfc2822):
        result = parser(text, zone)
        if result is not None:
            return _in_range(result, text, zone)
    if _AMBIGUOUS.match(text):
        raise DateError(f"date '{text}' is ambiguous; write it as YYYY-MM-DD")
    raise DateError(f"date '{text}' is not a date")


def _in_range(moment: datetime, original: object, zone: tzinfo) -> datetime:
    """``moment``, if it can be shown in UTC and in the site's zone.

    Python's datetimes end at the years 1 and 9999: ``0001-01-01 00:00 +05:00``
    is a valid value that no feed, archive or page could convert.
    """
    try:
        moment.astimezone(UTC)
        moment.astimezone(zone)
    except (OverflowError, ValueError):
        raise DateError(f"date '{original}' is out of range; use a year between 2 and 9998") from None
    return moment


def _show(value: object) -> str:
    if value is None:
        return "an empty value"
    return f"'{value}'"


def _offset(text: str | None, zone: tzinfo) -> tzinfo:
    if not text or text.upper() in ("Z", "UTC", "GMT"):
        return UTC if text else zone
    if text[0].isalpha():
        hours = _ZONE_ABBREVIATIONS.get(text.upper())
        if hours is None:
            raise DateError(f"time zone '{text}' is ambiguous or unknown; write the offset, such as '-05:00'")
        return timezone(timedelta(hours=hours))
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:4] or 0)
    if hours > 23 or minutes > 59:
        raise DateError(f"time zone offset '{text}' is out of range")
    return timezone(sign * timedelta(hours=hours, minutes=minutes))


def _clock(text: str | None, original: str) -> time:
    if not text:
        return time()
    parts = text.replace(",", ".").split(":")
    hour, minute = int(parts[0]), int(parts[1])
    whole, _, fraction = (parts[2] if len(parts) > 2 else "0").partition(".")
    seconds = int(whole)
    if hour > 23 or minute > 59 or seconds > 59:
        raise DateError(f"date '{original}' has an impossible time")
    # Digits beyond microseconds are dropped, as datetime.fromisoformat does;
    # rounding .9999999 up would wrap to the start of the same second.
    return time(hour, minute, seconds, int(fraction[:6].ljust(6, "0")) if fraction else 0)


def _combine(day: date, clock: time, zone: tzinfo) -> datetime:
    return datetime.combine(day, clock).replace(tzinfo=zone)


def _make_date(year: int, month: int, day: int, original: str) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise DateError(f"date '{original}' is not a date (no such day)") from None


def _parse_iso(text: str, zone: tzinfo) -> datetime | None:
    match = _ISO.match(text)
    if not match:
        return None
    year, month, day = (int(part) for part in match["date"].split("-"))
    return _combine(_make_date(year, month, day, text), _clock(match["time"], text), _offset(match["tz"], zone))


def _parse_written(text: str, zone: tzinfo) -> datetime | None:
    match = _WRITTEN.match(text)
    if not match:
        return None
    month_name = (match["m1"] or match["m2"]).lower()
    if month_name not in _MONTHS:
        return None
    day = int(match["d1"] or match["d2"])
    clock = _clock(match["time"], text)
    if match["ampm"]:
        if clock.hour > 12 or clock.hour == 0:
            raise DateError(f"date '{text}' has an impossible time")
        pm = match["ampm"].lower().startswith("p")
        clock = clock.replace(hour=clock.hour % 12 + (12 if pm else 0))
    found = _make_date(int(match["year"]), _MONTHS[month_name], day, text)
    return _combine(found, clock, _offset(match["tz"], zone))


def _parse_rfc2822(text: str, zone: tzinfo) -> datetime | None:
    if not re.match(r"^[A-Za-z]{3},\s", text):
        return None
    if re.search(r"\s-0*1\s", text):  # WordPress writes 'Wed, 30 Nov -0001' for "no date"
        raise DateError(f"date '{text}' has the year -0001, WordPress's way of saying 'no date'; give a real date")
    try:
        parsed = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=zone)


def date_from_filename(stem: str) -> str | None:
    """The ``YYYY-MM-DD`` prefix of a file name like ``2020-08-15-call.md``."""
    match = re.match(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:-|$)", stem)
    return f"{match[1]}-{int(match[2]):02d}-{int(match[3]):02d}" if match else None


def current_time(now: datetime | None = None) -> datetime:
    """The build's notion of "now", which decides what counts as future."""
    if now is not None:
        return now
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=UTC)
    return datetime.now(UTC)
