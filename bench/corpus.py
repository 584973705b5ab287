"""A deterministic corpus of news articles for benchmarking Dateline.

    python bench/corpus.py N OUT_DIR [--seed S]

writes a complete Dateline site to OUT_DIR: ``config.toml``, N articles in
``content/articles/YYYY/`` dated 2015-2025, and an About page in
``content/pages/``. Everything comes from a seeded generator (no network, no
external data), so the same N and seed give byte-identical output.

The articles mix the frontmatter forms real sites use: YAML ``---`` mostly,
TOML ``+++`` sometimes; ``author:`` (one name) or ``authors:`` (a list);
``category:`` or ``section:``; tags as a list or a comma-separated string;
dates as ``2013-11-30 12:00:00 +0000``, ``'2020-04-21T12:00:00.000Z'`` or
``2019-05-04``, or only in the file name (``2019-05-04-slug.md``); a few
drafts, explicit slugs, summaries, updated dates and lead images. Bodies are
~800 words of Markdown: paragraphs with emphasis, external and internal links
(root-relative URLs of other generated articles), ``##`` headings, lists,
block quotes, and now and then a table, a fenced code block or a footnote.

Importable: ``generate(n, out, seed=1)``; ``plan(n, seed=1)`` returns the
articles' metadata (paths, URLs, drafts...) without writing anything.
"""

from __future__ import annotations

import argparse
import bisect
import itertools
import random
import re
import shutil
import sys
import time
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

MARKER = ".dateline-bench-corpus"  # marks a folder this script may overwrite
TIMEZONE = "Europe/London"  # at most UTC+1: articles dated 06:00-20:00 UTC keep their month
FIRST_DAY = datetime(2015, 1, 1, tzinfo=UTC)
LAST_DAY = datetime(2025, 10, 31, tzinfo=UTC)

SECTIONS = ("World", "Politics", "Business", "Technology", "Science", "Culture",
            "Sport", "Health", "Climate", "Education", "Opinion", "Travel")

FIRST_NAMES = ("Maya", "Ingrid", "Tomás", "Aisha", "Daniel", "Priya", "Lukas", "Chloe", "Kwame", "Elena",
               "Omar", "Hannah", "Mateo", "Yuki", "Grace", "Samuel", "Leila", "Niamh", "Viktor", "Zara")
LAST_NAMES = ("Okafor", "Solberg", "García", "Rahman", "Whitfield", "Nair", "Brandt", "Dubois", "Mensah",
              "Petrova", "Haddad", "Lindqvist", "Moreno", "Tanaka", "O'Neill", "Adeyemi", "Farouk",
              "Byrne", "Novak", "Kapoor", "Costa", "Fischer", "Hughes", "Ivanova")

# Words for headlines and tags: ASCII only, so slugs are predictable.
TOPIC_WORDS = (
    "housing", "transport", "budget", "election", "climate", "energy", "schools", "hospitals", "police",
    "courts", "trade", "tariffs", "shipping", "ports", "fisheries", "farming", "water", "floods",
    "wildfires", "drought", "storms", "heatwave", "tourism", "museums", "theatre", "cinema", "music",
    "football", "cricket", "rugby", "tennis", "cycling", "athletics", "rail", "buses", "airports",
    "broadband", "startups", "banks", "inflation", "wages", "pensions", "taxes", "rents", "mortgages",
    "migration", "refugees", "protests", "unions", "strikes", "council", "parliament", "ministers",
    "diplomacy", "sanctions", "defence", "cybersecurity", "privacy", "AI", "robotics", "space",
    "astronomy", "genetics", "vaccines", "obesity", "mental health", "universities", "libraries",
    "archaeology", "heritage", "festivals", "restaurants", "markets", "retail", "manufacturing",
    "steel", "mining", "oil", "gas", "solar", "wind power", "nuclear", "recycling", "air quality",
    "rivers", "forests", "wildlife", "birds", "oceans", "coral", "glaciers", "elections",
)
PLACES = (
    "Kestrel Bay", "Harbour District", "Northfield", "Eastgate", "the Old Town", "Riverside", "Millbrook",
    "the Coast", "Lisbon", "Nairobi", "Oslo", "Bogota", "Seoul", "Manila", "Accra", "Warsaw", "Lima",
    "Hanoi", "Dublin", "Cape Town", "Montreal", "Valparaiso", "Tbilisi", "Minsk", "Ankara",
)
VERBS = ("approves", "rejects", "delays", "backs", "unveils", "scraps", "expands", "cuts", "reviews",
         "defends", "launches", "halts", "funds", "questions", "welcomes", "warns over", "plans",
         "tests", "pauses", "doubles", "opens", "closes", "debates", "votes on", "wins", "loses")
ACTORS = ("Council", "Regulator", "Court", "Mayor", "Parliament", "Senate", "Port authority", "City hall",
          "Government", "Cabinet", "Health board", "School board", "Transport agency")
GROUPS = ("Ministers", "Unions", "Scientists", "Residents", "Investors", "Teachers", "Doctors", "Farmers",
          "Students", "Police", "Researchers", "Campaigners", "Shipowners", "Exporters")
QUALIFIERS = ("new", "record", "controversial", "long-awaited", "emergency", "regional", "national",
              "temporary", "expanded", "revised", "landmark", "pilot", "cross-border", "five-year")
TAG_ADJECTIVES = ("local", "global", "urban", "rural", "public", "digital", "coastal", "northern",
                  "southern", "european", "african", "asian", "national", "green", "youth")

# Body vocabulary, roughly in order of frequency (a few accented words for realism).
BODY_WORDS = """
the of and to a in that is for it on was with as said by at from his her they be this have are not
which but has were had an their been more will would its one who after about year also than new
people there other we two first when up out over what could into last can time some government city
years report officials percent million minister only under most since before while many police council
public state plan week month data local market country court according three workers people's early
increase budget housing rules support decision vote residents service companies health school
children water project energy prices costs funding analysis campaign policy agency board survey
investigation committee election region district sector industry group statement spokesperson
evidence review figures record level issue change growth system members community interview
question response warning deadline proposal agreement talks share risk program programme network
infrastructure harbour street bridge station hospital university researchers study findings
journalists reporters editors readers archive newsroom coverage sources documents records
significant recent major small large long short higher lower public private national regional
international independent official previous former current future latest final second third
however meanwhile although because despite including several around between among against during
through without within across toward towards beyond along still already never often always quickly
slowly clearly largely nearly roughly almost mostly partly fully recently publicly privately
café naïve résumé Zürich São Paulo Malmö Kraków Curaçao
""".split()

LINK_PATHS = ("reports", "data", "press", "research", "docs", "statistics", "archive", "news")
CODE_SNIPPETS = (
    ("python", ["import csv", "", "with open(\"queues.csv\") as f:", "    rows = list(csv.DictReader(f))",
                "print(sum(int(r[\"minutes\"]) for r in rows) / len(rows))"]),
    ("sql", ["SELECT district, COUNT(*) AS complaints", "FROM reports", "WHERE year = 2021",
             "GROUP BY district ORDER BY complaints DESC;"]),
    ("sh", ["curl -s https://example.com/data/budget.json \\", "  | jq '.lines[] | select(.amount > 1000000)'"]),
    ("r", ["library(dplyr)", "turnout %>% group_by(ward) %>% summarise(mean = mean(share))"]),
)
KICKERS = ("Analysis", "Explainer", "Live", "Exclusive", "Investigation", "Review")


@dataclass(frozen=True)
class ArticleSpec:
    """One generated article: where it lives and what the site will make of it."""

    index: int
    path: str  # relative to the site folder
    title: str
    slug: str
    explicit_slug: bool
    date: datetime  # UTC
    draft: bool
    section: str
    authors: tuple[str, ...]
    tags: tuple[str, ...]
    fmt: str  # "yaml" or "toml"
    date_style: str  # "offset", "iso-z", "day", "filename", "toml-native"

    @property
    def url(self) -> str:
        return f"/{self.date.year:04d}/{self.date.month:02d}/{self.slug}/"


def slugify(text: str) -> str:
    """Dateline's slug for the Latin-script names made here: accents and punctuation go,
    spaces become hyphens (``O'Neill`` -> ``oneill``, ``García`` -> ``garcia``)."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = re.sub(r"[\s_/\\.-]+", "-", text.lower())
    text = re.sub(r"[^a-z0-9-]", "", text)
    return re.sub(r"-{2,}", "-", text).strip("-")


def _zipf_cumulative(count: int, exponent: float, offset: float) -> list[float]:
    """Zipf-Mandelbrot weights (1 / (rank + offset) ** exponent), cumulated for ``choices``."""
    return list(itertools.accumulate(1.0 / (rank + offset) ** exponent for rank in range(1, count + 1)))


def _tag_names(rng: random.Random, count: int = 300) -> list[str]:
    """``count`` distinct tag names, most popular first."""
    names: list[str] = []
    seen: set[str] = set()
    singles = [word.title() if word != "AI" else word for word in TOPIC_WORDS]
    for name in singles + [p for p in PLACES if not p.startswith("the ")]:
        if slugify(name) not in seen:
            seen.add(slugify(name))
            names.append(name)
    while len(names) < count:
        name = f"{rng.choice(TAG_ADJECTIVES).title()} {rng.choice(TOPIC_WORDS)}"
        if slugify(name) not in seen:
            seen.add(slugify(name))
            names.append(name)
    names = names[:count]
    rng.shuffle(names)
    return names


def _author_names(rng: random.Random, count: int = 40) -> list[str]:
    names: list[str] = []
    while len(names) < count:
        name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        if name not in names:
            names.append(name)
    return names


def _headline(rng: random.Random) -> str:
    form = rng.random()
    actor, verb, topic = rng.choice(ACTORS), rng.choice(VERBS), rng.choice(TOPIC_WORDS)
    qualifier, place = rng.choice(QUALIFIERS), rng.choice(PLACES)
    if form < 0.35:
        return f"{actor} {verb} {qualifier} {topic} plan in {place}"
    if form < 0.55:
        return f"{place}: {actor.lower()} {verb} {topic} {rng.choice(('rules', 'deal', 'review', 'funding'))}"
    if form < 0.7:
        return f"What the {qualifier} {topic} figures mean for {place}"
    if form < 0.82:
        return f"How {topic} became the issue of {rng.choice(('the year', 'the campaign', 'the summer', 'the decade'))}"
    if form < 0.92:
        return (f"{rng.choice(GROUPS)} say {topic} {rng.choice(('costs', 'delays', 'shortages', 'gains'))} "
                f"will last into {2016 + rng.randrange(10)}")
    return f"Inside the {qualifier} fight over {topic} in {place}"


def plan(n: int, seed: int = 1) -> tuple[list[ArticleSpec], dict[str, object]]:
    """The articles to write (oldest first) and the site-wide names they use."""
    rng = random.Random(f"dateline-corpus:{seed}")
    tags = _tag_names(rng)
    tag_cumulative = _zipf_cumulative(len(tags), 1.07, 2.5)
    authors = _author_names(rng)
    author_cumulative = _zipf_cumulative(len(authors), 0.8, 3.0)
    section_cumulative = _zipf_cumulative(len(SECTIONS), 0.9, 1.0)

    span = (LAST_DAY - FIRST_DAY).total_seconds()
    moments = sorted(rng.random() * span for _ in range(n))
    specs: list[ArticleSpec] = []
    slugs: set[str] = set()
    for index, offset in enumerate(moments):
        day = (FIRST_DAY + timedelta(seconds=offset)).replace(hour=0, minute=0, second=0, microsecond=0)
        date = day + timedelta(hours=6 + rng.randrange(14), minutes=rng.randrange(60))
        title = _headline(rng)
        slug = slugify(title)
        while slug in slugs:  # a second headline on the same story
            title = f"{title} {rng.choice(('again', 'update', 'latest', 'follow-up', 'part two'))}"
            slug = slugify(title)
        slugs.add(slug)
        explicit = rng.random() < 0.10
        if explicit:  # a shorter hand-written slug, still unique
            short = "-".join(slug.split("-")[:4]) + f"-{index}"
            while short in slugs:
                short += "-x"
            slugs.add(short)
            slug = short
        fmt = "toml" if rng.random() < 0.15 else "yaml"
        roll = rng.random()
        if roll < 0.12:
            date_style = "filename"
            date = day  # midnight in the site's zone (London is UTC or UTC+1: same day)
        elif fmt == "toml":
            date_style = "toml-native" if roll < 0.6 else rng.choice(("offset", "iso-z", "day"))
        else:
            date_style = ("offset", "iso-z", "day")[min(2, int((roll - 0.12) / 0.88 * 3))]
        if date_style == "day":
            date = day
        tag_count = 5
        chosen: list[str] = []
        while len(chosen) < tag_count:
            name = tags[bisect.bisect(tag_cumulative, rng.random() * tag_cumulative[-1])]
            if name not in chosen:
                chosen.append(name)
        author_count = 1 if rng.random() < 0.85 else 2
        byline: list[str] = []
        while len(byline) < author_count:
            name = authors[bisect.bisect(author_cumulative, rng.random() * author_cumulative[-1])]
            if name not in byline:
                byline.append(name)
        section = SECTIONS[bisect.bisect(section_cumulative, rng.random() * section_cumulative[-1])]
        name = f"{date:%Y-%m-%d}-{slug}.md" if date_style == "filename" else f"{slug}.md"
        specs.append(ArticleSpec(
            index=index,
            path=f"content/articles/{date.year:04d}/{name}",
            title=title,
            slug=slug,
            explicit_slug=explicit,
            date=date,
            draft=rng.random() < 0.01,
            section=section,
            authors=tuple(byline),
            tags=tuple(chosen),
            fmt=fmt,
            date_style=date_style,
        ))
    return specs, {"tags": tags, "authors": authors}


# --- bodies ---------------------------------------------------------------------------


class _Writer:
    """Seeded sentences, paragraphs and block elements."""

    def __init__(self, rng: random.Random, specs: list[ArticleSpec]) -> None:
        self.rng = rng
        self.targets = [spec.url for spec in specs if not spec.draft]
        self.cumulative = _zipf_cumulative(len(BODY_WORDS), 0.9, 2.0)

    def words(self, count: int) -> list[str]:
        return self.rng.choices(BODY_WORDS, cum_weights=self.cumulative, k=count)

    def sentence(self, links: bool = True) -> tuple[str, int]:
        rng = self.rng
        count = rng.randint(8, 26)
        words = self.words(count)
        roll = rng.random()
        if roll < 0.06:
            i = rng.randrange(count)
            words[i] = f"*{words[i]}*"
        elif roll < 0.09:
            i = rng.randrange(max(1, count - 1))
            words[i] = f"**{words[i]}"
            words[i + 1 if i + 1 < count else i] += "**"
        if links and roll > 0.93:
            i = rng.randrange(max(1, count - 2))
            anchor = " ".join(words[i:i + 2])
            if roll > 0.965 and self.targets:
                href = rng.choice(self.targets)
            else:
                href = f"https://example.com/{rng.choice(LINK_PATHS)}/{rng.randrange(1, 9999)}"
            words[i:i + 2] = [f"[{anchor}]({href})"]
        if rng.random() < 0.12:
            words.insert(rng.randrange(2, max(3, len(words))), f"{rng.choice(PLACES)},")
        text = " ".join(words)
        text = text[0].upper() + text[1:] if not text.startswith(("*", "[")) else text
        ending = "." if rng.random() < 0.93 else rng.choice(("?", "!", "...", ", officials said."))
        return text + ending, count

    def paragraph(self) -> tuple[str, int]:
        parts, total = [], 0
        for _ in range(self.rng.randint(2, 5)):
            text, count = self.sentence()
            parts.append(text)
            total += count
        return " ".join(parts), total

    def quote(self, authors: list[str]) -> tuple[str, int]:
        text, count = self.sentence(links=False)
        speaker = self.rng.choice(authors)
        return f'> "{text}" said {speaker}, who has followed the story for years.', count + 9

    def bullet_list(self) -> tuple[str, int]:
        ordered = self.rng.random() < 0.3
        lines, total = [], 0
        for number in range(1, self.rng.randint(3, 6) + 1):
            words = self.words(self.rng.randint(4, 12))
            total += len(words)
            marker = f"{number}." if ordered else "-"
            lines.append(f"{marker} {' '.join(words).capitalize()};")
        lines[-1] = lines[-1][:-1] + "."
        return "\n".join(lines), total

    def table(self) -> tuple[str, int]:
        rng = self.rng
        head = f"| {rng.choice(('District', 'Year', 'Ward', 'Region'))} | Before | After | Change |"
        rows = [head, "|---|---:|---:|---:|"]
        for _ in range(rng.randint(3, 7)):
            before, after = rng.randint(100, 9999), rng.randint(100, 9999)
            change = (after - before) / before * 100
            rows.append(f"| {rng.choice(PLACES)} | {before:,} | {after:,} | {change:+.1f}% |")
        return "\n".join(rows), 4 * (len(rows) - 1)

    def code(self) -> tuple[str, int]:
        language, lines = self.rng.choice(CODE_SNIPPETS)
        return "\n".join([f"```{language}", *lines, "```"]), 0


def _body(writer: _Writer, spec: ArticleSpec, authors: list[str], more: bool) -> str:
    rng = writer.rng
    target = max(450, int(rng.gauss(740, 120)))
    blocks: list[str] = []
    words = 0
    for _ in range(rng.randint(2, 3)):
        text, count = writer.paragraph()
        blocks.append(text)
        words += count
    if more:
        blocks.append("<!--more-->")
    footnote = rng.random() < 0.12
    headings = 0
    extras = {"table": rng.random() < 0.08, "code": rng.random() < 0.04}
    while words < target:
        roll = rng.random()
        if roll < 0.12 and headings < 5:
            heading = " ".join(writer.words(rng.randint(2, 6))).capitalize()
            blocks.append(f"## {heading}")
            headings += 1
        elif roll < 0.20:
            text, count = writer.bullet_list()
            blocks.append(text)
            words += count
        elif roll < 0.26:
            text, count = writer.quote(authors)
            blocks.append(text)
            words += count
        elif extras["table"] and roll < 0.30:
            text, count = writer.table()
            blocks.append(text)
            words += count
            extras["table"] = False
        elif extras["code"] and roll < 0.34:
            text, count = writer.code()
            blocks.append(text)
            extras["code"] = False
        else:
            text, count = writer.paragraph()
            if footnote and words > target // 2:
                text += "[^1]"
                footnote = False
                blocks.append(text)
                words += count
                blocks.append("[^1]: " + writer.sentence(links=False)[0])
                continue
            blocks.append(text)
            words += count
    footnotes = [b for b in blocks if b.startswith("[^1]:")]
    blocks = [b for b in blocks if not b.startswith("[^1]:")] + footnotes
    return "\n\n".join(blocks) + "\n"


# --- frontmatter ----------------------------------------------------------------------


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _date_value(spec: ArticleSpec) -> str | None:
    date = spec.date
    if spec.date_style == "filename":
        return None
    if spec.date_style == "offset":
        return f"{date:%Y-%m-%d %H:%M:%S} +0000"
    if spec.date_style == "iso-z":
        return f"'{date:%Y-%m-%dT%H:%M:%S}.000Z'"
    if spec.date_style == "day":
        return f"{date:%Y-%m-%d}"
    return f"{date:%Y-%m-%dT%H:%M:%S}Z"  # TOML's own datetime


def _frontmatter(rng: random.Random, spec: ArticleSpec, summary: str | None) -> str:
    section_key = "category" if rng.random() < 0.3 else "section"
    tags_as_string = rng.random() < 0.3
    # A few authors spell tags in lower case; Dateline merges them.
    tags = [t.lower() if rng.random() < 0.03 else t for t in spec.tags]
    single_author = len(spec.authors) == 1 and rng.random() < 0.6
    updated = spec.date + timedelta(hours=rng.randint(1, 72)) if rng.random() < 0.08 else None
    image = rng.random() < 0.15
    kicker = rng.choice(KICKERS) if rng.random() < 0.05 else None
    date = _date_value(spec)
    if spec.fmt == "toml":
        lines = ["+++", f"title = {_quote(spec.title)}"]
        if date is not None:
            lines.append(f"date = {date if spec.date_style == 'toml-native' else _quote(date.strip(chr(39)))}")
        if updated:
            lines.append(f"updated = {updated:%Y-%m-%dT%H:%M:%S}Z")
        if spec.explicit_slug:
            lines.append(f"slug = {_quote(spec.slug)}")
        lines.append(f"{section_key} = {_quote(spec.section)}")
        if tags_as_string:
            lines.append(f"tags = {_quote(', '.join(tags))}")
        else:
            lines.append("tags = [" + ", ".join(_quote(t) for t in tags) + "]")
        if single_author:
            lines.append(f"author = {_quote(spec.authors[0])}")
        else:
            lines.append("authors = [" + ", ".join(_quote(a) for a in spec.authors) + "]")
        if summary:
            lines.append(f"summary = {_quote(summary)}")
        if image:
            lines.append(f'image = "https://example.com/images/{spec.slug[:40]}.jpg"')
            lines.append(f"image_alt = {_quote('Photograph: ' + spec.title)}")
        if spec.draft:
            lines.append("draft = true")
        if kicker:
            lines += ["", "[extra]", f"kicker = {_quote(kicker)}"]
        lines.append("+++")
        return "\n".join(lines) + "\n"
    lines = ["---", f"title: {_quote(spec.title)}"]
    if date is not None:
        lines.append(f"date: {date}")
    if updated:
        lines.append(f"updated: {updated:%Y-%m-%d %H:%M:%S} +0000")
    if spec.explicit_slug:
        lines.append(f"slug: {spec.slug}")
    lines.append(f"{section_key}: {spec.section}")
    if tags_as_string:
        lines.append(f"tags: {', '.join(tags)}")
    elif rng.random() < 0.5:
        lines.append("tags: [" + ", ".join(tags) + "]")
    else:
        lines.append("tags:")
        lines += [f"  - {t}" for t in tags]
    if single_author:
        lines.append(f"author: {_quote(spec.authors[0])}")
    elif rng.random() < 0.5:
        lines.append("authors:")
        lines += [f"  - {_quote(a)}" for a in spec.authors]
    else:
        lines.append("authors: [" + ", ".join(_quote(a) for a in spec.authors) + "]")
    if summary:
        lines.append(f"summary: {_quote(summary)}")
    if image:
        lines.append(f"image: https://example.com/images/{spec.slug[:40]}.jpg")
        lines.append(f"image_alt: {_quote('Photograph: ' + spec.title)}")
    if spec.draft:
        lines.append("draft: true")
    if kicker:
        lines.append(f"extra: {{kicker: {kicker}}}")
    lines.append("---")
    return "\n".join(lines) + "\n"


# --- the site ---------------------------------------------------------------------------


def _config(seed: int, authors: list[str]) -> str:
    profiles = []
    for name in authors[:6]:
        slug = slugify(name)
        profiles += ["", f"[authors.{slug}]", f"name = {_quote(name)}",
                     f"bio = {_quote(name.split()[0] + ' has reported for the Bench Courier since 2015.')}"]
    return "\n".join([
        f"# Generated by bench/corpus.py (seed {seed}); do not edit.",
        'title = "The Bench Courier"',
        'base_url = "https://bench.example.org/"',
        'description = "A generated newspaper for benchmarking Dateline"',
        f'timezone = "{TIMEZONE}"',
        "paginate = 10",
        'sections = ["World", "Politics", "Business", "Technology", "Science", "Culture"]',
        "",
        "[publisher]",
        'name = "The Bench Courier"',
        *profiles,
    ]) + "\n"


ABOUT = """---
title: About
description: The Bench Courier is a generated newspaper used to benchmark the Dateline static site generator.
---

The Bench Courier does not exist. Every article on this site was written by a
seeded random generator in `bench/corpus.py`, so that benchmarks of Dateline
run on the same {n} articles every time.

## Why generated text?

Real archives are large, messy and private. A generated one is none of those
things, yet has the shape that matters for performance: hundreds of tags of
very different popularity, a dozen sections, forty authors and a decade of
dates.

- [The corpus generator](https://example.com/dateline/bench/corpus.py)
- [Dateline's README](https://example.com/dateline/README.md)
"""


def _prepare(out: Path) -> None:
    """Make ``out`` ready for a fresh corpus, refusing to clobber anything else."""
    if out.exists():
        if not out.is_dir():
            raise SystemExit(f"error: {out} exists and is not a folder")
        entries = [p.name for p in out.iterdir()]
        if entries and MARKER not in entries:
            raise SystemExit(f"error: {out} is not empty and was not made by bench/corpus.py; "
                             "choose an empty or new folder")
        for name in ("content", "output", ".dateline"):
            shutil.rmtree(out / name, ignore_errors=True)
    out.mkdir(parents=True, exist_ok=True)
    (out / MARKER).write_text("made by bench/corpus.py; safe to delete or regenerate\n", encoding="utf-8")


def _write(path: Path, text: str, made: set[Path]) -> None:
    if path.parent not in made:
        path.parent.mkdir(parents=True, exist_ok=True)
        made.add(path.parent)
    with open(path, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)


def generate(n: int, out: Path, seed: int = 1) -> None:
    """Write a complete Dateline site with ``n`` articles to ``out`` (deterministic)."""
    if n < 1:
        raise ValueError("n must be at least 1")
    out = Path(out)
    specs, names = plan(n, seed)
    authors: list[str] = names["authors"]  # type: ignore[assignment]
    _prepare(out)
    made: set[Path] = set()
    _write(out / "config.toml", _config(seed, authors), made)
    _write(out / "content" / "pages" / "about.md", ABOUT.format(n=n), made)
    rng = random.Random(f"dateline-corpus-bodies:{seed}")
    writer = _Writer(rng, specs)
    for spec in specs:
        roll = rng.random()
        summary = writer.sentence(links=False)[0].replace("*", "") if roll < 0.2 else None
        body = _body(writer, spec, authors, more=0.2 <= roll < 0.3)
        _write(out / spec.path, _frontmatter(rng, spec, summary) + "\n" + body, made)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write a deterministic Dateline site of N generated articles.")
    parser.add_argument("n", type=int, metavar="N", help="number of articles")
    parser.add_argument("out", type=Path, metavar="OUT_DIR", help="folder to write the site to")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default: 1)")
    args = parser.parse_args(argv)
    if args.n < 1:
        parser.error("N must be at least 1")
    started = time.perf_counter()
    generate(args.n, args.out, args.seed)
    print(f"Wrote {args.n} articles to {args.out} in {time.perf_counter() - started:.2f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
