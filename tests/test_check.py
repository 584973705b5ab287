"""``dateline check`` on fixture sites with known problems, and on the sample site."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from generator.check import check_site
from tests.golden import REPO
from tests.helpers import article, build_site, make_site, tiny_png, write


def findings(site: Path, output: Path | None = None) -> list[str]:
    return [str(finding) for finding in check_site(site, output)]


def test_sample_site_is_clean() -> None:
    assert findings(REPO) == []


def test_broken_links_fragments_and_images_name_the_source_line(tmp_path: Path) -> None:
    site = make_site(tmp_path, {
        "articles/a.md": article("Alpha", "2020-03-01", summary="S", body=(
            "Intro paragraph.\n\n"
            "See [the beta story](/2020/03/beta/) and [a missing one](/2020/03/nowhere/).\n\n"
            "Jump to [the facts](/2020/03/beta/#facts) or [nothing](/2020/03/beta/#no-such-part).\n\n"
            "![](/media/chart.png)\n\n"
            "![A chart](/media/missing.png)\n"
        )),
        "articles/b.md": article("Beta", "2020-03-02", summary="S", body="## Facts\n\nThe facts.\n"),
    })
    (site / "content" / "media").mkdir()
    (site / "content" / "media" / "chart.png").write_bytes(tiny_png())
    assert findings(site) == [
        "content/articles/a.md:9: link to /2020/03/nowhere/ points nowhere",
        "content/articles/a.md:11: link to /2020/03/beta/#no-such-part: no element with id 'no-such-part' there",
        "content/articles/a.md:13: image /media/chart.png has empty alt text but is not marked decorative "
        "(write ![what it shows](/media/chart.png), or add {: .decorative })",
        "content/articles/a.md:15: link to /media/missing.png points nowhere",
    ]


def test_decorative_images_may_have_empty_alt(tmp_path: Path) -> None:
    site = make_site(tmp_path, {
        "articles/a.md": article("Alpha", "2020-03-01", summary="S",
                                 body="Text.\n\n![](/media/rule.png){: .decorative }\n"),
    })
    (site / "content" / "media").mkdir()
    (site / "content" / "media" / "rule.png").write_bytes(tiny_png())
    assert findings(site) == []


def test_warnings_for_long_titles_and_missing_summaries_errors_for_lead_image_alt(tmp_path: Path) -> None:
    long_title = "A headline " + "that goes on " * 9 + "and on"
    site = make_site(tmp_path, {
        "articles/a.md": article(long_title, "2020-03-01", summary="S"),
        "articles/b.md": article("Beta", "2020-03-02", body="Only a body."),
        "articles/c.md": article("Gamma", "2020-03-03", summary="S", image="/media/c.png"),
    })
    (site / "content" / "media").mkdir()
    (site / "content" / "media" / "c.png").write_bytes(tiny_png())
    assert findings(site) == [
        "content/articles/c.md:5: lead image has no 'image_alt' text",
        f"content/articles/a.md:2: warning: headline is {len(long_title)} characters; news search shows up to 110",
        "content/articles/b.md:1: warning: no 'summary' or 'description' (nor a <!--more--> split): "
        "index pages and search results fall back to the first paragraph",
    ]


def test_existing_output_missing_pages_feed_and_sitemap_entries(tmp_path: Path) -> None:
    site = make_site(tmp_path, {
        "articles/a.md": article("Alpha", "2020-03-01", summary="S"),
        "articles/b.md": article("Beta", "2020-03-02", summary="S"),
    })
    build_site(site)
    output = site / "output"
    sitemap = output / "sitemap.xml"
    sitemap.write_text(sitemap.read_text().replace("https://example.org/2020/03/alpha/", "https://example.org/x/"))
    feed = output / "feed.xml"
    feed.write_text(feed.read_text().replace('href="https://example.org/2020/03/beta/"', 'href="https://example.org/y/"'))
    for name in ("index.html", "archive/index.html", "archive/2020/index.html", "archive/2020/03/index.html"):
        page = output / name
        page.write_text(page.read_text().replace('href="/2020/03/beta/"', 'href="/2020/03/alpha/"'))
    assert findings(site, output) == [
        "content/articles/a.md: article is missing from sitemap.xml",
        "content/articles/b.md: article is missing from feed.xml",
        "content/articles/b.md: orphan article: no index page links to it",
    ]


def test_template_links_are_reported_once_against_the_output(tmp_path: Path) -> None:
    site = make_site(tmp_path, {"articles/a.md": article("Alpha", "2020-03-01", summary="S")})
    write(site, "templates/404.html", '{% extends "newsroom/404.html" %}{% block content %}<a href="/gone/">x</a>{% endblock %}')
    assert findings(site) == [
        # Built into a temporary folder, gone by the time the author reads this: named by its URL.
        "/404.html: link to /gone/ points nowhere; the link comes from a template",
    ]


@pytest.mark.slow  # 4 `dateline check` subprocesses, each building the site: about 1.2 s
def test_cli_exit_codes(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO)}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "generator", "check", *args], cwd=tmp_path, env=env,
                              capture_output=True, text=True, timeout=120)

    make_site(tmp_path, {"articles/a.md": article("Alpha", "2020-03-01", body="Text.")})
    warned = run()
    # Warnings go to stderr with the errors, in the build's format; stdout has the summary only.
    assert warned.returncode == 0 and "content/articles/a.md:1: warning: no 'summary'" in warned.stderr
    assert warned.stdout == "Checked the site: 0 errors, 1 warning\n"
    assert run("--strict").returncode == 1
    write(tmp_path, "content/articles/b.md", article("Beta", "2020-03-02", summary="S", body="[x](/nope/)"))
    broken = run()
    assert broken.returncode == 1
    assert "content/articles/b.md:7: link to /nope/ points nowhere" in broken.stderr
    assert broken.stdout.strip().endswith("Checked the site: 1 error, 1 warning")
    write(tmp_path, "content/articles/c.md", "---\ntitle: [\n---\n")
    failed = run()
    assert failed.returncode == 1 and "nothing was checked" in failed.stderr


def test_template_syntax_left_in_a_file_is_reported_by_line_outside_code(tmp_path: Path) -> None:
    """A file copied from another generator: what readers would see as text is pointed at."""
    site = make_site(tmp_path, {
        "articles/a.md": article("Alpha", "2020-03-01", summary="S", image="'{{ site.baseurl }}/media/a.png'",
                                 image_alt="A", body=(
            "{% highlight python %}\nprint(1)\n{% endhighlight %}\n\n"
            "A video: {{< youtube abc >}} and [caption id=\"x\"]A photo[/caption].\n\n"
            "<!-- wp:paragraph -->\n\nSee [the post]({filename}/b.md) or [that one](@/b.md).\n\n"
            "In code, `{{ page.title }}` and\n\n```liquid\n{% raw %}{{ x }}{% endraw %}\n```\n\n"
            "    {% indented %}\n"
        )),
    })
    warnings = [f for f in findings(site) if "template syntax" in f]
    assert warnings == [
        f"content/articles/a.md:{line}: warning: '{what}' is another generator's template syntax: readers see it "
        "as text (convert it, or put it in a code block)"
        for line, what in [(5, "{{ site.baseurl"), (9, "{% highlight"), (11, "{% endhighlight"),  # by line,
                           (13, "[/caption"), (13, "[caption"), (13, "{{< youtube"),  # then by message
                           (15, "<!-- wp:paragraph"), (17, "](@/"), (17, "{filename}")]
    ]


def test_code_in_trusted_articles_is_a_warning_on_its_line(tmp_path: Path) -> None:
    body = ("Intro.\n\n"
            "<script src=\"https://widgets.example/x.js\"></script>\n\n"
            "<iframe src=\"https://maps.example/embed\" title=\"Map\"></iframe>\n\n"
            "[Click](javascript:alert(1)) and <b onclick=\"go()\">this</b>.\n\n"
            "```html\n<script>shown as code</script>\n```\n")
    site = make_site(tmp_path, {
        "articles/staff.md": article("Staff", "2020-03-01", summary="S", body=body),
        "guests/guest.md": article("Guest", "2020-03-02", summary="S", body=body),
    }, config='title = "T"\nbase_url = "https://example.org/"\n[content.trust]\nuntrusted = ["guests"]\n')
    assert findings(site) == [
        "content/articles/staff.md:9: warning: trusted content runs code: <script> from https://widgets.example/x.js",
        "content/articles/staff.md:11: warning: trusted content runs code: <iframe> from https://maps.example/embed",
        "content/articles/staff.md:13: warning: trusted content runs code: event handler onclick on <b>",
        "content/articles/staff.md:13: warning: trusted content runs code: href='javascript:alert(1)' on <a>",
    ]
