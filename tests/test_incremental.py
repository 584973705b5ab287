"""Incremental builds (the dev server's) equal clean builds, byte for byte."""

from __future__ import annotations

import difflib
import random
import re
import shutil
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from generator.build import build
from generator.errors import BuildFailed
from generator.incremental.state import BuildState
from generator.options import BuildOptions
from generator.session import Session
from tests.golden import REPO
from tests.helpers import NOW, snapshot, write


def copy_sample(target: Path) -> Path:
    shutil.copytree(REPO / "content", target / "content")
    shutil.copy(REPO / "config.toml", target / "config.toml")
    return target


def clean_build(site: Path, output: Path, now: datetime = NOW) -> dict[str, bytes]:
    build(BuildOptions(site_dir=site, output=output, now=now))
    return snapshot(output)


class Desk:
    """An author's session: edits followed by incremental builds."""

    def __init__(self, site: Path) -> None:
        self.site = site
        self.options = BuildOptions(site_dir=site, output=site / "output", now=NOW)
        self.state: BuildState | None = None
        self.pending: set[Path] = set()

    def rebuild(self) -> int:
        result = build(self.options, state=self.state, changed=self.pending, in_place=True)
        self.state = result.state
        self.pending = set()
        return result.rendered

    def edit(self, relative: str, text: str) -> None:
        path = write(self.site, relative, text)
        self.pending.add(path)


def articles(site: Path) -> list[Path]:
    """The sample's articles in every language (the Russian ones under content/ru/)."""
    return sorted([*(site / "content/articles").rglob("*.md"), *(site / "content/ru").rglob("*.md")])


def edit_body(rng: random.Random, path: Path) -> str:
    text = path.read_text()
    return text + f"\nAn added paragraph number {rng.randint(0, 10**6)}.\n"


def edit_title(rng: random.Random, path: Path) -> str:
    lines = path.read_text().splitlines(keepends=True)
    for index, line in enumerate(lines):
        if line.startswith("title:"):
            lines[index] = f"title: Retitled story {rng.randint(0, 10**6)}\n"
            return "".join(lines)
        if line.startswith("title ="):
            lines[index] = f'title = "Retitled story {rng.randint(0, 10**6)}"\n'
            return "".join(lines)
    return "".join(lines)


def test_unchanged_rebuild_renders_nothing(tmp_path: Path) -> None:
    desk = Desk(copy_sample(tmp_path))
    first = desk.rebuild()
    assert first > 50
    assert desk.rebuild() == 0


def test_body_edit_rerenders_only_pages_showing_the_article(tmp_path: Path) -> None:
    desk = Desk(copy_sample(tmp_path))
    total = desk.rebuild()
    path = tmp_path / "content/articles/2021/independent-cinemas-reopen.md"
    desk.edit(path.relative_to(tmp_path).as_posix(), path.read_text() + "\nOne more line.\n")
    rendered = desk.rebuild()
    assert 0 < rendered < total / 3
    assert snapshot(tmp_path / "output") == clean_build(tmp_path, tmp_path.parent / "clean")


def test_template_edit_rerenders_pages_using_it(tmp_path: Path) -> None:
    site = copy_sample(tmp_path)
    desk = Desk(site)
    desk.rebuild()
    write(site, "templates/archive.html", '{% extends "newsroom/archive.html" %}{% block title %}All years{% endblock %}')
    rendered = desk.rebuild()
    assert rendered == 2  # the archive of each language
    assert "<title>All years</title>" in (site / "output/archive/index.html").read_text()
    assert "<title>All years</title>" in (site / "output/ru/archive/index.html").read_text()
    assert snapshot(site / "output") == clean_build(site, tmp_path.parent / "clean")


def test_a_whole_site_render_in_place_streams_through_staging_and_fails_cleanly(tmp_path: Path) -> None:
    """A template edit in the dev server renders every page: staged on disk as rendered, not held in memory,
    moved in only once all rendered; one page failing leaves output/ as it was, and no staging folder."""
    site = copy_sample(tmp_path / "site")
    desk = Desk(site)
    desk.rebuild()
    before = snapshot(site / "output")
    desk.edit("templates/article.html", '{% extends "newsroom/article.html" %}{% block title %}'
              '{% if article.title.endswith("Nerves") %}{{ no_such_thing.x }}'
              '{% endif %}{{ super() }}{% endblock %}')
    with pytest.raises(BuildFailed, match="no_such_thing"):
        desk.rebuild()
    assert snapshot(site / "output") == before
    assert [path.name for path in site.iterdir() if ".staging-" in path.name] == []
    desk.edit("templates/article.html", '{% extends "newsroom/article.html" %}{% block title %}Read: {{ super() }}'
              '{% endblock %}')
    assert desk.rebuild() > 10
    assert [path.name for path in site.iterdir() if ".staging-" in path.name] == []
    assert snapshot(site / "output") == clean_build(site, tmp_path / "clean")


def test_the_first_save_of_a_new_day_renders_the_edit_and_the_front_pages(tmp_path: Path) -> None:
    """The dev server after midnight: the plan stands, and only the edit's pages and those that show the date change."""
    site = copy_sample(tmp_path)
    options = BuildOptions(site_dir=site, output=site / "output", now=NOW)
    session = Session(options, persistent=False)
    total = session.build().pages
    session.options = replace(options, now=NOW + timedelta(days=1, hours=9))
    path = site / "content/articles/2021/independent-cinemas-reopen.md"
    write(site, path.relative_to(site).as_posix(), path.read_text() + "\nOne more line.\n")
    result = session.build([path], in_place=True).result
    assert result is not None and result.new_day and result.partial
    assert 0 < result.rendered < total / 3
    edited = "2021/06/independent-cinemas-reopen-to-queues-and-a-few-nerves/index.html"
    assert {"index.html", "ru/index.html", edited} <= set(result.changed_files)
    assert "2 January 2026" in (site / "output/index.html").read_text(encoding="utf-8")
    assert snapshot(site / "output") == clean_build(site, tmp_path.parent / "clean", NOW + timedelta(days=1, hours=9))


@pytest.mark.slow  # 30 edits of the sample site, each rebuilt and compared with a clean build: about 9 s
def test_random_edit_sequence_matches_clean_build(tmp_path: Path) -> None:
    rng = random.Random(20200815)
    site = copy_sample(tmp_path)
    desk = Desk(site)
    desk.rebuild()
    counter = 0
    seen: set[str] = set()
    kinds = ["body", "title", "tags", "date", "new", "delete", "css", "template", "page", "broken", "config",
             "translation"]
    # Every kind once, in a seeded order, then seeded choices: a change to the sample site cannot drop a kind.
    sequence = rng.sample(kinds, len(kinds)) + [rng.choice(kinds) for _ in range(30 - len(kinds))]
    for step, action in enumerate(sequence):
        seen.add(action)
        candidates = articles(site)
        path = rng.choice(candidates)
        relative = path.relative_to(site).as_posix()
        if action == "body":
            desk.edit(relative, edit_body(rng, path))
        elif action == "title":
            desk.edit(relative, edit_title(rng, path))
        elif action == "tags":
            tags = rng.sample(["Belarus", "Protests", "Climate", "Shipping", f"Fresh{step}"], 2)
            desk.edit("content/articles/tagged.md", f"---\ntitle: Tagged story\ndate: 2020-08-16\n"
                      f"tags: [{', '.join(tags)}]\nextra: {{kicker: K{step}}}\n---\nText.\n")
        elif action == "date":
            desk.edit(f"content/articles/moved-{step}.md",
                      f"---\ntitle: Moved {step}\n"
                      f"date: 20{rng.randint(10, 25)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}\n---\nText.\n")
        elif action == "new":
            counter += 1
            desk.edit(f"content/articles/new/story-{counter}.md",
                      f"---\ntitle: New story {counter}\ndate: 2022-0{counter % 9 + 1}-0{counter % 9 + 1}\n"
                      f"tags: [Belarus, T{counter}]\nsection: Section {counter % 3}\nauthor: New Author\n---\nBody {counter}.\n")
        elif action == "delete" and len(candidates) > 5:
            path.unlink()
            desk.pending.add(path)
        elif action == "css":
            write(site, "static/css/extra.css", f"body {{ --step: {step}; }}\n")
        elif action == "template":
            write(site, "templates/term.html", '{% extends "newsroom/term.html" %}{% block title %}' + f"T{step} "
                  + '{{ super() }}{% endblock %}')
        elif action == "translation":  # a story gains (or changes) its version in Russian, or moves to another key
            english = rng.choice([p for p in candidates if "content/ru/" not in p.as_posix()])
            target = "content/ru/" + english.relative_to(site / "content").as_posix()
            key = rng.choice(["", f"translation_key: shared-{step % 3}\n"])
            desk.edit(target, f"---\ntitle: Перевод {step}\ndate: 2023-0{step % 9 + 1}-11\n{key}"
                      f"tags: [Перевод, Belarus]\nsection: Мир\n---\nТекст перевода {step}.\n")
        elif action == "page":
            desk.edit("content/pages/contact.md", f"---\ntitle: Contact {step}\n---\nWrite to us.\n")
        elif action == "config":
            config = (site / "config.toml").read_text()
            config = re.sub(r"paginate = \d+", f"paginate = {rng.randint(2, 9)}", config)
            config = re.sub(r"\n\[markdown\]\nhighlight = \w+\n", "", config)  # code highlighted or not
            config += f"\n[markdown]\nhighlight = {rng.choice(['true', 'false'])}\n"
            desk.edit("config.toml", config.replace("Independent news", f"Independent news ({step})", 1))
        elif action == "broken":
            desk.edit("content/articles/broken.md", "---\ntitle: [oops\n---\n")
            with pytest.raises(BuildFailed):
                desk.rebuild()
            (site / "content/articles/broken.md").unlink()
            desk.pending.add(site / "content/articles/broken.md")
        desk.rebuild()
        expected = clean_build(site, tmp_path.parent / f"clean-{step}")
        assert_same_output(snapshot(site / "output"), expected, f"step {step}: {action} on {relative}")
    assert len(seen) == 12, f"the seeded sequence missed some kinds of edit: {seen}"


def assert_same_output(built: dict[str, bytes], expected: dict[str, bytes], context: str) -> None:
    assert sorted(built) == sorted(expected), context
    for name in expected:
        if built[name] != expected[name]:
            diff = difflib.unified_diff(expected[name].decode().splitlines(), built[name].decode().splitlines(),
                                        "clean", "incremental", lineterm="", n=1)
            raise AssertionError(f"{context}: {name} differs\n" + "\n".join(list(diff)[:40]))


def test_body_edit_skips_list_pages_unless_a_template_shows_bodies(tmp_path: Path) -> None:
    site = copy_sample(tmp_path)
    desk = Desk(site)
    desk.rebuild()
    path = site / "content/articles/2021/independent-cinemas-reopen.md"
    desk.edit(path.relative_to(site).as_posix(), path.read_text() + "\nOne more line.\n")
    assert desk.rebuild() <= 10  # the article page and the seven feeds it is in; lists show only its unchanged card
    # A theme that shows whole articles on the front page is noticed and kept correct.
    write(site, "templates/index.html", '{% extends "newsroom/index.html" %}{% block content %}'
          "{% for a in paginator.items %}{{ a.body }}{% endfor %}{% endblock %}")
    desk.rebuild()
    desk.edit(path.relative_to(site).as_posix(), path.read_text() + "\nAnd another.\n")
    desk.rebuild()
    assert "And another." in (site / "output/index.html").read_text()
    assert snapshot(site / "output") == clean_build(site, tmp_path.parent / "clean")
