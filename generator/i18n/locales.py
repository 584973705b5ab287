"""The site's ``language`` as a CLDR locale: parsing, text direction, catalogue folder names."""

from __future__ import annotations

from babel import Locale, UnknownLocaleError
from babel.core import get_global


def parse_language(language: str) -> Locale | None:
    """The CLDR locale of a BCP 47 tag such as ``pt-BR``, or None if CLDR has none."""
    try:
        return Locale.parse(language, sep="-")
    except (UnknownLocaleError, ValueError, TypeError):
        return None


def locale_of(language: str) -> Locale:
    """The locale of an already checked ``language``; English if CLDR has none (the check reported it)."""
    return parse_language(language) or Locale("en")


def text_direction(language: str) -> str:
    """``rtl`` for right-to-left scripts (Arabic, Hebrew, Persian, Urdu…), else ``ltr``."""
    return "rtl" if locale_of(language).character_order == "right-to-left" else "ltr"


def open_graph_locale(language: str) -> str:
    """``og:locale`` as Open Graph wants it, ``language_TERRITORY``: ``en-GB`` → ``en_GB``.

    A language without a territory gets CLDR's likeliest one (``en`` →
    ``en_US``, ``ru`` → ``ru_RU``, ``ar`` → ``ar_EG``); write ``language =
    "en-GB"`` to say which.
    """
    locale = locale_of(language)
    if not locale.territory:
        likely = get_global("likely_subtags").get(locale.language)
        if likely:
            locale = Locale.parse(likely)
    return f"{locale.language}_{locale.territory}" if locale.territory else locale.language


def catalogue_names(language: str) -> tuple[str, ...]:
    """Folder names under ``locale/`` to try, most specific first: ``pt_BR``, then ``pt``.

    Folders are named as gettext names them (``pt_BR``, ``zh_Hans_CN``, and
    ``zh_CN`` without the script); the tag as written in ``config.toml``
    (``pt-BR``) is tried too.
    """
    locale = locale_of(language)
    regional = f"{locale.language}_{locale.territory}" if locale.territory else locale.language
    names = [str(locale), regional, language, locale.language]
    return tuple(dict.fromkeys(names))


def language_name(language: str) -> str:
    """The language's name in itself, capitalised as a menu item: ``Русский``, ``English``, ``Deutsch``."""
    name = locale_of(language).get_display_name(locale_of(language)) or language
    return name[:1].upper() + name[1:]
