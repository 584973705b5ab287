"""Unit tests for ``parse_date`` and ``date_from_filename``."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from generator.content.dates import DateError, date_from_filename, parse_date

UTC = UTC
LONDON = ZoneInfo("Europe/London")
KYIV = ZoneInfo("Europe/Kyiv")


def offset(hours: float) -> timezone:
    return timezone(timedelta(hours=hours))


def refused(value: object, zone=LONDON) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(DateError) as caught:
        parse_date(value, zone)
    return str(caught.value)


# --- accepted forms -----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # ISO 8601 and its everyday variants
        ("2020-08-15", datetime(2020, 8, 15, tzinfo=LONDON)),
        ("2020-08-15T18:40", datetime(2020, 8, 15, 18, 40, tzinfo=LONDON)),
        ("2020-08-15 18:40", datetime(2020, 8, 15, 18, 40, tzinfo=LONDON)),
        ("2020-08-15 18:40:05", datetime(2020, 8, 15, 18, 40, 5, tzinfo=LONDON)),
        ("2020-08-15T9:05", datetime(2020, 8, 15, 9, 5, tzinfo=LONDON)),
        ("2020-04-21T12:00:00.000Z", datetime(2020, 4, 21, 12, 0, tzinfo=UTC)),
        ("2020-04-21T12:00:00z", datetime(2020, 4, 21, 12, 0, tzinfo=UTC)),
        ("2020-08-15T18:40:00.250Z", datetime(2020, 8, 15, 18, 40, 0, 250000, tzinfo=UTC)),
        ("2020-08-15T18:40:00,5Z", datetime(2020, 8, 15, 18, 40, 0, 500000, tzinfo=UTC)),
        ("2020-08-15T18:40:00.123456789Z", datetime(2020, 8, 15, 18, 40, 0, 123456, tzinfo=UTC)),
        ("2021-03-02T08:00:00+01:00", datetime(2021, 3, 2, 8, 0, tzinfo=offset(1))),
        ("2020-08-15T18:40:00+0300", datetime(2020, 8, 15, 18, 40, tzinfo=offset(3))),
        ("2020-08-15T18:40:00-03", datetime(2020, 8, 15, 18, 40, tzinfo=offset(-3))),
        ("2020-08-15T18:40:00+05:30", datetime(2020, 8, 15, 18, 40, tzinfo=offset(5.5))),
        ("2013-11-30 12:00:00 +0000", datetime(2013, 11, 30, 12, 0, tzinfo=UTC)),
        ("2020-08-15 18:40 UTC", datetime(2020, 8, 15, 18, 40, tzinfo=UTC)),
        ("2020-08-15 18:40 GMT", datetime(2020, 8, 15, 18, 40, tzinfo=UTC)),
        ("  2020-08-15  ", datetime(2020, 8, 15, tzinfo=LONDON)),
        ("2020-02-29", datetime(2020, 2, 29, tzinfo=LONDON)),
        # RFC 2822, as in RSS feeds and e-mail exports
        ("Sat, 15 Aug 2020 18:40:00 +0300", datetime(2020, 8, 15, 18, 40, tzinfo=offset(3))),
        ("Sat, 15 Aug 2020 18:40:00 GMT", datetime(2020, 8, 15, 18, 40, tzinfo=UTC)),
        ("Sat, 15 Aug 2020 18:40:00", datetime(2020, 8, 15, 18, 40, tzinfo=LONDON)),
        # written dates
        ("15 August 2020", datetime(2020, 8, 15, tzinfo=LONDON)),
        ("15th Aug 2020", datetime(2020, 8, 15, tzinfo=LONDON)),
        ("August 15, 2020", datetime(2020, 8, 15, tzinfo=LONDON)),
        ("Aug. 15, 2020", datetime(2020, 8, 15, tzinfo=LONDON)),
        ("Sept 1, 2020", datetime(2020, 9, 1, tzinfo=LONDON)),
        ("august 15 2020", datetime(2020, 8, 15, tzinfo=LONDON)),
        ("August 15, 2020 9:30", datetime(2020, 8, 15, 9, 30, tzinfo=LONDON)),
        ("August 15, 2020 9:30 pm", datetime(2020, 8, 15, 21, 30, tzinfo=LONDON)),
        ("August 15, 2020 9:30 a.m.", datetime(2020, 8, 15, 9, 30, tzinfo=LONDON)),
        ("August 15th, 2020, 12:00 am", datetime(2020, 8, 15, 0, 0, tzinfo=LONDON)),
        ("August 15, 2020 12:00 pm", datetime(2020, 8, 15, 12, 0, tzinfo=LONDON)),
        ("Saturday, 15 August 2020 at 18:40", datetime(2020, 8, 15, 18, 40, tzinfo=LONDON)),
        ("15 aug 2020 18:40 +01:00", datetime(2020, 8, 15, 18, 40, tzinfo=offset(1))),
        ("15 Aug 2020 18:40 Z", datetime(2020, 8, 15, 18, 40, tzinfo=UTC)),
    ],
)
def test_accepted_forms(text: str, expected: datetime) -> None:
    parsed = parse_date(text, LONDON)
    assert parsed == expected
    assert parsed.utcoffset() == expected.utcoffset()
    assert parsed.replace(tzinfo=None) == expected.replace(tzinfo=None)  # same wall-clock time too


def test_every_result_is_aware() -> None:
    for text in ("2020-08-15", "15 August 2020", "Sat, 15 Aug 2020 18:40:00", "2020-08-15T18:40:00Z"):
        assert parse_date(text, LONDON).tzinfo is not None


def test_fraction_close_to_a_whole_second_does_not_wrap_backwards() -> None:
    parsed = parse_date("2020-08-15T18:40:00.9999999Z", UTC)
    assert parsed >= datetime(2020, 8, 15, 18, 40, 0, 999999, tzinfo=UTC)
    assert parsed <= datetime(2020, 8, 15, 18, 40, 1, tzinfo=UTC)


# --- native values from YAML/TOML --------------------------------------------


def test_native_date_is_midnight_in_the_zone() -> None:
    assert parse_date(date(2020, 8, 15), LONDON) == datetime(2020, 8, 15, tzinfo=LONDON)


def test_native_naive_datetime_takes_the_zone() -> None:
    parsed = parse_date(datetime(2020, 8, 15, 10, 0), KYIV)
    assert parsed.tzinfo is KYIV
    assert parsed.utcoffset() == timedelta(hours=3)


def test_native_aware_datetime_is_kept() -> None:
    moment = datetime(2020, 8, 15, 10, 0, tzinfo=offset(-5))
    assert parse_date(moment, LONDON) is moment


# --- time zones -----------------------------------------------------------------


def test_naive_values_take_the_given_zone_with_its_daylight_saving() -> None:
    summer = parse_date("2020-08-15 12:00", LONDON)
    winter = parse_date("2020-01-15 12:00", LONDON)
    assert summer.utcoffset() == timedelta(hours=1)
    assert winter.utcoffset() == timedelta(0)
    assert summer.astimezone(UTC) == datetime(2020, 8, 15, 11, 0, tzinfo=UTC)


def test_same_text_in_two_zones_is_two_instants() -> None:
    assert parse_date("2020-08-15 12:00", KYIV) < parse_date("2020-08-15 12:00", LONDON)


def test_explicit_offset_ignores_the_given_zone() -> None:
    assert parse_date("2020-08-15T12:00:00+02:00", LONDON) == parse_date("2020-08-15T12:00:00+02:00", KYIV)
    assert parse_date("2020-08-15T12:00:00Z", KYIV).utcoffset() == timedelta(0)


# --- refused values -----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2020-02-30", "date '2020-02-30' is not a date (no such day)"),
        ("2021-02-29", "date '2021-02-29' is not a date (no such day)"),
        ("2020-13-01", "date '2020-13-01' is not a date (no such day)"),
        ("2020-04-31", "date '2020-04-31' is not a date (no such day)"),
        ("35 August 2020", "date '35 August 2020' is not a date (no such day)"),
        ("Mon, 32 Aug 2020 10:00:00 +0000", "date 'Mon, 32 Aug 2020 10:00:00 +0000' is not a date (no such day)"),
    ],
)
def test_impossible_days(text: str, message: str) -> None:
    assert refused(text) == message


@pytest.mark.parametrize(
    "text",
    ["2020-08-15 25:00", "2020-08-15 24:00", "2020-08-15 23:60", "2020-08-15 23:59:60",
     "August 15, 2020 13:00 pm", "August 15, 2020 0:30 am"],
)
def test_impossible_times(text: str) -> None:
    assert refused(text) == f"date '{text}' has an impossible time"


def test_impossible_offset() -> None:
    assert refused("2020-08-15T10:00+24:00") == "time zone offset '+24:00' is out of range"
    assert refused("2020-08-15T10:00+05:60") == "time zone offset '+05:60' is out of range"


@pytest.mark.parametrize("text", ["08/09/2020", "8/9/2020", "8.9.2020", "08-09-20", "15/08/2020"])
def test_numeric_day_month_orders_are_ambiguous(text: str) -> None:
    assert refused(text) == f"date '{text}' is ambiguous; write it as YYYY-MM-DD"


@pytest.mark.parametrize(
    "text", ["Aug 35", "yesterday", "", "2020", "2020-8-155", "Foo 15, 2020", "15 Smarch 2020", "2020-08-15 noon"]
)
def test_non_dates(text: str) -> None:
    assert refused(text) == f"date '{text.strip()}' is not a date"


@pytest.mark.parametrize("value", [1597516800, 2020, "1597516800"])
def test_numbers_and_unix_timestamps_are_refused_with_advice(value: object) -> None:
    assert refused(value) == f"'{value}' is not a date; write it as '2020-08-15' or '2020-08-15 18:40'"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (None, "an empty value is not a date"),
        (True, "'True' is not a date"),
        (3.5, "'3.5' is not a date"),
        (["2020-08-15"], "'['2020-08-15']' is not a date"),
    ],
)
def test_other_types_are_refused(value: object, message: str) -> None:
    assert refused(value) == message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2017-11-8", datetime(2017, 11, 8, tzinfo=LONDON)),  # Jekyll sites write unpadded days
        ("2017-1-8 9:30", datetime(2017, 1, 8, 9, 30, tzinfo=LONDON)),
        ("2016-03-21 12:00 EDT", datetime(2016, 3, 21, 12, 0, tzinfo=offset(-4))),
        ("2016-01-21 12:00 EST", datetime(2016, 1, 21, 12, 0, tzinfo=offset(-5))),
        ("2016-07-01 08:00 PDT", datetime(2016, 7, 1, 8, 0, tzinfo=offset(-7))),
        ("2016-07-01 08:00 CEST", datetime(2016, 7, 1, 8, 0, tzinfo=offset(2))),
    ],
)
def test_forms_of_migrated_sites(text: str, expected: datetime) -> None:
    result = parse_date(text, LONDON)
    assert result == expected
    assert result.utcoffset() == expected.utcoffset()


@pytest.mark.parametrize("name", ["CST", "IST", "BST", "AST", "XYZ"])
def test_zone_abbreviations_naming_several_zones_are_refused(name: str) -> None:
    assert refused(f"2016-03-21 12:00 {name}") == (
        f"time zone '{name}' is ambiguous or unknown; write the offset, such as '-05:00'")


def test_wordpress_year_minus_one_is_refused() -> None:
    text = "Wed, 30 Nov -0001 00:00:00 +0000"
    assert refused(text) == f"date '{text}' has the year -0001, WordPress's way of saying 'no date'; give a real date"


def test_date_error_is_a_value_error() -> None:
    assert issubclass(DateError, ValueError)


# --- date_from_filename -------------------------------------------------------


@pytest.mark.parametrize(
    ("stem", "expected"),
    [
        ("2020-08-15-lukashenko-putin-call", "2020-08-15"),
        ("2020-08-15", "2020-08-15"),
        ("2020-08-15call", None),
        ("call-2020-08-15", None),
        ("2020-8-15-call", "2020-08-15"),  # Jekyll accepts unpadded file-name dates
        ("2019-12-3-long-term-teams", "2019-12-03"),
        ("20200815-call", None),
        ("call", None),
        ("", None),
    ],
)
def test_date_from_filename(stem: str, expected: str | None) -> None:
    assert date_from_filename(stem) == expected


def test_date_from_filename_does_not_validate_the_day() -> None:
    # Validation is parse_date's job, so the author hears "no such day".
    assert date_from_filename("2020-02-30-call") == "2020-02-30"
    assert refused(date_from_filename("2020-02-30-call")) == "date '2020-02-30' is not a date (no such day)"
