"""Everything the ``dateline`` command says, in one voice.

Errors read ``path:line: message`` and warnings ``path:line: warning:
message`` (``BuildError`` and ``BuildError.as_warning``), all on stderr;
summaries go to stdout. Counts have their plurals right, durations are
always in seconds, and a message that stops the author says what to do next.
The build, the dev server and ``dateline check`` print through this module
so that the same event reads the same way wherever it happens.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from generator.config.model import CONFIG_NAME


def plural(count: int, word: str, words: str | None = None) -> str:
    """``1 article``, ``2 articles``; ``words`` for plurals that are not ``word + 's'``."""
    return f"{count} {word if count == 1 else words or word + 's'}"


def seconds(value: float) -> str:
    """A duration, always in seconds: ``0.041 s`` for a dev-server rebuild, ``5.21 s`` for a cold build."""
    return f"{value:.3f} s" if value < 1 else f"{value:.2f} s"


def no_config(site: Path) -> str:
    """Every command that needs a site says this when there is none."""
    where = "" if str(site) in ("", ".") else f" {site}"
    return (f"{CONFIG_NAME}: not found in {site.absolute()}, so this is not a Dateline site yet; "
            f"run 'dateline init{where}' to start one, or point at a site folder with -s SITE")


def built(pages: int, articles: int, duration: float, note: str = "") -> str:
    return f"Built {plural(pages, 'page')} from {plural(articles, 'article')} in {seconds(duration)}{note}"


def next_scheduled(path: str, when: str) -> str:
    """Which embargoed article goes live next, and when, in the site's time zone (see ``site.newsroom``)."""
    return f"next scheduled article: {path} at {when}"


UP_TO_DATE = " (up to date: no file changed since the last build)"
BODY_EDITS = " (body edits: the last build's plan was updated)"
NEW_DAY = " (a new day: the last build's plan stood, updated for any body edits; the pages that show the date were checked)"
TEMPLATE_EDITS = " (template edits: the last build's plan stood)"


def notice(message: str) -> str:
    """A ``path: message`` about the build cache, as a warning: ``path: warning: message``."""
    path, _, rest = message.partition(": ")
    return f"{path}: warning: {rest}" if rest else f"warning: {message}"


def build_failed(errors: int) -> str:
    return f"Build failed with {plural(errors, 'error')}; the output folder was left as it was."


def waiting(output: Path) -> str:
    return f"Waiting for another Dateline build writing into {output} to finish…"


def files_summary(files: int, written: int, removed: int, rendered: int, images: int = 0) -> str:
    made = f"; {plural(images, 'image or social card', 'images and social cards')} made" if images else ""
    return (f"{plural(files, 'file')}: {written} written, {removed} removed, "
            f"{files - written} unchanged; {rendered} rendered{made}")


def changed(names: Sequence[str]) -> str:
    """The start of a rebuild line: what the author changed."""
    if len(names) == 1:
        return f"{names[0]} changed"
    if len(names) <= 3:
        return ", ".join(names) + " changed"
    return f"{len(names)} files changed"


def rebuilt(what: str, rendered: int, files: int, duration: float, fate: str | None) -> str:
    """``content/x.md changed → published at /2020/08/x/; 3 pages, 2 files changed in 0.041 s``."""
    done = plural(rendered, "page") + (f", {plural(files, 'file')} changed" if files else "")
    return f"{what} → {fate + '; ' if fate else ''}{done} in {seconds(duration)}"


def rebuild_failed(what: str) -> str:
    return f"{what} → failed; the last good site is still being served:"


GOOD_AGAIN = "The site is good again: every error is fixed."


def previews(drafts: int, scheduled: int) -> str:
    shown = " and ".join(part for part in (plural(drafts, "draft") if drafts else "",
                                           plural(scheduled, "scheduled article") if scheduled else "") if part)
    return (f"Showing {shown} with a banner; 'dateline build' leaves {'it' if drafts + scheduled == 1 else 'them'} "
            "out (serve --no-drafts to preview exactly what it publishes)")


def created_draft(path: Path) -> str:
    return (f"Created {path}: a draft, which 'dateline serve' shows with a banner and 'dateline build' leaves out; "
            "remove 'draft: true' to publish it")


def serving(url: str) -> str:
    return f"Serving on {url} — watching for changes (Ctrl-C to stop)"


def port_in_use(port: int, bind: str) -> str:
    return f"error: port {port} on {bind} is already in use; choose another with --port, or --port 0 for any free port"


def cannot_listen(bind: str, port: int, reason: str) -> str:
    return f"error: cannot listen on {bind}:{port}: {reason}"


def open_bind(bind: str) -> str:
    return (f"warning: serving on {bind}: anyone who can reach this machine can read the site, drafts included; "
            "browsers must address it by a name given with --allow-host, or by its IP address")


def internal_error(exc: BaseException) -> str:
    return (f"internal error in Dateline: {exc!r}\nThis is a bug in Dateline, not in your site; please report it "
            "with the command you ran (DATELINE_DEBUG=1 shows the traceback).")


def checked(errors: int, warnings: int) -> str:
    return f"Checked the site: {plural(errors, 'error')}, {plural(warnings, 'warning')}"


def check_cannot_build(errors: int) -> str:
    return f"The site does not build ({plural(errors, 'error')}); nothing was checked."
