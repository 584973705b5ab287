"""Unit tests for splitting a Markdown file into frontmatter and body.

Every line number asserted here is a line *of the file* (line 1 is the
opening delimiter), because that is what authors see in their editor.
"""

from __future__ import annotations

import datetime as dt

import pytest

from generator.content.frontmatter import FrontmatterError, normalise_text, split_frontmatter


def split(text: str):
    """``split_frontmatter`` as the article parser calls it: on normalised text."""
    return split_frontmatter(normalise_text(text))


def failure(text: str) -> FrontmatterError:
    with pytest.raises(FrontmatterError) as caught:
        split(text)
    return caught.value


def lines(*rows: str) -> str:
    return "\n".join(rows) + "\n"


# --- normalise_text -----------------------------------------------------------


def test_normalise_text_drops_byte_order_mark() -> None:
    assert normalise_text("\ufeff---\ntitle: x\n") == "---\ntitle: x\n"


def test_normalise_text_turns_crlf_and_cr_into_lf() -> None:
    assert normalise_text("a\r\nb\rc\nd") == "a\nb\nc\nd"


def test_normalise_text_leaves_clean_text_alone() -> None:
    text = "---\ntitle: Ça va\n---\nBody — text\n"
    assert normalise_text(text) == text


# --- YAML ---------------------------------------------------------------------


def test_yaml_fields_lines_and_body() -> None:
    matter = split(lines("---", "title: Hello", "tags: [a, b]", "---", "Body text.", "", "More."))
    assert matter.format == "yaml"
    assert matter.fields == {"title": "Hello", "tags": ["a", "b"]}
    assert matter.lines == {"title": 2, "tags": 3}
    assert matter.start_line == 2
    assert matter.body == "Body text.\n\nMore.\n"
    assert matter.body_line == 5


def test_yaml_key_lines_count_blank_lines_comments_and_multiline_values() -> None:
    matter = split(lines(
        "---",
        "# a comment",
        "title: Hello",
        "",
        "summary: >",
        "  folded text",
        "  over two lines",
        "tags:",
        "  - one",
        "  - two",
        "date: 2020-08-15",
        "---",
        "Body",
    ))
    assert matter.lines == {"title": 3, "summary": 5, "tags": 8, "date": 11}
    assert matter.fields["summary"] == "folded text over two lines\n"
    assert matter.fields["tags"] == ["one", "two"]
    assert matter.body_line == 13
    assert matter.body == "Body\n"


def test_byte_order_mark_and_crlf_do_not_shift_lines() -> None:
    text = "\ufeff---\r\ntitle: Hello\r\ndate: 2020-08-15\r\n---\r\nFirst line\r\nSecond line\r\n"
    matter = split(text)
    assert matter.fields == {"title": "Hello", "date": "2020-08-15"}
    assert matter.lines == {"title": 2, "date": 3}
    assert matter.body == "First line\nSecond line\n"
    assert matter.body_line == 5
    assert "\r" not in matter.body


def test_old_mac_cr_line_ends_are_understood() -> None:
    matter = split("---\rtitle: Hello\rslug: hi\r---\rBody\r")
    assert matter.lines == {"title": 2, "slug": 3}
    assert matter.body == "Body\n"


def test_closing_delimiter_at_end_of_file_gives_empty_body() -> None:
    matter = split("---\ntitle: Hello\n---")
    assert matter.fields == {"title": "Hello"}
    assert matter.body == ""
    assert matter.body_line == 3


def test_delimiters_may_have_trailing_spaces_and_more_dashes() -> None:
    matter = split("---  \ntitle: Hello\n-----\t\nBody\n")
    assert matter.fields == {"title": "Hello"}
    assert matter.body == "Body\n"


def test_later_horizontal_rules_stay_in_the_body() -> None:
    matter = split(lines("---", "title: Hello", "---", "Intro", "", "---", "", "After the rule"))
    assert matter.fields == {"title": "Hello"}
    assert matter.body == "Intro\n\n---\n\nAfter the rule\n"


def test_delimiter_must_be_a_line_of_its_own() -> None:
    # '--- title' is not a delimiter, so the block is never closed.
    error = failure(lines("---", "title: Hello", "--- not a delimiter", "Body"))
    assert error.line == 1
    assert "never closed" in error.message


def test_empty_frontmatter_blocks_give_no_fields() -> None:
    for text in ("---\n---\nBody\n", "---\n\n   \n---\nBody\n", "---\n# only a comment\n---\nBody\n"):
        matter = split(text)
        assert matter.fields == {}
        assert matter.lines == {}
        assert matter.body == "Body\n"


# --- YAML 1.1 surprises -------------------------------------------------------


def test_norway_problem_no_stays_a_string() -> None:
    matter = split(lines("---", "title: NO", "country: no", "answer: No", "---"))
    assert matter.fields == {"title": "NO", "country": "no", "answer": "No"}


@pytest.mark.parametrize("word", ["yes", "Yes", "YES", "on", "On", "off", "OFF", "y", "n"])
def test_yaml_1_1_booleans_stay_strings(word: str) -> None:
    assert split(f"---\nvalue: {word}\n---\n").fields["value"] == word


@pytest.mark.parametrize(("word", "expected"), [("true", True), ("False", False), ("TRUE", True)])
def test_real_booleans_are_booleans(word: str, expected: bool) -> None:
    value = split(f"---\nvalue: {word}\n---\n").fields["value"]
    assert value is expected


@pytest.mark.parametrize(
    "value",
    [
        "2020-08-15",
        "2020-08-15 18:40:00",
        "2020-08-15T18:40:00Z",
        "2013-11-30 12:00:00 +0000",
        "2001-12-14t21:59:43.10-05:00",
    ],
)
def test_yaml_dates_stay_strings(value: str) -> None:
    fields = split(f"---\ndate: {value}\n---\n").fields
    assert fields["date"] == value
    assert not isinstance(fields["date"], (dt.date, dt.datetime))


@pytest.mark.parametrize("value", ["12:30", "1:30:00", "190:20:30.15"])
def test_sexagesimal_numbers_stay_strings(value: str) -> None:
    # YAML 1.1 reads '12:30' as 750 (base 60); an author means a time or a title.
    assert split(f"---\ntitle: {value}\n---\n").fields["title"] == value


@pytest.mark.parametrize("value", ["007", "0755", "0b101", "1:2"])
def test_numbers_with_prefixes_or_leading_zeros_stay_strings(value: str) -> None:
    # YAML 1.1 reads '007' as octal 7 and '0755' as 493: 'slug: 0755' must not become '493'.
    assert split(f"---\nslug: {value}\n---\n").fields["slug"] == value


def test_plain_numbers_and_nulls_are_still_typed() -> None:
    rows = ("count: 42", "negative: -3", "big: 1_000", "ratio: 2.5", "hex: 0x1F", "empty:", "tilde: ~")
    fields = split(lines("---", *rows, "---")).fields
    assert fields == {"count": 42, "negative": -3, "big": 1000, "ratio": 2.5, "hex": 31, "empty": None, "tilde": None}
    assert type(fields["count"]) is int


def test_quoted_values_are_always_strings() -> None:
    fields = split(lines("---", "a: 'yes'", 'b: "2020-08-15"', "c: '12'", "---")).fields
    assert fields == {"a": "yes", "b": "2020-08-15", "c": "12"}


# --- YAML errors --------------------------------------------------------------


def test_unclosed_yaml_frontmatter() -> None:
    error = failure("---\ntitle: Hello\ndate: 2020-08-15\n\nBody without a closing line\n")
    assert error.line == 1
    assert error.message == "frontmatter opened with '---' on line 1 is never closed"


def test_yaml_syntax_error_names_the_line_in_the_file() -> None:
    error = failure(lines("---", "title: Hello", "date: 2020-08-15", "summary: one: two", "---", "Body"))
    assert error.line == 4
    assert error.message.startswith("YAML syntax error in frontmatter:")
    assert "mapping values are not allowed" in error.message


def test_unclosed_bracket_points_at_the_line_that_opened_it() -> None:
    error = failure(lines("---", "title: Hello", "date: 2020-08-15", "tags: [a, b", "---", "Body"))
    assert error.line == 4
    assert error.message == ("YAML syntax error in frontmatter: the list opened with '[' on this line is not closed "
                             "properly: a ']' or a ',' between items is missing "
                             "(the YAML parser says: did not find expected ',' or ']')")


def test_unclosed_quote_points_at_the_line_that_opened_it() -> None:
    error = failure(lines("---", "slug: x", 'title: "Hello', "---", "Body"))
    assert error.line == 3
    assert "YAML syntax error" in error.message


def test_bad_indentation_is_reported_on_its_line() -> None:
    error = failure(lines("---", "title: Hello", "  date: 2020-08-15", "---"))
    assert error.line == 3


def test_yaml_error_line_accounts_for_byte_order_mark_and_crlf() -> None:
    error = failure("\ufeff---\r\ntitle: Hello\r\n\r\nsummary: a: b\r\n---\r\n")
    assert error.line == 4


def test_undefined_alias_is_an_error_with_its_line() -> None:
    error = failure(lines("---", "title: Hello", "slug: *nothing", "---"))
    assert error.line == 3
    assert "alias" in error.message


def test_duplicate_yaml_key_names_both_lines() -> None:
    error = failure(lines("---", "title: First", "date: 2020-08-15", "title: Second", "---"))
    assert error.line == 4
    assert error.message == "duplicate key 'title' (first set on line 2)"


@pytest.mark.parametrize(
    ("block", "line"),
    [("- a\n- b\n", 2), ("just a sentence\n", 2), ("\n\n'quoted'\n", 4)],
)
def test_frontmatter_that_is_not_a_mapping_is_refused(block: str, line: int) -> None:
    error = failure(f"---\n{block}---\nBody\n")
    assert error.line == line
    assert error.message == "frontmatter must be a list of 'key: value' lines"


def test_complex_keys_are_refused() -> None:
    error = failure(lines("---", "title: Hello", "? [a, b]", ": value", "---"))
    assert error.line == 3
    assert error.message == "frontmatter keys must be plain names"


@pytest.mark.parametrize("key", ["1", "2020", "true", "null", "~", "1.5"])
def test_keys_that_yaml_reads_as_numbers_booleans_or_null_are_refused(key: str) -> None:
    # They would otherwise reach the article parser as non-string keys.
    error = failure(lines("---", "title: Hello", f"{key}: value", "---"))
    assert error.line == 3
    assert error.message == "frontmatter keys must be plain names"


def test_quoted_numeric_key_is_a_plain_name() -> None:
    assert split(lines("---", "'2020': value", "---")).fields == {"2020": "value"}


# --- TOML ---------------------------------------------------------------------


def test_toml_fields_lines_and_body() -> None:
    matter = split(lines(
        "+++",
        'title = "Hello"',
        "",
        "date = 2020-08-15",
        'tags = ["a", "b"]',
        "+++",
        "Body text.",
    ))
    assert matter.format == "toml"
    assert matter.fields == {"title": "Hello", "date": dt.date(2020, 8, 15), "tags": ["a", "b"]}
    assert matter.lines == {"title": 2, "date": 4, "tags": 5}
    assert matter.body == "Body text.\n"
    assert matter.body_line == 7


def test_toml_native_datetimes_are_kept() -> None:
    fields = split(lines("+++", "date = 2020-08-15T18:40:00+03:00", "updated = 2020-08-16T09:00:00", "+++")).fields
    assert fields["date"] == dt.datetime(2020, 8, 15, 18, 40, tzinfo=dt.timezone(dt.timedelta(hours=3)))
    assert fields["updated"] == dt.datetime(2020, 8, 16, 9, 0)


def test_toml_tables_are_top_level_keys_with_the_header_line() -> None:
    matter = split(lines("+++", 'title = "Hello"', "", "[extra]", 'kicker = "Exclusive"', "score = 3", "+++", "Body"))
    assert matter.fields == {"title": "Hello", "extra": {"kicker": "Exclusive", "score": 3}}
    assert matter.lines == {"title": 2, "extra": 4}


def test_toml_dotted_keys_map_to_their_first_segment() -> None:
    matter = split(lines("+++", 'title = "Hello"', 'extra.kicker = "K"', "+++"))
    assert matter.fields == {"title": "Hello", "extra": {"kicker": "K"}}
    assert matter.lines == {"title": 2, "extra": 3}


def test_toml_with_crlf_and_byte_order_mark() -> None:
    matter = split('\ufeff+++\r\ntitle = "Hello"\r\nslug = "hi"\r\n+++\r\nBody\r\n')
    assert matter.fields == {"title": "Hello", "slug": "hi"}
    assert matter.lines == {"title": 2, "slug": 3}
    assert matter.body == "Body\n"


def test_unclosed_toml_frontmatter() -> None:
    error = failure('+++\ntitle = "Hello"\n\nBody\n')
    assert error.line == 1
    assert error.message == "frontmatter opened with '+++' on line 1 is never closed"


def test_toml_syntax_error_names_the_line_in_the_file() -> None:
    error = failure(lines("+++", 'title = "Hello"', "", "date = ", 'slug = "x"', "+++", "Body"))
    assert error.line == 4
    assert error.message.startswith("TOML syntax error in frontmatter:")
    assert "(at line" not in error.message  # the block-relative position is replaced by the file line


def test_toml_duplicate_key_is_a_syntax_error_on_the_second_line() -> None:
    error = failure(lines("+++", 'title = "One"', 'slug = "x"', 'title = "Two"', "+++"))
    assert error.line == 4
    assert error.message.startswith("TOML syntax error in frontmatter:")


def test_yaml_delimiters_inside_toml_body_do_not_matter() -> None:
    matter = split(lines("+++", 'title = "Hello"', "+++", "---", "Not frontmatter"))
    assert matter.fields == {"title": "Hello"}
    assert matter.body == "---\nNot frontmatter\n"


# --- no frontmatter at all ----------------------------------------------------


@pytest.mark.parametrize("text", ["", "\n\n", "   \n\t\n", "\ufeff", "\r\n\r\n"])
def test_empty_file(text: str) -> None:
    error = failure(text)
    assert error.line == 1
    assert error.message.startswith("file is empty")


def test_file_without_frontmatter() -> None:
    error = failure("# Just a heading\n\nSome text.\n")
    assert error.line == 1
    assert error.message == "no frontmatter: the file must start with a '---' (YAML) or '+++' (TOML) line"


def test_missing_opening_delimiter_gets_a_hint() -> None:
    error = failure("title: Hello\ndate: 2020-08-15\n---\nBody\n")
    assert error.line == 1
    assert "did you forget" in error.message


def test_frontmatter_must_start_on_the_first_line() -> None:
    error = failure("\n---\ntitle: Hello\n---\nBody\n")
    assert error.line == 1
    assert error.message.startswith("no frontmatter")


def test_frontmatter_error_is_a_value_error_with_line_and_message() -> None:
    error = FrontmatterError(7, "something is wrong")
    assert isinstance(error, ValueError)
    assert (error.line, error.message, str(error)) == (7, "something is wrong", "something is wrong")
