"""``dateline import zola`` on Zola's own test site, three Rust blog posts and our own forms."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import html as lxml_html

from tests.helpers import tiny_png
from tests.importing import DATA, assert_no_raw_syntax, assert_old_urls_answer, imported_and_built, report_counts

SOURCE = DATA / "zola"

# Zola's rules by hand: a section's folders plus the slug (file name without its date, or the
# bundle's folder, slugified as [slugify] paths = "on" says), or `path`; and each page's aliases.
OLD_URLS = {
    "/posts/simple/": "Simple article with shortcodes",
    "/posts/a-post-with-dates/": "post with dates",  # 2016-10-08_a-post-with-dates.md
    "/posts/something-else/": "Fixed slug",  # slug = "something-&-else"
    "/an-old-url/old-page": "Fixed slug",  # aliases
    "/an-old-url/an-old-alias.html": "Fixed slug",
    "/a-fixed-url/": "Fixed URL",  # path
    "/top-level.html": "Top level alias",
    "/posts/tutorials/programming/python/": "Python tutorial",
    "/2015/06/25/Rust-1.1/": "Rust 1.1 stable",  # the Rust blog: path, with the date only there
    "/2015/06/25/Rust-1.1.html": "Rust 1.1 stable",
    "/releases/1.1.0/": "Rust 1.1 stable",
    "/2021/08/03/GATs-stabilization-push/": "The push for GATs stabilization",
    "/news/own-forms-2021/": "own forms",
    "/2021/03/02/own-forms.html": "own forms",
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    built, _ = imported_and_built("zola", SOURCE, tmp_path_factory.mktemp("zola"))
    return built


def test_no_template_syntax_reaches_a_page(site: Path) -> None:
    assert_no_raw_syntax(site)


def test_counts_add_up_and_ignored_content_is_left_out(site: Path) -> None:
    counts = report_counts(site)
    assert counts["found"] == counts["imported"] + counts["skipped"]
    assert counts["found"] == 44  # every page but the sections (_index.md), ignored.md and the hidden file
    assert not any("ignored" in p.name for p in (site / "content").rglob("*.md"))


def test_shortcodes_links_and_escapes(site: Path) -> None:
    report = (site / "import-report.txt").read_text()
    assert "content/posts/python.md:13: template syntax removed from the page: {{ pirate(name=\"Bob\") }}" in report
    assert "content/own/2021-03-02-own-forms.md:16: shortcode 'callout' has no equivalent" in report
    simple = lxml_html.fromstring(next((site / "output").glob("posts/simple/index.html")).read_bytes())
    assert simple.xpath("//article//iframe/@src") == ["https://www.youtube-nocookie.com/embed/e1C9kpMV2e8"] * 2
    own = lxml_html.fromstring((site / "output/posts/own-forms-2021/index.html").read_bytes())
    assert own.xpath("string(//h1)").strip() == "Small & fast: own forms"
    assert own.xpath("string(//article//blockquote//em)") == "fast"
    links = own.xpath("//article//a/@href")
    assert "/posts/simple/" in links and "/posts/a-post-with-dates/#top" in links
    assert own.xpath("//article//code/text()")[0] == '{{ youtube(id="x") }}'
    assert "{% quote(author=\"A\") %}Text{% end %}" in own.xpath("string(//article//pre)")


def test_bundle_images_beside_the_page(site: Path) -> None:
    [page] = [p.parent for p in (site / "output").rglob("GATs-stabilization-push/index.html")
              if 'http-equiv="refresh"' not in p.read_text()]  # the page, not the redirect at its old URL
    assert (page / "gats-reactions.png").is_file()
    doc = lxml_html.fromstring((page / "index.html").read_bytes())
    # Root-relative once made in several widths (see tests/test_images.py): it is the same file.
    assert "/posts/GATs-stabilization-push/gats-reactions.png" in doc.xpath("//article//img/@src")


def test_every_old_url_answers_over_http(site: Path) -> None:
    assert_old_urls_answer(site, OLD_URLS)


def test_a_multilingual_zola_site_keeps_its_languages_and_urls(tmp_path: Path) -> None:
    """Zola's ``[languages.fr]`` and ``post.fr.md`` become Dateline's: the same URLs, translations linked."""
    source = tmp_path / "zola"
    files = {
        "config.toml": 'title = "Notes"\nbase_url = "https://example.org"\ndefault_language = "en"\n'
                       '[languages.fr]\ntitle = "Carnets"\n',
        "content/blog/_index.md": "+++\ntitle = \"Blog\"\n+++\n",
        "content/blog/_index.fr.md": "+++\ntitle = \"Blogue\"\n+++\n",
        "content/blog/tides.md": "+++\ntitle = \"Tides\"\ndate = 2024-05-01\n+++\nHigh water at noon.\n",
        "content/blog/tides.fr.md": "+++\ntitle = \"Marées\"\ndate = 2024-05-01\n+++\nPleine mer à midi.\n",
        "content/blog/harbour/index.md": "+++\ntitle = \"Harbour\"\ndate = 2024-05-02\n+++\n![Map](map.png)\n",
        "content/blog/harbour/index.fr.md": "+++\ntitle = \"Port\"\ndate = 2024-05-02\n+++\n![Carte](map.png)\n",
        "content/blog/only-french.fr.md": "+++\ntitle = \"Seulement\"\ndate = 2024-05-03\n+++\nTexte.\n",
    }
    for name, text in files.items():
        (source / name).parent.mkdir(parents=True, exist_ok=True)
        (source / name).write_text(text, encoding="utf-8")
    (source / "content/blog/harbour/map.png").write_bytes(tiny_png())
    site, _ = imported_and_built("zola", source, tmp_path)
    config = (site / "config.toml").read_text(encoding="utf-8")
    assert '[languages."fr"]\ntitle = "Carnets"' in config
    output = site / "output"
    for url in ("blog/tides/", "fr/blog/tides/", "blog/harbour/", "fr/blog/harbour/", "fr/blog/only-french/"):
        page = output / url / "index.html"
        assert page.is_file() and 'http-equiv="refresh"' not in page.read_text(encoding="utf-8"), url
    assert not (output / "blog/index-fr").exists() and not (output / "fr/blog/tides-fr").exists()
    french = lxml_html.fromstring((output / "fr/blog/tides/index.html").read_bytes())
    assert french.get("lang") == "fr"
    assert french.xpath("//link[@rel='alternate'][@hreflang='en']/@href") == ["https://example.org/blog/tides/"]
    assert (output / "fr/blog/harbour/map.png").is_file()  # a bundle's files beside each language's page
    harbour = lxml_html.fromstring((output / "fr/blog/harbour/index.html").read_bytes())
    assert harbour.xpath("//link[@rel='alternate'][@hreflang='x-default']/@href") == ["https://example.org/blog/harbour/"]
