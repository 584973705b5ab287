"""What a phone downloads for a site's images, before and after Dateline makes them in several widths.

    python bench/images.py OUTPUT [--width 375] [--dpr 2] [--out FILE]

Reads a built site's pages (``OUTPUT``, the output folder of
``dateline build``) and, for each image shown as a ``<picture>`` there,
picks the file a browser on a phone ``--width`` CSS pixels wide at device
pixel ratio ``--dpr`` takes from each ``srcset``, as browsers do: the
narrowest candidate at least ``width × dpr`` pixels wide under the
``sizes`` the page gives (``100vw`` on a phone, or the width raw HTML sets),
else the widest. "Before" is the full-size image the page showed before,
the file itself. Prints a table (one row per format) and writes it to
``--out`` if given. A script, not a test.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

_PICTURE = re.compile(r"<picture>(.*?)</picture>", re.S)
_IMG = re.compile(r'<img[^>]*?\ssrc="([^"]*)"[^>]*?\ssrcset="([^"]*)"[^>]*?\ssizes="([^"]*)"')
_SOURCE = re.compile(r'<source type="image/(\w+)" srcset="([^"]*)"')


def pick(srcset: str, sizes: str, width: int, dpr: float) -> str:
    """The candidate a browser takes from ``srcset`` for a phone ``width`` CSS px wide."""
    candidates = sorted((int(w[:-1]), url) for url, w in (c.strip().rsplit(" ", 1) for c in srcset.split(",")))
    shown = int(sizes[:-2]) if re.fullmatch(r"\d+px", sizes) else width  # "(min-width: …) …, 100vw" on a phone
    need = shown * dpr
    return next((url for w, url in candidates if w >= need), candidates[-1][1])


def measure(output: Path, width: int, dpr: float) -> tuple[int, dict[str, int], int]:
    """(bytes before, bytes after per format, images) over every distinct image of the site."""
    seen: dict[str, dict[str, str]] = {}
    for page in output.rglob("*.html"):
        for block in _PICTURE.findall(page.read_text(encoding="utf-8", errors="replace")):
            img = _IMG.search(block)
            if img is None:
                continue
            original = re.sub(r"-\d+w(\.\w+)$", r"\1", img[1])
            choice = {kind: pick(srcset, img[3], width, dpr) for kind, srcset in _SOURCE.findall(block)}
            choice["own format"] = pick(img[2], img[3], width, dpr)
            seen[original] = choice
    def size(url: str) -> int:
        return (output / url.lstrip("/")).stat().st_size
    before = sum(size(original) for original in seen)
    after: dict[str, int] = {}
    for choice in seen.values():
        for kind, url in choice.items():
            after[kind] = after.get(kind, 0) + size(url)
    return before, after, len(seen)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("output", type=Path)
    parser.add_argument("--width", type=int, default=375)
    parser.add_argument("--dpr", type=float, default=2)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    before, after, images = measure(args.output, args.width, args.dpr)
    lines = [f"{images} images, a phone {args.width} CSS px wide at DPR {args.dpr:g}", "",
             "| Format taken | Bytes | Of the full-size images |", "|---|---:|---:|",
             f"| full-size images (before) | {before:,} | 100% |"]
    lines += [f"| {kind} | {total:,} | {100 * total / before:.0f}% |" for kind, total in after.items()]
    table = "\n".join(lines) + "\n"
    print(table)
    if args.out:
        args.out.write_text(table, encoding="utf-8")


if __name__ == "__main__":
    main()
