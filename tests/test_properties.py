"""Properties that must hold for any input, checked with Hypothesis.

(a) ``parse_article`` never raises: whatever the frontmatter (random
    YAML-ish or TOML-ish text, or the known fields with random values) and
    whatever the Markdown body, it returns an article or errors, and every
    error names the file and a line that exists.
(b) Frontmatter text is always escaped: titles, tags, authors, sections,
    summaries, descriptions and image texts full of ``<script>``, ``</script>``,
    ``<!--``, quotes and ``&`` come out as text in every HTML page, in the
    Atom and RSS feeds (parsed with lxml: no script element, the text round-trips)
    and in the JSON-LD (parses as JSON, strings equal the input after
    ``generator.text.typography.smarten``, which typesets the title, summary,
    description and image texts).

Raw HTML in the *body* is the author's and allowed (trusted authors), so
bodies here contain balanced raw HTML but never ``<script`` or ``<!--``: any
of those in the output can only have come from frontmatter.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
import tempfile
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from lxml import html as lxml_html

from generator.build import build
from generator.config import Config, parse_config
from generator.config.toml_lines import key_lines
from generator.content.article import KNOWN_FIELDS, Article, parse_article
from generator.content.frontmatter import normalise_text
from generator.content.sources import Source
from generator.markdown.engine import Renderer, make_renderer
from generator.options import BuildOptions
from generator.text.slugs import slugify
from generator.text.typography import smarten
from tests.helpers import NOW, write

SETTINGS = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SITE_SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _config(engine: str) -> Config:
    text = f'title = "Props"\nbase_url = "https://example.org/news/"\n[markdown]\nengine = "{engine}"\n'
    config, _ = parse_config(Path("/nonexistent-site"), text, tomllib.loads(text))
    return config


CONFIGS = {engine: _config(engine) for engine in ("python-markdown", "pulldown-cmark")}
RENDERERS: dict[str, Renderer] = {engine: make_renderer(config) for engine, config in CONFIGS.items()}

# --- (a) parse_article never raises ------------------------------------------------

# Text that exercises YAML and TOML: indicators, quotes, escapes, anchors, tags,
# the YAML 1.1 words, numbers, dates and every script.
YAML_BITS = [
    ":", ": ", "- ", "[", "]", "{", "}", ",", "#", "&a ", "*a", "!!str ", "!!python/name:os.system", "!!binary ",
    "'", '"', "\\", "\\0", "\\x07", "\\u2028", "|", ">", "---", "...", "+++", "%YAML 1.2", "\t", "  ", "\n",
    "yes", "NO", "on", "null", "~", "true", "1e3", "0x1F", "3.10", ".inf", "0o17", "12:30", "2020-02-30",
    "08/09/2020", "Sat, 15 Aug 2020 18:40:00 +0300", "0001-01-01 00:00 +05:00", "<script>", "&amp;",
    "Économie", "Беларусь", "東京", "مرحبا", "\u202e", "\ufeff", "🎉", "con", "..", "/",
]
KEYS = [*KNOWN_FIELDS, "tittle", "1", "<<", "? complex", "extra.kicker", ""]

yaml_ish = st.lists(st.one_of(st.sampled_from(YAML_BITS), st.sampled_from(KEYS), st.text(max_size=8)),
                    max_size=40).map("".join)


def _scalars() -> st.SearchStrategy[Any]:
    return st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=30),
                     st.sampled_from(YAML_BITS), st.dates(), st.datetimes())


field_values = st.recursive(_scalars(), lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=6), inner, max_size=3)), max_leaves=8)
plain_text = st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=30)
DATES = ["2020-08-15", "2020-08-15 18:40", "2013-11-30 12:00:00 +0000", "2020-04-21T12:00:00.000Z",
         "Sat, 15 Aug 2020 18:40:00 +0300", "15 August 2020", "August 15, 2020 9:30 pm"]
known_fields = st.fixed_dictionaries(
    {"title": st.one_of(plain_text, field_values), "date": st.one_of(st.sampled_from(DATES), field_values)},
    optional={key: st.one_of(plain_text, st.lists(plain_text, max_size=3), field_values)
              for key in KNOWN_FIELDS if key not in ("title", "date")},
)

markdown_bits = [
    "# ", "## ", "\n", "\n\n", "* ", "1. ", "> ", "```", "```python\n", "    ", "|", "| a | b |\n|---|---|\n",
    "[^1]", "[^1]: note\n", "[link](/2020/08/x/)", "![img](/media/x.jpg)", "<!--more-->", "*", "_", "`",
    "{: .class }", "<b>bold</b>", "<div class=\"x\">\n\n*md*\n\n</div>", "&", "&amp;", "\\", "---", "***",
    "Term\n: Definition\n", "*[HTML]: HyperText", "<http://example.org>", "\u2028", "\ufeff", "\x0c",
]
markdown_bodies = st.lists(st.one_of(st.sampled_from(markdown_bits), st.text(max_size=20)), max_size=30).map("".join)
clean_bodies = st.lists(st.one_of(st.sampled_from(markdown_bits[:-1]), plain_text), max_size=30).map("".join)


def _source(text: str, path: str = "content/articles/x.md") -> Source:
    return Source(path=path, text=text, digest=hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest())


def _check_parse(text: str, engine: str, path: str = "content/articles/x.md") -> None:
    article, errors, warnings = parse_article(_source(text, path), CONFIGS[engine], RENDERERS[engine])
    assert (article is None) == bool(errors)
    if article is not None:
        assert isinstance(article, Article) and article.title and article.slug
    last_line = normalise_text(text).count("\n") + 1  # a lone CR ends a line too, as in old Mac files
    for problem in [*errors, *warnings]:
        assert problem.path == path
        assert problem.line is None or 1 <= problem.line <= last_line, (problem, last_line)
        assert problem.message and "Traceback" not in problem.message


engines = st.sampled_from(sorted(CONFIGS))
paths = st.sampled_from(["content/articles/x.md", "content/articles/2020-08-15-x.md", "content/pages/x.md"])


@SETTINGS
@given(matter=yaml_ish, body=markdown_bodies, engine=engines, path=paths)
def test_random_yaml_ish_frontmatter_never_crashes(matter: str, body: str, engine: str, path: str) -> None:
    _check_parse(f"---\n{matter}\n---\n{body}", engine, path)


@SETTINGS
@given(matter=yaml_ish, body=markdown_bodies, engine=engines)
def test_random_toml_ish_frontmatter_never_crashes(matter: str, body: str, engine: str) -> None:
    _check_parse(f"+++\n{matter.replace(': ', ' = ')}\n+++\n{body}", engine)


@SETTINGS
@given(fields=known_fields, body=markdown_bodies, engine=engines, path=paths)
def test_known_fields_with_random_values_never_crash(fields: dict[str, Any], body: str, engine: str, path: str) -> None:
    matter = yaml.safe_dump(fields, allow_unicode=True, sort_keys=False, default_flow_style=False)
    _check_parse(f"---\n{matter}---\n\n{body}", engine, path)


@SETTINGS
@given(title=plain_text, body=clean_bodies, engine=engines)
def test_random_bodies_under_valid_frontmatter_never_crash(title: str, body: str, engine: str) -> None:
    _check_parse(f"---\ntitle: {json.dumps('T ' + title, ensure_ascii=False)}\ndate: 2020-08-15\n---\n{body}", engine)


@SETTINGS
@given(text=st.text(max_size=300), engine=engines)
def test_any_text_at_all_never_crashes(text: str, engine: str) -> None:
    _check_parse(text, engine)
    _check_parse("---\n" + text, engine)


toml_keys = st.from_regex(r"[A-Za-z_][A-Za-z0-9_-]{0,10}", fullmatch=True)
# TOML forbids raw control characters; the line and paragraph separators it allows are what trips line counts.
toml_text = st.lists(st.one_of(st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=10),
                               st.sampled_from(["\u2028", "\u2029", "\ufeff", '"', "\\", "'''", '"""', "="])),
                     max_size=4).map("".join)


@SETTINGS
@given(rows=st.dictionaries(toml_keys, st.tuples(toml_text, toml_text), max_size=8))
def test_toml_key_lines_are_lines_of_the_file(rows: dict[str, tuple[str, str]]) -> None:
    """Every config error names its line through ``key_lines``: it must count lines as TOML does."""
    text, expected = "", {}
    for key, (value, comment) in rows.items():
        text += f"# {comment}\n{key} = {json.dumps(value, ensure_ascii=False)}\n"
        expected[(key,)] = text.count("\n")
    assert tomllib.loads(text).keys() == rows.keys()
    assert key_lines(text) == expected


# --- (b) frontmatter always comes out escaped ----------------------------------------

DANGEROUS = ["<script>alert(1)</script>", "</script>", "<script", "<!--", "-->", "<b>x</b>", '"', "'", "&",
             "&amp;", "&lt;", "<", ">", "]]>", "{{ config }}", "{% raw %}", "\\u003c", "${x}", "\u2028", "--", "..."]
# No controls (refused with an error, tested in the catalogue), surrogates or unassigned code points.
safe_text = st.text(st.characters(blacklist_categories=("Cc", "Cs", "Cn")), max_size=12)
nasty = st.lists(st.one_of(st.sampled_from(DANGEROUS), safe_text), min_size=1, max_size=5).map("".join)
headline = nasty.filter(lambda text: text.split())
name = nasty.map(lambda text: "N " + text)  # always something to make a slug from
body_html = ["<b>bold</b>", '<span class="x">a span</span>', "<em>&amp;</em>", '<div class="embed">\n\nText\n\n</div>',
             "\n\n", "Plain words.", "**strong**", "[link](/2020/08/x/)", "&", "<!--more-->", "'quoted'", '"double"']
bodies = st.lists(st.one_of(st.sampled_from(body_html), st.text(st.characters(
    blacklist_categories=("Cc", "Cs", "Cn"), blacklist_characters="<"), max_size=20)), max_size=10).map("".join).map(
    lambda body: body.replace("<!--more-->", "\x00", 1).replace("<!--more-->", "").replace("\x00", "<!--more-->"))


def _collapse(text: str) -> str:
    return " ".join(text.split())


_INLINE_TAGS = ("em strong i b u s code span small sup sub abbr mark q cite a p del ins kbd var time font big").split()


def _as_text(text: str) -> str:
    """The README's rule for text fields: entities are their characters, paired inline tags are dropped."""
    closed = {m.lower() for m in re.findall(r"</(\w+)\b[^<>]*>", text)}
    text = re.sub(r"<(/?)(\w+)\b[^<>]*>",
                  lambda m: "" if m[2].lower() in closed and m[2].lower() in _INLINE_TAGS else m[0], text)
    text = re.sub(r"<br\s*/?>", " ", text, flags=re.IGNORECASE)
    text = re.sub(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});", lambda m: html.unescape(m[0]), text)
    return _collapse(text)


def _unique_by_slug(names: list[str]) -> list[str]:
    seen: dict[str, str] = {}
    for item in map(_collapse, names):
        seen.setdefault(slugify(item), item)
    return list(seen.values())


@pytest.mark.slow  # builds and checks a site for each of 40 examples: about 7 s
@SITE_SETTINGS
@given(title=headline, tags=st.lists(name, max_size=3), authors=st.lists(name, max_size=2), section=name,
       summary=headline, description=headline, image_alt=nasty, caption=nasty, body=bodies)
def test_frontmatter_is_escaped_everywhere(title: str, tags: list[str], authors: list[str], section: str,
                                           summary: str, description: str, image_alt: str, caption: str,
                                           body: str) -> None:
    fields = {"title": title, "date": "2020-08-15 18:40", "tags": tags, "authors": authors, "section": section,
              "summary": summary, "description": description, "image": "/media/photo.jpg",
              "image_alt": image_alt, "image_caption": caption}
    matter = yaml.safe_dump(fields, allow_unicode=True, sort_keys=False, width=float("inf"))
    expected = {
        "title": smarten(_as_text(_collapse(title))), "description": smarten(_as_text(_collapse(description))),
        "summary": smarten(_as_text(_collapse(summary))), "image_alt": smarten(_as_text(_collapse(image_alt))),
        "caption": smarten(_as_text(_collapse(caption))), "tags": _unique_by_slug(tags),
        "authors": _unique_by_slug(authors), "section": _collapse(section),
    }
    with tempfile.TemporaryDirectory() as folder:
        site = Path(folder)
        write(site, "config.toml", 'title = "Props & <Co>"\nbase_url = "https://example.org/"\n')
        (site / "content/articles").mkdir(parents=True)
        (site / "content/articles/story.md").write_text(f"---\n{matter}---\n\n{body}\n", encoding="utf-8")
        result = build(BuildOptions(site_dir=site, output=site / "output", now=NOW, jobs=1))
        assert result.articles == 1
        output = site / "output"
        for page in output.rglob("*.html"):
            _check_no_injection(page.read_bytes())
        story = next(output.glob("2020/08/*/index.html"))
        _check_article_page(lxml_html.fromstring(story.read_bytes()), expected)
        front = lxml_html.fromstring((output / "index.html").read_bytes())
        assert _texts(front, "//div[@class='card-summary']") == [expected["summary"]]
        for feed in output.rglob("*.xml"):
            tree = etree.parse(str(feed))
            if feed.name != "sitemap.xml":
                _check_feed(tree, feed.name, expected)


def _texts(tree: Any, xpath: str) -> list[str]:
    return [found if isinstance(found, str) else found.text_content() for found in tree.xpath(xpath)]


def _check_no_injection(raw: bytes) -> None:
    """The only scripts are the theme's JSON-LD, and no comment opens anywhere."""
    lowered = raw.lower()
    tree = lxml_html.fromstring(raw)
    scripts = tree.xpath("//script")
    assert all(script.get("type") == "application/ld+json" for script in scripts)
    assert lowered.count(b"<script") == lowered.count(b"</script") == len(scripts)
    assert b"<!--" not in raw
    for script in scripts:
        json.loads(script.text)


def _check_article_page(tree: Any, expected: dict[str, Any]) -> None:
    assert _texts(tree, "//h1[@id='headline']") == [expected["title"]]
    assert _texts(tree, "//meta[@property='og:title']/@content") == [expected["title"]]
    assert _texts(tree, "//p[@class='standfirst']") == [expected["description"]]
    assert _texts(tree, "//meta[@name='description']/@content") == [expected["description"]]
    assert _texts(tree, "//ul[@class='tags']//a") == expected["tags"]
    assert _texts(tree, "//span[@class='byline']//a") == expected["authors"]
    assert _texts(tree, "//header[@class='story-header']/p[@class='kicker']/a") == [expected["section"]]
    assert _texts(tree, "//figure/img/@alt") == [expected["image_alt"]]
    assert _texts(tree, "//figcaption") == ([expected["caption"]] if expected["caption"] else [])
    script, trail = tree.xpath("//script[@type='application/ld+json']")  # the article, then its breadcrumbs
    data = json.loads(script.text)
    assert json.loads(trail.text)["itemListElement"][-1]["name"] == expected["title"]
    assert data["headline"] == expected["title"]
    assert data["description"] == expected["description"]
    assert data.get("keywords", []) == expected["tags"]
    assert data.get("articleSection") == expected["section"]
    names = [person["name"] for person in data["author"] if person["@type"] == "Person"]
    assert names == expected["authors"]


def _check_feed(tree: Any, name: str, expected: dict[str, Any]) -> None:
    assert tree.xpath("//*[local-name()='script']") == []
    atom = {"a": "http://www.w3.org/2005/Atom"}
    if name == "rss.xml":
        [item] = tree.xpath("//item")
        assert item.findtext("title") == expected["title"]
        assert [c.text for c in item.findall("category")] == [expected["section"], *expected["tags"]]
        creators = item.findall("{http://purl.org/dc/elements/1.1/}creator")
        assert [c.text for c in creators] == (expected["authors"] or ["Props & <Co>"])
        return
    [entry] = tree.xpath("//a:entry", namespaces=atom)
    assert entry.findtext("a:title", namespaces=atom) == expected["title"]
    assert entry.findtext("a:summary", namespaces=atom) == expected["description"]
    labels = [c.get("label") for c in entry.findall("a:category", namespaces=atom)]
    assert labels == [expected["section"], *expected["tags"]]
    authors = [a.findtext("a:name", namespaces=atom) for a in entry.findall("a:author", namespaces=atom)]
    assert authors == (expected["authors"] or ["Props & <Co>"])
