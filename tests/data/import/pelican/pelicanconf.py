# Written for Dateline's tests: the forms a Pelican configuration takes.
import os

SITENAME = "The Pelican Post"
SITEURL = "https://pelican.example.org"
TIMEZONE = "Europe/Rome"
DEFAULT_LANG = "en"
ARTICLE_URL = "posts/{date:%Y}/{date:%m}/{slug}/"
ARTICLE_SAVE_AS = ARTICLE_URL + "index.html"
PAGE_URL = "pages/{slug}.html"
STATIC_PATHS = ["images"]
DEFAULT_PAGINATION = 5
THEME = os.path.join("themes", "notmyidea")
