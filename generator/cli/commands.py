"""``dateline new``, ``clean``, ``serve`` and ``check``."""

from __future__ import annotations

import argparse
import shutil
import sys
from datetime import datetime

from generator import messages
from generator.cli.report import EXIT_ERRORS, EXIT_OK, EXIT_USAGE, report
from generator.config import load_config
from generator.errors import BuildFailed
from generator.options import BuildOptions, check_output_location
from generator.text.slugs import slugify

NEW_ARTICLE = """---
title: {title}
date: {date}
section: {section}
tags: []
authors: []
summary: ""
draft: true
---

Write the first paragraph here: it becomes the summary on index pages.

<!--more-->

The rest of the story.
"""


def _yaml_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def run_new(args: argparse.Namespace) -> int:
    site = args.site
    try:
        config, _ = load_config(site)
    except BuildFailed as failure:
        report(failure.errors, sys.stderr)
        return EXIT_ERRORS
    title = " ".join(args.title.split())
    slug = slugify(title)
    if not slug:
        print(f"dateline new: the title {args.title!r} has no letters or digits to make a file name from",
              file=sys.stderr)
        return EXIT_USAGE
    now = datetime.now(config.tz).replace(microsecond=0)
    path = site / "content" / "articles" / f"{now.year:04d}" / f"{slug}.md"
    if path.exists():
        print(f"{path}: already exists; choose another title or edit that file", file=sys.stderr)
        return EXIT_ERRORS
    path.parent.mkdir(parents=True, exist_ok=True)
    text = NEW_ARTICLE.format(title=_yaml_string(title), date=now.isoformat(sep=" "),
                              section=_yaml_string(args.section) if args.section else '""')
    with path.open("x", encoding="utf-8") as handle:
        handle.write(text)
    print(messages.created_draft(path))
    return EXIT_OK


def run_clean(args: argparse.Namespace) -> int:
    site = args.site
    output = (args.output or site / "output").absolute()
    try:
        check_output_location(site.absolute(), output)
    except BuildFailed as failure:
        report(failure.errors, sys.stderr)
        return EXIT_ERRORS
    from generator.output.lock import output_lock

    removed = []
    with output_lock(output, lambda: print(messages.waiting(output), file=sys.stderr, flush=True)):
        for folder in (output, site.absolute() / ".dateline"):
            if folder.exists():
                shutil.rmtree(folder)
                removed.append(str(folder))
    print("Removed " + ", ".join(removed) if removed else "Nothing to clean")
    return EXIT_OK


def run_serve(args: argparse.Namespace) -> int:
    from generator.serve.app import serve
    from generator.serve.desk import ServeOptions

    # The author's desk shows what is being written: drafts and scheduled articles, with banners.
    preview = not args.no_drafts
    options = BuildOptions(site_dir=args.site, output=args.output, drafts=preview, future=preview)
    return serve(ServeOptions(build=options, bind=args.bind, port=args.port, open_browser=args.open,
                              allow_hosts=tuple(args.allow_host)))


def run_check(args: argparse.Namespace) -> int:
    from generator.check import check_site

    output = args.output.absolute() if args.output else None
    if output is not None and not output.is_dir():
        print(f"{args.output}: not a folder; build the site first, or leave out -o to check a fresh build",
              file=sys.stderr)
        return EXIT_ERRORS
    try:
        findings = check_site(args.site.absolute(), output, external=args.external,
                              drafts=args.drafts, future=args.future)
    except BuildFailed as failure:
        report(failure.errors, sys.stderr)
        for warning in failure.warnings:
            print(warning.as_warning(), file=sys.stderr)
        print(messages.check_cannot_build(len(failure.errors)), file=sys.stderr)
        return EXIT_ERRORS
    errors = [f for f in findings if f.severity == "error"]
    warnings = [f for f in findings if f.severity == "warning"]
    for finding in findings:
        print(finding, file=sys.stderr)
    print(messages.checked(len(errors), len(warnings)))
    return EXIT_ERRORS if errors or (args.strict and warnings) else EXIT_OK
