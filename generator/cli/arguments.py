"""The ``dateline`` command's arguments: every subcommand, option and help text."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from generator import __version__


class _Version(argparse.Action):
    """``--version``: the version, and each speed-up's gate (see ``generator.speedups``)."""

    def __init__(self, option_strings: list[str], dest: str, **kwargs: object) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, help=str(kwargs.get("help", "")))

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace, values: object,
                 option_string: str | None = None) -> None:
        from generator.speedups import all_gates

        lines = [f"dateline {__version__}", *(f"speed-up {gate}" for gate in all_gates())]
        print("\n".join(lines))
        parser.exit()


def _site_arguments(parser: argparse.ArgumentParser, output: str | None = None) -> None:
    parser.add_argument("-s", "--site", type=Path, default=Path("."), metavar="SITE",
                        help="the site folder, the one with config.toml (default: the current folder)")
    if output:
        parser.add_argument("-o", "--output", type=Path, default=None, metavar="OUTPUT", help=output)


WRITE_TO = "the output folder to build into (default: SITE/output)"


def _command(commands: Any, name: str, summary: str,
             description: str) -> argparse.ArgumentParser:
    """A subcommand with a one-line summary for ``dateline --help`` and a description for its own."""
    parser: argparse.ArgumentParser = commands.add_parser(name, help=summary, description=description)
    return parser


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a port number") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"port {port} is out of range (0-65535)")
    return port


def _jobs(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number of jobs (1 or more)")
    return int(text)


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="dateline", description="A static site generator for news blogs.",
        epilog="Start a site with 'dateline init mysite', then 'dateline serve -s mysite'. "
               "'dateline COMMAND --help' explains each command.")
    parser.add_argument("--version", action=_Version, help="show the version and which speed-ups are on, and exit")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    init_cmd = _command(commands, "init", "start a new site in a folder",
                        "Create a site that builds at once: config.toml with every key explained, one example "
                        "article and a .gitignore. Never overwrites a file.")
    init_cmd.add_argument("folder", type=Path, nargs="?", default=Path("."), metavar="FOLDER",
                          help="where to create the site (default: the current folder)")

    build_cmd = _command(commands, "build", "build the site into the output folder",
                         "Build the site into the output folder. Drafts and articles dated in the future are "
                         "left out. Nothing is written unless every page builds.")
    _site_arguments(build_cmd, WRITE_TO)
    build_cmd.add_argument("--drafts", action="store_true", help="include articles marked as drafts")
    build_cmd.add_argument("--future", action="store_true", help="include articles dated in the future")
    build_cmd.add_argument("-j", "--jobs", type=_jobs, default=None, metavar="N",
                           help="worker processes for parsing and rendering (default: the number of cores)")
    build_cmd.add_argument("--no-cache", action="store_true",
                           help="ignore and do not write the build cache in SITE/.dateline/")
    loudness = build_cmd.add_mutually_exclusive_group()
    loudness.add_argument("-q", "--quiet", action="store_true", help="print only errors")
    loudness.add_argument("-v", "--verbose", action="store_true", help="say how the build went about it, and file counts")

    serve_cmd = _command(commands, "serve", "build, serve on 127.0.0.1, rebuild on changes, reload the browser",
                         "Build the site, serve it on this machine and rebuild on every save; open pages reload "
                         "by themselves. Drafts and scheduled articles are shown, each with a banner that "
                         "'dateline build' never writes.")
    _site_arguments(serve_cmd, WRITE_TO)
    serve_cmd.add_argument("--bind", default="127.0.0.1", metavar="ADDRESS",
                           help="address to listen on (default: 127.0.0.1, this machine only)")
    serve_cmd.add_argument("--port", type=_port, default=8000, help="port (default: 8000; 0 picks a free one)")
    serve_cmd.add_argument("--no-drafts", action="store_true",
                           help="leave out drafts and scheduled articles, exactly as 'dateline build' does")
    serve_cmd.add_argument("--allow-host", action="append", default=[], metavar="NAME",
                           help="also answer browsers that address the server by this name (repeatable)")
    serve_cmd.add_argument("--open", action="store_true", help="open the site in the web browser")

    check_cmd = _command(commands, "check", "check links, images, summaries, feeds and sitemap",
                         "Build the site into a temporary folder (or check an existing build with -o) and report "
                         "broken links and images, missing alt text, orphans, feed and sitemap gaps, and "
                         "every build warning, against the Markdown file and line.")
    _site_arguments(check_cmd, "check this already built output folder instead of building into a temporary one")
    check_cmd.add_argument("--external", action="store_true", help="also request external links (slow)")
    check_cmd.add_argument("--strict", action="store_true", help="fail on warnings too")
    check_cmd.add_argument("--drafts", action="store_true", help="include articles marked as drafts")
    check_cmd.add_argument("--future", action="store_true", help="include articles dated in the future")

    import_cmd = _command(commands, "import", "make a Dateline site from a Jekyll, Hugo, Zola, Pelican or WordPress site",
                          "Write a new Dateline site from another generator's site (or a WordPress export): "
                          "articles, pages, files, and the old URLs as redirects.")
    import_cmd.add_argument("kind", choices=("jekyll", "hugo", "zola", "pelican", "wordpress"), metavar="KIND",
                            help="jekyll, hugo, zola, pelican or wordpress")
    import_cmd.add_argument("source", type=Path, metavar="SOURCE",
                            help="the old site's top folder (for wordpress, the WXR export file)")
    import_cmd.add_argument("-s", "--site", type=Path, required=True, metavar="NEW_SITE",
                            help="the new site's folder: must not exist, or be empty")
    import_cmd.add_argument("--uploads", type=Path, default=None, metavar="DIR",
                            help="wordpress: a copy of wp-content/uploads, for the images")

    new_cmd = _command(commands, "new", "start a new article",
                       "Write content/articles/YEAR/SLUG.md with today's date, as a draft. Never overwrites a file.")
    new_cmd.add_argument("title", help='the headline, in quotes: dateline new "Council votes on budget"')
    new_cmd.add_argument("--section", default="", help="the section to file it under")
    _site_arguments(new_cmd)

    clean_cmd = _command(commands, "clean", "remove the output folder and the build cache",
                         "Remove the output folder and the build cache in SITE/.dateline/; the next build starts "
                         "from nothing.")
    _site_arguments(clean_cmd, "the output folder to remove (default: SITE/output)")
    return parser
