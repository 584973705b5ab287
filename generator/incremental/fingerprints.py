"""What each output was made from, so a rebuild re-renders only what changed.

Every page gets a fingerprint: a hash of its templates (the files they
resolve to, followed through ``extends``/``include``/``import``), its URL and
title, and a *signature* of everything in its context. An article's
signature is its content hash plus the site-level facts layered on top of it
(canonical tag, section and author names), so editing one article changes
the signature of exactly the pages that show it. A page whose fingerprint
is unchanged since the last build would render to the same bytes, and is
skipped.

Templates may also read the global ``site`` object (every article, tag and
section); a page that did so depends on the whole site, which the renderer
records (see ``render.recording``) and the fingerprint then includes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, fields, is_dataclass
from datetime import datetime
from typing import Any, NamedTuple

import jinja2
import jinja2.meta
import jinja2.nodes

from generator.content.article import Article
from generator.content.terms import Term
from generator.identity import IdentityMemory, Remembered
from generator.render.recording import CARD_FIELDS


def _digest(*parts: object) -> str:
    hasher = hashlib.blake2b(digest_size=16)
    for part in parts:
        hasher.update(repr(part).encode("utf-8", "surrogatepass"))
        hasher.update(b"\x00")
    return hasher.hexdigest()


def _terms(article: Article) -> tuple[object, ...]:
    """The site-level names layered on an article: canonical tags, section, authors, contributors."""
    return (
        tuple((t.slug, t.name) for t in article.tags),
        (article.section.slug, article.section.name) if article.section else None,
        tuple((t.slug, t.name) for t in article.authors),
        tuple((t.slug, t.name) for t in article.contributors),
    )


def article_signature(article: Article) -> str:
    """Changes whenever anything a template can read from ``article`` changes."""
    return _digest(
        article.source, article.digest, article.url, article.draft,
        _terms(article), article.site_links, article.on_air, article.image_keys, article.lead_image,
    )


_SIGNED_AS_IS = tuple(name for name in CARD_FIELDS if name != "extra")


def card_signature(article: Article) -> str:
    """Changes whenever what a story card shows of ``article`` changes.

    ``extra`` is free-form (and YAML aliases can make it enormous when
    spelled out), so an article with one is signed by its source's hash.
    """
    return _digest(
        *(getattr(article, name) for name in _SIGNED_AS_IS),
        article.digest if article.extra else None,
        _terms(article),
    )


class Signer:
    """Computes signatures of context values, remembering article signatures.

    A ``cards`` signer signs other articles by what cards show of them, so a
    body edit does not re-render every list that mentions the article.

    Signatures are remembered by identity (see ``memory``): ``remembered``
    offers a previous build's, so after a body edit a tag index of ten
    thousand articles is not signed again; ``used`` is what to pass on.
    """

    def __init__(self, cards: bool = False, remembered: Remembered[str] | None = None) -> None:
        self._memory: IdentityMemory[str] = IdentityMemory(remembered)
        self._sign_article = card_signature if cards else article_signature

    @property
    def used(self) -> Remembered[str]:
        return self._memory.used

    def page(self, context: Mapping[str, Any]) -> str:
        """A page's context; its own ``article`` is always signed in full."""
        own = context.get("article")
        rest = {key: value for key, value in context.items() if key != "article"}
        return _digest(article_signature(own) if isinstance(own, Article) else self.sign(own), self.sign(rest))

    def article(self, article: Article) -> str:
        signature = self._memory.recall(article)
        return signature if signature is not None else self._memory.keep(article, self._sign_article(article))

    def sign(self, value: Any) -> Any:
        """A hashable, repr-stable stand-in for ``value``."""
        if isinstance(value, Article):
            return ("article", self.article(value))
        if value is None or isinstance(value, (str, int, float, bool, datetime)):
            return value
        if isinstance(value, Term):
            return ("term", value.slug, value.name)
        if isinstance(value, Mapping):
            return tuple((key, self.sign(item)) for key, item in sorted(value.items(), key=lambda kv: str(kv[0])))
        if isinstance(value, (list, tuple)):
            return tuple(self.sign(item) for item in value)
        if is_dataclass(value):
            signature = self._memory.recall(value)  # a tag's index is on every page of the tag
            if signature is None:
                signature = self._memory.keep(value, _digest(type(value).__name__, tuple(
                    (f.name, self.sign(getattr(value, f.name))) for f in fields(value) if f.name != "config"
                )))
            return signature
        return repr(value)

    def digest(self, *values: Any) -> str:
        return _digest(*(self.sign(value) for value in values))


class TemplateFacts(NamedTuple):
    """What a template's source says about what it needs, worked out once per source (by its hash)."""

    references: tuple[str | None, ...]  # templates it extends, includes or imports; None: a name made at render time
    reads_today: bool  # it names the global ``today``: what it shows may change at midnight


class TemplateDigests:
    """A digest per template name covering every template it pulls in.

    A template's digest changes when its file changes, when another file
    starts shadowing it in the lookup chain, or when any template it
    extends, includes or imports changes. A reference that is not a literal
    name makes it depend on every template. A template that reads
    ``today``, or pulls one in that does, also depends on the date: its
    pages are rendered again on the first build of each day, and only
    they (``reads_today``).

    Why from the source and not from what a render read: Jinja keeps the
    module of an ``{% import %}`` from one page to the next, so a macro
    reading ``today`` is looked up once, by whichever page imported it first.
    """

    def __init__(self, env: jinja2.Environment, references: dict[str, TemplateFacts] | None = None,
                 day: str = "") -> None:
        self.env = env
        self.day = day  # ``today``'s date, folded into the digest of every template that reads it
        self._memo: dict[str, tuple[str, bool]] = {}  # name: its digest, and whether it reads ``today``
        self._all: tuple[str, bool] | None = None
        # What each template source references, by the source's hash: parsing
        # the theme's templates to find out costs more than a small rebuild.
        self.references = references if references is not None else {}

    def _source(self, name: str) -> tuple[str, str | None] | None:
        try:
            source, filename, _ = self.env.loader.get_source(self.env, name)  # type: ignore[union-attr]
        except jinja2.TemplateError:  # missing or unreadable: rendering reports it
            return None
        return source, filename

    def of(self, name: str) -> str:
        return self._known(name)[0]

    def reads_today(self, names: Iterable[str]) -> bool:
        """Whether a page rendered from the first of ``names`` found may show the date (see the class)."""
        return any(self._known(name)[1] for name in names)

    def _known(self, name: str, _visiting: frozenset[str] = frozenset()) -> tuple[str, bool]:
        """The digest of template ``name``, and whether it or a template it pulls in reads ``today``."""
        if name in self._memo:
            return self._memo[name]
        found = self._source(name)
        if found is None:  # remembered too: every tag page asks for tag.html before term.html
            self._memo[name] = (_digest("missing", name), False)
            return self._memo[name]
        source, filename = found
        facts = self._facts(source)
        parts: list[object] = [name, filename, source]
        reads_today = facts.reads_today
        for reference in facts.references:
            if reference is None:
                everything, any_reads_today = self._everything()
            elif reference not in _visiting:
                everything, any_reads_today = self._known(reference, _visiting | {name})
            else:
                continue
            parts.append(everything)
            reads_today = reads_today or any_reads_today
        if reads_today:
            parts.append(("today", self.day))
        self._memo[name] = (_digest(*parts), reads_today)
        return self._memo[name]

    def _facts(self, source: str) -> TemplateFacts:
        key = _digest(source)
        if key not in self.references:
            try:
                tree = self.env.parse(source)
                self.references[key] = TemplateFacts(
                    references=tuple(jinja2.meta.find_referenced_templates(tree)),
                    # Any name ``today`` read, even one a ``set`` shadows: a date shown too often
                    # costs a render, one missed a stale page. (``meta.find_undeclared_variables``
                    # leaves globals out.)
                    reads_today=any(node.name == "today" and node.ctx == "load"
                                    for node in tree.find_all(jinja2.nodes.Name)))
            except jinja2.TemplateSyntaxError:
                self.references[key] = TemplateFacts(references=(), reads_today=False)
        return self.references[key]

    def _everything(self) -> tuple[str, bool]:
        """The digest of every template, and whether any of them reads ``today``."""
        if self._all is None:
            names = sorted(self.env.list_templates())
            sources = [(name, self._source(name)) for name in names]
            reads_today = any(self._facts(found[0]).reads_today for _, found in sources if found is not None)
            self._all = (_digest(*sources, ("today", self.day) if reads_today else None), reads_today)
        return self._all

    def of_candidates(self, names: Iterable[str]) -> str:
        """The digest for ``select_template(names)``: the first found wins."""
        return _digest(*(self.of(name) for name in names))


@dataclass(frozen=True)
class RenderRecord:
    """What the last render of one output file depended on."""

    fingerprint: str
    used_site: bool = False
    read_full: bool = False  # read more of another article than its card shows
    read_today: bool = False  # its templates read ``today`` (see ``TemplateDigests``)


class WideReaders(NamedTuple):
    """The outputs whose last render depended on more than their own context, by what."""

    site: frozenset[str]  # read the global ``site``
    full: frozenset[str]  # read more of another article than its card
    today: frozenset[str]  # may show the date

    @classmethod
    def of(cls, records: Iterable[tuple[str, RenderRecord]]) -> WideReaders:
        site: list[str] = []
        full: list[str] = []
        today: list[str] = []
        for output, record in records:
            if record.used_site:
                site.append(output)
            if record.read_full:
                full.append(output)
            if record.read_today:
                today.append(output)
        return cls(frozenset(site), frozenset(full), frozenset(today))


@dataclass
class Fingerprints:
    """Fingerprints of the previous build's outputs, by output path."""

    records: dict[str, RenderRecord] = field(default_factory=dict)
    # ``wide_readers``, once worked out: carried to the next build's records by ``then``.
    wide: WideReaders | None = field(default=None, compare=False, repr=False)

    def wide_readers(self) -> WideReaders:
        """The outputs whose last render read ``site``, more of another article than its card, or ``today``."""
        if self.wide is None:
            self.wide = WideReaders.of(self.records.items())
        return self.wide

    def then(self, records: dict[str, RenderRecord], remade: Iterable[str]) -> Fingerprints:
        """The next build's ``records``, which differ from these at most at the outputs ``remade``.

        Its ``wide_readers`` are these, updated for those outputs alone: a
        body edit in the dev server asks for them on every save, and a big
        site has 165,000 records.
        """
        remade = frozenset(remade)
        before = self.wide_readers()
        now = WideReaders.of((output, records[output]) for output in remade if output in records)
        return Fingerprints(records, wide=WideReaders(*((old - remade) | new for old, new in zip(before, now, strict=True))))

    def unchanged(self, output: str, base: str, site_signature: Callable[[], str],
                  full_signature: Callable[[], str] = lambda: "") -> bool:
        record = self.records.get(output)
        if record is None:
            return False
        return record.fingerprint == _combine(base, record.used_site, record.read_full, site_signature, full_signature)

    @staticmethod
    def record(base: str, used_site: bool, site_signature: Callable[[], str], read_full: bool = False,
               full_signature: Callable[[], str] = lambda: "", read_today: bool = False) -> RenderRecord:
        return RenderRecord(_combine(base, used_site, read_full, site_signature, full_signature), used_site, read_full,
                            read_today)


def _combine(base: str, used_site: bool, read_full: bool, site_signature: Callable[[], str],
             full_signature: Callable[[], str]) -> str:
    if not used_site and not read_full:
        return base
    return _digest(base, site_signature() if used_site else "", full_signature() if read_full else "")
