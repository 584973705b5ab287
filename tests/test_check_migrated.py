"""``dateline check`` on what migrated sites look like: findings a moving author can act on."""

from __future__ import annotations

from pathlib import Path

from generator.check import check_site
from tests.helpers import make_site


def findings(site: Path) -> list[str]:
    return [str(f) for f in check_site(site)]


SUBPATH = 'title = "T"\nbase_url = "https://example.org/blog/"\n'


def test_the_rest_of_the_domain_is_external(tmp_path: Path) -> None:
    site = make_site(tmp_path, {"articles/a.md": "---\ntitle: A\ndate: 2020-01-02\nsummary: S.\n---\n\n"
                                "[docs](https://example.org/docs/) [forum](/forum/) [ours](https://example.org/blog/nope/)\n"},
                     SUBPATH)
    assert findings(site) == ["content/articles/a.md:7: link to https://example.org/blog/nope/ points nowhere"]


def test_links_in_summaries_are_blamed_on_their_article_and_line(tmp_path: Path) -> None:
    body = "A first paragraph with [a broken link](/2019/01/gone/).\n\nMore.\n"
    site = make_site(tmp_path, {"articles/a.md": f"---\ntitle: A\ndate: 2020-01-02\ndescription: D.\n---\n\n{body}"})
    assert findings(site) == ["content/articles/a.md:7: link to /2019/01/gone/ points nowhere"]


def test_a_warning_most_articles_share_is_one_warning(tmp_path: Path) -> None:
    posts = {f"articles/a{i}.md": f"---\ntitle: A{i}\ndate: 2020-01-{i + 1:02d}\n---\n\nText.\n" for i in range(8)}
    posts["articles/b.md"] = "---\ntitle: B\ndate: 2020-02-01\nexcerpt: Jekyll's name for a summary.\n---\n\nText.\n"
    posts["articles/c.md"] = "---\ntitle: C\ndate: 2020-02-02\n---\n\nLead.\n\n<!-- more -->\n\nRest.\n"
    site = make_site(tmp_path, posts)
    assert findings(site) == [
        "content/articles/a0.md:1: warning: 8 articles have no 'summary' or 'description' (nor a <!--more--> split): "
        "index pages and search results show their first paragraph (also content/articles/a1.md, "
        "content/articles/a2.md, content/articles/a3.md and 4 more)"]
