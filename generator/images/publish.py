"""Planning the published images of a site: which files to make, made or found in the cache.

Every JPEG, PNG and WebP under ``content/`` is published stripped of its
metadata; those that articles show (in the body, or as the lead image) are
also made in several widths and formats. What is made lives in
``.dateline/images/<key>/``, the key a hash of the file's bytes and the
settings, so a second build, or an incremental one, makes nothing again.
Making runs in the build's worker processes.
"""

from __future__ import annotations

import hashlib
import os
import posixpath
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import PIL
from PIL import features

from generator.config.model import Config
from generator.content.article import Article
from generator.content.sources import Asset
from generator.errors import BuildError
from generator.images.digests import DIGESTS_FILE, Digests
from generator.images.making import ImageJob, file_name, make_image, read_made
from generator.images.model import MIME_TYPES, RESIZED_SUFFIXES, ImageSet, Made
from generator.images.pruning import mark_used, prune
from generator.parallel import map_in_order

IMAGES_FOLDER = ".dateline/images"
RECIPE = "5"  # bump when what is made of an image changes
_IMG_SRC = re.compile(r'<img(?:\s[^>]*?)?\ssrc="([^"]*)"')


@dataclass(frozen=True, kw_only=True)
class Use:
    """Where an article shows an image: for the error message."""

    article: str
    line: int | None
    src: str


@dataclass(frozen=True, kw_only=True)
class Published:
    """The result: the files to copy, the sets for templates, and what went wrong."""

    copies: tuple[Asset, ...]
    sets: dict[str, ImageSet]  # by output path of the full-size copy
    full: dict[str, Path]  # the made full-size file of each set, upright and stripped
    errors: tuple[BuildError, ...]
    warnings: tuple[BuildError, ...]
    made: int
    read: int = 0  # image files read and hashed (the others' stat was the one recorded)


def image_output(config: Config, page_url: str, src: str) -> str | None:
    """The output path ``src`` names when it appears on the page at ``page_url`` (None: not this site's)."""
    parts = urlsplit(src)
    if parts.scheme or parts.netloc or not parts.path:
        return None
    path = unquote(urlsplit(urljoin("https://site.invalid" + page_url, parts.path)).path)
    base = config.base_path
    # A root link written without the base path is this site's too (``site.links`` prefixes it).
    relative = path[len(base):] if path.startswith(base) else path.lstrip("/")
    normal = posixpath.normpath(relative)
    return None if normal.startswith("..") else normal


def body_sources(article: Article) -> list[str]:
    """The ``src`` of every image in an article's body, in order."""
    return _IMG_SRC.findall(article.body_html.decode("utf-8", "surrogatepass"))


def uses_of(articles: Iterable[Article], config: Config, candidates: Mapping[str, Asset]) -> dict[str, list[Use]]:
    """The images articles show, by output path: only files of ``content/`` that can be resized."""
    found: dict[str, list[Use]] = {}
    for article in articles:
        references: list[tuple[str, int | None]] = [(src, None) for src in body_sources(article)]
        if article.image:
            references.append((article.image, article.line_of("image") or 0))
        for src, line in references:
            output = image_output(config, article.url, src)
            if output is not None and output in candidates:
                found.setdefault(output, []).append(Use(article=article.source, line=line, src=src))
    return found


def publish_images(site_dir: Path, config: Config, articles: Iterable[Article], copies: Iterable[Asset],
                   jobs: int) -> Published:
    """The copies with images made (or found in the cache), each shown image's set, and every problem."""
    copies = tuple(copies)
    candidates = {asset.output: asset for asset in copies
                  if asset.origin.startswith("content/") and Path(asset.output).suffix.lower() in RESIZED_SUFFIXES}
    uses = uses_of(articles, config, candidates)
    settings = config.images
    # AVIF (or WebP) only where this Pillow was built with it; the page offers what was made.
    formats = tuple(f for f in settings.formats if features.check(f))
    planned: dict[str, ImageJob] = {}
    errors: list[BuildError] = []
    digests = Digests(site_dir / IMAGES_FOLDER)
    for output, asset in candidates.items():
        shown = output in uses
        try:
            digest = digests.of(Path(asset.source))
        except OSError as exc:
            errors.append(BuildError(asset.origin, None, f"cannot read file: {exc.strerror or exc}"))
            continue
        recipe = (RECIPE, PIL.__version__, settings.widths, formats, settings.quality) if shown else (RECIPE,)
        key = hashlib.blake2b(digest + repr(recipe).encode(), digest_size=16).hexdigest()
        planned[output] = ImageJob(
            source=asset.source, folder=str(site_dir / IMAGES_FOLDER / key),
            original=RESIZED_SUFFIXES[Path(output).suffix.lower()],
            widths=settings.widths if shown else (), formats=formats if shown else (),
            quality=settings.quality)
    digests.save()
    results: dict[str, Made | str] = {}
    to_make = []
    for output, job in planned.items():
        made = read_made(Path(job.folder))
        if made is None:
            to_make.append(output)
        else:
            results[output] = made
    for output, result in zip(to_make, map_in_order(make_image, [planned[o] for o in to_make], jobs, per_worker=1),
                              strict=True):
        results[output] = result
    mark_used(Path(job.folder) for job in planned.values())
    prune(site_dir / IMAGES_FOLDER, keep=frozenset({DIGESTS_FILE}))
    new_copies: list[Asset] = []
    sets: dict[str, ImageSet] = {}
    full: dict[str, Path] = {}
    warnings: list[BuildError] = []
    for asset in copies:
        found = results.get(asset.output)
        if found is None:
            new_copies.append(asset)
            continue
        result = found
        if isinstance(result, str):
            if asset.output in uses:
                errors.append(BuildError(asset.origin, None, f"{result}{_used_at(site_dir, uses[asset.output])}"))
            else:
                warnings.append(BuildError(asset.origin, None, f"{result}; published as it is"))
                new_copies.append(asset)
        else:
            job = planned[asset.output]
            new_copies += _made_copies(asset, job, result)
            if asset.output in uses:
                sets[asset.output] = _image_set(config, asset.output, Path(job.folder).name, result)
                full[asset.output] = Path(job.folder) / file_name(None, result.original)
    return Published(copies=tuple(new_copies), sets=sets, full=full, errors=tuple(errors), warnings=tuple(warnings),
                     made=len(to_make), read=digests.read)


def variant_output(output: str, width: int, image_format: str, made: Made) -> str:
    """``2024/photo.jpg`` at 480 px in WebP: ``2024/photo-480w.webp`` (the original keeps its suffix).

    At the image's own width in its own format, the variant is the full-size copy.
    """
    if width == made.width and image_format == made.original:
        return output
    stem, suffix = posixpath.splitext(output)
    return f"{stem}-{width}w{suffix if image_format == made.original else '.' + image_format}"


def _made_copies(asset: Asset, job: ImageJob, made: Made) -> list[Asset]:
    folder = Path(job.folder)
    result = [replace(asset, source=os.fspath(folder / file_name(None, made.original)))]
    for width in made.widths:
        for image_format in (*made.formats, made.original):
            if image_format == made.original and width not in made.own_widths:
                continue  # the full-size copy serves (see ``Made.own_widths``)
            result.append(Asset(source=os.fspath(folder / file_name(width, image_format)),
                                output=variant_output(asset.output, width, image_format, made),
                                origin=asset.origin))
    return result


def _image_set(config: Config, output: str, key: str, made: Made) -> ImageSet:
    def url(path: str) -> str:
        return config.base_path + path

    def srcset(image_format: str) -> str:
        return ", ".join(f"{url(variant_output(output, w, image_format, made))} {w}w" for w in made.widths)

    widest = made.widths[-1]
    own = [f"{url(variant_output(output, w, made.original, made))} {w}w" for w in made.own_widths]
    if len(made.own_widths) < len(made.widths):  # the full-size copy stands in for those not kept
        own.append(f"{url(output)} {made.width}w")
    return ImageSet(url=url(output), key=key, width=widest, height=max(1, round(made.height * widest / made.width)),
                    fallback=url(variant_output(output, widest, made.original, made)
                                 if widest in made.own_widths else output),
                    srcset=", ".join(own), sources=tuple((MIME_TYPES[f], srcset(f)) for f in made.formats))


def _used_at(site_dir: Path, uses: list[Use]) -> str:
    """`` (used at content/a.md:12, content/b.md:3)``: the body's line found by its ``src``."""
    places = []
    for use in uses:
        line = use.line or _line_of(site_dir / use.article, use.src)
        places.append(f"{use.article}:{line}" if line else use.article)
    return f" (used at {', '.join(dict.fromkeys(places))})"


def _line_of(path: Path, src: str) -> int | None:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    name = unquote(src).rsplit("/", 1)[-1]
    for number, line in enumerate(text.splitlines(), 1):
        if src in line or (name and name in line):
            return number
    return None
