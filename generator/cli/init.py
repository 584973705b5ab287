"""``dateline init``: a new site that builds at once, every key of its config explained."""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from pathlib import Path

from generator.cli.report import EXIT_ERRORS, EXIT_OK
from generator.config.model import CONFIG_NAME
from generator.content.dates import current_time

CONFIG = '''\
# The site's settings. Only title and base_url are required; every other key
# is shown with its default, commented out. Remove the '#' to change one.

title = "{title}"
base_url = "https://example.org/"   # the public address; a path works too: https://example.org/news/

# description = ""                  # tagline, feed subtitle and default meta description
# language = "en"                   # the lang of every page and feed; the theme's strings and dates follow it
# timezone = "UTC"                  # for dates without a zone, and for showing dates: "Europe/London"
# theme = "newsroom"                # a folder in themes/, or the built-in theme
# paginate = 10                     # articles per page on the front page and list pages
# paginate_stable = false           # true: older pages numbered from the oldest, so their URLs keep their articles
# feed_limit = 20                   # articles per feed; 0 for all
# words_per_minute = 230            # for reading time
# related_count = 3                 # related stories under an article; 0 for none
# date_format = "long"              # how dates are shown: short/medium/long/full or a CLDR pattern ("d MMMM y")
# time_format = "short"             # how times are shown ("HH:mm"); unset, plain "en" shows "7 December 2026 18:40"
# copyright = "© {{publisher}}"      # footer line
# sections = []                     # order of sections in the navigation: ["World", "Politics"]

# [publisher]
# name = "{title}"                  # the publisher in JSON-LD and feeds
# logo = ""                         # a site path: "/media/logo.png"

# [social]
# twitter = ""                      # the twitter:site handle

# [authors.jane-doe]                # one table per author, by the slug of their name
# name = "Jane Doe"
# role = ""                         # "Business editor", on the author page and in JSON-LD
# bio = ""
# photo = ""                        # a site path: "/media/jane.jpg"
# url = ""
# links = []                        # other profiles: ["https://mastodon.example/@jane"]
# twitter = ""

# [markdown]
# engine = "python-markdown"        # or "pulldown-cmark" for large sites
# raw_html = true                   # false removes raw HTML from article bodies
# highlight = true                  # colour fenced code that names its language (Pygments)

# [images]
# widths = [480, 960, 1600]         # the widths each article image is published in (never upscaled)
# formats = ["avif", "webp"]        # besides the image's own format
# quality = 80                      # for JPEG, WebP and AVIF, 1 to 100

# [search]
# enabled = false                   # true: a search page and an index of every article (Pagefind)
'''

ARTICLE = '''\
---
title: Welcome to {title}
date: {date}
section: News
tags: [Announcements]
authors: The Editors
summary: This is the first article. Edit it, or start another with dateline new.
---

This is your site's first article, in Markdown. Save a change while
`dateline serve` runs and the page in your browser reloads by itself.

## What next

- Change the title and address in `config.toml`.
- Write an article: `dateline new "Your headline"`.
- Build the site for your host: `dateline build`, then upload `output/`.
'''

GITIGNORE = '''\
# Made by 'dateline build' and 'dateline serve'; rebuilt from the sources.
/output/
/.dateline/
'''


def site_files(folder: Path, now: datetime) -> dict[Path, str]:
    """The files of a new site in ``folder``, by path."""
    title = folder.absolute().name.replace("-", " ").replace("_", " ").strip().title() or "My News Site"
    title = title.replace('"', "'").replace("\\", "")
    return {
        folder / CONFIG_NAME: CONFIG.format(title=title),
        folder / "content" / "articles" / f"{now.year:04d}" / "welcome.md": ARTICLE.format(
            title=title, date=now.strftime("%Y-%m-%d")),
        folder / ".gitignore": GITIGNORE,
    }


def run_init(args: argparse.Namespace) -> int:
    folder: Path = args.folder
    files = site_files(folder, current_time())  # in UTC, the new site's time zone: never in the future
    existing = [path for path in files if path.exists()]
    if existing:
        for path in existing:
            print(f"{path}: already exists; 'dateline init' never overwrites a file "
                  "(choose an empty folder, or remove it first)", file=sys.stderr)
        return EXIT_ERRORS
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("x", encoding="utf-8") as handle:
            handle.write(text)
    site = "" if str(folder) == "." else f" -s {folder}"
    print(f"Created a Dateline site in {folder.absolute()}:\n"
          + "".join(f"  {path.relative_to(folder)}\n" for path in files)
          + f"Next: 'dateline serve{site}' shows it at http://127.0.0.1:8000/ as you write; "
            f"'dateline build{site}' writes it to {folder / 'output'} for your host.")
    return EXIT_OK
