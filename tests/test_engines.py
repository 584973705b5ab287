"""Both Markdown engines build the sample site with the same pages, links and heading ids."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.build import build
from generator.errors import BuildFailed
from generator.options import BuildOptions
from tests.golden import REPO
from tests.helpers import NOW, article, make_site, parse


def build_with(engine: str, root: Path) -> Path:
    site = root / engine
    shutil.copytree(REPO / "content", site / "content")
    config = (REPO / "config.toml").read_text() + f'\n[markdown]\nengine = "{engine}"\n'
    (site / "config.toml").write_text(config)
    build(BuildOptions(site_dir=site, output=site / "output", now=NOW))
    return site / "output"


def structure(output: Path) -> dict[str, tuple[list[str], list[str], str]]:
    """Per page: its links, its element ids, and its visible body text."""
    pages = {}
    for page in sorted(output.rglob("*.html")):
        tree = parse(page)
        story = tree.xpath("//div[contains(@class, 'story-body')]")
        body = " ".join(" ".join(story[0].itertext()).split()) if story else ""
        pages[page.relative_to(output).as_posix()] = (tree.xpath("//a/@href"), tree.xpath("//@id"), body)
    return pages


@pytest.fixture(scope="module")
def both(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("engines")
    return build_with("python-markdown", root), build_with("pulldown-cmark", root)


def test_same_pages_links_ids_and_text(both: tuple[Path, Path]) -> None:
    python_markdown, pulldown = structure(both[0]), structure(both[1])
    assert sorted(python_markdown) == sorted(pulldown)
    for name in python_markdown:
        links, ids, text = python_markdown[name]
        assert pulldown[name][0] == links, name
        assert pulldown[name][1] == ids, name
        assert pulldown[name][2] == text, name


def test_features_survive_in_pulldown(both: tuple[Path, Path]) -> None:
    output = both[1]
    birds = parse(output / "2020/04/with-traffic-stilled-researchers-hear-the-citys-birds-sing-differently/index.html")
    assert birds.xpath("//a[@class='footnote-ref']/@href") == ["#fn:1", "#fn:2"]
    assert birds.xpath("//li[@id='fn:1']//a[@class='footnote-backref']/@href") == ["#fnref:1"]
    freight = (output / "2019/11/small-exporters-feel-the-squeeze-as-freight-costs-climb-for-a-third-quarter/index.html")
    assert parse(freight).xpath("count(//table//td)") > 10
    code = parse(output / "2020/11/how-we-counted-every-polling-station-queue-in-kestrel-bay/index.html")
    assert code.xpath("//pre/code/@class") == ["language-python"]
    assert code.xpath("//pre/@tabindex") == ["0"]
    assert parse(freight).xpath("//div[@class='table-scroll']/@aria-label") == parse(
        both[0] / freight.relative_to(output)).xpath("//div[@class='table-scroll']/@aria-label")
    cranes = parse(output / "2021/03/kestrel-bay-port-orders-electric-cranes-in-bid-to-cut-emissions/index.html")
    assert [a.get("href") for a in cranes.xpath("//nav[@class='toc']//a")] == [
        "#" + i for i in cranes.xpath("//div[contains(@class,'story-body')]//h2/@id")]


def test_unknown_engine_is_a_config_error(tmp_path: Path) -> None:
    site = make_site(tmp_path, {"articles/a.md": article("A", "2020-01-01")},
                     config='title = "T"\nbase_url = "https://example.org/"\n[markdown]\nengine = "commonmark"\n')
    with pytest.raises(BuildFailed) as failure:
        build(BuildOptions(site_dir=site, now=NOW))
    assert [str(e) for e in failure.value.errors] == [
        "config.toml:4: 'markdown.engine' must be one of python-markdown, pulldown-cmark"]
