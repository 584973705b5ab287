"""The Jinja environment of one build: template lookup, autoescaping, helpers.

It autoescapes HTML and XML, fails on undefined variables instead of printing
nothing, looks templates up in the site's ``templates/`` then the theme
chain (each theme also by prefixed name, ``newsroom/article.html``), and
keeps compiled templates from one build to the next.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from datetime import datetime
from pathlib import Path

import jinja2

from generator.config.model import Config
from generator.content.dates import current_time
from generator.content.sources import Asset
from generator.i18n.catalogue import Catalogue
from generator.i18n.locales import open_graph_locale, text_direction
from generator.images.markup import social_card
from generator.render.helpers import Helpers, navigation
from generator.render.recording import RecordingEnvironment, memo_for
from generator.render.themes import Theme
from generator.site.model import Site


class TemplateFileError(jinja2.TemplateError):
    """A template file that cannot be read, with the line of the problem."""

    def __init__(self, message: str, filename: str, lineno: int | None) -> None:
        super().__init__(message)
        self.filename = filename
        self.lineno = lineno


class _FileLoader(jinja2.FileSystemLoader):
    """A ``FileSystemLoader`` whose unreadable and non-UTF-8 files are author errors."""

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        try:
            return super().get_source(environment, template)
        except UnicodeDecodeError:
            filename = self._find(template)
            data = Path(filename).read_bytes()
            try:
                data.decode(self.encoding)
                bad = 0
            except UnicodeDecodeError as exc:  # the position in the whole file, not in a read buffer
                bad = exc.start
            raise TemplateFileError(f"not valid UTF-8 (byte 0x{data[bad]:02x}); save the file as UTF-8",
                                    filename, data.count(b"\n", 0, bad) + 1) from None
        except jinja2.TemplateNotFound:
            raise
        except OSError as exc:
            raise TemplateFileError(f"cannot read template: {exc.strerror or exc}",
                                    exc.filename or self._find(template), None) from None

    def _find(self, template: str) -> str:
        pieces = template.split("/")  # a name the loader has already accepted
        candidates = [Path(folder, *pieces) for folder in self.searchpath]
        return str(next((path for path in candidates if path.is_file()), candidates[0]))


class CompiledTemplates(jinja2.BytecodeCache):
    """Compiled templates kept in a dict that outlives the environment.

    Every build makes a new environment (the navigation and config may have
    changed), but compiling the theme's templates costs more than rendering
    a page; Jinja checks each entry against its template's source, so an
    edited template is compiled afresh. The dict travels in ``BuildState``.
    """

    def __init__(self, store: dict[str, bytes]) -> None:
        self.store = store  # the build's own copy: the previous build's state is never written to

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        data = self.store.get(bucket.key)
        if data is not None:
            bucket.bytecode_from_string(data)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.store[bucket.key] = bucket.bytecode_to_string()


def make_environment(
    config: Config, chain: tuple[Theme, ...], assets: Mapping[str, Asset], site: Site,
    compiled: dict[str, bytes] | None = None, today: datetime | None = None, catalogue: Catalogue | None = None,
) -> jinja2.Environment:
    """The Jinja environment for one build of one site.

    ``site`` supplies the navigation; pages get ``site`` itself at render
    time. ``compiled`` keeps compiled templates from one build to the next.
    ``today`` is the build's "now" in the site's time zone (default: the
    clock), for a masthead's date; the fingerprint of every template that
    reads it holds its date (see ``incremental.fingerprints.TemplateDigests``).
    ``catalogue`` translates the theme's strings (``_()``, ``ngettext``,
    ``{% trans %}``) into the site's language; without one they stay as written.
    """
    site_templates = config.site_dir / "templates"
    chain_loaders = [_FileLoader(str(theme.templates)) for theme in chain]
    prefixed = {
        theme.name: jinja2.ChoiceLoader(chain_loaders[position:]) for position, theme in enumerate(chain)
    }
    loader = jinja2.ChoiceLoader(
        [_FileLoader(str(site_templates)), *chain_loaders, jinja2.PrefixLoader(prefixed)]
    )
    env = RecordingEnvironment(
        loader=loader,
        autoescape=jinja2.select_autoescape(("html", "htm", "xml"), default_for_string=True, default=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
        bytecode_cache=CompiledTemplates(compiled) if compiled is not None else None,
        extensions=["jinja2.ext.i18n"],
    )
    # Theme strings are marked with _(), ngettext() and {% trans %}; with no catalogue
    # for the site's language they render as written (English).
    if catalogue is None:
        env.install_null_translations(newstyle=True)
    else:
        env.install_gettext_translations(catalogue.translations(), newstyle=True)
    helpers = Helpers(config, assets)
    env.filters.update(date=helpers.date, time=helpers.time, local=helpers.local, absolute=helpers.abs_url,
                       number=helpers.formats.number)
    env.globals.update(
        config=config,
        navigation=navigation(site),
        static_url=helpers.static_url,
        term_url=helpers.term_url,
        feed_url=helpers.feed_url,
        archive_url=helpers.archive_url,
        url=helpers.url,
        abs_url=helpers.abs_url,
        social_card=functools.partial(social_card, config),
        article_jsonld=helpers.article_jsonld,
        website_jsonld=helpers.website_jsonld,
        profile_jsonld=helpers.profile_jsonld,
        page_jsonld=helpers.page_jsonld,
        breadcrumbs_jsonld=helpers.breadcrumbs_jsonld,
        media_url=helpers.media_url,
        link_label=helpers.link_label,
        month_name=helpers.formats.month_name,
        month_year=helpers.formats.month_year,
        join_list=helpers.formats.join,
        text_direction=text_direction(config.language),
        og_locale=open_graph_locale(config.language),
        locale_for_og=open_graph_locale,
        memo=memo_for(env),
        today=today or current_time().astimezone(config.tz),
    )
    return env
