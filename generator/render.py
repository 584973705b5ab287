"""Rendering pages through the theme's Jinja templates.

The environment is created once per build (and, later, once per worker). It
autoescapes HTML and XML, fails on undefined variables instead of printing
nothing, and exposes a small set of helpers so templates never build URLs by
string concatenation.
"""

from __future__ import annotations

import sys
import traceback
import types
from collections import ChainMap
from collections.abc import Callable, Mapping, MutableMapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import jinja2
from jinja2.loaders import split_template_path
from markupsafe import Markup

from generator import seo, urls
from generator.articles import Article, Term
from generator.config import Config
from generator.errors import BuildError
from generator.graph import CARD_FIELDS
from generator.pages import Page, month_name
from generator.site import Site
from generator.sources import Asset
from generator.themes import Theme


def _strftime(moment: datetime, pattern: str) -> str:
    """``strftime`` with ``%-d``-style unpadded fields on every platform."""
    for code in "dmHIjM":
        unpadded = {"d": moment.day, "m": moment.month, "H": moment.hour, "I": moment.hour % 12 or 12,
                    "j": moment.timetuple().tm_yday, "M": moment.minute}[code]
        pattern = pattern.replace(f"%-{code}", str(unpadded))
    return moment.strftime(pattern)


class _Helpers:
    """Functions and filters templates call; they close over config and site.

    Every page calls them for the same few dozen URLs (the masthead's
    sections, the footer's links, the stylesheet) and dates, so each
    answer is kept for the rest of the build: config and the assets do not
    change during it.
    """

    def __init__(self, config: Config, assets: Mapping[str, Asset]) -> None:
        self.config = config
        self.assets = assets
        self._known: dict[tuple[object, ...], str] = {}

    def _kept(self, key: tuple[object, ...] | None, make: Callable[[], str]) -> str:
        """The answer remembered for ``key``, made once; ``key`` None: an argument that is
        not a plain value (Markup, an undefined variable), answered afresh each time."""
        if key is None:
            return make()
        found = self._known.get(key)
        if found is None:
            found = self._known[key] = make()
        return found

    def local(self, moment: datetime) -> datetime:
        return moment.astimezone(self.config.tz)

    def date(self, moment: datetime, pattern: str | None = None) -> str:
        plain = type(moment) is datetime and (pattern is None or type(pattern) is str)
        return self._kept(("date", moment, pattern) if plain else None,
                          lambda: _strftime(self.local(moment), pattern or self.config.date_format))

    def time(self, moment: datetime) -> str:
        return _strftime(self.local(moment), self.config.time_format)

    def static_url(self, path: str) -> str:
        """The URL of a theme or site static file; a missing file is an error.

        No content hash is added to the URL: it would change every page
        whenever a stylesheet changes, defeating incremental builds and
        live CSS swaps. Hosts revalidate static files with ETags instead.
        """
        def make() -> str:
            if path.lstrip("/") not in self.assets:
                raise jinja2.TemplateRuntimeError(f"static_url: no static file '{path}' in static/ or the theme")
            return urls.site_path(self.config, path)

        return self._kept(("static", path) if type(path) is str else None, make)

    def term_url(self, kind: str, term: Term) -> str:
        return self._kept(("term", kind, term.slug), lambda: urls.expand(self.config, kind, slug=term.slug))

    def feed_url(self, kind: str | None = None, term: Term | None = None) -> str:
        if kind is None or term is None:
            return self._kept(("feed",), lambda: urls.site_path(self.config, "/feed.xml"))
        return self.term_url(kind, term) + "feed.xml"

    def archive_url(self, year: int, month: int | None = None) -> str:
        if month is None:
            return urls.expand(self.config, "archive_year", year=f"{year:04d}")
        return urls.expand(self.config, "archive_month", year=f"{year:04d}", month=f"{month:02d}")

    def url(self, kind: str, **fields: object) -> str:
        return self._kept(None if fields else ("url", kind), lambda: urls.expand(self.config, kind, **fields))

    def abs_url(self, url: str) -> str:
        # Markup passes through as it came, unremembered.
        return self._kept(("absolute", url) if type(url) is str else None, lambda: urls.absolute(self.config, url))

    def article_jsonld(self, article: object) -> Markup:
        return seo.news_article(self.config, article)  # type: ignore[arg-type]

    def website_jsonld(self) -> Markup:
        return seo.website(self.config)


@dataclass(frozen=True)
class Navigation:
    """What every page's masthead and footer show: sections and standalone pages.

    Kept apart from ``site`` so that editing an article's body does not make
    every page that shows the navigation depend on that article.
    """

    sections: tuple[Term, ...]
    pages: tuple[tuple[str, str], ...]  # (url, title)


def navigation(site: Site) -> Navigation:
    return Navigation(
        sections=tuple(entry.term for entry in site.sections),
        pages=tuple((page.url, page.title) for page in site.pages),
    )


# Callables whose ``jinja_pass_arg``, if any, is found by ``getattr``: these
# classes' ``__call__`` carry none.
_PLAIN_CALLABLES = frozenset({
    types.FunctionType, types.MethodType, types.BuiltinFunctionType, types.BuiltinMethodType,
    jinja2.runtime.Macro, jinja2.runtime.BlockReference,
})
_PASS_CONTEXT = jinja2.pass_context(lambda context: None).jinja_pass_arg


class QuickContext(jinja2.runtime.Context):
    """A template context that calls plain functions and macros without Jinja's checks.

    Every ``{{ f(x) }}`` and macro call goes through ``Context.call``, which
    asks the callable and its ``__call__`` whether they want the context
    passed in: up to six ``hasattr`` lookups, most of them failing, at a few
    microseconds a call and dozens of calls a page. For the callables above
    one ``getattr`` answers. Those that want no context, or this context as
    it is, are called here; anything else (callable objects, a context with
    loop or block variables, the environment) takes Jinja's own path.
    """

    @jinja2.utils.internalcode
    def call(__self, __obj: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:  # noqa: N805 - Jinja's spelling
        if type(__obj) not in _PLAIN_CALLABLES:
            return super().call(__obj, *args, **kwargs)
        pass_arg = getattr(__obj, "jinja_pass_arg", None)
        if kwargs:  # what the compiled template passes for context-taking callables
            if pass_arg is not None and (kwargs.get("_loop_vars") or kwargs.get("_block_vars")):
                return super().call(__obj, *args, **kwargs)
            kwargs.pop("_loop_vars", None)
            kwargs.pop("_block_vars", None)
        if pass_arg is _PASS_CONTEXT:
            args = (__self, *args)
        elif pass_arg is not None:
            return super().call(__obj, *args, **kwargs)
        try:
            return __obj(*args, **kwargs)
        except StopIteration:
            return __self.environment.undefined("value was undefined because a callable raised a"
                                                " StopIteration exception")


def escape_output(value: object) -> str:
    """``markupsafe.escape(value)`` as plain ``str``, for what templates output.

    Compiled templates pass every ``{{ … }}`` through ``escape``, whose
    result is only ever joined into the page (or into a macro's or block's
    text, which Jinja marks safe itself). Wrapping each piece in ``Markup``
    first costs more than the escaping, at some eighty pieces a page.
    """
    if value.__class__ is not str:
        html = getattr(value, "__html__", None)
        if html is not None:
            return html()  # type: ignore[no-any-return]
        value = str(value)
    return (value.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")  # type: ignore[attr-defined]
            .replace("'", "&#39;").replace('"', "&#34;"))


class QuickTemplate(jinja2.Template):
    """A template whose output goes through ``escape_output``."""

    @classmethod
    def from_code(cls, environment: jinja2.Environment, code: types.CodeType, globals: Any,  # noqa: A002
                  uptodate: Callable[[], bool] | None = None) -> jinja2.Template:
        template = super().from_code(environment, code, globals, uptodate)
        # The compiled module's own ``escape`` (imported from jinja2.runtime), which
        # its render functions look up when they run.
        template.root_render_func.__globals__["escape"] = escape_output
        return template


class TemplateGlobals(ChainMap[str, Any]):
    """A template's globals over the environment's, as Jinja makes them, with cheap ``keys()``.

    Every ``{% import %}`` of every page works out which of the page's
    globals the imported template lacks, as ``set - globals.keys()``: with a
    ``ChainMap``'s key view that is three Python calls per global, some
    fifteen microseconds a page. A frozenset of the keys as they are now is
    made in C, and still sees any global added later.
    """

    def keys(self) -> frozenset[str]:  # type: ignore[override]
        return frozenset().union(*self.maps)


class RecordingEnvironment(jinja2.Environment):
    """Notes when a template reads more of an article than its story card.

    List pages are fingerprinted by what cards show of each article (see
    ``graph.CARD_FIELDS``), so editing a body re-renders only the pages that
    show the body. A theme that shows more (say, whole articles on the front
    page) is noticed here on the first render, and that page then depends on
    the articles in full.

    Its templates, contexts and globals are Jinja's with faster paths for
    what every page does many times (see each class).
    """

    context_class = QuickContext
    template_class = QuickTemplate
    own_article: object = None
    read_full: bool = False

    def make_globals(self, d: MutableMapping[str, Any] | None) -> MutableMapping[str, Any]:
        return TemplateGlobals({} if d is None else d, self.globals)

    def getattr(self, obj: object, attribute: str) -> object:
        # Every ``a.b`` of every template comes here: the note and Jinja's own
        # ``Environment.getattr`` are spelled out inline.
        if (not self.read_full and isinstance(obj, Article) and obj is not self.own_article
                and attribute not in _CARD_READS):
            self.read_full = True
        try:
            return getattr(obj, attribute)
        except AttributeError:
            pass
        try:
            return obj[attribute]  # type: ignore[index]
        except (TypeError, LookupError, AttributeError):
            return self.undefined(obj=obj, name=attribute)

    def getitem(self, obj: object, argument: object) -> object:
        if (not self.read_full and isinstance(obj, Article) and obj is not self.own_article
                and argument not in _CARD_READS):
            self.read_full = True
        return super().getitem(obj, argument)


# Card fields, the terms behind them, and the derived properties built only from them.
_CARD_READS = frozenset({*CARD_FIELDS, "tags", "section", "authors", "modified", "meta_description"})


def memo_for(env: RecordingEnvironment) -> Callable[..., object]:
    """The ``memo`` global: ``{% call memo("card", article, level) %}…{% endcall %}`` renders the
    block once per build for the same arguments and reuses the HTML.

    A story card of one article looks the same on the front page, its tag,
    section, author and archive pages and beside related articles, and the
    card macro is most of a list page's rendering time. Articles among the
    arguments are told apart by identity. The block must depend on nothing
    but its arguments and the globals. What it read is replayed on every page
    that reuses it, so fingerprints stay right: reading more of an article
    than its card, or reading ``site``. A block about the page's own article
    is always rendered afresh (reads of one's own article are not noted).
    """
    store: dict[tuple[object, ...], tuple[tuple[object, ...], object, bool, bool]] = {}

    @jinja2.pass_context
    def memo(context: jinja2.runtime.Context, *arguments: object, caller: Callable[[], object]) -> object:
        access = context.get("site")
        if env.own_article is not None and any(argument is env.own_article for argument in arguments):
            return caller()
        try:
            key = tuple(("article", id(a)) if isinstance(a, Article) else a for a in arguments)
            found = store.get(key)
        except TypeError:  # an unhashable argument: nothing to remember it by
            return caller()
        if found is None:
            read_before, env.read_full = env.read_full, False
            used_before = isinstance(access, SiteAccess) and access.used
            if isinstance(access, SiteAccess):
                access.used = False
            html = caller()
            found = (arguments, html, env.read_full, isinstance(access, SiteAccess) and access.used)
            store[key] = found  # holding ``arguments`` keeps their ids from being reused
            env.read_full = read_before
            if isinstance(access, SiteAccess):
                access.used = used_before
        if found[2]:
            env.read_full = True
        if found[3] and isinstance(access, SiteAccess):
            access.used = True
        return found[1]

    return memo


class SiteAccess:
    """Stands in for ``site`` during one render and notes whether it was read.

    A page that reads ``site`` (all articles, tags…) depends on the whole site;
    the build records that in the page's fingerprint.
    """

    def __init__(self, site: Site) -> None:
        self._site = site
        self.used = False

    def __getattr__(self, name: str) -> object:
        self.used = True
        return getattr(self._site, name)


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
        pieces = split_template_path(template)
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
        self.store = store

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        data = self.store.get(bucket.key)
        if data is not None:
            bucket.bytecode_from_string(data)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.store[bucket.key] = bucket.bytecode_to_string()


def make_environment(
    config: Config, chain: tuple[Theme, ...], assets: Mapping[str, Asset], site: Site,
    compiled: dict[str, bytes] | None = None,
) -> jinja2.Environment:
    """The Jinja environment for one build of one site.

    ``site`` supplies the navigation; pages get ``site`` itself at render
    time. ``compiled`` keeps compiled templates from one build to the next.
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
    )
    helpers = _Helpers(config, assets)
    env.filters.update(date=helpers.date, time=helpers.time, local=helpers.local, absolute=helpers.abs_url)
    env.globals.update(
        config=config,
        navigation=navigation(site),
        static_url=helpers.static_url,
        term_url=helpers.term_url,
        feed_url=helpers.feed_url,
        archive_url=helpers.archive_url,
        url=helpers.url,
        abs_url=helpers.abs_url,
        article_jsonld=helpers.article_jsonld,
        website_jsonld=helpers.website_jsonld,
        month_name=month_name,
        memo=memo_for(env),
    )
    return env


def render_page(page: Page, env: jinja2.Environment, site: Site) -> tuple[bytes | BuildError, bool, bool]:
    """The page's HTML as UTF-8 bytes (or an error naming the template line),
    whether the templates read the global ``site``, and whether they read more
    of another article than its card (see ``RecordingEnvironment``)."""
    access = SiteAccess(site)
    if isinstance(env, RecordingEnvironment):
        env.own_article, env.read_full = page.context.get("article"), False
    html, used_site = _render(page, env, access)
    return html, used_site, bool(getattr(env, "read_full", True))


def _render(page: Page, env: jinja2.Environment, access: SiteAccess) -> tuple[bytes | BuildError, bool]:
    try:
        template = env.select_template(list(page.templates))
    except jinja2.TemplatesNotFound as exc:
        return BuildError(page.origin.path, None,
                          f"no template for {page.url}: looked for {', '.join(exc.templates)}"), access.used
    except (jinja2.TemplateSyntaxError, TemplateFileError) as exc:
        return _file_error(env, exc), access.used
    try:
        html = template.render({**page.context, "page": page, "site": access})
    except (jinja2.TemplateSyntaxError, TemplateFileError) as exc:
        return _file_error(env, exc), access.used
    except Exception as exc:  # noqa: BLE001 - any template runtime failure becomes an author error
        path, line = _template_frame(env, sys.exc_info()[2])
        message = exc.message if isinstance(exc, jinja2.TemplateError) and exc.message else str(exc)
        if isinstance(exc, jinja2.UndefinedError):
            message = f"undefined variable: {message}"
        elif isinstance(exc, RecursionError):  # Python's wording depends on where the limit is hit
            message = "maximum recursion depth exceeded (a template or macro calls itself without end)"
        elif isinstance(exc, jinja2.TemplateNotFound):
            message = f"template {' or '.join(map(repr, exc.templates))} not found in templates/ or the theme"
        return BuildError(path, line, f"template error while rendering {page.url}: {message}"), access.used
    return html.encode("utf-8"), access.used


def _file_error(env: jinja2.Environment, exc: jinja2.TemplateSyntaxError | TemplateFileError) -> BuildError:
    """A template that does not parse or cannot be read, named with its line."""
    if isinstance(exc, TemplateFileError):
        return BuildError(_template_path(env, exc.filename, None), exc.lineno, exc.message or "")
    return BuildError(_template_path(env, exc.filename, exc.name), exc.lineno, f"template syntax error: {exc.message}")


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
