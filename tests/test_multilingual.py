"""A site in several languages: editions under their paths, translations linked both ways, the checks.

A fixture site in English (the root), Russian (``/ru/``, by folder, suffix
and ``lang``) and German (under ``/deutsch/``) is built into a temporary
folder and read with lxml; the sitemap is validated against sitemaps.org's
schema with the XHTML ``link`` Google documents for language versions.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from lxml import etree

from generator.build import build
from generator.check import check_site
from generator.errors import BuildFailed
from generator.options import BuildOptions
from tests.helpers import NOW, SITEMAP_NS, build_site, make_site, parse, sitemap_schema, write
from tests.test_validators import BLOCKING_IMPACTS, _describe, axe_script, serving, vnu_jar

__all__ = ["axe_script", "vnu_jar"]  # fixtures, shared with the validators' tests

XHTML_NS = "http://www.w3.org/1999/xhtml"

CONFIG = """\
title = "Harbour Herald"
base_url = "https://example.org/"
description = "News from the harbour"
language = "en"
timezone = "UTC"
paginate = 2

[languages.ru]
title = "Портовый вестник"
description = "Новости гавани"
date_format = "d MMMM y"

[languages.de]
title = "Hafenbote"
path = "/deutsch/"
"""


def story(title: str, date: str, body: str, **fields: str) -> str:
    extra = "".join(f"{key}: {value}\n" for key, value in fields.items())
    return f"---\ntitle: {title}\ndate: {date}\nauthor: Ana Lima\n{extra}---\n\n{body}\n"


ARTICLES = {
    # One story in three languages: by folder (ru) and by file-name suffix (de).
    "news/ferry.md": story("Ferry service resumes", "2025-03-01 09:00", "The ferry runs again.",
                           tags="[Transport]", section="Harbour"),
    "ru/news/ferry.md": story("Паром снова ходит", "2025-03-01 11:00", "Паром возобновил рейсы.",
                              tags="[Транспорт]", section="Гавань", slug="ferry"),
    "news/ferry.de.md": story("Die Fähre fährt wieder", "2025-03-01 12:00", "Die Fähre fährt wieder.",
                              slug="faehre"),
    # A pair joined by translation_key, with different file names; the Russian one by its 'lang'.
    "news/budget.md": story("Council passes budget", "2025-03-02 09:00", "The budget passed.",
                            translation_key="budget-2025"),
    "news/byudzhet.md": story("Совет принял бюджет", "2025-03-02 10:00", "Бюджет принят.",
                              translation_key="budget-2025", lang="ru", slug="byudzhet"),
    # English only, and Russian only.
    "news/tides.md": story("Spring tides expected", "2025-03-03 09:00", "High water."),
    "ru/news/rynok.md": story("Рыбный рынок открылся после ремонта", "2025-03-04 09:00", "Рынок снова работает.",
                              slug="rynok"),
    "pages/about.md": "---\ntitle: About\n---\nWho we are.\n",
    "pages/about.ru.md": "---\ntitle: О нас\nslug: about\n---\nКто мы.\n",
    "pages/contact.md": "---\ntitle: Contact\n---\nWrite to us.\n",
    "ru/pages/contact.md": "---\ntitle: Контакты\nslug: contact\n---\nПишите нам.\n",  # a page, by its folder
}


@pytest.fixture(scope="module")
def output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = make_site(tmp_path_factory.mktemp("multilingual") / "site", ARTICLES, CONFIG)
    build_site(site)
    return site / "output"


def page(output: Path, url: str) -> etree._Element:
    return parse(output / url.lstrip("/") / "index.html")


def alternates(tree: etree._Element) -> dict[str, str]:
    """The page's ``<link rel=alternate hreflang>``: hreflang → absolute URL."""
    return {link.get("hreflang"): link.get("href") for link in tree.xpath("//head/link[@rel='alternate'][@hreflang]")}


def test_each_language_has_its_own_pages_under_its_path(output: Path) -> None:
    for path in ("index.html", "ru/index.html", "deutsch/index.html", "ru/page/2/index.html", "ru/archive/index.html",
                 "ru/archive/2025/03/index.html", "ru/tags/index.html", "ru/authors/ana-lima/index.html",
                 "ru/гавань/index.html", "ru/tags/транспорт/index.html", "ru/feed.xml", "ru/rss.xml",
                 "ru/authors/ana-lima/feed.xml", "deutsch/feed.xml", "ru/2025/03/ferry/index.html",
                 "ru/2025/03/byudzhet/index.html", "deutsch/2025/03/faehre/index.html", "ru/about/index.html"):
        assert (output / path).is_file(), path
    # The site's own language keeps the URLs of a single-language site; no page of another language leaks in.
    assert (output / "2025/03/ferry-service-resumes/index.html").is_file()
    assert not list(output.glob("2025/03/*ferry/")) and not (output / "ru/404.html").exists()
    front = page(output, "/")
    assert not front.xpath("//a[contains(@href, '/ru/2025/')]"), "a Russian story on the English front page"
    russian = page(output, "/ru/")
    headlines = russian.xpath("//main//h2//a/text() | //main//h3//a/text()")
    assert "Рыбный рынок открылся после ремонта" in headlines and "Spring tides expected" not in headlines
    atom = etree.parse(str(output / "ru/feed.xml")).getroot()
    assert atom.get("{http://www.w3.org/XML/1998/namespace}lang") == "ru"
    titles = [t.text for t in atom.iter("{http://www.w3.org/2005/Atom}title")]
    assert titles[0] == "Портовый вестник" and "Паром снова ходит" in titles and "Ferry service resumes" not in titles


def test_pages_speak_their_language(output: Path) -> None:
    tree = page(output, "/ru/2025/03/ferry/")
    assert tree.get("lang") == "ru"
    assert tree.xpath("//meta[@property='og:locale']/@content") == ["ru_RU"]
    assert sorted(tree.xpath("//meta[@property='og:locale:alternate']/@content")) == ["de_DE", "en_US"]
    assert tree.xpath("//nav[@class='sections']/@aria-label") == ["Разделы"]  # the theme's words, from ru's catalogue
    assert tree.xpath("//span[@class='dateline']/time/text()")[0].startswith("1 марта 2025")  # the edition's own date_format
    assert tree.xpath("//p[@class='site-title']/a/@href") == ["/ru/"]
    assert tree.xpath("//link[@type='application/rss+xml']/@href") == ["/ru/rss.xml"]
    german = page(output, "/deutsch/2025/03/faehre/")
    assert german.get("lang") == "de" and german.xpath("//a[@class='skip-link']/text()") == ["Zum Inhalt springen"]
    assert page(output, "/").get("lang") == "en"


def test_hreflang_alternates_are_reciprocal_and_include_self_and_x_default(output: Path) -> None:
    ferry = {"en": "https://example.org/2025/03/ferry-service-resumes/", "ru": "https://example.org/ru/2025/03/ferry/",
             "de": "https://example.org/deutsch/2025/03/faehre/"}
    assert alternates(page(output, "/ru/2025/03/ferry/")) == {**ferry, "x-default": ferry["en"]}
    checked = 0
    for html in output.rglob("*.html"):
        tree = parse(html)
        links = alternates(tree)
        if not links:
            continue
        own = "https://example.org/" + html.relative_to(output).as_posix().removesuffix("index.html")
        assert own in links.values(), f"{html}: its alternates leave it out"
        for lang, url in links.items():
            other = alternates(parse(output / urlsplit(url).path.lstrip("/") / "index.html"))
            assert other == links, f"{html} → {lang} {url}: not reciprocal"
            checked += 1
    assert checked > 20
    assert alternates(page(output, "/2025/03/council-passes-budget/"))["ru"] == "https://example.org/ru/2025/03/byudzhet/"
    assert alternates(page(output, "/2025/03/spring-tides-expected/")) == {}  # no translation: no alternates
    assert alternates(page(output, "/ru/2025/03/rynok/")) == {}
    assert alternates(page(output, "/ru/contact/"))["en"] == "https://example.org/contact/"


def test_the_switcher_links_every_version_in_its_own_language(output: Path) -> None:
    tree = page(output, "/2025/03/ferry-service-resumes/")
    (nav,) = tree.xpath("//nav[@class='languages']")
    assert nav.get("aria-label") == "Languages"
    links = [(a.get("hreflang"), a.get("lang"), a.get("href"), a.text, a.get("aria-current")) for a in nav.iter("a")]
    assert links == [("en", "en", "/2025/03/ferry-service-resumes/", "English", "page"),
                     ("ru", "ru", "/ru/2025/03/ferry/", "Русский", None),
                     ("de", "de", "/deutsch/2025/03/faehre/", "Deutsch", None)]
    front = page(output, "/ru/")
    assert front.xpath("//nav[@class='languages']/@aria-label") == ["Языки"]
    assert front.xpath("//nav[@class='languages']//a/@href") == ["/", "/ru/", "/deutsch/"]
    assert not page(output, "/2025/03/spring-tides-expected/").xpath("//nav[@class='languages']")


def test_the_sitemap_carries_the_alternates_and_validates(output: Path, tmp_path: Path) -> None:
    schema = sitemap_schema(tmp_path, {XHTML_NS: "sitemap-xhtml-link.xsd"})
    sitemap = etree.parse(str(output / "sitemap.xml"))
    schema.assertValid(sitemap)
    entries = {url.findtext(f"{{{SITEMAP_NS}}}loc"): {link.get("hreflang"): link.get("href")
                                                      for link in url.iter(f"{{{XHTML_NS}}}link")}
               for url in sitemap.getroot()}
    assert "https://example.org/ru/2025/03/rynok/" in entries and "https://example.org/deutsch/" in entries
    for loc, links in entries.items():  # the same alternates as the page's own <head>
        assert links == alternates(parse(output / urlsplit(loc).path.lstrip("/") / "index.html")), loc
    assert len(entries["https://example.org/ru/about/"]) == 3  # en, ru and x-default
    # The schema is not a formality: a link without hreflang is refused.
    broken = etree.fromstring(etree.tostring(sitemap).replace(b'hreflang="de"', b'lang="de"'))
    assert not schema.validate(broken)


def test_a_single_language_site_has_no_alternates(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", {"news/a.md": story("A", "2025-01-01", "Text.", lang="en"),
                                         "ru/news/a.md": story("Б", "2025-01-02", "Текст.")})
    build_site(site)
    output = site / "output"
    assert b"xhtml" not in (output / "sitemap.xml").read_bytes()
    assert not list(output.rglob("*.html")) or all(b"hreflang" not in p.read_bytes() for p in output.rglob("*.html"))
    # Without [languages], content/ru/ is an ordinary folder: its story is an English one at the usual URL.
    assert (output / "2025/01/б/index.html").is_file()


def test_check_reports_translations_that_point_to_nothing(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", {
        **ARTICLES,
        "news/lonely.md": story("Lonely", "2025-03-05", "Alone.", translation_key="nobody-else"),
        "ru/news/twin.md": story("Близнец", "2025-03-06", "Второй.", translation_key="budget-2025", slug="twin"),
        "news/klingon.md": story("Klingon", "2025-03-07", "Qapla'.", lang="tlh"),
    }, CONFIG)
    findings = {(f.path, f.line, f.severity, f.message) for f in check_site(site)}
    assert ("content/news/lonely.md", 5, "warning", "translation_key 'nobody-else' is shared by no article in another "
            "language: this translation points to nothing") in findings
    assert ("content/ru/news/twin.md", 5, "error", "'content/news/byudzhet.md' is already the 'ru' version of "
            "translation_key 'budget-2025'; give this one its own key") in findings
    klingon = [f for f in findings if f[0] == "content/news/klingon.md" and "'summary'" not in f[3]]
    assert klingon == [("content/news/klingon.md", 5, "warning", "'lang: tlh' is not one of the site's languages "
                        "(see [languages] in config.toml); the article is published in 'en'")]
    clean = make_site(tmp_path / "clean", ARTICLES, CONFIG)  # every story in its feed, sitemap and lists
    assert [str(f) for f in check_site(clean) if "'summary'" not in f.message] == []


@pytest.mark.parametrize(("table", "message"), [
    ('[languages.ru]\ntitle = "T"\npath = "ru"\n', "config.toml:5: 'languages.ru.path' must be a path such as '/ru/'"),
    ('[languages.xx]\ntitle = "T"\n', "config.toml:3: 'languages.xx': 'xx' is not a language CLDR knows"),
    ('[languages.ru]\ndescription = "T"\n', "config.toml:3: missing required key 'languages.ru.title'"),
    ('[languages.en]\ntitle = "T"\n', "config.toml:3: 'languages.en' is the site's own 'language'"),
    ('[languages.ru]\ntitle = "T"\ndate_format = "%Q"\n', "config.toml:5: 'languages.ru.date_format'"),
    ('[languages.ru]\ntitle = "T"\n[languages.de]\ntitle = "D"\npath = "/ru/"\n',
     "config.toml:7: 'languages.de.path' is also the path of 'ru'"),
])
def test_bad_language_tables_are_errors_naming_the_line(tmp_path: Path, table: str, message: str) -> None:
    site = make_site(tmp_path / "site", {}, 'title = "T"\nbase_url = "https://example.org/"\n' + table)
    with pytest.raises(BuildFailed) as failure:
        build_site(site)
    reported = [str(error) for error in failure.value.errors]
    assert any(line.startswith(message) for line in reported), reported


def test_a_language_under_a_base_path(tmp_path: Path) -> None:
    config = CONFIG.replace('base_url = "https://example.org/"', 'base_url = "https://example.org/news/"')
    site = make_site(tmp_path / "site", ARTICLES, config)
    build_site(site)
    tree = parse(site / "output/ru/2025/03/ferry/index.html")
    assert alternates(tree)["en"] == "https://example.org/news/2025/03/ferry-service-resumes/"
    assert tree.xpath("//p[@class='site-title']/a/@href") == ["/news/ru/"]
    assert re.search(rb'<loc>https://example.org/news/deutsch/</loc>', (site / "output/sitemap.xml").read_bytes())


# --- in Chromium, and through the validators -------------------------------------------------

@pytest.mark.browser
def test_the_switcher_takes_a_reader_to_the_translation_by_keyboard(output: Path, browser: Any) -> None:
    with serving(output) as server:
        context = browser.new_context(viewport={"width": 375, "height": 812})
        try:
            page = context.new_page()
            page.goto(server + "2025/03/ferry-service-resumes/")
            switcher = page.locator("nav.languages")
            assert switcher.get_attribute("aria-label") == "Languages" and switcher.is_visible()
            for _ in range(30):  # Tab to the Russian link, as a keyboard user would
                page.keyboard.press("Tab")
                if page.evaluate("document.activeElement.getAttribute('hreflang')") == "ru":
                    break
            else:
                pytest.fail("the Russian link never took focus")
            assert page.evaluate("document.activeElement.lang") == "ru"
            assert page.evaluate("document.activeElement.textContent") == "Русский"
            page.keyboard.press("Enter")
            page.wait_for_url(server + "ru/2025/03/ferry/")
            assert page.evaluate("document.documentElement.lang") == "ru"
            assert page.locator("h1").inner_text() == "Паром снова ходит"
            current = page.locator("nav.languages a[aria-current='page']")
            assert current.inner_text() == "Русский"
            # Each link of the switcher is a touch target, and the Deutsch one leads to the German front page's story.
            box = page.locator("nav.languages a[hreflang='de']").bounding_box()
            assert box is not None and box["height"] >= 44
            page.locator("nav.languages a[hreflang='de']").click()
            page.wait_for_url(server + "deutsch/2025/03/faehre/")
            assert page.evaluate("document.documentElement.lang") == "de"
        finally:
            context.close()


@pytest.mark.validators
def test_the_language_pages_pass_the_nu_html_checker(output: Path, vnu_jar: Path) -> None:
    java = shutil.which("java") or "java"
    pages = [output / "ru/index.html", output / "ru/2025/03/ferry/index.html", output / "deutsch/index.html",
             output / "2025/03/ferry-service-resumes/index.html", output / "ru/about/index.html"]
    result = subprocess.run([java, "-jar", str(vnu_jar), "--errors-only", "--format", "json", *map(str, pages)],
                            capture_output=True, text=True, timeout=300)
    messages = json.loads(result.stderr or result.stdout)["messages"]
    assert messages == [], messages


@pytest.mark.validators
@pytest.mark.browser
@pytest.mark.parametrize("path", ["ru/", "ru/2025/03/ferry/", "deutsch/2025/03/faehre/"])
def test_axe_finds_nothing_serious_on_the_language_pages(output: Path, path: str, browser: Any,
                                                          axe_script: Path) -> None:
    problems: list[str] = []
    with serving(output) as server:
        for scheme in ("light", "dark"):
            context = browser.new_context(color_scheme=scheme, viewport={"width": 375, "height": 812})
            try:
                page = context.new_page()
                response = page.goto(server + path, wait_until="load")
                assert response is not None and response.ok
                page.add_script_tag(path=str(axe_script))
                violations = page.evaluate(
                    "async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
            finally:
                context.close()
            for violation in violations:
                if violation["impact"] in BLOCKING_IMPACTS:
                    problems += _describe(violation, f"{path} [{scheme}]")
    assert not problems, "\n".join(problems)


def test_check_covers_every_language(tmp_path: Path) -> None:
    """The checks of articles (alt text, feeds, orphans, links) read the other languages' articles too."""
    site = make_site(tmp_path / "site", {
        **ARTICLES,
        "ru/news/photo.md": story("Фото без подписи", "2025-03-08", "См. [архив](/ru/nowhere/).",
                                  image="https://images.example.net/photo.jpg", description="Снимок."),
    }, CONFIG)
    findings = {(f.path, f.line, f.message) for f in check_site(site) if "'summary'" not in f.message}
    assert findings == {("content/ru/news/photo.md", 5, "lead image has no 'image_alt' text"),
                        ("content/ru/news/photo.md", 9, "link to /ru/nowhere/ points nowhere")}, findings


def test_a_language_suffix_is_not_part_of_the_file_name_in_urls(tmp_path: Path) -> None:
    """``{filename}`` in a URL pattern is the name without ``.ru``: the versions differ by their path only."""
    config = CONFIG + '\n[urls]\narticle = "/{year}/{filename}/"\n'
    site = make_site(tmp_path / "site", {"news/harbour-fees.md": story("Harbour fees rise", "2025-04-01", "Up."),
                                         "news/harbour-fees.ru.md": story("Сборы растут", "2025-04-01", "Выше.")},
                     config)
    build_site(site)
    tree = parse(site / "output/ru/2025/harbour-fees/index.html")
    assert alternates(tree) == {"en": "https://example.org/2025/harbour-fees/",
                                "ru": "https://example.org/ru/2025/harbour-fees/",
                                "x-default": "https://example.org/2025/harbour-fees/"}


def test_a_right_to_left_edition_beside_a_left_to_right_site(tmp_path: Path) -> None:
    config = CONFIG + '\n[languages.ar]\ntitle = "بشير الميناء"\n'
    site = make_site(tmp_path / "site", {**ARTICLES, "ar/news/ferry.md": story("عودة العبّارة", "2025-03-01 13:00",
                                                                                "العبّارة تعمل من جديد.", slug="ferry")},
                     config)
    build_site(site)
    arabic = parse(site / "output/ar/2025/03/ferry/index.html")
    assert (arabic.get("lang"), arabic.get("dir")) == ("ar", "rtl")
    english = parse(site / "output/2025/03/ferry-service-resumes/index.html")
    assert english.get("dir") is None
    assert english.xpath("//nav[@class='languages']//a[@hreflang='ar']/text()") == ["العربية"]
    assert english.xpath("//meta[@property='og:locale:alternate']/@content") == ["ru_RU", "de_DE", "ar_EG"]


def test_the_news_sitemap_lists_every_language_with_its_own(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", {"news/storm.md": story("Storm closes harbour", "2025-12-31 09:00", "Gales."),
                                         "ru/news/storm.md": story("Шторм закрыл гавань", "2025-12-31 10:00",
                                                                   "Ветер.", slug="storm"),
                                         "news/old.md": story("Old news", "2025-12-20 09:00", "Old.")}, CONFIG)
    build_site(site)  # the clock: 2026-01-01 00:00 UTC
    news = etree.parse(str(site / "output/news-sitemap.xml"))
    ns = {"s": SITEMAP_NS, "n": "http://www.google.com/schemas/sitemap-news/0.9"}
    found = [(url.findtext("s:loc", namespaces=ns), url.findtext(".//n:language", namespaces=ns))
             for url in news.getroot()]
    assert found == [("https://example.org/ru/2025/12/storm/", "ru"),
                     ("https://example.org/2025/12/storm-closes-harbour/", "en")]


def test_each_language_logs_its_own_corrections(tmp_path: Path) -> None:
    corrected = ("---\ntitle: Рынок переносит открытие\ndate: 2025-03-04 09:00\nslug: rynok\ncorrections:\n"
                 "  - date: 2025-03-05 10:00\n    text: Рынок откроется в субботу, а не в пятницу.\n---\n\nТекст.\n")
    site = make_site(tmp_path / "site", {**ARTICLES, "ru/news/rynok.md": corrected}, CONFIG)
    build_site(site)
    output = site / "output"
    log = page(output, "/ru/corrections/")
    assert log.get("lang") == "ru"
    assert "Рынок откроется в субботу" in log.text_content()
    feed = etree.parse(str(output / "ru/corrections/feed.xml")).getroot()
    links = [link.get("href") for link in feed.iter("{http://www.w3.org/2005/Atom}link")]
    assert "https://example.org/ru/corrections/" in links and "https://example.org/ru/2025/03/rynok/" in links
    assert page(output, "/ru/").xpath("//footer//a[@href='/ru/corrections/']")
    # The English edition corrected nothing: no log, and no link to one.
    assert not (output / "corrections").exists() and not page(output, "/").xpath("//a[contains(@href, 'corrections')]")


def test_a_rebuild_reuses_every_languages_catalogue_until_its_po_file_changes(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", ARTICLES, CONFIG)
    options = BuildOptions(site_dir=site, output=site / "output", now=NOW)
    first = build(options).state
    assert first.loaded is not None and set(first.loaded.catalogues) == {"ru", "de"}
    new = write(site, "content/news/new.md", story("A new story", "2025-03-05 09:00", "Text."))  # a full rebuild
    second = build(options, state=first, changed={new}).state
    assert second.loaded is not None and second.loaded is not first.loaded
    assert all(second.loaded.catalogues[code] is first.loaded.catalogues[code] for code in ("ru", "de"))
    po = write(site, "locale/ru/LC_MESSAGES/messages.po",
               'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\nmsgid "Contents"\nmsgstr "Оглавление"\n')
    third = build(options, state=second, changed={po}).state
    assert third.loaded is not None
    assert third.loaded.catalogues["ru"] is not first.loaded.catalogues["ru"]
    assert third.loaded.catalogues["de"] is first.loaded.catalogues["de"]
