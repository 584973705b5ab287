"""Dates, times, month names and lists in the site's language, through Babel (CLDR).

``date_format`` and ``time_format`` take a CLDR style name (``short``,
``medium``, ``long``, ``full``), a CLDR pattern (``d MMMM y``), or, as
before, a strftime format (``%-d %B %Y``), which is converted to the CLDR
pattern that means the same so that month and day names follow the
language. A strftime format with a directive that has no CLDR equivalent
(``%c``, ``%U``…) is kept as strftime, with English names. Unset (the
default), dates are the language's ``long`` style and times its ``short``
one, except plain ``en``, which keeps the day-first "7 December 2026" and
the 24-hour "18:40" Dateline always printed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime

from babel import Locale
from babel.dates import format_date, format_datetime, format_skeleton, format_time, get_month_names
from babel.lists import format_list
from babel.numbers import format_decimal
from markupsafe import Markup, escape

STYLES = ("short", "medium", "long", "full")
_ENGLISH_DATE, _ENGLISH_TIME = "d MMMM y", "HH:mm"

# strftime directives (with glibc's ``-`` for "no padding") and the CLDR fields that say the same.
_CLDR_FIELDS = {
    "d": "dd", "-d": "d", "e": "d", "m": "MM", "-m": "M", "B": "MMMM", "b": "MMM", "h": "MMM",
    "Y": "y", "y": "yy", "H": "HH", "-H": "H", "I": "hh", "-I": "h", "M": "mm", "-M": "m",
    "S": "ss", "-S": "s", "p": "a", "A": "EEEE", "a": "EEE", "j": "DDD", "-j": "D", "Z": "z",
    "F": "y-MM-dd", "T": "HH:mm:ss", "R": "HH:mm", "D": "MM/dd/yy",
}
_DIRECTIVE = re.compile(r"%(-?[A-Za-z%])")


def strftime_to_cldr(pattern: str) -> str | None:
    """The CLDR pattern for a strftime ``pattern``, or None if a directive has no equivalent."""
    out: list[str] = []
    literal = ""  # quoted as one run: adjacent quoted runs would read as an escaped quote
    position = 0
    for match in _DIRECTIVE.finditer(pattern):
        literal += pattern[position:match.start()]
        code = match.group(1)
        position = match.end()
        if code == "%":
            literal += "%"
            continue
        if code not in _CLDR_FIELDS:
            return None
        out += [_literal(literal), _CLDR_FIELDS[code]]
        literal = ""
    literal += pattern[position:]
    if "%" in pattern[position:]:
        return None
    out.append(_literal(literal))
    return "".join(out)


def _literal(text: str) -> str:
    """``text`` quoted so that CLDR prints it as it stands (letters are fields otherwise)."""
    if not re.search(r"[A-Za-z'%]", text):
        return text
    return "'" + text.replace("'", "''") + "'"


def format_problem(value: str) -> str | None:
    """What is wrong with a ``date_format``/``time_format`` that is not strftime, or None."""
    if value in STYLES or "%" in value:
        return None
    try:
        format_datetime(datetime(2020, 8, 15, 18, 40), value, locale="en")
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        return f"'{value}' is not a CLDR date pattern such as 'd MMMM y' ({exc})"
    return None


def _unpadded_strftime(moment: datetime, pattern: str) -> str:
    """``strftime`` with ``%-d``-style unpadded fields on every platform."""
    for code in "dmHIjM":
        unpadded = {"d": moment.day, "m": moment.month, "H": moment.hour, "I": moment.hour % 12 or 12,
                    "j": moment.timetuple().tm_yday, "M": moment.minute}[code]
        pattern = pattern.replace(f"%-{code}", str(unpadded))
    return moment.strftime(pattern)


class Formats:
    """Formats dates, times, months and lists for one locale and the site's two formats."""

    def __init__(self, locale: Locale, date_format: str = "", time_format: str = "") -> None:
        self.locale = locale
        english = str(locale) == "en"
        self.date_format = date_format or (_ENGLISH_DATE if english else "long")
        self.time_format = time_format or (_ENGLISH_TIME if english else "short")

    def _format(self, moment: datetime, fmt: str, style: str) -> str:
        if fmt in STYLES:
            if style == "time":
                return format_time(moment, fmt, locale=self.locale)
            return format_date(moment, fmt, locale=self.locale)
        if "%" in fmt:  # strftime, as before CLDR patterns
            cldr = strftime_to_cldr(fmt)
            return _unpadded_strftime(moment, fmt) if cldr is None else format_datetime(moment, cldr, locale=self.locale)
        return format_datetime(moment, fmt, locale=self.locale)

    def date(self, moment: datetime, fmt: str | None = None) -> str:
        return self._format(moment, fmt or self.date_format, "date")

    def time(self, moment: datetime, fmt: str | None = None) -> str:
        return self._format(moment, fmt or self.time_format, "time")

    def number(self, value: int) -> str:
        """A count as the language writes it: ``1,234``, ``1.234``, ``1 234``."""
        return format_decimal(value, locale=self.locale)

    def month_name(self, month: int) -> str:
        """The month's name as a heading shows it: ``December``, ``Декабрь``, ``12月``."""
        return _capitalised(get_month_names("wide", context="stand-alone", locale=self.locale)[month])

    def month_year(self, year: int, month: int) -> str:
        """A month of a year as a title: ``December 2026``, ``Декабрь 2026 г.``, ``2026年12月``."""
        return _capitalised(format_skeleton("yMMMM", date(year, month, 1), locale=self.locale))

    def join(self, items: Iterable[str]) -> Markup:
        """Items (HTML or text) joined as the language lists them: ``A, B and C``, ``A, B и C``."""
        pieces = [escape(item) for item in items]
        tokens = [f"\ue000{index}\ue001" for index in range(len(pieces))]
        joined = str(escape(format_list(tokens, locale=self.locale))) if pieces else ""
        for token, piece in zip(tokens, pieces, strict=True):
            joined = joined.replace(token, str(piece))
        return Markup(joined)  # CLDR's connectors, escaped, around escaped items


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]
