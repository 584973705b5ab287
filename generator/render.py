"""Rendering pages through the theme's Jinja templates.

The environment is created once per build (and, later, once per worker). It
autoescapes HTML and XML, fails on undefined variables instead of printing
nothing, and exposes a small set of helpers so templates never build URLs by
string concatenation.
"""

from __future__ import annotations

import sys
import traceback
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path

import jinja2
from markupsafe import Markup

from generator import seo, urls
from generator.articles import Term
from generator.config import Config
from generator.errors import BuildError
from generator.pages import Page, month_name
from generator.site import Site
from generator.sources import Asset
from generator.themes import Theme, fingerprint


def _strftime(moment: datetime, pattern: str) -> str:
    """``strftime`` with ``%-d``-style unpadded fields on every platform."""
    for code in "dmHIjM":
        unpadded = {"d": moment.day, "m": moment.month, "H": moment.hour, "I": moment.hour % 12 or 12,
                    "j": moment.timetuple().tm_yday, "M": moment.minute}[code]
        pattern = pattern.replace(f"%-{code}", str(unpadded))
    return moment.strftime(pattern)


class _Helpers:
    """Functions and filters templates call; they close over config and site."""

    def __init__(self, config: Config, assets: Mapping[str, Asset]) -> None:
        self.config = config
        self.assets = assets
        self._fingerprints: dict[str, str] = {}

    def local(self, moment: datetime) -> datetime:
        return moment.astimezone(self.config.tz)

    def date(self, moment: datetime, pattern: str | None = None) -> str:
        return _strftime(self.local(moment), pattern or self.config.date_format)

    def time(self, moment: datetime) -> str:
        return _strftime(self.local(moment), self.config.time_format)

    def static_url(self, path: str) -> str:
        asset = self.assets.get(path.lstrip("/"))
        if asset is None:
            raise jinja2.TemplateRuntimeError(f"static_url: no static file '{path}' in static/ or the theme")
        if path not in self._fingerprints:
            self._fingerprints[path] = fingerprint(asset.source)
        return urls.site_path(self.config, path) + "?v=" + self._fingerprints[path]

    def term_url(self, kind: str, term: Term) -> str:
        return urls.expand(self.config, kind, slug=term.slug)

    def feed_url(self, kind: str | None = None, term: Term | None = None) -> str:
        if kind is None or term is None:
            return urls.site_path(self.config, "/feed.xml")
        return self.term_url(kind, term) + "feed.xml"

    def archive_url(self, year: int, month: int | None = None) -> str:
        if month is None:
            return urls.expand(self.config, "archive_year", year=f"{year:04d}")
        return urls.expand(self.config, "archive_month", year=f"{year:04d}", month=f"{month:02d}")

    def url(self, kind: str, **fields: object) -> str:
        return urls.expand(self.config, kind, **fields)

    def abs_url(self, url: str) -> str:
        return urls.absolute(self.config, url)

    def article_jsonld(self, article: object) -> Markup:
        return seo.news_article(self.config, article)  # type: ignore[arg-type]

    def website_jsonld(self) -> Markup:
        return seo.website(self.config)


def make_environment(
    config: Config, chain: tuple[Theme, ...], assets: Mapping[str, Asset], site: Site
) -> jinja2.Environment:
    """The Jinja environment for one build of one site."""
    site_templates = config.site_dir / "templates"
    chain_loaders = [jinja2.FileSystemLoader(str(theme.templates)) for theme in chain]
    prefixed = {
        theme.name: jinja2.ChoiceLoader(chain_loaders[position:]) for position, theme in enumerate(chain)
    }
    loader = jinja2.ChoiceLoader(
        [jinja2.FileSystemLoader(str(site_templates)), *chain_loaders, jinja2.PrefixLoader(prefixed)]
    )
    env = jinja2.Environment(
        loader=loader,
        autoescape=jinja2.select_autoescape(("html", "htm", "xml"), default_for_string=True, default=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
    )
    helpers = _Helpers(config, assets)
    env.filters.update(date=helpers.date, time=helpers.time, local=helpers.local, absolute=helpers.abs_url)
    env.globals.update(
        config=config,
        site=site,
        static_url=helpers.static_url,
        term_url=helpers.term_url,
        feed_url=helpers.feed_url,
        archive_url=helpers.archive_url,
        url=helpers.url,
        abs_url=helpers.abs_url,
        article_jsonld=helpers.article_jsonld,
        website_jsonld=helpers.website_jsonld,
        month_name=month_name,
    )
    return env


def render_page(page: Page, env: jinja2.Environment) -> bytes | BuildError:
    """The page's HTML as UTF-8 bytes, or an error naming the template line."""
    try:
        template = env.select_template(list(page.templates))
        html = template.render({**page.context, "page": page})
    except jinja2.TemplateSyntaxError as exc:
        return BuildError(_template_path(env, exc.filename, exc.name), exc.lineno, f"template syntax error: {exc.message}")
    except jinja2.TemplatesNotFound as exc:
        return BuildError(page.origin.path, None, f"no template for {page.url}: looked for {', '.join(exc.templates)}")
    except Exception as exc:  # noqa: BLE001 - any template runtime failure becomes an author error
        path, line = _template_frame(env, sys.exc_info()[2])
        message = exc.message if isinstance(exc, jinja2.TemplateError) and exc.message else str(exc)
        if isinstance(exc, jinja2.UndefinedError):
            message = f"undefined variable: {message}"
        return BuildError(path, line, f"template error while rendering {page.url}: {message}")
    return html.encode("utf-8")


def _template_path(env: jinja2.Environment, filename: str | None, name: str | None) -> str:
    if filename:
        return _relative_to_site(env, Path(filename))
    return f"templates/{name}" if name else "templates"


def _relative_to_site(env: jinja2.Environment, path: Path) -> str:
    site_dir: Path = env.globals["config"].site_dir  # type: ignore[union-attr]
    try:
        return path.resolve().relative_to(site_dir.resolve()).as_posix()
    except ValueError:
        from generator.themes import BUILTIN_THEMES

        try:
            return "<built-in>/" + path.resolve().relative_to(BUILTIN_THEMES.parent.resolve()).as_posix()
        except ValueError:
            return str(path)


def _template_frame(env: jinja2.Environment, tb) -> tuple[str, int | None]:  # type: ignore[no-untyped-def]
    """The innermost template file and line in a traceback."""
    found: tuple[str, int | None] = ("templates", None)
    for frame, line in traceback.walk_tb(tb):
        filename = frame.f_code.co_filename
        if filename.endswith((".html", ".xml", ".htm", ".j2", ".jinja")):
            found = (_relative_to_site(env, Path(filename)), line)
    return found
