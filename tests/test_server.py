"""The dev server's request path resolution, content types and injection."""

from __future__ import annotations

import os
from http import HTTPStatus
from pathlib import Path

import pytest

from generator.serve.overlay import inject
from generator.serve.paths import content_type, resolve_request
from generator.serve.status import SiteStatus

SECRET = "top secret outside the output folder"


@pytest.fixture()
def output(tmp_path: Path) -> Path:
    root = tmp_path / "site" / "output"
    (root / "2020/08/story").mkdir(parents=True)
    (root / "2020/08/story/index.html").write_text("<html><body>story</body></html>")
    (root / "index.html").write_text("<html><body>home</body></html>")
    (root / "css").mkdir()
    (root / "css/site.css").write_text("body{}")
    (root / "with space.txt").write_text("spaces")
    (root / ".hidden.tmp-1").write_text("temp")
    (tmp_path / "site" / "config.toml").write_text(SECRET)
    (tmp_path / "secret.txt").write_text(SECRET)
    return root


def status_of(output: Path, target: str, base: str = "/") -> int:
    return resolve_request(output, base, target).status


def test_files_folders_and_index(output: Path) -> None:
    assert resolve_request(output, "/", "/").file == (output / "index.html").resolve()
    assert resolve_request(output, "/", "/2020/08/story/").file == (output / "2020/08/story/index.html").resolve()
    assert resolve_request(output, "/", "/css/site.css?v=1#x").file == (output / "css/site.css").resolve()
    assert resolve_request(output, "/", "/with%20space.txt").file == (output / "with space.txt").resolve()


def test_folder_without_slash_redirects(output: Path) -> None:
    found = resolve_request(output, "/", "/2020/08/story?a=1")
    assert (found.status, found.location) == (HTTPStatus.MOVED_PERMANENTLY, "/2020/08/story/?a=1")


def test_unknown_paths_are_not_found(output: Path) -> None:
    assert status_of(output, "/nope/") == HTTPStatus.NOT_FOUND
    assert status_of(output, "/.hidden.tmp-1") == HTTPStatus.NOT_FOUND


@pytest.mark.parametrize(
    "target",
    [
        "/../secret.txt",
        "/../../secret.txt",
        "/css/../../config.toml",
        "/%2e%2e/secret.txt",
        "/%2E%2E/%2E%2E/secret.txt",
        "/..%2fsecret.txt",
        "/..%2Fsecret.txt",
        "/%2e%2e%2fsecret.txt",
        "/..%5csecret.txt",
        "/..\\secret.txt",
        "/css/..%2F..%2Fconfig.toml",
        "//secret.txt",
        "//example.org/secret.txt",
        "http://example.org/secret.txt",
        "secret.txt",
        "/%00",
        "/index.html%00.txt",
        "/index.html\x00",
        "/%c0%ae%c0%ae/secret.txt",  # overlong UTF-8 for '.'
        "/%ff/secret.txt",
        "/" + "a/" * 2000,
        "/./index.html",
    ],
)
def test_traversal_attempts_never_leave_the_output_folder(output: Path, target: str) -> None:
    found = resolve_request(output, "/", target)
    assert found.status in (HTTPStatus.BAD_REQUEST, HTTPStatus.NOT_FOUND)
    assert found.file is None


def test_double_encoding_is_a_literal_name_not_a_traversal(output: Path) -> None:
    found = resolve_request(output, "/", "/%252e%252e/secret.txt")
    assert found.status == HTTPStatus.NOT_FOUND and found.file is None


def test_symlinks_must_stay_inside(output: Path, tmp_path: Path) -> None:
    os.symlink(tmp_path / "secret.txt", output / "leak.txt")
    os.symlink(tmp_path, output / "leakdir")
    os.symlink(output / "css/site.css", output / "alias.css")
    os.symlink(output / "loop", output / "loop")
    assert status_of(output, "/leak.txt") == HTTPStatus.NOT_FOUND
    assert status_of(output, "/leakdir/secret.txt") == HTTPStatus.NOT_FOUND
    assert status_of(output, "/loop") == HTTPStatus.NOT_FOUND
    assert resolve_request(output, "/", "/alias.css").file == (output / "css/site.css").resolve()


def test_base_path(output: Path) -> None:
    assert resolve_request(output, "/news/", "/news/2020/08/story/").file is not None
    assert resolve_request(output, "/news/", "/").location == "/news/"
    assert resolve_request(output, "/news/", "/news").location == "/news/"
    assert status_of(output, "/2020/08/story/", base="/news/") == HTTPStatus.NOT_FOUND
    assert status_of(output, "/news/../secret.txt", base="/news/") == HTTPStatus.BAD_REQUEST


@pytest.mark.parametrize(
    ("name", "head", "expected"),
    [
        ("index.html", b"", "text/html; charset=utf-8"),
        ("site.css", b"", "text/css; charset=utf-8"),
        ("app.js", b"", "text/javascript; charset=utf-8"),
        ("feed.xml", b"<?xml version='1.0'?>\n<feed xmlns=", "application/atom+xml; charset=utf-8"),
        ("rss.xml", b"<?xml version='1.0'?>\n<rss version=", "application/rss+xml; charset=utf-8"),
        ("sitemap.xml", b"<?xml version='1.0'?>\n<urlset", "application/xml; charset=utf-8"),
        ("robots.txt", b"", "text/plain; charset=utf-8"),
        ("photo.png", b"", "image/png"),
        ("logo.svg", b"", "image/svg+xml"),
        ("blob.unknownext", b"", "application/octet-stream"),
    ],
)
def test_content_types(name: str, head: bytes, expected: str) -> None:
    assert content_type(Path(name), head) == expected


def test_injection_adds_script_before_body_end_and_escapes_errors() -> None:
    status = SiteStatus()
    page = b"<html><body><p>x</p></body></html>"
    injected = inject(page, status)
    assert injected.startswith(b"<html><body><p>x</p><script src=\"/__dateline__/livereload.js\"")
    assert injected.endswith(b"</script></body></html>")
    status.finish(["content/a.md:3: date '<script>alert(1)</script>' is not a date"])
    overlay = inject(page, status).decode()
    assert 'id="dateline-overlay"' in overlay
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in overlay
    assert "<script>alert(1)</script>" not in overlay
