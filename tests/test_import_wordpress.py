"""``dateline import wordpress``: a WXR export of our own, and the attacks an export can carry."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import html as lxml_html

from generator.importers.run import import_site
from generator.importers.writer import ImportError_
from tests.helpers import build_site, run_dateline
from tests.importing import DATA, assert_no_raw_syntax, assert_old_urls_answer, html_pages, report_counts

SOURCE = DATA / "wordpress"

OLD_URLS = {
    "/2020/05/14/port-orders-electric-cranes/": "the port goes",  # the permalink
    "/2020/05/14/cranes-ordered/": "the port goes",  # _wp_old_slug
    "/about/": "We are a made-up paper.",
    "/about/team/": "Maya and Lee.",  # a child page
    "/2021/01/02/%CE%B5%CF%80%CE%AF%CF%80%CE%B5%CE%B4%CE%BF-2/": "Block editor story",  # a percent-encoded slug
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("wordpress") / "new-site"
    import_site("wordpress", SOURCE / "export.xml", target, SOURCE / "uploads")
    build_site(target)
    return target


def test_no_shortcode_or_block_syntax_reaches_a_page(site: Path) -> None:
    assert_no_raw_syntax(site)
    assert not any("plugin_thing" in page.read_text() or "[pullquote" in page.read_text() for page in html_pages(site))


def test_counts_add_up(site: Path) -> None:
    assert report_counts(site) == {"found": 9, "imported": 7, "skipped": 2}
    report = (site / "import-report.txt").read_text()
    assert "export.xml:62: item 20" in report and "shortcode [plugin_thing] removed" in report
    assert "export.xml: item 26 (A shop product): post type 'product' has no Dateline equivalent" in report


def test_content_is_converted(site: Path) -> None:
    doc = lxml_html.fromstring((site / "output/2020/05/14/port-orders-electric-cranes/index.html").read_bytes())
    assert doc.xpath("string(//h1)").strip() == "\u201cCranes\u201d: the port goes electric"
    captions = [" ".join(c.text_content().split()) for c in doc.xpath("//article//figure/figcaption")]
    assert captions == ["The first crane, at dawn.", "The old quay"]
    assert doc.xpath("//article//figure[figcaption]//img/@src") == ["/media/2020/05/crane.jpg", "/media/2020/05/quay.jpg"]
    assert (site / "output/media/2020/05/crane.jpg").is_file()
    assert doc.xpath("//article//iframe/@src") == ["https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
                                                   "https://player.vimeo.com/video/76979871"]
    assert len(doc.xpath("//article//figure[@class='gallery']//img")) == 2
    assert doc.xpath("//article//audio/@src") == ["https://gazette.example.org/wp-content/uploads/2020/05/interview.mp3"]
    body = doc.xpath("string(//article)")
    assert "Cranes are the future." in body and "C:\\xampp\\htdocs" in body
    block = lxml_html.fromstring(next(p for p in html_pages(site) if "Block editor story</h1>" in p.read_text()
                                      ).read_bytes())
    assert block.xpath("//article//iframe/@src") == ["https://www.youtube-nocookie.com/embed/ex8fMxXJDJw"]
    assert block.xpath("string(//article//div[@class='map'])") == "A map"


def test_approved_comments_only_and_never_addresses(site: Path) -> None:
    doc = lxml_html.fromstring((site / "output/2020/05/14/port-orders-electric-cranes/index.html").read_bytes())
    authors = doc.xpath("//section[@class='comments']//span[@class='comment-author']/text()")
    assert authors == ["Sam Reader", "Maya Okafor"]
    assert doc.xpath("//section[@class='comments']//script") == []
    everything = "".join(p.read_text(errors="replace") for p in (site).rglob("*") if p.is_file())
    for private in ("sam.secret@example.net", "maya@example.com", "203.0.113.77", "Buy pills", "Not yet approved",
                    "Linked from elsewhere", "hunter2"):
        assert private not in everything, private  # not in the new site's sources either


def test_drafts_private_and_password_posts_are_not_published(site: Path) -> None:
    out = site / "output"
    text = "".join(p.read_text() for p in out.rglob("*.html"))
    assert "Members only" not in text and "Private note" not in text and "An unfinished draft" not in text
    assert "Secret text." not in text and "Private." not in text
    assert "p=23" not in (out / "_redirects").read_text() and "p=22" not in (out / "_redirects").read_text()


def test_old_urls_answer_over_http(site: Path) -> None:
    assert "/ p=20 /2020/05/14/port-orders-electric-cranes/ 301" in (site / "output/_redirects").read_text()
    assert_old_urls_answer(site, OLD_URLS)


@pytest.mark.parametrize(("name", "message"), [
    ("billion-laughs.xml", "billion-laughs.xml:3: the file declares XML entities ('lol'), which WordPress exports "
                           "never do; an entity bomb (billion laughs) or a damaged file, refused"),
    ("external-entity.xml", "external-entity.xml:3: the file declares XML entities ('secret')"),
    ("traversal.xml", "traversal.xml: attachment 9 is named '../../../../home/user/.ssh/id_rsa', which would leave "
                      "the uploads folder; refused"),
    ("malformed.xml", "malformed.xml:6: not well-formed XML at column 3 (mismatched tag)"),
    ("not-wxr.xml", "not-wxr.xml: an RSS feed, not a WordPress export (no wp: elements)"),
])
def test_hostile_or_broken_exports_end_in_clear_errors(tmp_path: Path, name: str, message: str) -> None:
    with pytest.raises(ImportError_) as failure:
        import_site("wordpress", SOURCE / name, tmp_path / "new")
    assert str(failure.value).startswith(message)
    assert not (tmp_path / "new").exists()


def test_the_command_line(tmp_path: Path) -> None:
    hostile = run_dateline("import", "wordpress", str(SOURCE / "billion-laughs.xml"), "-s", str(tmp_path / "a"))
    assert hostile.returncode == 1
    assert hostile.stderr.startswith("error: billion-laughs.xml:3: the file declares XML entities ('lol')")
    done = run_dateline("import", "wordpress", str(SOURCE / "export.xml"), "-s", str(tmp_path / "b"))
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Found 9 posts and pages; imported 7 (5 articles, 2 pages, 3 drafts), skipped 2;")
    again = run_dateline("import", "wordpress", str(SOURCE / "export.xml"), "-s", str(tmp_path / "b"))
    assert again.returncode == 1 and "already exists and is not empty" in again.stderr
