"""Which language an article is written in, and which articles are its translations.

An article's language is its ``lang`` field, else the language folder it
lives in (``content/ru/…``), else a language suffix of its file name
(``story.ru.md``, as Hugo and Zola write it), else the site's own. Its
translations share its ``translation_key``: the field when set, else the
file's path with the language folder and suffix taken off, so that
``content/news/story.md`` and ``content/ru/news/story.md`` (or
``content/news/story.ru.md``) are one story in two languages.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.config.model import Config


@dataclass(frozen=True, kw_only=True)
class Language:
    """What a file's place and fields say of its language."""

    code: str  # a language of the site (an unknown ``lang`` is reported and falls back to the site's own)
    key: str  # the translation key: the field, else the path without the language folder and suffix
    file_stem: str  # the file's name without its language suffix, for ``{filename}`` in URL patterns
    unknown: str = ""  # a ``lang`` that is not one of the site's languages, as written
    in_pages: bool = False  # in the ``pages`` folder of a language folder (``content/ru/pages/``): a standalone page


def _configured(config: Config, code: str) -> str | None:
    """The site's spelling of ``code`` if it is one of its languages (``RU`` → ``ru``)."""
    return next((known for known in config.languages_all if known.lower() == code.lower()), None)


def language_of(path: str, field: str, explicit_key: str, config: Config) -> Language:
    """The language and translation key of the file at ``path`` (``content/ru/news/x.md``)."""
    parts = path.removeprefix("content/").split("/")
    folder = _configured(config, parts[0]) if len(parts) > 1 and config.languages else None
    if folder is not None:
        parts = parts[1:]
    name = parts[-1].rpartition(".")[0]
    stem, _, suffix = name.rpartition(".")
    by_suffix = _configured(config, suffix) if stem and config.languages else None
    if by_suffix is not None:
        name = stem
    key = "/".join([*parts[:-1], name])
    chosen = _configured(config, field) if field else None
    code = chosen or folder or by_suffix or config.home_language
    unknown = field if field and chosen is None else ""
    return Language(code=code, key=explicit_key or key, file_stem=name, unknown=unknown,
                    in_pages=folder is not None and len(parts) > 1 and parts[0] == "pages")
