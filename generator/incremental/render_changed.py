"""Rendering what changed: each output's fingerprint decides whether it is rendered again.

A page whose fingerprint (see ``fingerprints``) is the one recorded would
render to the bytes the output already holds, and is kept; the others are
rendered, in worker processes on a cold build, and handed to a ``Store``
(the staging folder, or memory) as they come.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import jinja2

from generator.errors import BuildError, BuildFailed
from generator.filetree import stat_of
from generator.identity import Remembered
from generator.incremental.fingerprints import Fingerprints, RenderRecord, Signer, TemplateDigests, TemplateFacts
from generator.incremental.plan import Plan
from generator.incremental.state import BuildState
from generator.incremental.uptodate import output_label
from generator.load import LoadedSite
from generator.output.files import OutputFile
from generator.parallel import map_in_order
from generator.render import sitemap
from generator.render.feeds import Entries, render_feed
from generator.render.helpers import navigation
from generator.render.page import render_page
from generator.site.feeds import Feed
from generator.site.model import RelatedMemo, Site
from generator.site.pages import Page

Progress = Callable[[int, int], None]


class Fingerprinter:
    """Decides which outputs must be rendered, and records what each render depended on."""

    def __init__(self, loaded: LoadedSite, env: jinja2.Environment, state: BuildState, output: Path,
                 references: dict[str, TemplateFacts]) -> None:
        self.loaded = loaded
        self.previous = state.fingerprints
        self.output = output
        self.output_stats = state.output_stats
        self.signer = Signer(remembered=state.signatures[0])
        self.cards = Signer(cards=True, remembered=state.signatures[1])
        self.templates = TemplateDigests(env, references, day=loaded.today.date().isoformat())
        # Every page shows the theme's strings: an edited .po re-renders them all.
        self.shared = self.signer.digest(navigation(loaded.site), sorted(loaded.theme_files), loaded.catalogue.digest,
                                         [(navigation(e.site), loaded.catalogue_of(e.config.language).digest)
                                          for e in loaded.editions[1:]])
        self._site_signature: str | None = None

    @property
    def signatures(self) -> tuple[Remembered[str], Remembered[str]]:
        return self.signer.used, self.cards.used

    def site_signature(self) -> str:
        if self._site_signature is None:
            self._site_signature = self.signer.digest(self.loaded.site, [e.site for e in self.loaded.editions[1:]])
        return self._site_signature

    def page_base(self, page: Page) -> str:
        return self.signer.digest(self.templates.of_candidates(page.templates), page.url, page.title, page.namespace,
                                  self.cards.page(page.context), self.shared, page.language, page.alternates)

    def page_current(self, page: Page, base: str) -> bool:
        full = (lambda: self.signer.digest(page.context))  # noqa: E731 - evaluated only when needed
        return self.previous.unchanged(page.output, base, self.site_signature, full) and self.intact(page.output)

    def intact(self, output: str) -> bool:
        """Is the file the previous build made still there as it left it?"""
        if self.output_stats is None:  # the dev server's own state: it alone writes there
            return (self.output / output).is_file()
        return stat_of(str(self.output / output)) == self.output_stats.get(output_label(output))

    def page_record(self, page: Page, base: str, used_site: bool, read_full: bool) -> RenderRecord:
        return Fingerprints.record(base, used_site, self.site_signature, read_full,
                                   lambda: self.signer.digest(page.context), self.templates.reads_today(page.templates))

    def feed_base(self, feed: Feed) -> str:
        return self.signer.digest("feed", feed.format, feed.title, feed.feed_url, feed.page_url,
                                  feed.entries(self.loaded.config))

    def current(self, output: str, base: str) -> bool:
        """For outputs made without templates (feeds, the sitemap): is the file there made from ``base``?"""
        return self.previous.unchanged(output, base, self.site_signature) and self.intact(output)


Store = Callable[[str, bytes], OutputFile]  # puts a rendered file somewhere; says what the writer gets


def in_memory(path: str, data: bytes) -> OutputFile:
    return OutputFile(path, data=data)


@dataclass(frozen=True, kw_only=True)
class _Rendered:
    """One page or feed rendered (by this process or a worker): what the writer is told, and the record's parts."""

    stored: OutputFile | BuildError
    base: str
    used_site: bool = False
    read_full: bool = False


def render_changed(plan: Plan, *, envs: Mapping[str, jinja2.Environment], fingerprints: Fingerprinter, entries: Entries,
                   progress: Progress | None = None, jobs: int = 1, store: Store = in_memory,
                   remember: bool = True) -> tuple[list[OutputFile], dict[str, RenderRecord], int]:
    """Render every page and feed whose fingerprint changed, handing each to ``store`` as it comes.

    A complete plan lists every output (``keep`` for the current ones); a
    plan after body edits lists only what was rendered, and inherits the
    other records. Without ``remember`` (and so with no previous records)
    everything is rendered and no record is made.
    """
    loaded = plan.loaded
    pages, feeds = loaded.pages, loaded.feeds
    previous = fingerprints.previous
    records = {} if plan.complete else dict(previous.records)
    page_indexes = range(len(pages)) if plan.pages_to_check is None else plan.pages_to_check
    feed_indexes = range(len(feeds)) if plan.feeds_to_check is None else plan.feeds_to_check
    total = len(page_indexes) + len(feed_indexes)
    done = 0
    to_render: list[int] = []
    bases: dict[int, str] = {}
    # With no previous fingerprints nothing is current: each page's base is
    # worked out where it is rendered, in the workers too.
    cold = not previous.records
    for index in page_indexes:
        page = pages[index]
        if cold:
            to_render.append(index)
            continue
        base = fingerprints.page_base(page)
        if fingerprints.page_current(page, base):
            records[page.output] = previous.records[page.output]
            done += 1
        else:
            to_render.append(index)
            bases[index] = base
    feed_bases = {index: fingerprints.feed_base(feeds[index]) if remember else "" for index in feed_indexes}
    feeds_to_render = [index for index in feed_indexes
                       if not fingerprints.current(feeds[index].planned.output, feed_bases[index])]
    done += len(feed_indexes) - len(feeds_to_render)
    if progress:
        progress(done, total)

    def count(finished: int) -> None:
        nonlocal done
        done += finished
        if progress:
            progress(done, total)

    editions = loaded.editions_by_key

    def render_one(item: tuple[bool, int]) -> _Rendered:
        """Render and store one page or feed, in whichever process renders it: only what
        the writer is told (not the bytes, when they are staged) goes back to this process."""
        is_feed, index = item
        if is_feed:
            feed = feeds[index]
            return _Rendered(stored=store(feed.planned.output, render_feed(feed, editions[feed.language].config, entries)),
                             base=feed_bases[index])
        page = pages[index]
        base = bases[index] if index in bases else fingerprints.page_base(page) if remember else ""
        rendered = render_page(page, envs[page.language], editions[page.language].site)
        stored = rendered.html if isinstance(rendered.html, BuildError) else store(page.output, rendered.html)
        return _Rendered(stored=stored, base=base, used_site=rendered.used_site, read_full=rendered.read_full)

    # Feeds go last: the workers start on the pages, this process on the feeds.
    items = [(False, index) for index in to_render] + [(True, index) for index in feeds_to_render]
    made: dict[tuple[bool, int], OutputFile] = {}
    errors: list[BuildError] = []
    for item, done_item in zip(items, map_in_order(render_one, items, jobs, count), strict=True):
        if isinstance(done_item.stored, BuildError):
            errors.append(done_item.stored)
        elif not errors:  # once the build has failed, nothing more is worth keeping
            made[item] = done_item.stored
            if remember and not item[0]:
                page = pages[item[1]]
                records[page.output] = fingerprints.page_record(page, done_item.base, done_item.used_site,
                                                                done_item.read_full)
    if errors:
        raise BuildFailed(errors)
    files: list[OutputFile] = []
    for index in page_indexes:
        if (False, index) in made:
            files.append(made[(False, index)])
        elif plan.complete:
            files.append(OutputFile(pages[index].output, keep=True))
    for index in feed_indexes:
        output = feeds[index].planned.output
        if (True, index) in made:
            files.append(made[(True, index)])
        elif plan.complete:
            files.append(OutputFile(output, keep=True))
        if remember:
            records[output] = RenderRecord(feed_bases[index])
    return files, records, len(items)


def related_memo(site: Site, previous: RelatedMemo | None) -> RelatedMemo:
    return previous if previous is not None and previous.key == site.related_key else site.related_memo()


def sitemap_file(loaded: LoadedSite, *, fingerprints: Fingerprinter, records: dict[str, RenderRecord],
                 store: Store, remember: bool = True) -> OutputFile:
    """The sitemap, unless the URLs and dates it lists are those of the file already there."""
    if not remember:
        return store("sitemap.xml", sitemap.sitemap(loaded.config, loaded.pages))
    base = fingerprints.signer.digest("sitemap", [(page.url, page.lastmod, page.in_sitemap, page.alternates)
                                                  for page in loaded.pages])
    records["sitemap.xml"] = RenderRecord(base)
    if fingerprints.current("sitemap.xml", base):
        return OutputFile("sitemap.xml", keep=True)
    return store("sitemap.xml", sitemap.sitemap(loaded.config, loaded.pages))
