"""Import and build real sites written by others, and say how much of them survived.

    python bench/import_real.py FOLDER [--only NAME] [--keep DIR]

FOLDER holds copies of real public sites, one folder each, named as in
``SITES`` below (a Jekyll site's top folder, a Zola site's, a WordPress
export...). Each one present is imported with ``dateline import`` into a
temporary folder, built, served by ``dateline serve`` on 127.0.0.1, and
checked; the script prints one table row per site:

- posts found, and imported (the rest are listed as skipped in the report);
- built: articles on the built site (drafts and pages not counted) and
  build errors;
- old URLs answering: of the old URLs of published posts (their permalinks
  and their old generator's redirects), how many answer over HTTP with the
  page or a redirect to it;
- raw template syntax left: occurrences of ``{%``, ``{{``, ``[caption``,
  ``<!-- wp:`` and similar outside ``<code>``/``<pre>`` in every built page;
- check errors and warnings from ``dateline check``.

This is a script, not a test: its table goes into the report of a change.
"""

from __future__ import annotations

import argparse
import http.client
import io
import re
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from lxml import html as lxml_html

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from generator.build import build  # noqa: E402 - after the path is set
from generator.check import check_site  # noqa: E402
from generator.errors import BuildFailed  # noqa: E402
from generator.importers.run import read_site  # noqa: E402
from generator.importers.writer import ImportError_, write_site  # noqa: E402
from generator.options import BuildOptions  # noqa: E402
from generator.serve.app import serve  # noqa: E402
from generator.serve.desk import ServeOptions  # noqa: E402

# (row name, kind, path of SOURCE inside FOLDER)
SITES = [
    ("jekyll-docs", "jekyll", "jekyll-docs/docs"),
    ("jekyll-18f", "jekyll", "jekyll-18f"),
    ("jekyll-rustblog", "jekyll", "jekyll-rustblog"),
    ("zola-rustblog", "zola", "zola-rustblog"),
    ("zola-test-site", "zola", "zola-test-site/test_site"),
    ("zola-docs (MIT)", "zola", "zola-mit-6a6e98e/docs"),
    ("hugo-docs-news", "hugo", "hugo-docs-news"),
    ("hugo-k8s-contributor", "hugo", "hugo-k8s-contributor"),
    ("hugo-grpc", "hugo", "hugo-grpc"),
    ("pelican-blog", "pelican", "pelican-blog"),
    ("wp theme-unit-test", "wordpress", "wxr-importer/phpunit/data/theme-unit-test-data.xml"),
    ("wp a11y-unit-test", "wordpress", "wxr-importer/phpunit/data/a11y-unit-test-data.xml"),
    ("wp small-export", "wordpress", "wxr-importer/phpunit/data/small-export.xml"),
    ("wp crazy-cdata", "wordpress", "wxr-importer/phpunit/data/crazy-cdata.xml"),
    ("wp pelican export", "wordpress", "pelican-tests/pelican/tests/content/wordpressexport.xml"),
]
RAW = re.compile(r"\{%|%\}|\{\{|\}\}|\[/?caption\b|<!--\s*/?wp:|\[/?(?:embed|gallery|audio|video)\b|"
                 r"\{(?:filename|static|attach)\}|\]\(@/")
_REFRESH = re.compile(r'<meta http-equiv="refresh" content="0; url=([^"]+)">')


@dataclass
class Row:
    name: str
    found: str = ""
    imported: str = ""
    built: str = ""
    answering: str = ""
    raw: str = ""
    check: str = ""
    note: str = ""


def raw_left(output: Path) -> int:
    count = 0
    for page in output.rglob("*.html"):
        doc = lxml_html.fromstring(page.read_bytes())
        for element in doc.xpath("//code | //pre | //script"):
            element.drop_tree()
        count += len(RAW.findall(lxml_html.tostring(doc, encoding="unicode")))
    return count


def get(port: int, path: str) -> tuple[int, str, str | None]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", quote(path, safe="/%:@!$&'()*+,;=~-._?"))
    response = connection.getresponse()
    body = response.read().decode("utf-8", "replace")
    location = response.getheader("Location")
    connection.close()
    return response.status, body, location


def answers(port: int, path: str) -> bool:
    status, body, location = get(port, path)
    if status in (301, 302) and location:
        status, body, _ = get(port, location)
    refresh = _REFRESH.search(body) if status == 200 else None
    if refresh:
        status, body, _ = get(port, refresh.group(1))
    return status == 200


def old_urls_answering(site: Path, urls: list[str]) -> tuple[int, int]:
    out, stop, ready = io.StringIO(), threading.Event(), threading.Event()
    options = ServeOptions(build=BuildOptions(site_dir=site), port=0, debounce=0.05)
    thread = threading.Thread(target=serve, args=(options, out, out), kwargs={"ready": ready, "stop": stop})
    thread.start()
    try:
        ready.wait(120)
        deadline = time.monotonic() + 60
        while not (match := re.search(r"Serving on http://127\.0\.0\.1:(\d+)/", out.getvalue())):
            if time.monotonic() > deadline:
                return 0, len(urls)
            time.sleep(0.05)
        port = int(match.group(1))
        return sum(1 for url in urls if answers(port, url)), len(urls)
    finally:
        stop.set()
        thread.join(60)


def run(name: str, kind: str, source: Path, scratch: Path) -> Row:
    row = Row(name)
    target = scratch / name.replace(" ", "-").replace("(", "").replace(")", "")
    try:
        imported = read_site(kind, source)
    except ImportError_ as exc:
        row.note = str(exc)[:90]
        return row
    write_site(imported, target)
    row.found, row.imported = str(imported.found), str(len(imported.posts))
    try:
        result = build(BuildOptions(site_dir=target, remember=False))
    except BuildFailed as failure:
        row.built = f"failed ({len(failure.errors)} errors)"
        row.note = str(failure.errors[0])[:90]
        return row
    row.built = f"{result.articles} articles, 0 errors"
    base = imported.config["base_url"].split("://", 1)[-1].split("/", 1)[-1].strip("/")
    published = [p for p in imported.posts if not p.fields.get("draft")]
    olds = sorted({u for p in published for u in ([p.old_url] if p.old_url else []) + list(p.fields.get("aliases", []))})
    prefix = f"/{base}" if base else ""
    urls = [u if u.startswith(prefix + "/") or not prefix else prefix + u for u in olds]
    answering, total = old_urls_answering(target, urls)
    row.answering = f"{answering}/{total}"
    row.raw = str(raw_left(target / "output"))
    findings = check_site(target, target / "output")
    errors = sum(1 for f in findings if f.severity == "error")
    row.check = f"{errors} errors, {len(findings) - errors} warnings"
    return row


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path, help="the folder holding the real sites")
    parser.add_argument("--only", default=None, help="run only the site whose row name contains this")
    parser.add_argument("--keep", type=Path, default=None, help="import into this (empty) folder and keep the sites")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory(prefix="dateline-import-bench-") as temporary:
        scratch = args.keep or Path(temporary)
        for name, kind, relative in SITES:
            if args.only and args.only not in name:
                continue
            source = args.folder / relative
            if not source.exists():
                continue
            started = time.perf_counter()
            row = run(name, kind, source, scratch)
            print(f"{name}: {time.perf_counter() - started:.1f} s", file=sys.stderr, flush=True)
            rows.append(row)
    header = ["site", "posts found", "imported", "built", "old URLs answering", "raw template syntax left",
              "check", "note"]
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for r in rows:
        print(f"| {r.name} | {r.found} | {r.imported} | {r.built} | {r.answering} | {r.raw} | {r.check} | {r.note} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
