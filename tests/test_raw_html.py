"""Raw HTML in article bodies: rendered by default (trusted authors), removed with raw_html = false."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.build import build
from generator.errors import BuildFailed
from generator.options import BuildOptions
from tests.helpers import NOW, article, make_site

BODY = """Intro with <b>bold</b> and <span onclick="steal()">a span</span>.

<!--more-->

<div class="embed"><iframe src="https://www.example.com/embed/1" title="Video"></iframe></div>

<script>alert("x")</script>

```html
<div class="kept">shown as code</div>
```

And `<em>inline code</em>` stays.
"""


def build_body(tmp_path: Path, engine: str, raw_html: bool) -> str:
    config = (f'title = "T"\nbase_url = "https://example.org/"\n[markdown]\nengine = "{engine}"\n'
              f"raw_html = {str(raw_html).lower()}\n")
    site = make_site(tmp_path, {"articles/a.md": article("A", "2020-01-01", BODY)}, config=config)
    build(BuildOptions(site_dir=site, now=NOW))
    return (site / "output/2020/01/a/index.html").read_text()


@pytest.mark.parametrize("engine", ["python-markdown", "pulldown-cmark"])
def test_raw_html_is_rendered_by_default(tmp_path: Path, engine: str) -> None:
    page = build_body(tmp_path, engine, raw_html=True)
    tree = parse_text(page)
    assert tree.xpath("//div[@class='story-body']//iframe/@src") == ["https://www.example.com/embed/1"]
    assert tree.xpath("//div[@class='story-body']//b/text()") == ["bold"]
    assert tree.xpath("//div[@class='story-body']//script/text()") == ['alert("x")']


@pytest.mark.parametrize("engine", ["python-markdown", "pulldown-cmark"])
def test_raw_html_false_removes_it_but_keeps_code_and_the_summary_split(tmp_path: Path, engine: str) -> None:
    page = build_body(tmp_path, engine, raw_html=False)
    tree = parse_text(page)
    story = tree.xpath("//div[@class='story-body']")[0]
    assert story.xpath(".//iframe | .//script | .//b | .//span[@onclick] | .//div[@class='embed']") == []
    assert "steal()" not in page and 'alert("x")' not in page
    assert "bold" in story.text_content() and "a span" in story.text_content()
    assert [code.text_content() for code in story.xpath(".//pre/code")] == ['<div class="kept">shown as code</div>\n']
    assert story.xpath(".//p/code/text()") == ["<em>inline code</em>"]
    assert "<p></p>" not in page
    front = (tmp_path / "output/index.html").read_text()
    assert "Intro with" in front and "iframe" not in front  # the summary still ends at <!--more-->


def test_raw_html_must_be_true_or_false(tmp_path: Path) -> None:
    site = make_site(tmp_path, {"articles/a.md": article("A", "2020-01-01")},
                     config='title = "T"\nbase_url = "https://example.org/"\n[markdown]\nraw_html = "no"\n')
    with pytest.raises(BuildFailed) as failure:
        build(BuildOptions(site_dir=site, now=NOW))
    assert [str(e) for e in failure.value.errors] == [
        "config.toml:4: 'markdown.raw_html' must be true or false, not a string"]


def parse_text(page: str):  # type: ignore[no-untyped-def]
    from lxml import html

    return html.fromstring(page)
