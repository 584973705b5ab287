"""``[content.trust]``: which folders are sanitised, and URLs from frontmatter and config checked in every mode."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from generator.build import build
from generator.errors import BuildFailed
from generator.options import BuildOptions
from generator.text.links import url_problem
from tests import xss_fixtures
from tests.helpers import NOW, article, make_site, parse

BODY = 'Text <script>alert(1)</script> and <b onclick="x()">bold</b>.'
CONFIG = 'title = "T"\nbase_url = "https://example.org/"\n'


def scripts(site: Path, slug: str) -> list[str]:
    return parse(site / f"output/2020/01/{slug}/index.html").xpath("//div[@class='story-body']//script/text()")


def build_errors(site: Path) -> list[str]:
    with pytest.raises(BuildFailed) as failure:
        build(BuildOptions(site_dir=site, now=NOW))
    return [str(error) for error in failure.value.errors]


def config_errors(tmp_path: Path, extra_config: str) -> list[str]:
    """The errors of a one-article site whose config.toml ends with ``extra_config``."""
    return build_errors(make_site(tmp_path, {"articles/a.md": article("A", "2020-01-01")}, config=CONFIG + extra_config))


def test_the_deepest_listed_folder_decides(tmp_path: Path) -> None:
    config = CONFIG + ('[content.trust]\ndefault = "untrusted"\ntrusted = ["articles/staff"]\n'
                       'untrusted = ["articles/staff/guests"]\n')
    site = make_site(tmp_path, {
        "articles/staff/a.md": article("A", "2020-01-01", BODY),
        "articles/staff/guests/b.md": article("B", "2020-01-01", BODY),
        "articles/c.md": article("C", "2020-01-01", BODY),
        "articles/staffroom/d.md": article("D", "2020-01-01", BODY),  # not inside articles/staff/
    }, config=config)
    build(BuildOptions(site_dir=site, now=NOW))
    assert scripts(site, "a") == ["alert(1)"]
    assert scripts(site, "b") == scripts(site, "c") == scripts(site, "d") == []
    b = parse(site / "output/2020/01/b/index.html")
    assert b.xpath("//div[@class='story-body']//b/text()") == ["bold"] and b.xpath("//*[@onclick]") == []


def test_trusted_is_the_default(tmp_path: Path) -> None:
    site = make_site(tmp_path, {"articles/a.md": article("A", "2020-01-01", BODY)}, config=CONFIG)
    build(BuildOptions(site_dir=site, now=NOW))
    assert scripts(site, "a") == ["alert(1)"]


def test_raw_html_false_alone_makes_the_site_untrusted(tmp_path: Path) -> None:
    body = "[x](javascript:alert(1)) and [y](https://example.com/)"
    site = make_site(tmp_path, {"articles/a.md": article("A", "2020-01-01", body)},
                     config=CONFIG + "[markdown]\nraw_html = false\n")
    build(BuildOptions(site_dir=site, now=NOW))
    page = parse(site / "output/2020/01/a/index.html")
    assert page.xpath("//div[@class='story-body']//a/@href") == ["https://example.com/"]
    assert page.xpath("//div[@class='story-body']//a/@rel") == ["nofollow ugc noopener"]


def test_bad_trust_settings_name_their_lines(tmp_path: Path) -> None:
    assert config_errors(tmp_path, '[content.trust]\ndefault = "maybe"\nuntrusted = ["../elsewhere"]\n'
                                   'embed_hosts = ["https://www.youtube.com/"]\n') == [
        "config.toml:4: 'content.trust.default' must be \"trusted\" or \"untrusted\"",
        "config.toml:5: 'content.trust.untrusted': '../elsewhere' is not a folder under content/, such as 'contributors'",
        "config.toml:6: 'content.trust.embed_hosts': 'https://www.youtube.com/' is not a host name such as "
        "'www.youtube.com'",
    ]


DANGEROUS = [url for url in xss_fixtures.urls()
             if re.sub(r"[\s\x00-\x1f]", "", url).lower().startswith(("javascript:", "vbscript:", "data:", "livescript:"))]


@pytest.mark.parametrize("trust", ["trusted", "untrusted"])
def test_every_dangerous_frontmatter_image_is_an_error_on_its_line(tmp_path: Path, trust: str) -> None:
    assert len(DANGEROUS) > 30
    files = {f"articles/a{number}.md": article(f"A{number}", "2020-01-01", image=json.dumps(url))
             for number, url in enumerate(DANGEROUS)}
    site = make_site(tmp_path, files, config=CONFIG + f'[content.trust]\ndefault = "{trust}"\n')
    errors = build_errors(site)
    assert len(errors) == len(DANGEROUS)
    for number in range(len(DANGEROUS)):
        assert any(error.startswith(f"content/articles/a{number}.md:4: 'image' ") for error in errors), number


@pytest.mark.parametrize("url", ["/media/a.jpg", "media/a.jpg", "https://cdn.example.org/a.jpg", "//cdn.example.org/a.jpg"])
def test_ordinary_images_pass(tmp_path: Path, url: str) -> None:
    site = make_site(tmp_path, {"articles/a.md": article("A", "2020-01-01", image=url, image_alt="x")}, config=CONFIG)
    build(BuildOptions(site_dir=site, now=NOW))


def test_urls_in_config_are_checked(tmp_path: Path) -> None:
    assert config_errors(tmp_path, '[publisher]\nlogo = "javascript:alert(1)"\n'
                                   '[authors.maya]\nname = "Maya"\nurl = " java\\tscript:alert(1)"\n') == [
        "config.toml:4: 'publisher.logo': 'javascript:alert(1)' must be a path on this site, such as '/media/logo.png'",
        "config.toml:7: 'authors.maya.url': ' java\tscript:alert(1)' is not an http(s) URL or a path on this site",
    ]


@pytest.mark.parametrize(("url", "bad"), [
    ("javascript:alert(1)", True), ("JAVASCRIPT:x", True), (" \x01javascript:x", True), ("java\tscript:x", True),
    ("java script:x", True), ("data:image/png;base64,AA", True), ("vbscript:x", True), ("//", True),
    ("https://example.org/a:b", False), ("/a/b:c", False), ("../x", False), ("#top", False), ("mailto:a@b.c", False),
    ("tel:+441234", False), ("page?x=javascript:1", False),
])
def test_url_problem(url: str, bad: bool) -> None:
    assert (url_problem(url) is not None) == bad
