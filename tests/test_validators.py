"""The sample site against the strictest validators we can run here.

- the W3C Nu HTML Checker (``vnu.jar`` from the npm package ``vnu-jar``, on Java)
  over every HTML page;
- axe-core in Debian's Chromium (Playwright) on each kind of page, in light and
  dark colour schemes, on a phone and a desktop width;
- feedparser on the Atom and RSS feeds, the sitemaps.org XSD on ``sitemap.xml``,
  and lxml and ``json`` on the JSON-LD, Open Graph, Twitter and canonical tags.

The npm packages are pinned in ``package.json``/``package-lock.json`` and
installed by ``make test`` (``npm ci``). Without Java, Node, the npm packages,
Playwright or Chromium the tests that need them are skipped with the reason,
except under ``CI=true``, where a missing tool is a failure: CI must run them.
"""

from __future__ import annotations

import contextlib
import functools
import html
import json
import os
import re
import shutil
import subprocess
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, NoReturn
from urllib.parse import unquote, urljoin, urlsplit

import feedparser
import pytest
from lxml import etree

from generator.text.typography import smarten
from tests.golden import REPO, build_sample
from tests.helpers import article, build_site, make_site, parse, sitemap_schema

try:
    from playwright.sync_api import Browser
except ImportError:  # the ``browser`` fixture (tests/browser_fixtures.py) reports it
    pass

CI = os.environ.get("CI", "").strip().lower() not in {"", "0", "false", "no"}  # CI installs every tool
BASE_URL = "https://example.org/"

# One page of each kind for axe; the articles were chosen for what their bodies hold.
LEAD_IMAGE_ARTICLE = "2021/03/kestrel-bay-port-orders-electric-cranes-in-bid-to-cut-emissions/"
TABLE_ARTICLE = "2019/10/turnout-hits-record-high-in-council-elections-as-young-voters-mobilise/"
CODE_ARTICLE = "2020/11/how-we-counted-every-polling-station-queue-in-kestrel-bay/"
LIVE_ARTICLE = "2025/10/storm-isolde-ferries-cancelled-and-harbour-wall-closed-as-gales-reach-kestrel-bay/"
FOOTNOTES_ARTICLE = "2020/04/with-traffic-stilled-researchers-hear-the-citys-birds-sing-differently/"
CORRECTED_ARTICLE = "2019/05/council-approves-riverside-housing-plan-after-marathon-session/"
WITHDRAWN_ARTICLE = "2025/06/summer-ferry-timetable-starts-on-the-harbour-crossing/"
TRANSLATED_ARTICLE = "ru/2024/05/kestrel-bay-elects-new-mayor/"
AXE_PAGES = {
    "front": "",
    "front-page-2": "page/2/",
    "article-lead-image-toc": LEAD_IMAGE_ARTICLE,
    "article-table": TABLE_ARTICLE,
    "article-code": CODE_ARTICLE,
    "article-footnotes": FOOTNOTES_ARTICLE,
    "article-live-blog": LIVE_ARTICLE,
    "tag": "tags/belarus/",
    "archive": "archive/",
    "archive-year": "archive/2020/",
    "archive-month": "archive/2020/08/",
    "author": "authors/maya-okafor/",
    "section": "world/",
    "tags-index": "tags/",
    "authors-index": "authors/",
    "about": "about/",
    "404": "404.html",
    "article-corrected": CORRECTED_ARTICLE,
    "corrections": "corrections/",
    "article-withdrawn": WITHDRAWN_ARTICLE,
    # The Russian edition (see README, Languages): its front page and a translated story, both with the switcher.
    "ru-front": "ru/",
    "ru-article-translated": TRANSLATED_ARTICLE,
    "ru-tag": "ru/tags/выборы/",
}
# What each chosen article must still contain for the axe run to cover it.
ARTICLE_FEATURES = {
    LEAD_IMAGE_ARTICLE: ["//figure[@class='lead-image']//img", "//nav[@class='toc']//a"],
    TABLE_ARTICLE: ["//div[@class='story-body']//table"],
    CODE_ARTICLE: ["//div[@class='story-body']//pre/code"],
    FOOTNOTES_ARTICLE: ["//div[@class='story-body']//div[@class='footnote']//li"],
    LIVE_ARTICLE: ["//p[@class='live-badge']", "//li[@class='live-update']//blockquote", "//p[@class='credits']"],
    CORRECTED_ARTICLE: ["//p[@class='correction-notice']/a", "//section[@id='corrections']//li/time"],
    WITHDRAWN_ARTICLE: ["//meta[@name='robots'][@content='noindex']"],
    TRANSLATED_ARTICLE: ["//nav[@class='languages']//a[@hreflang='en']", "/html[@lang='ru']"],
}
COLOUR_SCHEMES = ("light", "dark")
VIEWPORTS = {375: 812, 1280: 800}  # width: height
BLOCKING_IMPACTS = {"serious", "critical"}


# --- tools: skip locally, fail on CI -------------------------------------------------------


def missing(reason: str) -> NoReturn:
    if CI:
        pytest.fail(f"{reason} (CI=true: every validator must run)", pytrace=False)
    pytest.skip(reason)


def _node_eval(expression: str) -> str:
    node = shutil.which("node")
    if node is None:
        missing("needs Node.js for the npm validator packages (apt-get install nodejs npm)")
    result = subprocess.run([node, "-p", expression], cwd=REPO, capture_output=True, text=True, timeout=60)
    if result.returncode != 0:
        error = next((line for line in result.stderr.splitlines() if "Error" in line), result.stderr.strip())
        missing(f"the npm packages are not installed (run `npm ci` or `make validators`): {error}")
    return result.stdout.strip()


@pytest.fixture(scope="module")
def vnu_jar() -> Path:
    if shutil.which("java") is None:
        missing("needs Java for the Nu HTML Checker (apt-get install default-jre-headless)")
    jar = Path(_node_eval("String(require('vnu-jar'))"))  # the package's main export is the jar's path
    if not jar.is_file():
        missing(f"vnu-jar names {jar}, which does not exist (run `npm ci`)")
    return jar


@pytest.fixture(scope="module")
def axe_script() -> Path:
    script = Path(_node_eval("require.resolve('axe-core/axe.min.js')"))
    if not script.is_file():
        missing(f"axe-core names {script}, which does not exist (run `npm ci`)")
    return script


# --- the sample site, built and served once ------------------------------------------------


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("validators") / "output"
    build_sample(output)
    return output


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the stdlib's name
        pass


@contextlib.contextmanager
def serving(folder: Path) -> Iterator[str]:
    """``folder`` over real HTTP on 127.0.0.1, on a free port."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(folder)))
    thread = threading.Thread(target=httpd.serve_forever, name="validators-http", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def server(site: Path) -> Iterator[str]:
    with serving(site) as url:
        yield url


# The sample's table and code fit a phone's width; these do not, so they scroll.
WIDE_ARTICLE = "2020/01/wide-table-and-long-code/"
WIDE_BODY = """\
Turnout by ward, and the script that fetched it.

| Ward | Registered voters 2015 | Registered voters 2019 | Turnout 2015 (%) | Turnout 2019 (%) | Change (points) |
|---|---:|---:|---:|---:|---:|
| University North and Harbourside | 12,345 | 13,456 | 24.1 | 51.3 | +27.2 |
| Saltings | 8,000 | 8,100 | 44.0 | 53.0 | +9.0 |

*Source: Kestrel Bay electoral services.*

```python
FEED_URL = "https://example.com/open-data/polling-queues.json?format=json&include=stations,queues,timestamps"
```

    indented = "code block with a line long enough to scroll sideways on a phone's screen, too"
"""


@pytest.fixture(scope="module")
def wide_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("wide")
    site = make_site(root / "site", {"articles/wide.md": article("Wide table and long code", "2020-01-02", WIDE_BODY)})
    build_site(site)
    assert (site / "output" / WIDE_ARTICLE / "index.html").is_file()
    return site / "output"


@pytest.fixture(scope="module")
def wide_server(wide_site: Path) -> Iterator[str]:
    with serving(wide_site) as url:
        yield url


def html_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def article_pages(site: Path, edition: str = "") -> list[Path]:
    """Article pages of one language ("": the site's own; "ru/"): not an expired article's "no longer
    available" page, which stands at its URL."""
    return sorted(page for page in site.glob(edition + "[0-9][0-9][0-9][0-9]/[0-9][0-9]/*/index.html")
                  if b'<meta name="robots" content="noindex">' not in page.read_bytes())


def page_url(site: Path, page: Path) -> str:
    return BASE_URL + page.relative_to(site).as_posix().removesuffix("index.html")


# --- W3C Nu HTML Checker -------------------------------------------------------------------

# A page with a known error, checked in the same run: proof that the checker
# really read the files and reports what it finds.
CANARY = "<!DOCTYPE html><html lang=en><title>canary</title><p>stray end tag</div>\n"


@pytest.mark.validators
def test_every_page_passes_the_nu_html_checker(site: Path, wide_site: Path, vnu_jar: Path, tmp_path: Path) -> None:
    java = shutil.which("java") or "java"
    canary = tmp_path / "canary.html"
    canary.write_text(CANARY, encoding="utf-8")
    pages = html_pages(site) + html_pages(wide_site)
    result = subprocess.run(
        [java, "-jar", str(vnu_jar), "--errors-only", "--format", "json", *map(str, pages), str(canary)],
        capture_output=True, text=True, timeout=600,
    )
    try:
        report = json.loads(result.stderr or result.stdout)
    except json.JSONDecodeError:
        pytest.fail(f"vnu.jar did not answer in JSON (exit {result.returncode}):\n{result.stderr[-2000:]}")
    messages = report["messages"]
    assert any(m.get("url", "").endswith(canary.name) for m in messages), \
        f"the checker found nothing wrong with {canary}; is it checking at all?"
    errors = [
        f"{_relative({'sample': site, 'wide': wide_site}, m.get('url', ''))}:{m.get('lastLine', '?')}: "
        f"{m.get('type')}: {m['message']}" + (f" [{m['extract'].strip()}]" if m.get("extract") else "")
        for m in messages
        if not m.get("url", "").endswith(canary.name)
    ]
    assert not errors, f"{len(errors)} Nu HTML Checker errors in {len(pages)} pages:\n" + "\n".join(errors)


def test_every_stylesheet_passes_the_nu_css_checker(site: Path, vnu_jar: Path, tmp_path: Path) -> None:
    """The published stylesheets, as vnu's CSS checker (``--css``) reads them: no property it does not know."""
    java = shutil.which("java") or "java"
    canary = tmp_path / "canary.css"
    canary.write_text(".story { line-clamp: 5; colour: red; }\n", encoding="utf-8")
    sheets = sorted(site.rglob("*.css"))
    assert sheets
    result = subprocess.run([java, "-jar", str(vnu_jar), "--css", "--errors-only", "--format", "json",
                             *map(str, sheets), str(canary)], capture_output=True, text=True, timeout=600)
    messages = json.loads(result.stderr or result.stdout)["messages"]
    assert any(m.get("url", "").endswith(canary.name) for m in messages), "the CSS checker is not checking"
    errors = [f"{_relative({'sample': site}, m.get('url', ''))}:{m.get('lastLine', '?')}: {m['message']}"
              for m in messages if not m.get("url", "").endswith(canary.name)]
    assert not errors, f"{len(errors)} CSS errors:\n" + "\n".join(errors)


def _relative(roots: dict[str, Path], url: str) -> str:
    path = Path(unquote(urlsplit(url).path))
    for name, root in roots.items():
        if path.is_relative_to(root):
            return f"{name}: {path.relative_to(root).as_posix()}"
    return url


# --- axe-core in Chromium ------------------------------------------------------------------


def test_axe_pages_hold_what_they_were_chosen_for(site: Path) -> None:
    for path in AXE_PAGES.values():
        assert (site / (path or "index.html")).is_file() or (site / path / "index.html").is_file(), path
    for path, features in ARTICLE_FEATURES.items():
        tree = parse(site / path / "index.html")
        for xpath in features:
            assert tree.xpath(xpath), f"{path} no longer has {xpath}; pick another article for the axe test"


@pytest.mark.browser
def test_wide_tables_and_code_scroll_in_focusable_regions(wide_site: Path, wide_server: str, browser: Browser) -> None:
    tree = parse(wide_site / WIDE_ARTICLE / "index.html")
    (region,) = tree.xpath("//div[@class='story-body']//div[@class='table-scroll']")
    assert region.get("role") == "region" and region.get("tabindex") == "0"
    assert region.get("aria-label", "").startswith("Table: Ward, Registered voters 2015")
    assert [child.tag for child in region] == ["table"]
    assert tree.xpath("//div[@class='story-body']//pre/@tabindex") == ["0", "0"]  # fenced and indented

    context = browser.new_context(viewport={"width": 375, "height": 812})
    try:
        page = context.new_page()
        page.goto(wide_server + WIDE_ARTICLE)
        scrolling = page.evaluate("""() => [...document.querySelectorAll('.story-body .table-scroll, .story-body pre')]
            .map(e => [e.tagName, e.scrollWidth > e.clientWidth, getComputedStyle(e).overflowX])""")
        assert scrolling == [["DIV", True, "auto"], ["PRE", True, "auto"], ["PRE", True, "auto"]], scrolling
        assert page.evaluate("getComputedStyle(document.querySelector('.table-scroll > table')).display") == "table"
        reached = set()
        for _ in range(40):  # Tab through the page: the three regions take focus in turn
            page.keyboard.press("Tab")
            reached.add(page.evaluate("document.activeElement.matches('.table-scroll, pre') && document.activeElement.tagName"))
        assert {"DIV", "PRE"} <= reached, reached
    finally:
        context.close()


def _note_error(failed: list[str], response: Any) -> None:
    if response.status >= 400:
        failed.append(f"{response.status} {response.url}")


def _describe(violation: dict[str, Any], where: str) -> list[str]:
    lines = []
    for node in violation["nodes"]:
        summary = " ".join(node.get("failureSummary", "").split())
        lines.append(f"{where}: {violation['id']} ({violation['impact']}) at {node['target']}: {summary}")
    return lines


@pytest.mark.validators
@pytest.mark.browser
@pytest.mark.parametrize(
    ("served", "path"),
    [("server", path) for path in AXE_PAGES.values()] + [("wide_server", WIDE_ARTICLE)],
    ids=[*AXE_PAGES.keys(), "article-wide-table-long-code"],
)
def test_axe_finds_no_serious_violations(
    served: str, path: str, browser: Browser, axe_script: Path, request: pytest.FixtureRequest
) -> None:
    server = request.getfixturevalue(served)
    problems: list[str] = []
    for scheme in COLOUR_SCHEMES:
        for width, height in VIEWPORTS.items():
            where = f"{path or '/'} [{scheme}, {width}px]"
            context = browser.new_context(color_scheme=scheme, viewport={"width": width, "height": height})
            try:
                page = context.new_page()
                failed: list[str] = []
                page.on("response", functools.partial(_note_error, failed))
                page.on("requestfailed", lambda request, failed=failed: failed.append(f"failed {request.url}"))
                response = page.goto(server + path, wait_until="load")
                assert response is not None and response.ok, f"{where}: {response and response.status}"
                assert failed == [], f"{where}: requests failed: {failed}"
                dark = page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches")
                assert dark == (scheme == "dark"), f"{where}: the colour scheme was not applied"
                page.add_script_tag(path=str(axe_script))
                violations = page.evaluate(
                    "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
                )
            finally:
                context.close()
            for violation in violations:
                if violation["impact"] in BLOCKING_IMPACTS:
                    problems += _describe(violation, where)
    assert not problems, f"{len(problems)} serious or critical axe violations:\n" + "\n".join(problems)


# --- feeds ---------------------------------------------------------------------------------


def _plain(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]*>", " ", fragment)).split())


def _articles(site: Path, edition: str = "") -> dict[str, dict[str, Any]]:
    """What each article page of one language says about itself, by absolute URL."""
    found = {}
    for page in article_pages(site, edition):
        tree = parse(page)
        found[page_url(site, page)] = {
            "title": tree.xpath("string(//h1)"),
            "published": datetime.fromisoformat(tree.xpath("//article//time/@datetime")[0]),
            "authors": tree.xpath("//header[@class='story-header']//a[@rel='author']/text()"),
            "first_paragraph": " ".join(tree.xpath("string(//div[@class='story-body']/p[1])").split()),
            "terms": {urljoin(BASE_URL, href) for href in tree.xpath(
                "//header[@class='story-header']//a/@href | //ul[@class='tags']//a/@href")},
        }
    return found


def _check_feed(site: Path, name: str, expected: dict[str, dict[str, Any]]) -> feedparser.FeedParserDict:
    data = (site / name).read_bytes()
    etree.fromstring(data)  # well-formed
    feed = feedparser.parse(data)
    assert not feed.bozo, f"{name}: {feed.get('bozo_exception')}"
    links = [entry.get("link") for entry in feed.entries]
    assert sorted(links) == sorted(expected), f"{name}: entries differ from the published articles"
    for entry in feed.entries:
        page = expected[entry.link]
        where = f"{name}: {entry.link}"
        assert entry.get("title") == page["title"], where
        assert entry.get("published_parsed"), f"{where}: no date"
        assert tuple(entry.published_parsed[:6]) == page["published"].astimezone(UTC).timetuple()[:6], where
        names = [author.get("name") for author in entry.get("authors", [])]
        assert names and all(names), f"{where}: no author"
        assert names == (page["authors"] or names), where
        content = entry.content[0].value if entry.get("content") else entry.get("description", "")
        assert page["first_paragraph"] and page["first_paragraph"] in _plain(content), f"{where}: no full content"
    return feed


def test_site_feeds_hold_every_published_article(site: Path) -> None:
    articles = _articles(site)
    assert len(articles) >= 10
    _check_feed(site, "feed.xml", articles)
    _check_feed(site, "rss.xml", articles)
    russian = _articles(site, "ru/")  # the Russian edition's feeds hold its articles, and only those
    assert len(russian) == 3
    _check_feed(site, "ru/feed.xml", russian)
    _check_feed(site, "ru/rss.xml", russian)


@pytest.mark.parametrize("term", ["tags/belarus/", "world/", "authors/maya-okafor/"])
def test_term_feeds_hold_the_term_articles(site: Path, term: str) -> None:
    articles = _articles(site)
    expected = {url: page for url, page in articles.items() if BASE_URL + term in page["terms"]}
    assert expected, term
    feed = _check_feed(site, term + "feed.xml", expected)
    assert feed.feed.get("link") == BASE_URL + term


def _ids(folder: Path) -> dict[str, list[str]]:
    ids = {}
    for name in sorted(folder.rglob("*.xml")):
        if name.name in {"feed.xml", "rss.xml"}:
            entries = feedparser.parse(name.read_bytes()).entries
            ids[name.relative_to(folder).as_posix()] = [entry.id for entry in entries]
    return ids


def test_feed_entry_ids_are_stable_across_builds(site: Path, tmp_path: Path) -> None:
    other = tmp_path / "elsewhere" / "public"
    build_sample(other)
    first, second = _ids(site), _ids(other)
    assert first == second
    atom = first["feed.xml"]
    assert len(set(atom)) == len(atom) == len(article_pages(site))
    assert all(entry.startswith("tag:example.org,") for entry in atom), atom


def test_rss_names_the_publisher_for_unsigned_articles(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", {"articles/a.md": article("Unsigned", "2020-01-02")})
    build_site(site)
    for name in ("feed.xml", "rss.xml"):
        feed = feedparser.parse((site / "output" / name).read_bytes())
        assert not feed.bozo
        assert [a.get("name") for a in feed.entries[0].get("authors", [])] == ["Test Times"], name


# --- sitemap and robots.txt ----------------------------------------------------------------


def test_sitemap_validates_against_the_sitemaps_org_schema(site: Path, tmp_path: Path) -> None:
    # With the <xhtml:link> alternates of the translated pages (see tests/test_multilingual.py).
    schema = sitemap_schema(tmp_path, {"http://www.w3.org/1999/xhtml": "sitemap-xhtml-link.xsd"})
    sitemap = etree.parse(str(site / "sitemap.xml"))
    assert schema.validate(sitemap), "\n".join(str(error) for error in schema.error_log)
    assert len(sitemap.getroot()) > 50


def test_robots_txt_points_to_the_sitemap(site: Path) -> None:
    lines = (site / "robots.txt").read_text(encoding="utf-8").splitlines()
    sitemaps = [line.split(":", 1)[1].strip() for line in lines if line.lower().startswith("sitemap:")]
    # No sample article is from the two days before the build: no News sitemap, and robots.txt names none.
    assert sitemaps == [BASE_URL + "sitemap.xml"]
    assert (site / "sitemap.xml").is_file() and not (site / "news-sitemap.xml").exists()


# --- JSON-LD -------------------------------------------------------------------------------


def _json_ld(tree: Any) -> list[Any]:
    return [json.loads(script.text) for script in tree.xpath("//script[@type='application/ld+json']")]


def test_every_article_has_news_article_json_ld(site: Path) -> None:
    pages = article_pages(site) + article_pages(site, "ru/")
    assert pages
    for page in pages:
        tree = parse(page)
        where = page.relative_to(site).as_posix()
        documents = _json_ld(tree)
        assert [d["@type"] for d in documents][1:] == ["BreadcrumbList"], where  # the article, then its trail
        data = documents[0]
        canonical = tree.xpath("//link[@rel='canonical']/@href")[0]
        live = bool(tree.xpath("//section[@class='live-updates']"))
        assert data["@context"] == "https://schema.org", where
        assert data["@type"] == ("LiveBlogPosting" if live else "NewsArticle"), where
        assert data["headline"] == tree.xpath("string(//h1)"), where
        published = datetime.fromisoformat(data["datePublished"])
        assert data["datePublished"] == tree.xpath("//article//time/@datetime")[0], where
        assert datetime.fromisoformat(data["dateModified"]) >= published, where
        authors = data["author"]
        assert authors and all(a["@type"] in {"Person", "Organization"} and a["name"] for a in authors), where
        assert [a["name"] for a in authors] == tree.xpath("//header[@class='story-header']//a[@rel='author']/text()")
        assert data["publisher"]["@type"] == "Organization" and data["publisher"]["name"], where
        assert data["publisher"]["logo"] == {"@type": "ImageObject", "url": BASE_URL + "media/logo.png"}, where
        assert (site / "media/logo.png").read_bytes().startswith(b"\x89PNG"), where
        assert data["mainEntityOfPage"] == {"@type": "WebPage", "@id": canonical}, where
        # The lead image cropped to 16:9, 4:3 and 1:1 beside the card, if there is one, else the drawn card.
        lead = tree.xpath("//figure[@class='lead-image']//img")
        card = tree.xpath("//meta[@property='og:image']/@content")
        crops = [card[0].removesuffix(".jpg") + f"-{shape}.jpg" for shape in ("16x9", "4x3", "1x1")] if lead else card
        assert data["image"] == crops, where


def test_front_page_has_website_json_ld(site: Path) -> None:
    (data,) = _json_ld(parse(site / "index.html"))
    assert data["@type"] == "WebSite" and data["url"] == BASE_URL and data["name"]


PAYLOAD = "</script><script>alert(1)</script>"
SITE_TITLE = f"Times {PAYLOAD} <!-- x"
TITLE = f"Breaking {PAYLOAD} <!-- news"
AUTHOR = f"Eve {PAYLOAD} <!-- Mallory"
TAGS = [f"Tag {PAYLOAD}", "<!--<script>"]
DESCRIPTION = f"A summary {PAYLOAD} <!-- with a comment"


def test_frontmatter_cannot_break_out_of_the_json_ld_script(tmp_path: Path) -> None:
    config = f'title = {json.dumps(SITE_TITLE)}\nbase_url = "{BASE_URL}"\n'
    text = article(json.dumps(TITLE), "2020-01-02", "The story.", author=json.dumps(AUTHOR),
                   tags=json.dumps(TAGS), description=json.dumps(DESCRIPTION))
    site = make_site(tmp_path / "site", {"articles/evil.md": text}, config=config)
    build_site(site)
    output = site / "output"
    (page,) = article_pages(output)
    tree = parse(page)

    scripts = tree.xpath("//script")
    assert [s.get("type") for s in scripts] == ["application/ld+json"] * 2, "an extra <script> element appeared"
    for script in scripts:  # the article and its breadcrumb trail, which carries the headline too
        assert "<" not in script.text and ">" not in script.text, script.text  # neither </script> nor <!--
    data = json.loads(scripts[0].text)
    assert json.loads(scripts[1].text)["itemListElement"][-1]["name"] == smarten(TITLE)
    assert data["headline"] == smarten(TITLE)  # headlines get typographic dashes: "<!--" shows as "<!–"
    assert data["description"] == smarten(DESCRIPTION)
    assert [a["name"] for a in data["author"]] == [AUTHOR]
    assert sorted(data["keywords"]) == sorted(TAGS)
    assert data["publisher"]["name"] == SITE_TITLE
    assert tree.xpath("string(//h1)") == smarten(TITLE)  # shown as text, not markup

    (website,) = _json_ld(parse(output / "index.html"))
    assert website["name"] == SITE_TITLE
    for other in html_pages(output):
        types = [s.get("type") for s in parse(other).xpath("//script")]
        assert set(types) <= {"application/ld+json"} and len(types) <= 2, other


# --- Open Graph, Twitter cards and canonical URLs ------------------------------------------


def _meta(tree: Any, attribute: str, name: str) -> list[str]:
    return tree.xpath(f"//meta[@{attribute}='{name}']/@content")


def test_open_graph_twitter_and_canonical_on_every_page(site: Path) -> None:
    problems = []
    articles = set(article_pages(site) + article_pages(site, "ru/"))
    for page in html_pages(site):
        tree = parse(page)
        where = page.relative_to(site).as_posix()
        canonical = tree.xpath("//head/link[@rel='canonical']/@href")
        og = {name: _meta(tree, "property", f"og:{name}") for name in ("title", "type", "url", "description", "image")}
        twitter = {name: _meta(tree, "name", f"twitter:{name}") for name in ("card", "image")}
        if tree.xpath("//meta[@name='robots'][@content='noindex']"):  # a page not to be indexed names no URL
            if canonical or og["url"]:
                problems.append(f"{where}: noindex, but canonical {canonical} and og:url {og['url']}")
            continue
        if len(canonical) != 1 or not canonical[0].startswith(BASE_URL):
            problems.append(f"{where}: canonical {canonical}")
        for name in ("title", "type", "url", "description"):
            if len(og[name]) != 1 or not og[name][0].strip():
                problems.append(f"{where}: og:{name} {og[name]}")
        if og["url"] != canonical:
            problems.append(f"{where}: og:url {og['url']} is not the canonical {canonical}")
        if page.name == "index.html" and canonical and canonical[0] != page_url(site, page):
            problems.append(f"{where}: canonical {canonical[0]} is not the page's address")
        if len(twitter["card"]) != 1 or twitter["card"][0] not in {"summary", "summary_large_image"}:
            problems.append(f"{where}: twitter:card {twitter['card']}")
        if page in articles:  # every article has a social card (see tests/test_images_cards.py)
            card = site / og["image"][0].removeprefix(BASE_URL) if len(og["image"]) == 1 else None
            if card is None or not card.is_file() or twitter["image"] != og["image"]:
                problems.append(f"{where}: og:image {og['image']}, twitter:image {twitter['image']}")
        for url in og["image"] + twitter["image"]:
            if not url.startswith(BASE_URL):
                problems.append(f"{where}: image URL {url} is not absolute")
        if og["image"] and twitter["card"] != ["summary_large_image"]:
            problems.append(f"{where}: an image but twitter:card {twitter['card']}")
        expected_type = "article" if page in articles else "website"
        if og["type"] != [expected_type]:
            problems.append(f"{where}: og:type {og['type']}, expected {expected_type}")
    assert not problems, "\n".join(problems)
