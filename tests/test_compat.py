"""Native compatibility with content written for other generators, without importing it."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import MINIMAL_CONFIG, build_site, make_site, parse


def page_of(site: Path, url: str) -> str:
    return (site / "output" / url.strip("/") / "index.html").read_text(encoding="utf-8")


def test_excerpt_is_the_summary(tmp_path: Path) -> None:
    # Jekyll sites (18F: 504 of 505 posts) write their summaries as 'excerpt', often as HTML.
    site = make_site(tmp_path, {"articles/a.md": "---\ntitle: A\ndate: 2020-08-15\n"
                                "excerpt: <p>When asked, &ldquo;why&rdquo;?</p>\n---\n\nFirst paragraph.\n"})
    build_site(site)
    front = parse(site / "output" / "index.html")
    assert "When asked, \u201cwhy\u201d?" in front.text_content()
    assert "First paragraph." not in front.text_content()


def test_more_marker_with_spaces_splits_the_summary(tmp_path: Path) -> None:
    body = "Lead paragraph.\n\nSecond paragraph.\n\n<!-- more -->\n\nThe rest.\n"
    site = make_site(tmp_path, {"articles/a.md": f"---\ntitle: A\ndate: 2020-08-15\n---\n\n{body}"})
    build_site(site)
    front = parse(site / "output" / "index.html").text_content()
    assert "Second paragraph." in front and "The rest." not in front
    assert "<!-- more -->" not in page_of(site, "/2020/08/a/")


def test_titles_with_entities_and_inline_html_are_text(tmp_path: Path) -> None:
    site = make_site(tmp_path, {
        "articles/a.md": "---\ntitle: '&ldquo;Quoted&rdquo;: small <em>and</em> fast'\ndate: 2020-08-15\n---\n\nBody.\n",
    })
    build_site(site)
    url = "/2020/08/quoted-small-and-fast/"
    doc = parse(site / "output" / url.strip("/") / "index.html")
    assert doc.findtext(".//title").startswith("\u201cQuoted\u201d: small and fast")
    assert doc.xpath("string(//h1)").strip() == "\u201cQuoted\u201d: small and fast"
    assert doc.xpath("string(//meta[@property='og:title']/@content)") == "\u201cQuoted\u201d: small and fast"
    assert "&amp;ldquo;" not in page_of(site, url) and "&lt;em&gt;" not in page_of(site, url)


def test_slug_from_a_file_name_and_literal_ending(tmp_path: Path) -> None:
    config = MINIMAL_CONFIG + '[urls]\narticle = "/{year}/{month}/{day}/{filename}.html"\n'
    site = make_site(tmp_path, {"_posts/2015-06-25-Rust-1.1.md": "---\ntitle: Announcing Rust 1.1\n---\n\nBody.\n"},
                     config)
    build_site(site)
    assert (site / "output" / "2015" / "06" / "25" / "Rust-1.1.html").is_file()
