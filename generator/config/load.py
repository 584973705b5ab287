"""``load_config(site_dir) -> (Config, warnings)``: read, check and freeze ``config.toml``."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from generator.config.languages import read_languages
from generator.config.model import (
    CONFIG_NAME,
    DEFAULT_MARKDOWN_EXTENSIONS,
    DEFAULT_URLS,
    AuthorProfile,
    Config,
    ImageSettings,
    MarkdownSettings,
    SearchSettings,
    TrustSettings,
)
from generator.config.schema import (
    AUTHOR_KEYS,
    CONTENT_KEYS,
    SCHEMA,
    TABLES,
    TRUST_KEYS,
    URL_FIELDS,
    Validator,
    header_problem,
)
from generator.config.themes import find_theme
from generator.config.toml_lines import read_toml
from generator.errors import BuildError, BuildFailed
from generator.frozen import FrozenDict
from generator.text.slugs import slugify


def _check_url_pattern(name: str, pattern: str) -> str | None:
    if name == "pagination":
        if pattern.startswith("/") or not pattern.endswith("/"):
            return "must be a relative path ending in '/', such as 'page/{number}/'"
    elif name in ("article", "page") and pattern.startswith("/") and re.search(r"}[^/{}]*\.[A-Za-z0-9]{1,8}$", pattern):
        pass  # an old site's literal ending: '/{year}/{month}/{day}/{filename}.html'
    elif not (pattern.startswith("/") and pattern.endswith("/")):
        return "must start and end with '/', such as '/tags/{slug}/'"
    if ".." in pattern or "\\" in pattern or "//" in pattern:
        return "must not contain '..', '//' or backslashes"
    used = set(re.findall(r"{([^{}]*)}", pattern))
    unknown = used - URL_FIELDS[name]
    if unknown:
        allowed = ", ".join("{" + f + "}" for f in sorted(URL_FIELDS[name])) or "none"
        return f"uses unknown placeholder {{{sorted(unknown)[0]}}} (allowed: {allowed})"
    needed = {"slug"} & URL_FIELDS[name] or {"number"} & URL_FIELDS[name]
    if needed and not needed <= used and not (name in ("article", "page") and "filename" in used):
        return f"must contain {{{sorted(needed)[0]}}} so that every page gets its own URL"
    if name == "archive_year" and "year" not in used:
        return "must contain {year}"
    if name == "archive_month" and not {"year", "month"} <= used:
        return "must contain {year} and {month}"
    try:  # a stray brace passes the checks above but would fail every expansion
        pattern.format_map(dict.fromkeys(URL_FIELDS[name], "x"))
    except (ValueError, KeyError, IndexError) as exc:
        return f"is not a valid pattern: {exc}"
    return None


def load_config(site_dir: Path) -> tuple[Config, list[BuildError]]:
    """Read and validate ``config.toml``; return it with any warnings.

    Raises ``BuildFailed`` with every error found, each naming its line.
    """
    try:
        text, data = read_toml(site_dir / CONFIG_NAME, CONFIG_NAME)
    except FileNotFoundError:
        raise BuildFailed(
            [BuildError(CONFIG_NAME, None, f"no {CONFIG_NAME} in {site_dir}; is this a Dateline site?")]
        ) from None
    return parse_config(site_dir, text, data)


def parse_config(site_dir: Path, text: str, data: Mapping[str, Any]) -> tuple[Config, list[BuildError]]:
    """Validate already-parsed TOML ``data`` (``text`` supplies line numbers)."""
    v = Validator(CONFIG_NAME, text)
    top = v.table(data, SCHEMA, ())
    tables = {name: v.table(top.get(name, {}), keys, (name,)) for name, keys in TABLES.items()}

    urls = dict(DEFAULT_URLS)
    for name, pattern in tables["urls"].items():
        problem = _check_url_pattern(name, pattern)
        if problem:
            v.error(("urls", name), f"'urls.{name}' {problem}")
        else:
            urls[name] = pattern

    authors: dict[str, AuthorProfile] = {}
    for slug, profile in top.get("authors", {}).items():
        if not isinstance(profile, dict):
            v.error(("authors", slug), f"'authors.{slug}' must be a table with at least 'name'")
            continue
        if slugify(slug) != slug:
            v.error(("authors", slug), f"'authors.{slug}' must be named by the author's slug, "
                                       f"as in their URL: [authors.{slugify(slug) or 'name'}]")
            continue
        values = v.table(profile, AUTHOR_KEYS, ("authors", slug))
        if "name" in values:
            authors[slug] = AuthorProfile(**{**values, "links": tuple(values.get("links", ()))})

    markdown = MarkdownSettings(
        engine=tables["markdown"].get("engine", "python-markdown"),
        raw_html=tables["markdown"].get("raw_html", True),
        highlight=tables["markdown"].get("highlight", True),
        extensions=tuple(tables["markdown"].get("extensions", DEFAULT_MARKDOWN_EXTENSIONS)),
        extension_configs=FrozenDict(dict(tables["markdown"].get("extension_configs", {}))),
    )
    _check_markdown(v, markdown)
    image_values = tables["images"]
    images = ImageSettings(
        widths=tuple(sorted(set(image_values.get("widths", ImageSettings.widths)))),
        formats=tuple(image_values.get("formats", ImageSettings.formats)),
        quality=image_values.get("quality", ImageSettings.quality),
        sizes=image_values.get("sizes", ImageSettings.sizes),
    )
    trust = _trust(v, top, markdown)
    headers: dict[str, str] = {}
    for name, value in top.get("headers", {}).items():
        problem = header_problem(name, value)
        if problem:
            v.error(("headers", name), problem)
        else:
            headers[name] = value
    languages = read_languages(v, top)
    if "theme" in top and find_theme(site_dir, top["theme"]) is None:
        v.error(("theme",), f"theme '{top['theme']}' not found in themes/ or the built-in themes")

    if v.errors:
        raise BuildFailed(v.errors)

    simple = {
        key: value
        for key, value in top.items()
        if key not in {"publisher", "social", "urls", "markdown", "images", "content", "headers", "search", "authors",
                       "extra", "sections", "exclude", "languages"}
    }
    publisher_name = tables["publisher"].get("name", top["title"])
    if "copyright" in simple:  # the README's "© {publisher}"
        simple["copyright"] = simple["copyright"].replace("{publisher}", publisher_name)
    config = Config(
        site_dir=site_dir,
        **simple,
        sections=tuple(top.get("sections", ())),
        exclude=tuple(top.get("exclude", ())),
        publisher_name=publisher_name,
        publisher_logo=tables["publisher"].get("logo", ""),
        twitter_site=tables["social"].get("twitter", ""),
        urls=FrozenDict(urls),
        markdown=markdown,
        images=images,
        trust=trust,
        search=SearchSettings(enabled=tables["search"].get("enabled", False)),
        headers=FrozenDict(headers),
        authors=FrozenDict(authors),
        extra=FrozenDict(dict(top.get("extra", {}))),
        languages=FrozenDict(languages),
    )
    return config, v.warnings


def _trust(v: Validator, top: Mapping[str, Any], markdown: MarkdownSettings) -> TrustSettings:
    """``[content.trust]``; a site that only set ``raw_html = false`` is untrusted by default.

    That key was once the README's advice for sites publishing contributions
    from people they do not trust; such a site now gets the sanitiser too.
    """
    content = v.table(top.get("content", {}), CONTENT_KEYS, ("content",))
    values = v.table(content.get("trust", {}), TRUST_KEYS, ("content", "trust"))
    default = values.get("default", "trusted" if markdown.raw_html else "untrusted")
    return TrustSettings(
        trusted_by_default=default == "trusted",
        untrusted=tuple(folder.strip("/") for folder in values.get("untrusted", ())),
        trusted=tuple(folder.strip("/") for folder in values.get("trusted", ())),
        embed_hosts=tuple(values.get("embed_hosts", TrustSettings().embed_hosts)),
    )


def _check_markdown(v: Validator, settings: MarkdownSettings) -> None:
    """Fail early, with the line, on extensions Python-Markdown cannot load."""
    import markdown

    for name in settings.extensions:
        try:
            markdown.Markdown(extensions=[name])
        except Exception as exc:  # noqa: BLE001 - any import or config failure
            v.error(("markdown", "extensions"), f"Markdown extension '{name}' cannot be loaded: {exc}")
    for name, options in settings.extension_configs.items():
        if not isinstance(options, dict):
            v.error(("markdown", "extension_configs", name), f"options for '{name}' must be a table")
            continue
        try:
            markdown.Markdown(extensions=[name], extension_configs={name: dict(options)})
        except KeyError as exc:  # Python-Markdown's word for an option it does not have
            v.error(("markdown", "extension_configs", name),
                    f"options for Markdown extension '{name}' are invalid: there is no option {exc}")
        except Exception as exc:  # noqa: BLE001
            v.error(
                ("markdown", "extension_configs", name),
                f"options for Markdown extension '{name}' are invalid: {exc}",
            )
