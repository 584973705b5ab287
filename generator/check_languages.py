"""What ``dateline check`` says of a site in several languages: translations that do not pair up.

A ``translation_key`` written in an article promises a version in another
language; one that no other published article shares links nothing (a
typo, or a translation not yet published). Two articles of one language
with one key cannot both be the translation: the site links the first by
file name and the check names the other. (A ``lang`` that is not one of
the site's languages is a warning of the build itself.)
"""

from __future__ import annotations

from collections import defaultdict

from generator.content.article import Article
from generator.errors import BuildError


def translation_problems(articles: tuple[Article, ...], home_language: str) -> tuple[list[BuildError], list[BuildError]]:
    """``(errors, warnings)`` about the translations among the published ``articles`` of every language."""
    groups: dict[str, list[Article]] = defaultdict(list)
    for article in sorted(articles, key=lambda a: a.source):
        groups[f"{article.kind}:{article.translation_key}"].append(article)
    errors: list[BuildError] = []
    warnings: list[BuildError] = []
    for members in groups.values():
        explicit = [a for a in members if "translation_key" in a.lines]
        languages = {a.in_language_code(home_language) for a in members}
        if explicit and len(languages) < 2:
            for article in explicit:
                warnings.append(BuildError(article.source, article.line_of("translation_key"),
                                           f"translation_key '{article.translation_key}' is shared by no article in "
                                           "another language: this translation points to nothing"))
        seen: dict[str, Article] = {}
        for article in members:
            code = article.in_language_code(home_language)
            first = seen.setdefault(code, article)
            if first is not article:
                errors.append(BuildError(article.source, article.line_of("translation_key", "lang", "title"),
                                         f"'{first.source}' is already the '{code}' version of translation_key "
                                         f"'{article.translation_key}'; give this one its own key"))
    return errors, warnings
