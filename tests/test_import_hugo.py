"""``dateline import hugo`` on real posts (Hugo's news, Kubernetes' and gRPC's blogs) and our own forms."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import html as lxml_html

from tests.importing import DATA, assert_no_raw_syntax, assert_old_urls_answer, html_pages, imported_and_built, report_counts

SOURCE = DATA / "hugo"

# Hugo's rules by hand, for hugo.toml's permalinks (blog: /:section/:year/:month/:day/:slug/, where :slug
# is the slug, else the title as urlize makes it, dots kept) and, elsewhere, folders and the file or
# bundle name, all in lower case; `url` replaces the whole path; relative aliases are in its folder.
OLD_URLS = {
    "/news/0.16-relnotes/": "Hugo 0.16",
    "/0-16/": "Hugo 0.16",
    "/news/0.45-relnotes/": "Hugo 0.45",
    "/news/no-more-releasenotes-here/": "Release Notes now on GitHub Only",
    "/blog/2021/12/01/improve-your-documentation-with-mermaid.js-diagrams/": "Mermaid.js diagrams",
    "/blog/2024/02/22/k8s-book-club/": "Kubernetes Book Club",
    "/blog/2016/04/04/grpc---now-with-easy-installation/": "easy installation",
    "/blog/2020/06/18/interceptors-in-grpc-web/": "Interceptors in gRPC-Web",
    "/special/own-forms.html": "Own",
    "/special/old-own-forms/": "Own",
    "/2022/own/": "Own",
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    built, _ = imported_and_built("hugo", SOURCE, tmp_path_factory.mktemp("hugo"))
    return built


def own_page(site: Path) -> lxml_html.HtmlElement:
    [page] = [p for p in html_pages(site) if "Hugo</em> style" not in p.read_text()
              and "Capitalised keys" in p.read_text() and "<h1" in p.read_text()]
    return lxml_html.fromstring(page.read_bytes())


def test_no_shortcode_syntax_reaches_a_page(site: Path) -> None:
    assert_no_raw_syntax(site)


def test_counts_add_up_and_unknown_shortcodes_are_reported(site: Path) -> None:
    assert report_counts(site) == {"found": 9, "imported": 9, "skipped": 0}
    report = (site / "import-report.txt").read_text()
    assert "content/blog/own-forms.md:20: template syntax removed from the page: {{< gh 1234 >}}" in report
    assert "content/news/0.16-relnotes/index.md:18: template syntax removed from the page: {{< gh \"@spf13\" >}}" in report


def test_shortcodes_are_converted(site: Path) -> None:
    doc = own_page(site)
    assert doc.xpath("string(//h1)").strip() == "\u201cOwn\u201d forms, Hugo style"
    assert doc.xpath("//article//iframe/@src") == ["https://player.vimeo.com/video/146022717"]
    hrefs = doc.xpath("//article//a/@href")
    assert "https://gist.github.com/spf13/7896402" in hrefs
    assert "https://x.com/SanDiegoZoo/status/1453110110599868418" in hrefs
    assert "/blog/2024/02/22/k8s-book-club/" in hrefs  # ref, to the page's new URL
    assert doc.xpath("//article//figure//img/@src") == ["/img/chart.png"]
    assert doc.xpath("string(//article//figcaption)") == "Figures can span lines"
    assert (site / "output/img/chart.png").is_file()
    code = doc.xpath("//article//pre/code")
    assert code[0].get("class") == "language-go" and "{{ not a template }}" in code[0].text_content()
    assert "{{ .Title }}" in doc.xpath("//article//code/text()")  # Hugo showed it as written
    assert '{{< ref "x.md" >}}' in doc.xpath("//article//code/text()")  # the escaped form's text
    param = lxml_html.fromstring((site / "output/blog/2016/04/04/grpc---now-with-easy-installation/index.html")
                                 .read_bytes())
    assert "https://github.com/grpc/grpc/blob/v1.82.0/src/cpp/README.md" in param.xpath("//article//a/@href")


def test_old_heading_anchors(site: Path) -> None:
    [heading] = own_page(site).xpath("//article//h2[contains(., 'Install')]")
    assert heading.get("id") == "install-run" and heading.xpath(".//a/@id") == ["install--run"]


def test_content_path_images_and_bundles(site: Path) -> None:
    out = site / "output"
    assert (out / "blog/2021/improve-with-mermaid-diagrams/mermaid-blog-outline.svg").is_file()
    assert list(out.rglob("0.45-relnotes/poster.png"))


def test_every_old_url_answers_over_http(site: Path) -> None:
    assert_old_urls_answer(site, OLD_URLS)


def test_expiry_date_becomes_expires(tmp_path: Path) -> None:
    from generator.importers.run import import_site
    from tests.helpers import build_site, write

    old = tmp_path / "old"
    write(old, "hugo.toml", 'baseURL = "https://example.org/"\ntitle = "Old"\n')
    write(old, "content/posts/notice.md", "---\ntitle: Road closed\ndate: 2025-06-01\nexpiryDate: 2025-07-01\n---\nUntil July.\n")
    write(old, "content/posts/kept.md", "---\ntitle: Kept\ndate: 2025-06-02\n---\nStays.\n")
    import_site("hugo", old, tmp_path / "new")
    text = next((tmp_path / "new/content/articles/2025").glob("*notice*.md")).read_text(encoding="utf-8")
    assert "\nexpires: '2025-07-01T00:00:00+00:00'\n" in text, text
    result = build_site(tmp_path / "new")
    assert result.articles == 1  # built at 2026-01-01: the notice has expired, as Hugo would leave it out
