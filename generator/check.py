"""``dateline check``: what a reader or a search engine would trip over.

Checks a built site (freshly built into a temporary folder, or an existing
output folder) and reports each problem against the Markdown source and line
when the source is known: broken internal links and fragments, images
without alt text, missing summaries, over-long headlines, orphan articles,
and feeds or sitemap entries missing. ``--external`` also requests external
links, a few at a time, with timeouts.
"""

from __future__ import annotations

import concurrent.futures
import tempfile
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from collections import defaultdict
from dataclasses import dataclass, replace
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urldefrag, urljoin, urlsplit

from generator import urls
from generator.build import build
from generator.check_languages import translation_problems
from generator.check_summary import grouped, summary_links
from generator.check_syntax import template_syntax
from generator.config import Config
from generator.content.sources import read_source
from generator.errors import BuildError, location
from generator.load import LoadedSite, load_site
from generator.markdown.active import active_content
from generator.markdown.engine import MORE_PATTERN
from generator.options import BuildOptions
from generator.site.pages import Page

MAX_TITLE = 110  # Google News' guidance for headlines
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@dataclass(frozen=True, order=True)
class Finding:
    """One problem, at a source file and line when known, else at an output file."""

    path: str
    line: int | None
    message: str
    severity: str = "error"  # or "warning"

    def __str__(self) -> str:
        severity = "warning: " if self.severity == "warning" else ""
        return f"{location(self.path, self.line)}: {severity}{self.message}"


@dataclass
class _Document:
    """What one HTML file links to and which fragment ids it defines."""

    ids: set[str]
    links: list[str]
    images: list[dict[str, str | None]]


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.document = _Document(set(), [], [])

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.document.ids.add(values["id"] or "")
        if tag == "a" and values.get("name"):
            self.document.ids.add(values["name"] or "")
        if tag == "a" and values.get("href") is not None:
            self.document.links.append(values["href"] or "")
        if tag in ("img", "source") and values.get("src"):
            self.document.links.append(values["src"] or "")
        if tag == "img":
            self.document.images.append(values)


def _read(path: Path) -> _Document:
    collector = _Collector()
    collector.feed(path.read_text(encoding="utf-8", errors="replace"))
    collector.close()
    return collector.document


def _is_decorative(image: dict[str, str | None]) -> bool:
    classes = (image.get("class") or "").split()
    return image.get("role") in ("presentation", "none") or image.get("aria-hidden") == "true" or "decorative" in classes


def _texts(loaded: LoadedSite) -> dict[str, str]:
    """Every Markdown source's text, read again: the build keeps only what it parsed from them."""
    site_dir = loaded.config.site_dir
    texts = {}
    for path in loaded.parsed:
        source = read_source(site_dir, site_dir / path)
        if not isinstance(source, BuildError):
            texts[path] = source.text
    return texts


class _Locator:
    """Finds where in a Markdown source a URL was written, for ``path:line`` reports."""

    def __init__(self, loaded: LoadedSite, texts: dict[str, str], shown: str) -> None:
        self.config = loaded.config
        self.texts = texts
        self.shown = shown  # before an output file's name (see ``_check``)
        # Lead images are shown on the article and on every card: one report, at the 'image' line.
        self.lead_images = {article.image: article for article in loaded.stories if article.image}

    def line_of(self, source: str, url: str) -> int | None:
        text = self.texts.get(source)
        if text is None:
            return None
        base = self.config.base_path.rstrip("/")
        for candidate in (url, url.removeprefix(base) if base else url, unquote(url)):
            position = text.find(candidate)
            if candidate and position != -1:
                return text.count("\n", 0, position) + 1
        return None


def check_site(site_dir: Path, output: Path | None = None, *, external: bool = False,
               drafts: bool = False, future: bool = False) -> list[Finding]:
    """Build (unless ``output`` is given) and check the site; findings sorted by place."""
    options = BuildOptions(site_dir=site_dir, drafts=drafts, future=future)
    loaded = load_site(options)
    if output is not None:
        return _check(loaded, output, external, _relative_to(site_dir, output))
    with tempfile.TemporaryDirectory(prefix="dateline-check-") as temporary:
        built = Path(temporary) / "site"
        build(BuildOptions(site_dir=site_dir, output=built, drafts=drafts, future=future, remember=False))
        # The folder is gone when the author reads the report: name generated pages by their URL.
        return _check(loaded, built, external, loaded.config.base_path)


def _relative_to(site_dir: Path, output: Path) -> str:
    """How to name a file of an output folder the author gave: ``output/`` under the site, else the full path."""
    resolved = output.resolve()
    shown = resolved.relative_to(site_dir.resolve()) if resolved.is_relative_to(site_dir.resolve()) else resolved
    return f"{shown.as_posix()}/"


def _check(loaded: LoadedSite, output: Path, external: bool, shown: str) -> list[Finding]:
    """Every finding; ``shown`` is put before an output file's name to report it (a folder, or the base path)."""
    config = loaded.config
    findings: list[Finding] = [Finding(w.path, w.line, w.message, "warning") for w in loaded.warnings]
    pages_by_file = loaded.pages_by_output
    documents = {name: _read(output / name) for name in pages_by_file if (output / name).is_file()}
    for name in pages_by_file:
        if name not in documents:
            findings.append(Finding(f"{shown}{name}", None, "page is missing from the output folder; rebuild"))
    texts = _texts(loaded)
    locator = _Locator(loaded, texts, shown)
    findings += _check_links(config, loaded, documents, output, locator, external)
    findings += _check_images(loaded, documents, locator)
    findings += _check_articles(loaded, texts)
    findings += _check_template_syntax(texts)
    findings += _check_trusted_code(loaded, texts)
    findings += _check_orphans(loaded, documents, pages_by_file)
    findings += _check_feeds_and_sitemap(config, loaded, output, shown)
    errors, warnings = translation_problems(tuple(loaded.placed.values()), config.home_language)
    findings += [Finding(e.path, e.line, e.message) for e in errors]
    findings += [Finding(w.path, w.line, w.message, "warning") for w in warnings]
    return sorted(set(findings), key=lambda f: (f.severity != "error", f.path, f.line or 0, f.message))


def _source_of(loaded: LoadedSite, output_name: str) -> str | None:
    """The Markdown file behind an article or page, or None for generated pages."""
    page = loaded.pages_by_output.get(output_name)
    if page is None or "article" not in page.context:
        return None
    return page.context["article"].source  # type: ignore[no-any-return]


def _target_file(config: Config, output: Path, absolute_url: str) -> tuple[Path, str] | None:
    """The output file an internal absolute URL points to, and its fragment."""
    without_fragment, fragment = urldefrag(absolute_url)
    parts = urlsplit(without_fragment)
    path = unquote(parts.path)
    if not path.startswith(config.base_path):
        return None
    relative = path[len(config.base_path):]
    if relative == "" or relative.endswith("/"):
        relative += "index.html"
    return output / relative, unquote(fragment)


def _check_links(config: Config, loaded: LoadedSite, documents: dict[str, _Document], output: Path,
                 locator: _Locator, external: bool) -> list[Finding]:
    site_host = urlsplit(config.base_url).netloc
    in_summaries = summary_links(loaded.stories)
    broken: dict[tuple[str | None, str], list[str]] = defaultdict(list)
    external_links: dict[str, list[tuple[str, str]]] = defaultdict(list)
    fragments: dict[Path, set[str]] = {}
    for name, document in documents.items():
        page_url = urls.absolute(config, urls.site_path(config, "/" + name.removesuffix("index.html")))
        page_source = _source_of(loaded, name)
        for href in document.links:
            # a link on an index page that an article's summary shows is that article's to fix
            source = page_source or in_summaries.get(href)
            if href.startswith(("mailto:", "tel:", "javascript:", "data:")):
                continue
            absolute = urljoin(page_url, href)
            parts = urlsplit(absolute)
            if parts.scheme not in ("http", "https"):
                continue
            if parts.netloc != site_host or not (unquote(parts.path) + "/").startswith(config.base_path):
                external_links[absolute].append((name, href))  # the rest of the domain is another site
                continue
            target = _target_file(config, output, absolute)
            if target is None or not target[0].is_file():
                lead = locator.lead_images.get(href)
                if lead is not None:
                    broken[(lead.source, href)] = [f"{name}: lead image {href} points nowhere"]
                else:
                    broken[(source, href)].append(f"{name}: link to {href} points nowhere")
                continue
            file, fragment = target
            if fragment:
                if file not in fragments:
                    relative = file.relative_to(output).as_posix()
                    fragments[file] = documents[relative].ids if relative in documents else (
                        _read(file).ids if file.suffix == ".html" else set())
                if fragment not in fragments[file]:
                    broken[(source, href)].append(f"{name}: link to {href}: no element with id '{fragment}' there")
    findings = [_link_finding(source, href, problems, locator) for (source, href), problems in broken.items()]
    if external:
        findings += _check_external(external_links, loaded, locator)
    return findings


def _link_finding(source: str | None, href: str, problems: list[str], locator: _Locator) -> Finding:
    first = problems[0].split(": ", 1)[1]
    lead = locator.lead_images.get(href)
    if lead is not None and lead.source == source:
        return Finding(source, lead.line_of("image"), first)
    if source is not None:
        return Finding(source, locator.line_of(source, href) or locator.line_of(source, href.split("#")[0]), first)
    page = problems[0].split(": ", 1)[0]
    more = f" (and on {len(problems) - 1} more pages)" if len(problems) > 1 else ""
    return Finding(f"{locator.shown}{page}", None, f"{first}{more}; the link comes from a template")


def _check_images(loaded: LoadedSite, documents: dict[str, _Document], locator: _Locator) -> list[Finding]:
    findings: list[Finding] = []
    reported: set[str] = set()  # lead images already reported against their article
    for article in loaded.stories:
        if article.image and not article.image_alt:
            findings.append(Finding(article.source, article.line_of("image"), "lead image has no 'image_alt' text"))
            reported.add(article.image)
    for name, document in documents.items():
        source = _source_of(loaded, name)
        for image in document.images:
            src = image.get("src") or ""
            if src in reported:
                continue
            alt = image.get("alt")
            if alt is None or (alt.strip() == "" and not _is_decorative(image)):
                problem = "has no alt text" if alt is None else "has empty alt text but is not marked decorative"
                message = f"image {src} {problem} (write ![what it shows]({src}), or add {{: .decorative }})"
                if source is not None:
                    findings.append(Finding(source, locator.line_of(source, src), message))
                else:
                    findings.append(Finding(f"{locator.shown}{name}", None, message))
    return findings


def _check_articles(loaded: LoadedSite, texts: dict[str, str]) -> list[Finding]:
    findings: list[Finding] = []
    unsummarised: list[Finding] = []
    for article in loaded.stories:
        if len(article.title) > MAX_TITLE:
            findings.append(Finding(article.source, article.line_of("title"),
                                    f"headline is {len(article.title)} characters; news search shows up to {MAX_TITLE}",
                                    "warning"))
        has_summary = any(key in article.lines for key in ("summary", "excerpt", "description"))
        if not has_summary and not MORE_PATTERN.search(texts.get(article.source, "")):
            unsummarised.append(Finding(article.source, 1, "no 'summary' or 'description' (nor a <!--more--> split): "
                                        "index pages and search results fall back to the first paragraph", "warning"))
    return findings + grouped(unsummarised, "articles have no 'summary' or 'description' (nor a <!--more--> "
                                            "split): index pages and search results show their first paragraph",
                              lambda finding, text: replace(finding, message=text))


def _check_template_syntax(texts: dict[str, str]) -> list[Finding]:
    return [Finding(source, line, f"'{what}' is another generator's template syntax: readers see it as text "
                                  "(convert it, or put it in a code block)", "warning")
            for source, text in texts.items() for line, what in template_syntax(text)]


def _check_trusted_code(loaded: LoadedSite, texts: dict[str, str]) -> list[Finding]:
    """Warnings for code in trusted articles (``[content.trust]``): published as written, so shown first."""
    findings: list[Finding] = []
    for article in loaded.placed.values():
        if not loaded.config.trust.trusts(article.source):
            continue
        text = texts.get(article.source, "").lower()
        for found in active_content(article.body):
            position = text.find(found.needle.lower())
            line = text.count("\n", 0, position) + 1 if position != -1 else None
            findings.append(Finding(article.source, line, f"trusted content runs code: {found.what}", "warning"))
    return findings


def _check_orphans(loaded: LoadedSite, documents: dict[str, _Document], pages_by_file: dict[str, Page]) -> list[Finding]:
    """Articles that no list page (front page, section, tag, archive…) links to."""
    config = loaded.config
    linked: set[str] = set()
    for name, document in documents.items():
        page = pages_by_file.get(name)
        if page is None or page.namespace in ("article", "page", "404"):
            continue
        page_url = urls.absolute(config, page.url)
        linked |= {urldefrag(urljoin(page_url, href))[0] for href in document.links}
    return [
        Finding(article.source, None, "orphan article: no index page links to it")
        for article in loaded.placed.values()
        if article.kind == "article" and urls.absolute(config, article.url) not in linked
    ]


def _check_feeds_and_sitemap(config: Config, loaded: LoadedSite, output: Path, shown: str) -> list[Finding]:
    findings: list[Finding] = []
    try:
        tree = ET.parse(output / "sitemap.xml")
        in_sitemap = {loc.text for loc in tree.iter(f"{SITEMAP}loc")}
    except (OSError, ET.ParseError) as exc:
        return [Finding(f"{shown}sitemap.xml", None, f"cannot read the sitemap: {exc}")]
    for edition in loaded.editions:  # each language has its own feed, under its path
        articles, name = edition.site.articles, edition.config.language_path + "feed.xml"
        findings += [Finding(article.source, None, "article is missing from sitemap.xml") for article in articles
                     if urls.absolute(config, article.url) not in in_sitemap]
        try:
            feed = ET.parse(output / name)
            in_feed = {link.get("href") for link in feed.iter(f"{ATOM}link") if link.get("rel") == "alternate"}
        except (OSError, ET.ParseError) as exc:
            findings.append(Finding(f"{shown}{name}", None, f"cannot read the feed: {exc}"))
            continue
        findings += [Finding(article.source, None, f"article is missing from {name}")
                     for article in config.feed_items(articles) if urls.absolute(config, article.url) not in in_feed]
    return findings


def _check_external(links: dict[str, list[tuple[str, str]]], loaded: LoadedSite, locator: _Locator,
                    workers: int = 8, timeout: float = 10.0) -> list[Finding]:
    """Request each external URL once, ``workers`` at a time."""

    def probe(url: str) -> str | None:
        for method in ("HEAD", "GET"):
            request = urllib.request.Request(url, method=method, headers={"User-Agent": "dateline-check"})
            try:
                with urllib.request.urlopen(request, timeout=timeout):
                    return None
            except urllib.error.HTTPError as exc:
                if method == "HEAD" and exc.code in (403, 405, 501):
                    continue
                return f"returned HTTP {exc.code}"
            except (urllib.error.URLError, OSError, ValueError) as exc:
                return f"could not be reached ({getattr(exc, 'reason', exc)})"
        return None

    findings: list[Finding] = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=workers) as pool:
        results = dict(zip(links, pool.map(probe, links), strict=True))
    for url, problem in results.items():
        if problem is None:
            continue
        name, href = links[url][0]
        source = _source_of(loaded, name)
        if source is not None:
            findings.append(Finding(source, locator.line_of(source, href), f"external link {url} {problem}", "warning"))
        else:
            findings.append(Finding(f"{locator.shown}{name}", None, f"external link {url} {problem}", "warning"))
    return findings
