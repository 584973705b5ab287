"""Untrusted bodies through the sanitiser: public XSS payloads, built and read back with a real HTML parser.

The payloads (``tests/data/xss/``) are the OWASP XSS Filter Evasion Cheat
Sheet, the HTML5 Security Cheatsheet's vectors and Markdown's own forms.
Each becomes an article body, as raw HTML and inside Markdown links and
images; a site built from them with ``[content.trust]`` marking the folder
untrusted must carry nothing that runs script, and the same bodies from a
trusted folder must come out as written.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest
from lxml import html as lxml_html

from generator.build import build
from generator.config.load import load_config
from generator.markdown.engine import make_renderer
from generator.options import BuildOptions
from tests import xss_fixtures
from tests.helpers import NOW, write

ENGINES = ["python-markdown", "pulldown-cmark"]
CONTENT_ELEMENTS = ("script", "iframe", "object", "embed", "form", "base", "meta", "frame", "frameset", "applet",
                    "link", "style", "svg", "math", "input", "button", "textarea", "video", "audio", "source")
BAD_SCHEMES = ("javascript:", "vbscript:", "data:", "livescript:", "mocha:")
# Attributes that hold prose, never a URL: a payload's text may end up there ("javascript:alert(1)" as alt text).
TEXT_ATTRIBUTES = frozenset({"alt", "title", "aria-label"})
EMBEDS = ("https://www.youtube.com/",)


def bodies() -> dict[str, str]:
    """Every payload as an article body: raw HTML as it stands, and each URL in Markdown and HTML links."""
    found = {p.name: p.text for p in xss_fixtures.owasp() + xss_fixtures.h5sc() + xss_fixtures.markdown()}
    for number, url in enumerate(xss_fixtures.urls(), 1):
        one_line = url.replace("\n", " ").replace("\r", " ")
        found[f"url-{number}"] = (f"[Markdown link](<{one_line.replace('>', '%3E')}>) and "
                                  f"![Markdown image](<{one_line.replace('>', '%3E')}>)\n\n"
                                  f'<p><a href="{html.escape(url)}">HTML link</a> <img src="{html.escape(url)}" '
                                  f'alt="HTML image"></p>\n')
    return found


def make_payload_site(root: Path, engine: str, trusted: bool) -> Path:
    trust = "" if trusted else '[content.trust]\nuntrusted = ["contributions"]\n'
    write(root, "config.toml", f'title = "T"\nbase_url = "https://example.org/"\n[markdown]\nengine = "{engine}"\n{trust}')
    for name, body in bodies().items():
        text = re.sub(r"[\x00-\x08\x0b-\x1f\x7f]", "", body)  # control characters fail the build (a file:line error)
        (root / "content/contributions").mkdir(parents=True, exist_ok=True)
        (root / f"content/contributions/{name}.md").write_text(
            f"---\ntitle: Payload {name}\ndate: 2020-01-01\nslug: {name}\n---\n\n{text}\n", encoding="utf-8")
    build(BuildOptions(site_dir=root, now=NOW))
    return root / "output"


def normalised(value: str) -> str:
    """An attribute value as a URL parser reads its scheme: entities are decoded by the HTML parser already."""
    return re.sub(r"[\x00-\x20\x7f]+", "", value).lower()


def problems(page: Path) -> list[str]:
    tree = lxml_html.fromstring(page.read_bytes())
    found = []
    body = tree.find("body")
    for element in body.iter():
        if not isinstance(element.tag, str):
            continue
        tag = element.tag.lower().rsplit("}", 1)[-1]
        if tag in CONTENT_ELEMENTS and not (tag == "iframe" and element.get("src", "").startswith(EMBEDS)):
            found.append(f"<{tag}> element")
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        for name, value in element.attrib.items():
            name = name.lower()
            if name.startswith("on"):
                found.append(f"{name} attribute on <{element.tag}>")
            if name in TEXT_ATTRIBUTES or (element.tag == "meta" and not _meta_url(element)):
                continue
            if normalised(value).startswith(BAD_SCHEMES):
                found.append(f"{name}={value!r} on <{element.tag}>")
    for script in tree.iter("script"):
        if script.get("type") != "application/ld+json":
            found.append("a script that runs")
        else:
            json.loads(script.text or "")
    return found


def _meta_url(meta: lxml_html.HtmlElement) -> bool:
    key = (meta.get("property") or meta.get("name") or "").lower()
    return key.endswith(("image", "url"))


@pytest.fixture(scope="module", params=ENGINES)
def untrusted_output(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_payload_site(tmp_path_factory.mktemp(f"untrusted-{request.param}"), request.param, trusted=False)


@pytest.mark.slow
def test_no_page_built_from_untrusted_payloads_carries_script(untrusted_output: Path) -> None:
    pages = sorted(untrusted_output.rglob("*.html"))
    assert len(pages) > len(bodies())
    found = {str(page.relative_to(untrusted_output)): p for page in pages if (p := problems(page))}
    assert found == {}


@pytest.mark.slow
def test_untrusted_bodies_keep_what_articles_need(untrusted_output: Path) -> None:
    def story(snippet: str) -> lxml_html.HtmlElement:
        """The story body of the one Markdown payload that contains ``snippet``."""
        [name] = [p.name for p in xss_fixtures.markdown() if snippet in p.text]
        tree = lxml_html.fromstring((untrusted_output / f"2020/01/{name}/index.html").read_bytes())
        return tree.xpath("//div[@class='story-body']")[0]

    allowed = story("allowed video")
    assert allowed.xpath(".//iframe/@src") == ["https://www.youtube.com/embed/abc"]
    assert allowed.xpath(".//iframe/@sandbox") == ["allow-scripts allow-same-origin allow-popups allow-presentation"]
    assert story("not allowed").xpath(".//iframe") == []
    table = story("| [cell]")
    assert table.xpath(".//div[@class='table-scroll'][@role='region'][@tabindex='0']/@aria-label") == ["Table: a, b"]
    assert table.xpath(".//td/a/text()") == ["cell"] and table.xpath(".//td/a/@href") == []
    notes = story("[^1]: [note]")
    assert notes.xpath(".//sup/@id") == ["fnref:1"] and notes.xpath(".//li/@id") == ["fn:1"]
    assert notes.xpath(".//a[@class='footnote-backref']/@href") == ["#fnref:1"]
    code = story("shown as code")
    # Highlighted: the code's text in token spans, with their classes kept for untrusted authors too.
    [block] = code.xpath(".//pre[@tabindex='0']/code")
    assert block.text_content() == '<script>alert("shown as code, harmless")</script>\n'
    assert block.xpath(".//span[@class]") and code.xpath(".//script") == []
    assert story("## Heading").xpath(".//h2/@id") and story("## Heading").xpath(".//h2/@onclick") == []
    outside = story("opener")
    assert outside.xpath(".//a/@href") == ["https://example.com/"]
    assert outside.xpath(".//a/@rel") == ["nofollow ugc noopener"] and outside.xpath(".//a/@target") == []
    breakout = story("quote breakout")
    assert [a.get("rel") for a in breakout.xpath(".//a[@href]")] == ["nofollow ugc noopener"]


@pytest.mark.slow
@pytest.mark.parametrize("engine", ENGINES)
def test_trusted_bodies_render_as_written(tmp_path: Path, engine: str) -> None:
    """Trusted folders publish what the Markdown engine makes of the text, scripts and all."""
    output = make_payload_site(tmp_path, engine, trusted=True)
    config, _ = load_config(tmp_path)
    renderer = make_renderer(config)
    dangerous = 0
    for name, body in bodies().items():
        text = re.sub(r"[\x00-\x08\x0b-\x1f\x7f]", "", body)
        page = (output / f"2020/01/{name}/index.html").read_text(encoding="utf-8")
        assert renderer.render(text + "\n").body.strip() in page, name
        dangerous += bool(problems(output / f"2020/01/{name}/index.html"))
    assert dangerous > 100  # most payloads are live in a trusted page: the check above sees what it must refuse


@pytest.mark.parametrize("engine", ENGINES)
def test_links_a_browser_reads_as_another_host_get_the_external_rel(tmp_path: Path, engine: str) -> None:
    """A browser reads ``/\\host``, ``http:host`` and ``https:\\\\host`` as links to ``host``, as ``//host``."""
    write(tmp_path, "config.toml", f'title = "T"\nbase_url = "https://example.org/"\n'
                                   f'[markdown]\nengine = "{engine}"\n')
    config, _ = load_config(tmp_path)
    renderer = make_renderer(config)
    links = {
        "/\\evil.example/": True, "http:evil.example": True, "https:\\\\evil.example/": True,
        "//evil.example/": True, "HTTPS://evil.example/": True,
        "/2024/01/story/": False, "#notes": False, "https://example.org/about/": False, "story/": False,
        "//example.org/about/": False, "mailto:desk@example.org": False,
    }
    text = "\n\n".join(f"[link {number}](<{href}>)" for number, href in enumerate(links))
    body = lxml_html.fromstring(f"<div>{renderer.render(text, trusted=False).body}</div>")
    anchors = {int(a.text_content().split()[1]): a for a in body.xpath("//a")}
    # pulldown-cmark writes a backslash as %5C, which a browser reads as part of a path on this site.
    expected = {href: outside and "%5C" not in (anchors[number].get("href") or "%5C")
                for number, (href, outside) in enumerate(links.items())}
    assert {href: anchors[number].get("rel") == "nofollow ugc noopener"
            for number, href in enumerate(links)} == expected
    assert sum(expected.values()) >= 3


def test_a_sanitiser_no_one_holds_is_freed() -> None:
    """Each build's parse makes a sanitiser; the dev server builds on every save, so each must go once unused.

    (Its ``nh3.Cleaner`` once held a bound method of the sanitiser: a cycle through a Rust object that the
    collector cannot see into, one sanitiser and cleaner kept per save.)
    """
    import gc
    import weakref

    from generator.markdown.sanitise import Sanitiser

    sanitiser = Sanitiser(embed_hosts=("www.youtube-nocookie.com",), site_host="example.org")
    assert "javascript" not in sanitiser.clean('<a href="javascript:alert(1)">x</a><iframe src="https://evil.test/"></iframe>')
    freed = weakref.ref(sanitiser)
    del sanitiser
    gc.collect()
    assert freed() is None
