"""Request paths to files, strictly inside the output folder, and their content types."""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass
from http import HTTPStatus
from pathlib import Path
from urllib.parse import unquote, urlsplit

DEV_PREFIX = "/__dateline__/"
MAX_PATH = 2048
_TEXT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".htm": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".json": "application/json; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".svg": "image/svg+xml",
    ".webp": "image/webp",
    ".avif": "image/avif",  # older Pythons' own table lacks it, and so may the system's
    ".woff2": "font/woff2",
    ".ico": "image/x-icon",
}




@dataclass(frozen=True)
class Resolution:
    """What a request path maps to: a file, a redirect, or an error status."""

    status: int
    file: Path | None = None
    location: str | None = None


def resolve_request(output: Path, base_path: str, raw_target: str) -> Resolution:
    """Map the request target to a file strictly inside ``output``.

    Refuses (400) absolute-form and ``//host`` targets, NUL bytes, backslashes,
    encoded slashes, ``..`` segments in any encoding and over-long paths;
    follows symbolic links only when they stay inside ``output``; serves
    ``index.html`` for folder URLs and redirects folders without their slash.
    """
    if len(raw_target) > MAX_PATH or not raw_target.startswith("/") or raw_target.startswith("//"):
        return Resolution(HTTPStatus.BAD_REQUEST)
    parts = urlsplit(raw_target)
    raw_path = parts.path
    lowered = raw_path.lower()
    if "%2f" in lowered or "%5c" in lowered or "%00" in lowered or "\\" in raw_path:
        return Resolution(HTTPStatus.BAD_REQUEST)
    try:
        path = unquote(raw_path, errors="strict")
    except UnicodeDecodeError:
        return Resolution(HTTPStatus.BAD_REQUEST)
    if "\x00" in path or "\\" in path or any(ord(ch) < 32 for ch in path):
        return Resolution(HTTPStatus.BAD_REQUEST)
    segments = path.split("/")
    if ".." in segments or "." in segments:
        return Resolution(HTTPStatus.BAD_REQUEST)
    if not path.startswith(base_path):
        if path + "/" == base_path or path == "/":
            return Resolution(HTTPStatus.MOVED_PERMANENTLY, location=base_path)
        return Resolution(HTTPStatus.NOT_FOUND)
    relative = [segment for segment in path[len(base_path):].split("/") if segment]
    if any(segment.startswith(".") for segment in relative):
        return Resolution(HTTPStatus.NOT_FOUND)  # staging and temp files are never public
    root = output.resolve()
    try:
        target = root.joinpath(*relative).resolve()
    except (OSError, RuntimeError):  # symlink loops
        return Resolution(HTTPStatus.NOT_FOUND)
    if not target.is_relative_to(root):
        return Resolution(HTTPStatus.NOT_FOUND)
    if target.is_dir():
        if not path.endswith("/"):
            query = f"?{parts.query}" if parts.query else ""
            return Resolution(HTTPStatus.MOVED_PERMANENTLY, location=raw_path + "/" + query)
        target = target / "index.html"
    if not target.is_file():
        return Resolution(HTTPStatus.NOT_FOUND)
    return Resolution(HTTPStatus.OK, file=target)


def content_type(path: Path, head: bytes = b"") -> str:
    """The Content-Type for a file; XML is sniffed for Atom and RSS feeds."""
    suffix = path.suffix.lower()
    if suffix == ".xml":
        if b"<feed" in head:
            return "application/atom+xml; charset=utf-8"
        if b"<rss" in head:
            return "application/rss+xml; charset=utf-8"
        return "application/xml; charset=utf-8"
    if suffix in _TEXT_TYPES:
        return _TEXT_TYPES[suffix]
    guessed, _ = mimetypes.guess_type(path.name)
    return guessed or "application/octet-stream"
