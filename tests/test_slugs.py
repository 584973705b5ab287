"""Unit tests for ``slugify`` and ``fold``."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.text.slugs import MAX_LENGTH, fold, slugify


def assert_safe(slug: str) -> None:
    """Letters, digits, marks of non-Latin scripts and single inner hyphens only."""
    assert ".." not in slug
    assert "/" not in slug and "\\" not in slug
    assert "--" not in slug
    assert not slug.startswith("-") and not slug.endswith("-")
    assert all(unicodedata.category(ch)[0] != "C" for ch in slug), "control/format character survived"
    assert all(ch == "-" or ch.isalnum() or unicodedata.category(ch)[0] == "M" for ch in slug)


# --- fold ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Économie", "economie"),
        ("naïve café", "naive cafe"),
        ("ÅNGSTRÖM", "angstrom"),
        ("Straße", "strasse"),
        ("Œuvre", "oeuvre"),
        ("Ærø", "aero"),
        ("Łódź", "lodz"),
        ("Þór", "thor"),
        ("Đorđe", "dorde"),
        ("ﬁne", "fine"),
        ("İstanbul", "istanbul"),
        ("Nguyễn", "nguyen"),
    ],
)
def test_fold_strips_accents_from_latin_letters_and_lowercases(text: str, folded: str) -> None:
    assert fold(text) == folded


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Беларусь", "беларусь"),
        ("Сергей", "сергей"),  # й is a letter of its own, not и with an accent
        ("Київ", "київ"),
        ("オリンピック", "オリンピック"),  # ピ must not lose its mark and become ヒ
        ("東京", "東京"),
        ("서울", "서울"),
        ("हिन्दी", "हिन्दी"),
        ("עִבְרִית", "עִבְרִית"),
        ("Ελλάδα", "ελλάδα"),
    ],
)
def test_fold_keeps_letters_of_other_scripts(text: str, folded: str) -> None:
    assert fold(text) == unicodedata.normalize("NFC", folded)


def test_fold_makes_case_and_accent_variants_equal() -> None:
    assert fold("Économie") == fold("economie") == fold("ECONOMIE") == fold("Economie")
    assert fold("Elections") == fold("elections")


# --- slugify ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Hello World!", "hello-world"),
        ("Économie", "economie"),
        ("Council Votes on Budget", "council-votes-on-budget"),
        ("Kestrel Bay: the mayor's  plan", "kestrel-bay-the-mayors-plan"),
        ("version 1.2.3", "version-1-2-3"),
        ("snake_case_name", "snake-case-name"),
        ("hello---world", "hello-world"),
        ("  --trim me--  ", "trim-me"),
        ("a/b\\c", "a-b-c"),
        ("one·two–three—four", "one-two-three-four"),
        ("tabs\tand\nnewlines", "tabs-and-newlines"),
        ("AT&T", "att"),
        ("50% off", "50-off"),
        ("don’t", "dont"),
        ("１２３", "123"),
        ("x²", "x2"),
    ],
)
def test_slugify_latin(text: str, slug: str) -> None:
    assert slugify(text) == slug
    assert_safe(slugify(text))


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Беларусь: протесты", "беларусь-протесты"),
        ("Сергей Тихановский", "сергей-тихановский"),
        ("東京 オリンピック", "東京-オリンピック"),
        ("हिन्दी समाचार", "हिन्दी-समाचार"),
        ("العربية", "العربية"),
        ("Αθήνα", "αθήνα"),
    ],
)
def test_slugify_keeps_other_scripts(text: str, slug: str) -> None:
    assert slugify(text) == unicodedata.normalize("NFC", slug)
    assert_safe(slugify(text))


@pytest.mark.parametrize(
    "text",
    ["..", "../../etc/passwd", "a..b", "/etc/passwd", "C:\\Windows\\system32", "a\x00b", "a\x01\x1f\x7fb",
     "a\u200bb\u200d", "a\u202eb", ". . .", "...hidden", "x/../y", "é\u0301\u0301", "\u0301leading mark"],
)
def test_dangerous_input_gives_safe_slugs(text: str) -> None:
    assert_safe(slugify(text))


def test_path_traversal_is_flattened() -> None:
    assert slugify("../../etc/passwd") == "etc-passwd"
    assert slugify("..") == ""
    assert slugify("a..b") == "a-b"


def test_nul_and_control_characters_never_survive() -> None:
    assert slugify("a\x00b") == "ab"
    assert slugify("a\x01\x1fb\x7f") == "a-b"
    assert slugify("zero\u200bwidth") == "zerowidth"


@pytest.mark.parametrize("text", ["!!!", "", "   ", "—", "...", "???", "🎉", "-_-", "\x00"])
def test_no_letters_or_digits_gives_empty_slug(text: str) -> None:
    assert slugify(text) == ""


@pytest.mark.parametrize(("text", "slug"), [("con", "con-1"), ("CON", "con-1"), ("Nul", "nul-1"),
                                            ("aux", "aux-1"), ("prn", "prn-1"), ("COM1", "com1-1"),
                                            ("lpt9", "lpt9-1")])
def test_reserved_device_names_are_changed(text: str, slug: str) -> None:
    assert slugify(text) == slug


def test_reserved_names_only_match_whole_slugs() -> None:
    assert slugify("con.txt") == "con-txt"
    assert slugify("Console") == "console"
    assert slugify("com10") == "com10"


def test_long_text_is_cut_at_a_word_boundary() -> None:
    text = " ".join(["word"] * 40)  # 199 characters as a slug
    slug = slugify(text)
    assert len(slug) <= MAX_LENGTH
    assert slug.endswith("-word")
    assert set(slug.split("-")) == {"word"}
    assert slugify(text[:30]) == "-".join(["word"] * 6)


def test_long_word_without_hyphens_is_cut_hard() -> None:
    assert slugify("a" * 200) == "a" * MAX_LENGTH


def test_cut_does_not_leave_a_trailing_hyphen() -> None:
    slug = slugify("a" * 119 + " bcd")
    assert slug == "a" * 119
    assert_safe(slug)


def test_short_text_is_not_cut() -> None:
    text = "x" * MAX_LENGTH
    assert slugify(text) == text


@pytest.mark.parametrize("text", ["東京オリンピック" * 20, "Беларусь " * 30, "हिन्दी " * 40])
def test_long_non_latin_slug_fits_a_file_name(text: str) -> None:
    # Most file systems cap a name at 255 bytes; an index.html folder needs its slug to fit.
    slug = slugify(text)
    assert slug
    assert len(slug.encode("utf-8")) <= 255
    assert len(slug) <= MAX_LENGTH
    assert_safe(slug)


def test_slugify_is_idempotent() -> None:
    for text in ["Hello World!", "Économie", "Беларусь: протесты", "東京 オリンピック", "con", "a" * 200]:
        once = slugify(text)
        assert slugify(once) == once


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet=st.characters(max_codepoint=127), max_size=40))
def test_fold_takes_a_short_cut_for_ascii_with_the_same_result(text: str) -> None:
    """ASCII is only lower-cased; with one accented letter added, the full path gives the same."""
    assert fold(text) == text.casefold()
    assert fold(text + "É") == text.casefold() + "e"
