"""``dateline import jekyll`` on real posts (Jekyll's own news, 18F's blog) and our own forms."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import html as lxml_html

from generator.importers.run import import_site
from generator.importers.writer import ImportError_
from tests.importing import DATA, assert_no_raw_syntax, assert_old_urls_answer, html_pages, imported_and_built, report_counts

SOURCE = DATA / "jekyll"

# Where the old site served these posts: Jekyll's rules worked out by hand from _config.yml
# (permalink /news/:year/:month/:day/:title/, dates in America/Los_Angeles) and the posts' own
# permalink and redirect_from.
OLD_URLS = {
    # date: "2013-05-06 02:12:52 +0200" is still 5 May in Los Angeles, and Jekyll dates URLs there.
    "/news/2013/05/05/jekyll-1-0-0-released/": "Jekyll 1.0.0 Released",
    "/news/2014/05/06/jekyll-turns-2-0-0/": "Jekyll turns 2.0.0",
    "/news/2023/01/29/jekyll-3-9-3-released/": "Jekyll 3.9.3 Released",
    "/news/2019/07/20/jekyll-4-0-0-pre-beta1-released/": "Jekyll 4.0.0.pre.beta1 Released",  # redirect_from
    "/2015/05/21/tockingtime/": "Tock",  # the post's own permalink
    "/news/2017/11/08/four-lessons-we-learned-while-building-our-own-design-research-recruiting-tool/": "Four lessons",
    "/news/2019/12/03/long-term-teams/": "long-term",  # an unpadded day in the file name
    "/news/2017/09/27/three-ways-to manage-research-projects/": "research projects",  # date: 2017-09-27; a space
    "/news/2020/02/03/Own-Forms/": "Own forms",  # capitals kept, as Jekyll's :title keeps them
    "/2020/02/03/own-forms.html": "Own forms",  # redirect_from
    "/about/": "We write about the tools we build",  # a page with its own permalink
    # A page without one: /:path/:basename and the ending of the posts' permalink ("/").
    "/team/contact/": "Write to the editors",
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    built, _ = imported_and_built("jekyll", SOURCE, tmp_path_factory.mktemp("jekyll"))
    return built


def test_no_template_syntax_reaches_a_page(site: Path) -> None:
    assert len(html_pages(site)) > 50
    assert_no_raw_syntax(site)


def test_what_could_not_be_converted_is_reported_by_line(site: Path) -> None:
    report = (site / "import-report.txt").read_text()
    assert "_posts/2020-02-03-Own-Forms.md:23: template syntax removed from the page: {% youtube dQw4w9WgXcQ %}" in report
    assert "_posts/2020-02-03-Own-Forms.md:21: template syntax removed from the page: {% include dynamic.html" in report
    assert "_posts/2020-02-04-textile-post.textile: Textile is not Markdown" in report
    text = (site / "content/articles/2020/2020-02-03-Own-Forms.md").read_text()
    assert "youtube dQw4w9WgXcQ %}" not in text and "A conditional paragraph." in text


def test_counts_add_up(site: Path) -> None:
    counts = report_counts(site)
    assert counts == {"found": 24, "imported": 21, "skipped": 3}
    assert counts["found"] == counts["imported"] + counts["skipped"]


def test_liquid_is_converted(site: Path) -> None:
    own = lxml_html.fromstring((site / "output/news/2020/02/03/Own-Forms/index.html").read_bytes())
    body = own.xpath("string(//article)")
    assert "The download is 12 MB; the code is at https://github.com/example/widgets." in body
    assert "This note is plain HTML, included as it is." in body
    assert own.xpath("//article//img[@alt='A chart']/@src") == ["/assets/img/chart.png"]
    assert (site / "output/assets/img/chart.png").is_file()
    assert own.xpath("//article//iframe/@src") == ["https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"]
    code = own.xpath("//article//pre/code")
    assert code and code[0].get("class") == "language-ruby"
    assert code[0].text_content().strip() == 'def hello; "{{ not liquid in raw }}"; end'
    links = own.xpath("//article//a/@href")
    assert "/news/2015/10/26/jekyll-3-0-released/" in links  # post_url, and the old host's link made local
    first = lxml_html.fromstring((site / "output/news/2013/05/08/jekyll-1-0-1-released/index.html").read_bytes())
    assert "https://github.com/example/widgets/issues/1037" in first.xpath("//article//a/@href")  # assign + for


def test_old_heading_anchors_keep_working(site: Path) -> None:
    own = lxml_html.fromstring((site / "output/news/2020/02/03/Own-Forms/index.html").read_bytes())
    [heading] = own.xpath("//article//h2[contains(., '3.0 notes')]")
    assert heading.get("id") == "30-notes-more"  # Dateline's own id, as the table of contents links it
    assert heading.xpath(".//a/@id") == ["notes--more"]  # kramdown's, which old links name
    assert "#notes--more" in own.xpath("//article//a/@href")


def test_titles_and_fields(site: Path) -> None:
    own = lxml_html.fromstring((site / "output/news/2020/02/03/Own-Forms/index.html").read_bytes())
    assert own.xpath("string(//h1)").strip() == "\u201cOwn forms\u201d: small and fast"
    assert [a.text for a in own.xpath("//a[contains(@href, '/authors/')]")][:2] == ["Maya Okafor", "Lee Chan"]
    front = lxml_html.fromstring((site / "output/index.html").read_bytes()).text_content()
    assert "The forms our own fixture covers." in front  # the HTML excerpt, as text
    assert not (site / "output/news/2000").exists()  # the undated draft stays a draft


def test_every_old_url_answers_over_http(site: Path) -> None:
    assert_old_urls_answer(site, OLD_URLS)


def test_refuses_a_folder_that_is_not_empty(tmp_path: Path) -> None:
    (tmp_path / "keep.txt").write_text("mine")
    with pytest.raises(ImportError_, match="already exists and is not empty"):
        import_site("jekyll", SOURCE, tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == ["keep.txt"]


def test_never_reads_outside_the_source(tmp_path: Path) -> None:
    source = tmp_path / "old"
    (source / "_posts").mkdir(parents=True)
    (tmp_path / "secret.md").write_text("---\ntitle: Secret\n---\n\nprivate\n")
    (source / "_posts" / "2020-01-01-leak.md").symlink_to(tmp_path / "secret.md")
    (source / "_posts" / "2020-01-02-ok.md").write_text(
        "---\ntitle: OK\n---\n\n{% include ../../secret.md %}\n")
    (source / "_includes").mkdir()
    import_site("jekyll", source, tmp_path / "new")
    written = "".join(p.read_text() for p in (tmp_path / "new" / "content").rglob("*.md"))
    assert "private" not in written and "Secret" not in written


def test_pages_become_standalone_pages_and_listings_are_left_to_dateline(site: Path) -> None:
    about = lxml_html.fromstring((site / "output/about/index.html").read_bytes())
    assert about.findtext(".//h1") == "About this blog"
    link = about.xpath("//main//a[contains(., 'our first post')]/@href")
    assert link == ["/news/2013/05/05/jekyll-1-0-0-released/"]
    contact = lxml_html.fromstring((site / "output/contact/index.html").read_bytes())
    assert contact.findtext(".//h1") == "Contact & press"  # the entity, as text
    assert contact.xpath("//main//a[contains(., 'about page')]/@href") == ["/about/"]
    report = (site / "import-report.txt").read_text()
    assert "index.html: the home page: Dateline's front page takes its place" in report
    assert "archive.md: a page that lists posts" in report
