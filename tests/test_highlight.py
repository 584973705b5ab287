"""Fenced code that names its language is highlighted with Pygments, the same way by both engines.

Sites are built into temporary folders and their pages read with lxml;
expected values come from the Markdown written here (its lines, their
numbers) and from the WCAG formula, never from the highlighter itself.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from lxml import etree
from lxml import html as lxml_html

from generator.build import build
from generator.importers.run import import_site
from generator.options import BuildOptions
from tests.golden import REPO
from tests.helpers import MINIMAL_CONFIG, NOW, article, build_site, make_site, snapshot, write

ENGINES = ("python-markdown", "pulldown-cmark")
THEME_CSS = REPO / "generator/themes/newsroom/static/css/highlight.css"

CODE = """\
Turnout by ward, as the data desk counted it.

```python {hl_lines="2 3" linenos=true linenostart=10}
import csv
wards = {}
for row in csv.DictReader(open("turnout.csv")):
    wards[row["ward"]] = int(row["votes"]) / int(row["electors"])
```

```py
print("<b>&amp;</b>")
```

```{.js hl_lines="2"}
const a = 1;
const b = 'two';
```

~~~sh
ls -l | wc -l
~~~

```console
$ dateline build
```

```
no language: <kept> as written
```
"""


def config(engine: str, extra: str = "") -> str:
    return MINIMAL_CONFIG + f'\n[markdown]\nengine = "{engine}"\n{extra}'


def built(tmp_path: Path, engine: str, body: str, extra: str = "", **options: object) -> tuple[Path, list[str]]:
    """The article page's HTML path and the build's warnings."""
    site = make_site(tmp_path / engine, {"articles/code.md": article("Code", "2025-03-04", body)}, config(engine, extra))
    result = build_site(site, **options)
    return site / "output/2025/03/code/index.html", [warning.as_warning() for warning in result.warnings]


def blocks(page: Path) -> list[lxml_html.HtmlElement]:
    return lxml_html.fromstring(page.read_bytes()).xpath("//div[contains(@class, 'story-body')]//pre")


def lines_of(pre: lxml_html.HtmlElement) -> list[str]:
    return pre.text_content().split("\n")[:-1]


@pytest.mark.parametrize("engine", ENGINES)
def test_code_with_a_language_gets_token_classes_and_no_style_attributes(tmp_path: Path, engine: str) -> None:
    page, warnings = built(tmp_path, engine, CODE)
    assert warnings == []
    pres = blocks(page)
    assert len(pres) == 6
    for pre, language in zip(pres[:5], ("python", "py", "js", "sh", "console"), strict=True):
        assert "highlight" in pre.get("class").split()
        assert pre.get("tabindex") == "0"  # still keyboard-scrollable
        assert pre.xpath("./code/@class") == [f"language-{language}"]
        assert pre.xpath(".//span[@class]"), language
    python = pres[0]
    assert python.xpath(".//span[@class='kn']/text()") == ["import"]  # a keyword, by Pygments' class for it
    assert '"turnout.csv"' in python.xpath(".//span[@class='s2']/text()")
    assert pres[1].text_content() == 'print("<b>&amp;</b>")\n'  # escaped once, shown as written
    assert pres[4].xpath(".//span[@class='gp']/text()") == ["$ "]  # a console prompt
    plain = pres[5]
    assert plain.get("class") is None and plain.xpath(".//span") == []
    assert plain.text_content() == "no language: <kept> as written\n"
    document = page.read_text()
    assert " style=" not in document
    assert 'href="/css/highlight.css"' in document


def test_both_engines_write_the_same_html(tmp_path: Path) -> None:
    pages = [built(tmp_path, engine, CODE)[0] for engine in ENGINES]
    first, second = ([etree.tostring(pre, encoding="unicode", with_tail=False) for pre in blocks(page)] for page in pages)
    assert first == second


@pytest.mark.parametrize("engine", ENGINES)
def test_marked_lines_and_line_numbers(tmp_path: Path, engine: str) -> None:
    page, _ = built(tmp_path, engine, CODE)
    python, _, javascript = blocks(page)[:3]
    source = CODE.split("```python", 1)[1].split("\n```", 1)[0].split("\n")[1:]
    assert lines_of(python) == source  # the numbers are not part of the text: copying never copies them
    marked = [span.text_content() for span in python.xpath("./code/span[@class='hll']")]
    assert marked == [source[1] + "\n", source[2] + "\n"]
    assert python.xpath(".//span[@class='ln']/@data-line") == ["10", "11", "12", "13"]
    assert python.xpath(".//span[@class='ln']/@aria-hidden") == ["true"] * 4
    assert [span.text_content() for span in python.xpath(".//span[@class='ln']")] == [""] * 4
    assert [span.text_content() for span in javascript.xpath("./code/span[@class='hll']")] == ["const b = 'two';\n"]
    assert javascript.xpath(".//span[@class='ln']") == []


@pytest.mark.parametrize("info", [
    'python hl_lines="2 3"',  # Python-Markdown's fenced_code
    '{.python hl_lines="2 3"}',  # Python-Markdown with attr_list
    'python {hl_lines=[2,"3"]}',  # Hugo
    'python {linenos=false,hl_lines="2-3"}',  # Hugo, comma-separated
    "python,hl_lines=2 3",  # Zola
])
@pytest.mark.parametrize("engine", ENGINES)
def test_the_common_ways_of_marking_lines(tmp_path: Path, engine: str, info: str) -> None:
    page, _ = built(tmp_path, engine, f"```{info}\na = 1\nb = 2\nc = 3\nd = 4\n```\n")
    (pre,) = blocks(page)
    assert [span.text_content() for span in pre.xpath("./code/span[@class='hll']")] == ["b = 2\n", "c = 3\n"]
    assert pre.xpath(".//span[@class='ln']") == []


@pytest.mark.parametrize("engine", ENGINES)
def test_unknown_language_is_a_warning_with_its_line_and_the_block_stays_plain(tmp_path: Path, engine: str) -> None:
    body = "Intro.\n\n```python\nx = 1\n```\n\nMiddle.\n\n```pyhton\nprint('hi')\n```\n\n```sh\necho\n```\n"
    text = "---\ntitle: Typo\ndate: 2025-03-04\ntags: [code]\n---\n" + body
    site = make_site(tmp_path / engine, {"articles/typo.md": text}, config(engine))
    result = build_site(site)
    # Line 5 closes the frontmatter; the body's ```pyhton is its 9th line: line 14 of the file.
    assert text.splitlines()[13] == "```pyhton"
    assert [w.as_warning() for w in result.warnings] == [
        "content/articles/typo.md:14: warning: unknown code language 'pyhton', shown without highlighting; "
        "did you mean 'python'?"]
    pres = blocks(site / "output/2025/03/typo/index.html")
    assert [pre.get("class") for pre in pres] == ["highlight", None, "highlight"]
    assert pres[1].xpath("./code/@class") == ["language-pyhton"]
    assert pres[1].xpath(".//span") == [] and pres[1].text_content() == "print('hi')\n"


@pytest.mark.parametrize("engine", ENGINES)
def test_toml_frontmatter_lines_count_too(tmp_path: Path, engine: str) -> None:
    text = '+++\ntitle = "T"\ndate = 2025-03-04\n+++\n\n```qqqzz\nx\n```\n'
    site = make_site(tmp_path / engine, {"articles/t.md": text}, config(engine))
    assert [w.as_warning() for w in build_site(site).warnings] == [
        "content/articles/t.md:6: warning: unknown code language 'qqqzz', shown without highlighting; "
        "see Pygments' list of short names"]


@pytest.mark.parametrize("name", ["py", "js", "sh", "console", "SQL", "eruby", "viml", "terminal", "kt"])
def test_aliases_and_other_highlighters_names_work(tmp_path: Path, name: str) -> None:
    page, warnings = built(tmp_path, "pulldown-cmark", f"```{name}\nx = 1 # a\n```\n")
    assert warnings == []
    (pre,) = blocks(page)
    assert pre.get("class") == "highlight" and pre.xpath("./code/@class") == [f"language-{name}"]


@pytest.mark.parametrize("engine", ENGINES)
def test_highlight_false_leaves_code_plain(tmp_path: Path, engine: str) -> None:
    page, warnings = built(tmp_path, engine, CODE + "\n```pyhton\nx\n```\n", "highlight = false\n")
    assert warnings == []
    pres = blocks(page)
    assert [pre.get("class") for pre in pres] == [None] * len(pres)
    assert all(pre.xpath(".//span") == [] for pre in pres)
    assert "highlight.css" not in page.read_text()


@pytest.mark.parametrize("engine", ENGINES)
def test_untrusted_articles_keep_their_highlighting(tmp_path: Path, engine: str) -> None:
    trusted, _ = built(tmp_path / "trusted", engine, CODE)
    untrusted, _ = built(tmp_path / "untrusted", engine, CODE, '[content.trust]\ndefault = "untrusted"\n')
    assert ([etree.tostring(pre, with_tail=False) for pre in blocks(untrusted)]
            == [etree.tostring(pre, with_tail=False) for pre in blocks(trusted)])


def test_toggling_highlight_rebuilds_as_a_clean_build_would(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", {"articles/code.md": article("Code", "2025-03-04", CODE),
                                         "articles/words.md": article("Words", "2025-03-05", "No code here.")})
    options = BuildOptions(site_dir=site, output=site / "output", now=NOW)
    state = None
    for setting in ("false", "true", "false"):
        write(site, "config.toml", MINIMAL_CONFIG + f"\n[markdown]\nhighlight = {setting}\n")
        state = build(options, state=state, changed={site / "config.toml"}, in_place=True).state  # the dev server's way
        clean = tmp_path / f"clean-{setting}-{len(list(tmp_path.iterdir()))}"
        build(BuildOptions(site_dir=site, output=clean, now=NOW))
        assert snapshot(site / "output") == snapshot(clean), setting
        build(options)  # the command line's way: through the build cache on disk
        assert snapshot(site / "output") == snapshot(clean), setting
        highlighted = 'class="highlight' in (site / "output/2025/03/code/index.html").read_text()
        assert highlighted == (setting == "true")


def test_a_jekyll_highlight_block_comes_out_highlighted(tmp_path: Path) -> None:
    source = tmp_path / "jekyll"
    write(source, "_config.yml", "title: Old Blog\nurl: https://old.example.org\n")
    write(source, "_posts/2019-05-06-ruby.md", """\
        ---
        title: Ruby notes
        ---
        Before.

        {% highlight ruby linenos mark_lines="2" %}
        def greet(name)
          "Hello, #{name}"
        end
        {% endhighlight %}
        """)
    site = tmp_path / "site"
    import_site("jekyll", source, site)
    assert '```ruby {linenos=true hl_lines="2"}' in next((site / "content").rglob("*ruby*.md")).read_text()
    build_site(site)
    (pre,) = blocks(site / "output/2019/05/06/ruby.html")  # the old site's URL, kept
    assert pre.xpath("./code/@class") == ["language-ruby"] and pre.xpath(".//span[@class='k']/text()")[:1] == ["def"]
    assert [span.text_content() for span in pre.xpath("./code/span[@class='hll']")] == ['  "Hello, #{name}"\n']
    assert pre.xpath(".//span[@class='ln']/@data-line") == ["1", "2", "3"]


def test_a_hugo_highlight_shortcode_keeps_its_options(tmp_path: Path) -> None:
    from generator.importers.shortcodes import convert_shortcodes

    body = '{{< highlight go "linenos=table,hl_lines=2 3-4,linenostart=199" >}}\na\nb\n```\nc\n{{< /highlight >}}\n'
    converted, _ = convert_shortcodes(body, {}, "p.md", {})
    assert converted == '````go {linenos=true hl_lines="2 3-4" linenostart=199}\na\nb\n```\nc\n````\n'


# --- the theme's colours --------------------------------------------------------------------


def _luminance(colour: str) -> float:
    """WCAG 2.x relative luminance, https://www.w3.org/TR/WCAG21/#dfn-relative-luminance."""
    value = colour.lstrip("#")
    if len(value) == 3:
        value = "".join(c * 2 for c in value)
    channels = []
    for index in (0, 2, 4):
        srgb = int(value[index:index + 2], 16) / 255
        channels.append(srgb / 12.92 if srgb <= 0.03928 else ((srgb + 0.055) / 1.055) ** 2.4)
    return 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2]


def _ratio(first: str, second: str) -> float:
    high, low = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_the_contrast_formula_matches_known_values() -> None:
    assert _ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert _ratio("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)  # the classic "just fails AA" grey


def _schemes(css: str) -> dict[str, str]:
    """The light rules (outside any media query) and the dark ones (inside prefers-color-scheme: dark)."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.DOTALL)
    dark = re.search(r"@media \(prefers-color-scheme: dark\) \{(.*?)\n\}", css, re.DOTALL)
    assert dark is not None
    light = css[:dark.start()] + css[dark.end():]
    light = re.sub(r"@media[^{]*\{[^{}]*(\{[^{}]*\}[^{}]*)*\}", "", light)  # other media blocks
    return {"light": light, "dark": dark.group(1)}


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_token_colour_passes_wcag_aa_on_the_code_background(scheme: str) -> None:
    rules = re.findall(r"([^{}]+)\{([^{}]*)\}", _schemes(THEME_CSS.read_text())[scheme])
    declared: dict[str, str] = {}
    for selector, body in rules:
        declared[selector.strip()] = declared.get(selector.strip(), "") + ";" + body
    background = re.search(r"background:\s*(#[0-9a-fA-F]{3,6})", declared["pre.highlight"]).group(1)
    marked = re.search(r"background:\s*(#[0-9a-fA-F]{3,6})", declared[".highlight .hll"]).group(1)
    colours = {(selector.strip(), colour) for selector, body in rules
               for colour in re.findall(r"(?<![-\w])color:\s*(#[0-9a-fA-F]{3,6})", body)}
    assert len(colours) > 40  # every token class, not a handful
    failing = [(selector, colour, round(min(_ratio(colour, background), _ratio(colour, marked)), 2))
               for selector, colour in sorted(colours)
               if min(_ratio(colour, background), _ratio(colour, marked)) < 4.5]
    assert failing == []


def test_code_background_is_the_themes_code_background() -> None:
    """The colours were checked on the background the theme's site.css gives code blocks (--surface-2)."""
    site_css = (REPO / "generator/themes/newsroom/static/css/site.css").read_text()
    surfaces = re.findall(r"--surface-2:\s*(#[0-9a-fA-F]{6})", site_css)
    schemes = _schemes(THEME_CSS.read_text())
    found = [re.search(r"pre\.highlight \{ background: (#[0-9a-f]{6})", schemes[name]).group(1) for name in ("light", "dark")]
    assert found == surfaces


def test_the_committed_stylesheet_is_what_the_generator_writes() -> None:
    from generator.markdown.highlight_css import stylesheet

    assert THEME_CSS.read_text() == stylesheet(), "run `make highlight-css`"


def test_pages_without_code_do_not_load_the_code_stylesheet(tmp_path: Path) -> None:
    site = make_site(tmp_path, {"articles/code.md": article("Code", "2025-03-04", CODE),
                                "articles/words.md": article("Words", "2025-03-05", "Just words.\n\n```\nplain\n```\n")})
    build_site(site)
    assert "css/highlight.css" in (site / "output/2025/03/code/index.html").read_text()
    assert "css/highlight.css" not in (site / "output/2025/03/words/index.html").read_text()
    assert "css/highlight.css" not in (site / "output/index.html").read_text()
    assert (site / "output/css/highlight.css").is_file()


def test_sample_site_article_with_code_is_highlighted(tmp_path: Path) -> None:
    shutil.copytree(REPO / "content", tmp_path / "content")
    shutil.copy(REPO / "config.toml", tmp_path / "config.toml")
    build(BuildOptions(site_dir=tmp_path, output=tmp_path / "output", now=NOW))
    page = tmp_path / "output/2025/06/how-we-measured-which-buses-run-late-the-data-behind-our-investigation/index.html"
    assert [pre.get("class") for pre in blocks(page)] == ["highlight", "highlight linenos", "highlight"]
    assert "css/highlight.css" in page.read_text()


def test_pygments_lexers_and_formatter_load_only_when_a_block_names_a_language(tmp_path: Path) -> None:
    """Python-Markdown's fenced_code imports Pygments' package and name tables whenever Pygments is
    installed (about 10 ms); the lexers and the HTML formatter, the costly part, wait for a block."""
    import subprocess
    import sys

    from tests.helpers import cli_env

    # Not through tests.helpers: pytest, which it imports, imports Pygments' lexers itself.
    script = ("import sys; from pathlib import Path; from generator.build import build; "
              "from generator.options import BuildOptions; "
              "build(BuildOptions(site_dir=Path(sys.argv[1]), jobs=1)); "
              "print(sorted(m for m in sys.modules if m in ('pygments.formatters.html', 'pygments.lexers.python')))")
    for engine in ENGINES:
        for name, body, expected in (("words", "Words.\n\n```\nplain\n```\n", "[]"),
                                     ("code", "```python\nx = 1\n```\n",
                                      "['pygments.formatters.html', 'pygments.lexers.python']")):
            site = make_site(tmp_path / engine / name, {"articles/a.md": article("A", "2025-03-04", body)}, config(engine))
            run = subprocess.run([sys.executable, "-c", script, str(site)], env=cli_env(), capture_output=True, text=True,
                                 timeout=120, check=True)
            assert run.stdout.strip() == expected, (engine, name)
