"""The newsroom theme in every language it ships: catalogues, plurals, dates, direction, overrides.

A fixture site whose own words are Latin (titles, names, sections, bodies), so
that any English left on its pages is the theme's or the generator's, is built
in each shipped language. The English strings to look for are read from the
theme's English catalogue and the templates themselves (Babel's extractor),
not from the code that translates them.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from generator.build import build
from generator.config.themes import BUILTIN_THEMES
from generator.errors import BuildFailed
from generator.i18n.formats import strftime_to_cldr
from generator.options import BuildOptions
from generator.serve.app import watched_folders
from tests.helpers import NOW, build_site, make_site, parse, snapshot, write

THEME = BUILTIN_THEMES / "newsroom"
SHIPPED = ("en", "ru", "uk", "de", "fr", "es", "ar", "ja")
NON_ENGLISH = tuple(language for language in SHIPPED if language != "en")


def po_path(language: str) -> Path:
    return THEME / "locale" / language / "LC_MESSAGES" / "messages.po"


LATIN_CONFIG = """\
title = "Acta Diurna"
base_url = "https://example.org/"
language = "{language}"
timezone = "UTC"
paginate = 2
words_per_minute = 10
sections = ["Varia"]

[authors.ana-lima]
name = "Ana Lima"
url = "https://example.org/ana/"
links = ["https://social.example/@ana"]
"""


def latin_article(title: str, date: str, words: int = 10, **fields: str) -> str:
    lines = ["---", f"title: {title}", f"date: {date}"] + [f"{key}: {value}" for key, value in fields.items()]
    body = " ".join(["lorem"] * words)
    return "\n".join([*lines, "---", "", body, "", "## Primus", "", "ipsum", "", "## Secundus", "", "dolor",
                      "", "## Tertius", "", "amet", ""])


COMMENTS = """
  kicker: Nota
  comments:
    - id: 1
      parent: ""
      author: Gaius
      date: "2025-03-02T10:00:00"
      text: Salve.
    - id: 2
      parent: 1
      author: Marcus
      date: ""
      text: Vale."""


def latin_site(root: Path, language: str) -> Path:
    """Five articles, three authors on one, comments, an update, pages enough to paginate."""
    articles = {
        "articles/a.md": latin_article("Lorem ipsum", "2025-03-01 09:30", section="Varia", tags="[alpha, beta]",
                                       authors="[Ana Lima, Jo Park, Li Wei]", updated="2025-03-04 11:00",
                                       contributors="[Gaius Iulius, Marcus Tullius, Publius Vergilius]",
                                       extra=COMMENTS),
        "articles/b.md": latin_article("Dolor sit", "2025-02-01", section="Varia", tags="[alpha]",
                                       authors="[Ana Lima]"),
        "articles/c.md": latin_article("Amet consectetur", "2024-12-01", tags="[beta]", authors="[Jo Park, Li Wei]"),
        "articles/d.md": latin_article("Adipiscing elit", "2024-11-05", section="Varia"),
        "articles/e.md": latin_article("Sed do eiusmod", "2024-11-01", authors="[Ana Lima]"),
        "pages/de.md": "---\ntitle: Colophon\n---\n\nLorem.\n",
    }
    return make_site(root, articles, LATIN_CONFIG.format(language=language))


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The Latin site built once in each shipped language: language -> output folder."""
    outputs = {}
    for language in SHIPPED:
        site = latin_site(tmp_path_factory.mktemp(f"latin-{language}"), language)
        result = build_site(site)
        assert not [w for w in result.warnings if "translation" in w.message], result.warnings
        outputs[language] = site / "output"
    return outputs


# --- what pages say -------------------------------------------------------------------------

SHOWN_ATTRIBUTES = ("aria-label", "title", "alt")
SHOWN_META = ("description", "og:title", "og:description", "twitter:title", "twitter:description")


def shown_strings(page: Path) -> Iterator[str]:
    """Every piece of text a reader or a screen reader meets, one text node or attribute at a time."""
    tree = parse(page)
    for element in tree.iter():
        if not isinstance(element.tag, str) or element.tag in ("script", "style"):
            if isinstance(element.tag, str) or element.tail is None:
                continue
        else:
            if element.text:
                yield element.text
            for name in SHOWN_ATTRIBUTES:
                if element.get(name):
                    yield element.get(name)
            if element.tag == "meta" and (element.get("name") or element.get("property")) in SHOWN_META:
                yield element.get("content", "")
        if element.tail:
            yield element.tail


PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|<[^>]*>")


def english_fragments() -> tuple[set[str], set[str]]:
    """The English catalogue's words, split at placeholders: (single words, longer phrases)."""
    with po_path("en").open("rb") as file:
        catalog = read_po(file)
    words, phrases = set(), set()
    for message in catalog:
        for msgid in (message.id,) if isinstance(message.id, str) else message.id:
            for fragment in PLACEHOLDER.split(msgid):
                fragment = fragment.strip(" .,:;–←→()")
                if not re.search(r"[A-Za-z]{2}", fragment):
                    continue
                (phrases if " " in fragment else words).add(fragment)
    return words, phrases


def test_english_catalogue_is_read() -> None:
    words, phrases = english_fragments()
    assert {"Archive", "Tags", "Home"} <= words
    assert {"Page not found", "min read", "Skip to content"} <= phrases


@pytest.mark.parametrize("language", NON_ENGLISH)
def test_no_english_theme_string_on_any_page(built: dict[str, Path], language: str) -> None:
    """A single English word must not stand alone as a text or label; a phrase must not appear anywhere."""
    words, phrases = english_fragments()
    found: list[str] = []
    pages = sorted(built[language].rglob("*.html"))
    assert len(pages) > 15
    for page in pages:
        strings = [" ".join(s.split()) for s in shown_strings(page)]
        text = " ".join(strings)
        where = page.relative_to(built[language]).as_posix()
        found += [f"{where}: {s!r}" for s in strings if s.strip(" .,:·–←→()") in words]
        found += [f"{where}: {p!r}" for p in phrases if re.search(rf"(?<!\w){re.escape(p)}(?!\w)", text)]
    assert not found, f"English theme strings on {language} pages:\n" + "\n".join(sorted(set(found))[:40])


def test_english_pages_show_the_english_strings(built: dict[str, Path]) -> None:
    """The same check finds English on the English site: it is looking at the right text."""
    text = " ".join(shown_strings(built["en"] / "index.html"))
    assert "Skip to content" in text and "min read" in text and "Older →" in text


# --- plurals ----------------------------------------------------------------------------------


def reading_times(output: Path) -> dict[str, str]:
    found = {}
    for page in output.glob("20*/*/*/index.html"):
        tree = parse(page)
        found[tree.xpath("string(//h1)")] = " ".join(tree.xpath("string(//p[@class='story-meta']"
                                                                "/span[@class='reading-time'])").split())
    return found


@pytest.mark.parametrize(("language", "expected"), [
    ("ru", {1: "1 минута чтения", 3: "3 минуты чтения", 5: "5 минут чтения", 21: "21 минута чтения",
            12: "12 минут чтения", 22: "22 минуты чтения"}),
    ("uk", {1: "1 хвилина читання", 3: "3 хвилини читання", 5: "5 хвилин читання", 21: "21 хвилина читання"}),
    ("ar", {1: "دقيقة واحدة للقراءة", 2: "دقيقتان للقراءة", 3: "3 دقائق للقراءة", 11: "11 دقيقة للقراءة",
            100: "100 دقيقة للقراءة"}),
    ("en", {1: "1 min read", 5: "5 min read"}),
    ("ja", {1: "1分で読めます", 21: "21分で読めます"}),
])
def test_reading_time_follows_the_language_plural_rules(tmp_path: Path, language: str, expected: dict[int, str]) -> None:
    # words_per_minute = 10: ten words a minute; the headings and their paragraphs are six words.
    articles = {f"articles/m{minutes}.md": latin_article(f"Minuta {minutes}", "2025-01-01", words=minutes * 10 - 6)
                for minutes in expected}
    build_site(make_site(tmp_path, articles, LATIN_CONFIG.format(language=language)))
    assert reading_times(tmp_path / "output") == {f"Minuta {m}": text for m, text in expected.items()}


@pytest.mark.parametrize(("language", "expected"), [
    ("en", "1,234 min read"), ("de", "1.234 Min. Lesezeit"), ("fr", "1\u202f234 min de lecture"),
    ("ru", "1\u00a0234 минуты чтения"),
])
def test_numbers_are_written_as_the_language_writes_them(tmp_path: Path, language: str, expected: str) -> None:
    config = LATIN_CONFIG.format(language=language).replace("words_per_minute = 10", "words_per_minute = 1")
    build_site(make_site(tmp_path, {"articles/long.md": latin_article("Longa", "2025-01-01", words=1234 - 6)}, config))
    tree = parse(tmp_path / "output/2025/01/longa/index.html")
    assert tree.xpath("string(//p[@class='story-meta']/span[@class='reading-time'])") == expected


def test_counts_follow_the_plural_rules(built: dict[str, Path]) -> None:
    tree = parse(built["ru"] / "tags/alpha/index.html")
    assert tree.xpath("string(//p[@class='list-meta'])").split("·")[0].strip() == "2 статьи"
    tree = parse(built["ar"] / "tags/index.html")
    assert " ".join(tree.xpath("string(//p[@class='list-meta'])").split()) == "وسمان"


# --- dates, lists and direction ---------------------------------------------------------------


@pytest.mark.parametrize(("language", "date_format", "expected"), [
    ("en", None, "1 February 2025"),  # as Dateline always printed English dates
    ("en-US", None, "February 1, 2025"),
    ("ru", None, "1 февраля 2025\u202fг."),  # CLDR puts a narrow no-break space there
    ("uk", None, "1 лютого 2025\u202fр."),
    ("de", None, "1. Februar 2025"),
    ("fr", None, "1 février 2025"),
    ("es", None, "1 de febrero de 2025"),
    ("ja", None, "2025年2月1日"),
    ("ru", "%-d %B %Y", "1 февраля 2025"),  # a strftime format keeps working, in the language
    ("de", "d. MMMM y", "1. Februar 2025"),
    ("fr", "full", "samedi 1 février 2025"),
    ("de", "short", "01.02.25"),
])
def test_dates_in_the_site_language(tmp_path: Path, language: str, date_format: str | None, expected: str) -> None:
    config = LATIN_CONFIG.format(language=language) + (f'date_format = "{date_format}"\n' if date_format else "")
    config = config.replace("[authors.ana-lima]", "").replace('name = "Ana Lima"\nurl = "https://example.org/ana/"\n', "")
    build_site(make_site(tmp_path, {"articles/b.md": latin_article("Dolor sit", "2025-02-01")}, config))
    tree = parse(tmp_path / "output/2025/02/dolor-sit/index.html")
    assert tree.xpath("string(//span[@class='dateline']/time)") == expected


@pytest.mark.parametrize(("language", "expected"), [
    ("en", "1 March 2025 09:30"), ("ru", "1 марта 2025 г. 09:30"), ("ar", "1 مارس 2025 9:30 ص"),
])
def test_times_use_the_language_clock(built: dict[str, Path], language: str, expected: str) -> None:
    tree = parse(built[language] / "2025/03/lorem-ipsum/index.html")
    assert " ".join(tree.xpath("string(//span[@class='dateline']/time[1])").split()) == expected


@pytest.mark.parametrize(("language", "expected"), [
    ("en", "By Ana Lima, Jo Park, and Li Wei"),
    ("ru", "Текст: Ana Lima, Jo Park и Li Wei"),
    ("de", "Von Ana Lima, Jo Park und Li Wei"),
    ("ja", "文：Ana Lima、Jo Park、Li Wei"),
])
def test_bylines_join_names_as_the_language_does(built: dict[str, Path], language: str, expected: str) -> None:
    tree = parse(built[language] / "2025/03/lorem-ipsum/index.html")
    byline = tree.xpath("//p[@class='story-meta']/span[@class='byline']")[0]
    assert " ".join(byline.text_content().split()) == expected
    assert byline.xpath("a/@href") == ["/authors/ana-lima/", "/authors/jo-park/", "/authors/li-wei/"]


@pytest.mark.parametrize(("language", "expected"), [
    ("en", "With reporting by Gaius Iulius, Marcus Tullius, and Publius Vergilius"),
    ("ru", "В подготовке материала участвовали: Gaius Iulius, Marcus Tullius и Publius Vergilius"),
    ("ar", "شارك في إعداد التقرير: Gaius Iulius وMarcus Tullius وPublius Vergilius"),
])
def test_contributors_are_credited_in_the_language(built: dict[str, Path], language: str, expected: str) -> None:
    credit = parse(built[language] / "2025/03/lorem-ipsum/index.html").xpath("//p[@class='credits']")[0]
    assert " ".join(credit.text_content().split()) == expected
    assert len(credit.xpath("a[starts-with(@href, '/authors/')]")) == 3


@pytest.mark.parametrize(("language", "month", "archive_title"), [
    ("en", "March 2025", "Archive"), ("ru", "Март 2025\u202fг.", "Архив"), ("ja", "2025年3月", "アーカイブ"),
])
def test_archive_months_and_titles(built: dict[str, Path], language: str, month: str, archive_title: str) -> None:
    tree = parse(built[language] / "archive/2025/03/index.html")
    assert tree.xpath("string(//h1)") == month
    assert tree.xpath("string(//title)") == f"{month} – Acta Diurna"
    assert parse(built[language] / "archive/index.html").xpath("string(//title)") == f"{archive_title} – Acta Diurna"


@pytest.mark.parametrize(("language", "direction"), [("ar", "rtl"), ("ru", None), ("en", None)])
def test_right_to_left_languages_get_dir_rtl(built: dict[str, Path], language: str, direction: str | None) -> None:
    root = parse(built[language] / "index.html")
    assert root.get("lang") == language
    assert root.get("dir") == direction


def test_hebrew_without_a_catalogue_is_rtl_and_warned(tmp_path: Path) -> None:
    result = build_site(latin_site(tmp_path, "he"))
    assert parse(tmp_path / "output/index.html").get("dir") == "rtl"
    assert [w.as_warning() for w in result.warnings if "translation" in w.message] == [
        "config.toml: warning: theme 'newsroom' has no translation for 'he': its words stay in English "
        "(dates follow the language); see README, Languages"]
    # The dates are Hebrew all the same.
    assert "במרץ" in parse(tmp_path / "output/2025/03/lorem-ipsum/index.html").xpath("string(//span[@class='dateline'])")


# --- config errors ----------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["xx", "qq-ZZ", "zzz"])
def test_unknown_language_is_a_config_error_with_its_line(tmp_path: Path, language: str) -> None:
    site = latin_site(tmp_path, language)
    with pytest.raises(BuildFailed) as failure:
        build_site(site)
    assert [str(e) for e in failure.value.errors] == [
        f"config.toml:3: 'language': '{language}' is not a language CLDR knows; "
        "use a code such as 'en', 'de', 'pt-BR' or 'ar'"]
    assert not (site / "output").exists()


def test_a_bad_date_pattern_is_a_config_error(tmp_path: Path) -> None:
    config = LATIN_CONFIG.format(language="de").replace("sections =", 'date_format = "qqqqqq"\nsections =')
    site = make_site(tmp_path, {"articles/b.md": latin_article("Dolor sit", "2025-02-01")}, config)
    with pytest.raises(BuildFailed) as failure:
        build_site(site)
    assert [str(e) for e in failure.value.errors] == [
        "config.toml:7: 'date_format': 'qqqqqq' is not a CLDR date pattern such as 'd MMMM y' "
        "(Invalid length for field: 'qqqqqq')"]


@pytest.mark.parametrize(("strftime", "cldr"), [
    ("%-d %B %Y", "d MMMM y"), ("%d/%m/%Y", "dd/MM/y"), ("%I:%M %p", "hh:mm a"), ("%A %-d %b", "EEEE d MMM"),
    ("%-d %B %Y at %H:%M", "d MMMM y' at 'HH:mm"), ("100%% o'clock", "'100% o''clock'"), ("%c", None), ("%U", None),
])
def test_strftime_formats_convert_to_cldr(strftime: str, cldr: str | None) -> None:
    assert strftime_to_cldr(strftime) == cldr


# --- the site's own words, and rebuilding after an edit ----------------------------------------

SITE_PO = """\
msgid ""
msgstr ""
"Language: ru\\n"
"Content-Type: text/plain; charset=utf-8\\n"
"Plural-Forms: nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);\\n"

msgid "Archive"
msgstr "{archive}"

msgid "%(num)s min read"
msgid_plural "%(num)s min read"
msgstr[0] "%(num)s минута"
msgstr[1] "%(num)s минуты"
msgstr[2] "%(num)s минут"
"""


def test_a_site_catalogue_overrides_the_theme(tmp_path: Path) -> None:
    site = latin_site(tmp_path, "ru")
    write(site, "locale/ru/LC_MESSAGES/messages.po", SITE_PO.format(archive="Хроника"))
    build_site(site)
    archive = parse(site / "output/archive/index.html")
    assert archive.xpath("string(//h1)") == "Хроника"
    assert archive.xpath("string(//title)") == "Хроника – Acta Diurna"  # the title planning gives the page
    assert archive.xpath("//footer//a/text()")[1:4] == ["Хроника", "Теги", "Авторы"]  # the rest: the theme's
    article = parse(site / "output/2025/02/dolor-sit/index.html")
    assert article.xpath("string(//p[@class='story-meta']/span[@class='reading-time'])") == "2 минуты"


def test_a_regional_language_uses_its_language_catalogue_and_its_own(tmp_path: Path) -> None:
    site = latin_site(tmp_path, "de-AT")
    write(site, "locale/de_AT/LC_MESSAGES/messages.po", 'msgid ""\nmsgstr ""\n"Language: de_AT\\n"\n\n'
                                                       'msgid "Archive"\nmsgstr "Archivseite"\n')
    result = build_site(site)
    assert not [w for w in result.warnings if "translation" in w.message]
    archive = parse(site / "output/archive/index.html")
    assert archive.get("lang") == "de-AT"
    assert archive.xpath("string(//h1)") == "Archivseite"  # the site's de_AT
    assert archive.xpath("//footer//a/text()")[2] == "Schlagwörter"  # the theme's de


def test_a_po_edit_rebuilds_every_page_and_matches_a_clean_build(tmp_path: Path) -> None:
    site = latin_site(tmp_path / "site", "ru")
    po = write(site, "locale/ru/LC_MESSAGES/messages.po", SITE_PO.format(archive="Хроника"))
    options = BuildOptions(site_dir=site, output=site / "output", now=NOW)
    first = build(options)
    assert build(options, state=first.state, changed=()).rendered == 0
    po.write_text(SITE_PO.format(archive="Летопись"), encoding="utf-8")
    again = build(options, state=first.state, changed=[po], in_place=True)
    assert again.rendered == first.pages  # every page shows the footer's "Archive"; no feed does
    assert parse(site / "output/archive/index.html").xpath("string(//h1)") == "Летопись"
    clean = tmp_path / "clean"
    build(BuildOptions(site_dir=site, output=clean, now=NOW))
    assert snapshot(site / "output") == snapshot(clean)


def test_a_po_edit_is_seen_by_the_command_line_up_to_date_check(tmp_path: Path) -> None:
    site = latin_site(tmp_path, "ru")
    po = write(site, "locale/ru/LC_MESSAGES/messages.po", SITE_PO.format(archive="Хроника"))
    env = {"PYTHONPATH": str(Path(__file__).resolve().parent.parent), "SOURCE_DATE_EPOCH": str(int(NOW.timestamp()))}
    run = [sys.executable, "-m", "generator", "build", "-s", str(site)]
    assert subprocess.run(run, env=env, capture_output=True, text=True, timeout=120).returncode == 0
    po.write_text(SITE_PO.format(archive="Летопись"), encoding="utf-8")
    result = subprocess.run(run, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert parse(site / "output/archive/index.html").xpath("string(//h1)") == "Летопись"


def test_a_broken_site_catalogue_is_an_error_with_its_line(tmp_path: Path) -> None:
    site = latin_site(tmp_path, "ru")
    write(site, "locale/ru/LC_MESSAGES/messages.po", 'msgid "Archive"\nmsgstr "Хроника"\nmsgid "Tags"\nbroken\n')
    with pytest.raises(BuildFailed) as failure:
        build_site(site)
    [error] = failure.value.errors
    assert str(error) == "locale/ru/LC_MESSAGES/messages.po:4: not a valid .po file: Unknown or misformatted keyword: 'broken'"
    assert not (site / "output").exists()


# --- the catalogues against the templates -------------------------------------------------------


def template_msgids(theme: Path) -> set[str]:
    """Every string marked in the theme's templates, by Babel's own Jinja extractor."""
    options = {"**.html": {"extensions": "jinja2.ext.i18n", "trim_blocks": "true", "lstrip_blocks": "true"}}
    found = set()
    for _, _, message, _, _ in extract_from_dir(theme / "templates", [("**.html", "jinja2")], options):
        found.add(message if isinstance(message, str) else message[0])
    return found


@pytest.mark.parametrize("language", SHIPPED)
def test_every_template_string_is_translated_in_every_shipped_catalogue(language: str) -> None:
    with po_path(language).open("rb") as file:
        catalog = read_po(file)
    translated = {
        (m.id if isinstance(m.id, str) else m.id[0])
        for m in catalog
        if m.id and not m.fuzzy and all(m.string if isinstance(m.string, (list, tuple)) else [m.string])
    }
    msgids = template_msgids(THEME)
    assert len(msgids) > 40
    missing = sorted(msgids - translated)
    assert not missing, f"{po_path(language).relative_to(THEME)} lacks a translation of: {missing}"


@pytest.mark.parametrize("language", NON_ENGLISH)
def test_translations_are_not_copies_of_english(language: str) -> None:
    with po_path(language).open("rb") as file:
        catalog = read_po(file)
    same = [m.id for m in catalog if m.id and m.string == m.id and re.search(r"[A-Za-z]{4}", str(m.id))]
    # French writes "page 2" and "Page 2" too.
    assert set(same) <= {"page %(number)d", "Page %(number)d", "%(title)s – page %(number)d",
                         ("%(num)s article", "%(num)s articles")}, same


def test_translation_tool_names_a_new_string_and_adds_it(tmp_path: Path) -> None:
    theme = shutil.copytree(THEME, tmp_path / "theme")
    check = [sys.executable, "-m", "generator.i18n", "check", str(theme)]
    update = [sys.executable, "-m", "generator.i18n", "update", str(theme)]
    env = {"PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    assert subprocess.run(check, env=env, capture_output=True, text=True, timeout=120).returncode == 0
    page = theme / "templates/404.html"
    page.write_text(page.read_text().replace("{% endblock %}\n", '{% endblock %}\n{# #}', 1)
                    .replace("</ul>", '</ul>\n<p>{{ _("Correction appended") }}</p>'), encoding="utf-8")
    result = subprocess.run(check, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert "locale/ru/LC_MESSAGES/messages.po: not translated: 'Correction appended'" in result.stderr
    assert subprocess.run(update, env=env, capture_output=True, text=True, timeout=120).returncode == 1
    after = (theme / "locale/ru/LC_MESSAGES/messages.po").read_text(encoding="utf-8")
    assert 'msgid "Correction appended"\nmsgstr ""' in after
    assert 'msgid "Archive"\nmsgstr "Архив"' in after  # the translations stay


def test_shipped_catalogues_are_in_step_with_the_templates() -> None:
    result = subprocess.run([sys.executable, "-m", "generator.i18n", "check"], capture_output=True, text=True,
                            timeout=120, env={"PYTHONPATH": str(Path(__file__).resolve().parent.parent)})
    assert result.returncode == 0, result.stderr


def test_the_english_catalogue_says_what_the_templates_say() -> None:
    with po_path("en").open("rb") as file:
        catalog = read_po(file)
    for message in catalog:
        if message.id and isinstance(message.id, str):
            assert message.string == message.id


def test_the_dev_server_watches_the_site_catalogues(tmp_path: Path) -> None:
    assert tmp_path / "locale" in watched_folders(tmp_path)
