"""End-to-end builds of small fixture sites: errors, safety and base paths."""

from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from generator.errors import BuildFailed
from tests.golden import REPO
from tests.helpers import NOW, article, build_site, make_site, parse, snapshot, write


def messages(failure: pytest.ExceptionInfo[BuildFailed]) -> list[str]:
    return [str(error) for error in failure.value.errors]


def test_broken_article_reports_path_and_line_and_leaves_output_untouched(tmp_path: Path) -> None:
    site = make_site(tmp_path, {"articles/good.md": article("Good", "2020-01-02")})
    build_site(site)
    before = snapshot(site / "output")
    write(site, "content/articles/bad.md", "---\ntitle: Bad\n\ndate: Aug 35\n---\nText\n")
    write(site, "content/articles/worse.md", "---\ntitle: [unclosed\n---\n")
    with pytest.raises(BuildFailed) as failure:
        build_site(site)
    assert messages(failure) == [
        "content/articles/bad.md:4: date 'Aug 35' is not a date",
        "content/articles/worse.md:2: YAML syntax error in frontmatter: the list opened with '[' on this line is not "
        "closed properly: a ']' or a ',' between items is missing (the YAML parser says: did not find expected ',' or ']')",
    ]
    assert snapshot(site / "output") == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != ".dateline") == ["config.toml", "content", "output"]


def test_a_template_error_late_in_the_render_discards_the_streamed_files(tmp_path: Path) -> None:
    site = make_site(tmp_path, {f"articles/a{n:02d}.md": article(f"Story {n}", f"2020-01-{n + 1:02d}")
                                for n in range(12)})
    build_site(site, jobs=1)
    before = snapshot(site / "output")
    write(site, "content/articles/a00.md", article("Story 0", "2020-01-01", "Edited text."))
    # Pages render newest first, so the oldest story fails after the others were streamed to disk.
    write(site, "templates/article.html", '{% extends "newsroom/article.html" %}{% block content %}'
          '{% if article.title == "Story 0" %}{{ no_such_variable }}{% endif %}{{ super() }}{% endblock %}')
    with pytest.raises(BuildFailed) as failure:
        build_site(site, jobs=1)
    assert "undefined variable" in messages(failure)[0]
    assert snapshot(site / "output") == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != ".dateline") == [
        "config.toml", "content", "output", "templates"]


def test_every_error_of_a_build_is_reported_at_once(tmp_path: Path) -> None:
    site = make_site(tmp_path, {
        "articles/a.md": "---\ntitle: A\n---\n",
        "articles/b.md": "---\ndate: 2020-01-01\ntags: [[nested]]\n---\n",
    })
    with pytest.raises(BuildFailed) as failure:
        build_site(site)
    assert messages(failure) == [
        "content/articles/a.md:1: missing required field 'date' (or start the file name with YYYY-MM-DD-)",
        "content/articles/b.md:1: missing required field 'title'",
        "content/articles/b.md:3: each entry of 'tags' must be a name, not a list",
    ]


def test_duplicate_slugs_name_both_files(tmp_path: Path) -> None:
    site = make_site(tmp_path, {
        "articles/one.md": article("Same Story", "2020-03-01"),
        "articles/two.md": article("Same story!", "2020-03-09"),
    })
    with pytest.raises(BuildFailed) as failure:
        build_site(site)
    [message] = messages(failure)
    assert message == (
        "content/articles/one.md:2: article 'Same Story' writes '2020/03/same-story/index.html', "
        "which article 'Same story!' (content/articles/two.md:2) also uses; rename one of them"
    )


def test_section_named_like_a_year_collides_with_article_folders(tmp_path: Path) -> None:
    site = make_site(tmp_path, {"articles/a.md": article("A", "2020-03-01", section="2020")})
    with pytest.raises(BuildFailed) as failure:
        build_site(site)
    [message] = messages(failure)
    assert message.startswith("content/articles/a.md:4: section '2020' takes the folder '/2020/'")
    assert "article 'A' (content/articles/a.md:2)" in message


def test_page_named_tags_collides_with_the_tags_index(tmp_path: Path) -> None:
    site = make_site(tmp_path, {
        "articles/a.md": article("A", "2020-03-01", tags="x"),
        "pages/tags.md": "---\ntitle: Tags\n---\nOur tags.\n",
    })
    with pytest.raises(BuildFailed) as failure:
        build_site(site)
    assert any(m.startswith("content/pages/tags.md:2: page 'Tags' writes 'tags/index.html'") for m in messages(failure))


def test_stale_files_are_removed_and_unchanged_files_keep_their_inode(tmp_path: Path) -> None:
    site = make_site(tmp_path, {
        "articles/a.md": article("Alpha", "2020-03-01"),
        "articles/b.md": article("Beta", "2020-04-01"),
    })
    build_site(site)
    css = site / "output/css/site.css"
    inode = css.stat().st_ino
    (site / "content/articles/b.md").unlink()
    result = build_site(site)
    assert not (site / "output/2020/04/beta").exists()
    assert result.removed >= 1
    assert css.stat().st_ino == inode  # hard-linked from the previous output, not rewritten


def test_a_no_op_rebuild_writes_nothing(tmp_path: Path) -> None:
    site = make_site(tmp_path, {"articles/a.md": article("Alpha", "2020-03-01")})
    build_site(site)
    output_inode = (site / "output").stat().st_ino
    result = build_site(site)
    assert (result.written, result.removed) == (0, 0)
    assert (site / "output").stat().st_ino == output_inode


def test_drafts_and_future_articles_need_flags(tmp_path: Path) -> None:
    site = make_site(tmp_path, {
        "articles/draft.md": article("Draft", "2020-03-01", draft="true"),
        "articles/unpublished.md": article("Held back", "2020-03-02", published="false"),
        "articles/future.md": article("Tomorrow", "2030-01-01"),
    })
    build_site(site)
    assert not list((site / "output").glob("20[23]0/*/*/index.html"))
    build_site(site, drafts=True, future=True)
    found = sorted(p.parent.name for p in (site / "output").glob("20[23]0/*/*/index.html"))
    assert found == ["draft", "held-back", "tomorrow"]


def test_output_inside_content_is_refused(tmp_path: Path) -> None:
    site = make_site(tmp_path, {"articles/a.md": article("Alpha", "2020-03-01")})
    with pytest.raises(BuildFailed) as failure:
        build_site(site, output=site / "content" / "out")
    assert "refusing to use" in messages(failure)[0]
    with pytest.raises(BuildFailed):
        build_site(site, output=site)


def test_frontmatter_slug_cannot_escape_the_output_folder(tmp_path: Path) -> None:
    site = make_site(tmp_path, {"articles/a.md": article("Alpha", "2020-03-01", slug="../../../etc/passwd")})
    with pytest.raises(BuildFailed) as failure:
        build_site(site)
    assert messages(failure) == ["content/articles/a.md:4: slug '../../../etc/passwd' contains '/', which cannot "
                                 "be part of one URL segment; a slug is one part of a URL"]
    assert not (tmp_path.parent / "etc").exists() and not (site / "output").exists()


def test_template_errors_name_the_template_file_and_line(tmp_path: Path) -> None:
    site = make_site(tmp_path, {"articles/a.md": article("Alpha", "2020-03-01")})
    write(site, "templates/article.html",
          '{% extends "newsroom/article.html" %}\n{% block content %}\n{{ article.nonexistent_field }}\n{% endblock %}\n')
    with pytest.raises(BuildFailed) as failure:
        build_site(site)
    [message] = messages(failure)
    assert message.startswith("templates/article.html:3: template error while rendering /2020/03/alpha/")
    assert "nonexistent_field" in message

    write(site, "templates/article.html", "{% block content %}\n{% if %}\n")
    with pytest.raises(BuildFailed) as failure:
        build_site(site)
    assert messages(failure)[0].startswith("templates/article.html:2: template syntax error")


def test_site_under_a_subpath(tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(REPO / "content", site / "content")
    config = (REPO / "config.toml").read_text().replace('base_url = "https://example.org/"',
                                                        'base_url = "https://example.org/news/"')
    write(site, "config.toml", config)
    build_site(site)
    output = site / "output"
    checked = 0
    for page in output.rglob("*.html"):
        for url in parse(page).xpath("//a/@href | //link/@href | //img/@src"):
            parts = urlsplit(url)
            if not parts.path and parts.fragment:
                continue
            if parts.netloc:
                if parts.netloc == "example.org":
                    assert parts.path.startswith("/news/"), (page, url)
                continue
            assert parts.path.startswith("/news/"), (page, url)
            target = output / parts.path.removeprefix("/news/")
            if parts.path.endswith("/"):
                target = target / "index.html"
            assert target.is_file(), (page, url)
            checked += 1
    assert checked > 500
    assert "https://example.org/news/sitemap.xml" in (output / "robots.txt").read_text()
    assert 'href="https://example.org/news/2020/08/' in (output / "feed.xml").read_text()


def test_a_build_that_remembers_nothing_writes_the_same_site(tmp_path: Path) -> None:
    """``remember=False`` (``--no-cache``, ``dateline check``) skips the fingerprints, not a byte of output."""
    from generator.build import build
    from generator.options import BuildOptions

    site = tmp_path / "site"
    shutil.copytree(REPO / "content", site / "content")
    shutil.copy(REPO / "config.toml", site / "config.toml")
    for jobs in (1, 2):
        kept = build(BuildOptions(site_dir=site, output=tmp_path / f"kept{jobs}", now=NOW, jobs=jobs))
        forgot = build(BuildOptions(site_dir=site, output=tmp_path / f"forgot{jobs}", now=NOW, jobs=jobs,
                                    remember=False))
        assert kept.state is not None and len(kept.state.fingerprints.records) == kept.files - len(
            kept.state.loaded.copies) - 4  # every page, feed and the sitemap; not robots.txt, _headers,
        # news-sitemap.xml and corrections/feed.xml (written by every build) or copies
        assert forgot.state is None
        assert (forgot.pages, forgot.files, forgot.written) == (kept.pages, kept.files, kept.written)
        assert snapshot(tmp_path / f"forgot{jobs}") == snapshot(tmp_path / f"kept{jobs}")
