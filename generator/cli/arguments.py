"""The ``dateline`` command's arguments: every subcommand, option and help text."""

from __future__ import annotations

import argparse
from pathlib import Path

from generator import __version__


class _Version(argparse.Action):
    """``--version``: the version, and each speed-up's gate (see ``generator.speedups``)."""

    def __init__(self, option_strings: list[str], dest: str, **kwargs: object) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS)

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace, values: object,
                 option_string: str | None = None) -> None:
        from generator.speedups import all_gates

        lines = [f"dateline {__version__}", *(f"speed-up {gate}" for gate in all_gates())]
        print("\n".join(lines))
        parser.exit()


def _site_arguments(parser: argparse.ArgumentParser, output: bool = True) -> None:
    parser.add_argument("-s", "--site", type=Path, default=Path("."), metavar="SITE",
                        help="the site folder, the one with config.toml (default: current folder)")
    if output:
        parser.add_argument("-o", "--output", type=Path, default=None, metavar="OUTPUT",
                            help="where to write the site (default: SITE/output)")


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
    parser = argparse.ArgumentParser(prog="dateline", description="A static site generator for news blogs.")
    parser.add_argument("--version", action=_Version, help="show the version and which speed-ups are on, and exit")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    build_cmd = commands.add_parser("build", help="build the site into the output folder")
    _site_arguments(build_cmd)
    build_cmd.add_argument("--drafts", action="store_true", help="include articles marked as drafts")
    build_cmd.add_argument("--future", action="store_true", help="include articles dated in the future")
    build_cmd.add_argument("-j", "--jobs", type=_jobs, default=None, metavar="N",
                           help="worker processes for parsing and rendering (default: the number of cores)")
    build_cmd.add_argument("--no-cache", action="store_true",
                           help="ignore and do not write the build cache in SITE/.dateline/")
    loudness = build_cmd.add_mutually_exclusive_group()
    loudness.add_argument("-q", "--quiet", action="store_true", help="print only errors")
    loudness.add_argument("-v", "--verbose", action="store_true", help="print warnings and file counts")

    new_cmd = commands.add_parser("new", help="start a new article from a template")
    new_cmd.add_argument("title", help='the headline, in quotes: dateline new "Council votes on budget"')
    new_cmd.add_argument("--section", default="", help="the section to file it under")
    _site_arguments(new_cmd, output=False)

    serve_cmd = commands.add_parser("serve", help="build, serve on 127.0.0.1, rebuild on changes, reload the browser")
    _site_arguments(serve_cmd)
    serve_cmd.add_argument("--bind", default="127.0.0.1", metavar="ADDRESS",
                           help="address to listen on (default: 127.0.0.1, this machine only)")
    serve_cmd.add_argument("--port", type=_port, default=8000, help="port (default: 8000; 0 picks a free one)")
    serve_cmd.add_argument("--drafts", action="store_true", help="include articles marked as drafts")
    serve_cmd.add_argument("--future", action="store_true", help="include articles dated in the future")
    serve_cmd.add_argument("--open", action="store_true", help="open the site in the web browser")

    check_cmd = commands.add_parser("check", help="check links, images, summaries, feeds and sitemap")
    _site_arguments(check_cmd)
    check_cmd.add_argument("--external", action="store_true", help="also request external links (slow)")
    check_cmd.add_argument("--strict", action="store_true", help="fail on warnings too")
    check_cmd.add_argument("--drafts", action="store_true", help="include articles marked as drafts")
    check_cmd.add_argument("--future", action="store_true", help="include articles dated in the future")

    import_cmd = commands.add_parser("import", help="make a Dateline site from a Jekyll, Hugo, Zola, Pelican or "
                                     "WordPress site")
    import_cmd.add_argument("kind", choices=("jekyll", "hugo", "zola", "pelican", "wordpress"), metavar="KIND",
                            help="jekyll, hugo, zola, pelican or wordpress")
    import_cmd.add_argument("source", type=Path, metavar="SOURCE",
                            help="the old site's top folder (for wordpress, the WXR export file)")
    import_cmd.add_argument("-s", "--site", type=Path, required=True, metavar="NEW_SITE",
                            help="the new site's folder: must not exist, or be empty")
    import_cmd.add_argument("--uploads", type=Path, default=None, metavar="DIR",
                            help="wordpress: a copy of wp-content/uploads, for the images")

    clean_cmd = commands.add_parser("clean", help="remove the output folder")
    _site_arguments(clean_cmd)
    return parser
